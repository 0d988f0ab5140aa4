// G, M and P as the runtime defines them (runtime2.go), with the fields the simulator needs.
import type { Action, Body, Site } from './actions';
import type { Deque } from './deque';

/** G status (runtime2.go `_G*` constants). */
export const GStatus = { Idle: 0, Runnable: 1, Running: 2, Syscall: 3, Waiting: 4, Dead: 6 } as const;
export type GStatusCode = (typeof GStatus)[keyof typeof GStatus];

/** P status (runtime2.go `_P*`). */
export const PStatus = { Idle: 0, Running: 1, Syscall: 2, GCStop: 3, Dead: 4 } as const;
export type PStatusCode = (typeof PStatus)[keyof typeof PStatus];

/** What an M is doing; the runtime has no enum for this (runtime-facts §1.4), these are the derived states. */
export const MState = {
  /** Running a G (m.curg set, holds a P). */
  Running: 0,
  /** startm woke or created it; it will acquire nextp after the thread wake-up latency. */
  Waking: 1,
  /** In a syscall or cgo call with its G, no P. */
  Syscall: 2,
  /** Blocked in netpoll (epoll_wait) with no P. */
  Netpoll: 3,
  /** On the idle-M list (stopm). */
  Idle: 4,
  /** Locked to a G that is not running: parked, holding nothing (stoplockedm). */
  LockedIdle: 5,
  /** Thread exited. */
  Dead: 6,
  /** The system monitor (no P, never idle for checkdead). */
  Sysmon: 7,
  /** Holds a P, in the scheduler, sleeping briefly (the 3 µs steal back-off) before looking again. */
  Sched: 8,
} as const;
export type MStateCode = (typeof MState)[keyof typeof MState];

/** Wait reasons the engine uses; their strings depend on the Go version (waitReasonString). */
export const Wait = {
  None: 0, ChanReceive: 1, ChanSend: 2, ChanReceiveNil: 3, ChanSendNil: 4, Select: 5, SelectNoCases: 6, Sleep: 7,
  IOWait: 8, MutexLock: 9, RWMutexRLock: 10, RWMutexLock: 11, WaitGroupWait: 12, CondWait: 13, PanicWait: 14,
} as const;
export type WaitCode = (typeof Wait)[keyof typeof Wait];

/** The string the runtime prints for a wait reason (`goroutine N [<reason>]:`), per Go version (runtime-facts §1.2). */
export function waitReasonString(w: number, goVersion: number): string {
  switch (w) {
    case Wait.ChanReceive: return 'chan receive';
    case Wait.ChanSend: return 'chan send';
    case Wait.ChanReceiveNil: return 'chan receive (nil chan)';
    case Wait.ChanSendNil: return 'chan send (nil chan)';
    case Wait.Select: return 'select';
    case Wait.SelectNoCases: return 'select (no cases)';
    case Wait.Sleep: return 'sleep';
    case Wait.IOWait: return 'IO wait';
    case Wait.MutexLock: return goVersion >= 20 ? 'sync.Mutex.Lock' : 'semacquire';
    case Wait.RWMutexRLock: return goVersion >= 20 ? 'sync.RWMutex.RLock' : 'semacquire';
    case Wait.RWMutexLock: return goVersion >= 20 ? 'sync.RWMutex.Lock' : 'semacquire';
    case Wait.WaitGroupWait: return goVersion >= 24 ? 'sync.WaitGroup.Wait' : 'semacquire';
    case Wait.CondWait: return 'sync.Cond.Wait';
    case Wait.PanicWait: return 'panicwait';
    default: return '';
  }
}

export class G {
  status: GStatusCode = GStatus.Runnable;
  waitReason: WaitCode = Wait.None;
  /** Id of the object it waits on (channel, mutex, …), -1 if none. */
  waitObj = -1;
  m: M | null = null;
  lockedM: M | null = null;
  lockedCount = 0;
  /** Value handed to the body when it resumes (result of the action it blocked on). */
  resume: unknown = undefined;
  /** A Go panic to raise inside the body when it resumes (e.g. send on a channel closed while waiting). */
  throwNext: Error | null = null;
  /** An action to redo when the G runs again (a woken mutex waiter retries Lock). */
  retry: Action | null = null;
  /** CPU work left when it was preempted in the middle of a `work` action. */
  remainingNs = 0;
  remainingTight = false;
  /** Preemption requested (g.preempt): honoured at the next safe point in cooperative mode. */
  preempt = false;
  /** Set when a select has been won by one case (selectDone). */
  selectDone = false;
  /** When it started waiting for a sync.Mutex (for starvation mode), -1 if not. */
  mutexWaitStart = -1;
  /** Current source site (last action's), for tracebacks and the diagram. */
  site: Site | undefined;
  /** Function that ran the `go` statement (for "created by" in tracebacks). */
  creatorFn: string | undefined = undefined;
  /** The work action in flight was a tight loop (no cooperative safe point). */
  inTightLoop = false;
  /**
   * Set once it runs a loop that can never end (a `work` action marked `endless`): the loop's site.
   * It stays set for good, across preemption: the G will never do anything but spin there.
   */
  endlessSite: Site | null = null;
  constructor(
    readonly id: number,
    /** Its body; dropped when the G dies so a million finished goroutines cost little memory. */
    public body: Body | null,
    readonly parent: number,
    readonly createdSite: Site | undefined,
    readonly name: string | undefined,
  ) {}
}

export interface SysmonTick { schedtick: number; schedwhen: number; syscalltick: number; syscallwhen: number }

export class P {
  status: PStatusCode = PStatus.Idle;
  m: M | null = null;
  /** 256-slot ring (runq) with head/tail counters, plus runnext. */
  readonly runq: (G | null)[];
  runqhead = 0;
  runqtail = 0;
  runnext: G | null = null;
  schedtick = 0;
  syscalltick = 0;
  readonly sysmontick: SysmonTick = { schedtick: 0, schedwhen: 0, syscalltick: 0, syscallwhen: 0 };
  /** Timer heap (ordered by when, then sequence). */
  readonly timers: TimerEntry[] = [];
  goidcache = 0;
  goidcacheend = 0;
  onIdleList = false;
  constructor(readonly id: number, ringSize: number) {
    this.runq = new Array(ringSize).fill(null);
  }
  runqsize(): number { return this.runqtail - this.runqhead; }
  runqempty(): boolean { return this.runqtail === this.runqhead && this.runnext === null; }
}

export class M {
  state: MStateCode = MState.Idle;
  p: P | null = null;
  nextp: P | null = null;
  oldp: P | null = null;
  curg: G | null = null;
  spinning = false;
  lockedg: G | null = null;
  syscalltick = 0;
  /** The spinning state it had when it blocked in netpoll (restored on wake-up). */
  wasSpinning = false;
  /** Its one pending event: generation (bumped to cancel) and time. */
  gen = 0;
  evTime = 0;
  pending = false;
  /** A woken M that was locked to lockedg runs it directly (startlockedm). */
  wakeLocked = false;
  /** Extra latency before its next G starts (steal back-off). */
  constructor(readonly id: number) {}
}

export interface TimerEntry {
  id: number;
  when: number;
  seq: number;
  /** Period for tickers, 0 for one-shot. */
  period: number;
  /** The sleeping G (time.Sleep), or null for a channel timer. */
  g: G | null;
  /** Channel timer: its channel state. */
  chan: unknown;
  /** Index in its P's heap, -1 when not in a heap. */
  index: number;
  p: P | null;
}

export type { Deque };
