// The engine against the real Go runtime: each program in test/oracle/ is built with the Go
// toolchain and run with GOMAXPROCS=1, and the same program written against the action contract
// is simulated; what a user sees (output, the runtime's messages, goroutine ids and wait reasons)
// must agree. GOMAXPROCS=1 makes the real runtime deterministic (runtime-facts §19.12).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as A from '../../src/core/engine/actions';
import { simulate, type SimResult } from '../../src/core/engine/scheduler';

const ORACLE_DIR = join(__dirname, '..', 'oracle');
const goAvailable = spawnSync('go', ['version']).status === 0;

interface RealRun { out: string; code: number | null }

function runReal(file: string): RealRun {
  const dir = mkdtempSync(join(tmpdir(), 'gmp-oracle-'));
  try {
    const bin = join(dir, 'prog');
    const b = spawnSync('go', ['build', '-o', bin, join(ORACLE_DIR, file)], { encoding: 'utf8', timeout: 120_000 });
    if (b.status !== 0) throw new Error(`go build ${file}: ${b.stderr}`);
    const r = spawnSync(bin, [], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, GOMAXPROCS: '1' } });
    return { out: (r.stdout ?? '') + (r.stderr ?? ''), code: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the simulated program would print to stdout and stderr. */
function simulatedText(r: SimResult): string {
  return r.output + (r.exit.reason === 'main-returned' || r.exit.reason === 'os-exit' ? '' : r.exit.message);
}

/** `goroutine N [reason]:` headers, in order. */
const headers = (s: string) => s.split('\n').filter((l) => /^goroutine \d+ \[/.test(l));
const site = (line: number, fn = 'main.main'): A.Site => ({ file: 'x.go', line, fn });

const cases: { file: string; runtimeGoroutines: number; compare: 'output' | 'fatal'; main: () => A.Body }[] = [
  {
    file: 'runnext_order.go', runtimeGoroutines: 4, compare: 'output',
    main: function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 5);
      for (let i = 0; i < 5; i++) yield A.go(function* () { yield A.print(`${i} `); yield A.wgDone(wg); });
      yield A.wgWait(wg);
    },
  },
  {
    file: 'gosched_order.go', runtimeGoroutines: 4, compare: 'output',
    main: function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 3);
      for (let g = 0; g < 3; g++) {
        yield A.go(function* () {
          for (let i = 0; i < 2; i++) { yield A.print(`g${g}.${i} `); yield A.gosched(); }
          yield A.wgDone(wg);
        });
      }
      yield A.wgWait(wg);
    },
  },
  {
    file: 'close_wakes_all.go', runtimeGoroutines: 4, compare: 'output',
    main: function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 3);
      for (let i = 0; i < 3; i++) {
        yield A.go(function* () { const v = (yield A.recv(ch)) as A.RecvResult; yield A.print(`${i}:${v.ok} `); yield A.wgDone(wg); });
      }
      yield A.sleep(1e6);
      yield A.close(ch);
      yield A.wgWait(wg);
    },
  },
  {
    file: 'main_returns.go', runtimeGoroutines: 4, compare: 'output',
    main: function* () {
      yield A.go(function* () { yield A.sleep(1e6); yield A.print('never'); });
      yield A.print('main returns');
    },
  },
  {
    file: 'goexit_main.go', runtimeGoroutines: 4, compare: 'fatal',
    main: function* () {
      yield A.go(function* () { yield A.sleep(1e6); yield A.print('other done'); });
      yield A.goexit();
    },
  },
  {
    file: 'deadlock_reasons.go', runtimeGoroutines: 3, compare: 'fatal',
    main: function* () {
      const mu = (yield A.mutex()) as A.MutexRef;
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.lock(mu, site(12));
      yield A.go(function* () { yield A.lock(mu, site(13, 'main.main.func1')); }, site(13));
      yield A.go(function* () { yield A.recv(null, site(16, 'main.main.func2')); }, site(14));
      yield A.go(function* () { yield A.select([], false, site(18, 'main.main.func3')); }, site(18));
      yield A.go(function* () { yield A.send(null, 1, site(21, 'main.main.func4')); }, site(19));
      yield A.wgAdd(wg, 1);
      yield A.sleep(1e6);
      yield A.wgWait(wg, site(25));
    },
  },
  {
    file: 'send_closed.go', runtimeGoroutines: 3, compare: 'fatal',
    main: function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      yield A.go(function* () { yield A.send(ch, 1, site(8, 'main.main.func1')); }, site(8));
      yield A.sleep(1e6);
      yield A.close(ch);
      yield A.sleep(1e6);
    },
  },
  {
    file: 'sleeper_then_deadlock.go', runtimeGoroutines: 3, compare: 'fatal',
    main: function* () {
      yield A.go(function* () { yield A.sleep(300e6); });
      yield A.recv(null, site(9));
    },
  },
  {
    file: 'thread_exhaustion.go', runtimeGoroutines: 3, compare: 'fatal',
    main: function* () {
      for (let i = 0; i < 20; i++) yield A.go(function* () { yield A.syscall(Infinity, 'read'); });
      yield A.sleep(1e9);
    },
  },
];

describe('agreement with the real Go 1.19 runtime (GOMAXPROCS=1)', function () {
  this.timeout(180_000);
  before(function () {
    if (!goAvailable) {
      // CI installs the Go toolchain (.ci/run); there a missing toolchain is a failure, not a skip.
      if (process.env.CI) throw new Error('the Go toolchain is required in CI (apt-get install golang-go)');
      console.warn('    (Go toolchain not found: oracle comparisons skipped; `apt-get install golang-go` to run them)');
      this.skip();
    }
  });

  for (const c of cases) {
    it(`${c.file}: the simulation prints what the real program prints`, () => {
      const real = runReal(c.file);
      const sim = simulate(c.main, { gomaxprocs: 1, goVersion: 19, runtimeGoroutines: c.runtimeGoroutines, maxThreads: c.file === 'thread_exhaustion.go' ? 6 : 10_000 });
      const simText = simulatedText(sim);
      if (c.compare === 'output') {
        assert.equal(simText, real.out);
        return;
      }
      // Fatal errors: the same output before, the same message, and the same goroutine headers (ids and wait reasons).
      const at = (t: string) => t.search(/(runtime: program exceeds|fatal error:|panic:) /);
      const ri = at(real.out);
      const si = at(simText);
      assert.ok(ri >= 0 && si >= 0, `both fail:\nreal:\n${real.out}\nsim:\n${simText}`);
      assert.equal(simText.slice(0, si), real.out.slice(0, ri), 'output before the failure');
      const firstLines = (t: string, n: number) => t.split('\n').slice(0, n).join('\n');
      const n = c.file === 'thread_exhaustion.go' ? 2 : 1;
      assert.equal(firstLines(simText.slice(si), n), firstLines(real.out.slice(ri), n));
      if (c.file !== 'thread_exhaustion.go') assert.deepEqual(headers(simText), headers(real.out));
      assert.equal(real.code, 2);
      assert.equal(sim.exit.code, 2);
    });
  }
});
