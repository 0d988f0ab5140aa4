// Playback: the scheduler's state at any point of a run, as a pure fold of the event log.
//
// `buildIndex(log)` folds the whole log once (O(events)) and keeps keyframes — copies of the fold
// state — every K events, so `stateAt(t)` is "restore the nearest keyframe before t, replay at most
// K events, materialise". K grows with the state's size (K ≥ 8 × live goroutines), which keeps the
// total keyframe memory proportional to events / 8 whatever the run looks like.
//
// Per-goroutine state lives in typed arrays indexed by a dense G index (creation order); goids are
// mapped to it once. A G's fields never change after GoEnd, so dead Gs are kept only in the static
// columns and keyframes copy just the live ones.
//
// The fold rules mirror the engine (scheduler.ts): every move of a G between places is an explicit
// event, except that a G picked to run leaves its queue silently (runqget) and is accounted for at
// its GoStart; Steal/GlobalGet/StartLockedM name the G taken out of a queue before it starts.
import { MState, PStatus, Wait } from '../engine/entities';
import { Ev, EXIT_REASON_NAMES, Loc, type EventLog, type ExitReasonName } from './events';

// ---------------------------------------------------------------------------------------------
// The materialised state (plain JSON-able data for the panel)

export type PStatusName = 'idle' | 'running' | 'syscall' | 'gcstop' | 'dead';
export type MStateName = 'running' | 'spinning' | 'idle' | 'syscall' | 'netpoll' | 'waking' | 'locked-idle' | 'dead' | 'sysmon';
export type GStateName = 'runnable' | 'running' | 'waiting' | 'syscall' | 'dead';
/**
 * Where a G is. 'none' = runnable but in no queue: taken out of a queue by a scheduler and not yet
 * started (handed to the M it is locked to), or between two events of one scheduler step.
 */
export type GWhere = 'none' | 'runnext' | 'local' | 'global' | 'running' | 'syscall' | 'waiting' | 'netpoll' | 'dead';

export interface PView {
  id: number;
  status: PStatusName;
  /** The M holding it, -1 if none (a P in a syscall has none: its M is in the kernel). */
  m: number;
  runnext: number;
  /** Local ring, head first. */
  runq: number[];
  schedtick: number;
  /** On the idle-P list (sched.pidle). */
  idleList: boolean;
}

export interface MView {
  id: number;
  state: MStateName;
  p: number;
  /** The P a waking M will acquire (m.nextp), -1 if none. */
  nextp: number;
  /** curg: the G it runs or is in a syscall with, -1 if none. */
  g: number;
  spinning: boolean;
  /** The G locked to this thread (LockOSThread), -1 if none. */
  lockedg: number;
}

export interface GView {
  id: number;
  state: GStateName;
  where: GWhere;
  /** Wait code (Wait in entities.ts; text via waitReasonString). Like the runtime, kept until the G runs again. */
  waitReason: number;
  /** The P whose queue it is in / it runs on / it left for its syscall; -1 otherwise. */
  p: number;
  /** The M it runs on or is in a syscall with; -1 otherwise. */
  m: number;
  /** Index into log.sites of the last source site an event of this G recorded, -1 if none. */
  site: number;
  /** Index into log.sites of its `go` statement, -1 if none. */
  createdSite: number;
  /** goid of the creator (0 for main). */
  parent: number;
  /** Index into log.strings of its name, -1 if none. */
  name: number;
}

export interface SchedCounters {
  liveGoroutines: number;
  /** OS threads alive, M0 and sysmon included. */
  threads: number;
  spinningMs: number;
  /** Ps on the idle list. */
  idlePs: number;
  netpollWaiters: number;
  sleeping: number;
  runnable: number;
  running: number;
  /** Parked Gs (netpoll waiters included). */
  waiting: number;
  syscall: number;
  globalQueue: number;
}

export interface SchedState {
  /** Virtual time in ns: the requested time for stateAt, the event's time for stateAtEvent. */
  time: number;
  /** The last event applied (-1 = before the first). */
  eventIndex: number;
  gomaxprocs: number;
  /** Every P that ever existed, by id (destroyed ones are 'dead'). */
  ps: PView[];
  /** Global run queue, head first. */
  global: number[];
  ms: MView[];
  /** Live goroutines (created and not ended), in creation order. */
  gs: GView[];
  counters: SchedCounters;
  /** Program output printed so far. */
  output: string;
  exit: { reason: ExitReasonName; code: number; g: number; message: string } | null;
}

// ---------------------------------------------------------------------------------------------
// Codes

/** Where a G is (index into WHERE_NAMES). */
const W = { None: 0, Runnext: 1, Local: 2, Global: 3, Running: 4, Syscall: 5, Waiting: 6, Netpoll: 7, Dead: 8 } as const;
const WHERE_NAMES: readonly GWhere[] = ['none', 'runnext', 'local', 'global', 'running', 'syscall', 'waiting', 'netpoll', 'dead'];
/** The runtime's G status follows from the place. */
const STATE_OF_WHERE: readonly GStateName[] = ['runnable', 'runnable', 'runnable', 'runnable', 'running', 'syscall', 'waiting', 'waiting', 'dead'];
const P_NAMES: Record<number, PStatusName> = {
  [PStatus.Idle]: 'idle', [PStatus.Running]: 'running', [PStatus.Syscall]: 'syscall', [PStatus.GCStop]: 'gcstop', [PStatus.Dead]: 'dead',
};
const M_NAMES: Record<number, MStateName> = {
  [MState.Running]: 'running', [MState.Waking]: 'waking', [MState.Syscall]: 'syscall', [MState.Netpoll]: 'netpoll',
  [MState.Idle]: 'idle', [MState.LockedIdle]: 'locked-idle', [MState.Dead]: 'dead', [MState.Sysmon]: 'sysmon',
  // The engine's 3 µs steal back-off leaves no event: the fold sees that M as spinning, which it is.
  [MState.Sched]: 'spinning',
};

/** Events after which a G's current source site is the event's site (the site field is the action's). */
const SITE_KINDS = new Set<number>([
  Ev.GoBlock, Ev.GoEnd, Ev.GoSysEnter, Ev.GoPreempt, Ev.GoSched, Ev.GoNetpollPark, Ev.Print, Ev.GoMaxProcs, Ev.LockOSThread,
]);

// ---------------------------------------------------------------------------------------------
// Small containers

/** A growable ring of int32 (run queues of dense G indices). */
export class IntDeque {
  private buf: Int32Array;
  private head = 0;
  length = 0;
  constructor(capacity = 16) {
    let c = 16;
    while (c < capacity) c *= 2;
    this.buf = new Int32Array(c);
  }
  private mask(): number { return this.buf.length - 1; }
  private grow(): void {
    const nb = new Int32Array(this.buf.length * 2);
    for (let i = 0; i < this.length; i++) nb[i] = this.at(i);
    this.buf = nb;
    this.head = 0;
  }
  at(i: number): number { return this.buf[(this.head + i) & this.mask()]!; }
  push(x: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & this.mask()] = x;
    this.length++;
  }
  unshift(x: number): void {
    if (this.length === this.buf.length) this.grow();
    this.head = (this.head - 1) & this.mask();
    this.buf[this.head] = x;
    this.length++;
  }
  /** Position of x, looking at both ends first (the runtime takes from the head, procresize from the tail). */
  indexOf(x: number): number {
    const n = this.length;
    if (n === 0) return -1;
    if (this.at(0) === x) return 0;
    if (this.at(n - 1) === x) return n - 1;
    for (let i = 1; i < n - 1; i++) if (this.at(i) === x) return i;
    return -1;
  }
  /** Removes the element at position i, shifting the shorter side. */
  removeAt(i: number): void {
    const m = this.mask();
    if (i < this.length - 1 - i) {
      for (let j = i; j > 0; j--) this.buf[(this.head + j) & m] = this.buf[(this.head + j - 1) & m]!;
      this.head = (this.head + 1) & m;
    } else {
      for (let j = i; j < this.length - 1; j++) this.buf[(this.head + j) & m] = this.buf[(this.head + j + 1) & m]!;
    }
    this.length--;
  }
  remove(x: number): boolean {
    const i = this.indexOf(x);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }
  shift(): number {
    const x = this.at(0);
    this.head = (this.head + 1) & this.mask();
    this.length--;
    return x;
  }
  toInt32Array(): Int32Array {
    const out = new Int32Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i);
    return out;
  }
  static from(a: ArrayLike<number>): IntDeque {
    const d = new IntDeque(a.length);
    for (let i = 0; i < a.length; i++) d.push(a[i]!);
    return d;
  }
}

/** goid → dense index: a table for the usual near-dense goids (per-P batches of 16), a Map beyond. */
class GoidMap {
  private static readonly TABLE_LIMIT = 1 << 23;
  private table = new Int32Array(1024).fill(-1);
  private readonly sparse = new Map<number, number>();
  get(goid: number): number {
    if (goid < 0) return -1;
    if (goid < this.table.length) return this.table[goid]!;
    return this.sparse.get(goid) ?? -1;
  }
  set(goid: number, k: number): void {
    if (goid >= this.table.length && goid < GoidMap.TABLE_LIMIT) {
      let n = this.table.length;
      while (n <= goid) n *= 2;
      const t = new Int32Array(n).fill(-1);
      t.set(this.table);
      this.table = t;
    }
    if (goid < this.table.length) this.table[goid] = k;
    else this.sparse.set(goid, k);
  }
  byteSize(): number { return this.table.byteLength + this.sparse.size * 32; }
}

function grownI32(a: Int32Array, n: number, fill = 0): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}
function grownU8(a: Uint8Array, n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}

// ---------------------------------------------------------------------------------------------
// The fold

interface PRec { status: number; m: number; runnext: number; runq: IntDeque; schedtick: number; idleList: boolean }
interface MRec { state: number; p: number; nextp: number; g: number; spinning: boolean; lockedg: number }

function newP(status: number): PRec {
  return { status, m: -1, runnext: -1, runq: new IntDeque(), schedtick: 0, idleList: false };
}
function newM(state: number): MRec {
  return { state, p: -1, nextp: -1, g: -1, spinning: false, lockedg: -1 };
}

/** Static facts of each G (written once while building the index). */
class GStatic {
  cap = 1024;
  goid = new Int32Array(this.cap);
  parent = new Int32Array(this.cap);
  createdSite = new Int32Array(this.cap);
  name = new Int32Array(this.cap);
  /** Event index of its GoCreate (non-decreasing in the dense index). */
  createdAt = new Int32Array(this.cap);
  /** Event index of its GoEnd, or MAX if it never ended. */
  endAt = new Int32Array(this.cap);
  /** Its site when it ended. */
  endSite = new Int32Array(this.cap);
  ensure(n: number): void {
    if (n <= this.cap) return;
    let c = this.cap;
    while (c < n) c *= 2;
    this.cap = c;
    this.goid = grownI32(this.goid, c); this.parent = grownI32(this.parent, c); this.createdSite = grownI32(this.createdSite, c);
    this.name = grownI32(this.name, c); this.createdAt = grownI32(this.createdAt, c); this.endAt = grownI32(this.endAt, c);
    this.endSite = grownI32(this.endSite, c);
  }
  trim(n: number): void {
    this.cap = n;
    this.goid = this.goid.slice(0, n); this.parent = this.parent.slice(0, n); this.createdSite = this.createdSite.slice(0, n);
    this.name = this.name.slice(0, n); this.createdAt = this.createdAt.slice(0, n); this.endAt = this.endAt.slice(0, n);
    this.endSite = this.endSite.slice(0, n);
  }
  byteSize(): number { return this.cap * 7 * 4; }
}

const NEVER = 0x7fffffff;

/**
 * The fold state and its transition function. Used twice: once to build the index (building =
 * true: assigns dense indices, records the static columns, maintains the live list) and then as
 * the scratch state that keyframes are restored into and replayed.
 */
export class Fold {
  gomaxprocs: number;
  ps: PRec[] = [];
  ms: MRec[] = [];
  global = new IntDeque(1024);
  /** Gs created so far (= the next dense index). */
  gcount = 0;
  live = 0;
  readonly whereCount = new Int32Array(WHERE_NAMES.length);
  sleeping = 0;
  exitEvent = -1;
  // Mutable per-G columns (valid for live Gs).
  gcap: number;
  where: Uint8Array<ArrayBuffer>;
  wait: Uint8Array<ArrayBuffer>;
  gp: Int32Array<ArrayBuffer>;
  gm: Int32Array<ArrayBuffer>;
  site: Int32Array<ArrayBuffer>;
  // Live list (building only): unordered, with each G's position for O(1) removal.
  liveList: Int32Array<ArrayBuffer>;
  livePos: Int32Array<ArrayBuffer>;
  /** Ps and Ms touched by the last events (when tracking; for exporters that follow changes). */
  dirtyP: number[] | null = null;
  dirtyM: number[] | null = null;

  constructor(
    readonly log: EventLog, readonly ids: GoidMap, readonly stat: GStatic, readonly building: boolean, gomaxprocs: number,
    /** Gs to make room for up front (a replaying fold knows the total). */
    capacity = 1024,
  ) {
    this.gcap = capacity;
    this.where = new Uint8Array(capacity); this.wait = new Uint8Array(capacity);
    this.gp = new Int32Array(capacity); this.gm = new Int32Array(capacity); this.site = new Int32Array(capacity);
    this.liveList = new Int32Array(building ? capacity : 0);
    this.livePos = new Int32Array(building ? capacity : 0);
    this.gomaxprocs = gomaxprocs;
    for (let i = 0; i < gomaxprocs; i++) this.ps.push(newP(PStatus.Idle));
    // M0 runs main (Running before it has a P, as the engine sets it); M1 is sysmon.
    this.ms.push(newM(MState.Running), newM(MState.Sysmon));
  }

  private ensureG(n: number): void {
    if (n <= this.gcap) return;
    let c = Math.max(16, this.gcap);
    while (c < n) c *= 2;
    this.gcap = c;
    this.where = grownU8(this.where, c); this.wait = grownU8(this.wait, c);
    this.gp = grownI32(this.gp, c); this.gm = grownI32(this.gm, c); this.site = grownI32(this.site, c);
    if (this.building) {
      this.liveList = grownI32(this.liveList, c);
      this.livePos = grownI32(this.livePos, c);
    }
  }
  private P(p: number): PRec {
    while (this.ps.length <= p) this.ps.push(newP(PStatus.Idle));
    this.markP(p);
    return this.ps[p]!;
  }
  private M(m: number): MRec {
    while (this.ms.length <= m) this.ms.push(newM(MState.Idle));
    this.markM(m);
    return this.ms[m]!;
  }
  private markP(p: number): void { if (this.dirtyP && p >= 0) this.dirtyP.push(p); }
  private markM(m: number): void { if (this.dirtyM && m >= 0) this.dirtyM.push(m); }

  /** releasep's effect on both sides: p no longer held by its M. */
  private detachP(p: number): void {
    const pr = this.P(p);
    if (pr.m >= 0) {
      const mr = this.M(pr.m);
      if (mr.p === p) mr.p = -1;
    }
    pr.m = -1;
  }
  /** acquirep: m holds p (any P m held before is released, as the engine's releasep did). */
  private linkPM(p: number, m: number): void {
    const mr = this.M(m);
    if (mr.p >= 0 && mr.p !== p) {
      const old = this.P(mr.p);
      if (old.m === m) { old.m = -1; if (old.status === PStatus.Running) old.status = PStatus.Idle; }
    }
    const pr = this.P(p);
    if (pr.m >= 0 && pr.m !== m) {
      const om = this.M(pr.m);
      if (om.p === p) om.p = -1;
    }
    pr.m = m;
    pr.status = PStatus.Running;
    pr.idleList = false;
    mr.p = p;
  }

  private setWhere(k: number, w: number, p: number, m: number): void {
    const old = this.where[k]!;
    if (old === W.Waiting && this.wait[k] === Wait.Sleep) this.sleeping--;
    this.whereCount[old]!--;
    this.where[k] = w;
    this.whereCount[w]!++;
    if (w === W.Waiting && this.wait[k] === Wait.Sleep) this.sleeping++;
    this.gp[k] = p;
    this.gm[k] = m;
  }

  /** Takes k out of the place it is in (a queue, or the M it runs on); it ends up 'none'. */
  private unplace(k: number): void {
    const p = this.gp[k]!;
    switch (this.where[k]) {
      case W.Runnext: {
        const pr = this.P(p);
        if (pr.runnext === k) pr.runnext = -1;
        break;
      }
      case W.Local: this.P(p).runq.remove(k); break;
      case W.Global: this.global.remove(k); break;
      case W.Running:
      case W.Syscall: {
        const m = this.gm[k]!;
        if (m >= 0 && this.M(m).g === k) this.ms[m]!.g = -1;
        if (p >= 0) this.markP(p);
        break;
      }
    }
    this.setWhere(k, W.None, -1, -1);
  }

  /** Applies event i. */
  apply(i: number): void {
    const log = this.log;
    const kind = log.kind(i);
    const goid = log.g(i);
    const m = log.m(i);
    const p = log.p(i);
    const a = log.a(i);
    const b = log.b(i);
    const site = log.siteIndex(i);
    let k = -1;
    if (kind === Ev.GoCreate) k = this.create(i, goid, a, b, site);
    else if (goid >= 0) k = this.ids.get(goid);
    if (k >= 0 && site >= 0 && SITE_KINDS.has(kind)) this.site[k] = site;

    switch (kind) {
      case Ev.GoEnqueue: {
        if (k < 0) break;
        this.unplace(k);
        switch (a) {
          case Loc.Runnext: {
            // runqput(next): the old runnext is kicked; its own GoEnqueue follows at once.
            const pr = this.P(p);
            const old = pr.runnext;
            if (old >= 0 && old !== k) this.setWhere(old, W.None, -1, -1);
            pr.runnext = k;
            this.setWhere(k, W.Runnext, p, -1);
            break;
          }
          case Loc.LocalTail: case Loc.Local:
            this.P(p).runq.push(k);
            this.setWhere(k, W.Local, p, -1);
            break;
          case Loc.GlobalTail: case Loc.Global:
            this.global.push(k);
            this.setWhere(k, W.Global, -1, -1);
            break;
          case Loc.GlobalHead:
            // procresize moves a destroyed P's queue to the head of the global queue.
            this.global.unshift(k);
            this.setWhere(k, W.Global, -1, -1);
            break;
          case Loc.Netpoll:
            this.setWhere(k, W.Netpoll, -1, -1);
            break;
        }
        break;
      }
      case Ev.GoStart: {
        if (k < 0) break;
        // execute: it left its queue silently (runqget/globrunqget), so take it from wherever it is.
        this.unplace(k);
        const mr = this.M(m);
        mr.g = k;
        mr.state = MState.Running;
        const pr = this.P(p);
        if (a === 0) pr.schedtick++; // a slice inherited from runnext does not count as a new schedule
        this.wait[k] = Wait.None;
        this.setWhere(k, W.Running, p, m);
        break;
      }
      case Ev.GoBlock:
      case Ev.GoNetpollPark:
        if (k < 0) break;
        this.unplace(k);
        this.wait[k] = kind === Ev.GoNetpollPark ? Wait.IOWait : a;
        this.setWhere(k, kind === Ev.GoNetpollPark ? W.Netpoll : W.Waiting, -1, -1);
        break;
      case Ev.GoEnd:
        if (k < 0) break;
        this.unplace(k);
        this.setWhere(k, W.Dead, -1, -1);
        this.live--;
        if (this.building) {
          this.stat.endAt[k] = i;
          this.stat.endSite[k] = this.site[k]!;
          const pos = this.livePos[k]!;
          const last = this.liveList[this.live]!; // live was already decremented: last slot
          this.liveList[pos] = last;
          this.livePos[last] = pos;
        }
        break;
      case Ev.GoSysEnter: {
        // entersyscall: the G keeps its M; the P stays behind in _Psyscall with no M.
        if (k < 0) break;
        const mr = this.M(m);
        mr.state = MState.Syscall;
        mr.g = k;
        this.detachP(p);
        this.P(p).status = PStatus.Syscall;
        this.setWhere(k, W.Syscall, p, m);
        break;
      }
      case Ev.GoSysExit: {
        if (k < 0) break;
        const mr = this.M(m);
        if (p >= 0) {
          // Fast path: back on its old P, or on an idle one (acquired just before).
          this.linkPM(p, m);
          mr.state = MState.Running;
          mr.g = k;
          this.setWhere(k, W.Running, p, m);
        } else {
          // Slow path: the G goes to the global queue (its GoEnqueue follows) and the M stops.
          this.unplace(k);
        }
        break;
      }
      case Ev.ProcAcquire: {
        this.linkPM(p, m);
        const mr = this.ms[m]!;
        mr.nextp = -1;
        if (mr.state === MState.Waking) mr.state = MState.Running; // mstart
        // procresize destroying the caller's P moves its M, and the G running there, to P0.
        if (mr.g >= 0 && this.where[mr.g] === W.Running) this.gp[mr.g] = p;
        break;
      }
      case Ev.ProcIdle: {
        this.detachP(p);
        const pr = this.P(p);
        pr.status = PStatus.Idle;
        pr.idleList = true;
        break;
      }
      case Ev.ProcHandoff:
      case Ev.SysmonRetake: {
        // The P leaves its syscall/locked/exiting M; the M that takes it (if any) follows.
        this.detachP(p);
        this.P(p).status = PStatus.Idle;
        break;
      }
      case Ev.ProcStop: {
        this.detachP(p);
        const pr = this.P(p);
        pr.status = a === 2 ? PStatus.Dead : PStatus.GCStop;
        pr.idleList = false;
        break;
      }
      case Ev.MCreate:
      case Ev.MWake: {
        // startm: an idle P (off the idle list) is given to the M as nextp.
        const mr = this.M(m);
        mr.state = MState.Waking;
        mr.nextp = p;
        mr.p = -1;
        mr.g = -1;
        mr.spinning = a === 1;
        if (p >= 0) {
          this.detachP(p);
          const pr = this.P(p);
          pr.status = PStatus.Idle;
          pr.idleList = false;
        }
        break;
      }
      case Ev.MSpin:
        this.M(m).spinning = a === 1;
        break;
      case Ev.MIdle: {
        const mr = this.M(m);
        // A waking M parked before it acquired nextp: only stop-the-world does that, and the P
        // is then stopped (the engine sets _Pgcstop on it without a ProcStop event).
        if (mr.state === MState.Waking && mr.nextp >= 0 && this.P(mr.nextp).status !== PStatus.Dead) {
          this.ps[mr.nextp]!.status = PStatus.GCStop;
        }
        if (mr.p >= 0) this.detachP(mr.p);
        mr.state = a === 1 ? MState.LockedIdle : MState.Idle;
        mr.nextp = -1;
        mr.g = -1;
        mr.spinning = false;
        break;
      }
      case Ev.MNetpollBlock: {
        const mr = this.M(m);
        mr.state = MState.Netpoll;
        mr.spinning = false;
        break;
      }
      case Ev.MNetpollWake:
        this.M(m).state = MState.Running;
        break;
      case Ev.MExit: {
        // A G ended locked to its thread: the thread dies; its P was released (handoff follows).
        const mr = this.M(m);
        if (p >= 0 && this.P(p).m === m) {
          this.detachP(p);
          this.ps[p]!.status = PStatus.Idle;
        }
        mr.state = MState.Dead;
        mr.p = -1;
        mr.g = -1;
        mr.spinning = false;
        mr.lockedg = -1;
        break;
      }
      case Ev.Steal:
        // The G the thief runs now leaves the victim here; the rest move by GoEnqueue(Steal).
        if (k >= 0) this.unplace(k);
        break;
      case Ev.GlobalGet:
        // globrunqget runs the head itself; the rest of the batch moves by GoEnqueue(GlobalBatch).
        if (this.global.length > 0) this.unplace(this.global.at(0));
        break;
      case Ev.StartLockedM: {
        // The picker gives its P and the G to the G's own M (b), then parks.
        if (k >= 0) this.unplace(k);
        this.detachP(p);
        this.P(p).status = PStatus.Idle;
        const target = this.M(b);
        target.state = MState.Waking;
        target.nextp = p;
        break;
      }
      case Ev.LockOSThread:
        this.M(m).lockedg = a === 1 ? k : -1;
        break;
      case Ev.GoMaxProcs:
        // procresize: Ps [old, new) are created fresh (stopped until the world restarts);
        // Ps [new, old) are destroyed by their own ProcStop events.
        this.gomaxprocs = b;
        for (let q = a; q < b; q++) {
          this.ps[q] = newP(PStatus.GCStop);
          this.markP(q);
        }
        break;
      case Ev.Exit:
        this.exitEvent = i;
        break;
      // Narration-only kinds: GoPreempt, GoSched, SysmonPreempt, Overflow, TimerFire, Netpoll,
      // Wake, Print, Note — the moves they announce are events of their own.
    }
  }

  private create(i: number, goid: number, parent: number, name: number, site: number): number {
    const k = this.gcount++;
    this.ensureG(k + 1);
    if (this.building) {
      const st = this.stat;
      st.ensure(k + 1);
      st.goid[k] = goid;
      st.parent[k] = parent;
      st.name[k] = name;
      st.createdSite[k] = site;
      st.createdAt[k] = i;
      st.endAt[k] = NEVER;
      st.endSite[k] = site;
      this.ids.set(goid, k);
      this.liveList[this.live] = k;
      this.livePos[k] = this.live;
    }
    this.live++;
    // newproc1: _Grunnable, not yet queued (its GoEnqueue, or main's GoStart, follows).
    this.where[k] = W.None;
    this.whereCount[W.None]++;
    this.wait[k] = Wait.None;
    this.gp[k] = -1;
    this.gm[k] = -1;
    this.site[k] = site;
    return k;
  }

  // --- keyframes ------------------------------------------------------------------------------

  snapshot(i: number): Keyframe {
    const n = this.live;
    const liveIdx = this.liveList.slice(0, n).sort();
    const where = new Uint8Array(n);
    const wait = new Uint8Array(n);
    const gp = new Int32Array(n);
    const gm = new Int32Array(n);
    const site = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const k = liveIdx[j]!;
      where[j] = this.where[k]!; wait[j] = this.wait[k]!; gp[j] = this.gp[k]!; gm[j] = this.gm[k]!; site[j] = this.site[k]!;
    }
    return {
      i, gomaxprocs: this.gomaxprocs, gcount: this.gcount, live: n, sleeping: this.sleeping, exitEvent: this.exitEvent,
      whereCount: this.whereCount.slice(),
      ps: this.ps.map((p) => ({ status: p.status, m: p.m, runnext: p.runnext, runq: p.runq.toInt32Array(), schedtick: p.schedtick, idleList: p.idleList })),
      ms: this.ms.map((m) => ({ ...m })),
      global: this.global.toInt32Array(),
      liveIdx, where, wait, gp, gm, site,
    };
  }

  restore(kf: Keyframe): void {
    this.gomaxprocs = kf.gomaxprocs;
    this.gcount = kf.gcount;
    this.live = kf.live;
    this.sleeping = kf.sleeping;
    this.exitEvent = kf.exitEvent;
    this.whereCount.set(kf.whereCount);
    this.ps = kf.ps.map((p) => ({ status: p.status, m: p.m, runnext: p.runnext, runq: IntDeque.from(p.runq), schedtick: p.schedtick, idleList: p.idleList }));
    this.ms = kf.ms.map((m) => ({ ...m }));
    this.global = IntDeque.from(kf.global);
    for (let j = 0; j < kf.liveIdx.length; j++) {
      const k = kf.liveIdx[j]!;
      this.where[k] = kf.where[j]!; this.wait[k] = kf.wait[j]!; this.gp[k] = kf.gp[j]!; this.gm[k] = kf.gm[j]!; this.site[k] = kf.site[j]!;
    }
  }

  /** Runnable Gs: queued anywhere, or between queues. */
  runnableCount(): number {
    const wc = this.whereCount;
    return wc[W.None]! + wc[W.Runnext]! + wc[W.Local]! + wc[W.Global]!;
  }

  /** The G a P is running right now, or -1 (for exporters). */
  runningOn(p: number): number {
    const pr = this.ps[p];
    if (!pr || pr.status !== PStatus.Running || pr.m < 0) return -1;
    const mr = this.ms[pr.m]!;
    return mr.state === MState.Running && mr.g >= 0 && this.where[mr.g] === W.Running ? mr.g : -1;
  }
}

interface Keyframe {
  /** State after event i (-1 = initial). */
  i: number;
  gomaxprocs: number;
  gcount: number;
  live: number;
  sleeping: number;
  exitEvent: number;
  whereCount: Int32Array;
  ps: { status: number; m: number; runnext: number; runq: Int32Array; schedtick: number; idleList: boolean }[];
  ms: MRec[];
  global: Int32Array;
  /** Live Gs (dense indices, ascending) and their mutable fields. */
  liveIdx: Int32Array;
  where: Uint8Array;
  wait: Uint8Array;
  gp: Int32Array;
  gm: Int32Array;
  site: Int32Array;
}

function keyframeBytes(kf: Keyframe): number {
  let n = 64 + kf.whereCount.byteLength + kf.global.byteLength + kf.liveIdx.length * (4 + 1 + 1 + 4 + 4 + 4);
  for (const p of kf.ps) n += 48 + p.runq.byteLength;
  return n + kf.ms.length * 56;
}

// ---------------------------------------------------------------------------------------------
// The index

export interface IndexOptions {
  /** Initial GOMAXPROCS; by default read from the start-up ProcIdle events. */
  gomaxprocs?: number;
  /** Minimum events between keyframes (default 4096; tests use small values). */
  keyframeEvery?: number;
}

export interface TraceIndex {
  readonly log: EventLog;
  /** State after events 0..i (i = -1: before the first event). `goroutines: false` leaves `gs` empty (use forEachLive). */
  stateAtEvent(i: number, opts?: { goroutines?: boolean }): SchedState;
  /**
   * Visits every goroutine alive after event i without building objects (for views of hundreds of
   * thousands of Gs); the arguments are GView's fields.
   */
  forEachLive(i: number, visit: (id: number, where: GWhere, waitReason: number, p: number, m: number, site: number, createdSite: number) => void): void;
  /** State at virtual time t (after every event at or before t). */
  stateAt(t: number): SchedState;
  /** One goroutine at event i (also dead ones), or null if it did not exist yet. */
  goroutineAt(goid: number, i: number): GView | null;
  /** Goroutines ever created. */
  readonly goroutines: number;
  readonly keyframes: number;
  /** Approximate bytes held by the index (not counting the log). */
  byteSize(): number;
}

/** GOMAXPROCS at start: the engine's procresize puts every P on the idle list before anything else. */
function initialProcs(log: EventLog): number {
  let n = 0;
  for (let i = 0; i < log.length && log.kind(i) === Ev.ProcIdle; i++) n = Math.max(n, log.p(i) + 1);
  return Math.max(1, n);
}

class Index implements TraceIndex {
  private readonly ids = new GoidMap();
  private readonly stat = new GStatic();
  private readonly kfs: Keyframe[] = [];
  private readonly fold: Fold;
  /** Event the scratch fold is at (replay continues from here when it can). */
  private cursor = -1;
  /** Print events and the output length after each (for output-so-far). */
  private printAt = new Int32Array(0);
  private printEnd = new Int32Array(0);
  private output = '';
  private kfBytes = 0;

  constructor(readonly log: EventLog, opts: IndexOptions) {
    const procs = opts.gomaxprocs ?? initialProcs(log);
    const minK = Math.max(1, opts.keyframeEvery ?? 4096);
    const f = new Fold(log, this.ids, this.stat, true, procs);
    this.addKeyframe(f.snapshot(-1));
    const prints: number[] = [];
    const ends: number[] = [];
    const parts: string[] = [];
    let outLen = 0;
    let last = -1;
    for (let i = 0; i < log.length; i++) {
      f.apply(i);
      if (log.kind(i) === Ev.Print) {
        const s = log.strings[log.a(i)] ?? '';
        parts.push(s);
        outLen += s.length;
        prints.push(i);
        ends.push(outLen);
      }
      // Keyframe interval grows with the state to copy, bounding keyframe memory by events / 8.
      const k = Math.max(minK, 8 * (f.live + f.ms.length + f.ps.length));
      if (i - last >= k) {
        this.addKeyframe(f.snapshot(i));
        last = i;
      }
    }
    this.stat.trim(f.gcount);
    this.printAt = Int32Array.from(prints);
    this.printEnd = Int32Array.from(ends);
    this.output = parts.join('');
    // The scratch fold for replays, sized for every G (the build fold and its live list are dropped).
    this.fold = new Fold(log, this.ids, this.stat, false, procs, f.gcount);
    this.fold.restore(this.kfs[0]!);
  }

  private addKeyframe(kf: Keyframe): void {
    this.kfs.push(kf);
    this.kfBytes += keyframeBytes(kf);
  }

  get goroutines(): number { return this.stat.cap; }
  get keyframes(): number { return this.kfs.length; }

  byteSize(): number {
    return this.kfBytes + this.stat.byteSize() + this.ids.byteSize() + this.fold.gcap * 14 + this.printAt.byteLength * 2 + this.output.length * 2;
  }

  /** The last keyframe at or before event i. */
  private keyframeFor(i: number): Keyframe {
    let lo = 0;
    let hi = this.kfs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.kfs[mid]!.i <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.kfs[lo]!;
  }

  private seek(i: number): Keyframe {
    const kf = this.keyframeFor(i);
    if (!(this.cursor >= kf.i && this.cursor <= i)) {
      this.fold.restore(kf);
      this.cursor = kf.i;
    }
    for (let e = this.cursor + 1; e <= i; e++) this.fold.apply(e);
    this.cursor = i;
    return kf;
  }

  private clamp(i: number): number {
    return Math.max(-1, Math.min(this.log.length - 1, Math.floor(i)));
  }

  stateAt(t: number): SchedState {
    const s = this.stateAtEvent(this.log.upperBound(t) - 1);
    s.time = t;
    return s;
  }

  forEachLive(index: number, visit: (id: number, where: GWhere, waitReason: number, p: number, m: number, site: number, createdSite: number) => void): void {
    const i = this.clamp(index);
    const kf = this.seek(i);
    const f = this.fold;
    const st = this.stat;
    // Live Gs at i: the keyframe's, plus those created since, minus those ended by i.
    const one = (k: number) => {
      if (st.endAt[k]! <= i) return;
      visit(st.goid[k]!, WHERE_NAMES[f.where[k]!]!, f.wait[k]!, f.gp[k]!, f.gm[k]!, f.site[k]!, st.createdSite[k]!);
    };
    for (let j = 0; j < kf.liveIdx.length; j++) one(kf.liveIdx[j]!);
    for (let k = kf.gcount; k < f.gcount; k++) one(k);
  }

  stateAtEvent(index: number, opts: { goroutines?: boolean } = {}): SchedState {
    const i = this.clamp(index);
    const kf = this.seek(i);
    const f = this.fold;
    const st = this.stat;
    const g = (k: number) => (k >= 0 ? st.goid[k]! : -1);

    // Live Gs at i: the keyframe's, plus those created since, minus those ended by i.
    const gs: GView[] = [];
    const view = (k: number) => {
      if (st.endAt[k]! <= i) return;
      const w = f.where[k]!;
      gs.push({
        id: st.goid[k]!, state: STATE_OF_WHERE[w]!, where: WHERE_NAMES[w]!, waitReason: f.wait[k]!, p: f.gp[k]!, m: f.gm[k]!,
        site: f.site[k]!, createdSite: st.createdSite[k]!, parent: st.parent[k]!, name: st.name[k]!,
      });
    };
    if (opts.goroutines !== false) {
      for (let j = 0; j < kf.liveIdx.length; j++) view(kf.liveIdx[j]!);
      for (let k = kf.gcount; k < f.gcount; k++) view(k);
    }

    const ps: PView[] = f.ps.map((p, id) => {
      const runq: number[] = new Array(p.runq.length);
      for (let j = 0; j < p.runq.length; j++) runq[j] = g(p.runq.at(j));
      return { id, status: P_NAMES[p.status]!, m: p.m, runnext: g(p.runnext), runq, schedtick: p.schedtick, idleList: p.idleList };
    });
    let spinning = 0;
    let threads = 0;
    const ms: MView[] = f.ms.map((m, id) => {
      if (m.spinning) spinning++;
      if (m.state !== MState.Dead) threads++;
      const state = m.spinning && m.state === MState.Running ? 'spinning' : M_NAMES[m.state]!;
      return { id, state, p: m.p, nextp: m.nextp, g: g(m.g), spinning: m.spinning, lockedg: g(m.lockedg) };
    });
    const global: number[] = new Array(f.global.length);
    for (let j = 0; j < f.global.length; j++) global[j] = g(f.global.at(j));
    const wc = f.whereCount;
    let exit: SchedState['exit'] = null;
    if (f.exitEvent >= 0) {
      const e = f.exitEvent;
      exit = { reason: EXIT_REASON_NAMES[this.log.a(e)] ?? 'error', code: this.log.b(e), g: this.log.g(e), message: this.log.strings[this.log.siteIndex(e)] ?? '' };
    }
    return {
      time: i >= 0 ? this.log.t(i) : 0,
      eventIndex: i,
      gomaxprocs: f.gomaxprocs,
      ps,
      global,
      ms,
      gs,
      counters: {
        liveGoroutines: f.live, threads, spinningMs: spinning, idlePs: f.ps.filter((p) => p.idleList).length,
        netpollWaiters: wc[W.Netpoll]!, sleeping: f.sleeping,
        runnable: f.runnableCount(), running: wc[W.Running]!,
        waiting: wc[W.Waiting]! + wc[W.Netpoll]!, syscall: wc[W.Syscall]!, globalQueue: f.global.length,
      },
      output: this.outputAt(i),
      exit,
    };
  }

  private outputAt(i: number): string {
    // Last Print event at or before i.
    let lo = 0;
    let hi = this.printAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.printAt[mid]! <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? '' : this.output.slice(0, this.printEnd[lo - 1]!);
  }

  goroutineAt(goid: number, index: number): GView | null {
    const i = this.clamp(index);
    const k = this.ids.get(goid);
    const st = this.stat;
    if (k < 0 || st.createdAt[k]! > i) return null;
    const base = { id: goid, createdSite: st.createdSite[k]!, parent: st.parent[k]!, name: st.name[k]! };
    if (st.endAt[k]! <= i) return { ...base, state: 'dead', where: 'dead', waitReason: Wait.None, p: -1, m: -1, site: st.endSite[k]! };
    this.seek(i);
    const f = this.fold;
    const w = f.where[k]!;
    return { ...base, state: STATE_OF_WHERE[w]!, where: WHERE_NAMES[w]!, waitReason: f.wait[k]!, p: f.gp[k]!, m: f.gm[k]!, site: f.site[k]! };
  }
}

/** Folds the log once and returns an index answering stateAt(t) / stateAtEvent(i). */
export function buildIndex(log: EventLog, opts: IndexOptions = {}): TraceIndex {
  return new Index(log, opts);
}

/** A Fold that an exporter steps through the log itself (apply(0), apply(1), …). */
export function newFold(log: EventLog, opts: { gomaxprocs?: number } = {}): Fold {
  return new Fold(log, new GoidMap(), new GStatic(), true, opts.gomaxprocs ?? initialProcs(log));
}

/** Events per time bucket over [from, to] (default: the whole run), for the timeline scrubber. */
export function eventDensity(log: EventLog, buckets: number, from = 0, to = log.length ? log.t(log.length - 1) : 0): Uint32Array {
  const n = Math.max(1, Math.floor(buckets));
  const out = new Uint32Array(n);
  const span = to - from;
  // First event at or after `from`.
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log.t(mid) < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < log.length; i++) {
    const t = log.t(i);
    if (t > to) break;
    const b = span > 0 ? Math.min(n - 1, Math.floor(((t - from) / span) * n)) : 0;
    out[b]!++;
  }
  return out;
}
