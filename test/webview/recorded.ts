// Recorded simulations for the panel tests and the benchmark: built scenarios and Go sources run
// on the simulator in Node, packed in the protocol's SimulationData as the host packs them.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runScenario, findScenario } from '../../src/core/scenarios';
import type { SimResult } from '../../src/core/engine/scheduler';
import type { SimConfig } from '../../src/core/engine/config';
import type { SimulationData } from '../../src/protocol';

let runIds = 1;

export function toSimulationData(result: SimResult, source: string, fileName: string, config: { gomaxprocs: number; seed: number; goVersion?: number }): SimulationData {
  return {
    runId: runIds++,
    fileUri: `file:///project/${fileName}`,
    fileName,
    sourceLines: source.split(/\r?\n/),
    config: { gomaxprocs: config.gomaxprocs, seed: config.seed, goVersion: config.goVersion ?? 22, asyncPreemption: true },
    log: result.log.toJSON(),
    exit: { ...result.exit },
    goroutines: result.goroutines.map((g) => ({ id: g.id, state: g.state, line: g.site?.line, createdLine: g.createdSite?.line })),
    notes: result.notes.slice(),
    truncated: false,
    wallMs: 1,
  };
}

export function scenarioData(name: string, overrides: Partial<SimConfig> = {}): { data: SimulationData; result: SimResult } {
  const s = findScenario(name);
  if (!s) throw new Error(`no scenario ${name}`);
  const result = runScenario(s, { seed: 1, ...overrides });
  return { data: toSimulationData(result, s.source, s.file, { gomaxprocs: result.config.gomaxprocs, seed: result.config.seed, goVersion: result.config.goVersion }), result };
}

export function exampleSource(name: string): string {
  return readFileSync(path.resolve(__dirname, '../../examples', name), 'utf8');
}
