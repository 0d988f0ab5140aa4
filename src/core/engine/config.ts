import { MAX_THREADS } from './costs';

/** Settings of one simulation run. Everything that is not set takes the default below. */
export interface SimConfig {
  /** Number of Ps (GOMAXPROCS) at start. */
  gomaxprocs: number;
  /** Seed of the PRNG behind steal order and select choice: same seed, same log. */
  seed: number;
  /** Go minor version whose runtime semantics apply (19 = Go 1.19 … 26 = Go 1.26). */
  goVersion: number;
  /** Asynchronous preemption (Go ≥ 1.14). false = the ≤ 1.13 cooperative behaviour: a loop without calls is never preempted. */
  asyncPreemption: boolean;
  /** The binary links the cgo runtime (`import "C"`, or `net`/`os/user` with CGO_ENABLED=1): checkdead never reports a deadlock. */
  cgoLinked: boolean;
  /** Runtime goroutines that take goids 2…(1+n) before main.main runs (forcegc, bgsweep, bgscavenge, finalizer). */
  runtimeGoroutines: number;
  /** debug.SetMaxThreads. */
  maxThreads: number;
  /** Budgets: the run stops cleanly, with reason 'budget', at the first one reached. */
  maxVirtualTimeNs: number;
  maxEvents: number;
  /** Live goroutines at once. */
  maxGoroutines: number;
  /** Actions a goroutine may take without virtual time passing before the run is stopped. */
  maxZeroTimeSteps: number;
}

export const SUPPORTED_GO_VERSIONS = [19, 20, 21, 22, 23, 24, 25, 26] as const;
export const NEWEST_GO_VERSION = 26;

export const DEFAULT_CONFIG: SimConfig = {
  gomaxprocs: 4,
  seed: 1,
  goVersion: NEWEST_GO_VERSION,
  asyncPreemption: true,
  cgoLinked: false,
  runtimeGoroutines: 4,
  maxThreads: MAX_THREADS,
  maxVirtualTimeNs: 60e9,
  maxEvents: 5_000_000,
  maxGoroutines: 1_000_000,
  maxZeroTimeSteps: 1_000_000,
};

export function resolveConfig(c: Partial<SimConfig> = {}): SimConfig {
  const r = { ...DEFAULT_CONFIG, ...c };
  r.gomaxprocs = Math.max(1, Math.floor(r.gomaxprocs));
  r.goVersion = Math.min(NEWEST_GO_VERSION, Math.max(19, Math.floor(r.goVersion)));
  return r;
}
