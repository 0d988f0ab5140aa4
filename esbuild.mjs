// Builds every bundle into dist/.
//   node esbuild.mjs               development build (sourcemaps)
//   node esbuild.mjs --production  minified, no sourcemaps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
// An entry point whose source file does not exist yet is skipped with a note, so the build
// keeps working while parts of the tree are still being written.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// With format 'cjs' esbuild would pick web-tree-sitter's ESM build and silently replace its
// `import.meta` with {} (Parser.init then fails with ERR_INVALID_ARG_VALUE): bundle the CJS build.
// See docs/tree-sitter.md.
const nodeAlias = { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' };

// The parser's two wasm files are loaded at run time from dist/ (next to the bundles).
const wasmFiles = [
  'node_modules/web-tree-sitter/web-tree-sitter.wasm',
  'node_modules/tree-sitter-go/tree-sitter-go.wasm',
];

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  target: 'es2022',
  logLevel: 'info',
  absWorkingDir: root,
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

/** @type {Array<{ name: string, options: import('esbuild').BuildOptions, executable?: boolean }>} */
const targets = [
  {
    name: 'extension host',
    options: {
      entryPoints: ['src/extension/extension.ts'],
      outfile: 'dist/extension.js',
      alias: nodeAlias,
      format: 'cjs',
      platform: 'node',
      external: ['vscode'],
    },
  },
  {
    name: 'simulation worker',
    options: {
      entryPoints: ['src/extension/simulationWorker.ts'],
      outfile: 'dist/simulationWorker.js',
      alias: nodeAlias,
      format: 'cjs',
      platform: 'node',
    },
  },
  {
    name: 'CLI',
    options: {
      entryPoints: ['src/cli/main.ts'],
      outfile: 'dist/cli.js',
      alias: nodeAlias,
      format: 'cjs',
      platform: 'node',
      banner: { js: '#!/usr/bin/env node' },
    },
    executable: true,
  },
  {
    name: 'webview',
    options: {
      entryPoints: ['webview/main.ts'],
      outfile: 'dist/webview.js',
      format: 'iife',
      platform: 'browser',
      tsconfig: 'webview/tsconfig.json',
    },
  },
];

// The panel's icon font: codicon.css loads codicon.ttf from beside it (both served from dist/).
const codiconFiles = ['node_modules/@vscode/codicons/dist/codicon.css', 'node_modules/@vscode/codicons/dist/codicon.ttf'];

function copyWasm() {
  for (const file of [...wasmFiles, ...codiconFiles]) {
    const from = join(root, file);
    if (!existsSync(from)) {
      console.error(`build: ${file} is missing (run npm install); ${file.endsWith('.wasm') ? 'the Go parser will not load' : 'the panel has no icons'}`);
      process.exitCode = 1;
      continue;
    }
    copyFileSync(from, join(root, 'dist', file.split('/').pop()));
  }
}

/** esbuild plugin: make the CLI bundle executable after every (re)build. */
function chmodPlugin(outfile) {
  return {
    name: 'chmod-executable',
    setup(build) {
      build.onEnd((result) => {
        if (result.errors.length === 0 && existsSync(join(root, outfile))) {
          chmodSync(join(root, outfile), 0o755);
        }
      });
    },
  };
}

const active = [];
for (const target of targets) {
  const entry = target.options.entryPoints[0];
  if (!existsSync(join(root, entry))) {
    console.log(`note: skipping ${target.name} bundle (${entry} does not exist yet)`);
    continue;
  }
  const options = { ...common, ...target.options };
  if (target.executable) options.plugins = [chmodPlugin(target.options.outfile)];
  active.push({ target, options });
}

// A production build starts from an empty dist/ so no stale development files (maps, bundles of
// removed entry points) are packaged.
if (production) rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist'), { recursive: true });
copyWasm();

if (watch) {
  for (const { options } of active) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log(`watching ${active.length} bundle(s); Ctrl+C to stop`);
} else {
  const results = await Promise.allSettled(active.map(({ options }) => esbuild.build(options)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) {
    // esbuild has already printed the diagnostics (logLevel: 'info').
    console.error(`build failed: ${failed.length} of ${active.length} bundle(s) had errors`);
    process.exit(1);
  }
  console.log(`built ${active.length} bundle(s) into dist/${production ? ' (production)' : ''}`);
}
