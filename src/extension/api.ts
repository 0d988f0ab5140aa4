// What activate() returns: a small API for the integration tests (and anyone scripting the
// extension), so tests wait on real state instead of sleeping.
import type { WireExit, RunConfig } from '../protocol';

export interface LastSimulation {
  fileUri: string;
  exit: { reason: WireExit['reason']; code: number; message: string };
  stats: { peakThreads: number; goroutinesCreated: number };
  config: { gomaxprocs: number; seed: number; goVersion: number };
}

export interface PanelStateInfo {
  open: boolean;
  visible: boolean;
  fileUri?: string;
  webviewReady: boolean;
}

export interface GmpTutorApi {
  /** Resolves when no simulation, diagnostics refresh or panel hand-off is pending. */
  whenIdle(): Promise<void>;
  lastSimulation(): LastSimulation | undefined;
  panelState(): PanelStateInfo;
  /** Milliseconds activate() took (module evaluation excluded). */
  readonly activationMs: number;
}

/**
 * Counts work in progress (promises and debounce timers) and wakes whoever waits for idleness.
 * Idle is checked after a macrotask so work that schedules follow-up work (a save that starts a
 * run) is seen before waiters are released.
 */
export class IdleTracker {
  private pending = 0;
  private waiters: (() => void)[] = [];

  /** Marks one piece of work; call the returned function exactly once when it is over. */
  begin(): () => void {
    this.pending++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.pending--;
      this.check();
    };
  }

  track<T>(p: Promise<T>): Promise<T> {
    const end = this.begin();
    p.then(end, end);
    return p;
  }

  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.check();
    });
  }

  private check(): void {
    setTimeout(() => {
      if (this.pending !== 0) return;
      const w = this.waiters;
      this.waiters = [];
      for (const resolve of w) resolve();
    }, 0);
  }
}

export type { RunConfig };
