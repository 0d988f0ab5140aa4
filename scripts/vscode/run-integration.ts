// Runs the mocha suite in test/integration/ inside the real VS Code extension host, headless:
//   1. builds the extension (dist/) and bundles test/integration/*.ts into out/integration/
//      (`vscode` and mocha external: the host provides the first, node_modules the second);
//   2. starts the VS Code server (scripts/vscode/vscode-server.ts) and opens the workbench in
//      headless chromium with the `payload` that loads this folder as the extension under
//      development and out/integration/index.js as its tests, test/integration/workspace open;
//   3. prints the test output the workbench forwards, and exits with the suite's exit code.
// Counts go to $GMP_TEST_SUMMARY_FILE as JSON (read by scripts/run-tests.mjs).
//
//   node --import tsx scripts/vscode/run-integration.ts [--grep text] [--no-build]
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import * as esbuild from 'esbuild';
import { ROOT, launchChromium, startServer } from './vscode-server';

const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
const timeoutMs = Number(process.env.GMP_INTEGRATION_TIMEOUT_MS ?? 300_000);
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

// The workbench's own chatter (connection set-up; offline: the marketplace lookup and a service
// worker the server does not serve). VERBOSE=1 shows it.
const WORKBENCH_NOISE = /ENOTFOUND|Service Worker|open-vsx|connection token|Creating a socket|reconnection-grace-time|builtin extensions cache|^\[AgentHost|^\[AccountPolicyGate|^Canceled|static\/out\/vs\/code\/browser\//;

const OUT = join(ROOT, 'out/integration');
const WORKSPACE = join(ROOT, 'test/integration/workspace');

async function bundleTests(): Promise<string> {
  rmSync(OUT, { recursive: true, force: true });
  const dir = join(ROOT, 'test/integration');
  const entries = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
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
  if (!args.includes('--no-build')) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'pipe' });
    } catch (e) {
      const err = e as { stdout?: Buffer; stderr?: Buffer };
      console.error(`${err.stdout ?? ''}${err.stderr ?? ''}`);
      throw new Error('building the extension failed');
    }
  }
  const testsPath = await bundleTests();
  // The web workbench auto-saves by default: tests that edit a fixture must not write it back.
  const server = await startServer({ env: grep ? { GMP_TEST_GREP: grep } : {}, settings: { 'files.autoSave': 'off' } });
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
    await page.goto(server.url({ folder: WORKSPACE, extensionDevelopmentPath: ROOT, extensionTestsPath: testsPath }));
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
