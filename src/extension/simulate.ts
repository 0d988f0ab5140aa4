// One simulation of a Go file, as a pure function: what the worker thread runs (and what unit tests
// and the benchmark call directly). Parses, lowers and interprets the file on the engine, then
// packs the result in the protocol's shape plus the diagnostics the run predicts.
import { extractFacts } from '../core/golang/facts';
import { runGoSource } from '../core/golang/interp';
import type { Tree } from '../core/golang/parser';
import { simulationAdvice, type Advice } from '../core/knowledge/advice';
import { computeStats } from '../core/trace/stats';
import type { RunConfig, SimulationData, WireLog } from '../protocol';

export interface SimRequest {
  readonly runId: number;
  readonly text: string;
  readonly fileUri: string;
  readonly fileName: string;
  /** The path shown in sites and tracebacks (what `go run` would print). */
  readonly filePath: string;
  readonly config: RunConfig;
  readonly budget: { readonly virtualTimeMs: number; readonly events: number; readonly goroutines: number };
  /** Host time the interpreter may use before it stops with reason 'budget'. */
  readonly maxWallMs: number;
}

export interface SimReply {
  readonly data: SimulationData;
  /** Deadlock / leak / blocks-forever diagnostics for the simulated text. */
  readonly advice: Advice[];
  readonly stats: { readonly peakThreads: number; readonly goroutinesCreated: number; readonly events: number };
}

export function runSimulation(req: SimRequest, parseGo: (text: string) => Tree): SimReply {
  const started = Date.now();
  const { result } = runGoSource(
    req.text,
    {
      file: req.filePath,
      goVersion: req.config.goVersion,
      gomaxprocs: req.config.gomaxprocs,
      seed: req.config.seed,
      maxWallMs: req.maxWallMs,
      sim: {
        asyncPreemption: req.config.asyncPreemption,
        maxVirtualTimeNs: req.budget.virtualTimeMs * 1e6,
        maxEvents: req.budget.events,
        maxGoroutines: req.budget.goroutines,
      },
    },
    parseGo,
  );
  const tree = parseGo(req.text);
  let advice: Advice[];
  try {
    advice = simulationAdvice(result, extractFacts(tree, { text: req.text }));
  } finally {
    tree.delete();
  }
  const stats = computeStats(result.log);
  const log: WireLog = result.log.toJSON();
  const data: SimulationData = {
    runId: req.runId,
    fileUri: req.fileUri,
    fileName: req.fileName,
    sourceLines: req.text.split(/\r?\n/),
    config: { ...req.config, gomaxprocs: result.config.gomaxprocs, goVersion: result.config.goVersion },
    log,
    exit: { ...result.exit },
    goroutines: result.goroutines.map((g) => ({ id: g.id, state: g.state, line: g.site?.line, createdLine: g.createdSite?.line })),
    notes: result.notes.slice(),
    truncated: result.exit.reason === 'budget' && /event budget/.test(result.exit.message),
    wallMs: Date.now() - started,
  };
  return { data, advice, stats: { peakThreads: stats.peakThreads, goroutinesCreated: stats.goroutinesCreated, events: stats.events } };
}

/** The typed arrays of a wire log: handed to postMessage's transfer list so they move instead of being copied. */
export function transferables(log: WireLog): ArrayBuffer[] {
  return [log.t, log.kind, log.g, log.m, log.p, log.a, log.b, log.site].map((a) => a.buffer as ArrayBuffer);
}
