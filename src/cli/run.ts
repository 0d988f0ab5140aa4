// The `gmp-tutor` command, independent of the process: arguments in, text out, an exit code back.
// main.ts binds it to the real process; tests call it with captured output.
import type { SimConfig } from '../core/engine/config';
import { SCENARIOS, findScenario, runScenario } from '../core/scenarios';
import { runGoSource, type GoParse } from '../core/golang/interp';
import type { SimResult } from '../core/engine/scheduler';
import { toChromeTrace } from '../core/trace/chrome';
import { parseArgs, USAGE, type SimOptions } from './args';
import { formatHuman, formatList, formatRun, jsonReport, processStderr } from './format';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  writeFile(path: string, data: string): void;
  /** For `run`: read the Go file (throws if it cannot). */
  readFile?(path: string): string;
  /** For `run`: the Go parser, loaded by the caller (its wasm loads asynchronously). */
  parseGo?: GoParse;
  /** For `run`: the Go minor version of the nearest go.mod's `go` line, if any. */
  goModVersion?(file: string): number | undefined;
}

/** Exit codes: 0 = the simulation ran (whatever the simulated program did), 2 = bad usage, 1 = I/O failure. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Event budget of `gmp-tutor run` (the engine's default is sized for the editor). */
export const RUN_MAX_EVENTS = 20_000_000;
/** Host time `gmp-tutor run` may interpret for: a batch run can wait longer than an editor. */
export const RUN_MAX_WALL_MS = 120_000;

export function runCli(argv: readonly string[], io: CliIO): number {
  const cmd = parseArgs(argv);
  switch (cmd.kind) {
    case 'help':
      io.out(USAGE);
      return EXIT_OK;
    case 'list':
      io.out(formatList(SCENARIOS));
      return EXIT_OK;
    case 'error':
      io.err(`gmp-tutor: ${cmd.message}\n`);
      if (cmd.listScenarios) io.err(`\n${formatList(SCENARIOS)}`);
      io.err('Run gmp-tutor --help for usage.\n');
      return EXIT_USAGE;
    case 'scenario': {
      const sc = findScenario(cmd.name);
      if (!sc) {
        io.err(`gmp-tutor: unknown scenario "${cmd.name}".\n\n${formatList(SCENARIOS)}`);
        return EXIT_USAGE;
      }
      const r = runScenario(sc, overrides(cmd));
      if (cmd.json) io.out(JSON.stringify(jsonReport(sc, r), null, 2) + '\n');
      else io.out(formatHuman(sc, r, { limit: cmd.limit }));
      return writeTrace(cmd, r, io);
    }
    case 'run': {
      if (!io.readFile || !io.parseGo) {
        io.err('gmp-tutor: the Go parser is not available in this build.\n');
        return EXIT_FAILURE;
      }
      let text: string;
      try {
        text = io.readFile(cmd.file);
      } catch (e) {
        io.err(`gmp-tutor: cannot read ${cmd.file}: ${(e as Error).message}\n`);
        return EXIT_USAGE;
      }
      // A batch run can afford a bigger log than the editor's default: the million-goroutine
      // program needs about 7 M events.
      const o: Partial<SimConfig> = { maxEvents: RUN_MAX_EVENTS, ...overrides(cmd) };
      // --go wins, then the go line of the nearest go.mod, then the newest supported version.
      o.goVersion ??= io.goModVersion?.(cmd.file);
      const { result } = runGoSource(text, { file: cmd.file, sim: o, goVersion: o.goVersion, maxWallMs: RUN_MAX_WALL_MS }, io.parseGo);
      if (cmd.json) io.out(JSON.stringify(jsonReport({ file: cmd.file }, result), null, 2) + '\n');
      else {
        // Like the real program: what it writes to standard error goes to ours (the report stays on stdout).
        const stderr = processStderr(result);
        if (stderr) io.err(stderr);
        io.out(formatRun(cmd.file, result, { limit: cmd.limit }));
      }
      return writeTrace(cmd, result, io);
    }
  }
}

function overrides(cmd: SimOptions): Partial<SimConfig> {
  const o: Partial<SimConfig> = {};
  if (cmd.procs !== undefined) o.gomaxprocs = cmd.procs;
  if (cmd.seed !== undefined) o.seed = cmd.seed;
  if (cmd.goVersion !== undefined) o.goVersion = cmd.goVersion;
  if (cmd.asyncPreemption !== undefined) o.asyncPreemption = cmd.asyncPreemption;
  if (cmd.maxTimeNs !== undefined) o.maxVirtualTimeNs = cmd.maxTimeNs;
  return o;
}

function writeTrace(cmd: SimOptions, r: SimResult, io: CliIO): number {
  if (!cmd.trace) return EXIT_OK;
  try {
    io.writeFile(cmd.trace, JSON.stringify(toChromeTrace(r.log, { goVersion: r.config.goVersion })));
  } catch (e) {
    io.err(`gmp-tutor: could not write ${cmd.trace}: ${(e as Error).message}\n`);
    return EXIT_FAILURE;
  }
  // Keep stdout a single JSON document in --json mode.
  const note = `Chrome trace written to ${cmd.trace} (open it in https://ui.perfetto.dev or chrome://tracing)\n`;
  if (cmd.json) io.err(note);
  else io.out(`\n${note}`);
  return EXIT_OK;
}
