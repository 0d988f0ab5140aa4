// The GMP scheduler as a deterministic discrete-event simulation.
//
// Names follow proc.go (Go 1.19, the reference; newer-version differences are switched by
// config.goVersion). Every function that has a runtime twin carries its name: newproc, runqput,
// runqputslow, globrunqget, findRunnable, stealWork, wakep, startm, stopm, handoffp, entersyscall,
// exitsyscall, sysmon, retake, preemptone, injectglist, checkdead, procresize. Where the
// simulation simplifies, the comment says so.
//
// Time: a virtual clock in ns. Each M has at most one pending event (the end of what it is doing);
// sysmon is an M with its own ticks. Events at equal times run in the order they were scheduled.
import {
  GoPanic, type Action, type BodyFactory, type ChanRef, type Site, type TimerRef,
} from './actions';
import { Chan, chanrecv, chansend, closechan, fixSingleCaseResume, Op, selectgo, timerSend } from './chan';
import { resolveConfig, type SimConfig } from './config';
import * as C from './costs';
import { Deque } from './deque';
import { G, GStatus, M, MState, P, PStatus, Wait, waitReasonString, type TimerEntry, type WaitCode } from './entities';
import { Rng, StealOrder } from './rng';
import {
  Cond, Mutex, Once, RWMutex, WaitGroup, mutexLock, mutexUnlock, onceBegin, onceDone, rwLock, rwRLock, rwRUnlock,
  rwUnlock, SyncOp, wgAdd, wgWait,
} from './sync';
import {
  Ev, EventLog, EXIT_REASON_NAMES, HandoffWhy, Loc, PollWho, SPIN_HANG_PREFIX, SysExit, Why, type EvKind, type ExitReasonName,
} from '../trace/events';

/** What a run's output may hold (stdout and stderr together): beyond it, a runaway printer stops the run. */
const MAX_OUTPUT_CHARS = 16 * 1048576;

export interface GoroutineInfo {
  id: number;
  /** In the runtime's words: running, runnable, syscall, or the wait reason. */
  state: string;
  site: Site | undefined;
  createdSite: Site | undefined;
  parent: number;
  name: string | undefined;
}

export interface SimExit {
  reason: ExitReasonName;
  code: number;
  /** What the runtime prints (fatal error and tracebacks, panic message), or the budget reached. */
  message: string;
  g: number;
  timeNs: number;
}

export interface SimResult {
  exit: SimExit;
  /** What the program wrote to standard output. */
  output: string;
  /** What the program wrote to standard error (print/println, log, os.Stderr); the runtime's own message is exit.message. */
  stderr: string;
  log: EventLog;
  /** Goroutines alive when the run ended (main included if it was). */
  goroutines: GoroutineInfo[];
  notes: string[];
  config: SimConfig;
}

interface Found { g: G; inherit: boolean; delay: number }

interface TimerState { entry: TimerEntry; ch: Chan; ref: TimerRef }

const NO_EVENT = Infinity;

class StopRun extends Error {}

/** Min-heap of pending M events keyed by (time, sequence). */
class EventQueue {
  private t: number[] = [];
  private s: number[] = [];
  private m: M[] = [];
  private gen: number[] = [];
  get size(): number { return this.t.length; }
  push(t: number, seq: number, m: M, gen: number): void {
    let i = this.t.length;
    this.t.push(t); this.s.push(seq); this.m.push(m); this.gen.push(gen);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(parent, i)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  private less(a: number, b: number): boolean {
    return this.t[a]! < this.t[b]! || (this.t[a] === this.t[b] && this.s[a]! < this.s[b]!);
  }
  private swap(a: number, b: number): void {
    [this.t[a], this.t[b]] = [this.t[b]!, this.t[a]!];
    [this.s[a], this.s[b]] = [this.s[b]!, this.s[a]!];
    [this.m[a], this.m[b]] = [this.m[b]!, this.m[a]!];
    [this.gen[a], this.gen[b]] = [this.gen[b]!, this.gen[a]!];
  }
  peekTime(): number { return this.t.length ? this.t[0]! : Infinity; }
  /** The popped entry (fields reused, to spare the garbage collector). */
  readonly top = { t: 0, m: null as unknown as M, gen: 0 };
  /** Pops the earliest into `top`; false if empty. */
  pop(): boolean {
    const n = this.t.length;
    if (n === 0) return false;
    const r = this.top;
    r.t = this.t[0]!;
    r.m = this.m[0]!;
    r.gen = this.gen[0]!;
    this.swap(0, n - 1);
    this.t.pop(); this.s.pop(); this.m.pop(); this.gen.pop();
    let i = 0;
    const len = n - 1;
    for (;;) {
      const l = 2 * i + 1;
      const rr = l + 1;
      let min = i;
      if (l < len && this.less(l, min)) min = l;
      if (rr < len && this.less(rr, min)) min = rr;
      if (min === i) break;
      this.swap(i, min);
      i = min;
    }
    return true;
  }
}

export class Scheduler {
  readonly config: SimConfig;
  readonly log = new EventLog();
  now = 0;
  output = '';
  stderr = '';
  readonly notes: string[] = [];
  private readonly rng: Rng;
  private readonly stealOrder = new StealOrder();
  private readonly orderBuf: number[] = [];

  // schedt
  allp: P[] = [];
  gomaxprocs: number;
  private readonly pidle: P[] = [];
  private readonly midle: M[] = [];
  nmspinning = 0;
  private nmidlelocked = 0;
  private mnext = 0;
  private nmfreed = 0;
  readonly globrunq = new Deque<G>(1024);
  private goidgen = 0;
  /** 0 = an M is blocked in netpoll right now (sched.lastpoll). */
  private lastpoll = 1;
  private pollerPollUntil = 0;
  private netpollInited = false;
  private netpollWaiters = 0;
  /** Network readiness: Gs parked in IO wait and when their fd becomes ready. */
  private readonly netpollReady: { at: number; g: G; seq: number }[] = [];
  private poller: M | null = null;

  private readonly allm: M[] = [];
  /** Live goroutines in creation order (allgs minus the dead: a finished G's memory is released). */
  private readonly gs = new Set<G>();
  private liveGoroutines = 0;
  private peakGoroutines = 0;
  private readonly sysmonM: M;
  private sysmonDelay = C.SYSMON_MIN_DELAY_NS;
  private sysmonIdle = 0;
  private sysmonWait = false;
  private readonly queue = new EventQueue();
  private seq = 0;
  /** Ms (not sysmon) with a pending event: when none are left nothing can ever happen again. */
  private pendingMs = 0;
  private exit: SimExit | null = null;
  private mainG!: G;
  private objIds = 0;
  private readonly chans = new Map<number, Chan>();
  private readonly syncObjs = new Map<number, Mutex | RWMutex | WaitGroup | Once | Cond>();
  private readonly timers = new Map<number, TimerState>();
  private timerSeq = 0;
  private zeroTimeSteps = 0;
  /** Work counters for benchmarks: engine events dispatched and goroutine actions performed. */
  dispatched = 0;
  actions = 0;
  private stealBackoff = false;
  private runqgetInherit = false;
  /** findRunnable's result, reused (one scheduling decision is in flight at a time). */
  private readonly foundBuf: Found = { g: null as unknown as G, inherit: false, delay: 0 };
  /** G whose action is being processed (for ready/park called from chan/sync code). */
  private curM: M | null = null;

  constructor(config: Partial<SimConfig> = {}) {
    this.config = resolveConfig(config);
    this.gomaxprocs = this.config.gomaxprocs;
    this.rng = new Rng(this.config.seed);
    // M0 runs main; M1 is sysmon (started by runtime.main before main.main).
    const m0 = this.allocm();
    this.sysmonM = this.allocm();
    this.sysmonM.state = MState.Sysmon;
    this.procresizeInit(this.gomaxprocs);
    m0.state = MState.Running;
  }

  // ---------------------------------------------------------------------------------------------
  // Running

  /** Runs `main` as goroutine 1 until the program ends or a budget is reached. */
  run(main: BodyFactory, mainSite?: Site): SimResult {
    const m0 = this.allm[0]!;
    const p0 = this.allp[0]!;
    this.pidleRemove(p0);
    this.acquirep(m0, p0);
    // runtime.main is G1; the runtime's own goroutines take the next ids (forcegc, bgsweep, …).
    const g1 = this.newG(main, 0, mainSite, 'main.main', p0);
    this.mainG = g1;
    for (let i = 0; i < this.config.runtimeGoroutines; i++) this.allocGoid(p0);
    this.emit(Ev.GoCreate, g1.id, m0.id, p0.id, 0, this.log.str('main.main'), this.log.site(mainSite));
    this.execute(m0, g1, false, 0);
    this.setEvent(this.sysmonM, C.SYSMON_MIN_DELAY_NS);
    try {
      this.loop();
    } catch (e) {
      if (!(e instanceof StopRun)) this.end('error', 2, `internal error in the simulator: ${(e as Error)?.message ?? e}`, -1);
    }
    return {
      exit: this.exit!,
      output: this.output,
      stderr: this.stderr,
      log: this.log,
      goroutines: this.liveGoroutineInfo(),
      notes: this.notes,
      config: this.config,
    };
  }

  private loop(): void {
    const cfg = this.config;
    while (!this.exit) {
      if (this.pendingMs === 0) {
        this.finish('hang', -1, 'all goroutines are blocked, but the runtime would not report a deadlock: ' + this.hangWhy() +
          ' The real program blocks forever.', -1);
        return;
      }
      this.queue.pop();
      const e = this.queue.top;
      const m = e.m;
      if (e.gen !== m.gen) continue;
      if (e.t > cfg.maxVirtualTimeNs) {
        this.now = cfg.maxVirtualTimeNs;
        this.timersOnly();
        if (!this.exit) this.syscallsForever();
        this.finish('budget', -1, `stopped at the virtual-time budget (${fmtNs(cfg.maxVirtualTimeNs)})`, -1);
        return;
      }
      m.pending = false;
      if (m !== this.sysmonM) this.pendingMs--;
      this.now = e.t;
      this.dispatched++;
      this.dispatch(m);
      if (this.onEvent) this.onEvent(this);
      if (this.log.length > cfg.maxEvents && !this.exit) {
        this.finish('budget', -1, `stopped at the event budget (${cfg.maxEvents.toLocaleString('en-US')} events)`, -1);
      }
    }
  }

  /**
   * At the virtual-time budget: if every goroutine waits and no pending timer can wake any of them
   * (no sleeper, no receiver on a timer's channel), the rest of the run is known without simulating
   * it. checkdead stays silent while a timer is pending (runtime-facts §12.1): a Ticker keeps one
   * pending forever, so the program hangs; one-shot timers only delay the report until the last fires.
   */
  private timersOnly(): void {
    for (const g of this.gs) if (g.status !== GStatus.Waiting) return;
    if (this.netpollWaiters > 0 || this.config.cgoLinked) return;
    let last = 0;
    let tickers = 0;
    let pending = 0;
    for (const p of this.allp) {
      for (const t of p.timers) {
        if (!this.timerActive(t)) continue;
        if (t.g !== null || (t.chan as Chan).recvq.length > 0) return;
        pending++;
        if (t.period > 0) tickers++;
        else last = Math.max(last, t.when);
      }
    }
    if (pending === 0) return;
    if (tickers > 0) {
      this.finish('hang', -1, `all goroutines are blocked and no timer can wake any of them, but ${tickers} time.Ticker timer(s) stay pending, ` +
        'and checkdead does not report a deadlock while a timer is pending. The real program blocks forever.', -1);
    }
    // Nothing can run before the last timer fires; then checkdead reports what it would have at once.
    this.now = last;
    this.notes.push(`no goroutine could run after ${fmtNs(this.config.maxVirtualTimeNs)}; the run skipped to ${fmtNs(last)}, when the last pending timer fires and the runtime reports the deadlock`);
    this.reportDeadlock();
  }

  /**
   * At the virtual-time budget: every goroutine waits, except some in a system call that never returns
   * (os/signal's loop in signal_recv …), and no timer can wake anyone. Their threads count as running,
   * so checkdead never reports a deadlock (runtime-facts §12.1): the real program blocks forever.
   */
  private syscallsForever(): void {
    let forever = 0;
    for (const g of this.gs) {
      if (g.status === GStatus.Dead || g.status === GStatus.Waiting) continue;
      if (g.status === GStatus.Syscall && this.allm.some((m) => m.state === MState.Syscall && m.curg === g && !Number.isFinite(m.evTime))) { forever++; continue; }
      return;
    }
    if (forever === 0) return;
    for (const p of this.allp) for (const t of p.timers) if (this.timerActive(t) && (t.g !== null || (t.chan as Chan).recvq.length > 0)) return;
    this.finish('hang', -1, `all goroutines are blocked, but the runtime would not report a deadlock: ${forever} goroutine(s) are in a system call that never returns ` +
      '(its thread counts as running, so checkdead sees a running thread). The real program blocks forever.', -1);
  }

  private hangWhy(): string {
    if (this.netpollWaiters > 0) return `${this.netpollWaiters} goroutine(s) wait for network I/O that never becomes ready (an M waits in netpoll, so checkdead sees a running thread).`;
    if (this.config.cgoLinked) return 'the binary links the cgo runtime, whose extra M makes checkdead see a running thread.';
    return 'a thread is still counted as running.';
  }

  private dispatch(m: M): void {
    switch (m.state) {
      case MState.Running: this.runM(m); break;
      case MState.Waking: this.mstart(m); break;
      case MState.Syscall: this.exitsyscall(m); break;
      case MState.Netpoll: this.netpollWake(m); break;
      case MState.Sysmon: this.sysmon(); break;
      case MState.Sched: this.curM = m; m.state = MState.Running; this.schedule(m); break;
      default: break;
    }
  }

  private setEvent(m: M, delay: number): void {
    m.gen++;
    m.evTime = this.now + delay;
    if (!m.pending) {
      m.pending = true;
      if (m !== this.sysmonM) this.pendingMs++;
    }
    this.queue.push(m.evTime, this.seq++, m, m.gen);
  }

  /** A wait that never ends by itself (epoll with no deadline): nothing is queued, the M is not pending. */
  private blockForever(m: M): void {
    this.cancelEvent(m);
    m.evTime = NO_EVENT;
  }

  private cancelEvent(m: M): void {
    m.gen++;
    if (m.pending) {
      m.pending = false;
      if (m !== this.sysmonM) this.pendingMs--;
    }
  }

  private emit(kind: EvKind, g: number, m: number, p: number, a: number, b: number, site: number): void {
    this.log.push(this.now, kind, g, m, p, a, b, site);
  }

  /** Ends the run and unwinds to run() (whatever was executing stops there). */
  private finish(reason: ExitReasonName, code: number, message: string, g: number): never {
    this.end(reason, code, message, g);
    throw new StopRun();
  }

  private end(reason: ExitReasonName, code: number, message: string, g: number): void {
    if (this.exit) return;
    this.exit = { reason, code, message, g, timeNs: this.now };
    this.emit(Ev.Exit, g, -1, -1, EXIT_REASON_NAMES.indexOf(reason), code, this.log.str(message));
  }

  // ---------------------------------------------------------------------------------------------
  // Goroutines

  private allocGoid(p: P): number {
    // Goroutine ids come from per-P batches of 16 (_GoidCacheBatch), so they are not sequential across Ps.
    if (p.goidcache === p.goidcacheend) {
      this.goidgen += C.GOID_BATCH;
      p.goidcache = this.goidgen - (C.GOID_BATCH - 1);
      p.goidcacheend = p.goidcache + C.GOID_BATCH;
    }
    return p.goidcache++;
  }

  private newG(body: BodyFactory, parent: number, site: Site | undefined, name: string | undefined, p: P): G {
    const g = new G(this.allocGoid(p), body(), parent, site, name);
    g.site = site;
    this.gs.add(g);
    this.liveGoroutines++;
    if (this.liveGoroutines > this.peakGoroutines) this.peakGoroutines = this.liveGoroutines;
    return g;
  }

  /** newproc: the new G goes to runnext of the creator's P, then wakep. */
  private newproc(m: M, parent: G, body: BodyFactory, site: Site | undefined, name: string | undefined): void {
    if (this.liveGoroutines >= this.config.maxGoroutines) {
      this.finish('budget', -1, `stopped at the goroutine budget (${this.config.maxGoroutines.toLocaleString('en-US')} live goroutines)`, parent.id);
    }
    const p = m.p!;
    const g = this.newG(body, parent.id, site, name, p);
    g.creatorFn = parent.site?.fn ?? parent.name;
    this.emit(Ev.GoCreate, g.id, m.id, p.id, parent.id, name ? this.log.str(name) : -1, this.log.site(site));
    this.runqput(p, g, true, Why.Create, m);
    this.wakep();
  }

  // ---------------------------------------------------------------------------------------------
  // Run queues

  private enq(g: G, loc: number, p: P | null, why: number, m: M | null, by = -1): void {
    this.emit(Ev.GoEnqueue, g.id, m ? m.id : -1, p ? p.id : -1, loc, why, by);
  }

  /** runqput: next=true puts g in runnext and kicks the old runnext to the tail. */
  private runqput(p: P, g: G, next: boolean, why: number, m: M | null, by = -1): void {
    g.status = GStatus.Runnable;
    if (next) {
      const old = p.runnext;
      p.runnext = g;
      this.enq(g, Loc.Runnext, p, why, m, by);
      if (!old) return;
      g = old;
      why = Why.Kicked;
      by = p.runnext.id;
    }
    if (p.runqtail - p.runqhead < p.runq.length) {
      p.runq[p.runqtail % p.runq.length] = g;
      p.runqtail++;
      this.enq(g, Loc.LocalTail, p, why, m, by);
      return;
    }
    this.runqputslow(p, g, m);
  }

  /** runqputslow: the ring is full; move its older half (128) plus g to the global queue. */
  private runqputslow(p: P, g: G, m: M | null): void {
    const n = p.runq.length / 2;
    const batch: G[] = [];
    for (let i = 0; i < n; i++) {
      batch.push(p.runq[p.runqhead % p.runq.length]!);
      p.runq[p.runqhead % p.runq.length] = null;
      p.runqhead++;
    }
    batch.push(g);
    this.emit(Ev.Overflow, g.id, m ? m.id : -1, p.id, batch.length, -1, -1);
    for (const x of batch) {
      this.globrunq.push(x);
      this.enq(x, Loc.GlobalTail, null, Why.Overflow, m);
    }
  }

  /** runqget: runnext first (inherits the time slice: sets runqgetInherit), then the ring head. */
  private runqget(p: P): G | null {
    const next = p.runnext;
    if (next) {
      p.runnext = null;
      this.runqgetInherit = true;
      return next;
    }
    this.runqgetInherit = false;
    if (p.runqtail === p.runqhead) return null;
    const g = p.runq[p.runqhead % p.runq.length]!;
    p.runq[p.runqhead % p.runq.length] = null;
    p.runqhead++;
    return g;
  }

  private globrunqput(g: G, m: M | null, why: number): void {
    g.status = GStatus.Runnable;
    this.globrunq.push(g);
    this.enq(g, Loc.GlobalTail, null, why, m);
  }

  /** globrunqget: take min(size/gomaxprocs+1, size, max, 128); run the first, queue the rest locally. */
  private globrunqget(p: P, max: number, m: M, fairness: boolean): G | null {
    const size = this.globrunq.length;
    if (size === 0) return null;
    let n = Math.min(size, Math.floor(size / this.gomaxprocs) + 1);
    if (max > 0 && n > max) n = max;
    if (n > p.runq.length / 2) n = p.runq.length / 2;
    this.emit(Ev.GlobalGet, -1, m.id, p.id, n, fairness ? 1 : 0, -1);
    const gp = this.globrunq.shift()!;
    for (let i = 1; i < n; i++) this.runqput(p, this.globrunq.shift()!, false, Why.GlobalBatch, m);
    return gp;
  }

  // ---------------------------------------------------------------------------------------------
  // Ps and Ms

  private allocm(): M {
    const m = new M(this.mnext++);
    this.allm.push(m);
    return m;
  }

  private mcount(): number {
    return this.mnext - this.nmfreed;
  }

  private acquirep(m: M, p: P): void {
    p.status = PStatus.Running;
    p.m = m;
    m.p = p;
    this.emit(Ev.ProcAcquire, -1, m.id, p.id, -1, -1, -1);
  }

  private releasep(m: M): P {
    const p = m.p!;
    p.m = null;
    m.p = null;
    p.status = PStatus.Idle;
    return p;
  }

  private pidleput(p: P, m: M | null): void {
    p.status = PStatus.Idle;
    p.m = null;
    p.onIdleList = true;
    this.pidle.push(p);
    this.emit(Ev.ProcIdle, -1, m ? m.id : -1, p.id, -1, -1, -1);
  }

  private pidleget(): P | null {
    const p = this.pidle.pop() ?? null;
    if (p) p.onIdleList = false;
    return p;
  }

  private pidleRemove(p: P): void {
    const i = this.pidle.indexOf(p);
    if (i >= 0) this.pidle.splice(i, 1);
    p.onIdleList = false;
  }

  get npidle(): number {
    return this.pidle.length;
  }

  /** wakep: start a spinning M only if there is an idle P and no M is spinning already. */
  private wakep(): void {
    if (this.npidle === 0) return;
    if (this.nmspinning !== 0) return;
    this.nmspinning++;
    this.startm(null, true, this.curM);
  }

  /** startm: give P (or an idle P) to an idle M, or to a new thread. */
  private startm(p: P | null, spinning: boolean, by: M | null): void {
    if (!p) {
      p = this.pidleget();
      if (!p) {
        if (spinning) this.nmspinning--;
        return;
      }
    }
    let nmp = this.midle.pop() ?? null;
    if (!nmp) {
      if (this.mcount() >= this.config.maxThreads) {
        this.finish('thread-exhaustion', 2,
          `runtime: program exceeds ${this.config.maxThreads}-thread limit\nfatal error: thread exhaustion`, -1);
      }
      nmp = this.allocm();
      nmp.nextp = p;
      nmp.spinning = spinning;
      nmp.state = MState.Waking;
      this.emit(Ev.MCreate, -1, nmp.id, p.id, spinning ? 1 : 0, by ? by.id : -1, -1);
      this.setEvent(nmp, C.THREAD_CREATE_NS);
      return;
    }
    nmp.nextp = p;
    nmp.spinning = spinning;
    nmp.state = MState.Waking;
    this.emit(Ev.MWake, -1, nmp.id, p.id, spinning ? 1 : 0, by ? by.id : -1, -1);
    this.setEvent(nmp, C.THREAD_WAKE_NS);
  }

  /** A woken or new M starts: acquire nextp and schedule (mstart1 / the end of stopm). */
  private mstart(m: M): void {
    const p = m.nextp!;
    m.nextp = null;
    m.state = MState.Running;
    if (p.status === PStatus.Dead) {
      // procresize destroyed the P while the thread was waking up (the real M would stop at gcstopm).
      if (m.spinning) {
        m.spinning = false;
        this.nmspinning--;
      }
      this.stopm(m);
      return;
    }
    this.acquirep(m, p);
    if (m.wakeLocked) {
      m.wakeLocked = false;
      const g = m.lockedg!;
      this.execute(m, g, false, 0);
      return;
    }
    if (m.spinning) this.emit(Ev.MSpin, -1, m.id, p.id, 1, -1, -1);
    this.schedule(m);
  }

  /** stopm: park the M on the idle list; checkdead runs every time an M goes idle. */
  private stopm(m: M): void {
    m.state = MState.Idle;
    m.curg = null;
    this.midle.push(m);
    this.emit(Ev.MIdle, -1, m.id, -1, -1, -1, -1);
    this.checkdead();
  }

  /** handoffp: who gets a P that an M gives up (syscall retake, locked M, thread exit). */
  private handoffp(p: P, by: M | null, why: number): void {
    const from = by ? by.id : -1;
    if (!p.runqempty() || this.globrunq.length !== 0) {
      this.emit(Ev.ProcHandoff, -1, -1, p.id, why, from, -1);
      this.startm(p, false, by);
      return;
    }
    if (this.nmspinning + this.npidle === 0) {
      this.nmspinning++;
      this.emit(Ev.ProcHandoff, -1, -1, p.id, why, from, -1);
      this.startm(p, true, by);
      return;
    }
    // If this is the last running P and nobody is polling the network, start an M to do it.
    if (this.npidle === this.gomaxprocs - 1 && this.lastpoll !== 0) {
      this.emit(Ev.ProcHandoff, -1, -1, p.id, why, from, -1);
      this.startm(p, false, by);
      return;
    }
    const when = this.nextTimerWhen(p);
    this.pidleput(p, by);
    if (when !== 0) this.wakeNetPoller(when);
  }

  // ---------------------------------------------------------------------------------------------
  // schedule / findRunnable / execute

  private schedule(m: M): void {
    if (m.lockedg) {
      this.stoplockedm(m);
      return;
    }
    const r = this.findRunnable(m);
    if (r) this.runFound(m, r);
  }

  private runFound(m: M, r: Found): void {
    const { g, inherit, delay } = r;
    if (m.spinning) this.resetspinning(m);
    if (g.lockedM && g.lockedM !== m) {
      this.startlockedm(m, g);
      return;
    }
    this.execute(m, g, inherit, delay);
  }

  /** resetspinning: a spinning M found work; if it was the last spinner, wake another (wakep). */
  private resetspinning(m: M): void {
    m.spinning = false;
    this.nmspinning--;
    this.emit(Ev.MSpin, -1, m.id, m.p ? m.p.id : -1, 0, -1, -1);
    this.wakep();
  }

  /** execute: switch to g; schedtick advances only when the slice is not inherited from runnext. */
  private execute(m: M, g: G, inherit: boolean, delay: number): void {
    const p = m.p!;
    g.status = GStatus.Running;
    g.m = m;
    g.preempt = false;
    m.curg = g;
    m.state = MState.Running;
    if (!inherit) p.schedtick++;
    if (g.waitReason !== Wait.None) {
      g.waitReason = Wait.None;
      g.waitObj = -1;
    }
    this.emit(Ev.GoStart, g.id, m.id, p.id, inherit ? 1 : 0, -1, -1);
    this.setEvent(m, C.SWITCH_NS + delay);
  }

  /** findRunnable, in the runtime's order (runtime-facts §4.2). Returns null if the M parked or blocked in netpoll. */
  private findRunnable(m: M): Found | null {
    for (let iter = 0; ; iter++) {
      if (iter > 1000) throw new Error(`findRunnable on M${m.id} looped without time passing`);
      const p = m.p!;
      let pollUntil = this.checkTimers(p, p, m);
      // 1 in 61: look at the global queue first so it cannot starve.
      if (p.schedtick % C.GLOBAL_FAIRNESS_TICKS === 0 && this.globrunq.length > 0) {
        const g = this.globrunqget(p, 1, m, true);
        if (g) return this.found(g, false, 0);
      }
      const local = this.runqget(p);
      if (local) return this.found(local, this.runqgetInherit, 0);
      if (this.globrunq.length > 0) {
        const g = this.globrunqget(p, 0, m, false);
        if (g) return this.found(g, false, 0);
      }
      // Non-blocking netpoll, only if nobody is blocked in netpoll.
      if (this.netpollInited && this.netpollWaiters > 0 && this.lastpoll !== 0) {
        const list = this.netpoll(PollWho.FindRunnable, m, p);
        if (list.length) {
          const g = list.shift()!;
          this.injectglist(list, m);
          return this.found(g, false, 0);
        }
      }
      // Steal, limiting spinning Ms to half the busy Ps.
      if (m.spinning || 2 * this.nmspinning < this.gomaxprocs - this.npidle) {
        if (!m.spinning) {
          m.spinning = true;
          this.nmspinning++;
          this.emit(Ev.MSpin, -1, m.id, p.id, 1, -1, -1);
        }
        const s = this.stealWork(m, p);
        if (s.found) return s.found;
        if (s.newWork) continue;
        if (s.backoff) {
          // runqgrab's usleep(3): the victim is about to run its runnext; look again in 3 µs.
          m.state = MState.Sched;
          this.setEvent(m, C.STEAL_RUNNEXT_BACKOFF_NS);
          return null;
        }
        if (s.pollUntil !== 0 && (pollUntil === 0 || s.pollUntil < pollUntil)) pollUntil = s.pollUntil;
      }
      // Nothing to do: give up the P.
      if (this.globrunq.length > 0) {
        const g = this.globrunqget(p, 0, m, false);
        if (g) return this.found(g, false, 0);
      }
      this.releasep(m);
      this.pidleput(p, m);
      const wasSpinning = m.spinning;
      if (m.spinning) {
        m.spinning = false;
        this.nmspinning--;
        this.emit(Ev.MSpin, -1, m.id, -1, 0, -1, -1);
        // The "delicate dance": re-check every queue after dropping spinning.
        const p2 = this.checkRunqsNoP();
        if (p2) {
          this.acquirep(m, p2);
          m.spinning = true;
          this.nmspinning++;
          this.emit(Ev.MSpin, -1, m.id, p2.id, 1, -1, -1);
          continue;
        }
        pollUntil = this.checkTimersNoP(pollUntil);
      }
      // Block in netpoll until the next timer (only one M at a time).
      if (this.netpollInited && (this.netpollWaiters > 0 || pollUntil !== 0) && this.lastpoll !== 0) {
        this.lastpoll = 0;
        this.pollerPollUntil = pollUntil;
        this.poller = m;
        m.wasSpinning = wasSpinning;
        m.state = MState.Netpoll;
        const wake = this.pollerWakeTime();
        this.emit(Ev.MNetpollBlock, -1, m.id, -1, wake === NO_EVENT ? -1 : Math.min(2 ** 31 - 1, Math.round((wake - this.now) / 1000)), -1, -1);
        if (wake === NO_EVENT) this.blockForever(m);
        else this.setEvent(m, wake - this.now);
        return null;
      } else if (pollUntil !== 0 && this.netpollInited) {
        if (this.pollerPollUntil === 0 || this.pollerPollUntil > pollUntil) this.netpollBreak();
      }
      this.stopm(m);
      return null;
    }
  }

  private found(g: G, inherit: boolean, delay: number): Found {
    const f = this.foundBuf;
    f.g = g;
    f.inherit = inherit;
    f.delay = delay;
    return f;
  }

  /** checkRunqsNoP: after dropping spinning, if some busy P has queued work and an idle P exists, take it. */
  private checkRunqsNoP(): P | null {
    for (const p2 of this.allp) {
      if (!p2.onIdleList && !p2.runqempty()) return this.pidleget();
    }
    return null;
  }

  private checkTimersNoP(pollUntil: number): number {
    for (const p2 of this.allp) {
      const w = this.nextTimerWhen(p2);
      if (w !== 0 && (pollUntil === 0 || w < pollUntil)) pollUntil = w;
    }
    return pollUntil;
  }

  /** stealWork: 4 passes over all Ps in random order; timers and runnext only on the last pass. */
  private stealWork(m: M, p: P): { found: Found | null; newWork: boolean; pollUntil: number; backoff: boolean } {
    let pollUntil = 0;
    let ranTimer = false;
    this.stealBackoff = false;
    for (let i = 0; i < C.STEAL_TRIES; i++) {
      const last = i === C.STEAL_TRIES - 1;
      for (const idx of this.stealOrder.order(this.rng.next(), this.orderBuf)) {
        const p2 = this.allp[idx]!;
        if (p2 === p) continue;
        if (last && p2.timers.length > 0) {
          const before = p.runnext;
          const w = this.checkTimers(p2, p, m);
          if (w !== 0 && (pollUntil === 0 || w < pollUntil)) pollUntil = w;
          if (p.runnext !== before) {
            // A timer readied a G into our runnext: run it.
            const r = this.runqget(p);
            if (r) return { found: this.found(r, this.runqgetInherit, 0), newWork: false, pollUntil, backoff: false };
            ranTimer = true;
          }
        }
        if (!p2.onIdleList) {
          const f = this.runqsteal(m, p, p2, last);
          if (f) return { found: f, newWork: false, pollUntil, backoff: false };
        }
      }
    }
    return { found: null, newWork: ranTimer, pollUntil, backoff: this.stealBackoff };
  }

  /** runqsteal/runqgrab: take half (rounded up) of p2's ring; run the last taken. */
  private runqsteal(m: M, p: P, p2: P, stealRunNextG: boolean): Found | null {
    let n = p2.runqsize();
    n = n - Math.floor(n / 2);
    if (n === 0) {
      if (!stealRunNextG || !p2.runnext) return null;
      let delay = 0;
      if (p2.status === PStatus.Running) {
        // The thief sleeps 3 µs to let the victim run its own runnext (runqgrab usleep(3)). The
        // victim can only do so at its next scheduling point, which the simulation knows: if that
        // comes within the 3 µs, the victim keeps its G.
        const vm = p2.m;
        if (vm && vm.pending && vm.evTime <= this.now + C.STEAL_RUNNEXT_BACKOFF_NS) {
          this.stealBackoff = true;
          return null;
        }
        delay = C.STEAL_RUNNEXT_BACKOFF_NS;
      }
      const g = p2.runnext;
      p2.runnext = null;
      this.emit(Ev.Steal, g.id, m.id, p.id, 1, p2.id, 1);
      return this.found(g, false, delay);
    }
    const batch: G[] = [];
    for (let i = 0; i < n; i++) {
      batch.push(p2.runq[p2.runqhead % p2.runq.length]!);
      p2.runq[p2.runqhead % p2.runq.length] = null;
      p2.runqhead++;
    }
    const gp = batch.pop()!;
    this.emit(Ev.Steal, gp.id, m.id, p.id, n, p2.id, 0);
    for (const g of batch) {
      p.runq[p.runqtail % p.runq.length] = g;
      p.runqtail++;
      this.enq(g, Loc.LocalTail, p, Why.Steal, m, p2.id);
    }
    return this.found(gp, false, 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Running a G: step its body, perform its actions

  private runM(m: M): void {
    const g = m.curg!;
    if (g.remainingNs > 0) {
      // Resume the work it was doing when it was preempted.
      const r = g.remainingNs;
      g.remainingNs = 0;
      g.inTightLoop = g.remainingTight;
      this.setEvent(m, r);
      return;
    }
    if (g.preempt && !g.inTightLoop) {
      // Cooperative preemption at a safe point (function prologue), Go ≤ 1.13 style.
      this.emit(Ev.GoPreempt, g.id, m.id, m.p!.id, 1, -1, this.log.site(g.site));
      this.goschedImpl(m, g, Why.Preempt);
      return;
    }
    g.inTightLoop = false;
    this.curM = m;
    for (;;) {
      let action: Action;
      try {
        if (g.retry) {
          action = g.retry;
          g.retry = null;
        } else {
          const t = g.throwNext;
          let r: IteratorResult<Action, unknown>;
          if (t) {
            g.throwNext = null;
            r = g.body!.throw(t);
          } else {
            const v = g.resume;
            g.resume = undefined;
            r = g.body!.next(v);
          }
          if (r.done) {
            this.goexit0(m, g);
            return;
          }
          action = r.value;
        }
      } catch (e) {
        this.bodyThrew(g, e);
        return;
      }
      if ((action as { site?: Site }).site) g.site = (action as { site?: Site }).site;
      let cost: number;
      this.actions++;
      try {
        cost = this.doAction(m, g, action);
      } catch (e) {
        if (e instanceof GoPanic) {
          // A runtime panic raised by the action (send on closed channel, …): deliver it into the body.
          g.throwNext = e;
          cost = 0;
        } else throw e;
      }
      if (cost < 0) return;
      if (cost > 0) {
        this.zeroTimeSteps = 0;
        this.setEvent(m, cost);
        return;
      }
      if (++this.zeroTimeSteps > this.config.maxZeroTimeSteps) {
        this.finish('budget', -1, `stopped: goroutine ${g.id} took ${this.config.maxZeroTimeSteps.toLocaleString('en-US')} steps without virtual time passing`, g.id);
      }
    }
  }

  private bodyThrew(g: G, e: unknown): void {
    if (e instanceof GoPanic) {
      this.fatalPanic(g, e.value, e.runtimeError);
      return;
    }
    if (e instanceof StopRun) throw e;
    this.finish('error', 2, `goroutine ${g.id}'s body failed: ${(e as Error)?.message ?? String(e)}`, g.id);
  }

  private fatalPanic(g: G, msg: string, runtimeError: boolean): void {
    // A runtime error (nil map write, send on closed channel …) prints like any panic; only the
    // "[recovered]" and "goroutine N [running]" frames differ in the real runtime, not modelled.
    void runtimeError;
    const text = `panic: ${msg}\n\n${this.traceback(g, 'running')}\nexit status 2`;
    this.finish('panic', 2, text, g.id);
  }

  /** Performs one action for g running on m. Returns its CPU cost in ns, or -1 if g left the CPU. */
  private doAction(m: M, g: G, a: Action): number {
    switch (a.op) {
      case 'work': {
        const ns = Math.max(0, a.ns);
        g.inTightLoop = !!a.tightLoop;
        if (a.endless && !g.endlessSite) {
          g.endlessSite = a.site ?? g.site ?? { line: 0 };
          if (a.site) g.site = a.site;
        }
        if (!Number.isFinite(ns)) return Infinity;
        return ns;
      }
      case 'go':
        this.newproc(m, g, a.body, a.site, a.name);
        return C.GO_CREATE_NS;
      case 'makechan': {
        if (!(a.cap >= 0) || !Number.isFinite(a.cap)) throw new GoPanic('makechan: size out of range', true);
        const c = new Chan(++this.objIds, Math.floor(a.cap));
        this.chans.set(c.id, c);
        g.resume = { kind: 'chan', id: c.id } satisfies ChanRef;
        return C.ATOMIC_OP_NS;
      }
      case 'send':
        return chansend(this, g, this.chan(a.ch), a.value) === Op.Blocked ? this.left(m, g) : C.CHAN_OP_NS;
      case 'recv': {
        const c = this.chan(a.ch);
        const r = chanrecv(this, g, c);
        if (r === Op.Blocked) {
          if (c?.timerChan) this.timerChanWaited(c);
          return this.left(m, g);
        }
        g.resume = r;
        return C.CHAN_OP_NS;
      }
      case 'select': {
        const chans = a.cases.map((c) => this.chan(c.ch));
        const r = selectgo(this, g, a.cases, a.hasDefault, chans);
        if (r === Op.Blocked) {
          for (const c of chans) if (c?.timerChan) this.timerChanWaited(c);
          return this.left(m, g);
        }
        g.resume = r;
        return C.CHAN_OP_NS;
      }
      case 'close':
        closechan(this, g, this.chan(a.ch));
        return C.CHAN_OP_NS;
      case 'len': {
        const c = this.chan(a.ch);
        g.resume = c ? c.buf.length : 0;
        return 0;
      }
      case 'cap': {
        const c = this.chan(a.ch);
        g.resume = c && !c.timerChan ? c.cap : (c && this.config.goVersion < 23 ? 1 : 0);
        return 0;
      }
      case 'makesync': {
        const id = ++this.objIds;
        const obj = a.what === 'mutex' ? new Mutex(id) : a.what === 'rwmutex' ? new RWMutex(id) : a.what === 'waitgroup'
          ? new WaitGroup(id) : a.what === 'once' ? new Once(id) : new Cond(id, a.mutex?.id ?? -1);
        this.syncObjs.set(id, obj);
        g.resume = { kind: a.what, id };
        return 0;
      }
      case 'lock':
        return mutexLock(this, g, this.sync(a.mu.id, Mutex), Wait.MutexLock) === SyncOp.Blocked
          ? this.parkRetry(m, g, a) : C.ATOMIC_OP_NS;
      case 'tryLock': {
        const mu = this.sync(a.mu.id, Mutex);
        g.resume = !mu.locked && !(mu.starving && mu.waiters.length > 0);
        if (g.resume) mu.locked = true;
        return C.ATOMIC_OP_NS;
      }
      case 'unlock':
        mutexUnlock(this, g, this.sync(a.mu.id, Mutex));
        return g.status === GStatus.Running ? C.ATOMIC_OP_NS : this.left(m, g);
      case 'tryRWLock': {
        const rw = this.sync(a.mu.id, RWMutex);
        // TryRLock fails while a writer holds or waits for the lock; TryLock also while readers hold it.
        g.resume = !rw.writerHeld && (a.read || rw.readers === 0);
        if (g.resume && a.read) rw.readers++;
        else if (g.resume) { rw.writerHeld = true; rw.writerActive = true; }
        return C.ATOMIC_OP_NS;
      }
      case 'rlock':
        return rwRLock(this, g, this.sync(a.mu.id, RWMutex)) === SyncOp.Blocked ? this.left(m, g) : C.ATOMIC_OP_NS;
      case 'runlock':
        rwRUnlock(this, g, this.sync(a.mu.id, RWMutex));
        return C.ATOMIC_OP_NS;
      case 'wlock':
        return rwLock(this, g, this.sync(a.mu.id, RWMutex)) === SyncOp.Blocked ? this.left(m, g) : C.ATOMIC_OP_NS;
      case 'wunlock':
        rwUnlock(this, g, this.sync(a.mu.id, RWMutex));
        return C.ATOMIC_OP_NS;
      case 'wgAdd':
        wgAdd(this, g, this.sync(a.wg.id, WaitGroup), a.delta);
        return C.ATOMIC_OP_NS;
      case 'wgWait':
        return wgWait(this, g, this.sync(a.wg.id, WaitGroup)) === SyncOp.Blocked ? this.left(m, g) : C.ATOMIC_OP_NS;
      case 'onceBegin': {
        const r = onceBegin(this, g, this.sync(a.once.id, Once));
        if (r === null) return this.left(m, g);
        g.resume = r;
        return C.ATOMIC_OP_NS;
      }
      case 'onceDone':
        onceDone(this, g, this.sync(a.once.id, Once));
        return C.ATOMIC_OP_NS;
      case 'condWait': {
        const cv = this.sync(a.cond.id, Cond);
        mutexUnlock(this, g, this.sync(a.mu.id, Mutex), false);
        cv.waiters.push(g);
        // When signalled it must re-acquire the mutex before Wait returns.
        g.retry = { op: 'lock', mu: a.mu, site: a.site };
        this.park(g, Wait.CondWait, cv.id);
        return this.left(m, g);
      }
      case 'condSignal': {
        const cv = this.sync(a.cond.id, Cond);
        do {
          const w = cv.waiters.shift();
          if (!w) break;
          this.ready(w, g, cv.id);
        } while (a.broadcast);
        return C.ATOMIC_OP_NS;
      }
      case 'sleep':
        if (!(a.ns > 0)) return 0; // time.Sleep(d ≤ 0) returns at once, no yield.
        this.addtimer(m.p!, this.now + a.ns, 0, g, null);
        this.park(g, Wait.Sleep, -1);
        return this.left(m, g);
      case 'timer':
        g.resume = this.newTimer(m, a.ns, a.period);
        return C.ATOMIC_OP_NS;
      case 'timerStop': {
        const t = this.timers.get(a.timer.id);
        g.resume = !!t && this.deltimer(t.entry);
        return C.ATOMIC_OP_NS;
      }
      case 'timerReset': {
        const t = this.timers.get(a.timer.id);
        if (!t) {
          g.resume = false;
          return 0;
        }
        g.resume = this.deltimer(t.entry);
        if (a.period !== undefined) t.entry.period = Math.max(1, a.period);
        this.addtimerEntry(m.p!, t.entry, this.now + Math.max(0, a.ns));
        return C.ATOMIC_OP_NS;
      }
      case 'syscall':
      case 'cgo':
        this.entersyscall(m, g, a.ns, a.op === 'cgo', a.what, a.site);
        return -1;
      case 'netio':
        this.netpollblock(m, g, a.ns, a.what, a.site);
        return this.left(m, g);
      case 'gosched':
        this.emit(Ev.GoSched, g.id, m.id, m.p!.id, -1, -1, this.log.site(a.site));
        this.goschedImpl(m, g, Why.Gosched);
        return -1;
      case 'gomaxprocs': {
        const old = this.gomaxprocs;
        g.resume = old;
        if (a.n <= 0 || a.n === old) return 0;
        this.stopTheWorldAndResize(m, g, Math.floor(a.n));
        return C.STW_NS;
      }
      case 'lockOSThread':
        g.lockedCount++;
        g.lockedM = m;
        m.lockedg = g;
        this.emit(Ev.LockOSThread, g.id, m.id, m.p!.id, 1, -1, this.log.site(a.site));
        return 0;
      case 'unlockOSThread':
        if (g.lockedCount > 0 && --g.lockedCount === 0) {
          g.lockedM = null;
          m.lockedg = null;
          this.emit(Ev.LockOSThread, g.id, m.id, m.p!.id, 0, -1, this.log.site(a.site));
        }
        return 0;
      case 'print':
        if (this.output.length + this.stderr.length + a.text.length > MAX_OUTPUT_CHARS) {
          this.finish('budget', -1, `stopped: the program printed more than ${MAX_OUTPUT_CHARS / 1048576} M characters, the most a simulation keeps`, g.id);
          return C.PRINT_NS;
        }
        if (a.fd === 2) this.stderr += a.text;
        else this.output += a.text;
        this.emit(Ev.Print, g.id, m.id, m.p!.id, this.log.str(a.text), a.fd, this.log.site(a.site));
        return C.PRINT_NS;
      case 'panic':
        this.fatalPanic(g, a.msg, false);
        return -1;
      case 'goexit':
        this.goexit0(m, g, true);
        return -1;
      case 'osExit':
        this.finish('os-exit', a.code, `exit status ${a.code}`, g.id);
        return -1;
      case 'now':
        g.resume = this.now;
        return 0;
      case 'goid':
        g.resume = g.id;
        return 0;
      case 'numGoroutine':
        g.resume = this.liveGoroutines;
        return 0;
      case 'numCPU':
        g.resume = this.config.gomaxprocs;
        return 0;
      case 'rand':
        g.resume = this.rng.intn(a.n);
        return 0;
      case 'at':
        return 0;
      default:
        throw new Error(`unknown action ${(a as { op: string }).op}`);
    }
  }

  private chan(ref: ChanRef | null): Chan | null {
    if (!ref) return null;
    const c = this.chans.get(ref.id);
    if (!c) throw new Error(`unknown channel ${ref.id}`);
    return c;
  }

  private sync<T>(id: number, cls: new (...args: any[]) => T): T {
    const o = this.syncObjs.get(id);
    if (!(o instanceof cls)) throw new Error(`unknown sync object ${id}`);
    return o;
  }

  // --- ChanHost / SyncHost ---------------------------------------------------------------------

  /** goready: waiting → runnable into the current P's runnext, then wakep. */
  ready(g: G, waker: G | null, objId: number): void {
    const m = this.curM!;
    if (waker) this.emit(Ev.Wake, waker.id, m.id, m.p!.id, objId, g.id, -1);
    fixSingleCaseResume(g);
    this.runqput(m.p!, g, true, Why.Ready, m, waker ? waker.id : -1);
    this.wakep();
  }

  /** gopark: g stops running and waits (the caller returns -1 so the M schedules). */
  park(g: G, reason: WaitCode, objId: number): void {
    g.status = GStatus.Waiting;
    g.waitReason = reason;
    g.waitObj = objId;
    const m = g.m!;
    this.emit(Ev.GoBlock, g.id, m.id, m.p ? m.p.id : -1, reason, objId, this.log.site(g.site));
  }

  randn(n: number): number {
    return this.rng.intn(n);
  }

  yieldCurrent(g: G): void {
    // goyield: the current G goes to the tail of its own P's local queue.
    const m = g.m!;
    g.status = GStatus.Runnable;
    this.runqput(m.p!, g, false, Why.Yield, m);
  }

  fatal(msg: string): void {
    const g = this.curM?.curg;
    this.finish('panic', 2, `fatal error: ${msg}\n\n${g ? this.traceback(g, 'running') : ''}`, g ? g.id : -1);
  }

  private parkRetry(m: M, g: G, a: Action): number {
    g.retry = a;
    return this.left(m, g);
  }

  /** g no longer runs on m (parked, or yielded by a starvation hand-off): m schedules. */
  private left(m: M, g: G): number {
    g.m = null;
    m.curg = null;
    this.schedule(m);
    return -1;
  }

  /** goschedImpl: Gosched and preemption put the G at the tail of the global queue. */
  private goschedImpl(m: M, g: G, why: number): void {
    g.m = null;
    m.curg = null;
    this.globrunqput(g, m, why);
    if (this.config.goVersion >= 22) this.wakep();
    this.schedule(m);
  }

  /** goexit0: the G is dead; a G that exits while locked to its thread takes the thread with it. */
  private goexit0(m: M, g: G, viaGoexit = false): void {
    const p = m.p!;
    g.status = GStatus.Dead;
    g.body = null;
    g.resume = undefined;
    this.gs.delete(g);
    g.m = null;
    m.curg = null;
    this.liveGoroutines--;
    this.emit(Ev.GoEnd, g.id, m.id, p.id, viaGoexit ? 1 : 0, -1, this.log.site(g.site));
    if (g === this.mainG) {
      if (!viaGoexit) {
        // runtime.main: main.main returned → exit(0) at once; other goroutines are discarded.
        this.finish('main-returned', 0, 'main returned: exit status 0', g.id);
      }
    }
    if (g.lockedM === m) {
      // mexit: the thread is not returned to the pool.
      g.lockedM = null;
      m.lockedg = null;
      this.releasep(m);
      m.state = MState.Dead;
      this.nmfreed++;
      this.emit(Ev.MExit, g.id, m.id, p.id, -1, -1, -1);
      this.handoffp(p, m, HandoffWhy.ThreadExit);
      return;
    }
    this.schedule(m);
  }

  // ---------------------------------------------------------------------------------------------
  // Locked threads (LockOSThread)

  /** stoplockedm: the locked G is not running; hand the P off and sleep until it is runnable. */
  private stoplockedm(m: M): void {
    const p = this.releasep(m);
    this.handoffp(p, m, HandoffWhy.LockedM);
    m.state = MState.LockedIdle;
    this.nmidlelocked++;
    this.emit(Ev.MIdle, -1, m.id, -1, 1, -1, -1);
    this.checkdead();
  }

  /** startlockedm: g is locked to another M: give it our P, wake it, and park ourselves. */
  private startlockedm(m: M, g: G): void {
    const mp = g.lockedM!;
    this.nmidlelocked--;
    const p = this.releasep(m);
    mp.nextp = p;
    mp.wakeLocked = true;
    mp.state = MState.Waking;
    this.emit(Ev.StartLockedM, g.id, m.id, p.id, -1, mp.id, -1);
    this.setEvent(mp, C.THREAD_WAKE_NS);
    this.stopm(m);
  }

  // ---------------------------------------------------------------------------------------------
  // Syscalls and cgo

  /** entersyscall: the G keeps the M; the P is left in _Psyscall for sysmon to retake. */
  private entersyscall(m: M, g: G, ns: number, cgo: boolean, what: string, site: Site | undefined): void {
    const p = m.p!;
    g.status = GStatus.Syscall;
    m.oldp = p;
    m.syscalltick = p.syscalltick;
    p.m = null;
    m.p = null;
    p.status = PStatus.Syscall;
    m.state = MState.Syscall;
    this.emit(Ev.GoSysEnter, g.id, m.id, p.id, cgo ? 1 : 0, this.log.str(what), this.log.site(site));
    this.setEvent(m, C.SYSCALL_ENTRY_NS + Math.max(0, ns));
    if (this.sysmonWait) this.wakeSysmon();
  }

  /** exitsyscall: fast path (old P, then any idle P) or slow path (global queue, M stops). */
  private exitsyscall(m: M): void {
    const g = m.curg!;
    const oldp = m.oldp;
    m.oldp = null;
    this.curM = m;
    let p: P | null = null;
    let path: number = SysExit.FastOldP;
    if (oldp && oldp.status === PStatus.Syscall) {
      // Fast path: the old P is still waiting in _Psyscall; re-wire it without scheduling.
      oldp.status = PStatus.Running;
      oldp.m = m;
      m.p = oldp;
      p = oldp;
    } else if (this.npidle > 0) {
      // Fast path: any idle P (exitsyscallfast_pidle).
      p = this.pidleget()!;
      path = SysExit.FastIdleP;
      if (this.sysmonWait) this.wakeSysmon();
      this.acquirep(m, p);
    }
    if (p) {
      p.syscalltick++;
      g.status = GStatus.Running;
      m.state = MState.Running;
      this.emit(Ev.GoSysExit, g.id, m.id, p.id, path, -1, -1);
      this.runM(m);
      return;
    }
    // Slow path (exitsyscall0): no P → the G goes to the global queue and the M stops.
    g.status = GStatus.Runnable;
    g.m = null;
    m.curg = null;
    this.emit(Ev.GoSysExit, g.id, m.id, -1, SysExit.Slow, -1, -1);
    this.globrunqput(g, m, Why.SyscallExit);
    if (g.lockedM === m) {
      m.state = MState.LockedIdle;
      this.nmidlelocked++;
      this.emit(Ev.MIdle, -1, m.id, -1, 1, -1, -1);
      this.checkdead();
      return;
    }
    this.stopm(m);
  }

  // ---------------------------------------------------------------------------------------------
  // Netpoller

  private netpollblock(m: M, g: G, ns: number, what: string, site: Site | undefined): void {
    this.netpollInited = true;
    this.netpollWaiters++;
    const at = this.now + Math.max(0, ns);
    if (Number.isFinite(at)) this.heapPush(this.netpollReady, { at, g, seq: this.seq++ });
    g.status = GStatus.Waiting;
    g.waitReason = Wait.IOWait;
    this.emit(Ev.GoNetpollPark, g.id, m.id, m.p!.id, Wait.IOWait, this.log.str(what), this.log.site(site));
    // epoll_wait returns as soon as an fd is ready: move a blocked poller's wake-up earlier.
    if (this.poller && Number.isFinite(at) && at < this.poller.evTime) this.setEvent(this.poller, at - this.now);
  }

  /** netpoll(0): the Gs whose fds are ready now (at most 128 a call). */
  private netpoll(who: number, m: M | null, p: P | null): G[] {
    const list: G[] = [];
    while (this.netpollReady.length && this.netpollReady[0]!.at <= this.now && list.length < C.NETPOLL_BATCH) {
      const r = this.heapPop(this.netpollReady)!;
      list.push(r.g);
      this.netpollWaiters--;
    }
    if (list.length) this.emit(Ev.Netpoll, -1, m ? m.id : -1, p ? p.id : -1, list.length, who, -1);
    for (const g of list) g.status = GStatus.Runnable;
    return list;
  }

  private pollerWakeTime(): number {
    let wake = NO_EVENT;
    if (this.pollerPollUntil !== 0) {
      // netpoll(delay) on Linux: epoll_wait takes whole milliseconds — a delay under 1 ms waits
      // 1 ms, a longer one is truncated (netpoll_epoll.go). So an idle program wakes for a timer
      // up to 1 ms late, or early, and then blocks again for the rest (findrunnable loops).
      const delay = this.pollerPollUntil - this.now;
      wake = this.now + (delay <= 0 ? 0 : delay < 1e6 ? 1e6 : Math.floor(delay / 1e6) * 1e6);
    }
    // …but it returns as soon as an fd is ready.
    if (this.netpollReady.length && this.netpollReady[0]!.at < wake) wake = this.netpollReady[0]!.at;
    return Math.max(wake, this.now);
  }

  private netpollBreak(): void {
    if (this.poller) this.setEvent(this.poller, 0);
  }

  /** The M blocked in netpoll returns (fd ready, timer due, or netpollBreak). */
  private netpollWake(m: M): void {
    this.curM = m;
    this.poller = null;
    this.pollerPollUntil = 0;
    this.lastpoll = this.now;
    const list = this.netpoll(PollWho.Blocking, m, null);
    this.emit(Ev.MNetpollWake, -1, m.id, -1, list.length, -1, -1);
    const p = this.pidleget();
    m.state = MState.Running;
    if (!p) {
      this.injectglist(list, m);
      this.stopm(m);
      return;
    }
    this.acquirep(m, p);
    if (list.length) {
      const g = list.shift()!;
      this.injectglist(list, m);
      this.runFound(m, this.found(g, false, 0));
      return;
    }
    if (m.wasSpinning) {
      m.spinning = true;
      this.nmspinning++;
      this.emit(Ev.MSpin, -1, m.id, p.id, 1, -1, -1);
    }
    this.schedule(m);
  }

  /**
   * injectglist: without a P everything goes to the global queue (+ an M per idle P); with one,
   * one G per idle P goes global (each with startm) and the rest to the caller's local queue.
   * Never into runnext.
   */
  private injectglist(list: G[], m: M | null): void {
    if (!list.length) return;
    const pp = m?.p ?? null;
    if (!pp) {
      for (const g of list) this.globrunqput(g, m, Why.Inject);
      for (let n = list.length; n > 0 && this.npidle > 0; n--) this.startm(null, false, m);
      return;
    }
    const npidle = this.npidle;
    let n = 0;
    let i = 0;
    for (; n < npidle && i < list.length; n++, i++) this.globrunqput(list[i]!, m, Why.Inject);
    for (; n > 0 && this.npidle > 0; n--) this.startm(null, false, m);
    for (; i < list.length; i++) this.runqput(pp, list[i]!, false, Why.Inject, m);
    if (this.config.goVersion >= 23) this.wakep();
  }

  // ---------------------------------------------------------------------------------------------
  // Timers (per-P heaps)

  private newTimer(m: M, ns: number, period: number): TimerRef {
    const ch = new Chan(++this.objIds, this.config.goVersion >= 23 ? 0 : 1);
    // Timer channels: buffered (cap 1) before Go 1.23, synchronous (cap 0) since — a 1.23+ timer
    // channel still keeps a fired value for the next receive, so it is modelled as a 1-slot buffer.
    ch.timerChan = true;
    this.chans.set(ch.id, ch);
    const id = ch.id;
    const ref: TimerRef = { kind: 'timer', id, c: { kind: 'chan', id: ch.id } };
    const entry: TimerEntry = { id, when: 0, seq: 0, period: Math.max(0, period), g: null, chan: ch, index: -1, p: null };
    this.timers.set(id, { entry, ch, ref });
    this.addtimerEntry(m.p!, entry, this.now + Math.max(0, ns));
    return ref;
  }

  private addtimer(p: P, when: number, period: number, g: G | null, chan: Chan | null): void {
    const entry: TimerEntry = { id: -1, when, seq: 0, period, g, chan, index: -1, p: null };
    this.addtimerEntry(p, entry, when);
  }

  /** addtimer → doaddtimer + wakeNetPoller: timers go on the current P's heap. */
  private addtimerEntry(p: P, t: TimerEntry, when: number): void {
    this.netpollInited = true;
    t.when = when;
    t.seq = this.timerSeq++;
    t.p = p;
    this.timerPush(p, t);
    this.wakeNetPoller(when);
  }

  /** wakeNetPoller: make sure some M will service a timer at `when`. */
  private wakeNetPoller(when: number): void {
    if (this.lastpoll === 0) {
      if (this.pollerPollUntil === 0 || this.pollerPollUntil > when) this.netpollBreak();
    } else {
      this.wakep();
    }
  }

  /** Go 1.23+: a goroutine now waits on a timer channel, so its timer counts again (blockTimerChan). */
  private timerChanWaited(c: Chan): void {
    const t = this.timers.get(c.id);
    if (this.config.goVersion >= 23 && t && t.entry.index >= 0) this.wakeNetPoller(t.entry.when);
  }

  private deltimer(t: TimerEntry): boolean {
    if (t.index < 0 || !t.p) return false;
    this.timerRemove(t.p, t);
    return true;
  }

  /**
   * The earliest timer of p that keeps the program alive, 0 if none. Since Go 1.23 a channel
   * timer is in a heap only while some goroutine waits on its channel.
   */
  private nextTimerWhen(p: P): number {
    const h = p.timers;
    if (!h.length) return 0;
    if (this.config.goVersion < 23 || this.timerActive(h[0]!)) return h[0]!.when;
    let best = 0;
    for (const t of h) if (this.timerActive(t) && (best === 0 || t.when < best)) best = t.when;
    return best;
  }

  private timerActive(t: TimerEntry): boolean {
    return t.g !== null || this.config.goVersion < 23 || (t.chan as Chan).recvq.length > 0;
  }

  /**
   * checkTimers: run owner's expired timers; Gs they ready go to readyP's runnext (the P of the M
   * running them — a thief's when stealing). Returns the next timer's time, or 0.
   */
  private checkTimers(owner: P, readyP: P, m: M): number {
    const h = owner.timers;
    while (h.length && h[0]!.when <= this.now) {
      const t = h[0]!;
      if (t.period > 0) {
        // Ticker: re-arm (when += period, skipping missed ticks).
        let next = t.when + t.period;
        if (next <= this.now) next = t.when + t.period * (1 + Math.floor((this.now - t.when) / t.period));
        this.timerRemove(owner, t);
        t.when = next;
        t.seq = this.timerSeq++;
        this.timerPush(owner, t);
      } else {
        this.timerRemove(owner, t);
      }
      const prevM = this.curM;
      this.curM = m;
      if (t.g) {
        this.emit(Ev.TimerFire, t.g.id, m.id, readyP.id, t.id, owner.id, -1);
        this.runqput(readyP, t.g, true, Why.Timer, m);
        this.wakep();
      } else {
        this.emit(Ev.TimerFire, -1, m.id, readyP.id, t.id, owner.id, -1);
        timerSend(this, t.chan as Chan, this.now);
      }
      this.curM = prevM;
    }
    return this.nextTimerWhen(owner);
  }

  private timerLess(a: TimerEntry, b: TimerEntry): boolean {
    return a.when < b.when || (a.when === b.when && a.seq < b.seq);
  }

  private timerPush(p: P, t: TimerEntry): void {
    const h = p.timers;
    t.index = h.length;
    t.p = p; // a re-armed ticker comes back here after timerRemove cleared it: Stop/Reset must find it
    h.push(t);
    this.timerUp(h, t.index);
  }

  private timerRemove(p: P, t: TimerEntry): void {
    const h = p.timers;
    const i = t.index;
    const last = h.pop()!;
    t.index = -1;
    t.p = null;
    if (last !== t) {
      h[i] = last;
      last.index = i;
      this.timerUp(h, i);
      this.timerDown(h, last.index);
    }
  }

  private timerUp(h: TimerEntry[], i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.timerLess(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      h[i]!.index = i;
      h[parent]!.index = parent;
      i = parent;
    }
  }

  private timerDown(h: TimerEntry[], i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < h.length && this.timerLess(h[l]!, h[min]!)) min = l;
      if (r < h.length && this.timerLess(h[r]!, h[min]!)) min = r;
      if (min === i) return;
      [h[i], h[min]] = [h[min]!, h[i]!];
      h[i]!.index = i;
      h[min]!.index = min;
      i = min;
    }
  }

  private heapPush(h: { at: number; seq: number; g: G }[], x: { at: number; seq: number; g: G }): void {
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const a = h[i]!;
      const b = h[parent]!;
      if (b.at < a.at || (b.at === a.at && b.seq < a.seq)) break;
      h[i] = b;
      h[parent] = a;
      i = parent;
    }
  }

  private heapPop(h: { at: number; seq: number; g: G }[]): { at: number; seq: number; g: G } | undefined {
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        const less = (x: number, y: number) => h[x]!.at < h[y]!.at || (h[x]!.at === h[y]!.at && h[x]!.seq < h[y]!.seq);
        if (l < h.length && less(l, min)) min = l;
        if (r < h.length && less(r, min)) min = r;
        if (min === i) break;
        [h[i], h[min]] = [h[min]!, h[i]!];
        i = min;
      }
    }
    return top;
  }

  // ---------------------------------------------------------------------------------------------
  // sysmon

  private wakeSysmon(): void {
    this.sysmonWait = false;
    this.sysmonIdle = 0;
    this.sysmonDelay = C.SYSMON_MIN_DELAY_NS;
    this.setEvent(this.sysmonM, 0);
  }

  private sysmon(): void {
    this.curM = null;
    if (this.sysmonWait) {
      // Woken from deep sleep by its timeout.
      this.sysmonWait = false;
    } else if (this.npidle === this.gomaxprocs) {
      // Deep sleep while every P is idle: until the next timer, at most forcegcperiod/2.
      let next = Infinity;
      for (const p of this.allp) {
        const w = this.nextTimerWhen(p);
        if (w !== 0 && w < next) next = w;
      }
      if (next > this.now) {
        this.sysmonWait = true;
        this.setEvent(this.sysmonM, Math.min(next - this.now, C.SYSMON_DEEP_SLEEP_NS));
        return;
      }
    }
    // Poll the network if nobody has for 10 ms.
    if (this.netpollInited && this.lastpoll !== 0 && this.lastpoll + C.SYSMON_NETPOLL_NS < this.now) {
      this.lastpoll = this.now;
      const list = this.netpoll(PollWho.Sysmon, this.sysmonM, null);
      if (list.length) this.injectglist(list, null);
    }
    if (this.retake() !== 0) this.sysmonIdle = 0;
    else this.sysmonIdle++;
    if (this.sysmonIdle === 0) this.sysmonDelay = C.SYSMON_MIN_DELAY_NS;
    else if (this.sysmonIdle > C.SYSMON_IDLE_CYCLES_BEFORE_BACKOFF) this.sysmonDelay *= 2;
    if (this.sysmonDelay > C.SYSMON_MAX_DELAY_NS) this.sysmonDelay = C.SYSMON_MAX_DELAY_NS;
    this.setEvent(this.sysmonM, this.sysmonDelay);
  }

  /** retake: preempt Gs running ≥ 10 ms; take Ps back from syscalls. Returns Ps retaken. */
  private retake(): number {
    let n = 0;
    const now = this.now;
    for (const p of this.allp) {
      const pd = p.sysmontick;
      const s = p.status;
      let sysretake = false;
      if (s === PStatus.Running || s === PStatus.Syscall) {
        if (pd.schedtick !== p.schedtick) {
          pd.schedtick = p.schedtick;
          pd.schedwhen = now;
        } else if (pd.schedwhen + C.FORCE_PREEMPT_NS <= now) {
          this.preemptone(p, now - pd.schedwhen);
          sysretake = true;
        }
      }
      if (s === PStatus.Syscall) {
        if (!sysretake && pd.syscalltick !== p.syscalltick) {
          pd.syscalltick = p.syscalltick;
          pd.syscallwhen = now;
          continue;
        }
        // Leave it if it has no local work, someone else can take new work, and < 10 ms passed.
        if (p.runqempty() && this.nmspinning + this.npidle > 0 && pd.syscallwhen + C.SYSCALL_RETAKE_GRACE_NS > now) continue;
        // The M in the syscall that left p in _Psyscall (an earlier one may still hold p as its
        // stale oldp: its syscall began before p's syscalltick last moved).
        const sm = this.allm.find((x) => x.oldp === p && x.state === MState.Syscall && x.syscalltick === p.syscalltick);
        this.emit(Ev.SysmonRetake, sm?.curg ? sm.curg.id : -1, sm ? sm.id : -1, p.id, -1, -1, -1);
        p.status = PStatus.Idle;
        p.syscalltick++;
        this.handoffp(p, sm ?? null, HandoffWhy.SysmonRetake);
        n++;
      }
    }
    return n;
  }

  /** preemptone: ask the G running on p to stop (async: now; cooperative: at its next safe point). */
  private preemptone(p: P, ranNs: number): void {
    const m = p.m;
    if (!m || m.state !== MState.Running || !m.curg) return;
    const g = m.curg;
    if (g.preempt && !this.config.asyncPreemption) {
      // Already asked; a tight loop never reaches a safe point.
      if (g.endlessSite) this.checkSpinForever();
      return;
    }
    g.preempt = true;
    this.emit(Ev.SysmonPreempt, g.id, m.id, p.id, Math.round(ranNs / 1e6), this.config.asyncPreemption ? 1 : 0, -1);
    // A G spinning in an endless loop: if nothing else can ever happen, the run is over.
    if (g.endlessSite) this.checkSpinForever();
    if (!this.config.asyncPreemption) return;
    // Async preemption (SIGURG → asyncPreempt → gopreempt_m): it stops where it is.
    g.remainingNs = m.pending ? Math.max(0, m.evTime - this.now) : 0;
    g.remainingTight = g.inTightLoop;
    this.cancelEvent(m);
    this.curM = m;
    this.emit(Ev.GoPreempt, g.id, m.id, p.id, 0, -1, this.log.site(g.site));
    this.goschedImpl(m, g, Why.Preempt);
    this.curM = null;
  }

  // ---------------------------------------------------------------------------------------------
  // checkdead

  /** checkdead (runtime-facts §12.1): called whenever an M goes idle. */
  private checkdead(): void {
    let run = 0;
    for (const m of this.allm) {
      if (m === this.sysmonM) continue;
      if (m.state !== MState.Idle && m.state !== MState.LockedIdle && m.state !== MState.Dead) run++;
    }
    // A cgo-linked binary has an extra M for callbacks that always counts as running.
    if (this.config.cgoLinked) run++;
    if (run > 0) return;
    let waiting = 0;
    for (const g of this.gs) {
      if (g.status === GStatus.Waiting) waiting++;
      else if (g.status !== GStatus.Dead) {
        this.finish('error', 2, `checkdead: runnable g ${g.id} (simulator invariant broken)`, g.id);
      }
    }
    if (waiting === 0) {
      this.finish('goexit-deadlock', 2, 'fatal error: no goroutines (main called runtime.Goexit) - deadlock!', -1);
    }
    for (const p of this.allp) if (this.nextTimerWhen(p) !== 0) return;
    this.reportDeadlock();
  }

  /**
   * Called when sysmon preempts a G that spins in an endless loop (so only in such runs, at most once
   * per preemption). The run is over, as `hang`, when nothing can ever change: every live G either
   * spins in an endless loop (running or runnable) or waits with nothing able to wake it, i.e. no
   * other G can run, no G is in a syscall or cgo call, none waits for the network, and no pending
   * timer has a sleeper or a receiver waiting on its channel (a Ticker nobody receives from fires
   * into its buffer forever). From then on sysmon would preempt the spinners forever; checkdead
   * never reports a deadlock because a goroutine is running.
   */
  private checkSpinForever(): void {
    const spinners: G[] = [];
    const waiting: G[] = [];
    for (const g of this.gs) {
      if (g.status === GStatus.Dead) continue;
      if (g.status === GStatus.Waiting) waiting.push(g);
      else if (g.endlessSite && (g.status === GStatus.Running || g.status === GStatus.Runnable)) spinners.push(g);
      else return;
    }
    if (spinners.length === 0 || this.netpollWaiters > 0) return;
    for (const p of this.allp) {
      for (const t of p.timers) {
        if (!this.timerActive(t)) continue;
        if (t.g !== null || (t.chan as Chan).recvq.length > 0) return;
      }
    }
    const at = (s: Site | null | undefined): string => (s ? `${(s.file ?? 'main.go').split(/[\\/]/).pop()}:${s.line}` : 'an unknown line');
    spinners.sort((a, b) => a.id - b.id);
    const spin = spinners.length === 1
      ? `G${spinners[0]!.id} spins in an endless loop at ${at(spinners[0]!.endlessSite)}`
      : `${spinners.map((g) => `G${g.id} (${at(g.endlessSite)})`).join(', ').replace(/, ([^,]*)$/, ' and $1')} spin in endless loops`;
    waiting.sort((a, b) => a.id - b.id);
    const shown = waiting.slice(0, 5).map((g) => `G${g.id} [${this.gState(g)}] at ${at(g.site)}`).join(', ');
    const others = waiting.length === 0
      ? 'no other goroutine is left'
      : `every other goroutine waits with nothing able to wake it (${shown}${waiting.length > 5 ? `, … ${waiting.length - 5} more` : ''})`;
    const busy = Math.min(spinners.length, this.gomaxprocs);
    const cpu = busy === 1 ? 'at 100% CPU' : `keeping ${busy} CPUs busy`;
    this.finish('hang', -1, `${SPIN_HANG_PREFIX}${spin} that nothing can stop, and ${others}, so the real program ` +
      `runs forever ${cpu}; Go does not report a deadlock while a goroutine is running.`, spinners[0]!.id);
  }

  private reportDeadlock(): never {
    const tb = [...this.gs].filter((g) => g.status === GStatus.Waiting).map((g) => this.traceback(g)).join('\n');
    this.finish('deadlock', 2, `fatal error: all goroutines are asleep - deadlock!\n\n${tb}\nexit status 2`, -1);
  }

  /** A goroutine's traceback header and location, as the runtime prints it (user frames only, no PCs). */
  traceback(g: G, state?: string): string {
    const lines = [`goroutine ${g.id} [${state ?? this.gState(g)}]:`];
    lines.push(`${g.site?.fn ?? g.name ?? (g === this.mainG ? 'main.main' : 'main.func1')}()`);
    if (g.site) lines.push(`\t${g.site.file ?? 'main.go'}:${g.site.line}`);
    if (g !== this.mainG) {
      const by = g.createdSite?.fn ?? g.creatorFn ?? 'main.main';
      lines.push(`created by ${by}${this.config.goVersion >= 21 ? ` in goroutine ${g.parent}` : ''}`);
      if (g.createdSite) lines.push(`\t${g.createdSite.file ?? 'main.go'}:${g.createdSite.line}`);
    }
    return lines.join('\n') + '\n';
  }

  gState(g: G): string {
    switch (g.status) {
      case GStatus.Running: return 'running';
      case GStatus.Runnable: return 'runnable';
      case GStatus.Syscall: return 'syscall';
      case GStatus.Dead: return 'dead';
      default: return waitReasonString(g.waitReason, this.config.goVersion);
    }
  }

  private liveGoroutineInfo(): GoroutineInfo[] {
    const out: GoroutineInfo[] = [];
    for (const g of this.gs) {
      if (g.status === GStatus.Dead) continue;
      out.push({ id: g.id, state: this.gState(g), site: g.site, createdSite: g.createdSite, parent: g.parent, name: g.name });
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // GOMAXPROCS: stop the world + procresize

  private procresizeInit(n: number): void {
    for (let i = 0; i < n; i++) this.allp.push(new P(i, C.LOCAL_RUNQ_SIZE));
    // Idle Ps are pushed from the highest id down, so pidleget returns the lowest id first.
    for (let i = n - 1; i >= 0; i--) this.pidleput(this.allp[i]!, null);
    this.stealOrder.reset(n);
  }

  private stopTheWorldAndResize(m: M, g: G, n: number): void {
    const old = this.gomaxprocs;
    const myP = m.p!;
    this.emit(Ev.GoMaxProcs, g.id, m.id, myP.id, old, n, this.log.site(g.site));
    // Stop the world: running Gs elsewhere are preempted to the global queue; Ps in syscalls
    // and idle Ps stop; Ms waking up with a P give it back.
    for (const om of this.allm) {
      if (om === m || om === this.sysmonM) continue;
      if ((om.state === MState.Running || om.state === MState.Sched) && om.p) {
        const og = om.curg;
        if (og) {
          og.remainingNs = om.pending ? Math.max(0, om.evTime - this.now) : 0;
          og.remainingTight = og.inTightLoop;
          this.cancelEvent(om);
          this.emit(Ev.GoPreempt, og.id, om.id, om.p.id, 2, -1, -1);
          og.m = null;
          om.curg = null;
          this.globrunqput(og, om, Why.Preempt);
        } else this.cancelEvent(om);
        if (om.spinning) {
          om.spinning = false;
          this.nmspinning--;
        }
        const op = this.releasep(om);
        op.status = PStatus.GCStop;
        this.emit(Ev.ProcStop, -1, om.id, op.id, 1, -1, -1);
        if (om.lockedg) {
          // Its locked G waits in the global queue: the M sleeps until that G is picked (stoplockedm).
          om.state = MState.LockedIdle;
          this.nmidlelocked++;
          this.emit(Ev.MIdle, -1, om.id, -1, 1, -1, -1);
        } else {
          om.state = MState.Idle;
          this.midle.push(om);
          this.emit(Ev.MIdle, -1, om.id, -1, -1, -1, -1);
        }
      } else if (om.state === MState.Waking && om.nextp && om.wakeLocked) {
        // A locked M that was being handed a P for its G (startlockedm): the G goes back to the
        // global queue and the M keeps sleeping locked-idle.
        this.cancelEvent(om);
        om.wakeLocked = false;
        om.nextp.status = PStatus.GCStop;
        this.emit(Ev.ProcStop, -1, om.id, om.nextp.id, 1, -1, -1);
        om.nextp = null;
        om.state = MState.LockedIdle;
        this.nmidlelocked++;
        this.emit(Ev.MIdle, -1, om.id, -1, 1, -1, -1);
        this.globrunqput(om.lockedg!, om, Why.ProcResize);
      } else if (om.state === MState.Waking && om.nextp) {
        this.cancelEvent(om);
        if (om.spinning) {
          om.spinning = false;
          this.nmspinning--;
        }
        om.nextp.status = PStatus.GCStop;
        this.emit(Ev.ProcStop, -1, om.id, om.nextp.id, 1, -1, -1);
        om.nextp = null;
        om.state = MState.Idle;
        this.midle.push(om);
        this.emit(Ev.MIdle, -1, om.id, -1, -1, -1, -1);
      }
    }
    for (const p of this.allp) {
      if (p === myP) continue;
      if (p.status === PStatus.Syscall || p.onIdleList || p.status === PStatus.Idle) {
        if (p.onIdleList) this.pidleRemove(p);
        p.status = PStatus.GCStop;
        this.emit(Ev.ProcStop, -1, -1, p.id, 1, -1, -1);
      }
    }
    // procresize
    for (let i = old; i < n; i++) {
      if (!this.allp[i]) this.allp[i] = new P(i, C.LOCAL_RUNQ_SIZE);
      this.allp[i]!.status = PStatus.GCStop;
    }
    let cur = myP;
    if (myP.id >= n) {
      // The caller's P is going away: continue on P0.
      this.releasep(m);
      cur = this.allp[0]!;
      this.acquirep(m, cur);
    }
    for (let i = n; i < old; i++) this.pdestroy(this.allp[i]!, cur, m);
    this.allp.length = n;
    this.gomaxprocs = n;
    this.stealOrder.reset(n);
    const runnable: P[] = [];
    for (let i = n - 1; i >= 0; i--) {
      const p = this.allp[i]!;
      if (p === cur) continue;
      p.status = PStatus.Idle;
      if (p.runqempty()) this.pidleput(p, null);
      else runnable.push(p);
    }
    // startTheWorld: netpoll, then an M for each P with work, then one wakep.
    if (this.netpollInited) {
      const list = this.netpoll(PollWho.StartTheWorld, m, cur);
      this.injectglist(list, m);
    }
    for (const p of runnable) this.startm(p, false, m);
    this.wakep();
  }

  /** p.destroy: its queue moves to the head of the global queue, keeping order; timers move to `to`. */
  private pdestroy(p: P, to: P, m: M): void {
    while (p.runqtail !== p.runqhead) {
      p.runqtail--;
      const g = p.runq[p.runqtail % p.runq.length]!;
      p.runq[p.runqtail % p.runq.length] = null;
      this.globrunq.unshift(g);
      this.enq(g, Loc.GlobalHead, null, Why.ProcResize, m);
    }
    if (p.runnext) {
      const g = p.runnext;
      p.runnext = null;
      this.globrunq.unshift(g);
      this.enq(g, Loc.GlobalHead, null, Why.ProcResize, m);
    }
    while (p.timers.length) {
      const t = p.timers[0]!;
      this.timerRemove(p, t);
      t.p = to;
      this.timerPush(to, t);
    }
    if (p.onIdleList) this.pidleRemove(p);
    p.status = PStatus.Dead;
    this.emit(Ev.ProcStop, -1, m.id, p.id, 2, -1, -1);
  }

  // ---------------------------------------------------------------------------------------------
  // Introspection for tests and the property checker

  /** Checks the scheduler's invariants; returns the violations (empty when all hold). */
  checkInvariants(): string[] {
    const errs: string[] = [];
    const where = new Map<G, string>();
    const put = (g: G, w: string) => {
      const prev = where.get(g);
      if (prev) errs.push(`G${g.id} is in two places: ${prev} and ${w}`);
      where.set(g, w);
    };
    let running = 0;
    for (const p of this.allp) {
      const size = p.runqtail - p.runqhead;
      if (size < 0 || size > p.runq.length) errs.push(`P${p.id} ring size ${size}`);
      for (let i = p.runqhead; i < p.runqtail; i++) put(p.runq[i % p.runq.length]!, `P${p.id}.runq`);
      if (p.runnext) put(p.runnext, `P${p.id}.runnext`);
      if (p.status === PStatus.Running && (!p.m || p.m.p !== p)) errs.push(`P${p.id} running without its M`);
    }
    for (const g of this.globrunq.toArray()) put(g, 'global');
    for (const m of this.allm) {
      if (m.curg && (m.state === MState.Running)) {
        put(m.curg, `M${m.id}.curg`);
        running++;
        if (!m.p || m.p.m !== m) errs.push(`M${m.id} runs G${m.curg.id} without a P`);
      }
      if (m.curg && m.state === MState.Syscall) put(m.curg, `M${m.id}.syscall`);
    }
    if (running > this.gomaxprocs) errs.push(`${running} Gs running with GOMAXPROCS=${this.gomaxprocs}`);
    for (const g of this.gs) {
      const w = where.get(g);
      if (g.status === GStatus.Runnable && !w) errs.push(`G${g.id} runnable but in no queue`);
      if (g.status === GStatus.Waiting && w) errs.push(`G${g.id} waiting but in ${w}`);
      if (g.status === GStatus.Running && !w?.startsWith('M')) errs.push(`G${g.id} running but not on an M`);
    }
    for (const [g, w] of where) if (g.status === GStatus.Dead) errs.push(`G${g.id} dead but in ${w}`);
    if (this.nmspinning < 0 || this.nmspinning > this.gomaxprocs) errs.push(`nmspinning = ${this.nmspinning}`);
    return errs;
  }

  /** The live goroutines, in creation order. */
  get allg(): G[] {
    return [...this.gs];
  }

  get threads(): number {
    return this.mcount();
  }

  /** Called after every engine event (tests use it to check invariants and replay against the real state). */
  onEvent?: (s: Scheduler) => void;
}

export function fmtNs(ns: number): string {
  if (ns >= 1e9) return `${+(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${+(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${+(ns / 1e3).toFixed(3)} µs`;
  return `${ns} ns`;
}

/** Runs a program whose main goroutine is `main`. */
export function simulate(main: BodyFactory, config: Partial<SimConfig> = {}, mainSite?: Site): SimResult {
  return new Scheduler(config).run(main, mainSite);
}

