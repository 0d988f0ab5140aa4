// How a re-parsed tree differs from a tree it was (directly or through several re-parses) re-parsed
// from, so the syntax copy (syntax.ts) can reuse unchanged top-level declarations by position: no
// hashing of the whole text and no error check per declaration, which together cost more than the
// incremental parse itself.
import type { Tree } from 'web-tree-sitter';

/**
 * A stretch of the new text that differs from the old one: edited text (delta = its length change)
 * or a range whose syntax tree-sitter reports as changed (delta 0). Bounds are inclusive so that a
 * declaration merely touching an edit counts as touched.
 */
export interface Segment { readonly lo: number; readonly hi: number; readonly delta: number }

export interface TreeHistory {
  /** Serial of the earlier tree. */
  readonly from: number;
  /** Disjoint, in increasing order, in the new text's offsets. */
  readonly segments: readonly Segment[];
}

/** Ancestors further back than this are forgotten (their caches are stale anyway). */
const MAX_ANCESTORS = 16;

const serials = new WeakMap<Tree, number>();
const histories = new WeakMap<Tree, TreeHistory[]>();
let nextSerial = 1;

/**
 * Gives a tree parsed just now its serial. `step` says how it differs from the tree it was
 * re-parsed from (`parent`), whose own histories are carried over, composed with this step.
 */
export function stamp(tree: Tree, step?: TreeHistory, parent?: Tree): void {
  serials.set(tree, nextSerial++);
  if (!step) return;
  const list = [step];
  for (const h of (parent && histories.get(parent)) ?? []) {
    if (list.length >= MAX_ANCESTORS) break;
    let segments = h.segments;
    for (const s of step.segments) segments = applyEdit(segments, s.lo, s.hi - s.delta, s.hi, s.delta);
    list.push({ from: h.from, segments });
  }
  histories.set(tree, list);
}

export function treeSerial(tree: Tree): number | undefined {
  return serials.get(tree);
}

/** How `tree` differs from the tree with serial `from`, if it descends from it by re-parses. */
export function historyFrom(tree: Tree, from: number | undefined): TreeHistory | undefined {
  if (from === undefined) return undefined;
  return histories.get(tree)?.find((h) => h.from === from);
}

/**
 * The segments after one more edit, given in the coordinates the earlier segments are in: text
 * [start, oldEnd] becomes [start, newEnd] (delta = its length change; 0 for a changed range).
 * Segments the edit touches merge with it; later ones move by its length change.
 */
export function applyEdit(segments: readonly Segment[], start: number, oldEnd: number, newEnd: number, delta: number): Segment[] {
  const d = newEnd - oldEnd;
  const out: Segment[] = [];
  let lo = start;
  let hi = newEnd;
  let sum = delta;
  let placed = false;
  for (const s of segments) {
    if (s.hi < start) { out.push(s); continue; }
    if (s.lo > oldEnd) {
      if (!placed) { out.push({ lo, hi, delta: sum }); placed = true; }
      out.push({ lo: s.lo + d, hi: s.hi + d, delta: s.delta });
      continue;
    }
    lo = Math.min(lo, s.lo);
    hi = Math.max(hi, s.hi > oldEnd ? s.hi + d : newEnd);
    sum += s.delta;
  }
  if (!placed) out.push({ lo, hi, delta: sum });
  return out;
}

/** A declaration at [start, end] in the new text touches no segment; where it started in the old text. */
export function untouchedOrigin(h: TreeHistory, start: number, end: number): number | null {
  let shift = 0;
  for (const s of h.segments) {
    if (s.hi < start) { shift += s.delta; continue; }
    if (s.lo > end) break;
    return null;
  }
  return start - shift;
}
