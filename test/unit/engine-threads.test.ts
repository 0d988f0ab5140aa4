// Ms and Ps: wakep and spinning, work stealing, sysmon preemption, syscalls and hand-off, cgo,
// the thread limit, the netpoller, LockOSThread, GOMAXPROCS (runtime-facts §3, §4.4, §6, §7, §8, §13).
import { strict as assert } from 'node:assert';
import { HandoffWhy, Loc, SysExit, Why } from '../../src/core/trace/events';
import { computeStats } from '../../src/core/trace/stats';
import { A, Ev, events, run } from './helpers';

function* spawnWorkers(n: number, ns: number, wg: A.WaitGroupRef): A.Body {
  yield A.wgAdd(wg, n);
  for (let i = 0; i < n; i++) yield A.go(function* () { yield A.work(ns); yield A.wgDone(wg); });
}

describe('threads, spinning and stealing', () => {
  it('a go statement with an idle P and no spinning M starts exactly one spinning M (wakep)', () => {
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield* spawnWorkers(3, 1e6, wg);
      yield A.wgWait(wg);
    }, { gomaxprocs: 4 });
    const starts = [...events(r, Ev.MCreate), ...events(r, Ev.MWake)].sort((a, b) => a.i - b.i);
    // Three go statements in 750 ns, before the first new thread is up: only the first one starts an M.
    assert.equal(starts.filter((e) => e.t < 1000).length, 1);
    assert.equal(starts[0]!.a, 1, 'started spinning');
  });

  it('a spinning M that finds work wakes the next one (resetspinning → wakep), ramping up one thread at a time', () => {
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield* spawnWorkers(8, 5e6, wg);
      yield A.wgWait(wg);
    }, { gomaxprocs: 4 });
    const creates = events(r, Ev.MCreate);
    assert.equal(creates.length, 3, 'three more threads for three more Ps');
    for (let i = 1; i < creates.length; i++) assert.ok(creates[i]!.t > creates[i - 1]!.t, 'one after another, not a herd');
  });

  it('an idle P steals half (rounded up) of a busy P\'s local queue, oldest first', () => {
    const ringBefore: number[] = [];
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield* spawnWorkers(20, 1e6, wg);
      yield A.wgWait(wg);
    }, { gomaxprocs: 2 });
    const steals = events(r, Ev.Steal, (e) => e.site === 0);
    assert.ok(steals.length > 0);
    const first = steals[0]!;
    // Ring size of the victim just before: count Gs enqueued to it minus those that left, from the log.
    void ringBefore;
    const enqueued = events(r, Ev.GoEnqueue, (e) => e.p === first.b && e.a === Loc.LocalTail && e.i < first.i).length;
    const left = events(r, Ev.GoStart, (e) => e.p === first.b && e.i < first.i).length - 1; // main's own start
    const size = enqueued - Math.max(0, left - 1); // one start came from runnext
    assert.equal(first.a, size - Math.floor(size / 2));
    const moved = events(r, Ev.GoEnqueue, (e) => e.b === Why.Steal && e.i > first.i && e.i <= first.i + first.a - 1);
    assert.equal(moved.length, first.a - 1, 'the others go to the thief\'s ring; the last one runs');
    assert.ok(computeStats(r.log).steals >= 1);
  });

  it('a thief takes a running P\'s runnext only on the last pass and after a 3 µs back-off', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.work(100); });
      yield A.work(1e6); // keeps P0 busy; the new G sits in runnext
    }, { gomaxprocs: 2 });
    const st = events(r, Ev.Steal);
    assert.equal(st.length, 1);
    assert.equal(st[0]!.site, 1, 'stolen from runnext');
    const end = events(r, Ev.GoEnd, (e) => e.g === st[0]!.g)[0]!;
    assert.ok(end.t - st[0]!.t >= 3000 + 100, 'the thief waited 3 µs before running it');
  });

  it('spinning Ms never exceed half the busy Ps when they start spinning', () => {
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      for (let k = 0; k < 20; k++) { yield* spawnWorkers(1, 2e5, wg); yield A.work(1e5); }
      yield A.wgWait(wg);
    }, { gomaxprocs: 8 });
    let spinning = 0;
    let max = 0;
    for (const e of events(r, Ev.MSpin)) {
      spinning += e.a === 1 ? 1 : -1;
      max = Math.max(max, spinning);
    }
    for (const e of [...events(r, Ev.MCreate), ...events(r, Ev.MWake)]) if (e.a === 1) max = Math.max(max, 1);
    assert.ok(max <= 8);
  });
});

describe('sysmon and preemption', () => {
  it('a tight loop on GOMAXPROCS=1 is preempted asynchronously after 10–20 ms and goes to the global queue', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.work(Infinity, undefined, true); });
      yield A.sleep(1e6);
      yield A.print('main resumed');
    }, { gomaxprocs: 1, maxVirtualTimeNs: 1e9 });
    assert.equal(r.output, 'main resumed');
    assert.equal(r.exit.reason, 'main-returned');
    const pre = events(r, Ev.GoPreempt, (e) => e.a === 0);
    assert.ok(pre.length >= 1);
    assert.ok(pre[0]!.t >= 10e6 && pre[0]!.t <= 21e6, `preempted at ${pre[0]!.t / 1e6} ms`);
    const back = events(r, Ev.GoEnqueue, (e) => e.g === pre[0]!.g && e.i > pre[0]!.i)[0]!;
    assert.equal(back.a, Loc.GlobalTail);
    assert.equal(back.b, Why.Preempt);
  });

  it('with async preemption off (Go ≤ 1.13) a loop without function calls is never preempted', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.work(Infinity, undefined, true); });
      yield A.sleep(1e6);
      yield A.print('main resumed');
    }, { gomaxprocs: 1, asyncPreemption: false, maxVirtualTimeNs: 200e6 });
    assert.equal(r.output, '');
    assert.equal(r.exit.reason, 'budget');
    assert.equal(events(r, Ev.GoPreempt).length, 0);
  });

  it('with async preemption off, code that calls functions is preempted at its next safe point', () => {
    const r = run(function* () {
      yield A.go(function* () { for (;;) yield A.work(1e6); });
      yield A.sleep(1e6);
      yield A.print('main resumed');
    }, { gomaxprocs: 1, asyncPreemption: false, maxVirtualTimeNs: 200e6 });
    assert.equal(r.output, 'main resumed');
    assert.ok(events(r, Ev.GoPreempt, (e) => e.a === 1).length >= 1);
  });

  it('CPU-bound goroutines sharing one P get 10–20 ms slices (sysmon at its 10 ms period)', () => {
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield* spawnWorkers(2, 200e6, wg);
      yield A.wgWait(wg);
    }, { gomaxprocs: 1, maxVirtualTimeNs: 10e9 });
    const pre = events(r, Ev.GoPreempt);
    assert.ok(pre.length >= 10);
    const gaps = pre.slice(2).map((e, i) => e.t - pre[i + 1]!.t);
    for (const gap of gaps) assert.ok(gap >= 10e6 && gap <= 21e6, `slice ${gap / 1e6} ms`);
    // sysmon notes the new schedtick at one 10 ms tick and preempts at the next, so a slice that
    // starts on a tick lasts 20 ms: the real Go 1.19 median here is 20.2 ms (runtime-facts §6.4).
    const sorted = [...gaps].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1]!;
    assert.ok(median >= 18e6 && median <= 21e6, `median slice ${median / 1e6} ms`);
  });
});

describe('syscalls, cgo and threads', () => {
  it('a P stuck in a syscall is handed off when there is other work (retake + handoffp)', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.work(100e3); yield A.print('other ran '); });
      yield A.syscall(5e6, 'read');
      yield A.print('syscall returned');
    }, { gomaxprocs: 1 });
    const retake = events(r, Ev.SysmonRetake);
    assert.equal(retake.length, 1);
    assert.ok(retake[0]!.t < 100e3, `retaken after ${retake[0]!.t / 1e3} µs, within a few sysmon ticks`);
    assert.equal(r.output, 'other ran syscall returned');
    assert.ok(computeStats(r.log).handoffs >= 1);
    assert.ok(computeStats(r.log).peakThreads >= 3);
  });

  it('a short syscall with nothing else to do keeps its P (fast exit path on the old P)', () => {
    const r = run(function* () {
      yield A.syscall(1e6, 'read');
    }, { gomaxprocs: 2 });
    assert.equal(events(r, Ev.SysmonRetake).length, 0);
    assert.deepEqual(events(r, Ev.GoSysExit).map((e) => e.a), [SysExit.FastOldP]);
  });

  it('a syscall longer than 10 ms loses its P even with no other work', () => {
    const r = run(function* () {
      yield A.syscall(30e6, 'read');
    }, { gomaxprocs: 2 });
    const retake = events(r, Ev.SysmonRetake);
    assert.equal(retake.length, 1);
    assert.ok(retake[0]!.t >= 10e6 && retake[0]!.t < 21e6);
    assert.notEqual(events(r, Ev.GoSysExit)[0]!.a, SysExit.FastOldP);
  });

  it('a syscall that returns to no free P puts its G on the global queue and its M goes idle', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.work(50e6); });
      yield A.syscall(5e6, 'read');
      yield A.print('back');
    }, { gomaxprocs: 1, maxVirtualTimeNs: 1e9 });
    const exit = events(r, Ev.GoSysExit)[0]!;
    assert.equal(exit.a, SysExit.Slow);
    const enq = events(r, Ev.GoEnqueue, (e) => e.i > exit.i && e.g === 1)[0]!;
    assert.equal(enq.a, Loc.GlobalTail);
    assert.equal(enq.b, Why.SyscallExit);
    assert.equal(r.output, 'back');
  });

  it('each concurrent blocking syscall holds a thread: 20 readers need 20+ threads', () => {
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 20);
      for (let i = 0; i < 20; i++) yield A.go(function* () { yield A.syscall(50e6, 'read'); yield A.wgDone(wg); });
      yield A.wgWait(wg);
    }, { gomaxprocs: 2, maxVirtualTimeNs: 2e9 });
    assert.equal(r.exit.reason, 'main-returned');
    assert.ok(computeStats(r.log).peakThreads >= 22, `peak threads ${computeStats(r.log).peakThreads}`);
  });

  it('a cgo call blocks its thread exactly like a syscall', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.work(100e3); });
      yield A.cgo(5e6, 'C.sleep');
    }, { gomaxprocs: 1 });
    assert.equal(events(r, Ev.GoSysEnter)[0]!.a, 1);
    assert.equal(events(r, Ev.SysmonRetake).length, 1);
  });

  it('more threads than debug.SetMaxThreads ends the program with thread exhaustion', () => {
    const r = run(function* () {
      for (let i = 0; i < 20; i++) yield A.go(function* () { yield A.syscall(1e9, 'read'); });
      yield A.sleep(10e9);
    }, { gomaxprocs: 1, maxThreads: 6 });
    assert.equal(r.exit.reason, 'thread-exhaustion');
    assert.equal(r.exit.message, 'runtime: program exceeds 6-thread limit\nfatal error: thread exhaustion');
    assert.equal(r.exit.code, 2);
  });
});

describe('netpoller', () => {
  it('a netpoll wait holds no thread: 200 connections waiting on the network use a handful of Ms', () => {
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 200);
      for (let i = 0; i < 200; i++) {
        yield A.go(function* () { yield A.netio(5e6 + i * 1000, 'conn.Read'); yield A.work(2000); yield A.wgDone(wg); });
      }
      yield A.wgWait(wg);
    }, { gomaxprocs: 2 });
    assert.equal(r.exit.reason, 'main-returned');
    assert.ok(computeStats(r.log).peakThreads <= 5, `peak threads ${computeStats(r.log).peakThreads}`);
    assert.equal(events(r, Ev.GoNetpollPark).length, 200);
  });

  it('Gs made ready by netpoll are injected into queues, never into runnext', () => {
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield A.wgAdd(wg, 5);
      for (let i = 0; i < 5; i++) yield A.go(function* () { yield A.netio(1e6, 'read'); yield A.wgDone(wg); });
      yield A.wgWait(wg);
    }, { gomaxprocs: 2 });
    const injected = events(r, Ev.GoEnqueue, (e) => e.b === Why.Inject);
    const polled = events(r, Ev.Netpoll).reduce((n, e) => n + e.a, 0);
    assert.equal(polled, 5);
    assert.ok(injected.every((e) => e.a !== Loc.Runnext));
  });

  it('sysmon polls the network when nobody has for 10 ms', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.netio(1e6, 'read'); yield A.print('io done '); });
      yield A.work(40e6);
      yield A.print('main done');
    }, { gomaxprocs: 1 });
    assert.ok(events(r, Ev.Netpoll, (e) => e.b === 2).length >= 1);
    assert.equal(r.output, 'io done main done');
  });
});

describe('timers', () => {
  it('a sleeper woken by its timer goes into runnext of the P that ran the timer', () => {
    const r = run(function* () {
      yield A.sleep(1e6);
      yield A.print('awake');
    }, { gomaxprocs: 2 });
    const fire = events(r, Ev.TimerFire)[0]!;
    assert.ok(fire.t >= 1e6);
    const enq = events(r, Ev.GoEnqueue, (e) => e.i > fire.i)[0]!;
    assert.deepEqual([enq.g, enq.a, enq.b, enq.p], [1, Loc.Runnext, Why.Timer, fire.p]);
  });

  it('time.Sleep(0) returns at once without parking', () => {
    const r = run(function* () { yield A.sleep(0); yield A.print('x'); }, { gomaxprocs: 1 });
    assert.equal(events(r, Ev.GoBlock).length, 0);
  });

  it('timer channels have cap 1 in Go 1.19–1.22 and cap 0 since Go 1.23', () => {
    for (const [v, want] of [[19, 1], [22, 1], [23, 0], [26, 0]] as const) {
      const r = run(function* () {
        const t = (yield A.after(1e6)) as A.TimerRef;
        const c = (yield { op: 'cap', ch: t.c }) as number;
        yield A.print(String(c));
        yield A.recv(t.c);
      }, { goVersion: v });
      assert.equal(r.output, String(want), `go1.${v}`);
    }
  });

  it('a ticker delivers at its period and drops ticks a slow reader misses', () => {
    const r = run(function* () {
      const t = (yield A.ticker(1e6)) as A.TimerRef;
      for (let i = 0; i < 3; i++) { const v = (yield A.recv(t.c)) as A.RecvResult; yield A.print(`${Math.round((v.value as number) / 1e6)} `); }
    }, { gomaxprocs: 1 });
    assert.equal(r.output, '1 2 3 ');
  });
});

describe('LockOSThread and GOMAXPROCS', () => {
  it('a locked G that blocks parks its M and hands off the P; waking it goes through its own M (startlockedm)', () => {
    const r = run(function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      yield A.go(function* () {
        yield A.lockOSThread();
        for (let i = 0; i < 3; i++) yield A.recv(ch);
        yield A.unlockOSThread();
      });
      for (let i = 0; i < 3; i++) { yield A.work(10e3); yield A.send(ch, i); }
    }, { gomaxprocs: 1 });
    assert.equal(r.exit.reason, 'main-returned');
    // G6 is locked to M0: when it blocks, M0 parks as a locked-idle M and P0 goes to a new M.
    assert.equal(events(r, Ev.MIdle, (e) => e.a === 1 && e.m === 0).length, 1);
    assert.equal(events(r, Ev.ProcHandoff, (e) => e.a === HandoffWhy.LockedM).length, 1);
    // When G6 is readied, the M that picks it hands its P to M0 instead of running it.
    const sl = events(r, Ev.StartLockedM);
    assert.equal(sl.length, 1);
    assert.equal(sl[0]!.b, 0);
    assert.ok(events(r, Ev.GoStart, (e) => e.g === 6).every((e) => e.m === 0), 'G6 only ever runs on M0');
  });

  it('a G that exits while locked takes its thread with it', () => {
    const r = run(function* () {
      yield A.go(function* () { yield A.lockOSThread(); yield A.work(1000); });
      yield A.sleep(1e6);
    }, { gomaxprocs: 1 });
    assert.equal(events(r, Ev.MExit).length, 1);
  });

  it('runtime.GOMAXPROCS(n) returns the old value and resizes; shrinking moves local queues to the head of the global queue in order', () => {
    const r = run(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      yield* spawnWorkers(40, 1e6, wg);
      yield A.work(20e3);
      const old = (yield A.gomaxprocs(1)) as number;
      yield A.print(`old=${old}`);
      yield A.wgWait(wg);
    }, { gomaxprocs: 4 });
    assert.equal(r.output, 'old=4');
    assert.equal(events(r, Ev.GoMaxProcs)[0]!.b, 1);
    assert.equal(events(r, Ev.ProcStop, (e) => e.a === 2).length, 3, 'P1–P3 destroyed');
    assert.equal(r.exit.reason, 'main-returned');
    const after = events(r, Ev.GoStart, (e) => e.t > events(r, Ev.GoMaxProcs)[0]!.t);
    assert.ok(after.every((e) => e.p === 0));
  });
});

describe('timers on an idle program: epoll_wait counts in milliseconds (netpoll_epoll.go)', () => {
  function wakeAfter(ns: number): number {
    const r = run(function* () { yield A.sleep(ns); }, { gomaxprocs: 1 });
    const fire = events(r, Ev.TimerFire);
    assert.equal(fire.length, 1);
    return fire[0]!.t;
  }

  it('a 100 µs sleep with nothing else to run wakes after 1 ms: a sub-millisecond netpoll delay waits 1 ms', () => {
    const t = wakeAfter(100_000);
    assert.ok(t >= 1e6 && t < 1.1e6, `woke at ${t} ns`);
  });

  it('a 2.5 ms sleep wakes at 3 ms: the delay is truncated to 2 ms, then the remaining 0.5 ms waits 1 ms', () => {
    const t = wakeAfter(2_500_000);
    assert.ok(t >= 3e6 && t < 3.1e6, `woke at ${t} ns`);
    const r = run(function* () { yield A.sleep(2_500_000); }, { gomaxprocs: 1 });
    assert.deepEqual(events(r, Ev.MNetpollBlock).map((e) => e.a), [2000, 1000]);
  });
});
