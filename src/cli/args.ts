// Command-line parsing for `gmp-tutor` (no dependencies; every error is a sentence for the user).
import { SUPPORTED_GO_VERSIONS } from '../core/engine/config';

export const DEFAULT_LIMIT = 200;
export const MAX_PROCS = 1024;

/** Options shared by every command that runs a simulation. */
export interface SimOptions {
  procs?: number;
  seed?: number;
  /** Go minor version (19 … 26). */
  goVersion?: number;
  asyncPreemption?: boolean;
  /** Virtual time after which the run stops (reason budget), in ns. */
  maxTimeNs?: number;
  json: boolean;
  trace?: string;
  /** Timeline lines to print; 0 = all. */
  limit: number;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'list' }
  | ({ kind: 'scenario'; name: string } & SimOptions)
  /** `run <file.go>`: the Go file to simulate. */
  | ({ kind: 'run'; file: string } & SimOptions)
  | { kind: 'error'; message: string; /** Show the scenario list after the message. */ listScenarios?: boolean };

export const USAGE = `gmp-tutor — watch the Go scheduler (G, M, P) run a program, event by event

Usage:
  gmp-tutor run <file.go> [options]     simulate your Go program's main and explain every event
  gmp-tutor scenario <name> [options]   run a built-in scenario and explain every event
  gmp-tutor scenario --list             list the built-in scenarios
  gmp-tutor --help                      show this help

Options:
  --procs N          GOMAXPROCS: number of Ps (default: the scenario's)
  --seed S           seed for steal order and select choices (default 1; same seed, same run)
  --go 1.19|…|1.26   Go version whose language and runtime rules apply (default: the go line of the
                     nearest go.mod for run, else 1.26)
  --asyncpreemptoff  turn asynchronous preemption off (like GODEBUG=asyncpreemptoff=1)
  --max-time D       stop the run after D of virtual time, a Go duration like 90s or 5m (default 60s)
  --limit N          timeline lines to print (default ${DEFAULT_LIMIT}; 0 = all)
  --json             print one JSON object instead of the timeline
  --trace FILE       also write a Chrome trace (open it in ui.perfetto.dev or chrome://tracing)

Examples:
  gmp-tutor run main.go --procs 2
  gmp-tutor scenario runnext-order
  gmp-tutor scenario cpu-bound --procs 1
  gmp-tutor scenario syscall-handoff --procs 2 --trace syscall.json
`;

const GO_VERSIONS = SUPPORTED_GO_VERSIONS.map((v) => `1.${v}`).join(', ');

/** Parses `--go` values: 1.19, go1.19, 19 (a patch version like 1.19.8 is accepted). */
export function parseGoVersion(s: string): number | null {
  const m = /^(?:go)?(?:1\.)?(\d+)(?:\.\d+)?$/.exec(s.trim());
  if (!m) return null;
  const v = Number(m[1]);
  return (SUPPORTED_GO_VERSIONS as readonly number[]).includes(v) ? v : null;
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration (time.ParseDuration's syntax: 1h30m, 90s, 2.5ms), in ns; null if malformed or not positive. */
export function parseDuration(s: string): number | null {
  const text = s.trim();
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return null;
  let ns = 0;
  for (const [, n, , unit] of text.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ns += Number(n) * DURATION_UNITS[unit!]!;
  return ns > 0 && Number.isFinite(ns) ? Math.round(ns) : null;
}

function parseInteger(s: string): number | null {
  if (!/^[+-]?\d+$/.test(s.trim())) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

export function parseArgs(argv: readonly string[]): Command {
  const args: string[] = [];
  // Accept --opt=value as well as --opt value.
  for (const a of argv) {
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) args.push(a.slice(0, eq), a.slice(eq + 1));
    else args.push(a);
  }
  if (args.length === 0) return { kind: 'error', message: 'no command given.' };
  if (args.includes('--help') || args.includes('-h') || args[0] === 'help') return { kind: 'help' };
  if (args[0] === '--list') return { kind: 'list' };
  if (args[0] !== 'scenario' && args[0] !== 'run') return { kind: 'error', message: `unknown command "${args[0]}".` };
  const isRun = args[0] === 'run';

  let name: string | undefined;
  let list = false;
  const cmd: SimOptions = { json: false, limit: DEFAULT_LIMIT };
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | null => {
      const v = args[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) return null;
      i++;
      return v;
    };
    switch (a) {
      case '--list':
        if (isRun) return { kind: 'error', message: 'unknown option "--list" for run (did you mean gmp-tutor scenario --list?).' };
        list = true;
        break;
      case '--json': cmd.json = true; break;
      case '--asyncpreemptoff': cmd.asyncPreemption = false; break;
      case '--procs': {
        const v = value();
        const n = v === null ? null : parseInteger(v);
        if (n === null || n < 1 || n > MAX_PROCS) {
          return { kind: 'error', message: `--procs needs a whole number of Ps from 1 to ${MAX_PROCS}${v === null ? '' : `, not "${v}"`}.` };
        }
        cmd.procs = n;
        break;
      }
      case '--seed': {
        const v = value();
        const n = v === null ? null : parseInteger(v);
        if (n === null) return { kind: 'error', message: `--seed needs a whole number${v === null ? '' : `, not "${v}"`}.` };
        cmd.seed = n;
        break;
      }
      case '--go': {
        const v = value();
        const n = v === null ? null : parseGoVersion(v);
        if (n === null) return { kind: 'error', message: `--go needs one of ${GO_VERSIONS}${v === null ? '' : `, not "${v}"`}.` };
        cmd.goVersion = n;
        break;
      }
      case '--limit': {
        const v = value();
        const n = v === null ? null : parseInteger(v);
        if (n === null || n < 0) return { kind: 'error', message: `--limit needs a number of lines (0 = all)${v === null ? '' : `, not "${v}"`}.` };
        cmd.limit = n;
        break;
      }
      case '--max-time': {
        const v = value();
        const ns = v === null ? null : parseDuration(v);
        if (ns === null) return { kind: 'error', message: `--max-time needs a Go duration such as 90s, 5m or 1h${v === null ? '' : `, not "${v}"`}.` };
        cmd.maxTimeNs = ns;
        break;
      }
      case '--trace': {
        const v = value();
        if (v === null || v === '') return { kind: 'error', message: '--trace needs a file name, e.g. --trace trace.json.' };
        cmd.trace = v;
        break;
      }
      default:
        if (a.startsWith('-')) return { kind: 'error', message: `unknown option "${a}".` };
        if (name !== undefined) return { kind: 'error', message: `one ${isRun ? 'file' : 'scenario'} at a time: got "${name}" and "${a}".` };
        name = a;
    }
  }
  if (isRun) {
    if (name === undefined) return { kind: 'error', message: 'which Go file? e.g. gmp-tutor run main.go' };
    return { kind: 'run', file: name, ...cmd };
  }
  if (list) return { kind: 'list' };
  if (name === undefined) return { kind: 'error', message: 'which scenario? Give its name.', listScenarios: true };
  return { kind: 'scenario', name, ...cmd };
}
