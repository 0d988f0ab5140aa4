// Every program in test/fixtures/run/*.go runs on the simulator and must meet the expectations
// written in its comments; where Go is installed, the same program is built and run by the real
// runtime (GOMAXPROCS from the fixture) and the simulator must agree on output, verdict and exit code.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES, expectations, hasGo, loadParser, runGo } from './interp-helpers';

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.go')).sort();

function installedGoMinor(): number {
  const m = /go1\.(\d+)/.exec(spawnSync('go', ['version'], { encoding: 'utf8' }).stdout ?? '');
  return m ? Number(m[1]) : 0;
}

describe('interpreter fixtures (test/fixtures/run)', () => {
  before(loadParser);

  it('has at least 15 fixtures', () => assert.ok(files.length >= 15, `${files.length} fixtures`));

  for (const f of files) {
    const src = readFileSync(path.join(FIXTURES, f), 'utf8');
    const want = expectations(src);
    it(`${f}: simulated run meets its expectations`, () => {
      const { result, notes } = runGo(src, { file: path.join(FIXTURES, f), gomaxprocs: want.procs, goVersion: want.goVersion });
      const ctx = `\n--- output:\n${result.output}\n--- exit: ${JSON.stringify(result.exit)}\n--- notes: ${notes.join('\n')}`;
      if (want.output !== undefined) assert.equal(result.output, want.output, ctx);
      if (want.deadlock) {
        assert.equal(result.exit.reason, 'deadlock', ctx);
        assert.match(result.exit.message, /^fatal error: all goroutines are asleep - deadlock!/, ctx);
      } else assert.notEqual(result.exit.reason, 'deadlock', ctx);
      if (want.header) assert.ok(result.exit.message.includes(want.header), ctx);
      if (want.panic !== undefined) {
        assert.equal(result.exit.reason, 'panic', ctx);
        assert.ok(result.exit.message.startsWith(`panic: ${want.panic}\n`), ctx);
      }
      if (want.exitCode !== undefined) assert.equal(result.exit.code, want.exitCode, ctx);
      else if (!want.deadlock) assert.equal(result.exit.reason, 'main-returned', ctx);
      assert.ok(!notes.some((n) => n.includes('interpreter error')), ctx);
    });
  }
});

describe('interpreter vs the real Go runtime (differential, GOMAXPROCS from each fixture)', function () {
  this.timeout(120_000);
  let dir = '';
  before(async function () {
    if (!hasGo()) this.skip();
    await loadParser();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gmp-interp-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  for (const f of files) {
    const src = readFileSync(path.join(FIXTURES, f), 'utf8');
    const want = expectations(src);
    it(`${f}: same output, verdict and exit code as \`go run\``, function () {
      if (want.goVersion > installedGoMinor()) this.skip(); // needs a newer Go than the one installed
      const bin = path.join(dir, f.replace(/\.go$/, ''));
      const build = spawnSync('go', ['build', '-o', bin, path.join(FIXTURES, f)], { encoding: 'utf8', env: { ...process.env, GO111MODULE: 'off' } });
      assert.equal(build.status, 0, build.stderr);
      const real = spawnSync(bin, [], { encoding: 'utf8', env: { ...process.env, GOMAXPROCS: String(want.procs) }, timeout: 30_000 });
      const { result } = runGo(src, { file: path.join(FIXTURES, f), gomaxprocs: want.procs, goVersion: want.goVersion });
      const realDeadlock = /all goroutines are asleep - deadlock!/.test(real.stderr);
      assert.equal(result.exit.reason === 'deadlock', realDeadlock, `real stderr:\n${real.stderr}`);
      assert.equal(result.exit.code, real.status, `real stderr:\n${real.stderr}\nsim: ${result.exit.message}`);
      if (want.deterministic) assert.equal(result.output, real.stdout);
      if (want.panic !== undefined) assert.ok(real.stderr.startsWith(`panic: ${want.panic}\n`), real.stderr);
      if (want.header) assert.ok(real.stderr.includes(want.header), real.stderr);
      if (realDeadlock && want.procs === 1) {
        // Every goroutine's id and wait reason, as the runtime lists them (ids are deterministic on one P).
        const headers = (t: string) => t.split('\n').filter((l) => /^goroutine \d+ \[/.test(l));
        assert.deepEqual(headers(result.exit.message), headers(real.stderr));
      }
    });
  }
});
