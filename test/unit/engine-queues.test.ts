// Run queues: runnext, the 256-slot local ring, overflow to the global queue, the global batch
// formula, the 1-in-61 fairness check, time-slice inheritance (runtime-facts §2, §4.5, §5).
import { strict as assert } from 'node:assert';
import { Loc, Why } from '../../src/core/trace/events';
import { A, Ev, events, run } from './helpers';

describe('run queues', () => {
  it('with GOMAXPROCS=1 five go statements then a block run in the order 4 0 1 2 3 (runnext is LIFO, the ring FIFO)', () => {
    const r = run(function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      for (let i = 0; i < 5; i++) yield A.go(function* () { yield A.print(`${i} `); yield A.send(ch, 0); });
      for (let i = 0; i < 5; i++) yield A.recv(ch);
    }, { gomaxprocs: 1 });
    assert.equal(r.output, '4 0 1 2 3 ');
    assert.equal(r.exit.reason, 'main-returned');
  });

  it('a new G goes into runnext and the G it displaces moves to the tail of the local ring', () => {
    const r = run(function* () {
      yield A.go(function* () {});
      yield A.go(function* () {});
      yield A.sleep(1000);
    }, { gomaxprocs: 1 });
    const enq = events(r, Ev.GoEnqueue).slice(0, 3);
    assert.deepEqual(enq.map((e) => [e.g, e.a, e.b]), [[6, Loc.Runnext, Why.Create], [7, Loc.Runnext, Why.Create], [6, Loc.LocalTail, Why.Kicked]]);
  });

  it('user goroutine ids start at 6 on one P (1 = main, 2–5 = runtime goroutines) and come from per-P batches of 16', () => {
    const r = run(function* () {
      for (let i = 0; i < 3; i++) yield A.go(function* () {});
    }, { gomaxprocs: 1 });
    assert.deepEqual(events(r, Ev.GoCreate).map((e) => e.g), [1, 6, 7, 8]);
  });

  it('a full local ring sends its older half (128) plus the new G to the global queue (runqputslow)', () => {
    const r = run(function* () {
      for (let i = 0; i < 300; i++) yield A.go(function* () { yield A.work(10); });
      yield A.sleep(1e6);
    }, { gomaxprocs: 1 });
    const ov = events(r, Ev.Overflow);
    assert.equal(ov.length, 1);
    assert.equal(ov[0]!.a, 129);
    // The 129 moved in FIFO order: the first 128 created after the first runnext kick, then the new one.
    const moved = events(r, Ev.GoEnqueue, (e) => e.a === Loc.GlobalTail && e.b === Why.Overflow).map((e) => e.g);
    assert.equal(moved.length, 129);
    for (let i = 1; i < 128; i++) assert.equal(moved[i]!, moved[i - 1]! + 1);
  });

  it('globrunqget takes min(size/GOMAXPROCS + 1, size, 128) and runs the first', () => {
    const r = run(function* () {
      for (let i = 0; i < 300; i++) yield A.go(function* () { yield A.work(10); });
      yield A.sleep(1e6);
    }, { gomaxprocs: 1 });
    const gets = events(r, Ev.GlobalGet, (e) => e.b === 0);
    assert.ok(gets.length > 0);
    // 129 went global; the 1-in-61 checks took one each before the local queue ran dry. With one
    // P the batch is the whole remaining queue, capped at 128.
    const fairBefore = events(r, Ev.GlobalGet, (e) => e.b === 1 && e.i < gets[0]!.i).length;
    const size = 129 - fairBefore;
    assert.equal(gets[0]!.a, Math.min(size, Math.floor(size / 1) + 1, 128));
    assert.ok(fairBefore >= 1);
  });

  it('every 61st schedtick a P takes one G from the global queue before its local work (fairness)', () => {
    const r = run(function* () {
      for (let i = 0; i < 300; i++) yield A.go(function* () { yield A.work(10); });
      yield A.sleep(1e6);
    }, { gomaxprocs: 1 });
    const fair = events(r, Ev.GlobalGet, (e) => e.b === 1);
    assert.ok(fair.length >= 1, 'a fairness check happened');
    assert.ok(fair.every((e) => e.a === 1), 'the fairness check takes exactly one G');
  });

  it('a G taken from runnext inherits the time slice: ping-pong through runnext does not advance schedtick', () => {
    const r = run(function* () {
      const a = (yield A.makechan(0)) as A.ChanRef;
      const b = (yield A.makechan(0)) as A.ChanRef;
      yield A.go(function* () { for (let i = 0; i < 50; i++) { yield A.recv(a); yield A.send(b, i); } });
      for (let i = 0; i < 50; i++) { yield A.send(a, i); yield A.recv(b); }
    }, { gomaxprocs: 1 });
    const starts = events(r, Ev.GoStart);
    const inherited = starts.filter((e) => e.a === 1).length;
    assert.ok(inherited >= 98, `most switches inherit the slice (${inherited}/${starts.length})`);
  });

  it('runtime.Gosched puts the G at the tail of the global queue: g2.0 g0.0 g1.0 g2.1 g0.1 g1.1', () => {
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 3);
      for (let g = 0; g < 3; g++) {
        yield A.go(function* () {
          for (let i = 0; i < 2; i++) { yield A.print(`g${g}.${i} `); yield A.gosched(); }
          yield A.wgDone(wg);
        });
      }
      yield A.wgWait(wg);
    }, { gomaxprocs: 1 });
    assert.equal(r.output, 'g2.0 g0.0 g1.0 g2.1 g0.1 g1.1 ');
    assert.ok(events(r, Ev.GoEnqueue, (e) => e.b === Why.Gosched).every((e) => e.a === Loc.GlobalTail));
  });
});
