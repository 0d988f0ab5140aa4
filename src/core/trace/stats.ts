// Summary statistics: a single pass over the event log.
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

export function computeStats(log: EventLog): TraceStats {
  const s: TraceStats = {
    goroutinesCreated: 0, peakGoroutines: 0, peakThreads: INITIAL_THREADS, threadsCreated: INITIAL_THREADS, steals: 0,
    stolenGoroutines: 0, handoffs: 0, preemptions: 0, contextSwitches: 0, syscalls: 0, virtualTimeNs: 0, events: log.length,
  };
  let live = 0;
  let threads = INITIAL_THREADS;
  for (let i = 0; i < log.length; i++) {
    switch (log.kind(i)) {
      case Ev.GoCreate:
        s.goroutinesCreated++;
        if (++live > s.peakGoroutines) s.peakGoroutines = live;
        break;
      case Ev.GoEnd:
        live--;
        break;
      case Ev.MCreate:
        s.threadsCreated++;
        if (++threads > s.peakThreads) s.peakThreads = threads;
        break;
      case Ev.MExit:
        threads--;
        break;
      case Ev.Steal:
        s.steals++;
        s.stolenGoroutines += log.a(i);
        break;
      case Ev.SysmonRetake:
        s.handoffs++;
        break;
      case Ev.ProcHandoff:
        if (log.a(i) !== HandoffWhy.SysmonRetake) s.handoffs++;
        break;
      case Ev.GoPreempt:
        if (log.a(i) !== 2) s.preemptions++;
        break;
      case Ev.GoStart:
        s.contextSwitches++;
        break;
      case Ev.GoSysEnter:
        s.syscalls++;
        break;
    }
  }
  s.virtualTimeNs = log.length ? log.t(log.length - 1) : 0;
  return s;
}
