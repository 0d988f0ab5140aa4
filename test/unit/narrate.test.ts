// Narration: every event kind has a sentence; sentences name the runtime rule or function; the
// tutor never repeats the "Go's scheduler is cooperative" folklore.
import { strict as assert } from 'node:assert';
import * as A from '../../src/core/engine/actions';
import { simulate, type SimResult } from '../../src/core/engine/scheduler';
import { Wait } from '../../src/core/engine/entities';
import { GLOSSARY, lookupTerm } from '../../src/core/knowledge/glossary';
import { NARRATED_KINDS, describeEvent, narrationPriority, pickNarration } from '../../src/core/knowledge/narrate';
import { SCENARIOS, findScenario, runScenario } from '../../src/core/scenarios';
import {
  EV_NAMES, EXIT_REASON_NAMES, Ev, EventLog, HandoffWhy, Loc, PollWho, SysExit, Why, type EvKind,
} from '../../src/core/trace/events';

const ALL_KINDS = Object.values(Ev) as EvKind[];
const FOLKLORE = /cooperative/i;

function sentences(log: EventLog, goVersion?: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < log.length; i++) out.push(describeEvent(log, i, { goVersion }));
  return out;
}

function assertSentence(s: string, what: string): void {
  assert.ok(s.length > 20, `${what}: "${s}"`);
  assert.doesNotMatch(s, /undefined|NaN|\[object|null/, `${what}: "${s}"`);
  assert.doesNotMatch(s, FOLKLORE, `${what} repeats the cooperative-scheduler folklore: "${s}"`);
}

/** The first event of a kind (optionally matching), and its sentence. */
function first(r: SimResult, kind: EvKind, where: (i: number) => boolean = () => true, goVersion?: number): string {
  for (let i = 0; i < r.log.length; i++) {
    if (r.log.kind(i) === kind && where(i)) return describeEvent(r.log, i, { goVersion });
  }
  assert.fail(`no ${EV_NAMES[kind]} event`);
}

/** A log with one hand-made event of every kind (and every variant of the a/b codes). */
function syntheticLog(): EventLog {
  const log = new EventLog();
  const site = log.site({ file: 'main.go', line: 12, fn: 'main.main', text: 'go worker(i)' });
  let t = 0;
  const push = (kind: EvKind, g: number, m: number, p: number, a: number, b: number, s = -1) => log.push(t += 100, kind, g, m, p, a, b, s);
  push(Ev.ProcIdle, -1, -1, 1, -1, -1);
  push(Ev.ProcAcquire, -1, 0, 0, -1, -1);
  push(Ev.GoCreate, 1, 0, 0, 0, log.str('main.main'), site);
  push(Ev.GoStart, 1, 0, 0, 0, -1);
  push(Ev.GoCreate, 7, 0, 0, 1, -1, site);
  push(Ev.GoEnqueue, 7, 0, 0, Loc.Runnext, Why.Create, -1);
  for (const why of Object.values(Why)) push(Ev.GoEnqueue, 8, 0, 0, why === Why.Steal ? Loc.LocalTail : Loc.GlobalTail, why, why === Why.Steal ? 1 : 7);
  for (const loc of Object.values(Loc)) push(Ev.GoEnqueue, 9, 0, 0, loc, Why.Ready, 7);
  push(Ev.GoStart, 7, 0, 0, 1, -1);
  for (const w of Object.values(Wait)) push(Ev.GoBlock, 7, 0, 0, w, 3, site);
  push(Ev.GoEnd, 7, 0, 0, 0, -1);
  push(Ev.GoEnd, 8, 0, 0, 1, -1);
  push(Ev.GoEnd, 1, 0, 0, 0, -1);
  push(Ev.GoSysEnter, 9, 2, 1, 0, log.str('read'), site);
  push(Ev.GoSysEnter, 9, 2, 1, 1, log.str('C.sleep'), site);
  for (const path of Object.values(SysExit)) push(Ev.GoSysExit, 9, 2, path === SysExit.Slow ? -1 : 1, path, -1);
  push(Ev.SysmonPreempt, 5, 0, 0, 10, 1);
  push(Ev.SysmonPreempt, 5, 0, 0, 10, 0);
  for (const a of [0, 1, 2]) push(Ev.GoPreempt, 5, 0, 0, a, -1);
  push(Ev.GoSched, 5, 0, 0, -1, -1, site);
  push(Ev.GoNetpollPark, 6, 0, 0, Wait.IOWait, log.str('accept'), site);
  for (const why of Object.values(HandoffWhy)) push(Ev.ProcHandoff, -1, -1, 1, why, 2);
  push(Ev.ProcStop, -1, 0, 1, 1, -1);
  push(Ev.ProcStop, -1, 0, 3, 2, -1);
  push(Ev.MCreate, -1, 3, 1, 1, 0);
  push(Ev.MCreate, -1, 4, 1, 0, 0);
  push(Ev.MWake, -1, 3, 1, 1, 0);
  push(Ev.MWake, -1, 3, 1, 0, 0);
  push(Ev.MSpin, -1, 3, 1, 1, -1);
  push(Ev.MSpin, -1, 3, 1, 0, -1);
  push(Ev.MSpin, -1, 3, -1, 0, -1);
  push(Ev.MIdle, -1, 3, -1, -1, -1);
  push(Ev.MIdle, -1, 3, -1, 1, -1);
  push(Ev.MNetpollBlock, -1, 3, -1, -1, -1);
  push(Ev.MNetpollBlock, -1, 3, -1, 1000, -1);
  push(Ev.MNetpollWake, -1, 3, -1, 0, -1);
  push(Ev.MNetpollWake, -1, 3, -1, 2, -1);
  push(Ev.MExit, 7, 3, 1, -1, -1);
  push(Ev.Steal, 9, 3, 1, 3, 0, 0);
  push(Ev.Steal, 9, 3, 1, 1, 0, 1);
  push(Ev.GlobalGet, -1, 0, 0, 4, 0);
  push(Ev.GlobalGet, -1, 0, 0, 1, 1);
  push(Ev.Overflow, 7, 0, 0, 129, -1);
  push(Ev.TimerFire, 8, 0, 0, -1, 0);
  push(Ev.TimerFire, 8, 0, 0, -1, 1);
  push(Ev.TimerFire, -1, 0, 0, 4, 0);
  push(Ev.SysmonRetake, 9, 2, 1, -1, -1);
  for (const who of Object.values(PollWho)) push(Ev.Netpoll, -1, 0, 0, 2, who);
  push(Ev.Print, 7, 0, 0, log.str('4 '), -1, site);
  push(Ev.GoMaxProcs, 1, 0, 0, 4, 2, site);
  push(Ev.Note, -1, -1, -1, log.str('select with many cases is approximated'), -1);
  push(Ev.LockOSThread, 7, 3, 1, 1, -1, site);
  push(Ev.LockOSThread, 7, 3, 1, 0, -1, site);
  push(Ev.StartLockedM, 7, 0, 0, -1, 3);
  for (const w of [Wait.ChanReceive, Wait.ChanSend, Wait.Select, Wait.MutexLock, Wait.RWMutexLock, Wait.WaitGroupWait, Wait.CondWait, Wait.Sleep]) {
    push(Ev.GoBlock, 20 + w, 0, 0, w, 3, site);
    push(Ev.Wake, 7, 0, 0, 3, 20 + w);
  }
  for (let reason = 0; reason < EXIT_REASON_NAMES.length; reason++) {
    push(Ev.Exit, 1, -1, -1, reason, reason === 0 ? 0 : 2, log.str('fatal error: something\n\ngoroutine 1 [chan receive]:'));
  }
  return log;
}

describe('narration', () => {
  it('has a narrator for every event kind', () => {
    assert.deepEqual([...NARRATED_KINDS].sort((a, b) => a - b), [...ALL_KINDS].sort((a, b) => a - b));
  });

  it('says one plain sentence for every event kind and every variant of its codes', () => {
    const log = syntheticLog();
    const kinds = new Set<number>();
    for (let i = 0; i < log.length; i++) {
      kinds.add(log.kind(i));
      for (const v of [19, 22, 26]) assertSentence(describeEvent(log, i, { goVersion: v }), `${EV_NAMES[log.kind(i)]} #${i} (Go 1.${v})`);
    }
    assert.equal(kinds.size, ALL_KINDS.length, 'the synthetic log covers every kind');
  });

  it('explains every event of every scenario and of programs using locked threads, GOMAXPROCS, cgo and timers', () => {
    const runs: SimResult[] = SCENARIOS.map((s) => runScenario(s, { seed: 1 }));
    runs.push(runScenario(findScenario('tight-loop-preemption')!, { asyncPreemption: false, maxVirtualTimeNs: 50e6 }));
    runs.push(simulate(function* () {
      const ch = (yield A.makechan(0)) as A.ChanRef;
      yield A.go(function* () {
        yield A.lockOSThread();
        for (let i = 0; i < 3; i++) yield A.recv(ch);
      });
      for (let i = 0; i < 3; i++) { yield A.work(10e3); yield A.send(ch, i); }
      yield A.sleep(1e6);
    }, { gomaxprocs: 1, seed: 1 }));
    runs.push(simulate(function* () {
      const wg = (yield A.waitgroup()) as A.WaitGroupRef;
      const mu = (yield A.mutex()) as A.MutexRef;
      const done = (yield A.makechan(0)) as A.ChanRef;
      yield A.wgAdd(wg, 40);
      for (let i = 0; i < 40; i++) {
        yield A.go(function* () {
          yield A.lock(mu);
          yield A.work(50e3);
          yield A.unlock(mu);
          if (i % 10 === 0) yield A.cgo(2e6, 'C.compress');
          yield A.wgDone(wg);
        });
      }
      yield A.go(function* () { yield A.recv(done); });
      const t = (yield A.after(3e6)) as A.TimerRef;
      yield A.work(20e3);
      yield A.gomaxprocs(2);
      yield A.recv(t.c);
      yield A.close(done);
      yield A.wgWait(wg);
    }, { gomaxprocs: 4, seed: 1 }));
    const seen = new Set<number>();
    for (const r of runs) {
      for (const v of [19, 26]) {
        const ss = sentences(r.log, v);
        ss.forEach((s, i) => assertSentence(s, `${EV_NAMES[r.log.kind(i)]} #${i}`));
      }
      for (let i = 0; i < r.log.length; i++) seen.add(r.log.kind(i));
    }
    const missing = ALL_KINDS.filter((k) => !seen.has(k) && k !== Ev.Note).map((k) => EV_NAMES[k]);
    assert.deepEqual(missing, [], 'real runs exercise every kind the engine emits');
  });

  describe('key sentences name the runtime rule', () => {
    const rn = runScenario(findScenario('runnext-order')!, { seed: 1 });

    it('GoCreate: newproc, runnext, and where the displaced G went', () => {
      const s = first(rn, Ev.GoCreate, (i) => rn.log.g(i) === 7);
      assert.match(s, /^G7 \(main\.main\.func1\) created by G1 at runnext-order\.go:9 \(newproc\): it goes into P0's runnext; G6, which was there, moves to the tail of P0's local run queue$/);
    });

    it('Wake: direct hand-off into the waker\'s runnext', () => {
      const s = first(rn, Ev.Wake);
      assert.match(s, /^G10's send handed the value straight to waiting G1 \(direct hand-off\), which goes into P0's runnext/);
    });

    it('GoStart: runnext inherits the time slice; the ring starts a new one', () => {
      assert.match(first(rn, Ev.GoStart, (i) => rn.log.a(i) === 1 && rn.log.g(i) === 10), /runnext.*inherits the current time slice/);
      assert.match(first(rn, Ev.GoStart, (i) => rn.log.a(i) === 0 && rn.log.g(i) === 6), /head of P0's local run queue.*schedtick\+\+/);
    });

    it('Steal: stealWork takes half of a victim\'s local queue', () => {
      const r = runScenario(findScenario('work-stealing')!, { seed: 1 });
      assert.match(first(r, Ev.Steal, (i) => r.log.siteIndex(i) === 0), /^M\d+, spinning on P\d with nothing to run, stole \d+ of P\d's Gs — a thief takes half of the victim's local queue, rounded up \(stealWork\)/);
    });

    it('async preemption: sysmon, SIGURG, Go 1.14, global queue', () => {
      const r = runScenario(findScenario('tight-loop-preemption')!, { seed: 1 });
      // The line it was running when stopped.
      assert.match(first(r, Ev.GoPreempt), /^sysmon preempted G6 on P0 at tight-loop-preemption\.go:\d+ after it ran 1\d(\.\d+)? ms \(async preemption, SIGURG, since Go 1\.14\): it goes to the global queue$/);
      assert.match(first(r, Ev.SysmonPreempt), /forcePreemptNS.*preemptone.*SIGURG/);
      assert.match(first(r, Ev.TimerFire), /^G1's sleep timer fired on P0: G1 goes into P0's runnext/);
    });

    it('without async preemption the request is never seen by a loop without calls', () => {
      const r = runScenario(findScenario('tight-loop-preemption')!, { asyncPreemption: false, maxVirtualTimeNs: 50e6 });
      assert.match(first(r, Ev.SysmonPreempt), /async preemption off.*never sees it/);
    });

    it('syscalls: entersyscall, retake + handoffp, and the exitsyscall paths', () => {
      const r = runScenario(findScenario('syscall-handoff')!, { gomaxprocs: 2, seed: 1, goVersion: 19 });
      assert.match(first(r, Ev.GoSysEnter, () => true, 19), /entersyscall.*_Psyscall/);
      assert.match(first(r, Ev.GoSysEnter, () => true, 26), /Go 1\.26 has no _Psyscall/);
      assert.match(first(r, Ev.SysmonRetake), /^sysmon retook P1 from M\d+, blocked in a syscall with G\d+ .*\(retake\), and handed it off \(handoffp\)/);
      assert.match(first(r, Ev.GoSysExit, (i) => r.log.a(i) === SysExit.FastOldP), /exitsyscall fast path/);
      assert.match(first(r, Ev.GoSysExit, (i) => r.log.a(i) === SysExit.Slow), /global run queue.*exitsyscall0, the slow path/);
      assert.match(first(r, Ev.ProcHandoff), /handoffp/);
      assert.match(first(r, Ev.MCreate), /newm/);
    });

    it('netpoller: parking holds no thread; ready Gs are injected, never into runnext', () => {
      const r = runScenario(findScenario('netpoller')!, { seed: 1 });
      assert.match(first(r, Ev.GoNetpollPark), /netpoller \(\[IO wait\].*holds no thread/);
      assert.match(first(r, Ev.MNetpollBlock), /epoll_wait/);
      assert.match(first(r, Ev.GoEnqueue, (i) => r.log.b(i) === Why.Inject), /injectglist.*never runnext/);
      assert.match(first(r, Ev.Netpoll), /I\/O (is )?ready/);
    });

    it('global queue: globrunqget batch, the 1-in-61 check, runqputslow 128 + 1', () => {
      const r = runScenario(findScenario('goroutines-1000')!, { seed: 1 });
      assert.match(first(r, Ev.Overflow), /full \(256 Gs\): runqputslow moves the oldest 128 plus G\d+ — 129 in all — to the global run queue/);
      assert.match(first(r, Ev.GlobalGet, (i) => r.log.b(i) === 0), /globrunqget: min\(len\/GOMAXPROCS \+ 1, len, 128\)/);
      const log = syntheticLog();
      let fair = '';
      for (let i = 0; i < log.length; i++) if (log.kind(i) === Ev.GlobalGet && log.b(i) === 1) fair = describeEvent(log, i);
      assert.match(fair, /multiple of 61.*fairness/);
    });

    it('gosched: the global queue, and wakep only since Go 1.22', () => {
      const r = runScenario(findScenario('gosched-order')!, { seed: 1 });
      assert.match(first(r, Ev.GoSched, () => true, 19), /tail of the global run queue.*goschedImpl\)$/);
      assert.match(first(r, Ev.GoSched, () => true, 22), /wakep/);
    });

    it('Wake of a sender: a receive completes its send, directly or through the slot a full buffer freed', () => {
      const log = syntheticLog();
      let s = '';
      for (let i = 0; i < log.length; i++) if (log.kind(i) === Ev.Wake && log.b(i) === 20 + Wait.ChanSend) s = describeEvent(log, i);
      assert.match(s, /^G7's receive completed waiting sender G22's send \(its value handed over directly, or into the slot a full buffer freed\), so G22 goes into P0's runnext/);
      assert.doesNotMatch(s, /straight from/);
    });

    it('Wake of Cond waiters: one is a Signal (notifyListNotifyOne), several at once a Broadcast (notifyListNotifyAll)', () => {
      const log = new EventLog();
      const site = log.site({ file: 'main.go', line: 3, fn: 'main.main', text: 'c.Wait()' });
      log.push(100, Ev.GoBlock, 5, 0, 0, Wait.CondWait, 9, site);
      log.push(200, Ev.GoBlock, 6, 0, 0, Wait.CondWait, 9, site);
      log.push(300, Ev.Wake, 1, 0, 0, 9, 5, -1);
      log.push(300, Ev.Wake, 1, 0, 0, 9, 6, -1);
      assert.match(describeEvent(log, 2), /broadcast on the sync\.Cond, waking every waiter \(notifyListNotifyAll → goready\); G5 goes into P0's runnext/);
      const one = new EventLog();
      one.push(100, Ev.GoBlock, 5, 0, 0, Wait.CondWait, 9, -1);
      one.push(300, Ev.Wake, 1, 0, 0, 9, 5, -1);
      assert.match(describeEvent(one, 1), /signalled the sync\.Cond, waking G5 \(notifyListNotifyOne → goready\)/);
    });

    it('Go 1.26 differences are said where they apply: the STW-preempted G and the runnext steal wait', () => {
      const log = syntheticLog();
      let stw = -1;
      let runnextSteal = -1;
      for (let i = 0; i < log.length; i++) {
        if (log.kind(i) === Ev.GoPreempt && log.a(i) === 2) stw = i;
        if (log.kind(i) === Ev.Steal && log.siteIndex(i) === 1) runnextSteal = i;
      }
      assert.match(describeEvent(log, stw, { goVersion: 19 }), /for stop-the-world \(runtime\.GOMAXPROCS\): it goes to the global queue$/);
      assert.match(describeEvent(log, stw, { goVersion: 26 }), /Go 1\.26 keeps it in its P's runnext instead/);
      assert.match(describeEvent(log, runnextSteal, { goVersion: 19 }), /waits 3 µs first if P0 is running, to let it run its own runnext\)$/);
      assert.match(describeEvent(log, runnextSteal, { goVersion: 26 }), /Go 1\.26 skips the wait when its G is in a syscall/);
    });

    it('deadlock: wait reasons in the Go version\'s words, and the fatal error', () => {
      const d19 = runScenario(findScenario('deadlock')!, { seed: 1, goVersion: 19 });
      assert.match(first(d19, Ev.GoBlock, (i) => d19.log.a(i) === Wait.WaitGroupWait, 19), /\[semacquire\]/);
      assert.match(first(d19, Ev.GoBlock, (i) => d19.log.a(i) === Wait.WaitGroupWait, 24), /\[sync\.WaitGroup\.Wait\]/);
      assert.match(first(d19, Ev.GoBlock, (i) => d19.log.a(i) === Wait.ChanReceive), /\[chan receive\]/);
      assert.match(first(d19, Ev.Exit), /checkdead.*all goroutines are asleep - deadlock!.*exit status 2/);
      assert.match(first(rn, Ev.Exit), /exits with status 0/);
    });
  });

  describe('pickNarration', () => {
    it('returns nothing for an empty log and the only event of a one-event log', () => {
      const log = new EventLog();
      assert.equal(pickNarration(log, 0), null);
      log.push(0, Ev.ProcIdle, -1, -1, 0, -1, -1, -1);
      assert.equal(pickNarration(log, 5)!.index, 0);
    });

    it('prefers the program\'s end over everything', () => {
      const r = runScenario(findScenario('deadlock')!, { seed: 1 });
      const n = pickNarration(r.log, r.log.length - 1)!;
      assert.equal(r.log.kind(n.index), Ev.Exit);
      assert.equal(n.priority, 5);
      assert.match(n.text, /deadlock/);
    });

    it('prefers a recent steal or preemption to bookkeeping, and creation to queue moves', () => {
      const r = runScenario(findScenario('work-stealing')!, { seed: 1 });
      let steal = -1;
      for (let i = 0; i < r.log.length && steal < 0; i++) if (r.log.kind(i) === Ev.Steal) steal = i;
      const n = pickNarration(r.log, steal + 3)!;
      assert.equal(n.index, steal);
      assert.match(n.text, /stealWork/);
      const rr = runScenario(findScenario('runnext-order')!, { seed: 1 });
      let kicked = -1;
      for (let i = 0; i < rr.log.length && kicked < 0; i++) if (rr.log.kind(i) === Ev.GoEnqueue && rr.log.b(i) === Why.Kicked) kicked = i;
      assert.equal(rr.log.kind(pickNarration(rr.log, kicked)!.index), Ev.GoCreate);
    });

    it('ranks kinds as documented: exit > steal/preempt/retake/hand-off > syscall/netpoll/timer > overflow/global > create/block', () => {
      const p = (k: EvKind) => narrationPriority(k);
      assert.ok(p(Ev.Exit) > p(Ev.Steal));
      for (const k of [Ev.GoPreempt, Ev.SysmonRetake, Ev.ProcHandoff]) assert.equal(p(k), p(Ev.Steal));
      assert.ok(p(Ev.Steal) > p(Ev.GoSysEnter));
      for (const k of [Ev.Netpoll, Ev.TimerFire, Ev.GoSysExit]) assert.equal(p(k), p(Ev.GoSysEnter));
      assert.ok(p(Ev.GoSysEnter) > p(Ev.Overflow));
      assert.equal(p(Ev.GlobalGet), p(Ev.Overflow));
      assert.ok(p(Ev.Overflow) > p(Ev.GoCreate));
      assert.equal(p(Ev.GoBlock), p(Ev.GoCreate));
      assert.ok(p(Ev.GoCreate) > p(Ev.ProcAcquire));
    });
  });
});

describe('glossary', () => {
  it('defines the scheduler vocabulary', () => {
    for (const term of ['G', 'M', 'P', 'runnext', 'local run queue', 'global run queue', 'sysmon', 'netpoller', 'spinning M',
      'hand-off', 'work stealing', 'preemption']) {
      const e = lookupTerm(term);
      assert.ok(e, term);
      assert.ok(e.definition.length > 40, term);
      assert.ok(e.runtimeNames.length > 0, term);
    }
    assert.equal(lookupTerm('goroutine')?.term, 'G');
    assert.equal(lookupTerm('Handoff')?.term, 'hand-off');
    assert.equal(lookupTerm('no such thing'), undefined);
  });

  it('states the facts: 256-slot ring, 10 ms preemption with SIGURG since Go 1.14, half stolen — and no folklore', () => {
    assert.match(lookupTerm('local run queue')!.definition, /256/);
    assert.match(lookupTerm('preemption')!.definition, /10 ms.*Go 1\.14.*SIGURG|SIGURG.*Go 1\.14/s);
    assert.match(lookupTerm('work stealing')!.definition, /half/);
    for (const e of GLOSSARY) assert.doesNotMatch(e.definition, FOLKLORE, e.term);
  });

  it('corrects the finer points: thieves are Ms with empty Ps, the stack starts at 2 KiB or more, a one-shot timer only delays checkdead', () => {
    assert.doesNotMatch(lookupTerm('local run queue')!.definition, /idle Ps steal/i);
    assert.match(lookupTerm('local run queue')!.definition, /An M whose P runs out of work may steal half of it/);
    assert.match(lookupTerm('G')!.definition, /at least 2 KiB to start/);
    assert.match(lookupTerm('deadlock')!.definition, /A pending one-shot timer only delays the report until it fires/);
    assert.match(lookupTerm('deadlock')!.definition, /a running Ticker before Go 1\.23/);
    assert.match(lookupTerm('preemption')!.definition, /unsafe point.*next safe point/);
  });

  it('scenario descriptions do not repeat the folklore either', () => {
    for (const s of SCENARIOS) assert.doesNotMatch(s.description + s.source, FOLKLORE, s.name);
  });
});

describe('narration: output streams', () => {
  it('a print to stderr (println, log) is narrated as stderr, fmt output as stdout', () => {
    const r = simulate(function* () {
      yield A.print('to stdout\n');
      yield A.print('to stderr\n', undefined, 2);
    }, { seed: 1 });
    assert.match(first(r, Ev.Print, (i) => r.log.b(i) === 1), /a write to stdout/);
    assert.match(first(r, Ev.Print, (i) => r.log.b(i) === 2), /a write to stderr/);
  });
});
