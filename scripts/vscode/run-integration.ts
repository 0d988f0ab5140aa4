// Runs the mocha suite in test/integration/ inside the real VS Code extension host, headless:
//   1. builds the extension (dist/) and bundles test/integration/*.ts into out/integration/
//      (`vscode` and mocha external: the host provides the first, node_modules the second);
//   2. starts the VS Code server (scripts/vscode/vscode-server.ts) and opens the workbench in
//      headless chromium with the `payload` that loads this folder as the extension under
//      development and out/integration/index.js as its tests, test/integration/workspace open;
//   3. prints the test output the workbench forwards, and exits with the suite's exit code.
// Counts go to $GMP_TEST_SUMMARY_FILE as JSON (read by scripts/run-tests.mjs).
//
// With --vsix <file>: installs that package with the server's --install-extension into a fresh
// extensions folder and runs test/vsix/ instead, with no extension loaded from source.
//
//   node --import tsx scripts/vscode/run-integration.ts [--grep text] [--no-build] [--vsix file.vsix]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import * as esbuild from 'esbuild';
import { ROOT, launchChromium, runServerCli, startServer } from './vscode-server';

const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
const vsixAt = args.indexOf('--vsix');
const vsix = vsixAt >= 0 ? resolve(args[vsixAt + 1] ?? '') : undefined;
const timeoutMs = Number(process.env.GMP_INTEGRATION_TIMEOUT_MS ?? 300_000);
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

// The workbench's own chatter (connection set-up; offline: the marketplace lookup and a service
// worker the server does not serve). VERBOSE=1 shows it.
const WORKBENCH_NOISE = /ENOTFOUND|Service Worker|open-vsx|connection token|Creating a socket|reconnection-grace-time|builtin extensions cache|^\[AgentHost|^\[AccountPolicyGate|^Canceled|static\/out\/vs\/code\/browser\//;

const SUITE = vsix ? 'vsix' : 'integration';
const OUT = join(ROOT, 'out', SUITE);
const WORKSPACE = join(ROOT, 'test/integration/workspace');

async function bundleTests(): Promise<string> {
  rmSync(OUT, { recursive: true, force: true });
  const dir = join(ROOT, 'test', SUITE);
  // Flat output (out/<suite>/index.js beside the *.test.js files): index.js loads its siblings.
  const entries = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => ({ in: join(dir, f), out: f.replace(/\.ts$/, '') }));
  entries.push({ in: join(ROOT, 'test/integration/index.ts'), out: 'index' });
  await esbuild.build({
    entryPoints: entries,
    outdir: OUT,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha', 'mocha/*'],
    logLevel: 'warning',
  });
  return join(OUT, 'index.js');
}

async function main(): Promise<number> {
  if (!args.includes('--no-build') && !vsix) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'pipe' });
    } catch (e) {
      const err = e as { stdout?: Buffer; stderr?: Buffer };
      console.error(`${err.stdout ?? ''}${err.stderr ?? ''}`);
      throw new Error('building the extension failed');
    }
  }
  const testsPath = await bundleTests();
  // --vsix: the package goes into a fresh extensions folder, which the server then uses.
  let dataDir: string | undefined;
  if (vsix) {
    if (!existsSync(vsix)) throw new Error(`${vsix} does not exist`);
    dataDir = mkdtempSync(join(tmpdir(), 'gmp-vsix-'));
    console.log(runServerCli(['--install-extension', vsix, '--extensions-dir', join(dataDir, 'extensions'),
      '--server-data-dir', join(dataDir, 'server-data'), '--user-data-dir', join(dataDir, 'user-data'),
      '--accept-server-license-terms'], dataDir).trim());
  }
  const server = await startServer({ dataDir, env: grep ? { GMP_TEST_GREP: grep } : {}, settings: {
    // The web workbench auto-saves by default: tests that edit a fixture must not write it back.
    'files.autoSave': 'off',
    // Local history copies saved files after the tests have deleted their temporary copies.
    'workbench.localHistory.enabled': false,
  } });
  console.log(`[${elapsed()}] VS Code server on ${server.base}`);
  const browser = await launchChromium();
  let summary: { passed: number; failed: number; pending: number } | undefined;
  let exitCode = 1;
  try {
    const page = await browser.newPage();
    let finish!: (code: number) => void;
    const done = new Promise<number>((r) => { finish = r; });
    // The workbench reports the extension host's test output and exit code through these two.
    await page.exposeFunction('codeAutomationLog', (type: string, logArgs: unknown[]) => {
      const line = format(...logArgs);
      const m = /GMP_TEST_SUMMARY (\{.*\})/.exec(line);
      if (m) {
        summary = JSON.parse(m[1]);
        return;
      }
      if (!process.env.VERBOSE && WORKBENCH_NOISE.test(line)) return;
      (type === 'error' ? console.error : console.log)(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    if (process.env.VERBOSE) page.on('console', (m) => console.log('[page]', m.text()));
    await page.goto(server.url({ folder: WORKSPACE, extensionDevelopmentPath: vsix ? join(ROOT, 'test/vsix/probe') : ROOT, extensionTestsPath: testsPath }));
    const timer = new Promise<number>((r) => setTimeout(() => r(-1), timeoutMs));
    exitCode = await Promise.race([done, timer]);
    if (exitCode === -1) {
      console.error(`extension-host tests did not finish within ${timeoutMs / 1000} s`);
      exitCode = 1;
    }
  } finally {
    await browser.close().catch(() => undefined);
    if (exitCode !== 0 && process.env.VERBOSE) console.error(server.log());
    await server.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`[${elapsed()}] extension-host tests finished, exit code ${exitCode}`);
  if (!summary) {
    // The suite never reported (crashed while loading, timed out): count it as one failure.
    console.error('extension-host tests: no summary from the test run');
    summary = { passed: 0, failed: 1, pending: 0 };
    exitCode = exitCode || 1;
  }
  if (process.env.GMP_TEST_SUMMARY_FILE) writeFileSync(process.env.GMP_TEST_SUMMARY_FILE, JSON.stringify(summary));
  return exitCode;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err instanceof Error ? err.stack : err);
  if (process.env.GMP_TEST_SUMMARY_FILE) writeFileSync(process.env.GMP_TEST_SUMMARY_FILE, JSON.stringify({ passed: 0, failed: 1, pending: 0 }));
  process.exit(1);
});
