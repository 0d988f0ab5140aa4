// The event log: compact typed records (time, kind, G/M/P ids, two arguments, source site).
//
// Every scheduler decision the engine makes is one event, and every move of a G between places
// (runnext, local ring, global queue, running, waiting, syscall, dead) is explicit, so that the
// state at any time is a pure fold of the log (see state.ts).
import type { Site } from '../engine/actions';

/**
 * Event kinds. Field use per kind is documented beside each; -1 = not applicable. The last column
 * (`site`) is a source-site index for the kinds that say "site"; a few kinds use it as a third
 * argument instead, and say so.
 */
export const Ev = {
  /** g created by goroutine a (goid) on p; site = the `go` statement; b = name string or -1. */
  GoCreate: 1,
  /**
   * g becomes runnable at a place: a = Loc, b = Why (see below); p = the P whose queue (-1 for the
   * global queue), m = the actor's M; site column = who caused it: the waker's or displacing G's
   * goid (Ready, Kicked), the victim P id (Steal), or -1.
   */
  GoEnqueue: 2,
  /** g starts running on m/p (execute); a = 1 if it inherits the time slice (taken from runnext); b = -1. */
  GoStart: 3,
  /** g parks: a = WaitReason code, b = object id (chan/mutex/…) or -1. */
  GoBlock: 4,
  /** g finished (returned, or runtime.Goexit). */
  GoEnd: 5,
  /** g enters a syscall (a = 0) or cgo call (a = 1) on m; p = the P it leaves in _Psyscall; b = string (what). */
  GoSysEnter: 6,
  /** g's syscall returns: a = SysExit path; p = the P it got back (-1 if none). */
  GoSysExit: 7,
  /** g is preempted: a = 0 async (sysmon signal), 1 cooperative (at a safe point), 2 stop-the-world. */
  GoPreempt: 8,
  /** g called runtime.Gosched. */
  GoSched: 9,
  /** g parks in the netpoller (IO wait); b = string (what). */
  GoNetpollPark: 10,
  /** m acquires p (wirep/acquirep). */
  ProcAcquire: 11,
  /** p goes onto the idle-P list; m = the M that released it. */
  ProcIdle: 12,
  /** p is handed off (handoffp started an M for it): a = HandoffWhy, b = the M giving it up (or -1); m = -1, the MWake/MCreate right after names the new M. */
  ProcHandoff: 13,
  /** p stops for stop-the-world (a = 1) or is destroyed by procresize (a = 2). */
  ProcStop: 14,
  /** a new OS thread m is created; a = 1 if spinning; p = its nextp; b = the M that started it (-1 = sysmon/none). */
  MCreate: 15,
  /** idle m is woken with nextp p; a = 1 if spinning; b = the M that woke it (-1 = sysmon/none). */
  MWake: 16,
  /** m starts (a = 1) or stops (a = 0) spinning on p. */
  MSpin: 17,
  /** m parks on the idle-M list (stopm). */
  MIdle: 18,
  /** m blocks in netpoll with no P; a = timeout in µs (-1 = forever). */
  MNetpollBlock: 19,
  /** m returns from a blocking netpoll; a = number of ready Gs. */
  MNetpollWake: 20,
  /** m's thread exits (a locked G ended without UnlockOSThread). */
  MExit: 21,
  /** m on p steals a Gs from victim P b; g = the G it runs now; from the victim's runnext if `site` = 1. */
  Steal: 22,
  /** p takes a Gs from the global queue (a batch); b = 1 for the 1-in-61 fairness check. */
  GlobalGet: 23,
  /** p's local ring is full: a Gs (128 + the new one) move to the global queue. */
  Overflow: 24,
  /** a timer fired, run by m on p; g = the sleeper (or -1 for a channel timer); a = timer id; b = the P whose heap held it. */
  TimerFire: 25,
  /** sysmon asks g on p/m to stop: it has run a ms without a reschedule. */
  SysmonPreempt: 26,
  /** sysmon retakes p from m, blocked in a syscall with g. */
  SysmonRetake: 27,
  /** a netpoll returned a ready Gs; b = who polled (PollWho). */
  Netpoll: 28,
  /** g printed string a to file descriptor b (1 = stdout, 2 = stderr). */
  Print: 29,
  /** GOMAXPROCS changed from a to b by g (stop-the-world + procresize). */
  GoMaxProcs: 30,
  /** the program ended: a = index in EXIT_REASON_NAMES, b = exit code; g = the goroutine responsible or -1; site column = the message (string id). */
  Exit: 31,
  /** an explanatory note (string a), e.g. an approximation the user should know about. */
  Note: 32,
  /** g locks (a = 1) or unlocks (a = 0) its M (LockOSThread). */
  LockOSThread: 33,
  /** a locked G is handed to its own M: m (the picker) gives p to M b, then parks. */
  StartLockedM: 34,
  /** g wakes waiter b by a channel/sync operation on object a (direct handoff narration). */
  Wake: 35,
} as const;
export type EvKind = (typeof Ev)[keyof typeof Ev];
export const EV_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Ev).map(([k, v]) => [v, k]));

/** Places a runnable G can be put. */
export const Loc = { Runnext: 0, LocalTail: 1, GlobalTail: 2, GlobalHead: 3, Local: 4, Global: 5, Netpoll: 6 } as const;
/** Why a G was put on a queue. */
export const Why = {
  Create: 0, Kicked: 1, Overflow: 2, Steal: 3, GlobalBatch: 4, Ready: 5, Gosched: 6, Preempt: 7,
  SyscallExit: 8, Inject: 9, ProcResize: 10, Yield: 11, Timer: 12,
} as const;
export const WHY_NAMES = Object.keys(Why);
/** How a syscall returned (exitsyscall). */
export const SysExit = { FastOldP: 0, FastIdleP: 1, Slow: 2 } as const;
/** Who gave a P away (handoffp callers). */
export const HandoffWhy = { SysmonRetake: 0, LockedM: 1, ThreadExit: 2 } as const;
/** Who ran a netpoll. */
export const PollWho = { FindRunnable: 0, Blocking: 1, Sysmon: 2, StartTheWorld: 3 } as const;

export type ExitReasonName =
  | 'main-returned' | 'deadlock' | 'panic' | 'os-exit' | 'goexit-deadlock' | 'hang' | 'thread-exhaustion' | 'budget' | 'error';
/** Exit reasons by their code in Exit events. */
export const EXIT_REASON_NAMES: ExitReasonName[] = [
  'main-returned', 'deadlock', 'panic', 'os-exit', 'goexit-deadlock', 'hang', 'thread-exhaustion', 'budget', 'error',
];

/**
 * A `hang` has two causes: every goroutine is blocked (but the runtime stays silent), or goroutines
 * spin in endless loops that nothing can stop. The second's message starts with this.
 */
export const SPIN_HANG_PREFIX = 'the program never ends: ';
/** Whether a `hang` exit is a program spinning forever (not blocked forever). */
export function isSpinHang(exit: { reason: string; message: string }): boolean {
  return exit.reason === 'hang' && exit.message.startsWith(SPIN_HANG_PREFIX);
}

/** One decoded event (for consumers that want objects; the log itself stores columns). */
export interface TraceEvent {
  i: number;
  t: number;
  kind: EvKind;
  g: number;
  m: number;
  p: number;
  a: number;
  b: number;
  site: number;
}

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

interface Chunk {
  t: Float64Array;
  kind: Uint8Array;
  g: Int32Array;
  m: Int32Array;
  p: Int32Array;
  a: Int32Array;
  b: Int32Array;
  site: Int32Array;
}

function newChunk(): Chunk {
  return {
    t: new Float64Array(CHUNK), kind: new Uint8Array(CHUNK), g: new Int32Array(CHUNK), m: new Int32Array(CHUNK),
    p: new Int32Array(CHUNK), a: new Int32Array(CHUNK), b: new Int32Array(CHUNK), site: new Int32Array(CHUNK),
  };
}

/** Columnar, chunked event storage: 33 bytes an event (10 M events ≈ 330 MB). */
export class EventLog {
  private chunks: Chunk[] = [];
  private cur: Chunk | null = null;
  length = 0;
  readonly strings: string[] = [];
  private stringIds = new Map<string, number>();
  readonly sites: Site[] = [];
  private siteIds = new Map<Site, number>();

  push(t: number, kind: EvKind, g: number, m: number, p: number, a: number, b: number, site: number): number {
    const i = this.length;
    const j = i & MASK;
    if (j === 0) {
      this.cur = newChunk();
      this.chunks.push(this.cur);
    }
    const c = this.cur!;
    c.t[j] = t;
    c.kind[j] = kind;
    c.g[j] = g;
    c.m[j] = m;
    c.p[j] = p;
    c.a[j] = a;
    c.b[j] = b;
    c.site[j] = site;
    this.length = i + 1;
    return i;
  }

  str(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  site(s: Site | undefined): number {
    if (!s) return -1;
    let id = this.siteIds.get(s);
    if (id === undefined) {
      id = this.sites.length;
      this.sites.push(s);
      this.siteIds.set(s, id);
    }
    return id;
  }

  t(i: number): number { return this.chunks[i >>> CHUNK_BITS]!.t[i & MASK]!; }
  kind(i: number): EvKind { return this.chunks[i >>> CHUNK_BITS]!.kind[i & MASK]! as EvKind; }
  g(i: number): number { return this.chunks[i >>> CHUNK_BITS]!.g[i & MASK]!; }
  m(i: number): number { return this.chunks[i >>> CHUNK_BITS]!.m[i & MASK]!; }
  p(i: number): number { return this.chunks[i >>> CHUNK_BITS]!.p[i & MASK]!; }
  a(i: number): number { return this.chunks[i >>> CHUNK_BITS]!.a[i & MASK]!; }
  b(i: number): number { return this.chunks[i >>> CHUNK_BITS]!.b[i & MASK]!; }
  siteIndex(i: number): number { return this.chunks[i >>> CHUNK_BITS]!.site[i & MASK]!; }

  get(i: number): TraceEvent {
    const c = this.chunks[i >>> CHUNK_BITS]!;
    const j = i & MASK;
    return { i, t: c.t[j]!, kind: c.kind[j]! as EvKind, g: c.g[j]!, m: c.m[j]!, p: c.p[j]!, a: c.a[j]!, b: c.b[j]!, site: c.site[j]! };
  }

  /** Index of the first event with time > t (binary search; times are non-decreasing). */
  upperBound(t: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Bytes held by the columns (allocated chunks). */
  byteSize(): number {
    return this.chunks.length * CHUNK * (8 + 1 + 6 * 4);
  }

  /** A plain, transferable copy (for worker → host → webview). */
  toJSON(): SerializedLog {
    const n = this.length;
    const cols = { t: new Float64Array(n), kind: new Uint8Array(n), g: new Int32Array(n), m: new Int32Array(n), p: new Int32Array(n), a: new Int32Array(n), b: new Int32Array(n), site: new Int32Array(n) };
    for (let ci = 0; ci < this.chunks.length; ci++) {
      const c = this.chunks[ci]!;
      const off = ci * CHUNK;
      const len = Math.min(CHUNK, n - off);
      for (const k of Object.keys(cols) as (keyof Chunk)[]) (cols[k] as any).set((c[k] as any).subarray(0, len), off);
    }
    return { length: n, ...cols, strings: this.strings.slice(), sites: this.sites.slice() };
  }

  /**
   * The log of a serialized copy. Whole chunks are views of the copy's columns (no copy: the
   * panel opens logs of millions of events), so the copy must not be modified afterwards; the
   * last, partial chunk is copied so that push() can continue the log.
   */
  static fromJSON(s: SerializedLog): EventLog {
    const log = new EventLog();
    const whole = Math.floor(s.length / CHUNK);
    const view = <T extends Float64Array | Uint8Array | Int32Array>(a: T, k: number): T => a.subarray(k * CHUNK, (k + 1) * CHUNK) as T;
    for (let k = 0; k < whole; k++) {
      log.chunks.push({
        t: view(s.t, k), kind: view(s.kind, k), g: view(s.g, k), m: view(s.m, k), p: view(s.p, k), a: view(s.a, k), b: view(s.b, k), site: view(s.site, k),
      });
    }
    log.cur = log.chunks[whole - 1] ?? null;
    log.length = whole * CHUNK;
    for (let i = whole * CHUNK; i < s.length; i++) log.push(s.t[i]!, s.kind[i]! as EvKind, s.g[i]!, s.m[i]!, s.p[i]!, s.a[i]!, s.b[i]!, s.site[i]!);
    for (const str of s.strings) log.str(str);
    for (const site of s.sites) log.site(site);
    return log;
  }
}

export interface SerializedLog {
  length: number;
  t: Float64Array;
  kind: Uint8Array;
  g: Int32Array;
  m: Int32Array;
  p: Int32Array;
  a: Int32Array;
  b: Int32Array;
  site: Int32Array;
  strings: string[];
  sites: Site[];
}
