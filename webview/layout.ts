// What to draw where, as a pure function of a frame and the panel's width: every list of Gs is cut
// to what fits and the rest becomes a count ("+N more"), so the DOM stays small whatever the
// number of goroutines (the scale target: 10 000 live Gs at ≥ 50 fps draws counts, not Gs).
import type { Frame, KernelView, PFrame, SleeperView } from './model';

/** The runtime's local run queue capacity (runqsize in runtime2.go). */
export const LOCAL_QUEUE_CAPACITY = 256;

export interface Capped<T = number> { shown: T[]; more: number; total: number }

export function cap<T>(items: readonly T[], max: number): Capped<T> {
  const n = Math.max(0, Math.floor(max));
  const shown = items.length <= n ? items.slice() : items.slice(0, n);
  return { shown, more: items.length - shown.length, total: items.length };
}

export interface Limits {
  /** Gs drawn per local run queue. */
  runq: number;
  global: number;
  /** Gs drawn per wait-reason group, and in the netpoller / sleeping lists. */
  group: number;
  kernel: number;
  /** Many Ps: smaller cards without source text. */
  compact: boolean;
}

/** How many chips fit: a chip is ~40 px; a P card takes a column of the grid. */
export function limitsFor(procs: number, width: number): Limits {
  const w = Math.max(320, width);
  const compact = procs > 16;
  const cardWidth = compact ? 150 : 260;
  const perRow = Math.max(1, Math.floor(w / cardWidth));
  const cardChips = Math.max(2, Math.floor((Math.min(w / Math.min(perRow, procs), 420) - 24) / 40));
  return {
    runq: compact ? Math.min(3, cardChips) : Math.min(8, cardChips),
    global: Math.max(4, Math.min(24, Math.floor((w - 160) / 40))),
    group: Math.max(3, Math.min(12, Math.floor((w / 2 - 140) / 40))),
    kernel: 8,
    compact,
  };
}

export interface PLayout extends Omit<PFrame, 'runq'> { runq: Capped; /** Free slots of the 256-entry ring. */ free: number }

export interface PanelLayout {
  limits: Limits;
  ps: PLayout[];
  global: Capped;
  kernel: Capped<KernelView>;
  netpoll: Capped;
  sleeping: Capped<SleeperView>;
  waiting: { reason: string; gs: Capped }[];
  inFlight: Capped;
  idlePs: number[];
  idleMs: Capped;
}

/** `wakeTime` gives a drawn sleeper's wake time (only the drawn ones are looked up). */
export function layout(f: Frame, width: number, wakeTime: (g: number) => number | null = () => null): PanelLayout {
  const limits = limitsFor(f.ps.length, width);
  const sleeping = cap(f.sleeping, limits.group);
  return {
    limits,
    ps: f.ps.map((p) => ({ ...p, runq: cap(p.runq, limits.runq), free: LOCAL_QUEUE_CAPACITY - p.runq.length })),
    global: cap(f.global, limits.global),
    kernel: cap(f.kernel, limits.kernel),
    netpoll: cap(f.netpoll, limits.group),
    sleeping: { ...sleeping, shown: sleeping.shown.map((g) => ({ g, wakeNs: wakeTime(g) })) },
    waiting: f.waiting.map((w) => ({ reason: w.reason, gs: cap(w.gs, limits.group) })),
    inFlight: cap(f.inFlight, limits.group),
    idlePs: f.idlePs,
    idleMs: cap(f.idleMs, 16),
  };
}

/** Every G drawn as a chip in a layout (the rest are counts). */
export function drawnGs(l: PanelLayout): number[] {
  const out: number[] = [];
  for (const p of l.ps) {
    if (p.running) out.push(p.running.g);
    if (p.runnext >= 0) out.push(p.runnext);
    out.push(...p.runq.shown);
  }
  out.push(...l.global.shown, ...l.kernel.shown.filter((k) => k.g >= 0).map((k) => k.g), ...l.netpoll.shown, ...l.sleeping.shown.map((s) => s.g), ...l.inFlight.shown);
  for (const w of l.waiting) out.push(...w.gs.shown);
  return out;
}
