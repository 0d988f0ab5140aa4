// Event narration: one plain sentence per event of the log, in the diagram's terms (G, M, P,
// runnext, local/global run queue, netpoller, sysmon), naming the runtime rule and the proc.go
// function behind it. Every word the tutor says about an event comes from here (runtime-facts.md
// is the reference; nothing here may call the scheduler "cooperative" — it has been preemptive
// since Go 1.14).
//
// A sentence is a pure function of the log: some events are explained with the help of their
// neighbours (a GoCreate with the GoEnqueues that follow it, a Wake with the GoBlock of the G it
// wakes). Lookups go through a per-log index that grows with the log, so narrating every event
// of a long run stays linear.
import { Wait, waitReasonString } from '../engine/entities';
import { NEWEST_GO_VERSION } from '../engine/config';
import type { Site } from '../engine/actions';
import {
  EV_NAMES, EXIT_REASON_NAMES, Ev, HandoffWhy, isSpinHang, Loc, PollWho, SysExit, Why, type EventLog, type EvKind,
} from '../trace/events';

export interface NarrateOptions {
  /** Go minor version the run simulated (19 … 26); wait-reason strings and a few rules depend on it. */
  goVersion?: number;
}

// ---------------------------------------------------------------------------------------------
// Per-log index: the events of each G, so neighbours can be found without rescanning the log.

interface LogIndex {
  /** Events indexed so far. */
  n: number;
  /** Event indices per goroutine id (events whose g column is that id), ascending. */
  byG: Map<number, number[]>;
  /** SysmonRetake event indices per P id, ascending. */
  retakes: Map<number, number[]>;
}

const indexes = new WeakMap<EventLog, LogIndex>();

/**
 * The index covering at least events [0, upTo). Lookups only look backwards from the event being
 * narrated, so it grows lazily: narrating the start of a run of millions of events stays cheap.
 */
function indexOf(log: EventLog, upTo: number): LogIndex {
  let ix = indexes.get(log);
  if (!ix) {
    ix = { n: 0, byG: new Map(), retakes: new Map() };
    indexes.set(log, ix);
  }
  if (ix.n >= upTo) return ix;
  // Extend in large steps so that narrating consecutive events does not extend one event at a time.
  const end = Math.min(log.length, Math.max(upTo, ix.n + 16_384));
  for (let i = ix.n; i < end; i++) {
    if (log.kind(i) === Ev.SysmonRetake) {
      let list = ix.retakes.get(log.p(i));
      if (!list) ix.retakes.set(log.p(i), (list = []));
      list.push(i);
    }
    const g = log.g(i);
    if (g < 0) continue;
    let list = ix.byG.get(g);
    if (!list) ix.byG.set(g, (list = []));
    list.push(i);
  }
  ix.n = end;
  return ix;
}

/** The first index in an ascending list that is ≥ x. */
function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether sysmon retook P p at some event strictly between indices `after` and `before`. */
function retakenBetween(log: EventLog, p: number, after: number, before: number): boolean {
  const list = indexOf(log, before).retakes.get(p);
  if (!list) return false;
  const k = lowerBound(list, after + 1);
  return k < list.length && list[k]! < before;
}

/** The last event of goroutine g before index `before` that satisfies `pred` (searching at most `limit` of g's events). */
function lastOfG(log: EventLog, g: number, before: number, pred: (j: number) => boolean, limit = 64): number {
  const list = indexOf(log, before).byG.get(g);
  if (!list) return -1;
  for (let k = lowerBound(list, before) - 1, seen = 0; k >= 0 && seen < limit; k--, seen++) {
    if (pred(list[k]!)) return list[k]!;
  }
  return -1;
}

/** Events right after i at the same virtual time (the rest of the same scheduler step). */
function* sameStep(log: EventLog, i: number, max = 24): Generator<number> {
  const t = log.t(i);
  for (let j = i + 1; j < log.length && j <= i + max && log.t(j) === t; j++) yield j;
}

// ---------------------------------------------------------------------------------------------
// Words

const G = (g: number): string => (g >= 0 ? `G${g}` : 'a goroutine');
const M = (m: number): string => (m >= 0 ? `M${m}` : 'an M');
const P = (p: number): string => (p >= 0 ? `P${p}` : 'a P');
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function where(site: Site | undefined): string {
  if (!site) return '';
  return ` at ${site.file ?? 'main.go'}:${site.line}`;
}

function siteOf(log: EventLog, index: number): Site | undefined {
  return index >= 0 ? log.sites[index] : undefined;
}

function str(log: EventLog, id: number): string {
  return id >= 0 ? (log.strings[id] ?? '') : '';
}

/** A short quoted rendering of printed text. */
function quote(text: string, max = 48): string {
  const s = JSON.stringify(text);
  return s.length > max ? `${s.slice(0, max - 2)}…"` : s;
}

function duration(ns: number): string {
  if (ns >= 1e9) return `${+(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${+(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${+(ns / 1e3).toFixed(1)} µs`;
  return `${Math.round(ns)} ns`;
}

/** Where a runnable G was put, in the diagram's words. */
export function placeName(loc: number, p: number): string {
  switch (loc) {
    case Loc.Runnext: return `${P(p)}'s runnext`;
    case Loc.LocalTail: return `the tail of ${P(p)}'s local run queue`;
    case Loc.Local: return `${P(p)}'s local run queue`;
    case Loc.GlobalTail: return 'the tail of the global run queue';
    case Loc.GlobalHead: return 'the head of the global run queue';
    case Loc.Global: return 'the global run queue';
    case Loc.Netpoll: return 'the netpoller';
    default: return 'no queue';
  }
}

function syscallPState(v: number, p: number): string {
  return v >= 26
    ? `${P(p)} stays wired to it (Go 1.26 has no _Psyscall; sysmon can still take the P if the call lasts)`
    : `${P(p)} is left behind in _Psyscall for sysmon to retake if the call lasts`;
}

/** What a wait reason means, for a GoBlock sentence. */
function blockWhy(reason: number, v: number): string {
  const r = `[${waitReasonString(reason, v)}]`;
  switch (reason) {
    case Wait.ChanReceive: return `blocks receiving from a channel with no sender waiting and nothing buffered (chanrecv → gopark, ${r}): it joins the channel's receive queue`;
    case Wait.ChanSend: return `blocks sending on a channel with no receiver waiting and no buffer room (chansend → gopark, ${r}): it joins the channel's send queue`;
    case Wait.ChanReceiveNil: return `receives from a nil channel, which blocks forever (${r})`;
    case Wait.ChanSendNil: return `sends on a nil channel, which blocks forever (${r})`;
    case Wait.Select: return `waits in select: no case is ready, so it queues on every case's channel at once (selectgo → gopark, ${r})`;
    case Wait.SelectNoCases: return `runs select {}, which blocks forever (${r})`;
    case Wait.Sleep: return `sleeps (time.Sleep): a timer goes on its P's timer heap and it parks until the timer fires (${r})`;
    case Wait.IOWait: return `waits for network I/O in the netpoller (${r})`;
    case Wait.MutexLock: return `finds the sync.Mutex locked and parks on its semaphore (semacquire, ${r})`;
    case Wait.RWMutexRLock: return `cannot take the sync.RWMutex read lock (a writer holds or waits for it) and parks on a semaphore (${r})`;
    case Wait.RWMutexLock: return `cannot take the sync.RWMutex write lock and parks on a semaphore (${r})`;
    case Wait.WaitGroupWait: return `waits in wg.Wait for the WaitGroup counter to reach zero, parked on a semaphore (${r})`;
    case Wait.CondWait: return `waits in sync.Cond.Wait until Signal or Broadcast (notifyListWait, ${r})`;
    case Wait.PanicWait: return `waits while another goroutine panics (${r})`;
    default: return `parks (gopark${r === '[]' ? '' : `, ${r}`})`;
  }
}

const WHY_WORDS: Record<number, string> = {
  [Why.Create]: 'new (newproc)',
  [Why.Kicked]: 'bumped from runnext',
  [Why.Overflow]: 'the local run queue overflowed (runqputslow)',
  [Why.Steal]: 'stolen (runqsteal)',
  [Why.GlobalBatch]: 'part of a batch taken from the global queue (globrunqget)',
  [Why.Ready]: 'readied (goready)',
  [Why.Gosched]: 'it called runtime.Gosched (goschedImpl)',
  [Why.Preempt]: 'it was preempted (goschedImpl)',
  [Why.SyscallExit]: 'its syscall returned and no P was free (exitsyscall0)',
  [Why.Inject]: 'its network I/O is ready (injectglist)',
  [Why.ProcResize]: 'its P was destroyed by procresize',
  [Why.Yield]: 'it yielded after handing over a mutex (goyield)',
  [Why.Timer]: 'its timer fired',
};

/** The kicked-G clause for a G that went into runnext at index i (GoCreate / Wake / TimerFire). */
function kickedClause(log: EventLog, i: number, newG: number): string {
  for (const j of sameStep(log, i)) {
    const k = log.kind(j);
    if (k === Ev.Overflow) {
      // runqput found the ring full for the displaced G: runqputslow moves it with the oldest 128.
      return `; ${G(log.g(j))}, which was there, finds ${P(log.p(j))}'s local run queue full, so runqputslow moves it and the oldest 128 to the global queue`;
    }
    if (k === Ev.GoEnqueue && log.b(j) === Why.Kicked && log.siteIndex(j) === newG) {
      const old = log.g(j);
      if (log.a(j) === Loc.LocalTail) return `; ${G(old)}, which was there, moves to the tail of ${P(log.p(j))}'s local run queue`;
      return `; ${G(old)}, which was there, moves to ${placeName(log.a(j), log.p(j))}`;
    }
    if (k === Ev.GoStart || k === Ev.GoCreate || k === Ev.Wake) break;
  }
  return '';
}

/** How long g has been running at index i (since its last GoStart), or '' if unknown. */
function ranFor(log: EventLog, g: number, i: number): string {
  const start = lastOfG(log, g, i, (k) => log.kind(k) === Ev.GoStart || log.kind(k) === Ev.GoSysExit);
  return start >= 0 ? duration(log.t(i) - log.t(start)) : '';
}

/** Why startm ran, for an MCreate / MWake at index i: handoffp, wakep, or work waiting on the P. */
function whyStartM(log: EventLog, i: number): string {
  const spin = log.a(i) === 1;
  for (let k = i - 1; k >= 0 && k >= i - 3 && log.t(k) === log.t(i); k--) {
    if (log.kind(k) === Ev.ProcHandoff && log.p(k) === log.p(i)) {
      return spin
        ? ' (handoffp: no M is spinning and no P is idle, so this one spins to look for work)'
        : ' (handoffp: work is waiting for the P, or someone must poll the network)';
    }
  }
  return spin
    ? ': wakep found an idle P and no spinning M, so this M will spin looking for work'
    : ' to run the work waiting for it';
}

// ---------------------------------------------------------------------------------------------
// Sentences per event kind

type Narrator = (log: EventLog, i: number, v: number) => string;

const narrators: Record<EvKind, Narrator> = {
  [Ev.GoCreate]: (log, i) => {
    const g = log.g(i);
    const parent = log.a(i);
    const name = str(log, log.b(i));
    const site = siteOf(log, log.siteIndex(i));
    if (parent === 0) {
      return `${G(g)} is the main goroutine: runtime.main runs main.main${where(site)} on ${M(log.m(i))} with ${P(log.p(i))}`;
    }
    const label = name ? ` (${name})` : '';
    return `${G(g)}${label} created by ${G(parent)}${where(site)} (newproc): it goes into ${P(log.p(i))}'s runnext` +
      kickedClause(log, i, g);
  },

  [Ev.GoEnqueue]: (log, i) => {
    const g = log.g(i);
    const loc = log.a(i);
    const why = log.b(i);
    const by = log.siteIndex(i);
    const place = placeName(loc, log.p(i));
    switch (why) {
      case Why.Create: return `${G(g)} goes into ${place}: the newest G runs next (runqput with next=true)`;
      case Why.Kicked: return `${G(g)} is bumped out of runnext by ${G(by)} and goes to ${place} (runqput)`;
      case Why.Overflow: return `${G(g)} moves to ${place}: its P's local run queue overflowed (runqputslow)`;
      case Why.Steal: return `${G(g)} moves from P${by}'s local run queue to ${place} (stolen with the rest of the batch, runqsteal)`;
      case Why.GlobalBatch: return `${G(g)} moves from the global run queue to ${place} (globrunqget takes a batch: one to run, the rest queued locally)`;
      case Why.Ready: return `${G(g)} is readied${by >= 0 ? ` by ${G(by)}` : ''} into ${place} (goready: a woken G runs next on the waker's P)`;
      case Why.Gosched: return `${G(g)} goes to ${place}: runtime.Gosched puts the caller on the global queue, not its local one (goschedImpl)`;
      case Why.Preempt: return `${G(g)} goes to ${place}: a preempted G waits in the global queue (goschedImpl)`;
      case Why.SyscallExit: return `${G(g)} goes to ${place}: its syscall returned, but no P was free (exitsyscall0)`;
      case Why.Inject: return `${G(g)}'s network I/O is ready: injectglist puts it on ${place} (never runnext)`;
      case Why.ProcResize: return `${G(g)} moves to ${place}: its P is destroyed by procresize (order kept)`;
      case Why.Yield: return `${G(g)} goes to ${place}: it handed a starving mutex to a waiter and yields (goyield)`;
      case Why.Timer: return `${G(g)}'s timer fired: it goes into ${place}`;
      default: return `${G(g)} becomes runnable in ${place}${WHY_WORDS[why] ? `: ${WHY_WORDS[why]}` : ''}`;
    }
  },

  [Ev.GoStart]: (log, i) => {
    const g = log.g(i);
    const m = log.m(i);
    const p = log.p(i);
    const inherit = log.a(i) === 1;
    const on = `${G(g)} runs on ${M(m)} with ${P(p)}`;
    if (inherit) return `${on}, taken from runnext: it inherits the current time slice (runqget → execute; schedtick unchanged)`;
    const j = lastOfG(log, g, i, (k) => {
      const kind = log.kind(k);
      return kind === Ev.GoEnqueue || kind === Ev.Steal || kind === Ev.GoNetpollPark || kind === Ev.GoCreate;
    });
    let from = '';
    if (j >= 0) {
      switch (log.kind(j)) {
        case Ev.Steal: from = `, stolen from P${log.b(j)}`; break;
        case Ev.GoNetpollPark: from = ': the netpoller reported its network I/O ready'; break;
        case Ev.GoCreate:
          if (log.a(j) === 0) return `${G(g)} starts running main.main on ${M(m)} with ${P(p)}`;
          break;
        case Ev.GoEnqueue: {
          const loc = log.a(j);
          if (loc === Loc.GlobalTail || loc === Loc.GlobalHead || loc === Loc.Global) from = ', taken from the global run queue';
          else if (loc === Loc.Runnext) from = `, taken from ${P(log.p(j))}'s runnext`;
          else from = `, taken from the head of ${P(log.p(j))}'s local run queue`;
          break;
        }
      }
    }
    return `${on}${from}; it starts a fresh time slice (execute: schedtick++)`;
  },

  [Ev.GoBlock]: (log, i, v) => {
    return `${G(log.g(i))} ${blockWhy(log.a(i), v)}; ${M(log.m(i))} looks for another G to run on ${P(log.p(i))} (schedule)`;
  },

  [Ev.GoEnd]: (log, i) => {
    const g = log.g(i);
    if (g === 1 && log.a(i) === 0) return `main.main returned (${G(g)}): runtime.main calls exit(0) at once — other goroutines are not waited for`;
    if (log.a(i) === 1) return `${G(g)} called runtime.Goexit: its deferred calls ran and it is dead (goexit0)${g === 1 ? '; the other goroutines keep running' : ''}`;
    return `${G(g)} finished: it is dead and goes to ${P(log.p(i))}'s free-G list for reuse (goexit0 → gfput); ${M(log.m(i))} schedules again`;
  },

  [Ev.GoSysEnter]: (log, i, v) => {
    const g = log.g(i);
    const what = str(log, log.b(i)) || 'a system call';
    if (log.a(i) === 1) {
      return `${G(g)} calls C (${what}) on ${M(log.m(i))}: cgocall → entersyscall, so it is scheduled exactly like a blocking syscall; ` +
        syscallPState(v, log.p(i));
    }
    return `${G(g)} enters a blocking system call (${what}) on ${M(log.m(i))} (entersyscall): the thread blocks with it and ` +
      `${syscallPState(v, log.p(i))}; no new thread yet`;
  },

  [Ev.GoSysExit]: (log, i, v) => {
    const g = log.g(i);
    const m = log.m(i);
    const enter = lastOfG(log, g, i, (k) => log.kind(k) === Ev.GoSysEnter);
    const what = enter >= 0 ? str(log, log.b(enter)) || 'syscall' : 'syscall';
    const took = enter >= 0 ? ` after ${duration(log.t(i) - log.t(enter))}` : '';
    const head = `${G(g)}'s ${what} returned${took}`;
    switch (log.a(i)) {
      case SysExit.FastOldP: {
        const p = log.p(i);
        if (enter >= 0 && retakenBetween(log, p, enter, i)) {
          return `${head}: ${P(p)} had been retaken and handed to another M whose G is now in a syscall too, so ${M(m)} takes it back ` +
            (v >= 26 ? '(exitsyscall fast path)' : '(exitsyscall fast path: the CAS on _Psyscall succeeds; exitsyscallfast_reacquired)') +
            ` and ${G(g)} continues`;
        }
        return `${head}: ${M(m)} takes its old ${P(p)} straight back (exitsyscall fast path) and ${G(g)} continues without going through the scheduler`;
      }
      case SysExit.FastIdleP:
        return `${head}: its old P was taken meanwhile, but ${P(log.p(i))} is idle, so ${M(m)} takes it (exitsyscallfast_pidle) and ${G(g)} continues`;
      default:
        return `${head}, but its P was taken and no P is idle: ${G(g)} goes to the global run queue and ${M(m)} goes idle (exitsyscall0, the slow path)`;
    }
  },

  [Ev.GoPreempt]: (log, i, v) => {
    const g = log.g(i);
    const p = log.p(i);
    switch (log.a(i)) {
      case 0: {
        const ran = ranFor(log, g, i);
        return `sysmon preempted ${G(g)} on ${P(p)}${where(siteOf(log, log.siteIndex(i)))}${ran ? ` after it ran ${ran}` : ''} (async preemption, SIGURG, since Go 1.14): it goes to the global queue`;
      }
      case 1:
        return `${G(g)} stops at a safe point (a function call's stack check) because sysmon asked it to: ` +
          `synchronous preemption (gopreempt_m); it goes to the global queue`;
      default:
        return `${G(g)} is stopped on ${P(p)} for stop-the-world (runtime.GOMAXPROCS): it goes to the global queue` +
          (v >= 26 ? ' (as in Go 1.19; Go 1.26 keeps it in its P\'s runnext instead)' : '');
    }
  },

  [Ev.GoSched]: (log, i, v) =>
    `${G(log.g(i))} calls runtime.Gosched: it goes to the tail of the global run queue, not its local one (goschedImpl)` +
    (v >= 22 ? ', and wakep may start an M for an idle P (Go 1.22+)' : ''),

  [Ev.GoNetpollPark]: (log, i) => {
    const what = str(log, log.b(i)) || 'I/O';
    return `${G(log.g(i))} waits for the network (${what}): it parks in the netpoller ([IO wait], netpollblock → gopark) and ` +
      `holds no thread — ${M(log.m(i))} goes on to run other Gs on ${P(log.p(i))}`;
  },

  [Ev.ProcAcquire]: (log, i) => {
    if (log.t(i) === 0 && log.m(i) === 0) return `${M(0)}, the main thread, takes ${P(log.p(i))} to start the program`;
    return `${M(log.m(i))} acquires ${P(log.p(i))} (acquirep): only an M holding a P runs Go code`;
  },

  [Ev.ProcIdle]: (log, i) => {
    const p = log.p(i);
    const m = log.m(i);
    if (m < 0 && log.t(i) === 0) return `${P(p)} starts on the idle-P list (procresize: one P per GOMAXPROCS)`;
    if (m < 0) return `${P(p)} goes onto the idle-P list: nothing for it to run (pidleput)`;
    for (let k = i - 1; k >= 0 && k >= i - 3; k--) {
      if (log.kind(k) === Ev.SysmonRetake && log.p(k) === p) {
        return `handoffp finds no work for ${P(p)} and someone else can take new work, so ${P(p)} goes onto the idle-P list (pidleput)`;
      }
    }
    return `${M(m)} has no work for ${P(p)} (its run queues, the global queue and the netpoller are empty, and stealing found nothing or was not allowed), so it puts ${P(p)} on the idle-P list (pidleput)`;
  },

  [Ev.ProcHandoff]: (log, i) => {
    const p = log.p(i);
    const from = log.b(i);
    let target = '';
    let spinning = false;
    for (const j of sameStep(log, i, 4)) {
      const k = log.kind(j);
      if (k === Ev.MCreate || k === Ev.MWake) {
        target = k === Ev.MCreate ? `a new thread ${M(log.m(j))}` : `idle ${M(log.m(j))}`;
        spinning = log.a(j) === 1;
        break;
      }
    }
    const to = target ? `gives ${P(p)} to ${target}` : `starts an M for ${P(p)}`;
    const because = spinning
      ? 'no M is spinning and no P is idle, so a spinning M is started to look for work'
      : 'there is work waiting (its local queue or the global queue), or it is the last running P and someone must poll the network';
    switch (log.a(i)) {
      case HandoffWhy.SysmonRetake: return `handoffp ${to}: ${because}`;
      case HandoffWhy.LockedM: return `${M(from)} is locked to a G that is not runnable, so it cannot run other Gs: stoplockedm → handoffp ${to}`;
      case HandoffWhy.ThreadExit: return `${M(from)}'s thread exits, so handoffp ${to}: ${because}`;
      default: return `entersyscallblock hands ${P(p)} off at once: handoffp ${to}`;
    }
  },

  [Ev.ProcStop]: (log, i) =>
    log.a(i) === 2
      ? `${P(log.p(i))} is destroyed by procresize (GOMAXPROCS shrank): its queued Gs moved to the head of the global queue and its timers to a remaining P`
      : `${P(log.p(i))} stops for stop-the-world (_Pgcstop)`,

  [Ev.MCreate]: (log, i) => `No M is idle, so startm creates a new OS thread ${M(log.m(i))} (newm) for ${P(log.p(i))}${whyStartM(log, i)}`,

  [Ev.MWake]: (log, i) => `Idle ${M(log.m(i))} is woken (startm → notewakeup) and given ${P(log.p(i))}${whyStartM(log, i)}`,

  [Ev.MSpin]: (log, i) => {
    const m = log.m(i);
    const p = log.p(i);
    if (log.a(i) === 1) {
      return `${M(m)} spins on ${P(p)}: its own queue is empty, so it looks in the global queue, the netpoller and other Ps' queues to steal (findRunnable; at most half the busy Ps have spinning Ms)`;
    }
    if (p >= 0) return `${M(m)} found work and stops spinning (resetspinning): it calls wakep, which starts another spinning M if a P is idle and no M is spinning`;
    return `${M(m)} found nothing and stops spinning; it re-checks every queue once more before sleeping (the "delicate dance" in findRunnable)`;
  },

  [Ev.MIdle]: (log, i) => {
    const m = log.m(i);
    if (log.a(i) === 1) return `${M(m)} sleeps without a P, locked to its G until that G is runnable again (stoplockedm)`;
    return `${M(m)} has nothing to do and parks on the idle-M list (stopm): the thread is kept for reuse, not destroyed; checkdead runs`;
  },

  [Ev.MNetpollBlock]: (log, i) => {
    const a = log.a(i);
    const until = a < 0 ? 'until a socket is ready (no timer pending)' : `until a socket is ready or a timer is due (here: ${duration(a * 1000)})`;
    return `${M(log.m(i))} has no P and no work: it blocks in netpoll (epoll_wait) ${until}; only one M waits there at a time`;
  },

  [Ev.MNetpollWake]: (log, i) => {
    const n = log.a(i);
    let p = -1;
    for (const j of sameStep(log, i, 2)) if (log.kind(j) === Ev.ProcAcquire && log.m(j) === log.m(i)) p = log.p(j);
    const then = p >= 0 ? `; it takes idle ${P(p)}` : '; no P is idle, so the ready Gs go to the global queue and it parks';
    if (n === 0) return `${M(log.m(i))} returns from netpoll: a timer is due (or it was interrupted, netpollBreak)${p >= 0 ? then : ''}`;
    return `${M(log.m(i))} returns from netpoll with ${plural(n, 'G')} whose I/O is ready${then}`;
  },

  [Ev.MExit]: (log, i) =>
    `${M(log.m(i))}'s thread exits (mexit): ${G(log.g(i))} ended while locked to it with LockOSThread, and the runtime does not reuse a thread in an unknown state`,

  [Ev.Steal]: (log, i, v) => {
    const m = log.m(i);
    const p = log.p(i);
    const victim = log.b(i);
    if (log.siteIndex(i) === 1) {
      return `${M(m)} on ${P(p)} found nothing else, so on the last of 4 steal passes it took ${G(log.g(i))} from P${victim}'s runnext ` +
        `(runqgrab; it waits 3 µs first if P${victim} is running, to let it run its own runnext` +
        (v >= 26 ? '; Go 1.26 skips the wait when its G is in a syscall)' : ')');
    }
    const n = log.a(i);
    return `${M(m)}, spinning on ${P(p)} with nothing to run, stole ${n} of P${victim}'s Gs — a thief takes half of the victim's local queue, rounded up (stealWork)` +
      (n > 1 ? `; it runs ${G(log.g(i))} now and queues the rest on ${P(p)}` : `; it runs ${G(log.g(i))}`);
  },

  [Ev.GlobalGet]: (log, i) => {
    const p = log.p(i);
    const n = log.a(i);
    if (log.b(i) === 1) {
      return `${P(p)}'s schedtick is a multiple of 61, so it checks the global run queue first and takes ${plural(n, 'G')} (findRunnable's fairness check: the global queue cannot starve)`;
    }
    return `${P(p)}'s local queue is empty: it takes ${plural(n, 'G')} from the global run queue (globrunqget: min(len/GOMAXPROCS + 1, len, 128))` +
      (n > 1 ? ', runs the first and queues the rest locally' : '');
  },

  [Ev.Overflow]: (log, i) =>
    `${P(log.p(i))}'s local run queue is full (256 Gs): runqputslow moves the oldest 128 plus ${G(log.g(i))} — ${log.a(i)} in all — to the global run queue`,

  [Ev.TimerFire]: (log, i) => {
    const g = log.g(i);
    const p = log.p(i);
    const owner = log.b(i);
    const stolen = owner >= 0 && owner !== p ? ` (a timer of P${owner}, run by ${M(log.m(i))} while stealing)` : '';
    if (g >= 0) return `${G(g)}'s sleep timer fired on ${P(p)}${stolen}: ${G(g)} goes into ${P(p)}'s runnext (checkTimers → goready)`;
    return `A timer fired on ${P(p)}${stolen}: it sends the time on its channel (time.After/NewTimer/Ticker: sendTime), readying a receiver if one waits`;
  },

  [Ev.SysmonPreempt]: (log, i) => {
    const ran = ranFor(log, log.g(i), i);
    const head = `sysmon finds ${G(log.g(i))} still running on ${P(log.p(i))}${ran ? ` after ${ran}` : ''}, the same time slice it saw ${log.a(i)} ms ago ` +
      '(retake: forcePreemptNS = 10 ms), and asks it to stop (preemptone)';
    return log.b(i) === 1
      ? `${head}: it signals ${M(log.m(i))} with SIGURG (async preemption, Go 1.14+)`
      : `${head}: with async preemption off it only poisons the stack guard, which is checked at the next function call — a loop without calls never sees it`;
  },

  [Ev.SysmonRetake]: (log, i) => {
    const g = log.g(i);
    const p = log.p(i);
    const enter = g >= 0 ? lastOfG(log, g, i, (k) => log.kind(k) === Ev.GoSysEnter) : -1;
    const what = enter >= 0 ? str(log, log.b(enter)) : '';
    const took = enter >= 0 ? ` (${what || 'syscall'} for ${duration(log.t(i) - log.t(enter))})` : '';
    let target = '';
    for (const j of sameStep(log, i, 4)) {
      const k = log.kind(j);
      if (k === Ev.MCreate) { target = ` to a new thread ${M(log.m(j))}`; break; }
      if (k === Ev.MWake) { target = ` to idle ${M(log.m(j))}`; break; }
      if (k === Ev.ProcIdle && log.p(j) === p) { target = ' — nothing to run, so it goes idle'; break; }
    }
    return `sysmon retook ${P(p)} from ${M(log.m(i))}, blocked in a syscall with ${G(g)}${took} (retake), and handed it off (handoffp)${target}`;
  },

  [Ev.Netpoll]: (log, i) => {
    const n = plural(log.a(i), 'G');
    switch (log.b(i)) {
      case PollWho.FindRunnable: return `${M(log.m(i))} polls the network without blocking before it would steal (findRunnable): ${n} with I/O ready; it runs the first and injects the rest (injectglist)`;
      case PollWho.Blocking: return `The netpoll wait of ${M(log.m(i))} (epoll_wait) returns ${n} whose I/O is ready`;
      case PollWho.Sysmon: return `sysmon polls the network (nobody has for 10 ms): ${n} ready, injected into run queues (injectglist)`;
      default: return `Starting the world polls the network: ${n} ready (startTheWorldWithSema)`;
    }
  },

  [Ev.Print]: (log, i) => `${G(log.g(i))} prints ${quote(str(log, log.a(i)))} (a write to ${log.b(i) === 2 ? 'stderr' : 'stdout'} that returns at once)`,

  [Ev.GoMaxProcs]: (log, i) =>
    `${G(log.g(i))} calls runtime.GOMAXPROCS(${log.b(i)}) (was ${log.a(i)}): the world stops, procresize makes ${plural(log.b(i), 'P')}, and the world restarts`,

  [Ev.Exit]: (log, i) => {
    const reason = EXIT_REASON_NAMES[log.a(i)] ?? 'error';
    const code = log.b(i);
    const msg = str(log, log.siteIndex(i));
    const first = msg.split('\n').find((l) => l.trim() !== '') ?? '';
    switch (reason) {
      case 'main-returned': return 'The program exits with status 0: main.main returned, and the runtime does not wait for other goroutines';
      case 'deadlock': return `checkdead: no M is running, no G can run and no timer is pending — "${first}" (exit status ${code})`;
      case 'goexit-deadlock': return `main called runtime.Goexit and no goroutine is left — "${first}" (exit status ${code})`;
      case 'panic': return `${G(log.g(i))} panicked and nothing recovered: "${first}" kills the whole program (exit status ${code})`;
      case 'os-exit': return `os.Exit(${code}): the program ends at once; deferred calls do not run`;
      case 'hang':
        if (isSpinHang({ reason, message: msg })) {
          return 'Nothing can ever change: the goroutines left only spin in endless loops (or wait with nothing to wake them). ' +
            'sysmon would preempt the spinners every 10 ms forever, and checkdead stays silent while a goroutine runs: the real program never ends';
        }
        return 'Every goroutine is blocked, but the runtime would not report a deadlock (a G waits on the network, a time.Ticker stays pending, or cgo is linked): the real program hangs forever';
      case 'thread-exhaustion': return `The program needs more threads than the limit: "${msg.split('\n').pop() ?? first}" (exit status ${code})`;
      case 'budget': return `The simulation stopped: ${first}`;
      default: return `The simulation failed: ${first}`;
    }
  },

  [Ev.Note]: (log, i) => `Note: ${str(log, log.a(i))}`,

  [Ev.LockOSThread]: (log, i) =>
    log.a(i) === 1
      ? `${G(log.g(i))} locks itself to ${M(log.m(i))} (runtime.LockOSThread): only ${M(log.m(i))} will run it, and ${M(log.m(i))} runs nothing else`
      : `${G(log.g(i))} unlocks itself from ${M(log.m(i))} (runtime.UnlockOSThread): any M may run it again`,

  [Ev.StartLockedM]: (log, i) =>
    `${G(log.g(i))} is locked to ${M(log.b(i))}: ${M(log.m(i))} gives ${P(log.p(i))} to ${M(log.b(i))}, wakes it and parks itself (startlockedm) — two thread switches per wake-up`,

  [Ev.Wake]: (log, i, v) => {
    const waker = log.g(i);
    const g = log.b(i);
    const p = log.p(i);
    const obj = log.a(i);
    // How many waiters the same operation readied (close, Broadcast, the last wg.Done).
    let group = 1;
    for (const j of sameStep(log, i, 64)) {
      if (log.kind(j) === Ev.Wake && log.g(j) === waker && log.a(j) === obj) group++;
    }
    for (let k = i - 1; k >= 0 && k >= i - 64 && log.t(k) === log.t(i); k--) {
      if (log.kind(k) === Ev.Wake && log.g(k) === waker && log.a(k) === obj) group++;
    }
    const blk = lastOfG(log, g, i, (k) => log.kind(k) === Ev.GoBlock);
    const reason = blk >= 0 ? log.a(blk) : -1;
    const into = `${P(p)}'s runnext` + kickedClause(log, i, g);
    switch (reason) {
      case Wait.ChanReceive:
        return group > 1
          ? `${G(waker)} closed the channel: every waiter wakes with the zero value (closechan); ${G(g)} goes into ${into}`
          : `${G(waker)}'s send handed the value straight to waiting ${G(g)} (direct hand-off), which goes into ${into}`;
      case Wait.ChanSend:
        return group > 1
          ? `${G(waker)} closed the channel: every waiting sender wakes and will panic (closechan); ${G(g)} goes into ${into}`
          : `${G(waker)}'s receive completed waiting sender ${G(g)}'s send (its value handed over directly, or into the slot a full buffer freed), so ${G(g)} goes into ${into}`;
      case Wait.Select:
        return `${G(waker)}'s channel operation completes one case of ${G(g)}'s select (goready), so ${G(g)} goes into ${into}`;
      case Wait.MutexLock:
        return `${G(waker)} unlocked and woke waiter ${G(g)} (semrelease → goready), which goes into ${into}`;
      case Wait.RWMutexLock:
      case Wait.RWMutexRLock:
        return `${G(waker)} released the sync.RWMutex and woke ${G(g)} (semrelease → goready), which goes into ${into}`;
      case Wait.WaitGroupWait:
        return `${G(waker)}'s wg.Done brought the counter to zero, releasing waiting ${G(g)} (semrelease → goready) into ${into}`;
      case Wait.CondWait:
        return group > 1
          ? `${G(waker)} broadcast on the sync.Cond, waking every waiter (notifyListNotifyAll → goready); ${G(g)} goes into ${into}`
          : `${G(waker)} signalled the sync.Cond, waking ${G(g)} (notifyListNotifyOne → goready) into ${into}`;
      default:
        return `${G(waker)} woke ${G(g)}${reason >= 0 ? ` [${waitReasonString(reason, v)}]` : ''} (goready), which goes into ${into}`;
    }
  },
};

/** Every event kind has a narrator (checked at compile time by the Record type, and by a test). */
export const NARRATED_KINDS: readonly EvKind[] = Object.keys(narrators).map(Number) as EvKind[];

/**
 * One plain sentence explaining event `i` of the log: what happened, in the diagram's terms, and
 * the runtime rule or function behind it.
 */
export function describeEvent(log: EventLog, i: number, opts: NarrateOptions = {}): string {
  if (!(i >= 0 && i < log.length)) throw new RangeError(`event ${i} is not in the log (length ${log.length})`);
  const kind = log.kind(i);
  const f = narrators[kind];
  if (!f) return `${EV_NAMES[kind] ?? `event ${kind}`}`;
  return f(log, i, opts.goVersion ?? NEWEST_GO_VERSION);
}

// ---------------------------------------------------------------------------------------------
// Picking what the panel says

/**
 * How instructive an event kind is for the narration panel: 5 = the program ends; 4 = the
 * scheduler moves work between Ps/Ms (steal, preemption, retake, hand-off); 3 = syscalls, the
 * netpoller and timers; 2 = overflow and the global queue, threads appearing; 1 = creating and
 * blocking goroutines; 0 = bookkeeping.
 */
export function narrationPriority(kind: EvKind, a = 0): number {
  switch (kind) {
    case Ev.Exit: return 5;
    case Ev.Steal: case Ev.GoPreempt: case Ev.SysmonPreempt: case Ev.SysmonRetake: case Ev.ProcHandoff:
    case Ev.StartLockedM: case Ev.MExit: case Ev.GoMaxProcs:
      return 4;
    case Ev.GoSysEnter: case Ev.GoSysExit: case Ev.Netpoll: case Ev.GoNetpollPark: case Ev.MNetpollBlock:
    case Ev.MNetpollWake: case Ev.TimerFire:
      return 3;
    case Ev.Overflow: case Ev.GlobalGet: case Ev.MCreate: case Ev.Note: case Ev.LockOSThread:
      return 2;
    case Ev.GoCreate: case Ev.GoBlock: case Ev.Wake: case Ev.GoSched: case Ev.GoEnd:
      return 1;
    case Ev.GoEnqueue:
      // A G put on the global queue by an overflow, a syscall exit or an injection is worth a look.
      return a === Loc.GlobalTail || a === Loc.GlobalHead ? 1 : 0;
    default:
      return 0;
  }
}

export interface Narration {
  /** The event explained. */
  index: number;
  text: string;
  priority: number;
}

/**
 * The most instructive recent event up to and including `upToIndex`: the highest priority among
 * the last `window` events (the most recent on a tie), explained in one sentence.
 */
export function pickNarration(log: EventLog, upToIndex: number, opts: NarrateOptions & { window?: number } = {}): Narration | null {
  const last = Math.min(upToIndex, log.length - 1);
  if (last < 0) return null;
  const window = opts.window ?? 48;
  let best = last;
  let bestPri = -1;
  for (let j = last; j >= 0 && j > last - window; j--) {
    const pri = narrationPriority(log.kind(j), log.a(j));
    if (pri > bestPri) {
      best = j;
      bestPri = pri;
      if (pri === 5) break;
    }
  }
  return { index: best, text: describeEvent(log, best, opts), priority: bestPri };
}
