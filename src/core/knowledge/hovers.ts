// Hover texts: what the runtime does at a line, in the diagram's terms (G parks, M blocks, P handed
// off, netpoller, runnext), with the real runtime function names and the cost the simulator
// charges. Pure: the extension adds the "Simulate this file" link and shows the Markdown.
//
// The per-call sentences come from the catalog (one source for the words); this file adds the
// scheduler-level headline for each kind and the texts for language constructs (go, <-, select,
// make(chan)).

import { CHAN_OP_NS, GO_CREATE_NS, STW_NS, SWITCH_NS, THREAD_CREATE_NS } from '../engine/costs';
import type { CallFact, ChanOpFact, Fact, Facts, GoStmtFact, MakeChanFact, Position, Range, SelectFact } from '../golang/facts';
import { catalogEntry, simulatedNs, type CatalogEntry } from './catalog';

export interface HoverText {
  /** Markdown. */
  readonly markdown: string;
  /** The source range the text is about (VS Code highlights it). */
  readonly range: Range;
}

/** The hover for a position (0-based line/column, UTF-16), or null when nothing there concerns the scheduler. */
export function hoverAt(facts: Facts, pos: Position): HoverText | null {
  const hit = factAt(facts, pos);
  if (!hit) return null;
  const markdown = describe(hit.fact);
  return markdown ? { markdown, range: hit.range } : null;
}

type Hoverable = CallFact | ChanOpFact | GoStmtFact | SelectFact | MakeChanFact;

/** The innermost fact whose hover range holds the position. */
function factAt(facts: Facts, pos: Position): { fact: Hoverable; range: Range } | null {
  let best: { fact: Hoverable; range: Range } | null = null;
  const consider = (fact: Hoverable, range: Range) => {
    if (!contains(range, pos)) return;
    if (!best || size(range) < size(best.range)) best = { fact, range };
  };
  for (const c of facts.calls) consider(c, c.range);
  for (const s of facts.sends) consider(s, s.range);
  for (const r of facts.recvs) consider(r, r.range);
  for (const c of facts.closes) consider(c, c.range);
  for (const m of facts.makeChans) consider(m, m.range);
  // A go statement and a select span many lines: only their keyword line answers.
  for (const g of facts.goStmts) {
    consider(g, g.goRange);
    if (g.callRange.start.line === g.callRange.end.line) consider(g, g.callRange);
  }
  for (const s of facts.selects) {
    const keyword: Range = { start: s.range.start, end: { line: s.range.start.line, col: s.range.start.col + 'select'.length } };
    consider(s, keyword);
    // A case's channel operation belongs to the select: selectgo decides whether it proceeds.
    for (const c of s.cases) consider(s, c.range);
  }
  return best;
}

function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.col >= r.start.col);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.col <= r.end.col);
  return afterStart && beforeEnd;
}

function size(r: Range): number {
  return (r.end.line - r.start.line) * 1e6 + (r.end.col - r.start.col);
}

/** Nanoseconds as a short duration (250 ns, 20 µs, 1.5 ms, 2 s). */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return 'until it fails (never returns by itself)';
  const fmt = (v: number) => (v >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10));
  if (ns < 1e3) return `${fmt(ns)} ns`;
  if (ns < 1e6) return `${fmt(ns / 1e3)} µs`;
  if (ns < 1e9) return `${fmt(ns / 1e6)} ms`;
  return `${fmt(ns / 1e9)} s`;
}

function describe(f: Fact): string | null {
  switch (f.kind) {
    case 'go-stmt':
      return goText(f);
    case 'send':
    case 'recv':
      return chanOpText(f);
    case 'close':
      return callLike('close', catalogEntry('builtin.close'), [], f);
    case 'select':
      return selectText(f);
    case 'make-chan':
      return makeChanText(f);
    case 'blocking-syscall':
    case 'netio':
    case 'cgo':
    case 'time':
    case 'runtime':
    case 'context':
    case 'sync':
    case 'atomic':
      return callLike(f.callee, catalogEntry(f.catalogId), f.constArgs, f);
    default:
      return null;
  }
}

const where = (p: { inGoroutine: boolean; inLoop: boolean }): string =>
  p.inLoop && p.inGoroutine ? ' Here it runs in a loop inside a goroutine.' : p.inLoop ? ' Here it runs in a loop.' : p.inGoroutine ? ' Here it runs in a goroutine.' : '';

function goText(g: GoStmtFact): string {
  const target = g.funcLiteral ? 'the function literal' : `\`${g.callee}\``;
  return [
    `**\`go\`: a new G is created and queued in this P's runnext**`,
    '',
    `\`newproc\` → \`newproc1\` makes a G for ${target} (a stack of at least 2 KB, reused from the P's free list when possible) ` +
      `and \`runqput(…, next=true)\` puts it in this P's **runnext**: it runs next on this P, and the G that was in ` +
      `runnext moves to the tail of the local run queue. If a P is idle and no M is spinning, \`wakep\` starts an M that ` +
      `can steal it. The caller keeps running; the go statement does not wait for the goroutine.${where(g)}`,
    '',
    `Cost: about ${formatNs(GO_CREATE_NS)} to create; a thread (${formatNs(THREAD_CREATE_NS)}) only if a new M is needed.` +
      (g.catalogId ? `\n\nIt starts \`${g.callee}\`: ${catalogEntry(g.catalogId)?.what ?? ''}` : ''),
  ].join('\n');
}

function chanOpText(c: ChanOpFact): string {
  const type = c.channelType ? ` (\`${c.channelType}\`)` : '';
  if (c.kind === 'send') {
    return [
      `**\`${c.channel} <-\`: send${type} — the G parks if no receiver is waiting and the buffer is full**`,
      '',
      '`chansend`: if a receiver waits, the value is handed to it directly and `goready` puts that G in this P\'s ' +
        '**runnext**; else, if the buffer has room, the value is copied in and the sender goes on; else the G **parks** ' +
        '(`gopark`, wait reason "chan send") in the channel\'s send queue and its M runs the next G (`schedule`). ' +
        `A send on a nil channel parks forever; on a closed channel it panics.${where(c)}`,
      '',
      `Cost: about ${formatNs(CHAN_OP_NS)} without blocking; a park and a wake add two switches (${formatNs(SWITCH_NS)} each).`,
    ].join('\n');
  }
  return [
    `**\`<-${c.channel}\`: receive${type} — the G parks until a value or a close arrives**`,
    '',
    '`chanrecv`: if a sender waits, its value is taken directly (unbuffered) or the oldest buffered value is taken and the ' +
      'sender\'s value moves into the freed slot (full buffer), and the sender is readied into this P\'s **runnext**; if the ' +
      'buffer holds values, the oldest is taken; else the G **parks** (`gopark`, wait reason ' +
      '"chan receive") in the receive queue and its M runs the next G. A closed, drained channel returns the zero value at once.' +
      where(c),
    '',
    `Cost: about ${formatNs(CHAN_OP_NS)} without blocking; a park and a wake add two switches (${formatNs(SWITCH_NS)} each).`,
  ].join('\n');
}

function selectText(s: SelectFact): string {
  if (s.cases.length === 1) {
    // cmd/compile lowers a one-case select without selectgo (walk/select.go).
    const c = s.cases[0]!;
    const op = c.kind === 'send' ? 'send' : 'receive';
    return [
      `**\`select\` with one case${s.hasDefault ? ` and default — a non-blocking ${op}, never blocks` : ` — compiled as a plain channel ${op}`}**`,
      '',
      (s.hasDefault
        ? `The compiler turns it into a non-blocking ${op} (\`selectnb${c.kind === 'send' ? 'send' : 'recv'}\`): if the channel is not ready the ` +
          'default case runs at once; the G never parks.'
        : `The compiler turns it into an ordinary ${op} (no \`selectgo\`): if it blocks, the G parks with wait reason ` +
          `"chan ${op}", not "select".`) + where(s),
      '',
      `Cost: about ${formatNs(CHAN_OP_NS)} without blocking.`,
    ].join('\n');
  }
  if (s.cases.length === 0 && !s.hasDefault) {
    return [
      '**`select {}`: the G parks forever**',
      '',
      '`block()` parks the goroutine with wait reason "select (no cases)"; nothing can ever wake it. If every other ' +
        'goroutine also blocks, `checkdead` reports "all goroutines are asleep - deadlock!".',
    ].join('\n');
  }
  return [
    `**\`select\` over ${s.cases.length} case${s.cases.length === 1 ? '' : 's'}${s.hasDefault ? ' with default — never blocks' : ' — the G parks until one case can proceed'}**`,
    '',
    '`selectgo` locks every channel (in address order), then polls the cases in a random order (so no case is favoured) and ' +
      'takes the first one ready. ' +
      (s.hasDefault
        ? 'With a `default` case it returns at once when none is ready: a non-blocking poll.'
        : 'If none is ready, the G enqueues itself on every channel and **parks** (wait reason "select"); the first ' +
          'channel operation that matches readies it into the waker\'s **runnext**, and it dequeues from the others.') +
      where(s),
    '',
    `Cost: about ${formatNs(CHAN_OP_NS * Math.max(1, s.cases.length))} to poll the cases.`,
  ].join('\n');
}

function makeChanText(m: MakeChanFact): string {
  const cap = m.bufferSize === null ? `capacity \`${m.bufferText}\`` : m.bufferSize === 0 ? 'unbuffered' : `buffered, capacity ${m.bufferSize}`;
  const how =
    m.bufferSize === 0
      ? 'Unbuffered: every send waits for a receiver (a synchronous hand-off, the receiver goes to the sender\'s P runnext or vice versa).'
      : (m.bufferSize === null ? 'If the capacity is above 0: s' : 'S') +
        'ends fill the ring buffer without blocking; a send blocks only when the buffer is full, a receive only when it is empty.';
  return [
    `**\`make(chan ${m.elemType})\`: ${cap}**`,
    '',
    `\`makechan\` allocates the channel (its lock, buffer and the queues of parked senders and receivers; no G, M or P is involved). ${how}`,
  ].join('\n');
}

/** The scheduler-level headline of a call, by catalog kind (and name for the runtime package). */
function headline(e: CatalogEntry): string {
  switch (e.kind) {
    case 'syscall':
    case 'exec-wait':
      return e.entersyscall === false
        ? 'raw system call — the G keeps running and holds its P'
        : 'blocking system call — the M blocks in the kernel; if the call lasts, sysmon retakes the P and hands it off (`entersyscall` → sysmon `retake` → `handoffp`; `exitsyscall` on return)';
    case 'netio':
      return 'network I/O — the G parks in the netpoller, the M and P run other Gs (`netpollblock` → `gopark`; `netpoll` → `injectglist` readies it)';
    case 'cgo':
      return 'cgo call — the M runs C code, the P is handed off if it takes long (`cgocall` → `entersyscall` … `exitsyscall`)';
    case 'sleep':
      return 'sleep — the G parks on a timer, no thread is held (`timeSleep` → `gopark`; the timer fires → `goready` → runnext)';
    case 'timer':
      return 'timer — lives in the P\'s timer heap (`addtimer`; run by `checkTimers` in `findRunnable`, or by a stealing M)';
    case 'clock':
      return 'clock read — no scheduling';
    case 'chan':
      return 'channel close — parked Gs are readied (`closechan` → `goready`)';
    case 'context':
      return 'context — channels and timers underneath';
    case 'sync':
      return e.pkg === 'sync/atomic'
        ? 'atomic operation — never blocks, parks or yields'
        : e.waitReason
          ? 'sync — the G may park on a runtime semaphore (`semacquire1` → `gopark`; `semrelease` → `goready` → runnext)'
          : 'sync — may ready a parked G into this P\'s runnext (`semrelease` → `goready`)';
    case 'runtime':
      return RUNTIME_HEADLINES[e.name] ?? 'runtime call';
  }
}

const RUNTIME_HEADLINES: Record<string, string> = {
  GOMAXPROCS: `sets the number of Ps — stop-the-world (\`stopTheWorldGC\`, ≈ ${formatNs(STW_NS)}) then \`procresize\``,
  Gosched: 'yields — the G goes to the tail of the global run queue (`gosched_m` → `goschedImpl` → `globrunqput`)',
  LockOSThread: 'wires this G to its M (`lockOSThread`: `m.lockedg`, `g.lockedm`) — while it blocks, that M idles and its P is handed off',
  UnlockOSThread: 'unwires the G from its M (`unlockOSThread`)',
  Goexit: 'ends this G after its deferred calls (`goexit1` → `goexit0`)',
  GC: 'runs a garbage collection — stop-the-world at start and end; the caller waits',
  NumGoroutine: 'counts goroutines — no scheduling',
  NumCPU: 'reads the CPU count — no scheduling',
  Exit: 'ends the process at once (`exit_group`) — no deferred calls, other Gs vanish',
  SetMaxThreads: 'sets the M limit (`sched.maxmcount`)',
};

function callLike(callee: string, e: CatalogEntry | undefined, constArgs: readonly (number | null)[], place: { inGoroutine: boolean; inLoop: boolean; via?: string }): string | null {
  if (!e) return null;
  const lines = [`**\`${callee}\`: ${headline(e)}**`, '', e.what + where(place)];
  if (place.via) lines.push('', `Classified ${place.via}.`);
  const facts: string[] = [];
  if (e.syscall) facts.push(`system call: ${e.syscall}`);
  if (e.waitReason) facts.push(`wait reason while blocked: "${e.waitReason}"${e.waitReasonLater ? ` in Go 1.19, ${e.waitReasonLater}` : ''}`);
  const ns = simulatedNs(e, constArgs);
  if (ns > 0 || e.kind === 'sleep') facts.push(`simulated cost: ${formatNs(ns)}`);
  if (e.kind === 'syscall' || e.kind === 'exec-wait' || e.kind === 'cgo') {
    if (e.entersyscall !== false) facts.push(`a new thread if the P is handed off and no M is idle: ${formatNs(THREAD_CREATE_NS)}`);
  }
  if (facts.length > 0) lines.push('', facts.map((s) => `- ${s}`).join('\n'));
  if (e.note) lines.push('', `_${e.note}_`);
  return lines.join('\n');
}
