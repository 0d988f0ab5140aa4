// The contract between a goroutine body and the scheduler engine.
//
// A body is a generator: each `yield` hands the engine one scheduler-relevant action and receives
// the action's result when the engine resumes the goroutine. The engine knows nothing about Go
// syntax; the interpreter (and hand-written tests/scenarios) produce these actions.

/** Where in the user's source an action comes from (1-based line, 0-based column, UTF-16). */
export interface Site {
  readonly file?: string;
  readonly line: number;
  readonly col?: number;
  readonly endLine?: number;
  readonly endCol?: number;
  /** Short source text or label, e.g. `ch <- v` or `os.ReadFile`. */
  readonly text?: string;
  /** Enclosing function, e.g. `main.main` or `main.worker` (for tracebacks). */
  readonly fn?: string;
}

/** Opaque synchronisation objects; created through the `make*` actions so the engine numbers them. */
export interface ChanRef { readonly kind: 'chan'; readonly id: number }
export interface MutexRef { readonly kind: 'mutex'; readonly id: number }
export interface RWMutexRef { readonly kind: 'rwmutex'; readonly id: number }
export interface WaitGroupRef { readonly kind: 'waitgroup'; readonly id: number }
export interface OnceRef { readonly kind: 'once'; readonly id: number }
export interface CondRef { readonly kind: 'cond'; readonly id: number }
/** A `time.Timer` / `time.Ticker`: `c` is its channel. */
export interface TimerRef { readonly kind: 'timer'; readonly id: number; readonly c: ChanRef }

export type Body = Generator<Action, any, any>;
export type BodyFactory = () => Body;

export interface RecvResult { value: unknown; ok: boolean }
export interface SelectResult { index: number; value: unknown; ok: boolean }
export interface SelectCase {
  readonly dir: 'send' | 'recv';
  /** null = nil channel: the case is never ready. */
  readonly ch: ChanRef | null;
  readonly value?: unknown;
}

export type Action =
  /**
   * CPU work of `ns` nanoseconds. `tightLoop`: a loop without function calls (no cooperative safe point).
   * `endless`: the work of a loop that can never end (no condition, no way out, cannot panic): the
   * goroutine will never do anything else, and `site` is the loop's. The engine keeps it on the G and
   * ends the run as `hang` once nothing else can ever happen.
   */
  | { op: 'work'; ns: number; tightLoop?: boolean; endless?: boolean; site?: Site }
  | { op: 'go'; body: BodyFactory; name?: string; site?: Site }
  | { op: 'makechan'; cap: number; site?: Site }
  | { op: 'send'; ch: ChanRef | null; value: unknown; site?: Site }
  | { op: 'recv'; ch: ChanRef | null; site?: Site }
  | { op: 'select'; cases: readonly SelectCase[]; hasDefault: boolean; site?: Site }
  | { op: 'close'; ch: ChanRef | null; site?: Site }
  | { op: 'len'; ch: ChanRef | null }
  | { op: 'cap'; ch: ChanRef | null }
  | { op: 'makesync'; what: 'mutex' | 'rwmutex' | 'waitgroup' | 'once' | 'cond'; mutex?: MutexRef; site?: Site }
  | { op: 'lock'; mu: MutexRef; site?: Site }
  | { op: 'unlock'; mu: MutexRef; site?: Site }
  | { op: 'tryLock'; mu: MutexRef; site?: Site }
  | { op: 'rlock'; mu: RWMutexRef; site?: Site }
  | { op: 'runlock'; mu: RWMutexRef; site?: Site }
  | { op: 'wlock'; mu: RWMutexRef; site?: Site }
  /** RWMutex.TryLock (read = false) or TryRLock (read = true): takes the lock if that would not block; resumes with whether it did. */
  | { op: 'tryRWLock'; mu: RWMutexRef; read: boolean; site?: Site }
  | { op: 'wunlock'; mu: RWMutexRef; site?: Site }
  | { op: 'wgAdd'; wg: WaitGroupRef; delta: number; site?: Site }
  | { op: 'wgWait'; wg: WaitGroupRef; site?: Site }
  /** Returns true when the caller must run the function (then yield `onceDone`), false when it already ran. */
  | { op: 'onceBegin'; once: OnceRef; site?: Site }
  | { op: 'onceDone'; once: OnceRef; site?: Site }
  | { op: 'condWait'; cond: CondRef; mu: MutexRef; site?: Site }
  | { op: 'condSignal'; cond: CondRef; broadcast: boolean; site?: Site }
  | { op: 'sleep'; ns: number; site?: Site }
  /** `time.After`/`NewTimer` (period 0) or `time.Tick`/`NewTicker` (period > 0). Returns a TimerRef. */
  | { op: 'timer'; ns: number; period: number; site?: Site }
  /** `t.Stop()`; returns true if it stopped a pending timer. */
  | { op: 'timerStop'; timer: TimerRef; site?: Site }
  /** `t.Reset(d)`; returns true if the timer was pending. A Ticker's Reset also sets its period. */
  | { op: 'timerReset'; timer: TimerRef; ns: number; period?: number; site?: Site }
  /** A blocking system call that keeps its OS thread for `ns`. */
  | { op: 'syscall'; ns: number; what: string; site?: Site }
  /** A cgo call: same scheduling as a syscall (cgocall → entersyscall). */
  | { op: 'cgo'; ns: number; what: string; site?: Site }
  /** Network I/O on a pollable fd: parks the G in the netpoller; ready after `ns` (Infinity = never). */
  | { op: 'netio'; ns: number; what: string; site?: Site }
  | { op: 'gosched'; site?: Site }
  /** `runtime.GOMAXPROCS(n)`: returns the previous value; n ≤ 0 only queries. */
  | { op: 'gomaxprocs'; n: number; site?: Site }
  | { op: 'lockOSThread'; site?: Site }
  | { op: 'unlockOSThread'; site?: Site }
  /** A write to standard output (fd 1: fmt.Print*) or standard error (fd 2: print/println, log, os.Stderr). */
  | { op: 'print'; text: string; fd: 1 | 2; site?: Site }
  | { op: 'panic'; msg: string; site?: Site }
  /** `runtime.Goexit()`: the goroutine ends (its defers already ran in the body). */
  | { op: 'goexit'; site?: Site }
  | { op: 'osExit'; code: number; site?: Site }
  /** Queries that cost nothing: virtual time (ns), goroutine id, NumGoroutine, NumCPU, a seeded random int in [0, n). */
  | { op: 'now' }
  | { op: 'goid' }
  | { op: 'numGoroutine' }
  | { op: 'numCPU' }
  | { op: 'rand'; n: number }
  /** Attach the current source site to the goroutine without doing anything (for tracebacks). */
  | { op: 'at'; site: Site };

/** A Go panic delivered into a body (via `generator.throw`) so that deferred `recover` can catch it. */
export class GoPanic extends Error {
  constructor(readonly value: string, readonly runtimeError = false) {
    super(value);
    this.name = 'GoPanic';
  }
}

// Small constructors so hand-written bodies read like Go.
export const work = (ns: number, site?: Site, tightLoop = false, endless = false): Action =>
  endless ? { op: 'work', ns, tightLoop, endless, site } : { op: 'work', ns, tightLoop, site };
export const go = (body: BodyFactory, site?: Site, name?: string): Action => ({ op: 'go', body, site, name });
export const makechan = (cap = 0, site?: Site): Action => ({ op: 'makechan', cap, site });
export const send = (ch: ChanRef | null, value: unknown, site?: Site): Action => ({ op: 'send', ch, value, site });
export const recv = (ch: ChanRef | null, site?: Site): Action => ({ op: 'recv', ch, site });
export const close = (ch: ChanRef | null, site?: Site): Action => ({ op: 'close', ch, site });
export const select = (cases: SelectCase[], hasDefault = false, site?: Site): Action => ({ op: 'select', cases, hasDefault, site });
export const mutex = (site?: Site): Action => ({ op: 'makesync', what: 'mutex', site });
export const rwmutex = (site?: Site): Action => ({ op: 'makesync', what: 'rwmutex', site });
export const waitgroup = (site?: Site): Action => ({ op: 'makesync', what: 'waitgroup', site });
export const once = (site?: Site): Action => ({ op: 'makesync', what: 'once', site });
export const cond = (mu: MutexRef, site?: Site): Action => ({ op: 'makesync', what: 'cond', mutex: mu, site });
export const lock = (mu: MutexRef, site?: Site): Action => ({ op: 'lock', mu, site });
export const unlock = (mu: MutexRef, site?: Site): Action => ({ op: 'unlock', mu, site });
export const wgAdd = (wg: WaitGroupRef, delta: number, site?: Site): Action => ({ op: 'wgAdd', wg, delta, site });
export const wgDone = (wg: WaitGroupRef, site?: Site): Action => ({ op: 'wgAdd', wg, delta: -1, site });
export const wgWait = (wg: WaitGroupRef, site?: Site): Action => ({ op: 'wgWait', wg, site });
export const sleep = (ns: number, site?: Site): Action => ({ op: 'sleep', ns, site });
export const after = (ns: number, site?: Site): Action => ({ op: 'timer', ns, period: 0, site });
export const ticker = (period: number, site?: Site): Action => ({ op: 'timer', ns: period, period, site });
export const syscall = (ns: number, what: string, site?: Site): Action => ({ op: 'syscall', ns, what, site });
export const cgo = (ns: number, what: string, site?: Site): Action => ({ op: 'cgo', ns, what, site });
export const netio = (ns: number, what: string, site?: Site): Action => ({ op: 'netio', ns, what, site });
export const gosched = (site?: Site): Action => ({ op: 'gosched', site });
export const gomaxprocs = (n: number, site?: Site): Action => ({ op: 'gomaxprocs', n, site });
export const lockOSThread = (site?: Site): Action => ({ op: 'lockOSThread', site });
export const unlockOSThread = (site?: Site): Action => ({ op: 'unlockOSThread', site });
export const print = (text: string, site?: Site, fd: 1 | 2 = 1): Action => ({ op: 'print', text, fd, site });
export const panic = (msg: string, site?: Site): Action => ({ op: 'panic', msg, site });
export const goexit = (site?: Site): Action => ({ op: 'goexit', site });
export const osExit = (code: number, site?: Site): Action => ({ op: 'osExit', code, site });

/** `once.Do(f)` for a body: runs `f` in the first caller; others wait until it has finished. */
export function* doOnce(o: OnceRef, f: () => Body, site?: Site): Body {
  if (yield { op: 'onceBegin', once: o, site }) {
    try {
      yield* f();
    } finally {
      yield { op: 'onceDone', once: o, site };
    }
  }
  return undefined;
}
