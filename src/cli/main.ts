// `gmp-tutor` entry point (bundled to dist/cli.js by esbuild.mjs): binds runCli to the process.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { initGoParser, parseGo } from '../core/golang/parser';
import { parseGoVersion } from './args';
import { runCli, type CliIO } from './run';

// `gmp-tutor … | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/** The `go` line of the nearest go.mod above the file (`go 1.21` → 21), if any and supported. */
function goModVersion(file: string): number | undefined {
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    const mod = join(dir, 'go.mod');
    if (existsSync(mod)) {
      const m = /^go\s+(\S+)/m.exec(readFileSync(mod, 'utf8'));
      return m ? parseGoVersion(m[1]!) ?? undefined : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const io: CliIO = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    writeFile: (path, data) => writeFileSync(path, data),
  };
  if (argv[0] === 'run') {
    // The parser's wasm files sit beside this bundle in dist/ (esbuild.mjs copies them).
    try {
      await initGoParser({
        runtimeWasm: readFileSync(join(__dirname, 'web-tree-sitter.wasm')),
        goWasm: readFileSync(join(__dirname, 'tree-sitter-go.wasm')),
      });
    } catch (e) {
      process.stderr.write(`gmp-tutor: cannot load the Go parser: ${(e as Error).message}\n`);
      return 1;
    }
    io.readFile = (path) => readFileSync(path, 'utf8');
    io.parseGo = parseGo;
    io.goModVersion = goModVersion;
  }
  return runCli(argv, io);
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
