// Teaching moments: what the diagram marks when the playhead reaches a scheduler decision (a G
// dropping into runnext and the old one bumped, a steal, a syscall and the hand-off of its P, the
// way back from a syscall, the netpoller, a timer, a preemption, checkdead). A pure function of
// the event log: one scheduler step is several events at the same virtual time (a Steal and the
// GoEnqueues of the Gs it moved; SysmonRetake, ProcHandoff and the MCreate of the new thread), so
// the marks of event i come from the step's first event (the anchor) and the events of that step
// up to i — the diagram shows the state after i, and only what has happened so far is marked.
import { formatNs } from '../src/core/knowledge/hovers';
import { Ev, EXIT_REASON_NAMES, HandoffWhy, Loc, PollWho, SysExit, Why, type EventLog } from '../src/core/trace/events';

/** Effect classes (CSS `fx-<effect>`); the colour says what kind of moment it is. */
export type Effect =
  | 'new' | 'bumped' | 'woken' | 'thief' | 'victim' | 'stolen' | 'syscall' | 'handoff' | 'newm' | 'fast' | 'slow'
  | 'park' | 'inject' | 'timer' | 'preempt' | 'sysmon' | 'overflow' | 'global' | 'deadlock';

export type FxTarget =
  | { g: number }
  | { p: number }
  | { m: number }
  | { box: 'netpoll' | 'sysmon' | 'waiting' | 'globalq' | 'kernel' };

export interface Mark { target: FxTarget; effect: Effect; caption: string }

/** Gs (or a P) moving between two drawn elements in this step: drawn as an arrow with a short label. */
export interface Arrow { from: FxTarget; to: FxTarget; effect: Effect; label: string }

export interface Moment {
  /** The step's first event. */
  anchor: number;
  /** The playhead (the last event of the step shown). */
  index: number;
  marks: Mark[];
  arrows: Arrow[];
  /** Shown over the diagram (checkdead). */
  banner: string | null;
}

/** Events that continue a scheduler step begun by an earlier event at the same time. */
const CONTINUATION = new Set<number>([
  Ev.GoEnqueue, Ev.ProcHandoff, Ev.MCreate, Ev.MWake, Ev.MNetpollWake, Ev.MIdle, Ev.GoPreempt, Ev.ProcIdle,
]);
/** Events that begin a step worth marking. */
const ANCHOR = new Set<number>([
  Ev.GoCreate, Ev.Steal, Ev.GoSysEnter, Ev.SysmonRetake, Ev.ProcHandoff, Ev.MCreate, Ev.MWake, Ev.GoSysExit, Ev.GoNetpollPark,
  Ev.Netpoll, Ev.MNetpollWake, Ev.TimerFire, Ev.SysmonPreempt, Ev.GoPreempt, Ev.Exit, Ev.Overflow, Ev.GlobalGet, Ev.Wake,
]);
/** runqsteal moves at most half of 256 slots: a step is never longer than that plus a few events. */
const MAX_STEP = 300;

/** The anchor of the step event i belongs to, or -1 if it is not part of a marked step. */
export function anchorOf(log: EventLog, i: number): number {
  if (i < 0 || i >= log.length) return -1;
  const t = log.t(i);
  for (let j = i; j >= 0 && j > i - MAX_STEP && log.t(j) === t; j--) {
    const k = log.kind(j);
    // A preemption's GoPreempt and a retake's ProcHandoff continue sysmon's step when it began it.
    if (ANCHOR.has(k) && !((k === Ev.GoPreempt || k === Ev.ProcHandoff || k === Ev.MCreate || k === Ev.MWake || k === Ev.MNetpollWake) && continues(log, j))) return j;
    if (!CONTINUATION.has(k)) return -1;
  }
  return -1;
}

/** Whether an event that can begin a step here continues the one before it (same time). */
function continues(log: EventLog, j: number): boolean {
  if (j === 0 || log.t(j - 1) !== log.t(j)) return false;
  const prev = log.kind(j - 1);
  switch (log.kind(j)) {
    case Ev.GoPreempt: return prev === Ev.SysmonPreempt && log.g(j - 1) === log.g(j);
    case Ev.ProcHandoff: return prev === Ev.SysmonRetake;
    case Ev.MCreate: case Ev.MWake: return prev === Ev.ProcHandoff || prev === Ev.GoEnqueue || prev === Ev.GoCreate;
    case Ev.MNetpollWake: return prev === Ev.Netpoll;
    default: return false;
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function placeShort(loc: number, p: number): string {
  switch (loc) {
    case Loc.Runnext: return `runnext of P${p}`;
    case Loc.LocalTail: case Loc.Local: return `P${p}'s local queue`;
    case Loc.GlobalTail: case Loc.GlobalHead: case Loc.Global: return 'global run queue';
    case Loc.Netpoll: return 'netpoller';
    default: return 'no queue';
  }
}

function isGlobal(loc: number): boolean {
  return loc === Loc.GlobalTail || loc === Loc.GlobalHead || loc === Loc.Global;
}

/** How long g had been running when sysmon stopped it at event i ('' if its start is too far back). */
function ranFor(log: EventLog, g: number, i: number): string {
  for (let j = i - 1, seen = 0; j >= 0 && seen < 200_000; j--, seen++) {
    const k = log.kind(j);
    if (log.g(j) === g && (k === Ev.GoStart || k === Ev.GoSysExit)) return formatNs(log.t(i) - log.t(j));
  }
  return '';
}

/** The M startm gave P p to in the step (MCreate / MWake between `from` and `to`), or null. */
function startedM(log: EventLog, from: number, to: number, p: number): { m: number; created: boolean } | null {
  for (let j = from; j <= to; j++) {
    const k = log.kind(j);
    if ((k === Ev.MCreate || k === Ev.MWake) && log.p(j) === p) return { m: log.m(j), created: k === Ev.MCreate };
  }
  return null;
}

/** Marks for a G put into runnext at the anchor (newproc, goready, a timer) and the G it bumped. */
function runnextMarks(log: EventLog, anchor: number, i: number, g: number, effect: Effect, what: string, out: Mark[], arrows: Arrow[]): void {
  let placed = '';
  for (let j = anchor + 1; j <= i; j++) {
    if (log.kind(j) === Ev.Overflow) overflowMarks(log.p(j), log.a(j), out, arrows);
    if (log.kind(j) !== Ev.GoEnqueue) continue;
    const who = log.g(j);
    if (who === g && !placed) placed = placeShort(log.a(j), log.p(j));
    else if (log.b(j) === Why.Kicked && log.siteIndex(j) === g) {
      out.push({ target: { g: who }, effect: 'bumped', caption: `bumped to ${log.a(j) === Loc.Runnext ? 'runnext' : placeShort(log.a(j), log.p(j))}` });
    }
  }
  out.unshift({ target: { g }, effect, caption: `${what} → ${placed || `runnext of P${log.p(anchor)}`}` });
}

/** runqputslow: P p's full local queue moves n Gs to the global queue. */
function overflowMarks(p: number, n: number, out: Mark[], arrows: Arrow[]): void {
  out.push({ target: { p }, effect: 'overflow', caption: `local queue full → ${n} Gs to the global queue (runqputslow)` });
  out.push({ target: { box: 'globalq' }, effect: 'overflow', caption: `+${n} from P${p}` });
  arrows.push({ from: { p }, to: { box: 'globalq' }, effect: 'overflow', label: `runqputslow: ${plural(n, 'G')}` });
}

/** What the diagram marks at event i (null: nothing to mark); goVersion is the simulated Go minor version. */
export function momentAt(log: EventLog, i: number, goVersion = 22): Moment | null {
  const anchor = anchorOf(log, i);
  if (anchor < 0) return null;
  const marks: Mark[] = [];
  const arrows: Arrow[] = [];
  let banner: string | null = null;
  const g = log.g(anchor), m = log.m(anchor), p = log.p(anchor), a = log.a(anchor), b = log.b(anchor);
  switch (log.kind(anchor)) {
    case Ev.GoCreate:
      if (a === 0) return null; // main: runtime.main, not a go statement
      runnextMarks(log, anchor, i, g, 'new', `new (newproc, by G${a})`, marks, arrows);
      break;
    case Ev.Wake:
      runnextMarks(log, anchor, i, b, 'woken', `woken by G${g} (goready)`, marks, arrows);
      break;
    case Ev.TimerFire:
      if (g >= 0) runnextMarks(log, anchor, i, g, 'timer', 'timer fired', marks, arrows);
      else marks.push({ target: { p }, effect: 'timer', caption: 'a channel timer fired (sendTime)' });
      break;
    case Ev.Steal: {
      const fromRunnext = log.siteIndex(anchor) === 1;
      marks.push({
        target: { p }, effect: 'thief',
        caption: fromRunnext ? `⇐ stole P${b}'s runnext G${g} (runqsteal, last pass)` : `⇐ stole ${a} from P${b} (stealWork: half)`,
      });
      marks.push({ target: { p: b }, effect: 'victim', caption: fromRunnext ? `⇒ runnext G${g} stolen by P${p}` : `⇒ lost ${a} of its Gs to P${p}` });
      arrows.push({ from: { p: b }, to: { p }, effect: 'thief', label: fromRunnext ? `runnext G${g}` : `runqsteal: ${plural(a, 'G')}` });
      marks.push({ target: { g }, effect: 'stolen', caption: `stolen from P${b}: runs next on P${p}` });
      let moved = 0;
      for (let j = anchor + 1; j <= i; j++) {
        if (log.kind(j) === Ev.GoEnqueue && log.b(j) === Why.Steal) {
          moved++;
          // One caption for the batch: every moved G carries the effect.
          marks.push({ target: { g: log.g(j) }, effect: 'stolen', caption: moved === 1 ? `stolen from P${b}` : '' });
        }
      }
      break;
    }
    case Ev.GoSysEnter:
      marks.push({ target: { m }, effect: 'syscall', caption: `${a === 1 ? 'cgocall → ' : ''}entersyscall: M${m} blocks in the kernel with G${g}` });
      marks.push({ target: { g }, effect: 'syscall', caption: '' });
      // retake never takes a P the first time sysmon sees the syscall: it must outlive a sysmon tick (≥ 20 µs).
      marks.push({
        target: { p }, effect: 'syscall',
        caption: goVersion >= 26 ? `stays with M${m} (Go 1.26 has no _Psyscall); sysmon may still take it` : 'left in _Psyscall, no M: sysmon may retake it (after ≥ 20 µs)',
      });
      break;
    case Ev.SysmonRetake: case Ev.ProcHandoff: {
      const retake = log.kind(anchor) === Ev.SysmonRetake;
      const from = retake ? m : b;
      const to = startedM(log, anchor + 1, i, p);
      let idle = false;
      for (let j = anchor + 1; j <= i; j++) if (log.kind(j) === Ev.ProcIdle && log.p(j) === p) idle = true;
      const why = retake ? 'retaken by sysmon' : a === HandoffWhy.LockedM ? `M${from} is locked to a parked G` : a === HandoffWhy.ThreadExit ? `M${from}'s thread exits` : 'handed off';
      const dest = to ? ` → M${to.m}` : idle ? ' → idle list (nothing to run)' : '';
      marks.push({ target: { p }, effect: 'handoff', caption: `${why}: handed off (handoffp)${dest}` });
      if (retake && from >= 0) {
        marks.push({ target: { m: from }, effect: 'syscall', caption: `still in the syscall with G${g}: loses P${p}` });
        if (to) arrows.push({ from: { m: from }, to: { p }, effect: 'handoff', label: `P${p} → M${to.m}` });
      }
      if (retake) marks.push({ target: { box: 'sysmon' }, effect: 'sysmon', caption: `retake: P${p} blocked in a syscall` });
      if (to) marks.push({ target: { m: to.m }, effect: 'newm', caption: to.created ? `new thread M${to.m} (newm)` : `idle M${to.m} woken (startm)` });
      break;
    }
    case Ev.MCreate: case Ev.MWake:
      if (p < 0) return null;
      marks.push({ target: { p }, effect: 'newm', caption: log.kind(anchor) === Ev.MCreate ? `startm: new thread M${m} (newm)${a === 1 ? ', spinning' : ''}` : `startm: idle M${m} woken${a === 1 ? ', spinning' : ''}` });
      marks.push({ target: { m }, effect: 'newm', caption: '' });
      break;
    case Ev.GoSysExit:
      if (a === SysExit.FastOldP) {
        marks.push({ target: { g }, effect: 'fast', caption: `exitsyscall fast path: got P${p} back` });
        marks.push({ target: { p }, effect: 'fast', caption: `M${m} and G${g} back from the kernel` });
      } else if (a === SysExit.FastIdleP) {
        marks.push({ target: { g }, effect: 'fast', caption: `exitsyscall: old P gone, took idle P${p}` });
        marks.push({ target: { p }, effect: 'fast', caption: `M${m} and G${g} back from the kernel` });
      } else {
        marks.push({ target: { g }, effect: 'slow', caption: 'no idle P → global run queue (exitsyscall0)' });
        marks.push({ target: { box: 'globalq' }, effect: 'slow', caption: `G${g} back from a syscall; M${m} parks` });
      }
      break;
    case Ev.GoNetpollPark:
      marks.push({ target: { g }, effect: 'park', caption: `parked on ${log.strings[b] || 'fd'} (netpollblock, no thread)` });
      marks.push({ target: { box: 'netpoll' }, effect: 'park', caption: `G${g} parked on fd` });
      break;
    case Ev.Netpoll: case Ev.MNetpollWake: {
      const n = a;
      const who = log.kind(anchor) === Ev.Netpoll ? b : PollWho.Blocking;
      const by = who === PollWho.Sysmon ? 'sysmon' : who === PollWho.FindRunnable ? `M${m} (findRunnable)` : `M${m} (epoll_wait)`;
      // A poll by a scheduling M runs the first ready G itself and injects only the rest; sysmon injects them all.
      const runsFirst = who === PollWho.FindRunnable || who === PollWho.Blocking;
      const ready = runsFirst
        ? `+${n} ready: ${by} runs the first${n > 1 ? `, injects ${n - 1} (injectglist)` : ''}`
        : `+${n} ready (injectglist), polled by ${by}`;
      marks.push({ target: { box: 'netpoll' }, effect: 'inject', caption: n > 0 ? ready : `${by} woke with nothing ready (a timer is due)` });
      const injected = new Map<string, { to: FxTarget; n: number }>();
      for (let j = anchor + 1; j <= i; j++) {
        if (log.kind(j) !== Ev.GoEnqueue || log.b(j) !== Why.Inject) continue;
        marks.push({ target: { g: log.g(j) }, effect: 'inject', caption: `I/O ready → ${placeShort(log.a(j), log.p(j))}` });
        const global = log.p(j) < 0 || isGlobal(log.a(j));
        const key = global ? 'globalq' : `p${log.p(j)}`;
        const dest = injected.get(key) ?? { to: global ? { box: 'globalq' } : { p: log.p(j) }, n: 0 };
        dest.n++;
        injected.set(key, dest);
      }
      for (const d of injected.values()) arrows.push({ from: { box: 'netpoll' }, to: d.to, effect: 'inject', label: `injectglist: ${plural(d.n, 'G')}` });
      if (who === PollWho.Sysmon) marks.push({ target: { box: 'sysmon' }, effect: 'sysmon', caption: 'polled the network (10 ms without a poll)' });
      break;
    }
    case Ev.SysmonPreempt: case Ev.GoPreempt: {
      const bySysmon = log.kind(anchor) === Ev.SysmonPreempt;
      const ran = ranFor(log, g, anchor);
      let caption: string;
      if (bySysmon) caption = `preempted after ${ran || `${a} ms`} (sysmon → ${b === 1 ? 'async preemption, SIGURG' : 'stack-guard poison, next call'})`;
      else caption = a === 0 ? `preempted${ran ? ` after ${ran}` : ''} (async preemption)` : a === 1 ? 'preempted at a safe point (gopreempt_m)' : 'stopped for stop-the-world';
      let to = '';
      for (let j = anchor + 1; j <= i; j++) if (log.kind(j) === Ev.GoEnqueue && log.g(j) === g) to = ` → ${placeShort(log.a(j), log.p(j))}`;
      marks.push({ target: { g }, effect: 'preempt', caption: caption + to });
      if (bySysmon) marks.push({ target: { box: 'sysmon' }, effect: 'sysmon', caption: `G${g} ran > 10 ms (forcePreemptNS)` });
      break;
    }
    case Ev.Overflow:
      overflowMarks(p, a, marks, arrows);
      break;
    case Ev.GlobalGet:
      marks.push({ target: { p }, effect: 'global', caption: b === 1 ? `schedtick % 61 = 0: took ${plural(a, 'G')} from the global queue (fairness)` : `took ${plural(a, 'G')} from the global queue (globrunqget)` });
      marks.push({ target: { box: 'globalq' }, effect: 'global', caption: `−${a} to P${p}` });
      arrows.push({ from: { box: 'globalq' }, to: { p }, effect: 'global', label: `globrunqget: ${plural(a, 'G')}` });
      break;
    case Ev.Exit: {
      const reason = EXIT_REASON_NAMES[a];
      if (reason !== 'deadlock' && reason !== 'goexit-deadlock') return null;
      const first = (log.strings[log.siteIndex(anchor)] ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
      banner = `checkdead: ${first || 'all goroutines are asleep - deadlock!'} — no M is running, no G can run, no timer is pending`;
      marks.push({ target: { box: 'waiting' }, effect: 'deadlock', caption: 'asleep forever' });
      break;
    }
    default:
      return null;
  }
  // A thread started in the same step (wakep after newproc or goready, startm after a poll).
  const starter = log.kind(anchor) === Ev.Netpoll || log.kind(anchor) === Ev.MNetpollWake ? 'startm' : 'wakep';
  for (let j = anchor + 1; j <= i; j++) {
    const k = log.kind(j);
    if ((k !== Ev.MCreate && k !== Ev.MWake) || log.p(j) < 0 || marks.some((x) => 'm' in x.target && x.target.m === log.m(j))) continue;
    const spin = log.a(j) === 1 ? ', spinning' : '';
    marks.push({ target: { p: log.p(j) }, effect: 'newm', caption: k === Ev.MCreate ? `${starter}: new thread M${log.m(j)}${spin}` : `${starter}: idle M${log.m(j)} woken${spin}` });
    marks.push({ target: { m: log.m(j) }, effect: 'newm', caption: '' });
  }
  return { anchor, index: i, marks, arrows, banner };
}
