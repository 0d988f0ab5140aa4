// The panel's model and layout, without a browser: what the diagram would show at an event is
// checked against the run itself (the engine's own result, the runtime's rules), and the layout
// keeps the DOM small whatever the number of goroutines.
import { strict as assert } from 'node:assert';
import * as A from '../../src/core/engine/actions';
import { simulate, type SimResult } from '../../src/core/engine/scheduler';
import { describeEvent } from '../../src/core/knowledge/narrate';
import { findScenario, runScenario } from '../../src/core/scenarios';
import { Ev, EventLog } from '../../src/core/trace/events';
import { computeStats } from '../../src/core/trace/stats';
import { buildIndex } from '../../src/core/trace/state';
import { cap, drawnGs, layout, limitsFor, LOCAL_QUEUE_CAPACITY } from '../../webview/layout';
import { FIRST_FRAME_PREFIX, PanelModel, parseFilter } from '../../webview/model';
import type { SimulationData } from '../../src/protocol';

function data(r: SimResult, source = ''): SimulationData {
  return {
    runId: 1, fileUri: 'file:///project/main.go', fileName: 'main.go', sourceLines: source.split('\n'),
    config: { gomaxprocs: r.config.gomaxprocs, seed: r.config.seed, goVersion: r.config.goVersion, asyncPreemption: true },
    log: r.log.toJSON(), exit: { ...r.exit }, goroutines: [], notes: [], truncated: false, wallMs: 0,
  };
}
const scenario = (name: string, procs?: number) => {
  const s = findScenario(name)!;
  const r = runScenario(s, procs ? { gomaxprocs: procs } : {});
  return { r, model: new PanelModel(data(r, s.source)) };
};
const firstEvent = (log: EventLog, kind: number, from = 0) => {
  for (let i = from; i < log.length; i++) if (log.kind(i) === kind) return i;
  return -1;
};

describe('panel layout', () => {
  it('cuts a list to what fits and counts the rest', () => {
    assert.deepEqual(cap([1, 2, 3], 5), { shown: [1, 2, 3], more: 0, total: 3 });
    assert.deepEqual(cap([1, 2, 3, 4, 5, 6], 4), { shown: [1, 2, 3, 4], more: 2, total: 6 });
    assert.deepEqual(cap([1, 2], 0), { shown: [], more: 2, total: 2 });
  });

  it('draws smaller cards with fewer chips when there are many Ps', () => {
    const few = limitsFor(4, 1200), many = limitsFor(64, 1200);
    assert.equal(few.compact, false);
    assert.equal(many.compact, true);
    assert.ok(many.runq < few.runq && many.runq >= 2);
    assert.ok(limitsFor(4, 320).global < limitsFor(4, 1600).global);
  });

  it('with 10 000 live goroutines, draws a bounded number of Gs and keeps every count exact', () => {
    const r = simulate(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      for (let i = 0; i < 10_000; i++) {
        yield A.wgAdd(wg, 1);
        yield A.go(function* () { yield A.work(20_000); yield A.sleep(5_000_000); yield A.work(20_000); yield A.wgDone(wg); });
      }
      yield A.wgWait(wg);
    }, { gomaxprocs: 8, seed: 1 });
    const model = new PanelModel(data(r));
    // The moment the most goroutines are alive.
    let best = 0, peak = 0;
    for (let i = 0; i < model.length; i += 1009) {
      const f = model.frame(i);
      if (f.alive > peak) { peak = f.alive; best = i; }
    }
    assert.ok(peak >= 5_000, `peak ${peak}`);
    // The first frames come from an index of a prefix of the log: they are the same frames.
    const early = new PanelModel(data(r));
    assert.equal(early.complete, false);
    const probes = [0, 1, 1000, FIRST_FRAME_PREFIX - 1];
    const before = probes.map((i) => early.frame(i));
    assert.equal(early.complete, false, 'frames inside the prefix need no more');
    assert.deepEqual(before, probes.map((i) => model.frame(i)));
    early.frame(FIRST_FRAME_PREFIX + 10);
    assert.equal(early.complete, true, 'a seek past the prefix folds the whole log');
    const f = model.frame(best);
    const l = layout(f, 1400, (g) => model.wakeTime(g, best));
    assert.ok(drawnGs(l).length <= 300, `${drawnGs(l).length} chips`);
    const counted = l.ps.reduce((n, p) => n + (p.running ? 1 : 0) + (p.runnext >= 0 ? 1 : 0) + p.runq.total, 0) + l.global.total + l.kernel.total +
      l.netpoll.total + l.sleeping.total + l.inFlight.total + l.waiting.reduce((n, w) => n + w.gs.total, 0);
    assert.equal(counted, f.alive, 'every live G is in exactly one place of the diagram');
    for (const p of l.ps) assert.equal(p.free, LOCAL_QUEUE_CAPACITY - p.runq.total);
  });
});

describe('panel model', () => {
  it('opens a serialized log of several chunks without copying it, and the log can still grow', () => {
    const src = new EventLog();
    const n = 65_536 * 2 + 1234;
    for (let i = 0; i < n; i++) src.push(i * 10, (i % 35) + 1 as never, i % 7, i % 5, i % 3, i, -i, i % 11);
    const wire = src.toJSON();
    const log = EventLog.fromJSON(wire);
    assert.equal(log.length, n);
    for (const i of [0, 65_535, 65_536, 131_071, 131_072, n - 1]) assert.deepEqual(log.get(i), src.get(i));
    assert.equal(log.upperBound(655_360), 65_537);
    log.push(n * 10, Ev.Note, -1, -1, -1, 0, 0, -1);
    assert.equal(log.length, n + 1);
    assert.equal(log.t(n), n * 10);
    assert.equal(log.t(n - 1), (n - 1) * 10, 'the copied tail kept its events');
  });

  it('forEachLive visits exactly the live goroutines stateAtEvent lists, with the same fields', () => {
    const { r } = scenario('syscall-handoff', 2);
    const ix = buildIndex(r.log, { keyframeEvery: 16 });
    for (const i of [-1, 0, 7, 40, 41, Math.floor(r.log.length / 2), r.log.length - 1, 3]) {
      const want = ix.stateAtEvent(i).gs.map((g) => [g.id, g.where, g.waitReason, g.p, g.m, g.site, g.createdSite]);
      const got: unknown[] = [];
      ix.forEachLive(i, (...fields) => got.push(fields));
      assert.deepEqual(got, want, `event ${i}`);
      assert.deepEqual(ix.stateAtEvent(i, { goroutines: false }).gs, []);
      assert.deepEqual({ ...ix.stateAtEvent(i, { goroutines: false }), gs: [] }, { ...ix.stateAtEvent(i), gs: [] });
    }
  });

  it('statistics at the playhead agree with the whole-run statistics at the end, whatever the seek order', () => {
    const { r, model } = scenario('goroutines-1000');
    const other = new PanelModel(data(r));
    const last = model.length - 1;
    const s = model.frame(last).stats;
    const whole = computeStats(r.log);
    for (const k of ['goroutinesCreated', 'steals', 'stolenGoroutines', 'handoffs', 'preemptions', 'contextSwitches', 'syscalls'] as const) assert.equal(s[k], whole[k], k);
    // Seeking backwards on a fresh model (checkpoints built out of order) gives the same figures.
    for (const i of [last, Math.floor(last / 2), 5, Math.floor(last / 3)]) assert.deepEqual(other.frame(i).stats, model.frame(i).stats);
    assert.equal(model.frame(last).finished, whole.goroutinesCreated - model.frame(last).alive);
  });

  it('per-P utilisation: four CPU-bound goroutines keep four Ps busy; one P takes turns and stays busy', () => {
    const four = scenario('cpu-bound', 4).model;
    const end4 = four.frame(four.length - 1);
    for (const p of end4.ps) assert.ok(p.utilisation > 0.8 && p.utilisation <= 1, `P${p.id} ${p.utilisation}`);
    const one = scenario('cpu-bound', 1).model;
    const end1 = one.frame(one.length - 1);
    assert.ok(end1.ps[0]!.utilisation > 0.9, `P0 ${end1.ps[0]!.utilisation}`);
    assert.equal(end4.ps.length, 4);
  });

  it('a running G is shown at the line it got to: main creating goroutines is at its go statement', () => {
    const s = findScenario('goroutines-1000')!;
    const r = runScenario(s, { gomaxprocs: 1 });
    const model = new PanelModel(data(r, s.source));
    const create = firstEvent(r.log, Ev.GoCreate, 5);
    assert.equal(r.log.a(create), 1, 'main creates it');
    const f = model.frame(create);
    const p = f.ps.find((q) => q.running?.g === 1)!;
    assert.ok(p, 'main runs');
    assert.match(p.running!.text, /^go func\(id int\)/);
    assert.equal(p.running!.fresh, false, 'main is at that line');
    // A new G that has not blocked or printed yet runs the function its go statement started.
    const childStart = (() => { for (let i = 0; i < r.log.length; i++) if (r.log.kind(i) === Ev.GoStart && r.log.g(i) !== 1) return i; return -1; })();
    const child = model.frame(childStart).ps.find((q) => q.running?.g === r.log.g(childStart))!.running!;
    assert.equal(child.fresh, true);
    assert.match(child.text, /^go func\(id int\)/);
  });

  it('a sleeping G is listed with the time its timer fires', () => {
    const r = simulate(function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      yield A.go(function* () { yield A.sleep(5_000_000); yield A.send(ch, 1); });
      yield A.recv(ch);
    }, { gomaxprocs: 2, seed: 1 });
    const model = new PanelModel(data(r));
    const block = (() => { for (let i = 0; i < r.log.length; i++) if (r.log.kind(i) === Ev.GoBlock && r.log.g(i) !== 1) return i; return -1; })();
    assert.ok(block > 0);
    const f = model.frame(block);
    assert.equal(f.sleeping.length, 1);
    const g = f.sleeping[0]!;
    const wake = model.wakeTime(g, block)!;
    assert.ok(wake >= r.log.t(block) + 5_000_000 && wake < r.log.t(block) + 5_100_000, `wakes at ${wake}, slept at ${r.log.t(block)}`);
    const fire = firstEvent(r.log, Ev.TimerFire);
    assert.equal(r.log.t(fire), wake);
    assert.deepEqual(model.frame(fire).sleeping, [g], 'the timer fires, then the G is readied');
    let ready = fire;
    while (!(r.log.kind(ready) === Ev.GoEnqueue && r.log.g(ready) === g)) ready++;
    assert.deepEqual(model.frame(ready).sleeping, [], 'awake once readied');
  });

  it('a blocking syscall puts the M and its G in the kernel lane and leaves the P in _Psyscall', () => {
    const { r, model } = scenario('syscall-handoff', 2);
    const i = firstEvent(r.log, Ev.GoSysEnter);
    const f = model.frame(i);
    assert.equal(f.kernel.length, 1);
    const k = f.kernel[0]!;
    assert.equal(k.g, r.log.g(i));
    assert.equal(k.m, r.log.m(i));
    assert.equal(k.cgo, false);
    assert.equal(k.what, r.log.strings[r.log.b(i)]);
    assert.equal(f.ps.find((p) => p.id === r.log.p(i))!.status, 'syscall');
    assert.ok(!f.ps.some((p) => p.running?.g === k.g), 'its G runs on no P');
    // sysmon retakes the P and handoffp starts an M for it: the card shows that M coming.
    const handoff = firstEvent(r.log, Ev.ProcHandoff);
    assert.ok(handoff > 0);
    const start = handoff + 1;
    assert.ok(r.log.kind(start) === Ev.MCreate || r.log.kind(start) === Ev.MWake);
    const card = model.frame(start).ps.find((p) => p.id === r.log.p(handoff))!;
    assert.equal(card.m, null);
    assert.equal(card.incomingM, r.log.m(start));
  });

  it('at a deadlock every goroutine waits, grouped by the wait reason the runtime prints', () => {
    const { r, model } = scenario('deadlock');
    const f = model.frame(model.length - 1);
    assert.equal(f.exit?.reason, 'deadlock');
    const byReason = new Map<string, number>();
    for (const g of r.goroutines) byReason.set(g.state, (byReason.get(g.state) ?? 0) + 1);
    assert.deepEqual(new Map(f.waiting.map((w) => [w.reason, w.gs.length])), byReason);
    assert.match(model.narrationAt(f.index)!.text, /all goroutines are asleep/);
  });

  it('steps to the next and previous instructive events (steal, preemption, syscall, netpoll, timer, exit)', () => {
    const { r, model } = scenario('work-stealing');
    const steal = firstEvent(r.log, Ev.Steal);
    let i = -1, guard = 0;
    while (i < steal && guard++ < 1000) i = model.nextInteresting(i);
    assert.equal(i, steal, 'the first steal is a stop');
    assert.equal(model.prevInteresting(model.nextInteresting(steal)), steal);
    assert.equal(model.nextInteresting(model.length - 1), -1);
  });

  it('filters the event log by goroutine (its own events and the wake-ups that name it), P, M and kind', () => {
    const { r, model } = scenario('runnext-order');
    assert.deepEqual(parseFilter('G5 p1, m2 junk'), { g: 5, p: 1, m: 2 });
    assert.deepEqual(parseFilter('', Ev.Steal), { kind: Ev.Steal });
    assert.equal(model.filter(parseFilter('')), null);
    const g = r.log.g(firstEvent(r.log, Ev.GoCreate, 1));
    const rows = model.filter(parseFilter(`g${g}`))!;
    assert.ok(rows.length > 2);
    for (const i of rows) assert.ok(r.log.g(i) === g || (r.log.kind(i) === Ev.Wake && r.log.b(i) === g));
    const creates = model.filter(parseFilter('', Ev.GoCreate))!;
    assert.equal(creates.length, computeStats(r.log).goroutinesCreated);
  });

  it('narration built lazily says the same thing whichever event is narrated first', () => {
    const s = findScenario('syscall-handoff')!;
    const a = runScenario(s, { gomaxprocs: 2 }).log;
    const b = runScenario(s, { gomaxprocs: 2 }).log;
    const forward = Array.from({ length: a.length }, (_, i) => describeEvent(a, i));
    for (let i = b.length - 1; i >= 0; i--) assert.equal(describeEvent(b, i), forward[i], `event ${i}`);
  });
});
