// The built-in scenarios, in teaching order, and how to run one.
import { simulate, type SimResult } from '../engine/scheduler';
import type { SimConfig } from '../engine/config';
import { cpuBound } from './cpu-bound';
import { deadlock } from './deadlock';
import { goroutines1000 } from './goroutines-1000';
import { goschedOrder } from './gosched-order';
import { netpoller } from './netpoller';
import { runnextOrder } from './runnext-order';
import { syscallHandoff } from './syscall-handoff';
import { tightLoopPreemption } from './tight-loop-preemption';
import { workStealing } from './work-stealing';
import type { Scenario } from './types';

export type { Scenario } from './types';

export const SCENARIOS: readonly Scenario[] = [
  runnextOrder,
  goschedOrder,
  goroutines1000,
  cpuBound,
  workStealing,
  syscallHandoff,
  netpoller,
  tightLoopPreemption,
  deadlock,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** The configuration a scenario runs with: its defaults, then the caller's settings. */
export function scenarioConfig(s: Scenario, overrides: Partial<SimConfig> = {}): Partial<SimConfig> {
  return { gomaxprocs: s.defaultProcs, ...s.config, ...overrides };
}

/** Runs a scenario (GOMAXPROCS = its defaultProcs unless overridden). */
export function runScenario(s: Scenario, overrides: Partial<SimConfig> = {}): SimResult {
  return simulate(s.main, scenarioConfig(s, overrides), s.mainSite);
}
