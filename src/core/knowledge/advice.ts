// Diagnostic records: what the tutor warns about in a Go file, as plain data. The extension turns
// them into VS Code diagnostics; tests check them without VS Code. Two sources:
//   factAdvice        the syntactic facts (blocking syscalls, cgo calls, busy loops, lints)
//   simulationAdvice  a simulated run of the file (deadlock, goroutine leak, blocks forever)
//
// Ranges are 0-based line/column in UTF-16 code units, end exclusive (the facts' convention).
// Wording paraphrases runtime-facts.md: entersyscall/handoffp (§7), cgocall (§7.5), sysmon's 10 ms
// preemption (§6), checkdead (§12).

import type { CallFact, Facts, LoopFact, Range } from '../golang/facts';
import { catalogEntry, type CatalogEntry } from './catalog';
import { isSpinHang } from '../trace/events';

export const ADVICE_CODES = [
  'blocking-syscall',
  'cgo-call',
  'busy-loop',
  'waitgroup-add-in-goroutine',
  'sleep-as-sync',
  'deadlock',
  'goroutine-leak',
  'blocks-forever',
] as const;
export type AdviceCode = (typeof ADVICE_CODES)[number];

export type AdviceSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface AdviceRelated {
  readonly range: Range;
  readonly message: string;
}

export interface Advice {
  readonly code: AdviceCode;
  readonly severity: AdviceSeverity;
  readonly range: Range;
  readonly message: string;
  readonly related: readonly AdviceRelated[];
}

/** Where each code is explained: the README section of that name (`#### \`code\``). */
export const ADVICE_DOC_BASE = 'https://github.com/gmp-tutor/gmp-tutor/blob/main/README.md';
export function adviceDocUrl(code: AdviceCode): string {
  return `${ADVICE_DOC_BASE}#${code}`;
}

// ---- from the facts ------------------------------------------------------------------------------

/**
 * Advice from the syntactic facts. `text` (the source the facts came from) lets the busy-loop check
 * tell a spin (`for !done {}`) from a counting loop without calls (`for i < n { i++ }`).
 */
export function factAdvice(facts: Facts, text?: string): Advice[] {
  const out: Advice[] = [];
  for (const c of facts.calls) {
    if (c.kind === 'blocking-syscall') out.push(syscallAdvice(c));
    else if (c.kind === 'cgo') out.push(cgoAdvice(c));
  }
  const lines = text?.split('\n');
  for (const l of facts.loops) {
    const a = busyLoopAdvice(l, lines);
    if (a) out.push(a);
  }
  for (const lint of facts.lints) {
    out.push({
      code: lint.rule === 'wg-add-in-goroutine' ? 'waitgroup-add-in-goroutine' : 'sleep-as-sync',
      severity: 'warning',
      range: lint.range,
      message: lint.message,
      related: lint.related.map((range) => ({
        range,
        message: lint.rule === 'wg-add-in-goroutine' ? 'the Done it pairs with, in the same goroutine' : 'a goroutine started here is not waited for',
      })),
    });
  }
  return out.sort(byPosition);
}

function syscallAdvice(c: CallFact): Advice {
  const e = catalogEntry(c.catalogId);
  const what = e?.syscall ? ` (${e.syscall})` : '';
  const message =
    e?.entersyscall === false
      ? `${c.callee}${what} does not tell the scheduler (no entersyscall): if it blocks, its P stays blocked with it and ` +
        'sysmon cannot hand the P off.'
      : e && isShortSyscall(e)
        ? `${c.callee}${what} is a short system call: its thread is in the kernel (entersyscall), usually for less than ` +
          'a sysmon tick (≥ 20 µs), so the P stays; on a slow file system it can last, and then the P is handed off.'
        : `${c.callee}${what} blocks its OS thread; if it lasts, the P is handed off; threads grow with concurrent calls ` +
          '(entersyscall: the G keeps its M in the kernel; once the call outlasts a sysmon tick, sysmon retakes the P when Gs ' +
          'wait on it or no other P is free, and after 10 ms in any case).';
  return { code: 'blocking-syscall', severity: 'information', range: c.range, message, related: [] };
}

/**
 * Metadata calls (stat, open, close, lseek, pipe2, …) whose default cost is below a sysmon tick: retake only
 * takes a P whose syscall it sees twice, so these rarely lose their P. Reads, writes, copies and waits are not
 * short: they last as long as the data or the child process.
 */
function isShortSyscall(e: CatalogEntry): boolean {
  return e.kind === 'syscall' && e.ioFrom === undefined && e.defaultNs < 20_000;
}

function cgoAdvice(c: CallFact): Advice {
  const where = c.inLoop && c.inGoroutine ? 'in a loop inside a goroutine' : c.inLoop ? 'in a loop' : c.inGoroutine ? 'in a goroutine' : null;
  const base =
    `${c.callee} is a cgo call: cgocall enters a system call (entersyscall), the C code holds its OS thread and, if it runs ` +
    'past a sysmon tick, sysmon may retake the P and hand it off';
  const message = where
    ? `${base}. Called ${where}, concurrent C calls each hold a thread: the thread count grows with them (limit 10 000).`
    : `${base}.`;
  return { code: 'cgo-call', severity: where ? 'warning' : 'information', range: c.range, message, related: [] };
}

function busyLoopAdvice(l: LoopFact, lines: string[] | undefined): Advice | null {
  if (l.hasCalls || l.hasChanOps) return null;
  if (l.loop !== 'infinite' && !(l.loop === 'condition' && lines && bodyIsEmpty(l, lines))) return null;
  if (l.loop === 'infinite' && lines && (computesAndExits(l, lines) || casRetry(l, lines))) return null;
  return {
    code: 'busy-loop',
    severity: 'information',
    range: l.headerRange,
    message:
      'Busy loop without function calls: it keeps its P (and thread) busy and has no cooperative preemption point. ' +
      'Since Go 1.14 sysmon preempts it asynchronously after ~10 ms; before (or with asyncpreemptoff=1) nothing else runs on that P. ' +
      'Wait on a channel, a sync primitive or a timer instead.',
    related: [],
  };
}

/**
 * `for { n++; if n*n > 50 { break } }`: the loop updates state and leaves by break, return or goto, so
 * it is a short computation, not a spin. A spin's body changes nothing it tests (`for { if done { break } }`)
 * or never leaves (`for { x++ }`).
 */
function computesAndExits(l: LoopFact, lines: string[]): boolean {
  const loop = slice(lines, l.range.start, l.range.end)
    .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')
    .replace(/"(?:[^"\\\n]|\\.)*"|`[^`]*`|'(?:[^'\\\n]|\\.)*'/g, '""');
  const exits = /\b(break|return|goto)\b/.test(loop);
  const assigns = /\+\+|--|(?:[-+*\/%&|^]|<<|>>|&\^)=|(?:^|[^=!<>:+\-*\/%&|^])=(?!=)/.test(loop);
  return exits && assigns;
}

/**
 * A lock-free update: `for { old := atomic.LoadInt64(&v); if atomic.CompareAndSwapInt64(&v, old, f(old)) { break } }`.
 * It only goes round again when another goroutine changed v in between, so it ends after a few tries. A spin lock
 * compares against a constant (`CompareAndSwapInt32(&l, 0, 1)`) and waits for another goroutine: still a busy loop.
 */
function casRetry(l: LoopFact, lines: string[]): boolean {
  const loop = slice(lines, l.range.start, l.range.end).replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '');
  const old = /CompareAndSwap\w*\((?:[^,()]+,\s*)?([A-Za-z_]\w*)\s*,/.exec(loop)?.[1];
  return old !== undefined && new RegExp(`\\b${old}\\s*:?=(?!=)`).test(loop) && /\b(break|return|goto)\b/.test(loop);
}

/** The loop body holds nothing but blanks and comments (`for !done {}`). */
function bodyIsEmpty(l: LoopFact, lines: string[]): boolean {
  const body = slice(lines, l.headerRange.end, l.range.end);
  const inner = body.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '').trim();
  return /^\{\s*\}$/.test(inner);
}

function slice(lines: string[], from: { line: number; col: number }, to: { line: number; col: number }): string {
  if (from.line === to.line) return (lines[from.line] ?? '').slice(from.col, to.col);
  const parts = [(lines[from.line] ?? '').slice(from.col)];
  for (let i = from.line + 1; i < to.line; i++) parts.push(lines[i] ?? '');
  parts.push((lines[to.line] ?? '').slice(0, to.col));
  return parts.join('\n');
}

// ---- from a simulation ---------------------------------------------------------------------------

/** The parts of a finished run advice needs (SimResult has them). Sites: 1-based lines, 0-based columns. */
export interface RunOutcome {
  readonly exit: { readonly reason: string; readonly message: string };
  readonly goroutines: readonly {
    readonly id: number;
    readonly state: string;
    readonly site?: SiteLike;
    readonly createdSite?: SiteLike;
  }[];
}

export interface SiteLike {
  readonly line: number;
  readonly col?: number;
  readonly endLine?: number;
  readonly endCol?: number;
  readonly text?: string;
}

/** States of a goroutine that is not blocked: it would go on if given a CPU. */
const NOT_BLOCKED = new Set(['running', 'runnable', 'syscall']);

/**
 * Advice from a simulated run: a predicted deadlock (Error at every blocked goroutine), goroutines
 * still blocked when main returns (leaks), and a program that blocks forever without the runtime
 * noticing. `facts` (of the same text) supply the other side of each wait as related information.
 */
export function simulationAdvice(run: RunOutcome, facts?: Facts): Advice[] {
  const out: Advice[] = [];
  const reason = run.exit.reason;
  const blocked = run.goroutines.filter((g) => !NOT_BLOCKED.has(g.state) && g.site && g.site.line >= 1);
  if (reason === 'deadlock' || reason === 'goexit-deadlock') {
    const headline = run.exit.message.split('\n')[0] ?? 'fatal error: all goroutines are asleep - deadlock!';
    for (const g of blocked) {
      out.push({
        code: 'deadlock',
        severity: 'error',
        range: siteRange(g.site!),
        message: `${headline} Goroutine ${g.id} is blocked here forever [${g.state}].`,
        related: otherSide(g.state, g.site!, facts),
      });
    }
  } else if (reason === 'main-returned') {
    for (const g of blocked) {
      const related = g.createdSite ? [{ range: siteRange(g.createdSite), message: `goroutine ${g.id} was started here` }] : [];
      // A sleeper's timer (or the network) would still wake it: only the exit cuts it short.
      const wakes = g.state === 'sleep' ? 'its timer would wake it' : g.state === 'IO wait' ? 'the network may still wake it' : '';
      out.push({
        code: 'goroutine-leak',
        severity: 'warning',
        range: siteRange(g.site!),
        message: wakes
          ? `goroutine leak: goroutine ${g.id} is still blocked here [${g.state}] when main returns: ${wakes}, but the program ` +
            'exits first, so the rest of the goroutine never runs.'
          : `goroutine leak: goroutine ${g.id} is still blocked here [${g.state}] when main returns, and the program exits ` +
            'without it. In a long-running program a goroutine that nothing wakes stays blocked forever, with its stack.',
        related: [...related, ...otherSide(g.state, g.site!, facts)],
      });
    }
  } else if (isSpinHang(run.exit)) {
    // Goroutines spin in endless loops; any others wait with nothing to wake them.
    const spinning = run.goroutines.filter((g) => NOT_BLOCKED.has(g.state) && g.site && g.site.line >= 1);
    const spinners = spinning.map((g) => ({ range: siteRange(g.site!), message: `goroutine ${g.id} spins here forever` }));
    for (const g of spinning) {
      out.push({
        code: 'blocks-forever',
        severity: 'warning',
        range: siteRange(g.site!),
        message:
          `never ends: goroutine ${g.id} spins in this endless loop and nothing can stop it, so the real program runs forever ` +
          'at 100% CPU; Go does not report a deadlock while a goroutine is running.',
        related: [],
      });
    }
    for (const g of blocked) {
      out.push({
        code: 'blocks-forever',
        severity: 'warning',
        range: siteRange(g.site!),
        message: `blocks forever without a deadlock report: goroutine ${g.id} waits here [${g.state}] and nothing can wake it, ` +
          'while other goroutines spin in endless loops, so the runtime never sees a deadlock.',
        related: [...spinners, ...otherSide(g.state, g.site!, facts)],
      });
    }
  } else if (reason === 'hang') {
    const why = run.exit.message.replace(/^all goroutines are blocked, but /, '');
    for (const g of blocked) {
      out.push({
        code: 'blocks-forever',
        severity: 'warning',
        range: siteRange(g.site!),
        message: `blocks forever without a deadlock report: goroutine ${g.id} waits here [${g.state}]; ${why}`,
        related: otherSide(g.state, g.site!, facts),
      });
    }
  }
  return out.sort(byPosition);
}

function siteRange(s: SiteLike): Range {
  const line = s.line - 1;
  const col = s.col ?? 0;
  const endLine = s.endLine !== undefined ? s.endLine - 1 : line;
  // Without an end column, the range covers the rest of the line (VS Code clamps it).
  const endCol = s.endCol ?? (endLine === line ? col + Math.max(1, (s.text ?? '').split('\n')[0]!.length) : 0);
  return { start: { line, col }, end: { line: endLine, col: endCol } };
}

const norm = (s: string | undefined): string => (s ?? '').replace(/^[&*(]+|\)+$/g, '').replace(/\s+/g, '');

/** Where the goroutine's partner would be: the receives for a blocked send, the Done calls for a Wait, … */
function otherSide(state: string, site: SiteLike, facts: Facts | undefined): AdviceRelated[] {
  if (!facts) return [];
  const text = site.text ?? '';
  const here = (r: Range) => r.start.line === site.line - 1;
  const out: AdviceRelated[] = [];
  if (state.startsWith('chan send')) {
    const ch = norm(/^(.*?)<-/.exec(text)?.[1]);
    if (!ch) return [];
    for (const r of facts.recvs) if (norm(r.channel) === ch && !here(r.range)) out.push({ range: r.range, message: `a receive from ${ch}: it never takes this value` });
    for (const s of facts.selects) for (const c of s.cases) if (c.kind === 'recv' && norm(c.channel) === ch) out.push({ range: c.range, message: `a select case receiving from ${ch}` });
    for (const l of facts.loops) if (l.loop === 'range-chan' && norm(l.rangeOver ?? '') === ch) out.push({ range: l.headerRange, message: `a range over ${ch}` });
    if (out.length === 0) out.push({ range: siteRange(site), message: `nothing in this file receives from ${ch}` });
  } else if (state.startsWith('chan receive')) {
    const ch = norm(/<-\s*([^\s;]+)/.exec(text)?.[1] ?? /range\s+(.+?)\s*\{?$/.exec(text)?.[1]);
    if (!ch) return [];
    for (const s of facts.sends) if (norm(s.channel) === ch && !here(s.range)) out.push({ range: s.range, message: `a send on ${ch}: it never delivers to this receive` });
    for (const c of facts.closes) if (norm(c.channel) === ch) out.push({ range: c.range, message: `close(${ch}) would end the wait; it does not run in time` });
    if (out.length === 0) out.push({ range: siteRange(site), message: `nothing in this file sends on ${ch} or closes it` });
  } else if (/WaitGroup|semacquire|Mutex|RWMutex/.test(state)) {
    const recv = norm(/^(.*)\.(Wait|Lock|RLock)\(/.exec(text)?.[1]);
    const method = /\.(Wait|Lock|RLock)\(/.exec(text)?.[1];
    const partners =
      method === 'Wait'
        ? ['sync.WaitGroup.Add', 'sync.WaitGroup.Done']
        : method === 'Lock' || method === 'RLock'
          ? ['sync.Mutex.Lock', 'sync.RWMutex.Lock', 'sync.RWMutex.RLock']
          : [];
    const last = (s: string) => s.split('.').pop() ?? s;
    for (const c of facts.calls) {
      if (!partners.includes(c.catalogId) || here(c.range)) continue;
      if (recv && last(norm(c.receiver)) !== last(recv)) continue;
      out.push({
        range: c.range,
        message:
          method !== 'Wait'
            ? `${c.callee}: the lock is also taken here`
            : c.catalogId === 'sync.WaitGroup.Add'
              ? `${c.callee} raises the counter Wait waits for`
              : `${c.callee} lowers the counter Wait waits for`,
      });
    }
  }
  return out.slice(0, 8);
}

function byPosition(a: Advice, b: Advice): number {
  return a.range.start.line - b.range.start.line || a.range.start.col - b.range.start.col || a.code.localeCompare(b.code);
}
