// Text and JSON renderings of a simulation run for the command line. Pure functions of the
// scenario and the run's result, so they are tested without a process.
import type { SimConfig } from '../core/engine/config';
import { fmtNs, type SimExit, type SimResult } from '../core/engine/scheduler';
import { describeEvent } from '../core/knowledge/narrate';
import type { Scenario } from '../core/scenarios';
import { isSpinHang, type EventLog } from '../core/trace/events';
import { computeStats, type TraceStats } from '../core/trace/stats';

// ---------------------------------------------------------------------------------------------
// Timeline

/** The unit the whole timeline is printed in: µs for runs shorter than 1 ms, else ms. */
export function timeUnit(maxNs: number): 'µs' | 'ms' {
  return maxNs < 1e6 ? 'µs' : 'ms';
}

/** A virtual time in the given unit with 3 decimals (ns resolution in µs, µs resolution in ms). */
export function formatTime(ns: number, unit: 'µs' | 'ms'): string {
  return `${(ns / (unit === 'µs' ? 1e3 : 1e6)).toFixed(3)} ${unit}`;
}

const id = (prefix: string, n: number): string => (n >= 0 ? `${prefix}${n}` : '-');

export interface TimelineOptions {
  /** Lines to print; 0 = all. */
  limit: number;
  goVersion: number;
}

/** One line per event: time, P, M, G and the narration sentence; capped at `limit` lines. */
export function formatTimeline(log: EventLog, opts: TimelineOptions): string[] {
  const n = log.length;
  const shown = opts.limit > 0 ? Math.min(n, opts.limit) : n;
  const unit = timeUnit(n ? log.t(n - 1) : 0);
  const timeWidth = Math.max(4, formatTime(n ? log.t(n - 1) : 0, unit).length);
  let pw = 1;
  let mw = 1;
  let gw = 1;
  for (let i = 0; i < shown; i++) {
    pw = Math.max(pw, id('P', log.p(i)).length);
    mw = Math.max(mw, id('M', log.m(i)).length);
    gw = Math.max(gw, id('G', log.g(i)).length);
  }
  const lines = [`${'time'.padStart(timeWidth)}  ${'P'.padEnd(pw)}  ${'M'.padEnd(mw)}  ${'G'.padEnd(gw)}  what happened and why`];
  for (let i = 0; i < shown; i++) {
    lines.push(
      `${formatTime(log.t(i), unit).padStart(timeWidth)}  ${id('P', log.p(i)).padEnd(pw)}  ${id('M', log.m(i)).padEnd(mw)}  ` +
      `${id('G', log.g(i)).padEnd(gw)}  ${describeEvent(log, i, { goVersion: opts.goVersion })}`,
    );
  }
  if (shown < n) lines.push(`… ${(n - shown).toLocaleString('en-US')} more events (use --limit 0 for all)`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Outcome and summary

const REASON_WORDS: Record<SimExit['reason'], string> = {
  'main-returned': 'main returned',
  deadlock: 'deadlock',
  panic: 'panic',
  'os-exit': 'os.Exit',
  'goexit-deadlock': 'deadlock after runtime.Goexit in main',
  hang: 'blocks forever without a deadlock report',
  'thread-exhaustion': 'thread exhaustion',
  budget: 'stopped by a simulation budget',
  error: 'simulator error',
};

export function formatOutcome(exit: SimExit): string[] {
  const code = exit.code >= 0 ? `exit status ${exit.code}` : 'no exit status (the program did not end)';
  const words = isSpinHang(exit) ? 'runs forever without a deadlock report' : REASON_WORDS[exit.reason];
  const lines = [`${words} — ${code}, at ${fmtNs(exit.timeNs)} of virtual time`];
  if (exit.reason !== 'main-returned' && exit.reason !== 'os-exit') {
    const msg = exit.message.replace(/\n+$/, '');
    for (const l of msg.split('\n')) lines.push(l === '' ? '' : `  ${l}`);
  }
  if (exit.reason === 'budget' && exit.message.includes('virtual-time budget')) lines.push('  (the program was still running: --max-time gives it longer, e.g. --max-time 5m)');
  return lines;
}

export function formatStats(s: TraceStats): string[] {
  const rows: [string, string][] = [
    ['goroutines created', String(s.goroutinesCreated)],
    ['peak goroutines', String(s.peakGoroutines)],
    ['peak threads (Ms)', String(s.peakThreads)],
    ['threads created', String(s.threadsCreated)],
    ['steals', `${s.steals}${s.steals ? ` (${s.stolenGoroutines} Gs moved)` : ''}`],
    ['hand-offs', String(s.handoffs)],
    ['preemptions', String(s.preemptions)],
    ['context switches', String(s.contextSwitches)],
    ['syscalls', String(s.syscalls)],
    ['virtual time', fmtNs(s.virtualTimeNs)],
    ['events', s.events.toLocaleString('en-US')],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`);
}

/** The program's output, capped at `limit` lines (0 = all). */
export function formatOutput(output: string, limit: number): string[] {
  if (output === '') return ['(no output)'];
  const lines = output.replace(/\n$/, '').split('\n');
  if (limit <= 0 || lines.length <= limit) return lines;
  return [...lines.slice(0, limit), `… ${(lines.length - limit).toLocaleString('en-US')} more lines (use --limit 0 for all)`];
}

export function goLabel(goVersion: number): string {
  return `Go 1.${goVersion}`;
}

export interface HumanOptions {
  limit: number;
}

/** The whole human-readable report: title, timeline, output, outcome, summary, notes. */
export function formatHuman(sc: Scenario, r: SimResult, opts: HumanOptions): string {
  const head = [sc.title, `scenario ${sc.name} · ${configLabel(r.config)} · source ${sc.file}`, '', ...wrap(sc.description, 100)];
  return formatReport(head, r, opts);
}

/** The report for `gmp-tutor run <file.go>`. */
export function formatRun(file: string, r: SimResult, opts: HumanOptions): string {
  return formatReport([`${file} · ${configLabel(r.config)}`], r, opts);
}

function configLabel(c: SimConfig): string {
  return `GOMAXPROCS=${c.gomaxprocs} · seed ${c.seed} · ${goLabel(c.goVersion)}${c.asyncPreemption ? '' : ' · asyncpreemptoff'}`;
}

function formatReport(head: string[], r: SimResult, opts: HumanOptions): string {
  const c = r.config;
  const out: string[] = [...head];
  out.push('');
  out.push('Timeline (virtual time)');
  out.push(...formatTimeline(r.log, { limit: opts.limit, goVersion: c.goVersion }));
  out.push('');
  out.push('Program output');
  out.push(...formatOutput(r.output, opts.limit).map((l) => `  ${l}`));
  if (r.stderr !== '') {
    const n = r.stderr.replace(/\n$/, '').split('\n').length;
    out.push(`  (and ${n} line${n === 1 ? '' : 's'} on standard error — print/println, log, os.Stderr — written to this command's standard error)`);
  }
  out.push('');
  out.push('Outcome');
  out.push(...formatOutcome(r.exit).map((l) => (l === '' ? '' : `  ${l}`)));
  out.push('');
  out.push('Summary');
  out.push(...formatStats(computeStats(r.log)));
  if (r.notes.length) {
    out.push('');
    out.push('Notes');
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  return out.join('\n') + '\n';
}

/** Greedy word wrap. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Reasons whose message the runtime itself writes to standard error. */
const RUNTIME_WRITES: ReadonlySet<SimExit['reason']> = new Set(['panic', 'deadlock', 'goexit-deadlock', 'thread-exhaustion']);

/**
 * Everything the program's process writes to standard error: its own writes, then the runtime's
 * panic or fatal error (without the `exit status N` line, which `go run` adds, not the program).
 */
export function processStderr(r: SimResult): string {
  if (!RUNTIME_WRITES.has(r.exit.reason)) return r.stderr;
  const msg = r.exit.message.replace(/\n*exit status \d+\s*$/, '');
  return `${r.stderr}${msg}\n`;
}

// ---------------------------------------------------------------------------------------------
// JSON

export interface JsonReport {
  /** The scenario's name, or the Go file for `run`. */
  scenario?: string;
  file?: string;
  config: SimConfig;
  /** The program's standard output. */
  output: string;
  /** The program's standard error: print/println, log, os.Stderr, then the runtime's panic or fatal error. */
  stderr: string;
  exit: SimExit;
  goroutines: { id: number; state: string; line: number | null }[];
  stats: TraceStats;
  notes: string[];
}

export function jsonReport(sc: Scenario | { file: string }, r: SimResult): JsonReport {
  return {
    ...('name' in sc ? { scenario: sc.name } : { file: sc.file }),
    config: r.config,
    output: r.output,
    stderr: processStderr(r),
    exit: r.exit,
    goroutines: r.goroutines.map((g) => ({ id: g.id, state: g.state, line: g.site?.line ?? null })),
    stats: computeStats(r.log),
    notes: r.notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Listing

export function formatList(scenarios: readonly Scenario[]): string {
  const w = Math.max(...scenarios.map((s) => s.name.length));
  const lines = ['Built-in scenarios (gmp-tutor scenario <name>):', ''];
  for (const s of scenarios) lines.push(`  ${s.name.padEnd(w)}  ${s.title} (GOMAXPROCS=${s.defaultProcs})`);
  return lines.join('\n') + '\n';
}
