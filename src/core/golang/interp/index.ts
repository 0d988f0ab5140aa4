// Running a Go file on the scheduler engine: parse → lower → interpret as goroutine bodies → simulate.
//
//   lower.ts   tree-sitter tree → small typed AST (ast.ts); unsupported syntax → `bad` nodes + notes
//   values.ts  Go values (ints as JS numbers with Go division/wrap on conversion, GoFloat, strings as
//              UTF-8 for len/index/slice/range, structs and arrays copied on assignment, pointers,
//              slices with shared backing arrays and Go's append growth, maps, channels, funcs …)
//   fmt.ts     fmt's formatting (Print/Sprint/Println spacing, the common verbs, width/precision/flags)
//   interp.ts  evaluation as generators yielding engine actions (see engine/actions.ts)
//
// Known limits (each shows up as a note where it matters, never as a silent wrong answer):
// values are dynamically typed (no type checker): untyped constants take their type from
// declarations, parameters, results and fields; sized integers (int8…uint64, byte, rune) carry
// their type and wrap, int/int64 are JS numbers (exact up to 2^53, approximate beyond);
// a nil *T becomes a non-nil interface where the interface type is declared (variables, named and
// returned results, parameters, composite literal elements, channel sends) but not when assigned
// to a struct field or element of interface type; ranging over a nil value runs zero times
// (a nil channel would block in Go). Recursion deeper than several hundred Go calls exhausts the
// interpreter's (JS) stack and is reported as a stack overflow with a note. goto, complex numbers,
// reflection, unsafe, and library calls outside the models in interp.ts and the knowledge catalog
// are notes with a zero value. A run stops with reason 'budget' after maxSteps interpreted steps or
// maxWallMs of host time, so it never hangs its host.
import { simulate, type SimResult } from '../../engine/scheduler';
import type { SimConfig } from '../../engine/config';
import type { Program } from './ast';
import { Interp, COST, type PureLoopMode } from './interp';
import { lowerProgram, type TSNode } from './lower';

export { COST } from './interp';
export type { Program } from './ast';

export interface RunGoOptions {
  /** File name shown in sites and tracebacks (e.g. `/home/me/main.go`). */
  file?: string;
  /** Go minor version (19 … 26): language semantics (per-iteration loop variables since 22) and runtime. */
  goVersion?: number;
  gomaxprocs?: number;
  seed?: number;
  /** Interpreted statements per run before it stops with reason 'budget' (default 200 M). */
  maxSteps?: number;
  /** Host time per run before it stops with reason 'budget' (default 30 s): the interpreter never hangs its host. */
  maxWallMs?: number;
  /** Pure loops: compiled and fast-forwarded (default), only compiled, or interpreted like any loop. */
  pureLoops?: PureLoopMode;
  /** Any other engine settings (budgets, runtime goroutines …). */
  sim?: Partial<SimConfig>;
}

/** Something that parses Go text into a tree-sitter tree (parser.ts's `parseGo` once `initGoParser` resolved). */
export type GoParse = (text: string) => { rootNode: TSNode; delete(): void };

export interface RunGoResult {
  result: SimResult;
  /** Approximations and unsupported constructs, `file:line: message` (also appended to result.notes). */
  notes: string[];
  program: Program;
}

/**
 * About 8 s of host time here: enough for ~50 ms of virtual CPU in call-heavy code (fib(32), loops
 * calling small functions), so sysmon's 10 ms preemption shows with such code too.
 */
export const DEFAULT_MAX_STEPS = 200_000_000;
export const DEFAULT_MAX_WALL_MS = 30_000;

export function lowerGoSource(text: string, parse: GoParse): Program {
  const tree = parse(text);
  try {
    return lowerProgram(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/**
 * Packages that do not import os (directly or not). A program importing only these has three
 * runtime goroutines before main (forcegc, bgsweep, bgscavenge), so its first `go` gets goid 5;
 * os (and so fmt, log, net, …) adds the finalizer goroutine, and user goroutines start at 6.
 */
const NO_OS_PACKAGES = new Set([
  'sync', 'sync/atomic', 'time', 'runtime', 'errors', 'strings', 'strconv', 'math', 'math/bits', 'math/rand', 'sort',
  'context', 'unicode', 'unicode/utf8', 'bytes', 'container/list', 'container/heap', 'container/ring', 'C',
]);

function runtimeGoroutines(program: Program): number {
  for (const path of program.imports.values()) if (!NO_OS_PACKAGES.has(path)) return 4;
  return 3;
}

/** Runs a Go file's `main` on the simulated scheduler. Never throws on user code. */
export function runGoSource(text: string, opts: RunGoOptions, parse: GoParse): RunGoResult {
  const program = lowerGoSource(text, parse);
  const goVersion = opts.goVersion ?? opts.sim?.goVersion ?? 26;
  const interp = new Interp(program, { file: opts.file ?? 'main.go', goVersion, maxSteps: opts.maxSteps ?? DEFAULT_MAX_STEPS, maxWallMs: opts.maxWallMs ?? DEFAULT_MAX_WALL_MS, pureLoops: opts.pureLoops });
  const config: Partial<SimConfig> = {
    ...opts.sim,
    goVersion,
    ...(opts.gomaxprocs !== undefined ? { gomaxprocs: opts.gomaxprocs } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(program.usesCgo ? { cgoLinked: true } : {}),
    runtimeGoroutines: runtimeGoroutines(program),
  };
  const main = program.funcs.get('main');
  const mainSite = main ? { file: opts.file ?? 'main.go', line: main.pos.line, fn: 'main.main', text: 'func main()' } : undefined;
  const result = simulate(() => interp.main(), config, mainSite);
  if (interp.budgetHit) {
    result.exit = { ...result.exit, reason: 'budget', code: -1, message: `stopped: ${interp.budgetWhy}` };
    interp.note(undefined, 'approximation: the run was cut short by the interpreter budget (interpreted steps, host time or memory)');
  } else if (result.exit.reason === 'error' && /Maximum call stack size exceeded/.test(result.exit.message)) {
    // The interpreter's stack (the JS one) is far smaller than Go's 1 GB limit: deep recursion ends here first.
    result.exit = { ...result.exit, reason: 'panic', code: 2, message: 'runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow\n\nexit status 2' };
    interp.note(undefined, 'approximation: the recursion went deeper than the interpreter can follow (a few thousand calls); reported as a stack overflow');
  } else if (result.exit.reason === 'error') {
    interp.note(undefined, `interpreter error (please report): ${result.exit.message}`);
  }
  result.notes.push(...interp.notes);
  void COST;
  return { result, notes: interp.notes, program };
}
