// Export to the Chrome Trace Event format (opens in ui.perfetto.dev or chrome://tracing).
//
// Process "Ps" (pid 1) has one track per P with a complete event for every stretch a G runs on it;
// process "Ms" (pid 2) has one track per OS thread with what the thread does: run a G, sit in a
// syscall or cgo call, spin looking for work, block in netpoll. Scheduler decisions (steals,
// preemptions, retakes and hand-offs, overflow, GOMAXPROCS, exit) are instant events; the global
// run queue, runnable and live goroutines are counters.
//
// The spans come from the same fold as stateAt (state.ts): the exporter steps the fold through
// the log and, after each event, re-reads only the Ps and Ms that event touched.
import { NEWEST_GO_VERSION } from '../engine/config';
import { MState, waitReasonString } from '../engine/entities';
import { Ev, EXIT_REASON_NAMES, HandoffWhy, WHY_NAMES, type EventLog } from './events';
import { newFold, type Fold } from './state';

export interface ChromeTrace {
  traceEvents: object[];
  displayTimeUnit: 'ns';
}

export const PID_PS = 1;
export const PID_MS = 2;

const HANDOFF_NAMES = Object.keys(HandoffWhy);
const PREEMPT_NAMES = ['async', 'cooperative', 'stop-the-world'];

/** ns → µs, the unit of ts and dur. */
const us = (ns: number) => ns / 1000;

interface Span { key: string; name: string; start: number; args: Record<string, unknown> }

export function toChromeTrace(log: EventLog, opts: { goVersion?: number } = {}): ChromeTrace {
  const goVersion = opts.goVersion ?? NEWEST_GO_VERSION;
  const out: object[] = [];
  const fold: Fold = newFold(log);
  fold.dirtyP = [];
  fold.dirtyM = [];
  const lineOf = (site: number) => (site >= 0 ? log.sites[site]?.line : undefined);
  const goid = (k: number) => fold.stat.goid[k]!;

  // --- tracks ---
  out.push({ ph: 'M', name: 'process_name', pid: PID_PS, tid: 0, args: { name: 'Ps' } });
  out.push({ ph: 'M', name: 'process_sort_index', pid: PID_PS, tid: 0, args: { sort_index: 1 } });
  out.push({ ph: 'M', name: 'process_name', pid: PID_MS, tid: 0, args: { name: 'Ms' } });
  out.push({ ph: 'M', name: 'process_sort_index', pid: PID_MS, tid: 0, args: { sort_index: 2 } });
  const named = new Set<string>();
  const nameTrack = (pid: number, tid: number) => {
    const key = `${pid}:${tid}`;
    if (named.has(key)) return;
    named.add(key);
    const name = pid === PID_PS ? `P${tid}` : tid === 1 ? 'M1 (sysmon)' : `M${tid}`;
    out.push({ ph: 'M', name: 'thread_name', pid, tid, args: { name } });
    out.push({ ph: 'M', name: 'thread_sort_index', pid, tid, args: { sort_index: tid } });
  };
  for (let p = 0; p < fold.ps.length; p++) nameTrack(PID_PS, p);
  for (let m = 0; m < fold.ms.length; m++) nameTrack(PID_MS, m);

  // --- spans: at most one open per track; a change of what the track shows closes it ---
  const open = new Map<string, Span>();
  const close = (pid: number, tid: number, t: number, end?: string) => {
    const track = `${pid}:${tid}`;
    const s = open.get(track);
    if (!s) return;
    open.delete(track);
    if (end) s.args.end = end;
    out.push({ ph: 'X', name: s.name, cat: pid === PID_PS ? 'goroutine' : 'thread', pid, tid, ts: us(s.start), dur: us(t - s.start), args: s.args });
  };
  const show = (pid: number, tid: number, t: number, next: Omit<Span, 'start'> | null, end: string | undefined) => {
    const cur = open.get(`${pid}:${tid}`);
    if ((cur?.key ?? null) === (next?.key ?? null)) return;
    nameTrack(pid, tid);
    close(pid, tid, t, end);
    if (next) open.set(`${pid}:${tid}`, { ...next, start: t });
  };
  const gSpan = (k: number): Omit<Span, 'start'> => ({
    key: `g${k}`, name: `G${goid(k)}`, args: { goid: goid(k), line: lineOf(fold.site[k]!), created: lineOf(fold.stat.createdSite[k]!) },
  });
  /** What a syscall M is in (its GoSysEnter said), per M. */
  const sys = new Map<number, { cgo: boolean; what: string }>();
  const mSpan = (m: number): Omit<Span, 'start'> | null => {
    const mr = fold.ms[m]!;
    if (mr.state === MState.Running && mr.g >= 0 && fold.runningOn(mr.p) === mr.g) return gSpan(mr.g);
    if (mr.state === MState.Syscall && mr.g >= 0) {
      const s = sys.get(m);
      const name = s?.cgo ? 'cgo' : 'syscall';
      return { key: `${name}${mr.g}`, name, args: { what: s?.what, goid: goid(mr.g) } };
    }
    if (mr.state === MState.Netpoll) return { key: 'netpoll', name: 'netpoll', args: {} };
    if (mr.spinning && mr.state === MState.Running && mr.p >= 0) return { key: 'spinning', name: 'spinning', args: { p: mr.p } };
    return null;
  };

  // --- counters, coalesced per timestamp ---
  const last = new Map<string, { ev: { args: Record<string, number>; ts: number }; value: number }>();
  const counter = (name: string, t: number, value: number) => {
    const prev = last.get(name);
    if (prev && prev.value === value) return;
    if (prev && prev.ev.ts === us(t)) {
      prev.ev.args.value = value;
      prev.value = value;
      return;
    }
    const ev = { ph: 'C', name, pid: PID_PS, tid: 0, ts: us(t), args: { value } };
    out.push(ev);
    last.set(name, { ev, value });
  };

  const instant = (name: string, t: number, pid: number, tid: number, args: Record<string, unknown>, scope: 't' | 'g' = 't') => {
    if (scope === 't') nameTrack(pid, tid);
    out.push({ ph: 'i', s: scope, name, pid, tid, ts: us(t), args });
  };

  let t = 0;
  for (let i = 0; i < log.length; i++) {
    t = log.t(i);
    const kind = log.kind(i);
    const g = log.g(i);
    const m = log.m(i);
    const p = log.p(i);
    const a = log.a(i);
    const b = log.b(i);
    if (kind === Ev.GoSysEnter) sys.set(m, { cgo: a === 1, what: log.strings[b] ?? '' });
    fold.apply(i);

    // Why a G stopped running (recorded on the span that this event closes).
    let end: string | undefined;
    switch (kind) {
      case Ev.GoBlock: end = `blocked: ${waitReasonString(a, goVersion) || 'wait'}`; break;
      case Ev.GoNetpollPark: end = 'netpoll park'; break;
      case Ev.GoEnd: end = 'exit'; break;
      case Ev.GoSysEnter: end = a === 1 ? 'cgo call' : 'syscall'; break;
      case Ev.GoEnqueue: end = (WHY_NAMES[b] ?? 'descheduled').toLowerCase(); break; // Preempt, Gosched, Yield
    }
    const dm = fold.dirtyM!;
    const dp = fold.dirtyP!;
    for (let j = 0; j < dm.length; j++) {
      const mm = dm[j]!;
      show(PID_MS, mm, t, mSpan(mm), end);
      const pp = fold.ms[mm]!.p;
      if (pp >= 0) dp.push(pp);
    }
    for (let j = 0; j < dp.length; j++) {
      const pp = dp[j]!;
      const k = fold.runningOn(pp);
      show(PID_PS, pp, t, k >= 0 ? gSpan(k) : null, end);
    }
    dm.length = 0;
    dp.length = 0;

    switch (kind) {
      case Ev.Steal:
        instant(`steal ${a} from P${b}`, t, PID_PS, p, { goid: g, n: a, victim: b, runnext: log.siteIndex(i) === 1 });
        break;
      case Ev.GoPreempt:
        if (p >= 0) instant('preempt', t, PID_PS, p, { goid: g, how: PREEMPT_NAMES[a] ?? a });
        break;
      case Ev.SysmonPreempt:
        instant('sysmon preempt', t, PID_PS, p, { goid: g, ranMs: a });
        break;
      case Ev.SysmonRetake:
        instant('retake', t, PID_PS, p, { goid: g, m });
        break;
      case Ev.ProcHandoff:
        instant('handoff', t, PID_PS, p, { from: b, why: HANDOFF_NAMES[a] ?? a });
        break;
      case Ev.Overflow:
        instant(`overflow ${a} → global`, t, PID_PS, p, { goid: g, n: a });
        break;
      case Ev.GoMaxProcs:
        instant(`GOMAXPROCS ${a} → ${b}`, t, PID_PS, 0, { goid: g, from: a, to: b }, 'g');
        break;
      case Ev.Exit:
        instant(`exit: ${EXIT_REASON_NAMES[a] ?? a}`, t, PID_PS, 0, { goid: g, code: b, message: log.strings[log.siteIndex(i)] ?? '' }, 'g');
        break;
    }
    counter('global runq', t, fold.global.length);
    counter('runnable', t, fold.runnableCount());
    counter('goroutines', t, fold.live);
  }

  // Spans still open at the end close at the last event.
  for (const track of [...open.keys()]) {
    const [pid, tid] = track.split(':').map(Number) as [number, number];
    close(pid, tid, t);
  }
  return { traceEvents: out, displayTimeUnit: 'ns' };
}
