// `npm test`: every suite, one after the other, then one closing line `N passed, N failed` that
// adds them all up (what .ci/run reports).
//   1. unit        mocha, test/unit (pure core, CLI, oracle)
//   2. webview     `npm run test:webview`, when package.json has it (the panel in headless chromium)
//   3. integration mocha inside the real VS Code extension host (scripts/vscode/run-integration.ts)
//   4. e2e         the VS Code UI in chromium (test/e2e, playwright-core)
//   5. vsix        the packaged extension installed with --install-extension (test/vsix): $GMP_VSIX,
//                  or a .vsix packed now from the current dist/ into a temporary folder
// 3–5 need the tools scripts/vscode/setup.sh installs. Without them they are skipped with a
// loud message — except when $CI is set: there a missing tool is a failure, not a skip.
// Each suite reports its counts as JSON through $GMP_TEST_SUMMARY_FILE (scripts/mocha-summary.cjs);
// a suite that ends without reporting counts as one failure, never as zero tests.
//
//   npm test                      everything
//   npm test -- unit e2e          only these suites
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false';
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);
const reporter = join(root, 'scripts/mocha-summary.cjs');
const tmp = mkdtempSync(join(tmpdir(), 'gmp-tests-'));
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs one suite with live output; resolves to its counts. */
function runSuite(name, cmd, args, env = {}) {
  const summaryFile = join(tmp, `${name}.json`);
  console.log(`\n──── ${name} ────`);
  const started = Date.now();
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(cmd, args, {
      cwd: root,
      env: { ...process.env, ...env, GMP_TEST_SUMMARY_FILE: summaryFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('error', (err) => { output += String(err); });
    child.on('close', (code) => {
      let counts;
      if (existsSync(summaryFile)) counts = JSON.parse(readFileSync(summaryFile, 'utf8'));
      else counts = countsFromText(output);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (!counts) {
        console.error(`${name}: the suite reported no counts (exit code ${code}); counted as 1 failure`);
        counts = { passed: 0, failed: 1, pending: 0 };
      } else if (code !== 0 && counts.failed === 0) {
        // Tests passed but the process failed (a crash after the run, a hook outside mocha).
        console.error(`${name}: exited with code ${code} although no test failed; counted as 1 failure`);
        counts = { ...counts, failed: 1 };
      }
      resolve({ name, seconds, ...counts });
    });
  });
}

/** For a suite not using scripts/mocha-summary.cjs: mocha's "N passing / N failing / N pending", or "N passed, N failed". */
function countsFromText(text) {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  const last = (re) => {
    const all = [...plain.matchAll(re)];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const passing = last(/^\s*(\d+) passing\b/gm);
  const failing = last(/^\s*(\d+) failing\b/gm);
  if (passing !== undefined || failing !== undefined) {
    return { passed: passing ?? 0, failed: failing ?? 0, pending: last(/^\s*(\d+) pending\b/gm) ?? 0 };
  }
  const m = [...plain.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
  return m ? { passed: Number(m[1]), failed: Number(m[2]), pending: 0 } : undefined;
}

/** Why the real-VS-Code suites cannot run here (same check as scripts/vscode/vscode-server.ts). */
function missingVsCodeTools() {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e',
    "const t = require('./scripts/vscode/vscode-server.ts'); process.stdout.write(t.missingTools() ?? '')"],
  { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) return `could not check the VS Code tools: ${r.stderr.trim()}`;
  return r.stdout.trim() || undefined;
}

const results = [];
const skipped = [];

if (wanted('unit')) {
  results.push(await runSuite('unit', npx, ['mocha', '--reporter', reporter]));
}

if (wanted('webview')) {
  if (pkg.scripts?.['test:webview']) {
    // Extra arguments reach the script's last command: mocha, which then reports its counts as JSON.
    results.push(await runSuite('webview', npm, ['run', '--silent', 'test:webview', '--', '--reporter', reporter]));
  } else {
    skipped.push('webview (no test:webview script in package.json)');
  }
}

if (wanted('integration') || wanted('e2e') || wanted('vsix')) {
  const missing = missingVsCodeTools();
  if (missing && !inCI) {
    const bar = '!'.repeat(78);
    console.log(`\n${bar}\nSKIPPED: the real-VS-Code suites (integration, e2e, vsix): ${missing}.\n` +
      `Run \`npm run setup:vscode\` (~2 min, ~600 MB into .vscode-test/tools) to enable them.\n${bar}`);
    skipped.push('integration, e2e and vsix (VS Code server not installed)');
  } else {
    // One build for the three suites (in CI, missing tools fail inside the suites: counted as failures).
    const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) {
      console.error(build.stdout, build.stderr);
      results.push({ name: 'build for VS Code suites', seconds: '0', passed: 0, failed: 1, pending: 0 });
    } else {
      const env = { GMP_SKIP_BUILD: '1' };
      if (wanted('integration')) {
        results.push(await runSuite('integration', process.execPath, ['--import', 'tsx', 'scripts/vscode/run-integration.ts', '--no-build'], env));
      }
      if (wanted('e2e')) {
        results.push(await runSuite('e2e', npx, ['mocha', '--no-config', '--node-option', 'import=tsx', '--timeout', '180000',
          '--reporter', reporter, 'test/e2e/**/*.test.ts'], env));
      }
      if (wanted('vsix')) {
        let vsix = process.env.GMP_VSIX;
        if (!vsix) {
          vsix = join(tmp, `${pkg.name}.vsix`);
          const pack = spawnSync(npx, ['vsce', 'package', '--no-dependencies', '--out', vsix], { cwd: root, encoding: 'utf8' });
          // A failed pack leaves no file: the suite then fails on it, with this output above.
          if (pack.status !== 0) console.error(pack.stdout, pack.stderr);
        }
        results.push(await runSuite('vsix', process.execPath, ['--import', 'tsx', 'scripts/vscode/run-integration.ts', '--vsix', vsix], env));
      }
    }
  }
}

rmSync(tmp, { recursive: true, force: true });

console.log('\n──── summary ────');
for (const r of results) {
  console.log(`${r.name.padEnd(12)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(4)} failed ${String(r.pending).padStart(4)} pending  (${r.seconds} s)`);
}
for (const s of skipped) console.log(`skipped      ${s}`);
const total = (k) => results.reduce((n, r) => n + r[k], 0);
const failed = total('failed');
if (total('pending') > 0) console.log(`(${total('pending')} pending)`);
console.log(`${total('passed')} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
