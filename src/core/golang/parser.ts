// Loading tree-sitter-go (WASM, through web-tree-sitter) once, parsing Go source, and re-parsing
// incrementally after editor changes. See docs/tree-sitter.md for versions and bundling.
//
// The core may not touch the file system (it also runs in a worker and in the webview), so the
// caller hands over the wasm bytes, or a locateFile function the runtime uses to find its own
// wasm: the extension passes paths under dist/, tests read the files from node_modules.
//
// Trees live in wasm memory, which only grows: every tree returned here must be deleted by its
// owner (`tree.delete()`); `reparse` consumes the tree it is given. `GoDocument` does this
// bookkeeping for one open file.

import { Edit, Language, Parser, type Point, type Tree } from 'web-tree-sitter';
import { applyEdit, stamp, treeSerial, type Segment, type TreeHistory } from './history';

export type { Tree } from 'web-tree-sitter';

export interface GoParserWasm {
  /** web-tree-sitter's runtime: its bytes, or a function mapping 'web-tree-sitter.wasm' to a path/URL. */
  readonly runtimeWasm: Uint8Array | ((fileName: string) => string);
  /** The Go grammar (tree-sitter-go.wasm): its bytes, or a path (Node) / URL (browser). */
  readonly goWasm: Uint8Array | string;
}

/** The Go parser could not be set up; the message says what to check. */
export class GoParserLoadError extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = 'GoParserLoadError';
  }
}

interface Loaded {
  readonly parser: Parser;
  readonly language: Language;
}

let loaded: Loaded | null = null;
let loading: Promise<Loaded> | null = null;

/**
 * Loads the tree-sitter runtime and the Go grammar. Safe to call many times: the first call does
 * the work, later calls get the same result. A failed load can be retried.
 */
export function initGoParser(wasm: GoParserWasm): Promise<Language> {
  if (loaded) return Promise.resolve(loaded.language);
  loading ??= load(wasm).then(
    (l) => {
      loaded = l;
      return l;
    },
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading.then((l) => l.language);
}

async function load(wasm: GoParserWasm): Promise<Loaded> {
  // Emscripten prints its own failure lines ("failed to asynchronously prepare wasm", "Aborted(...)");
  // collect them into our error instead of letting them reach the user's console.
  const emscriptenErrors: string[] = [];
  const moduleOptions: Record<string, unknown> = {
    printErr: (line: string) => emscriptenErrors.push(line),
  };
  if (typeof wasm.runtimeWasm === 'function') moduleOptions.locateFile = wasm.runtimeWasm;
  else moduleOptions.wasmBinary = wasm.runtimeWasm;
  try {
    await Parser.init(moduleOptions);
  } catch (e) {
    throw new GoParserLoadError(
      `Could not load the tree-sitter runtime (web-tree-sitter.wasm): ${describe(e, emscriptenErrors)}. ` +
        'The extension ships it in dist/ next to the bundle; rebuild with `npm run build` if it is missing.',
      e,
    );
  }
  let language: Language;
  try {
    language = await Language.load(wasm.goWasm);
  } catch (e) {
    throw new GoParserLoadError(
      `Could not load the Go grammar (tree-sitter-go.wasm): ${describe(e, emscriptenErrors)}. ` +
        'The extension ships it in dist/ next to the bundle; rebuild with `npm run build` if it is missing.',
      e,
    );
  }
  const parser = new Parser();
  try {
    parser.setLanguage(language);
  } catch (e) {
    parser.delete();
    throw new GoParserLoadError(
      `The Go grammar (ABI ${language.abiVersion}) does not match the tree-sitter runtime: ${describe(e, [])}`,
      e,
    );
  }
  return { parser, language };
}

function describe(e: unknown, extra: readonly string[]): string {
  const base = e instanceof Error ? e.message : String(e);
  const more = extra.filter((line) => !base.includes(line));
  return more.length > 0 ? `${base} (${more.join('; ')})` : base;
}

function need(): Loaded {
  if (!loaded) throw new GoParserLoadError('The Go parser is not loaded yet: await initGoParser(...) first.');
  return loaded;
}

/** The Go grammar, once loaded (for building queries). */
export function goLanguage(): Language {
  return need().language;
}

/** True once initGoParser has succeeded. */
export function isGoParserReady(): boolean {
  return loaded !== null;
}

// The text each live tree was parsed from: facts need it, and reparse needs the old text to turn
// offsets into the row/column points tree.edit wants.
const sources = new WeakMap<Tree, string>();

/** The source text a tree from parseGo/reparse was parsed from. */
export function sourceOf(tree: Tree): string | undefined {
  return sources.get(tree);
}

/** Parses a whole Go file. The caller owns the tree and must delete it. */
export function parseGo(text: string): Tree {
  const tree = need().parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree (parser has no language)');
  sources.set(tree, text);
  stamp(tree);
  return tree;
}

/** A change as VS Code reports it (TextDocumentContentChangeEvent): UTF-16 offsets into the text before it. */
export interface TextEdit {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/**
 * Re-parses after edits, reusing the unchanged parts of `oldTree`. The edits are applied in order,
 * each relative to the text the previous one produced — how VS Code lists the changes of one event.
 * `oldTree` is consumed (edited, then deleted); the caller owns the returned tree.
 *
 * If the edits do not turn the old text into `newText` (or the old text is unknown) this falls back
 * to a full parse, so a lost event costs time, never correctness.
 */
export function reparse(oldTree: Tree, newText: string, edits: readonly TextEdit[]): Tree {
  const { parser } = need();
  const text = sources.get(oldTree);
  let usable = text !== undefined;
  // Where the edits changed the text, in the new text's offsets.
  let segments: Segment[] = [];
  if (text !== undefined) {
    let length = text.length;
    // The text after each edit, as pieces of the old text and the inserted strings: checked against
    // newText piece by piece (no concatenated copy of the whole document per keystroke).
    let pieces: (string | { from: number; to: number })[] = [{ from: 0, to: text.length }];
    for (const e of edits) {
      if (e.rangeOffset < 0 || e.rangeLength < 0 || e.rangeOffset + e.rangeLength > length) {
        usable = false;
        break;
      }
      const startIndex = e.rangeOffset;
      const oldEndIndex = e.rangeOffset + e.rangeLength;
      const newEndIndex = startIndex + e.text.length;
      const startPosition = pointAtPieces(pieces, text, startIndex);
      const oldEndPosition = oldEndIndex === startIndex ? startPosition : advance(startPosition, piecesText(pieces, text, startIndex, oldEndIndex));
      const newEndPosition = advance(startPosition, e.text);
      oldTree.edit(new Edit({ startIndex, oldEndIndex, newEndIndex, startPosition, oldEndPosition, newEndPosition }));
      const d = newEndIndex - oldEndIndex;
      segments = applyEdit(segments, startIndex, oldEndIndex, newEndIndex, d);
      pieces = splice(pieces, startIndex, oldEndIndex, e.text);
      length += d;
    }
    if (usable && !matches(pieces, text, newText)) usable = false;
  }
  const tree = parser.parse(newText, usable ? oldTree : null);
  if (!tree) {
    oldTree.delete();
    throw new Error('tree-sitter returned no tree (parser has no language)');
  }
  const from = treeSerial(oldTree);
  let history: TreeHistory | undefined;
  if (usable && from !== undefined) {
    // Ranges whose syntax changed are differences too (an unclosed brace re-parses what follows).
    for (const r of oldTree.getChangedRanges(tree)) segments = applyEdit(segments, r.startIndex, r.endIndex, r.endIndex, 0);
    history = { from, segments };
  }
  sources.set(tree, newText);
  stamp(tree, history, oldTree);
  oldTree.delete();
  return tree;
}

type Piece = string | { from: number; to: number };

const pieceLength = (p: Piece): number => (typeof p === 'string' ? p.length : p.to - p.from);

/** The pieces with [start, end) (offsets into the text they make up) replaced by `insert`. */
function splice(pieces: Piece[], start: number, end: number, insert: string): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  let placed = false;
  for (const p of pieces) {
    const n = pieceLength(p);
    const a = at;
    const b = at + n;
    at = b;
    if (b <= start || a >= end) {
      if (a >= end && !placed) { if (insert) out.push(insert); placed = true; }
      out.push(p);
      continue;
    }
    // Keep the parts of p outside [start, end).
    const keepHead = Math.max(0, start - a);
    const keepTail = Math.max(0, b - end);
    if (keepHead > 0) out.push(typeof p === 'string' ? p.slice(0, keepHead) : { from: p.from, to: p.from + keepHead });
    if (!placed) { if (insert) out.push(insert); placed = true; }
    if (keepTail > 0) out.push(typeof p === 'string' ? p.slice(n - keepTail) : { from: p.to - keepTail, to: p.to });
  }
  if (!placed && insert) out.push(insert);
  return out;
}

/** Whether the pieces spell exactly `target`. */
function matches(pieces: Piece[], text: string, target: string): boolean {
  let at = 0;
  for (const p of pieces) {
    if (typeof p === 'string') {
      if (!target.startsWith(p, at)) return false;
      at += p.length;
    } else {
      const n = p.to - p.from;
      // A slice of a flat string is a view, not a copy; startsWith compares in place.
      if (n > 0 && !target.startsWith(text.slice(p.from, p.to), at)) return false;
      at += n;
    }
  }
  return at === target.length;
}

/** The text the pieces make up, from offset a to b. */
function piecesText(pieces: Piece[], text: string, a: number, b: number): string {
  let out = '';
  let at = 0;
  for (const p of pieces) {
    const n = pieceLength(p);
    const from = Math.max(a, at);
    const to = Math.min(b, at + n);
    if (from < to) out += typeof p === 'string' ? p.slice(from - at, to - at) : text.slice(p.from + from - at, p.from + to - at);
    at += n;
    if (at >= b) break;
  }
  return out;
}

/** Row/column of an offset into the text the pieces make up. */
function pointAtPieces(pieces: Piece[], text: string, offset: number): Point {
  let row = 0;
  let column = 0;
  let at = 0;
  for (const p of pieces) {
    if (at >= offset) break;
    const n = pieceLength(p);
    const take = Math.min(n, offset - at);
    const s = typeof p === 'string' ? p : text;
    const base = typeof p === 'string' ? 0 : p.from;
    let lastNl = -1;
    for (let i = s.indexOf('\n', base); i !== -1 && i < base + take; i = s.indexOf('\n', i + 1)) {
      row++;
      lastNl = i;
    }
    column = lastNl === -1 ? column + take : base + take - lastNl - 1;
    at += take;
  }
  return { row, column };
}

function advance(start: Point, inserted: string): Point {
  const last = inserted.lastIndexOf('\n');
  if (last === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - last - 1 };
}

/**
 * One open Go file: its current text and tree, updated incrementally. `dispose()` frees the tree.
 */
export class GoDocument {
  private current: Tree;
  private currentText: string;

  constructor(text: string) {
    this.currentText = text;
    this.current = parseGo(text);
  }

  get tree(): Tree {
    return this.current;
  }

  get text(): string {
    return this.currentText;
  }

  /** Applies one change event (its edits in VS Code's order) that produced `newText`. */
  update(newText: string, edits: readonly TextEdit[]): Tree {
    this.current = reparse(this.current, newText, edits);
    this.currentText = newText;
    return this.current;
  }

  /** Replaces the whole text (full parse). */
  replace(newText: string): Tree {
    const tree = parseGo(newText);
    this.current.delete();
    this.current = tree;
    this.currentText = newText;
    return tree;
  }

  dispose(): void {
    this.current.delete();
  }
}
