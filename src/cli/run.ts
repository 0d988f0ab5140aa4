// The `gmp-tutor` command, independent of the process: arguments in, text out, an exit code back.
// main.ts binds it to the real process; tests call it with captured output.
import type { SimConfig } from '../core/engine/config';
import { SCENARIOS, findScenario, runScenario } from '../core/scenarios';
import { toChromeTrace } from '../core/trace/chrome';
import { parseArgs, USAGE } from './args';
import { formatHuman, formatList, jsonReport } from './format';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  writeFile(path: string, data: string): void;
}

/** Exit codes: 0 = the simulation ran (whatever the simulated program did), 2 = bad usage, 1 = I/O failure. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

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
      const overrides: Partial<SimConfig> = {};
      if (cmd.procs !== undefined) overrides.gomaxprocs = cmd.procs;
      if (cmd.seed !== undefined) overrides.seed = cmd.seed;
      if (cmd.goVersion !== undefined) overrides.goVersion = cmd.goVersion;
      if (cmd.asyncPreemption !== undefined) overrides.asyncPreemption = cmd.asyncPreemption;
      const r = runScenario(sc, overrides);
      if (cmd.json) io.out(JSON.stringify(jsonReport(sc, r), null, 2) + '\n');
      else io.out(formatHuman(sc, r, { limit: cmd.limit }));
      if (cmd.trace) {
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
      }
      return EXIT_OK;
    }
  }
}
