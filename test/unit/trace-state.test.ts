// stateAt(t) by keyframes + replay, checked against the engine itself: the engine's onEvent hook
// captures its real state (every P's runnext and ring, the global queue, every M and live G) after
// each engine step; the index built from the log must reproduce it exactly at that event index.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as A from '../../src/core/engine/actions';
import type { SimConfig } from '../../src/core/engine/config';
import { GStatus, MState, PStatus, Wait, type G } from '../../src/core/engine/entities';
import { Scheduler, type SimResult } from '../../src/core/engine/scheduler';
import { EV_NAMES, EventLog } from '../../src/core/trace/events';
import { buildIndex, eventDensity, type GView, type IndexOptions, type MView, type PView, type SchedState } from '../../src/core/trace/state';

// ---------------------------------------------------------------------------------------------
// The engine's state, in the index's shape

type GCore = Pick<GView, 'id' | 'state' | 'where' | 'waitReason' | 'p' | 'm'>;
interface Snap {
  i: number;
  gomaxprocs: number;
  ps: PView[];
  global: number[];
  ms: MView[];
  gs: GCore[];
  counters: { liveGoroutines: number; threads: number; spinningMs: number; idlePs: number; netpollWaiters: number; sleeping: number; globalQueue: number };
  output: string;
}

const P_NAME = { [PStatus.Idle]: 'idle', [PStatus.Running]: 'running', [PStatus.Syscall]: 'syscall', [PStatus.GCStop]: 'gcstop', [PStatus.Dead]: 'dead' } as const;
const M_NAME = {
  [MState.Running]: 'running', [MState.Waking]: 'waking', [MState.Syscall]: 'syscall', [MState.Netpoll]: 'netpoll', [MState.Idle]: 'idle',
  [MState.LockedIdle]: 'locked-idle', [MState.Dead]: 'dead', [MState.Sysmon]: 'sysmon', [MState.Sched]: 'running',
} as const;
/** Holding a P and looking for work (MState.Sched is the 3 µs steal back-off of a spinning M: not in the log). */
const inScheduler = (m: { state: number }) => m.state === MState.Running || m.state === MState.Sched;
const G_NAME = { [GStatus.Idle]: 'idle', [GStatus.Runnable]: 'runnable', [GStatus.Running]: 'running', [GStatus.Syscall]: 'syscall', [GStatus.Waiting]: 'waiting', [GStatus.Dead]: 'dead' } as const;

/** Reads the engine's state after a step (private fields through `any`: this is a test of the trace). */
function capture(s: Scheduler): Snap {
  const eng = s as any;
  const place = new Map<G, { where: GView['where']; p: number; m: number }>();
  const ps: PView[] = s.allp.map((p) => {
    const runq: number[] = [];
    for (let j = p.runqhead; j < p.runqtail; j++) {
      const g = p.runq[j % p.runq.length]!;
      runq.push(g.id);
      place.set(g, { where: 'local', p: p.id, m: -1 });
    }
    if (p.runnext) place.set(p.runnext, { where: 'runnext', p: p.id, m: -1 });
    return { id: p.id, status: P_NAME[p.status], m: p.m ? p.m.id : -1, runnext: p.runnext ? p.runnext.id : -1, runq, schedtick: p.schedtick, idleList: p.onIdleList };
  });
  const global = s.globrunq.toArray().map((g) => { place.set(g, { where: 'global', p: -1, m: -1 }); return g.id; });
  const allm = eng.allm as import('../../src/core/engine/entities').M[];
  const ms: MView[] = allm.map((m) => {
    if (m.curg && m.state === MState.Running) place.set(m.curg, { where: 'running', p: m.p ? m.p.id : -1, m: m.id });
    if (m.curg && m.state === MState.Syscall) place.set(m.curg, { where: 'syscall', p: m.oldp ? m.oldp.id : -1, m: m.id });
    return {
      id: m.id, state: m.spinning && inScheduler(m) ? 'spinning' : M_NAME[m.state], p: m.p ? m.p.id : -1,
      nextp: m.nextp ? m.nextp.id : -1, g: m.curg ? m.curg.id : -1, spinning: m.spinning, lockedg: m.lockedg ? m.lockedg.id : -1,
    };
  });
  const gs: GCore[] = [];
  for (const g of s.allg) {
    if (g.status === GStatus.Dead) continue;
    const pl = place.get(g) ?? {
      where: g.status === GStatus.Waiting ? (g.waitReason === Wait.IOWait ? 'netpoll' : 'waiting') : 'none', p: -1, m: -1,
    };
    gs.push({ id: g.id, state: G_NAME[g.status] as GView['state'], where: pl.where, waitReason: g.waitReason, p: pl.p, m: pl.m });
  }
  return {
    i: s.log.length - 1,
    gomaxprocs: s.gomaxprocs,
    ps, global, ms, gs,
    counters: {
      liveGoroutines: eng.liveGoroutines, threads: s.threads, spinningMs: allm.filter((m) => m.spinning).length, idlePs: s.npidle,
      netpollWaiters: eng.netpollWaiters, sleeping: s.allg.filter((g) => g.status === GStatus.Waiting && g.waitReason === Wait.Sleep).length,
      globalQueue: s.globrunq.length,
    },
    output: s.output,
  };
}

/** The index's state in the same shape. */
function project(st: SchedState): Snap {
  for (const p of st.ps) if (p.id >= st.gomaxprocs) assert.equal(p.status, 'dead', `P${p.id} beyond GOMAXPROCS must be dead`);
  const c = st.counters;
  return {
    i: st.eventIndex,
    gomaxprocs: st.gomaxprocs,
    ps: st.ps.filter((p) => p.id < st.gomaxprocs),
    global: st.global,
    ms: st.ms,
    gs: st.gs.map(({ id, state, where, waitReason, p, m }) => ({ id, state, where, waitReason, p, m })),
    counters: {
      liveGoroutines: c.liveGoroutines, threads: c.threads, spinningMs: c.spinningMs, idlePs: c.idlePs, netpollWaiters: c.netpollWaiters,
      sleeping: c.sleeping, globalQueue: c.globalQueue,
    },
    output: st.output,
  };
}

interface Captured { r: SimResult; snaps: Snap[] }

/** Runs the program, capturing the engine state after every step (or every `every`-th). */
function runCaptured(main: () => A.Body, cfg: Partial<SimConfig>, every = 1): Captured {
  const s = new Scheduler({ seed: 1, maxEvents: 200_000, maxVirtualTimeNs: 5e9, ...cfg });
  const snaps: Snap[] = [];
  let step = 0;
  s.onEvent = (sch) => { if (step++ % every === 0) snaps.push(capture(sch)); };
  const r = s.run(main);
  return { r, snaps };
}

/** Describes the events around i (for failure messages). */
function around(log: EventLog, i: number): string {
  const out: string[] = [];
  for (let j = Math.max(0, i - 6); j <= Math.min(log.length - 1, i + 1); j++) {
    const e = log.get(j);
    out.push(`${j === i ? '>' : ' '}${j} t=${e.t} ${EV_NAMES[e.kind]} g=${e.g} m=${e.m} p=${e.p} a=${e.a} b=${e.b} site=${e.site}`);
  }
  return out.join('\n');
}

/** Every captured step equals the replay at that event index (queried in order, then shuffled). */
function checkReplay({ r, snaps }: Captured, opts: IndexOptions = {}): void {
  const idx = buildIndex(r.log, opts);
  const cmp = (sn: Snap) => {
    const got = project(idx.stateAtEvent(sn.i));
    assert.deepStrictEqual(got, sn, `replay differs from the engine after event ${sn.i}:\n${around(r.log, sn.i)}`);
  };
  for (const sn of snaps) cmp(sn);
  // Random access: every query restores a keyframe.
  const order = snaps.map((_, j) => j);
  for (let j = order.length - 1; j > 0; j--) {
    const k = (j * 7919 + 13) % (j + 1);
    [order[j], order[k]] = [order[k]!, order[j]!];
  }
  for (const j of order.slice(0, 200)) cmp(snaps[j]!);
}

function check(main: () => A.Body, cfg: Partial<SimConfig>, every = 1): Captured {
  const c = runCaptured(main, cfg, every);
  checkReplay(c);
  checkReplay(c, { keyframeEvery: 7 });
  return c;
}

// ---------------------------------------------------------------------------------------------
// Programs

function* orderProgram(): A.Body {
  const ch = (yield A.makechan(0)) as A.ChanRef;
  for (let i = 0; i < 5; i++) yield A.go(function* () { yield A.print(`${i} `); yield A.send(ch, i); });
  for (let i = 0; i < 5; i++) yield A.recv(ch);
}

function pipeline(workers: number, items: number) {
  return function* (): A.Body {
    const jobs = (yield A.makechan(4)) as A.ChanRef;
    const results = (yield A.makechan(0)) as A.ChanRef;
    const wg = (yield A.waitgroup()) as A.WaitGroupRef;
    yield A.wgAdd(wg, workers);
    for (let w = 0; w < workers; w++) {
      yield A.go(function* () {
        for (;;) {
          const r = (yield A.recv(jobs)) as A.RecvResult;
          if (!r.ok) break;
          yield A.work(2_000 + (r.value as number) * 300);
          if ((r.value as number) % 3 === 0) yield A.gosched();
          yield A.send(results, r.value);
        }
        yield A.wgDone(wg);
      });
    }
    yield A.go(function* () {
      for (let i = 0; i < items; i++) yield A.send(jobs, i);
      yield A.close(jobs);
    });
    let sum = 0;
    for (let i = 0; i < items; i++) sum += ((yield A.recv(results)) as A.RecvResult).value as number;
    yield A.wgWait(wg);
    yield A.print(`sum=${sum}\n`);
  };
}

function* sleepers(): A.Body {
  const wg = (yield A.waitgroup()) as A.WaitGroupRef;
  for (let i = 0; i < 12; i++) {
    yield A.wgAdd(wg, 1);
    yield A.go(function* () {
      yield A.sleep(10_000 * (i % 4 + 1));
      yield A.work(5_000);
      yield A.gosched();
      yield A.sleep(1_000);
      yield A.wgDone(wg);
    });
  }
  yield A.wgWait(wg);
}

function* syscalls(): A.Body {
  const wg = (yield A.waitgroup()) as A.WaitGroupRef;
  for (let i = 0; i < 6; i++) {
    yield A.wgAdd(wg, 1);
    yield A.go(function* () {
      yield A.work(3_000);
      // Long enough for sysmon to retake the P (hand-off), short ones return on the fast path.
      yield A.syscall(i % 2 ? 2_000_000 : 500, 'read');
      yield A.cgo(i % 3 ? 30_000 : 200, 'C.sqrt');
      yield A.work(1_000);
      yield A.wgDone(wg);
    });
  }
  for (let i = 0; i < 10; i++) yield A.go(function* () { yield A.work(50_000); });
  yield A.wgWait(wg);
}

function* network(): A.Body {
  const done = (yield A.makechan(0)) as A.ChanRef;
  for (let i = 0; i < 8; i++) {
    yield A.go(function* () {
      yield A.netio(20_000 + i * 7_000, 'read');
      yield A.work(2_000);
      yield A.netio(5_000_000, 'read'); // long enough for sysmon's 10 ms netpoll
      yield A.send(done, i);
    });
  }
  for (let i = 0; i < 8; i++) yield A.recv(done);
}

function overflow(n: number) {
  return function* (): A.Body {
    const wg = (yield A.waitgroup()) as A.WaitGroupRef;
    yield A.wgAdd(wg, n);
    for (let i = 0; i < n; i++) yield A.go(function* () { yield A.work(500 + (i % 7) * 100); yield A.wgDone(wg); });
    yield A.wgWait(wg);
  };
}

function* resize(): A.Body {
  const wg = (yield A.waitgroup()) as A.WaitGroupRef;
  const spawn = function* (n: number): A.Body {
    yield A.wgAdd(wg, n);
    for (let i = 0; i < n; i++) yield A.go(function* () { yield A.work(20_000); yield A.syscall(40_000, 'write'); yield A.work(5_000); yield A.wgDone(wg); });
  };
  yield* spawn(40);
  yield A.work(30_000);
  yield A.gomaxprocs(2);
  yield* spawn(20);
  yield A.work(10_000);
  yield A.gomaxprocs(6);
  yield* spawn(30);
  yield A.work(10_000);
  yield A.gomaxprocs(1);
  yield A.wgWait(wg);
}

function* locked(): A.Body {
  const ch = (yield A.makechan(0)) as A.ChanRef;
  yield A.go(function* () {
    yield A.lockOSThread();
    for (let i = 0; i < 3; i++) {
      yield A.recv(ch);
      yield A.work(4_000);
    }
    // Ends locked: its thread exits with it.
  });
  yield A.go(function* () {
    yield A.lockOSThread();
    yield A.work(1_000);
    yield A.unlockOSThread();
    yield A.work(1_000);
  });
  for (let i = 0; i < 6; i++) yield A.go(function* () { yield A.work(3_000); });
  for (let i = 0; i < 3; i++) { yield A.send(ch, i); yield A.work(2_000); }
  yield A.sleep(100_000);
}

function* contention(): A.Body {
  const mu = (yield A.mutex()) as A.MutexRef;
  const wg = (yield A.waitgroup()) as A.WaitGroupRef;
  const tick = (yield A.ticker(30_000)) as A.TimerRef;
  const quit = (yield A.makechan(0)) as A.ChanRef;
  yield A.go(function* () {
    for (;;) {
      const r = (yield A.select([{ dir: 'recv', ch: tick.c }, { dir: 'recv', ch: quit }])) as A.SelectResult;
      if (r.index === 1) return;
      yield A.work(1_000);
    }
  });
  for (let i = 0; i < 8; i++) {
    yield A.wgAdd(wg, 1);
    yield A.go(function* () {
      for (let j = 0; j < 5; j++) {
        yield A.lock(mu);
        yield A.work(400_000); // long holds push waiters past 1 ms: starvation mode hand-offs
        yield A.unlock(mu);
      }
      yield A.wgDone(wg);
    });
  }
  yield A.wgWait(wg);
  yield A.close(quit);
  yield A.recv((yield A.after(50_000)) as unknown as A.ChanRef);
}

function* cpuBound(): A.Body {
  for (let i = 0; i < 3; i++) yield A.go(function* () { yield A.work(25_000_000, undefined, true); yield A.print(`done ${i}\n`); });
  yield A.work(30_000_000);
  yield A.sleep(40_000_000);
}

function* deadlock(): A.Body {
  const ch = (yield A.makechan(0)) as A.ChanRef;
  yield A.go(function* () { yield A.sleep(5_000); yield A.recv(ch); });
  yield A.recv(ch);
}

describe('trace state: stateAt by keyframes and replay', () => {
  it('reproduces the engine at every step of the GOMAXPROCS=1 order program', () => {
    const c = check(orderProgram, { gomaxprocs: 1 });
    assert.equal(c.r.output, '4 0 1 2 3 ');
    const st = buildIndex(c.r.log).stateAtEvent(c.r.log.length - 1);
    assert.equal(st.output, '4 0 1 2 3 ');
    assert.equal(st.exit?.reason, 'main-returned');
  });

  for (const procs of [1, 2, 4]) {
    it(`channels, WaitGroup and Gosched with GOMAXPROCS=${procs}`, () => { check(pipeline(5, 40), { gomaxprocs: procs }); });
    it(`sleeps with GOMAXPROCS=${procs}`, () => { check(sleepers, { gomaxprocs: procs }); });
    it(`syscalls and cgo (retake, hand-off, slow exits) with GOMAXPROCS=${procs}`, () => { check(syscalls, { gomaxprocs: procs }); });
    it(`netpoller parks with GOMAXPROCS=${procs}`, () => { check(network, { gomaxprocs: procs }); });
  }

  it('local ring overflow past 256 slots and global batches (GOMAXPROCS=1)', () => { check(overflow(600), { gomaxprocs: 1 }, 3); });
  it('overflow and steals with GOMAXPROCS=4', () => {
    const c = check(overflow(700), { gomaxprocs: 4 }, 3);
    let steals = 0;
    for (let i = 0; i < c.r.log.length; i++) if (EV_NAMES[c.r.log.kind(i)] === 'Steal') steals++;
    assert.ok(steals > 0, 'the program should steal');
  });
  it('GOMAXPROCS changes (shrink, grow, shrink to 1) with work in syscalls', () => { check(resize, { gomaxprocs: 4 }); });
  it('LockOSThread: locked Ms, hand-offs to them, a thread exit', () => { check(locked, { gomaxprocs: 2 }); });
  it('mutex starvation hand-offs, tickers, select and timers (Go 1.19 and newest)', () => {
    check(contention, { gomaxprocs: 2, goVersion: 19 });
    check(contention, { gomaxprocs: 3 });
  });
  it('async and cooperative preemption', () => {
    check(cpuBound, { gomaxprocs: 2 });
    check(cpuBound, { gomaxprocs: 1, asyncPreemption: false });
  });
  // Regression: stop-the-world used to put an M locked to a G on the idle-M list; wakep then
  // woke it as a spinning M and the leaked nmspinning stopped other Ms from stealing.
  it('a locked M stopped by stop-the-world parks locked-idle, not on the idle-M list', () => {
    check(function* () {
      yield A.go(function* () { yield A.lockOSThread(); yield A.work(5_000_000); });
      yield A.work(30_000); // G6 now runs locked to M2 on P1
      yield A.gomaxprocs(3); // STW: G6 → global queue, M2 parks locked-idle
      yield A.sleep(1_000_000);
    }, { gomaxprocs: 2 });
  });

  it('a deadlock exit', () => {
    const c = check(deadlock, { gomaxprocs: 2 });
    assert.equal(buildIndex(c.r.log).stateAtEvent(Infinity).exit?.reason, 'deadlock');
  });

  it('stateAt(t) is the state after the last event at or before t', () => {
    const { r } = runCaptured(pipeline(4, 30), { gomaxprocs: 2 });
    const idx = buildIndex(r.log, { keyframeEvery: 50 });
    const end = r.log.t(r.log.length - 1);
    const times = [-1, 0, end, end + 1e9];
    for (let j = 0; j < 200; j++) times.push(((j * 7919) % 1000) / 1000 * end);
    for (let j = 0; j < 50; j++) times.push(r.log.t((j * 104729) % r.log.length)); // exact event times
    for (const t of times) {
      const a = idx.stateAt(t);
      const b = idx.stateAtEvent(r.log.upperBound(t) - 1);
      assert.equal(a.time, t);
      assert.deepStrictEqual({ ...a, time: 0 }, { ...b, time: 0 });
    }
    const first = idx.stateAt(-1);
    assert.equal(first.eventIndex, -1);
    assert.equal(first.gs.length, 0);
    assert.deepEqual(first.ms.map((m) => m.state), ['running', 'sysmon']);
    assert.equal(first.ps.length, 2);
  });

  it('goroutineAt follows one G through its life, dead ones included', () => {
    const { r } = runCaptured(orderProgram, { gomaxprocs: 1 });
    const idx = buildIndex(r.log);
    assert.equal(idx.goroutineAt(6, 0), null);
    const states = new Set<string>();
    for (let i = 0; i < r.log.length; i++) {
      const g = idx.goroutineAt(6, i);
      if (g) states.add(`${g.state}/${g.where}`);
    }
    assert.ok(states.has('runnable/runnext') && states.has('runnable/local') && states.has('running/running'));
    assert.ok(states.has('dead/dead'));
    assert.equal(idx.goroutineAt(6, r.log.length - 1)?.state, 'dead');
    assert.equal(idx.goroutines, 6);
  });

  it('keyframes stay few: at most one per max(4096, 8 × state) events', () => {
    const { r } = runCaptured(overflow(2000), { gomaxprocs: 2 }, 1_000_000);
    const idx = buildIndex(r.log);
    assert.ok(idx.keyframes <= 1 + Math.ceil(r.log.length / 4096), `${idx.keyframes} keyframes for ${r.log.length} events`);
  });

  it('eventDensity counts every event once', () => {
    const { r } = runCaptured(pipeline(4, 30), { gomaxprocs: 2 });
    const d = eventDensity(r.log, 37);
    assert.equal(d.length, 37);
    assert.equal(d.reduce((s, x) => s + x, 0), r.log.length);
    const end = r.log.t(r.log.length - 1);
    const half = eventDensity(r.log, 10, end / 2, end);
    let inHalf = 0;
    for (let i = 0; i < r.log.length; i++) if (r.log.t(i) >= end / 2) inHalf++;
    assert.equal(half.reduce((s, x) => s + x, 0), inHalf);
    assert.equal(eventDensity(new EventLog(), 4).reduce((s, x) => s + x, 0), 0);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random programs

type Op =
  | { k: 'work'; ns: number } | { k: 'go'; body: Op[] } | { k: 'loop'; n: number; body: Op[] } | { k: 'send'; ch: number }
  | { k: 'recv'; ch: number } | { k: 'select'; a: number; b: number; dflt: boolean } | { k: 'sleep'; ns: number }
  | { k: 'gosched' } | { k: 'syscall'; ns: number; cgo: boolean } | { k: 'netio'; ns: number } | { k: 'mutex'; ns: number }
  | { k: 'locked'; body: Op[]; unlock: boolean } | { k: 'print' } | { k: 'procs'; n: number };

const ch = fc.integer({ min: 0, max: 2 });
const opArb = fc.letrec<{ op: Op; body: Op[] }>((tie) => ({
  op: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('work' as const), ns: fc.oneof(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 5_000_000, max: 25_000_000 })) }),
    fc.record({ k: fc.constant('go' as const), body: tie('body') }),
    fc.record({ k: fc.constant('loop' as const), n: fc.integer({ min: 1, max: 150 }), body: tie('body') }),
    fc.record({ k: fc.constant('send' as const), ch }),
    fc.record({ k: fc.constant('recv' as const), ch }),
    fc.record({ k: fc.constant('select' as const), a: ch, b: ch, dflt: fc.boolean() }),
    fc.record({ k: fc.constant('sleep' as const), ns: fc.integer({ min: 1, max: 60_000 }) }),
    fc.constant({ k: 'gosched' as const }),
    fc.record({
      k: fc.constant('syscall' as const), ns: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 20_000, max: 3_000_000 })), cgo: fc.boolean(),
    }),
    fc.record({ k: fc.constant('netio' as const), ns: fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 10_000_000, max: 15_000_000 })) }),
    fc.record({ k: fc.constant('mutex' as const), ns: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 300_000, max: 1_500_000 })) }),
    fc.record({ k: fc.constant('locked' as const), body: tie('body'), unlock: fc.boolean() }),
    fc.constant({ k: 'print' as const }),
    fc.record({ k: fc.constant('procs' as const), n: fc.integer({ min: 1, max: 4 }) }),
  ),
  body: fc.array(tie('op'), { maxLength: 6 }),
}));

interface Objs { chans: A.ChanRef[]; mu: A.MutexRef }

function* bodyOf(ops: Op[], o: Objs): A.Body {
  for (const op of ops) {
    switch (op.k) {
      case 'work': yield A.work(op.ns); break;
      case 'go': yield A.go(() => bodyOf(op.body, o)); break;
      case 'loop': for (let i = 0; i < op.n; i++) yield* bodyOf(op.body, o); break;
      case 'send': yield A.send(o.chans[op.ch]!, 1); break;
      case 'recv': yield A.recv(o.chans[op.ch]!); break;
      case 'select': yield A.select([{ dir: 'recv', ch: o.chans[op.a]! }, { dir: 'send', ch: o.chans[op.b]!, value: 1 }], op.dflt); break;
      case 'sleep': yield A.sleep(op.ns); break;
      case 'gosched': yield A.gosched(); break;
      case 'syscall': yield op.cgo ? A.cgo(op.ns, 'C.f') : A.syscall(op.ns, 'read'); break;
      case 'netio': yield A.netio(op.ns, 'read'); break;
      case 'mutex': yield A.lock(o.mu); yield A.work(op.ns); yield A.unlock(o.mu); break;
      case 'locked':
        yield A.lockOSThread();
        yield* bodyOf(op.body, o);
        if (op.unlock) yield A.unlockOSThread();
        break;
      case 'print': yield A.print('x'); break;
      case 'procs': yield A.gomaxprocs(op.n); break;
    }
  }
}


/** A random program: three channels (unbuffered, 1, 3) and a mutex shared by every goroutine. */
const programArb = fc.array(fc.oneof(opArb.op, fc.record({ k: fc.constant('go' as const), body: opArb.body })), { maxLength: 14 });
function randomMain(ops: Op[]): () => A.Body {
  return function* () {
    const chans: A.ChanRef[] = [];
    for (const cap of [0, 1, 3]) chans.push((yield A.makechan(cap)) as A.ChanRef);
    const mu = (yield A.mutex()) as A.MutexRef;
    yield* bodyOf(ops, { chans, mu });
    yield A.sleep(200_000); // let the others run before main returns
  };
}

describe('trace state: property', function () {
  // 150 random programs take about a second; allow for a loaded CI machine.
  this.timeout(180_000);
  it('replay equals the engine at every step of random programs', () => {
    fc.assert(
      fc.property(
        programArb,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        fc.constantFrom(19, 22, 26),
        fc.boolean(),
        (ops, procs, seed, goVersion, asyncPreemption) => {
          const c = runCaptured(randomMain(ops), { gomaxprocs: procs, seed, goVersion, asyncPreemption, maxEvents: 30_000, maxVirtualTimeNs: 2e9 });
          checkReplay(c, { keyframeEvery: 11 });
        },
      ),
      { numRuns: Number(process.env.TRACE_STATE_RUNS ?? 150) },
    );
  });
});
