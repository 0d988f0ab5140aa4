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
  let text = sources.get(oldTree);
  let usable = text !== undefined;
  if (text !== undefined) {
    for (const e of edits) {
      if (e.rangeOffset < 0 || e.rangeLength < 0 || e.rangeOffset + e.rangeLength > text.length) {
        usable = false;
        break;
      }
      const startIndex = e.rangeOffset;
      const oldEndIndex = e.rangeOffset + e.rangeLength;
      const startPosition = pointAt(text, startIndex);
      const oldEndPosition = pointAt(text, oldEndIndex, startIndex, startPosition);
      const newEndPosition = advance(startPosition, e.text);
      oldTree.edit(
        new Edit({ startIndex, oldEndIndex, newEndIndex: startIndex + e.text.length, startPosition, oldEndPosition, newEndPosition }),
      );
      text = text.slice(0, startIndex) + e.text + text.slice(oldEndIndex);
    }
    if (text !== newText) usable = false;
  }
  const tree = parser.parse(newText, usable ? oldTree : null);
  oldTree.delete();
  if (!tree) throw new Error('tree-sitter returned no tree (parser has no language)');
  sources.set(tree, newText);
  return tree;
}

/** Row/column (UTF-16 code units, rows split on '\n' as tree-sitter does) of an offset. */
function pointAt(text: string, offset: number, fromOffset = 0, from: Point = { row: 0, column: 0 }): Point {
  let row = from.row;
  let lineStart = fromOffset - from.column;
  for (let i = text.indexOf('\n', fromOffset); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
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
