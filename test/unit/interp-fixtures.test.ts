// Every program in test/fixtures/run/*.go runs on the simulator and must meet the expectations
// written in its comments; where Go is installed, the same program is built and run by the real
// runtime (GOMAXPROCS from the fixture) and the simulator must agree on the verdict (exit, deadlock
// report, or blocking forever), the exit code, the output where it is deterministic, and on whether
// the thread count grows (`want-threads`, measured on the real process from /proc while it runs).
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES, expectations, hasGo, loadParser, meetsBound, runGo, runReal, type Expectation } from './interp-helpers';
import { computeStats } from '../../src/core/trace/stats';
import { formatOutcome } from '../../src/cli/format';

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.go')).sort();

/** A real program still running after this long counts as blocked forever (`want: hang`). */
const HANG_MS = 3_000;
/** Any other fixture ends within milliseconds; this only stops a runaway. */
const RUNAWAY_MS = 30_000;

function installedGoMinor(): number {
  const m = /go1\.(\d+)/.exec(spawnSync('go', ['version'], { encoding: 'utf8' }).stdout ?? '');
  return m ? Number(m[1]) : 0;
}

let cc: boolean | null = null;
/** cgo fixtures are built with the C compiler `go env CC` names (gcc, which golang-go recommends). */
function hasCCompiler(): boolean {
  cc ??= spawnSync(spawnSync('go', ['env', 'CC'], { encoding: 'utf8' }).stdout?.trim() || 'gcc', ['--version']).status === 0;
  return cc;
}

function simulate(f: string, src: string, want: Expectation) {
  return runGo(src, { file: path.join(FIXTURES, f), gomaxprocs: want.procs, goVersion: want.goVersion });
}

/** A nondeterministic program's output: the same lines, in whatever order the scheduler printed them. */
const lines = (out: string): string[] => out.split('\n').sort();

/** Peak OS threads in the simulated run (M0 and sysmon included, as /proc counts them). */
const simThreads = (r: ReturnType<typeof simulate>): number => computeStats(r.result.log).peakThreads;

describe('interpreter fixtures (test/fixtures/run)', () => {
  before(loadParser);

  it('has at least 45 fixtures', () => assert.ok(files.length >= 45, `${files.length} fixtures`));

  for (const f of files) {
    const src = readFileSync(path.join(FIXTURES, f), 'utf8');
    const want = expectations(src);
    it(`${f}: simulated run meets its expectations`, () => {
      const run = simulate(f, src, want);
      const { result, notes } = run;
      const ctx = `\n--- output:\n${result.output}\n--- exit: ${JSON.stringify(result.exit)}\n--- notes: ${notes.join('\n')}`;
      if (want.output !== undefined) {
        if (want.deterministic) assert.equal(result.output, want.output, ctx);
        else assert.deepEqual(lines(result.output), lines(want.output), ctx);
      }
      if (want.deadlock) {
        assert.ok(result.exit.reason === 'deadlock' || result.exit.reason === 'goexit-deadlock', ctx);
        assert.match(result.exit.message, /^fatal error: (all goroutines are asleep|no goroutines \(main called runtime\.Goexit\)) - deadlock!/, ctx);
        assert.equal(result.exit.code, 2, ctx);
      } else assert.ok(result.exit.reason !== 'deadlock' && result.exit.reason !== 'goexit-deadlock', ctx);
      if (want.hang) {
        assert.equal(result.exit.reason, 'hang', ctx);
        assert.match(formatOutcome(result.exit)[0]!, /^(blocks|runs) forever without a deadlock report/, ctx);
      } else assert.notEqual(result.exit.reason, 'hang', ctx);
      for (const h of want.headers) assert.ok(result.exit.message.includes(h), `missing "${h}"${ctx}`);
      if (want.panic !== undefined) {
        assert.equal(result.exit.reason, 'panic', ctx);
        assert.ok(result.exit.message.startsWith(`panic: ${want.panic}\n`), ctx);
      }
      if (want.exitCode !== undefined) assert.equal(result.exit.code, want.exitCode, ctx);
      else if (!want.deadlock && !want.hang) assert.equal(result.exit.reason, 'main-returned', ctx);
      if (want.threads) {
        const peak = simThreads(run);
        assert.ok(meetsBound(peak, want.threads), `simulated peak threads ${peak}, want ${want.threads.op} ${want.threads.n}${ctx}`);
      }
      assert.ok(!notes.some((n) => n.includes('interpreter error')), ctx);
    });
  }
});

describe('interpreter vs the real Go runtime (differential, GOMAXPROCS from each fixture)', function () {
  this.timeout(120_000);
  let dir = '';
  before(async function () {
    if (!hasGo()) {
      // CI installs the Go toolchain (.ci/run); there a missing toolchain is a failure, not a skip.
      if (process.env.CI) throw new Error('the Go toolchain is required in CI (apt-get install golang-go)');
      console.log('      (skipped: no Go toolchain; apt-get install golang-go)');
      this.skip();
    }
    await loadParser();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gmp-interp-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  for (const f of files) {
    const src = readFileSync(path.join(FIXTURES, f), 'utf8');
    const want = expectations(src);
    it(`${f}: same verdict, exit code, output${want.threads ? ' and thread growth' : ''} as the real binary`, async function () {
      if (want.goVersion > installedGoMinor()) this.skip(); // needs a newer Go than the one installed
      if (/^import "C"$/m.test(src) && !hasCCompiler()) {
        if (process.env.CI) throw new Error('cgo fixtures need a C compiler in CI (gcc)');
        this.skip();
      }
      const bin = path.join(dir, f.replace(/\.go$/, ''));
      // cgo fixtures need the C toolchain, which `go build` finds through CGO_ENABLED's default.
      const build = spawnSync('go', ['build', '-o', bin, path.join(FIXTURES, f)], { encoding: 'utf8', env: { ...process.env, GO111MODULE: 'off' } });
      assert.equal(build.status, 0, build.stderr);
      const real = await runReal(bin, { ...process.env, GOMAXPROCS: String(want.procs) }, want.hang ? HANG_MS : RUNAWAY_MS, dir);
      const run = simulate(f, src, want);
      const { result } = run;
      const ctx = `\nreal (${real.ms} ms, exit ${real.status}, peak threads ${real.peakThreads}) stderr:\n${real.stderr}\nsim: ${result.exit.message}`;
      assert.ok(real.hung || real.ms < RUNAWAY_MS, ctx);
      assert.equal(result.exit.reason === 'hang', real.hung, `blocks forever?${ctx}`);
      const realDeadlock = /^fatal error: (all goroutines are asleep|no goroutines \(main called runtime\.Goexit\)) - deadlock!/m.test(real.stderr);
      assert.equal(result.exit.reason === 'deadlock' || result.exit.reason === 'goexit-deadlock', realDeadlock, `deadlock report?${ctx}`);
      if (!real.hung) assert.equal(result.exit.code, real.status, ctx);
      if (want.deterministic) assert.equal(result.output, real.stdout, ctx);
      else assert.deepEqual(lines(result.output), lines(real.stdout), `the same lines in another order${ctx}`);
      if (want.panic !== undefined) assert.ok(real.stderr.startsWith(`panic: ${want.panic}\n`), ctx);
      for (const h of want.headers) assert.ok(real.stderr.includes(h), `missing "${h}"${ctx}`);
      if (realDeadlock && want.procs === 1) {
        // Every goroutine's id and wait reason, as the runtime lists them (ids are deterministic on one P).
        const headers = (t: string) => t.split('\n').filter((l) => /^goroutine \d+ \[/.test(l));
        assert.deepEqual(headers(result.exit.message), headers(real.stderr));
      }
      if (want.threads) {
        // Both sides meet the same bound: the thread count grows (blocking syscalls, cgo, locked threads) or stays few (netpoller).
        const sim = simThreads(run);
        console.log(`      peak threads: simulated ${sim}, real ${real.peakThreads} (want ${want.threads.op} ${want.threads.n})`);
        assert.ok(meetsBound(real.peakThreads, want.threads), `real peak threads ${real.peakThreads}, want ${want.threads.op} ${want.threads.n} (simulated ${sim})${ctx}`);
        assert.ok(meetsBound(sim, want.threads), `simulated peak threads ${sim}, want ${want.threads.op} ${want.threads.n}`);
      }
    });
  }
});
