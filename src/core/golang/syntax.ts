// A compact JavaScript copy of the tree-sitter tree, built with one TreeCursor walk.
//
// Why a copy: every node property read from web-tree-sitter crosses into wasm (each through a
// transfer buffer, ~0.2 µs a call here), so an analysis that looks at a node several times pays that
// again and again. One walk reads each node's type, field and offsets once (about 4 calls per named
// node, 2 per anonymous one: ~5 ms per 1 000 lines); everything after it is plain JS. A query over
// the whole tree costs about the same per captured node and still leaves the navigation to do.
//
// Incremental: top-level declarations whose text did not change are reused from the previous build
// (a `SyntaxCache`), so after a one-line edit only the edited declaration is walked again.
//
// What is kept: named nodes (with their field name and UTF-16 offsets) and, per node, the types of
// its anonymous children in order (`tokens`: operators such as '<-', '+=', '++', 'chan'). Not kept:
// comments (except top-level ones, for the cgo preamble) and the insides of literals. ERROR nodes
// are kept without children, and their ranges listed, so analyses skip the broken region and go on.

import type { Language, Tree, TreeCursor } from 'web-tree-sitter';
import { historyFrom, treeSerial, untouchedOrigin, type TreeHistory } from './history';

export interface SyntaxNode {
  readonly type: string;
  /** Field name in the parent (`function`, `arguments`, `left`…), or null. */
  readonly field: string | null;
  /**
   * UTF-16 offsets into the source text. Mutable only so a cached subtree can be shifted. Under a
   * function body built with `lazyShift`, read them only after `settle(body)`.
   */
  start: number;
  end: number;
  readonly children: SyntaxNode[];
  /** Anonymous children's types, in order ('<-', 'chan', '+='…); null when there are none. */
  readonly tokens: string[] | null;
  /**
   * The subtree contains a node an analysis starts from (a call, a go statement, a channel operation,
   * a loop, a declaration — see STARTS): analyses skip subtrees without one, which are most of them.
   */
  hot: boolean;
  /** A shift not yet applied to this node's descendants (see settle). */
  pendingShift: number;
}

export interface SyntaxError {
  readonly start: number;
  readonly end: number;
  /** true for a token the parser assumed (MISSING), false for an ERROR region it skipped. */
  readonly missing: boolean;
}

export interface Syntax {
  readonly root: SyntaxNode;
  readonly text: string;
  readonly lines: LineIndex;
  readonly errors: readonly SyntaxError[];
  /**
   * Per top-level node (aligned with root.children): the key its text was cached under, or null
   * (no cache, or the subtree has parse errors and is rebuilt every time).
   */
  readonly keys: readonly (number | null)[];
  /** Walk statistics: nodes copied from the wasm tree vs top-level subtrees reused from the cache. */
  readonly stats: { readonly walked: number; readonly reused: number };
}

/** UTF-16 offset → 0-based line/column, with lines split on '\n' (as tree-sitter and VS Code do). */
export class LineIndex {
  private readonly starts: number[];

  constructor(text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  line(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(offset: number): { line: number; col: number } {
    const line = this.line(offset);
    return { line, col: offset - this.starts[line] };
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

interface LanguageTables {
  readonly types: readonly string[];
  readonly named: readonly boolean[];
  readonly fields: readonly (string | null)[];
  /** Per type id: 0 = keep and descend, 1 = keep as a leaf (literals), 2 = drop (comments), 3 = ERROR. */
  readonly mode: Uint8Array;
  /** Per type id: 1 when analyses start from this node type (STARTS). */
  readonly starts: Uint8Array;
}

/** Node types the analyses start from; their ancestors are marked `hot`. */
const STARTS = new Set([
  'call_expression',
  'go_statement',
  'send_statement',
  'unary_expression',
  'receive_statement',
  'select_statement',
  'for_statement',
  'func_literal',
  'short_var_declaration',
  'var_declaration',
  'const_declaration',
  'type_declaration',
  'function_declaration',
  'method_declaration',
]);

const tables = new WeakMap<Language, LanguageTables>();

const LEAF_TYPES = new Set([
  'interpreted_string_literal',
  'raw_string_literal',
  'rune_literal',
  'int_literal',
  'float_literal',
  'imaginary_literal',
]);

function tablesFor(language: Language): LanguageTables {
  let t = tables.get(language);
  if (!t) {
    const count = language.nodeTypeCount;
    const types: string[] = [];
    const named: boolean[] = [];
    const mode = new Uint8Array(count + 1);
    const starts = new Uint8Array(count + 1);
    for (let id = 0; id < count; id++) {
      // Internalised (as a property key) so the analyses' `node.type === 'call_expression'` tests
      // compare pointers instead of characters.
      const name = Object.keys({ [language.nodeTypeForId(id) ?? 'ERROR']: 0 })[0];
      types.push(name);
      named.push(language.nodeTypeIsNamed(id));
      mode[id] = name === 'comment' ? 2 : name === 'ERROR' ? 3 : LEAF_TYPES.has(name) ? 1 : 0;
      starts[id] = STARTS.has(name) && language.nodeTypeIsNamed(id) ? 1 : 0;
    }
    // ts_builtin_sym_error (65535) is the ERROR symbol; it is outside the types table.
    const fields = language.fields.map((f) => (f === null ? null : Object.keys({ [f]: 0 })[0]));
    t = { types, named, fields, mode, starts };
    tables.set(language, t);
  }
  return t;
}

const ERROR_SYMBOL = 65535;

/**
 * Reuses unchanged top-level declarations between builds of the same document. Keyed by a 53-bit
 * hash of the declaration's text, with its type and length checked on a hit (not by the text itself:
 * a slice would keep every old version of the document alive).
 */
export class SyntaxCache {
  /** key → subtrees (several when the same declaration text occurs more than once). */
  pool = new Map<number, SyntaxNode[]>();
  /**
   * The last build's clean top-level subtrees by start offset, and the serial of its tree: when the
   * next tree was re-parsed from that one (parser.ts's reparse), declarations outside the edits and
   * tree-sitter's changed ranges are taken from here by position, without hashing their text.
   */
  byStart = new Map<number, SyntaxNode>();
  serial: number | undefined = undefined;
  /** The last build's top level (children, keys, errors), for re-scanning only where the text changed. */
  last: { children: SyntaxNode[]; keys: (number | null)[]; errors: SyntaxError[] } | null = null;
  /** The text hash each pooled subtree was cached under. */
  readonly keys = new WeakMap<SyntaxNode, number>();
}

export interface BuildOptions {
  /**
   * Reused function declarations moved by an edit above them get their bodies' descendants shifted
   * only when someone calls `settle(body)` (a body whose facts are cached is never read again).
   */
  readonly lazyShift?: boolean;
}

/**
 * Copies the tree into JS objects. `text` must be the text the tree was parsed from.
 */
export function buildSyntax(tree: Tree, text: string, cache?: SyntaxCache, opts: BuildOptions = {}): Syntax {
  const t = tablesFor(tree.language);
  const errors: SyntaxError[] = [];
  const cursor = tree.walk();
  let walked = 0;
  let reused = 0;
  const rootChildren: SyntaxNode[] = [];
  const rootTokens: string[] = [];
  const root: SyntaxNode = { type: 'source_file', field: null, start: 0, end: text.length, children: rootChildren, tokens: null, hot: true, pendingShift: 0 };
  const nextPool = new Map<number, SyntaxNode[]>();
  const nextByStart = new Map<number, SyntaxNode>();
  const keys: (number | null)[] = [];
  // Re-parsed from the tree of the last build: unchanged declarations are found by position, and
  // tree-sitter reused them, so they are as clean as when they were cached.
  const history = cache ? historyFrom(tree, cache.serial) : undefined;
  const treeHasError = cache !== undefined && !history && tree.rootNode.hasError;
  /** Copies (or reuses) the top-level node under the cursor. */
  const visitTop = (cursor: TreeCursor): void => {
        const typeId = cursor.nodeTypeId;
        const named = typeId !== ERROR_SYMBOL && t.named[typeId];
        if (!named && typeId !== ERROR_SYMBOL) {
          rootTokens.push(t.types[typeId]);
          return;
        }
        const start = cursor.startIndex;
        const end = cursor.endIndex;
        const mode = typeId === ERROR_SYMBOL ? 3 : t.mode[typeId];
        if (mode === 2) {
          // Top-level comments are kept (the cgo preamble is the comment before import "C").
          rootChildren.push({ type: 'comment', field: null, start, end, children: [], tokens: null, hot: false, pendingShift: 0 });
          keys.push(null);
          return;
        }
        if (mode === 3 || start === end) {
          errors.push({ start, end, missing: start === end });
          if (mode === 3) {
            rootChildren.push({ type: 'ERROR', field: null, start, end, children: [], tokens: null, hot: false, pendingShift: 0 });
            keys.push(null);
          }
          return;
        }
        let key = 0;
        let hit: SyntaxNode | undefined;
        if (cache && history) {
          const origin = untouchedOrigin(history, start, end);
          if (origin !== null) {
            const old = cache.byStart.get(origin);
            if (old && old.type === t.types[typeId] && old.end - old.start === end - start) {
              hit = old;
              key = cache.keys.get(old) ?? hashText(text, start, end);
            }
          }
          if (!hit) key = hashText(text, start, end);
        } else if (cache) {
          key = hashText(text, start, end);
          // The same text can parse differently next to an error (a MISSING token inserted inside it):
          // reuse only subtrees that are clean now, as they were when cached.
          hit = !(treeHasError && cursor.currentNode.hasError) ? takeFromPool(cache.pool, key, t.types[typeId], end - start) : undefined;
        }
        if (hit) {
          keep(hit, start, key);
          return;
        }
        const before = errors.length;
        const { node, count } = walkSubtree(cursor, t, errors, typeId);
        walked += count;
        rootChildren.push(node);
        const clean = cache !== undefined && errors.length === before;
        keys.push(clean ? key : null);
        if (clean) {
          addToPool(nextPool, key, node);
          nextByStart.set(start, node);
          cache.keys.set(node, key);
        }
  };
  /** Takes a cached clean declaration (or, with key null, a comment), moved to `start`. */
  const keep = (hit: SyntaxNode, start: number, key: number | null): void => {
    if (key === null) {
      hit.end += start - hit.start;
      hit.start = start;
      rootChildren.push(hit);
      keys.push(null);
      return;
    }
    if (opts.lazyShift) {
      if (hit.start !== start) shiftLazily(hit, start - hit.start);
    } else {
      if (hit.start !== start) shift(hit, start - hit.start);
      // A body left unsettled by an earlier lazy build of this cache is settled now.
      for (const c of hit.children) settle(c);
    }
    rootChildren.push(hit);
    keys.push(key);
    addToPool(nextPool, key, hit);
    nextByStart.set(start, hit);
    cache!.keys.set(hit, key);
    reused++;
  };
  try {
    if (history && cache?.last) {
      rescanChanged(tree, history, cache.last, visitTop, keep);
    } else if (cursor.gotoFirstChild()) {
      do visitTop(cursor);
      while (cursor.gotoNextSibling());
    }
  } finally {
    cursor.delete();
  }
  if (cache) {
    cache.pool = nextPool;
    cache.byStart = nextByStart;
    cache.serial = treeSerial(tree);
    cache.last = { children: rootChildren, keys, errors };
  }
  if (rootTokens.length > 0) (root as { tokens: string[] | null }).tokens = rootTokens;
  return { root, text, lines: new LineIndex(text), errors, keys, stats: { walked, reused } };
}

/**
 * The top level after a re-parse, visiting only where something changed: the last build's clean
 * declarations (and comments) that no edit or changed range touches are kept in order, moved by
 * the edits before them; each stretch between two kept ones that held an edit, a changed range, an
 * error or an unclean declaration is read from the tree again. A top level of 800 declarations is
 * not walked node by node into wasm for a one-character edit.
 */
function rescanChanged(
  tree: Tree,
  history: TreeHistory,
  last: { children: SyntaxNode[]; keys: (number | null)[]; errors: SyntaxError[] },
  visit: (cursor: TreeCursor) => void,
  keep: (node: SyntaxNode, start: number, key: number | null) => void,
): void {
  // The segments in the old text's offsets.
  const old: { lo: number; hi: number; before: number }[] = [];
  let cum = 0;
  for (const s of history.segments) {
    old.push({ lo: s.lo - cum, hi: s.hi - s.delta - cum, before: cum });
    cum += s.delta;
  }
  const total = cum;
  let gapStart = 0; // in the new text
  let dirty = false;
  let seg = 0;
  let err = 0;
  const scan = (from: number, to: number): void => {
    // From one before: a zero-width (MISSING) node right at `from` must be seen too. (Node's
    // firstChildForIndex, not the cursor's, which does not find children in web-tree-sitter 0.27.)
    for (let node = tree.rootNode.firstChildForIndex(Math.max(0, from - 1)); node; node = node.nextSibling) {
      if (node.startIndex >= to) break;
      if (node.endIndex <= from && node.startIndex < from) continue;
      const cursor = node.walk();
      try {
        visit(cursor);
      } finally {
        cursor.delete();
      }
    }
  };
  for (let i = 0; i < last.children.length; i++) {
    const n = last.children[i]!;
    const key = last.keys[i] ?? null;
    // Segments wholly before this node move it; one that overlaps it (or touches it) dirties it.
    while (seg < old.length && old[seg]!.hi < n.start) { dirty = true; seg++; }
    const shiftBy = seg < old.length ? old[seg]!.before : total;
    const touched = seg < old.length && old[seg]!.lo <= n.end;
    while (err < last.errors.length && last.errors[err]!.start <= n.end) { dirty = true; err++; }
    const keepable = !touched && (n.type === 'comment' || key !== null);
    if (!keepable) { dirty = true; continue; }
    const start = n.start + shiftBy;
    if (dirty) scan(gapStart, start);
    dirty = false;
    gapStart = n.end + shiftBy;
    keep(n, start, n.type === 'comment' ? null : key);
  }
  if (seg < old.length || err < last.errors.length) dirty = true;
  if (dirty || last.children.length === 0) scan(gapStart, Infinity);
}

/**
 * Copies the subtree under the cursor (which is left where it started). Iterative, so deep
 * expression chains (long `a + b + …` concatenations) cannot overflow the JS stack.
 */
function walkSubtree(
  cursor: TreeCursor,
  t: LanguageTables,
  errors: SyntaxError[],
  topTypeId: number,
): { node: SyntaxNode; count: number } {
  const top = makeNode(cursor, t, topTypeId);
  if (t.starts[topTypeId]) top.hot = true;
  let count = 1;
  if (t.mode[topTypeId] !== 0 || !cursor.gotoFirstChild()) return { node: top, count };
  const stack: SyntaxNode[] = [top];
  for (;;) {
    const parent = stack[stack.length - 1];
    const typeId = cursor.nodeTypeId;
    let descended = false;
    if (typeId === ERROR_SYMBOL) {
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      errors.push({ start, end, missing: false });
      parent.children.push({ type: 'ERROR', field: cursor.currentFieldName, start, end, children: [], tokens: null, hot: false, pendingShift: 0 });
      count++;
    } else if (!t.named[typeId]) {
      ((parent as { tokens: string[] | null }).tokens ??= []).push(t.types[typeId]);
    } else if (t.mode[typeId] !== 2) {
      const node = makeNode(cursor, t, typeId);
      count++;
      if (node.start === node.end) {
        // A zero-width named node is one the parser invented to recover (MISSING identifier…).
        errors.push({ start: node.start, end: node.end, missing: true });
      } else {
        parent.children.push(node);
        if (t.starts[typeId]) {
          // Mark the path up to the top (stopping where an ancestor is already marked).
          node.hot = true;
          for (let i = stack.length - 1; i >= 0 && !stack[i].hot; i--) stack[i].hot = true;
        }
        if (t.mode[typeId] === 0 && cursor.gotoFirstChild()) {
          stack.push(node);
          descended = true;
        }
      }
    }
    if (descended) continue;
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      stack.pop();
      if (stack.length === 0) return { node: top, count };
    }
  }
}

function makeNode(cursor: TreeCursor, t: LanguageTables, typeId: number): SyntaxNode {
  const fieldId = cursor.currentFieldId;
  return {
    type: t.types[typeId],
    field: fieldId === 0 ? null : t.fields[fieldId] ?? null,
    start: cursor.startIndex,
    end: cursor.endIndex,
    children: [],
    tokens: null,
    hot: false,
    pendingShift: 0,
  };
}

/** Shifts a reused top-level declaration, leaving a function body's descendants for settle(). */
function shiftLazily(node: SyntaxNode, delta: number): void {
  node.start += delta;
  node.end += delta;
  for (const c of node.children) {
    if (c.field === 'body' && (node.type === 'function_declaration' || node.type === 'method_declaration')) {
      c.start += delta;
      c.end += delta;
      c.pendingShift += delta;
    } else {
      shift(c, delta);
    }
  }
}

/** Applies a pending shift to the descendants of `node` (a function body built with lazyShift). */
export function settle(node: SyntaxNode): void {
  const delta = node.pendingShift;
  if (delta === 0) return;
  node.pendingShift = 0;
  for (const c of node.children) shift(c, delta);
}

function shift(node: SyntaxNode, delta: number): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    n.start += delta;
    n.end += delta;
    for (const c of n.children) stack.push(c);
  }
}

function takeFromPool(pool: Map<number, SyntaxNode[]>, key: number, type: string, length: number): SyntaxNode | undefined {
  const list = pool.get(key);
  if (!list) return undefined;
  const i = list.findIndex((n) => n.type === type && n.end - n.start === length);
  if (i === -1) return undefined;
  const [node] = list.splice(i, 1);
  if (list.length === 0) pool.delete(key);
  return node;
}

function addToPool(pool: Map<number, SyntaxNode[]>, key: number, node: SyntaxNode): void {
  const list = pool.get(key);
  if (list) list.push(node);
  else pool.set(key, [node]);
}

/**
 * A 53-bit hash of text[start, end): FNV-1a and an independent multiplicative hash, combined. With
 * the node type and length checked on a hit, a false match is far less likely than a cosmic ray.
 */
export function hashText(text: string, start: number, end: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491 ^ (end - start);
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 + c, 0x9e3779b1) ^ (h2 >>> 15);
  }
  return (h1 >>> 0) * 0x200000 + (h2 >>> 11);
}

// ---- small helpers the analyses share -----------------------------------------------------------------

export function child(node: SyntaxNode, field: string): SyntaxNode | undefined {
  for (const c of node.children) if (c.field === field) return c;
  return undefined;
}

export function children(node: SyntaxNode, field: string): SyntaxNode[] {
  return node.children.filter((c) => c.field === field);
}

export function textOf(syntax: { readonly text: string }, node: SyntaxNode): string {
  return syntax.text.slice(node.start, node.end);
}
