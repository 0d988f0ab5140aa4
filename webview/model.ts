// SimulationData → what the panel shows at an event index. Pure (no DOM): the fold of the log
// (stateAtEvent, with keyframes) plus the few facts the fold does not keep — statistics so far,
// per-P utilisation, a sleeper's wake time, a syscall's kind — from one extra pass with
// checkpoints, so any seek costs at most one checkpoint interval of replay.
import { Wait, waitReasonString } from '../src/core/engine/entities';
import { Ev, EventLog, PollWho, type EvKind, type SerializedLog } from '../src/core/trace/events';
import { buildIndex, type GView, type SchedState, type TraceIndex } from '../src/core/trace/state';
import { StatsCounter, type TraceStats } from '../src/core/trace/stats';
import { narrationPriority, pickNarration, type Narration } from '../src/core/knowledge/narrate';
import { formatNs } from '../src/core/knowledge/hovers';
import type { SimulationData } from '../src/protocol';

export { formatNs };

/** Events between checkpoints of the statistics pass. */
const CHECK_EVERY = 4096;

export interface RunningView {
  g: number;
  line: number;
  text: string;
  /** No line recorded since it was created: `line` is its go statement (its body is running somewhere). */
  fresh: boolean;
}
export interface PFrame {
  id: number;
  status: string;
  /** The M holding it. */
  m: { id: number; spinning: boolean; state: string } | null;
  /** An M started or woken to take it (startm with nextp = this P), -1 if none. */
  incomingM: number;
  running: RunningView | null;
  runnext: number;
  runq: number[];
  schedtick: number;
  /** Fraction of virtual time so far this P ran a G (0…1). */
  utilisation: number;
}
export interface KernelView { m: number; g: number; cgo: boolean; what: string; p: number; line: number }
export interface SleeperView { g: number; wakeNs: number | null }
export interface WaitGroupView { reason: string; gs: number[] }

export interface Frame {
  index: number;
  time: number;
  gomaxprocs: number;
  ps: PFrame[];
  global: number[];
  kernel: KernelView[];
  /** Gs parked in the netpoller, and the Ms blocked in netpoll. */
  netpoll: number[];
  netpollMs: number[];
  /** Sleeping Gs (wake times are looked up for the ones drawn: model.wakeTime). */
  sleeping: number[];
  waiting: WaitGroupView[];
  /** Runnable Gs in no queue at this instant (between a queue and their M). */
  inFlight: number[];
  idlePs: number[];
  idleMs: number[];
  spinningMs: number[];
  /** The sysmon thread and the last thing it did. */
  sysmon: { m: number; last: string | null };
  alive: number;
  finished: number;
  stats: TraceStats;
  threads: number;
  output: string;
  exit: SchedState['exit'];
}

interface Checkpoint { stats: StatsCounter; busy: Float64Array; runG: Int32Array; since: Float64Array }

/** The wire log as the core's SerializedLog (same columns; sites carry the same fields). */
export function eventLogOf(data: SimulationData): EventLog {
  return EventLog.fromJSON(data.log as unknown as SerializedLog);
}

/** Logs longer than this show their first frame from an index of this prefix, then index the rest. */
export const FIRST_FRAME_PREFIX = 32_768;

export class PanelModel {
  readonly log: EventLog;
  readonly goVersion: number;
  private readonly nP: number;
  /** The index of the whole log, built on first need (completeIndex), and of a prefix before. */
  private full: TraceIndex | null = null;
  private readonly prefix: TraceIndex | null;
  private readonly prefixLength: number;
  /** Checkpoints of the statistics pass, built lazily as far as the playhead has been. */
  private readonly checkpoints: Checkpoint[] = [];
  private readonly pass: Checkpoint & { onP: Map<number, number>; next: number };
  /** Events sysmon caused (preemption requests, retakes, its netpolls), and events worth stopping at (narration priority ≥ 3). */
  private marks: { sysmon: Int32Array; interesting: Int32Array } | null = null;

  constructor(readonly data: SimulationData) {
    this.log = eventLogOf(data);
    this.goVersion = data.config.goVersion;
    const w = data.log;
    let maxP = data.config.gomaxprocs;
    for (let i = 0; i < w.length; i++) if (w.p[i]! >= maxP) maxP = w.p[i]! + 1;
    this.nP = maxP;
    // A state at event i depends only on events 0…i: the first frame needs only a prefix folded.
    this.prefixLength = w.length > 2 * FIRST_FRAME_PREFIX ? FIRST_FRAME_PREFIX : 0;
    if (this.prefixLength) {
      const L = this.prefixLength;
      this.prefix = buildIndex(EventLog.fromJSON({
        ...(data.log as unknown as SerializedLog), length: L, t: w.t.subarray(0, L), kind: w.kind.subarray(0, L), g: w.g.subarray(0, L),
        m: w.m.subarray(0, L), p: w.p.subarray(0, L), a: w.a.subarray(0, L), b: w.b.subarray(0, L), site: w.site.subarray(0, L),
      }));
    } else {
      this.prefix = null;
      this.full = buildIndex(this.log);
    }
    this.pass = {
      stats: new StatsCounter(), busy: new Float64Array(maxP), runG: new Int32Array(maxP).fill(-1), since: new Float64Array(maxP),
      onP: new Map(), next: 0,
    };
  }

  /** Whether the whole log is indexed (seeking anywhere is then a keyframe restore + short replay). */
  get complete(): boolean { return this.full !== null; }

  /** Folds the whole log (O(events)); done on first need, or by the panel right after the first frame. */
  completeIndex(): TraceIndex {
    this.full ??= buildIndex(this.log);
    return this.full;
  }

  /** The index that answers for event i. */
  private indexFor(i: number): TraceIndex {
    return this.full ?? (this.prefix && i < this.prefixLength ? this.prefix : this.completeIndex());
  }

  private get markLists(): { sysmon: Int32Array; interesting: Int32Array } {
    if (this.marks) return this.marks;
    const w = this.data.log;
    const interesting: number[] = [];
    const sysmon: number[] = [];
    for (let i = 0; i < w.length; i++) {
      const kind = w.kind[i]!;
      if (kind === Ev.SysmonPreempt || kind === Ev.SysmonRetake || (kind === Ev.Netpoll && w.b[i] === PollWho.Sysmon)) sysmon.push(i);
      if (narrationPriority(kind as EvKind, w.a[i]!) >= 3) interesting.push(i);
    }
    this.marks = { sysmon: Int32Array.from(sysmon), interesting: Int32Array.from(interesting) };
    return this.marks;
  }

  /**
   * The source site a running G is at: the fold keeps the site of its last park or syscall (where
   * it resumed); since it started running, the `go` statements it executed (GoCreate, parent
   * column a) and what it printed say where it got to.
   */
  private currentSite(g: number, i: number, resumedAt: number): number {
    const w = this.data.log;
    for (let j = i, seen = 0; j >= 0 && seen < 4096; j--, seen++) {
      const k = w.kind[j]!;
      if (k === Ev.GoStart && w.g[j] === g) break;
      if (w.site[j]! >= 0 && ((k === Ev.GoCreate && w.a[j] === g) || (k === Ev.Print && w.g[j] === g))) return w.site[j]!;
    }
    return resumedAt;
  }

  /** The last sysmon event at or before i by a backward scan (before the mark lists exist). */
  private lastSysmonBefore(i: number): number {
    const w = this.data.log;
    for (let j = i; j >= 0; j--) {
      const k = w.kind[j]!;
      if (k === Ev.SysmonPreempt || k === Ev.SysmonRetake || (k === Ev.Netpoll && w.b[j] === PollWho.Sysmon)) return j;
    }
    return -1;
  }

  /** Builds what the first frame did not need: the whole index and the lists of marked events. */
  finishIndexing(): void {
    this.completeIndex();
    void this.markLists;
  }

  /** One goroutine at event i (dead ones too), or null before it exists. */
  goroutineAt(g: number, i: number): GView | null {
    return this.indexFor(i).goroutineAt(g, i);
  }

  /** Runs the statistics pass until checkpoint k exists. */
  private ensureCheckpoint(k: number): Checkpoint {
    const w = this.data.log;
    const st = this.pass;
    while (this.checkpoints.length <= k) {
      this.checkpoints.push({ stats: st.stats.clone(), busy: st.busy.slice(), runG: st.runG.slice(), since: st.since.slice() });
      const end = Math.min(w.length, st.next + CHECK_EVERY);
      for (let i = st.next; i < end; i++) {
        st.stats.add(w.kind[i]!, w.a[i]!, w.t[i]!);
        PanelModel.trackBusy(w.kind[i]!, w.g[i]!, w.p[i]!, w.t[i]!, st.busy, st.runG, st.since, st.onP);
      }
      st.next = end;
    }
    return this.checkpoints[k]!;
  }

  /** Busy time per P: from a G's GoStart on it until that G leaves (parks, ends, enters a syscall, is requeued). */
  private static trackBusy(kind: number, g: number, p: number, t: number, busy: Float64Array, runG: Int32Array, since: Float64Array, onP: Map<number, number>): void {
    if (kind === Ev.GoStart && p >= 0) {
      if (runG[p]! >= 0) { busy[p]! += t - since[p]!; onP.delete(runG[p]!); }
      runG[p] = g;
      since[p] = t;
      onP.set(g, p);
      return;
    }
    if (kind === Ev.GoBlock || kind === Ev.GoEnd || kind === Ev.GoSysEnter || kind === Ev.GoNetpollPark || kind === Ev.GoEnqueue) {
      const q = onP.get(g);
      if (q !== undefined && runG[q] === g) {
        busy[q]! += t - since[q]!;
        runG[q] = -1;
        onP.delete(g);
      }
    }
  }

  get length(): number { return this.log.length; }
  get endTime(): number { return this.log.length ? this.log.t(this.log.length - 1) : 0; }

  /** Statistics and per-P busy time after event i. */
  private countersAt(i: number): { stats: TraceStats; utilisation: number[] } {
    const w = this.data.log;
    const nP = this.nP;
    if (i < 0 || w.length === 0) return { stats: new StatsCounter().s, utilisation: new Array(nP).fill(0) };
    const cp = this.ensureCheckpoint(Math.floor(i / CHECK_EVERY));
    const stats = cp.stats.clone();
    const busy = cp.busy.slice(), runG = cp.runG.slice(), since = cp.since.slice();
    const onP = new Map<number, number>();
    for (let p = 0; p < nP; p++) if (runG[p]! >= 0) onP.set(runG[p]!, p);
    for (let e = Math.floor(i / CHECK_EVERY) * CHECK_EVERY; e <= i; e++) {
      stats.add(w.kind[e]!, w.a[e]!, w.t[e]!);
      PanelModel.trackBusy(w.kind[e]!, w.g[e]!, w.p[e]!, w.t[e]!, busy, runG, since, onP);
    }
    const t = w.t[i]!;
    const utilisation: number[] = [];
    for (let p = 0; p < nP; p++) {
      const b = busy[p]! + (runG[p]! >= 0 ? t - since[p]! : 0);
      utilisation.push(t > 0 ? Math.min(1, b / t) : 0);
    }
    return { stats: stats.s, utilisation };
  }

  /** The last entry of an ascending list at or before i, or -1. */
  private static atOrBefore(list: Int32Array, i: number): number {
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (list[mid]! <= i) lo = mid + 1; else hi = mid; }
    return lo > 0 ? list[lo - 1]! : -1;
  }

  lineOfSite(site: number): number {
    return site >= 0 ? (this.log.sites[site]?.line ?? 0) : 0;
  }
  sourceText(line: number): string {
    return line > 0 ? (this.data.sourceLines[line - 1] ?? '').trim() : '';
  }
  /** The line of the `go` statement that created goroutine g (0 if none: main). */
  createdLineOf(g: number, i: number): number {
    const v = this.goroutineAt(g, i);
    return v ? this.lineOfSite(v.createdSite) : 0;
  }

  /** When a sleeping G's timer fires (virtual ns), or null if it does not in this run (looks ahead at most `limit` events). */
  wakeTime(g: number, i: number, limit = 2_000_000): number | null {
    const w = this.data.log;
    const end = Math.min(w.length, i + 1 + limit);
    for (let j = i + 1; j < end; j++) if (w.g[j] === g && w.kind[j] === Ev.TimerFire) return w.t[j]!;
    return null;
  }

  /** The GoSysEnter that put G g in its current syscall (searching back from i), or -1. */
  private sysEnterOf(g: number, i: number): number {
    const w = this.data.log;
    for (let j = i; j >= 0; j--) if (w.g[j] === g && w.kind[j] === Ev.GoSysEnter) return j;
    return -1;
  }

  /** What the narration says at event i: the most instructive recent event, explained. */
  narrationAt(i: number): Narration | null {
    return pickNarration(this.log, i, { goVersion: this.goVersion });
  }

  /** Everything the panel draws after event i (i = -1: before the first event). */
  frame(index: number): Frame {
    const i = Math.max(-1, Math.min(this.length - 1, Math.floor(index)));
    const ix = this.indexFor(i);
    // Gs are visited, not materialised: a frame with half a million live Gs must stay cheap.
    const s = ix.stateAtEvent(i, { goroutines: false });
    const { stats, utilisation } = this.countersAt(i);
    const gById = new Map<number, { site: number; p: number; createdSite: number }>();
    const sleepers: number[] = [];
    const netpoll: number[] = [];
    const inFlight: number[] = [];
    // Wait-reason groups keyed by code (the string is made once per group).
    const byWait = new Map<number, number[]>();
    ix.forEachLive(i, (id, where, wait, p, _m, site, createdSite) => {
      if (where === 'running' || where === 'syscall') gById.set(id, { site, p, createdSite });
      else if (where === 'netpoll') netpoll.push(id);
      else if (where === 'none') inFlight.push(id);
      else if (where === 'waiting') {
        if (wait === Wait.Sleep) sleepers.push(id);
        else {
          const l = byWait.get(wait);
          if (l) l.push(id); else byWait.set(wait, [id]);
        }
      }
    });
    const groups = new Map<string, number[]>();
    for (const [wait, ids] of byWait) {
      const reason = waitReasonString(wait, this.goVersion) || 'waiting';
      // Reasons that print the same in this Go version (semacquire before 1.20) form one group.
      const l = groups.get(reason);
      if (l) for (const id of ids) l.push(id); else groups.set(reason, ids);
    }
    const running = (gid: number): RunningView | null => {
      const g = gById.get(gid);
      if (!g) return null;
      const site = this.currentSite(gid, i, g.site);
      const line = this.lineOfSite(site);
      return { g: gid, line, text: this.sourceText(line), fresh: site >= 0 && site === g.createdSite };
    };
    const incoming = new Map<number, number>();
    for (const m of s.ms) if (m.nextp >= 0 && m.p < 0) incoming.set(m.nextp, m.id);
    const ps: PFrame[] = s.ps.map((p) => {
      const m = p.m >= 0 ? s.ms[p.m] : undefined;
      const g = m && m.g >= 0 && m.state !== 'syscall' ? running(m.g) : null;
      return {
        id: p.id, status: p.status, m: m ? { id: m.id, spinning: m.spinning, state: m.state } : null, incomingM: incoming.get(p.id) ?? -1, running: g,
        runnext: p.runnext, runq: p.runq, schedtick: p.schedtick, utilisation: utilisation[p.id] ?? 0,
      };
    }).filter((p) => p.status !== 'dead');
    const kernel: KernelView[] = [];
    const idleMs: number[] = [];
    const spinningMs: number[] = [];
    const netpollMs: number[] = [];
    let sysmonM = 1;
    for (const m of s.ms) {
      if (m.state === 'syscall') {
        const e = this.sysEnterOf(m.g, i);
        const g = gById.get(m.g);
        const line = g ? this.lineOfSite(g.site) : 0;
        kernel.push({
          m: m.id, g: m.g, cgo: e >= 0 && this.log.a(e) === 1, what: e >= 0 ? (this.log.strings[this.log.b(e)] ?? '') : '',
          p: g?.p ?? -1, line,
        });
      } else if (m.state === 'idle' || m.state === 'locked-idle') idleMs.push(m.id);
      else if (m.state === 'netpoll') netpollMs.push(m.id);
      else if (m.state === 'sysmon') sysmonM = m.id;
      if (m.spinning) spinningMs.push(m.id);
    }
    const lastSysmon = this.marks || this.full ? PanelModel.atOrBefore(this.markLists.sysmon, i) : this.lastSysmonBefore(i);
    return {
      index: i, time: s.time, gomaxprocs: s.gomaxprocs, ps, global: s.global, kernel, netpoll, netpollMs, sleeping: sleepers,
      waiting: [...groups.entries()].map(([reason, gs]) => ({ reason, gs })).sort((x, y) => y.gs.length - x.gs.length || x.reason.localeCompare(y.reason)),
      inFlight,
      idlePs: s.ps.filter((p) => p.idleList).map((p) => p.id),
      idleMs, spinningMs,
      sysmon: { m: sysmonM, last: lastSysmon >= 0 ? this.sysmonSummary(lastSysmon) : null },
      alive: s.counters.liveGoroutines,
      finished: stats.goroutinesCreated - s.counters.liveGoroutines,
      stats, threads: s.counters.threads,
      output: s.output, exit: s.exit,
    };
  }

  private sysmonSummary(e: number): string {
    const l = this.log;
    const at = formatNs(l.t(e));
    switch (l.kind(e)) {
      case Ev.SysmonPreempt: return `asked G${l.g(e)} to stop (ran > 10 ms) at ${at}`;
      case Ev.SysmonRetake: return `retook P${l.p(e)} from M${l.m(e)} in a syscall at ${at}`;
      default: return `polled the network at ${at}`;
    }
  }

  /** The first GoStart (main starting on M0), or -1. */
  firstStart(): number {
    const k = this.data.log.kind;
    for (let i = 0; i < k.length; i++) if (k[i] === Ev.GoStart) return i;
    return -1;
  }

  /** The next / previous event worth stopping at (priority ≥ 3), or -1. */
  nextInteresting(i: number): number {
    const list = this.markLists.interesting;
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (list[mid]! <= i) lo = mid + 1; else hi = mid; }
    return lo < list.length ? list[lo]! : -1;
  }
  prevInteresting(i: number): number {
    const list = this.markLists.interesting;
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (list[mid]! < i) lo = mid + 1; else hi = mid; }
    return lo > 0 ? list[lo - 1]! : -1;
  }

  /** Live Gs at event i created by the `go` statement on `line`. */
  gsCreatedAt(line: number, i: number): number[] {
    const out: number[] = [];
    this.indexFor(i).forEachLive(i, (id, _w, _r, _p, _m, _s, createdSite) => { if (this.lineOfSite(createdSite) === line) out.push(id); });
    return out;
  }

  /** Event indices matching a filter (null = every event). */
  filter(f: EventFilter): Int32Array | null {
    if (f.g === undefined && f.p === undefined && f.m === undefined && f.kind === undefined) return null;
    const w = this.data.log;
    const out = new Int32Array(w.length);
    let n = 0;
    for (let i = 0; i < w.length; i++) {
      if (f.kind !== undefined && w.kind[i] !== f.kind) continue;
      if (f.g !== undefined && w.g[i] !== f.g && !(w.kind[i] === Ev.Wake && w.b[i] === f.g)) continue;
      if (f.p !== undefined && w.p[i] !== f.p) continue;
      if (f.m !== undefined && w.m[i] !== f.m) continue;
      out[n++] = i;
    }
    return out.slice(0, n);
  }
}

export interface EventFilter { g?: number; p?: number; m?: number; kind?: number }

/** "g5 p1", "G5", "m2" … → a filter; unknown words are ignored. */
export function parseFilter(text: string, kind?: number): EventFilter {
  const f: EventFilter = {};
  for (const word of text.toLowerCase().split(/[\s,]+/)) {
    const m = /^([gpm])(\d+)$/.exec(word);
    if (m) f[m[1] as 'g' | 'p' | 'm'] = Number(m[2]);
  }
  if (kind !== undefined && kind > 0) f.kind = kind;
  return f;
}
