// Property tests on random programs: the scheduler's invariants hold after every event, and the
// same seed always gives the same event log.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as A from '../../src/core/engine/actions';
import { Scheduler } from '../../src/core/engine/scheduler';
import { logSignature } from './helpers';


type Op =
  | { k: 'work'; ns: number } | { k: 'send'; c: number } | { k: 'recv'; c: number } | { k: 'sleep'; ns: number }
  | { k: 'gosched' } | { k: 'syscall'; ns: number } | { k: 'netio'; ns: number } | { k: 'select'; a: number; b: number; def: boolean }
  | { k: 'lock' } | { k: 'close'; c: number } | { k: 'spawn'; ops: Op[] } | { k: 'wg' };

const leaf: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('work' as const), ns: fc.integer({ min: 0, max: 30e6 }) }),
  fc.record({ k: fc.constant('send' as const), c: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ k: fc.constant('recv' as const), c: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ k: fc.constant('sleep' as const), ns: fc.integer({ min: 0, max: 5e6 }) }),
  fc.record({ k: fc.constant('gosched' as const) }),
  fc.record({ k: fc.constant('syscall' as const), ns: fc.integer({ min: 0, max: 20e6 }) }),
  fc.record({ k: fc.constant('netio' as const), ns: fc.integer({ min: 0, max: 5e6 }) }),
  fc.record({ k: fc.constant('select' as const), a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 2 }), def: fc.boolean() }),
  fc.record({ k: fc.constant('lock' as const) }),
  fc.record({ k: fc.constant('close' as const), c: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ k: fc.constant('wg' as const) }),
);
const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof({ weight: 6, arbitrary: leaf }, { weight: 1, arbitrary: fc.record({ k: fc.constant('spawn' as const), ops: fc.array(leaf, { maxLength: 6 }) }) }),
  { maxLength: 12 },
);
const program = fc.record({
  procs: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer({ min: 1, max: 1e6 }),
  caps: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
  goroutines: fc.array(ops, { minLength: 1, maxLength: 8 }),
  main: ops,
});
type Program = typeof program extends fc.Arbitrary<infer T> ? T : never;

function build(p: Program): () => A.Body {
  return function* main(): A.Body {
    const chans: A.ChanRef[] = [];
    for (const c of p.caps) chans.push((yield A.makechan(c)) as A.ChanRef);
    const mu = (yield A.mutex()) as A.MutexRef;
    const wg = (yield A.waitgroup()) as A.WaitGroupRef;
    function* exec(list: Op[]): A.Body {
      for (const op of list) {
        try {
          switch (op.k) {
            case 'work': yield A.work(op.ns); break;
            case 'send': yield A.send(chans[op.c]!, 1); break;
            case 'recv': yield A.recv(chans[op.c]!); break;
            case 'sleep': yield A.sleep(op.ns); break;
            case 'gosched': yield A.gosched(); break;
            case 'syscall': yield A.syscall(op.ns, 'read'); break;
            case 'netio': yield A.netio(op.ns, 'read'); break;
            case 'select': yield A.select([{ dir: 'recv', ch: chans[op.a]! }, { dir: 'send', ch: chans[op.b]!, value: 2 }], op.def); break;
            case 'lock': yield A.lock(mu); yield A.work(1000); yield A.unlock(mu); break;
            case 'close': yield A.close(chans[op.c]!); break;
            case 'wg': yield A.wgAdd(wg, 1); yield A.go(function* () { yield A.work(500); yield A.wgDone(wg); }); yield A.wgWait(wg); break;
            case 'spawn': { const sub = op.ops; yield A.go(() => exec(sub)); break; }
          }
        } catch (e) {
          // Channel panics (send on / close of a closed channel) are recovered so the run goes on.
          if (!(e instanceof A.GoPanic)) throw e;
        }
      }
    }
    for (const g of p.goroutines) yield A.go(() => exec(g));
    yield* exec(p.main);
    yield A.sleep(50e6);
  };
}

const stats = { runs: 0, events: 0, reasons: {} as Record<string, number> };

function runChecked(p: Program): { sig: string; violations: string[]; reason: string } {
  const s = new Scheduler({ gomaxprocs: p.procs, seed: p.seed, maxVirtualTimeNs: 2e9, maxEvents: 200_000 });
  const violations: string[] = [];
  s.onEvent = (sch) => {
    if (violations.length) return;
    const v = sch.checkInvariants();
    if (v.length) violations.push(`at t=${sch.now} event ${sch.log.length}: ${v.join('; ')}`);
  };
  const r = s.run(build(p));
  stats.runs++;
  stats.events += r.log.length;
  stats.reasons[r.exit.reason] = (stats.reasons[r.exit.reason] ?? 0) + 1;
  return { sig: logSignature(r), violations, reason: r.exit.reason };
}

describe('scheduler properties on random programs', function () {
  this.timeout(180_000);
  it('after every event each G is in exactly one place, running Gs have an M with a P, ≤ GOMAXPROCS run, rings ≤ 256, none is lost', () => {
    fc.assert(
      fc.property(program, (p) => {
        const r = runChecked(p);
        assert.deepEqual(r.violations, []);
        assert.notEqual(r.reason, 'error', 'the simulator never fails internally');
      }),
      { numRuns: 150, seed: 42 },
    );
    // The generator must produce programs that exercise the scheduler, not trivial ones.
    assert.ok(stats.events / stats.runs > 50, `mean events per run ${stats.events / stats.runs}`);
    assert.ok(stats.reasons['main-returned'] && stats.reasons['deadlock'], JSON.stringify(stats.reasons));
  });

  it('the same seed gives the same event log, bit for bit', () => {
    fc.assert(
      fc.property(program, (p) => {
        assert.equal(runChecked(p).sig, runChecked(p).sig);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});

describe('the invariant checker', () => {
  it('notices a G that is in two places', () => {
    const s = new Scheduler({ gomaxprocs: 2 });
    let caught: string[] = [];
    s.onEvent = (sch) => {
      if (caught.length || sch.allg.length < 2) return;
      const g = sch.allg[1]!;
      if (sch.allp[0]!.runnext === g) {
        sch.globrunq.push(g); // corrupt the state on purpose
        caught = sch.checkInvariants();
        sch.globrunq.remove(g);
      }
    };
    s.run(function* () { yield A.go(function* () { yield A.work(10); }); yield A.work(1e5); });
    assert.ok(caught.some((v) => /in two places/.test(v)), caught.join('; '));
  });
});
