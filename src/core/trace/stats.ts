// Summary statistics: a single pass over the event log. `StatsCounter` is the same pass one event
// at a time, so the panel can show the figures "so far" at its playhead.
import { Ev, HandoffWhy, type EventLog } from './events';

export interface TraceStats {
  goroutinesCreated: number;
  peakGoroutines: number;
  /** OS threads (Ms) alive at once, including M0 and sysmon. */
  peakThreads: number;
  threadsCreated: number;
  /** Successful steal operations, and the Gs they moved. */
  steals: number;
  stolenGoroutines: number;
  /** Ps taken away from an M that could not use them (sysmon retake from a syscall, a parked locked M, a dying thread). */
  handoffs: number;
  /** Gs stopped by sysmon (async or cooperative); stop-the-world stops not counted. */
  preemptions: number;
  /** Gs switched onto an M (execute). */
  contextSwitches: number;
  syscalls: number;
  virtualTimeNs: number;
  events: number;
}

/** Threads that exist before any event: M0 (runs main) and M1 (sysmon). */
export const INITIAL_THREADS = 2;

/** The statistics of a prefix of the log, extended one event at a time. */
export class StatsCounter {
  readonly s: TraceStats = {
    goroutinesCreated: 0, peakGoroutines: 0, peakThreads: INITIAL_THREADS, threadsCreated: INITIAL_THREADS, steals: 0,
    stolenGoroutines: 0, handoffs: 0, preemptions: 0, contextSwitches: 0, syscalls: 0, virtualTimeNs: 0, events: 0,
  };
  live = 0;
  threads = INITIAL_THREADS;

  add(kind: number, a: number, t: number): void {
    const s = this.s;
    s.events++;
    s.virtualTimeNs = t;
    switch (kind) {
      case Ev.GoCreate:
        s.goroutinesCreated++;
        if (++this.live > s.peakGoroutines) s.peakGoroutines = this.live;
        break;
      case Ev.GoEnd:
        this.live--;
        break;
      case Ev.MCreate:
        s.threadsCreated++;
        if (++this.threads > s.peakThreads) s.peakThreads = this.threads;
        break;
      case Ev.MExit:
        this.threads--;
        break;
      case Ev.Steal:
        s.steals++;
        s.stolenGoroutines += a;
        break;
      case Ev.SysmonRetake:
        s.handoffs++;
        break;
      case Ev.ProcHandoff:
        if (a !== HandoffWhy.SysmonRetake) s.handoffs++;
        break;
      case Ev.GoPreempt:
        if (a !== 2) s.preemptions++;
        break;
      case Ev.GoStart:
        s.contextSwitches++;
        break;
      case Ev.GoSysEnter:
        s.syscalls++;
        break;
    }
  }

  /** A copy that continues independently (checkpoints). */
  clone(): StatsCounter {
    const c = new StatsCounter();
    Object.assign(c.s, this.s);
    c.live = this.live;
    c.threads = this.threads;
    return c;
  }
}

export function computeStats(log: EventLog): TraceStats {
  const c = new StatsCounter();
  for (let i = 0; i < log.length; i++) c.add(log.kind(i), log.a(i), log.t(i));
  c.s.events = log.length;
  c.s.virtualTimeNs = log.length ? log.t(log.length - 1) : 0;
  return c.s;
}
