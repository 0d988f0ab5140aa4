// Every message between the extension host and the panel webview, and the panel's persisted
// state. Imports nothing: both sides (a Node bundle and a browser bundle) compile it alone.
//
// Rules: the webview posts `ready` first and the host posts nothing before it; every message the
// host receives goes through `parseFromWebview` (a webview is untrusted input); every tag is
// handled, which `Handlers<…>` enforces at compile time.

/** Bumped whenever a message shape changes; a webview restored from an older build says `ready` with its version. */
export const PROTOCOL_VERSION = 1;

/**
 * The event log as it crosses the boundary: the columns of `EventLog.toJSON()` (structurally the
 * same as `SerializedLog` in src/core/trace/events.ts; a unit test asserts the two agree). Typed
 * arrays survive `postMessage` without copying into JSON.
 */
export interface WireLog {
  length: number;
  t: Float64Array;
  kind: Uint8Array;
  g: Int32Array;
  m: Int32Array;
  p: Int32Array;
  a: Int32Array;
  b: Int32Array;
  site: Int32Array;
  strings: string[];
  sites: WireSite[];
}

export interface WireSite {
  file?: string;
  line: number;
  col?: number;
  endLine?: number;
  endCol?: number;
  text?: string;
  func?: string;
}

/** The settings a run used (what the panel's selectors show). */
export interface RunConfig {
  gomaxprocs: number;
  seed: number;
  /** Go minor version, 19 … 26. */
  goVersion: number;
  asyncPreemption: boolean;
}

/** How the program ended, in the runtime's words (SimExit). */
export interface WireExit {
  reason: 'main-returned' | 'deadlock' | 'panic' | 'os-exit' | 'goexit-deadlock' | 'hang' | 'thread-exhaustion' | 'budget' | 'error';
  code: number;
  message: string;
  g: number;
  timeNs: number;
}

/** A goroutine alive at the end, with its state in the runtime's words ("chan receive", "running"…). */
export interface WireGoroutine {
  id: number;
  state: string;
  line?: number;
  createdLine?: number;
}

export interface SimulationData {
  runId: number;
  /** The simulated file: URI string (for revealLine) and a display name. */
  fileUri: string;
  fileName: string;
  /** The file's lines, so the panel can quote the line a G is at. */
  sourceLines: string[];
  config: RunConfig;
  log: WireLog;
  exit: WireExit;
  goroutines: WireGoroutine[];
  /** Approximations and unsupported constructs, `line: message`: shown with the Assumptions. */
  notes: string[];
  /** The log was cut at the event budget (the run itself still ended with `exit`). */
  truncated: boolean;
  /** Host milliseconds the simulation took. */
  wallMs: number;
  /**
   * Events still to come in `logChunk` messages: a large log is sent in parts so the extension
   * host never blocks on one huge postMessage. The whole log has `log.length + pendingEvents`
   * events; `log.strings` and `log.sites` are already complete. Absent or 0: `log` is the whole log.
   */
  pendingEvents?: number;
}

// ── host → webview ──────────────────────────────────────────────────────────

/** A simulation is being computed for this file (the panel shows it is busy). */
export interface RunningMessage { type: 'running'; runId: number; fileName: string; config: RunConfig }
/** A finished simulation: the panel replaces what it shows. */
export interface SimulationMessage { type: 'simulation'; data: SimulationData }
/** The run failed before producing a log (parse failure, cancelled, worker crash): plain words. */
export interface RunFailedMessage { type: 'runFailed'; runId: number; message: string }
/** The editor cursor is on this line of the simulated file (highlight the Gs a `go` there created). */
export interface CursorMessage { type: 'cursor'; fileUri: string; line: number }

/**
 * The next part of a large run's log, after a `simulation` whose data has `pendingEvents` > 0:
 * events `offset … offset + length - 1`, in order, for run `runId`; `last` on the final part.
 */
export interface LogChunkMessage extends Pick<WireLog, 't' | 'kind' | 'g' | 'm' | 'p' | 'a' | 'b' | 'site'> {
  type: 'logChunk';
  runId: number;
  offset: number;
  length: number;
  last: boolean;
}

export type ToWebview = RunningMessage | SimulationMessage | RunFailedMessage | CursorMessage | LogChunkMessage;

/** Copies of the log's columns for events [from, to): copies, because a view would make VS Code send its whole buffer. */
export function copyLogColumns(log: WireLog, from: number, to: number) {
  const end = Math.min(to, log.length);
  return {
    length: Math.max(0, end - from),
    t: log.t.slice(from, end),
    kind: log.kind.slice(from, end),
    g: log.g.slice(from, end),
    m: log.m.slice(from, end),
    p: log.p.slice(from, end),
    a: log.a.slice(from, end),
    b: log.b.slice(from, end),
    site: log.site.slice(from, end),
  };
}

/**
 * The messages that carry a run: one `simulation` if the log has at most `partEvents` events,
 * else a `simulation` with the first part and `pendingEvents`, then `logChunk`s (the host posts
 * each after the previous one was delivered).
 */
export function* simulationParts(data: SimulationData, partEvents: number): Generator<SimulationMessage | LogChunkMessage> {
  const total = data.log.length;
  if (total <= partEvents) {
    yield { type: 'simulation', data };
    return;
  }
  yield { type: 'simulation', data: { ...data, log: { ...data.log, ...copyLogColumns(data.log, 0, partEvents) }, pendingEvents: total - partEvents } };
  for (let offset = partEvents; offset < total; offset += partEvents) {
    const end = Math.min(total, offset + partEvents);
    yield { type: 'logChunk', runId: data.runId, offset, ...copyLogColumns(data.log, offset, end), last: end === total };
  }
}

/**
 * The webview's side of `simulationParts`: `start` with the `simulation` message's data, `add`
 * every `logChunk`; each returns the whole run once the last part is in (null until then, and for
 * parts of another run or out of order, which are dropped).
 */
export class LogAssembler {
  private data: SimulationData | null = null;
  private cols: Pick<WireLog, 't' | 'kind' | 'g' | 'm' | 'p' | 'a' | 'b' | 'site'> | null = null;
  private filled = 0;

  start(data: SimulationData): SimulationData | null {
    const pending = data.pendingEvents ?? 0;
    if (pending <= 0) {
      this.data = null;
      return data;
    }
    const n = data.log.length + pending;
    const l = data.log;
    this.cols = {
      t: grow(Float64Array, l.t, n) as Float64Array, kind: grow(Uint8Array, l.kind, n) as Uint8Array,
      g: grow(Int32Array, l.g, n) as Int32Array, m: grow(Int32Array, l.m, n) as Int32Array, p: grow(Int32Array, l.p, n) as Int32Array,
      a: grow(Int32Array, l.a, n) as Int32Array, b: grow(Int32Array, l.b, n) as Int32Array, site: grow(Int32Array, l.site, n) as Int32Array,
    };
    this.data = data;
    this.filled = l.length;
    return null;
  }

  add(chunk: LogChunkMessage): SimulationData | null {
    const d = this.data;
    const c = this.cols;
    if (!d || !c || chunk.runId !== d.runId || chunk.offset !== this.filled) return null;
    const total = d.log.length + (d.pendingEvents ?? 0);
    if (chunk.offset + chunk.length > total) return null;
    for (const k of ['t', 'kind', 'g', 'm', 'p', 'a', 'b', 'site'] as const) (c[k] as Int32Array).set(chunk[k] as Int32Array, chunk.offset);
    this.filled += chunk.length;
    if (!chunk.last) return null;
    this.data = null;
    this.cols = null;
    if (this.filled !== total) return null;
    const { pendingEvents: _done, ...rest } = d;
    return { ...rest, log: { ...d.log, ...c, length: total } };
  }
}

function grow<A extends Float64Array | Uint8Array | Int32Array>(Ctor: { new (n: number): A }, first: A, n: number): A {
  const out = new Ctor(n);
  (out as Float64Array).set(first as Float64Array);
  return out;
}

// ── webview → host ──────────────────────────────────────────────────────────

/**
 * The webview is loaded and listening (the host posts nothing before this). `chunkedLog`: it
 * assembles a large log sent as a `simulation` with `pendingEvents` followed by `logChunk` parts;
 * without it the host sends every log in one message.
 */
export interface ReadyMessage { type: 'ready'; version: number; chunkedLog?: boolean }
/** Show this line of the simulated file in the editor (a G or an event was selected). 1-based line. */
export interface RevealLineMessage { type: 'revealLine'; fileUri: string; line: number }
/** Simulate the same file again with other settings (GOMAXPROCS / seed selectors). */
export interface RerunMessage { type: 'rerun'; gomaxprocs?: number; seed?: number }
/** Export the shown run as a Chrome/Perfetto trace. */
export interface ExportTraceMessage { type: 'exportTrace' }
/** Something went wrong inside the webview: the host writes it to its log channel. */
export interface WebviewErrorMessage { type: 'webviewError'; message: string }

export type FromWebview = ReadyMessage | RevealLineMessage | RerunMessage | ExportTraceMessage | WebviewErrorMessage;

/** A handler for every tag of a union: adding a message without handling it fails to compile. */
export type Handlers<U extends { type: string }> = { [K in U['type']]: (msg: Extract<U, { type: K }>) => void };

export function dispatch<U extends { type: string }>(handlers: Handlers<U>, msg: U): void {
  (handlers[msg.type as U['type']] as (m: U) => void)(msg);
}

// ── persisted panel state (webview setState ⇄ WebviewPanelSerializer) ───────

export interface PanelState {
  version: number;
  /** The file the panel showed: the host re-simulates it after a reload. */
  fileUri: string;
  config?: Partial<RunConfig>;
  /** Playhead as an event index. */
  eventIndex: number;
  speed: number;
  selectedG: number | null;
}

// ── validation ──────────────────────────────────────────────────────────────

export const LIMITS = { maxProcs: 256, maxSeed: 2 ** 31 - 1, maxLine: 10_000_000, maxText: 10_000, maxUri: 4_096 } as const;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;
const isStr = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;

/** A message from the webview, checked field by field; `null` for anything malformed (which the host logs and drops). */
export function parseFromWebview(x: unknown): FromWebview | null {
  if (!isObj(x) || typeof x.type !== 'string') return null;
  switch (x.type) {
    case 'ready':
      if (!isInt(x.version, 0, 1_000)) return null;
      return x.chunkedLog === true ? { type: 'ready', version: x.version, chunkedLog: true } : { type: 'ready', version: x.version };
    case 'revealLine':
      return isStr(x.fileUri, LIMITS.maxUri) && isInt(x.line, 1, LIMITS.maxLine)
        ? { type: 'revealLine', fileUri: x.fileUri, line: x.line } : null;
    case 'rerun': {
      const out: RerunMessage = { type: 'rerun' };
      if (x.gomaxprocs !== undefined) { if (!isInt(x.gomaxprocs, 1, LIMITS.maxProcs)) return null; out.gomaxprocs = x.gomaxprocs; }
      if (x.seed !== undefined) { if (!isInt(x.seed, 0, LIMITS.maxSeed)) return null; out.seed = x.seed; }
      return out;
    }
    case 'exportTrace':
      return { type: 'exportTrace' };
    case 'webviewError':
      return isStr(x.message, LIMITS.maxText) ? { type: 'webviewError', message: x.message } : null;
    default:
      return null;
  }
}

/** The persisted state handed to the serializer, checked; `null` if it is not one of ours. */
export function parsePanelState(x: unknown): PanelState | null {
  if (!isObj(x) || !isInt(x.version, 0, 1_000) || !isStr(x.fileUri, LIMITS.maxUri) || x.fileUri === '') return null;
  const state: PanelState = {
    version: x.version,
    fileUri: x.fileUri,
    eventIndex: isInt(x.eventIndex, 0, 2 ** 32) ? x.eventIndex : 0,
    speed: typeof x.speed === 'number' && Number.isFinite(x.speed) && x.speed > 0 && x.speed <= 1e9 ? x.speed : 1,
    selectedG: isInt(x.selectedG, 0, 2 ** 31) ? x.selectedG : null,
  };
  if (isObj(x.config)) {
    const c: Partial<RunConfig> = {};
    if (isInt(x.config.gomaxprocs, 1, LIMITS.maxProcs)) c.gomaxprocs = x.config.gomaxprocs;
    if (isInt(x.config.seed, 0, LIMITS.maxSeed)) c.seed = x.config.seed;
    state.config = c;
  }
  return state;
}
