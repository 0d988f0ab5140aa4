// Pure loops: `for` loops whose condition, body and post statement only do integer arithmetic
// on variables (no call, no channel, no index, no field, no closure, no `:=`, no branch). The
// interpreter compiles them once into closures over a slot array (no scope lookups, no generator
// per statement), and when the trip count is known and huge and every variable's final value has
// an exact closed form, it skips the iterations altogether (fast-forward).
//
// Both paths must agree with the step-by-step interpreter: the same int semantics (the
// interpreter's own `intOp` does everything but the safe-integer fast cases), the same virtual CPU
// cost per iteration, the same step count against the budget. A closed form is only used when it
// is exact; anything else is interpreted.
import type { Expr, Pos, Stmt } from './ast';

export type ForStmt = Extract<Stmt, { k: 'for' }>;

/** The interpreter's integer operation (Go wrap-around, division-by-zero panic) for the cases the closures do not handle inline. */
export type IntOp = (op: string, x: number, y: number, pos: Pos) => number;

type Num = (v: number[]) => number;
type Bool = (v: number[]) => boolean;
type Run = (v: number[]) => void;

/** A compiled pure loop. Closures read and write `v`, one slot per variable in `names`. */
export interface PurePlan {
  names: string[];
  /** null: `for { … }` or `for ; ; post { … }` (always true). */
  cond: Bool | null;
  /** Body then post, one iteration. */
  iter: Run;
  /** Virtual CPU of one iteration (condition, body, post) and of the final failing condition, in units of the per-node cost. */
  nodesPerIter: number;
  condNodes: number;
  /** Interpreter steps per iteration (one per statement and one for the condition). */
  stepsPerIter: number;
  /** The statement whose site the goroutine shows after an iteration. */
  lastPos: Pos;
  /** The interpreter's intOp for the current run (set before running the closures). */
  rt: { intOp: IntOp };
  ff: FastForwardShape | null;
  /** Why a fast-forward is impossible, when it is (for the note on huge loops). */
  noFF: string;
  /**
   * The loop can never end: no condition, and (like every pure loop) no break, return or call;
   * nothing in it can panic either (+ - * & | ^ &^ wrap around; a division, a remainder or a shift
   * by anything but a constant could panic at some iteration).
   */
  endless: boolean;
}

interface FastForwardShape {
  /** The counter's slot; -1 for `for { … }`, which never ends by a condition. */
  counter: number;
  /** Comparison `counter op bound` (normalised so the counter is on the left). */
  op: '<' | '<=' | '>' | '>=' | '!=';
  bound: Num;
  /** The counter's change per iteration (sign included). */
  step: Num;
  /** How each variable the body changes ends up; null when one has no exact closed form (`why`). */
  updates: Update[] | null;
  why: string;
}

type Update =
  | { k: 'sum'; slot: number; sign: 1 | -1; terms: Term[] }
  | { k: 'last'; slot: number; f: Num };

/** One additive term of an accumulation: affine in the counter, or periodic in the iteration number. */
interface Term { sign: 1 | -1; f: Num; e: Expr }

const cache = new WeakMap<ForStmt, PurePlan | null>();

/** The compiled plan for a pure loop, or null if the loop is not pure (cached per statement). */
export function purePlan(s: ForStmt): PurePlan | null {
  let p = cache.get(s);
  if (p === undefined) {
    try {
      p = compile(s);
    } catch (e) {
      if (!(e instanceof NotPure)) throw e;
      p = null;
    }
    cache.set(s, p);
  }
  return p;
}

class NotPure extends Error {}
const notPure = (): never => { throw new NotPure(); };

const ARITH = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '&^']);
const CMP = new Set(['<', '>', '<=', '>=', '==', '!=']);

function compile(s: ForStmt): PurePlan {
  if (!s.tight) notPure();
  const names: string[] = [];
  const slot = (name: string): number => {
    if (name === '_' || name === 'true' || name === 'false' || name === 'nil' || name === 'iota') notPure();
    let i = names.indexOf(name);
    if (i < 0) { i = names.length; names.push(name); }
    return i;
  };
  const rt: { intOp: IntOp } = { intOp: () => 0 };
  /** Per-node costs: every evaluated node costs one unit, as in evalSync. */
  const nodes = (e: Expr): number => {
    switch (e.k) {
      case 'lit': case 'ident': return 1;
      case 'un': return 1 + nodes(e.x);
      case 'bin': return 1 + nodes(e.l) + nodes(e.r);
      default: return notPure();
    }
  };
  const num = (e: Expr): Num => {
    const f = numNode(e);
    (e as Expr & { $f?: Num }).$f = f;
    return f;
  };
  const numNode = (e: Expr): Num => {
    if (e.y) notPure();
    switch (e.k) {
      case 'lit': {
        const c = e.v;
        if (typeof c !== 'number' || !Number.isSafeInteger(c)) notPure();
        return () => c as number;
      }
      case 'ident': { const k = slot(e.name); return (v) => v[k]!; }
      case 'un': {
        const x = num(e.x);
        if (e.op === '+') return x;
        if (e.op === '-') return (v) => -x(v);
        return notPure();
      }
      case 'bin': {
        if (!ARITH.has(e.op)) notPure();
        return arith(e.op, num(e.l), num(e.r), e.pos, rt);
      }
      default: return notPure();
    }
  };
  const bool = (e: Expr): Bool => {
    if (e.k !== 'bin' || !CMP.has(e.op) || e.y) return notPure();
    const l = num(e.l), r = num(e.r);
    switch (e.op) {
      case '<': return (v) => l(v) < r(v);
      case '>': return (v) => l(v) > r(v);
      case '<=': return (v) => l(v) <= r(v);
      case '>=': return (v) => l(v) >= r(v);
      case '==': return (v) => l(v) === r(v);
      default: return (v) => l(v) !== r(v);
    }
  };
  let nodeCount = 0;
  const stmt = (st: Stmt): Run => {
    nodeCount++; // the statement's step
    if (st.k === 'incdec') {
      if (st.x.k !== 'ident') notPure();
      const k = slot((st.x as { name: string }).name);
      const f = arith(st.op === '++' ? '+' : '-', (v) => v[k]!, () => 1, st.pos, rt);
      return (v) => { v[k] = f(v); };
    }
    if (st.k !== 'assign' || st.define || st.lhs.length !== st.rhs.length) return notPure();
    if (isBlankAssign(st)) {
      // `_ = e`: evaluated (it may panic, e.g. a division by zero) and discarded.
      nodeCount += nodes(st.rhs[0]!);
      const f = num(st.rhs[0]!);
      return (v) => { f(v); };
    }
    if (st.lhs.some((l) => l.k !== 'ident' || l.name === '_')) notPure();
    const ks = st.lhs.map((l) => slot((l as { name: string }).name));
    for (const r of st.rhs) nodeCount += nodes(r);
    if (st.op === '=') {
      const fs = st.rhs.map(num);
      if (fs.length === 1) { const k = ks[0]!, f = fs[0]!; return (v) => { v[k] = f(v); }; }
      const tmp: number[] = [];
      return (v) => {
        for (let i = 0; i < fs.length; i++) tmp[i] = fs[i]!(v);
        for (let i = 0; i < ks.length; i++) v[ks[i]!] = tmp[i]!;
      };
    }
    const op = st.op.slice(0, -1);
    if (!ARITH.has(op) || ks.length !== 1) notPure();
    const k = ks[0]!;
    const f = arith(op, (v) => v[k]!, num(st.rhs[0]!), st.pos, rt);
    return (v) => { v[k] = f(v); };
  };
  const cond = s.cond ? bool(s.cond) : null;
  const condNodes = s.cond ? 1 + nodes(s.cond) : 0;
  const runs = s.body.map(stmt);
  if (s.post) runs.push(stmt(s.post));
  const n = runs.length;
  const iter: Run = n === 1 ? runs[0]! : n === 2 ? ((a, b) => (v: number[]) => { a(v); b(v); })(runs[0]!, runs[1]!)
    : (v) => { for (let i = 0; i < n; i++) runs[i]!(v); };
  const lastPos = s.post?.pos ?? s.body[s.body.length - 1]?.pos ?? s.pos;
  // An iteration that executes nothing (`for {}`) still costs its jump back (and must, or a
  // goroutine spinning in it would never reach a scheduling point): one node, one step.
  const plan: PurePlan = {
    names, cond, iter, nodesPerIter: Math.max(1, condNodes + nodeCount), condNodes, stepsPerIter: Math.max(1, (s.cond ? 1 : 0) + n),
    lastPos, rt, ff: null, noFF: '',
    endless: !s.cond && ![...s.body, ...(s.post ? [s.post] : [])].some(stmtMayPanic),
  };
  const shape = ffShape(s, slot, num);
  if (typeof shape === 'string') plan.noFF = shape;
  else plan.ff = shape;
  bindSlots(s, names);
  return plan;
}

/** `op` on two ints exactly as the interpreter's `binary` fast path, the rest through its intOp. */
function arith(op: string, l: Num, r: Num, pos: Pos, rt: { intOp: IntOp }): Num {
  switch (op) {
    case '+': return (v) => { const a = l(v), b = r(v), x = a + b; return Number.isSafeInteger(x) ? x : rt.intOp('+', a, b, pos); };
    case '-': return (v) => { const a = l(v), b = r(v), x = a - b; return Number.isSafeInteger(x) ? x : rt.intOp('-', a, b, pos); };
    case '%': return (v) => { const a = l(v), b = r(v); return b !== 0 ? a % b : rt.intOp('%', a, b, pos); };
    default: return (v) => rt.intOp(op, l(v), r(v), pos);
  }
}

// ---------------------------------------------------------------------------------------------
// Fast-forward: the static shape (counter, bound, closed-form updates); values come at run time.

function isBlankAssign(st: Stmt): boolean {
  return st.k === 'assign' && st.op === '=' && !st.define && st.lhs.length === 1 && st.rhs.length === 1 && st.lhs[0]!.k === 'ident' && st.lhs[0]!.name === '_';
}

/** Whether a pure-loop statement could panic: a division or remainder by anything but a non-zero constant, a shift by anything but a non-negative constant. */
function stmtMayPanic(st: Stmt): boolean {
  if (st.k === 'incdec') return false;
  if (st.k !== 'assign') return true;
  const op = st.op === '=' ? '' : st.op.slice(0, -1);
  if (op && st.rhs.some((r) => opMayPanic(op, r))) return true;
  return st.rhs.some(exprMayPanic);
}

function exprMayPanic(e: Expr): boolean {
  switch (e.k) {
    case 'un': return exprMayPanic(e.x);
    case 'bin': return opMayPanic(e.op, e.r) || exprMayPanic(e.l) || exprMayPanic(e.r);
    default: return false;
  }
}

function opMayPanic(op: string, r: Expr): boolean {
  const c = r.k === 'lit' && typeof r.v === 'number' ? r.v : null;
  if (op === '/' || op === '%') return c === null || c === 0;
  if (op === '<<' || op === '>>') return c === null || c < 0;
  return false;
}

function divides(e: Expr): boolean {
  switch (e.k) {
    case 'un': return divides(e.x);
    case 'bin': return e.op === '/' || e.op === '%' || divides(e.l) || divides(e.r);
    default: return false;
  }
}

function assignedIn(stmts: Stmt[]): Set<string> {
  const out = new Set<string>();
  for (const st of stmts) {
    if (st.k === 'incdec' && st.x.k === 'ident') out.add(st.x.name);
    if (st.k === 'assign') for (const l of st.lhs) if (l.k === 'ident' && l.name !== '_') out.add(l.name);
  }
  return out;
}

function uses(e: Expr, names: Set<string>): boolean {
  switch (e.k) {
    case 'ident': return names.has(e.name);
    case 'un': return uses(e.x, names);
    case 'bin': return uses(e.l, names) || uses(e.r, names);
    default: return false;
  }
}

/** The loop's fast-forward shape, or why there is none. */
function ffShape(s: ForStmt, slot: (n: string) => number, num: (e: Expr) => Num): FastForwardShape | string {
  const post = s.post;
  if (!s.cond) {
    // `for { … }`: any number of iterations can be skipped between two scheduling points.
    const changed = assignedIn(s.post ? [...s.body, s.post] : s.body);
    const shape: FastForwardShape = { counter: -1, op: '!=', bound: () => 0, step: () => 0, updates: null, why: '' };
    const r = closedForms(s.post ? [...s.body, s.post] : s.body, changed, slot, num);
    if (typeof r === 'string') shape.why = r;
    else shape.updates = r;
    return shape;
  }
  if (!post) return 'no counted loop condition and update';
  let counter: string;
  let step: Num;
  if (post.k === 'incdec' && post.x.k === 'ident') {
    counter = post.x.name;
    const d = post.op === '++' ? 1 : -1;
    step = () => d;
  } else if (post.k === 'assign' && (post.op === '+=' || post.op === '-=') && post.lhs.length === 1 && post.lhs[0]!.k === 'ident') {
    counter = post.lhs[0]!.name;
    const f = num(post.rhs[0]!);
    step = post.op === '+=' ? f : (v) => -f(v);
    if (uses(post.rhs[0]!, new Set([counter, ...assignedIn(s.body)]))) return 'the loop step changes inside the loop';
  } else return 'the update is not a counter step';
  const changed = assignedIn(s.body);
  if (changed.has(counter)) return `the loop body changes ${counter}`;
  const c = s.cond;
  if (c.k !== 'bin' || !['<', '<=', '>', '>=', '!='].includes(c.op)) return 'the condition is not a comparison of the counter';
  const flip: Record<string, FastForwardShape['op']> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '!=': '!=' };
  let op = c.op as FastForwardShape['op'];
  let boundE: Expr;
  if (c.l.k === 'ident' && c.l.name === counter) boundE = c.r;
  else if (c.r.k === 'ident' && c.r.name === counter) { boundE = c.l; op = flip[op]!; } else return 'the condition is not a comparison of the counter';
  const varying = new Set([counter, ...changed]);
  if (uses(boundE, varying)) return 'the loop bound changes inside the loop';
  const shape: FastForwardShape = { counter: slot(counter), op, bound: num(boundE), step, updates: null, why: '' };
  const r = closedForms(s.body, changed, slot, num);
  if (typeof r === 'string') shape.why = r;
  else shape.updates = r;
  return shape;
}

/** The body's updates, each with a closed form, or why one has none. */
function closedForms(body: Stmt[], changed: Set<string>, slot: (n: string) => number, num: (e: Expr) => Num): Update[] | string {
  const updates: Update[] = [];
  const seen = new Set<string>();
  for (const st of body) {
    if (st.k === 'assign' && isBlankAssign(st)) {
      // Skipping it is exact only if it cannot panic: integer + - * & | ^ << >> wrap, / and % may divide by zero.
      if (divides(st.rhs[0]!)) return 'a discarded value (_ = …) divides, which may panic at some iteration';
      continue;
    }
    let name: string;
    let sign: 1 | -1 = 1;
    let rhs: Expr | null;
    let kind: 'sum' | 'last';
    if (st.k === 'incdec' && st.x.k === 'ident') {
      name = st.x.name; rhs = null; kind = 'sum'; sign = st.op === '++' ? 1 : -1;
    } else if (st.k === 'assign' && st.lhs.length === 1 && st.lhs[0]!.k === 'ident' && (st.op === '+=' || st.op === '-=' || st.op === '=')) {
      name = st.lhs[0]!.name; rhs = st.rhs[0]!;
      kind = st.op === '=' ? 'last' : 'sum';
      if (st.op === '-=') sign = -1;
    } else return 'a statement in the body is not an accumulation (x += …) or an assignment';
    if (seen.has(name)) return `${name} is assigned twice in the body`;
    seen.add(name);
    if (rhs && uses(rhs, changed)) return `${name}'s new value depends on variables the loop changes`;
    if (kind === 'last') { updates.push({ k: 'last', slot: slot(name), f: num(rhs!) }); continue; }
    const terms: Term[] = [];
    if (rhs === null) terms.push({ sign: 1, f: () => 1, e: { k: 'lit', v: 1, pos: st.pos, y: false } });
    else splitTerms(rhs, 1, terms, num);
    updates.push({ k: 'sum', slot: slot(name), sign, terms });
  }
  return updates;
}

function splitTerms(e: Expr, sign: 1 | -1, out: Term[], num: (e: Expr) => Num): void {
  if (e.k === 'bin' && (e.op === '+' || e.op === '-')) {
    splitTerms(e.l, sign, out, num);
    splitTerms(e.r, e.op === '-' ? (-sign as 1 | -1) : sign, out, num);
    return;
  }
  out.push({ sign, f: num(e), e });
}

// ---------------------------------------------------------------------------------------------
// Fast-forward at run time

export interface FastForward {
  /** Iterations the loop would run. */
  n: number;
  /** Final slot values (only set when `exact`). */
  values: number[] | null;
  /** Why the final values cannot be computed exactly (when values is null). */
  why: string;
}

const MAX_PERIOD = 1 << 16;

/**
 * The loop's trip count from the slots' current values, and the final values if exact. null when
 * the count is unknown (the loop may not end by its condition).
 */
export function fastForward(p: PurePlan, v: number[], counterName: (slot: number) => string, limit = Infinity): FastForward | null {
  const ff = p.ff;
  if (!ff) return null;
  let n: number;
  let iAt: (t: number) => number;
  let last = 0;
  if (ff.counter < 0) {
    if (!Number.isFinite(limit)) return null;
    n = limit;
    iAt = () => 0;
  } else {
    const i0 = v[ff.counter]!;
    const d = ff.step(v);
    const trips = tripCount(i0, ff.bound(v), d, ff.op);
    if (trips === null) return null;
    n = Math.min(trips, limit);
    iAt = (t) => i0 + t * d;
    last = i0 + n * d;
    if (!Number.isSafeInteger(last) || !Number.isSafeInteger(iAt(Math.max(0, n - 1)))) return { n, values: null, why: `${counterName(ff.counter)} would leave the exactly representable integers` };
  }
  if (!ff.updates) return { n, values: null, why: ff.why };
  const out = v.slice();
  const probe = v.slice();
  const at = (f: Num, t: number): number => { if (ff.counter >= 0) probe[ff.counter] = iAt(t); return f(probe); };
  for (const u of ff.updates) {
    if (u.k === 'last') {
      if (n > 0) out[u.slot] = at(u.f, n - 1);
      continue;
    }
    let total = 0n;
    for (const term of u.terms) {
      const s = sumTerm(term, n, at, ff.counter);
      if (s === null) return { n, values: null, why: `no exact closed form for the sum of ${term.e.pos.text || 'a term'}` };
      total += term.sign === 1 ? s : -s;
    }
    const x = BigInt.asIntN(64, BigInt(v[u.slot]!) + (u.sign === 1 ? total : -total));
    if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)) {
      return { n, values: null, why: `${counterName(u.slot)} would leave the exactly representable integers (±2^53)` };
    }
    out[u.slot] = Number(x);
  }
  if (ff.counter >= 0) out[ff.counter] = last;
  return { n, values: out, why: '' };
}

/** Iterations of `for i := i0; i op bound; i += d`, or null if it does not end by its condition. */
function tripCount(i0: number, bound: number, d: number, op: FastForwardShape['op']): number | null {
  const holds = (x: number): boolean => (op === '<' ? x < bound : op === '<=' ? x <= bound : op === '>' ? x > bound : op === '>=' ? x >= bound : x !== bound);
  if (!holds(i0)) return 0;
  if (op === '!=') {
    if (d === 0 || (bound - i0) % d !== 0 || (bound - i0) / d < 0) return null;
    return (bound - i0) / d;
  }
  const up = op === '<' || op === '<=';
  if (up ? d <= 0 : d >= 0) return null;
  const span = up ? bound - i0 : i0 - bound;
  const ad = Math.abs(d);
  const n = op === '<' || op === '>' ? Math.ceil(span / ad) : Math.floor(span / ad) + 1;
  return Number.isSafeInteger(n) ? n : null;
}

/** Σ_{t<n} term(t), exactly, or null. Affine terms by the arithmetic series, periodic ones by whole periods. */
function sumTerm(term: Term, n: number, at: (f: Num, t: number) => number, counter: number): bigint | null {
  if (n === 0) return 0n;
  const kind = classify(term.e, counter);
  if (kind === 'const') return BigInt(at(term.f, 0)) * BigInt(n);
  if (kind === 'affine') {
    // Every sub-expression is affine in t, so exact values at both ends bound all the values in between.
    if (!safeAtEnds(term.e, n, at)) return null;
    const f0 = BigInt(at(term.f, 0));
    if (n === 1) return f0;
    const slope = BigInt(at(term.f, 1)) - f0;
    const N = BigInt(n);
    return N * f0 + (slope * N * (N - 1n)) / 2n;
  }
  if (kind === 'periodic') {
    const period = periodOf(term.e, counter, n, at);
    if (period === null) return null;
    let whole = 0n;
    const r = n % period;
    let part = 0n;
    for (let t = 0; t < Math.min(period, n); t++) {
      const x = BigInt(at(term.f, t));
      whole += x;
      if (t < r) part += x;
    }
    return whole * BigInt(Math.floor(n / period)) + part;
  }
  return null;
}

type Kind = 'const' | 'affine' | 'periodic' | 'other';

/** How a term depends on the counter: not at all, affinely (+, -, * by a constant), only through `affine % m`, or otherwise. */
function classify(e: Expr, counter: number): Kind {
  const k = (x: Expr): Kind => {
    switch (x.k) {
      case 'lit': return 'const';
      case 'ident': return (x as Expr & { slot?: number }).slot === counter ? 'affine' : 'const';
      case 'un': return x.op === '-' || x.op === '+' ? k(x.x) : 'other';
      case 'bin': {
        const a = k(x.l), b = k(x.r);
        if (a === 'other' || b === 'other') return 'other';
        if (a === 'const' && b === 'const') return 'const';
        if (x.op === '%' && a === 'affine' && b === 'const') return 'periodic';
        if (a === 'periodic' || b === 'periodic') return (a === 'affine' || b === 'affine') ? 'other' : 'periodic';
        if (x.op === '+' || x.op === '-') return 'affine';
        if (x.op === '*' && (a === 'const' || b === 'const')) return 'affine';
        return 'other';
      }
      default: return 'other';
    }
  };
  return k(e);
}

/** Set by `bindSlots`: each identifier node knows its slot (so classification needs no name table). */
export function bindSlots(s: ForStmt, names: string[]): void {
  const mark = (e: Expr | null): void => {
    if (!e) return;
    if (e.k === 'ident') (e as Expr & { slot?: number }).slot = names.indexOf(e.name);
    else if (e.k === 'un') mark(e.x);
    else if (e.k === 'bin') { mark(e.l); mark(e.r); }
  };
  const st = (x: Stmt | null): void => {
    if (!x) return;
    if (x.k === 'assign') { x.lhs.forEach(mark); x.rhs.forEach(mark); }
    if (x.k === 'incdec') mark(x.x);
  };
  mark(s.cond);
  s.body.forEach(st);
  st(s.post);
}

/** Every node of an affine term is exact (no wrap-around) at t = 0 and t = n-1, hence at every t between. */
function safeAtEnds(e: Expr, n: number, at: (f: Num, t: number) => number): boolean {
  const ok = (x: number): boolean => Math.abs(x) <= Number.MAX_SAFE_INTEGER;
  const walk = (x: Expr): boolean => {
    if (x.k === 'un') return walk(x.x);
    if (x.k !== 'bin') return true;
    if (!walk(x.l) || !walk(x.r)) return false;
    const lf = (x.l as Expr & { $f?: Num }).$f, rf = (x.r as Expr & { $f?: Num }).$f;
    if (!lf || !rf) return false;
    for (const t of [0, n - 1]) {
      const a = at(lf, t), b = at(rf, t);
      if (!ok(x.op === '*' ? a * b : x.op === '+' ? a + b : a - b)) return false;
    }
    return true;
  };
  return walk(e);
}

/** The term's period in iterations: the lcm of every `affine % m` node's period; null if too long or the affine part changes sign. */
function periodOf(e: Expr, counter: number, n: number, at: (f: Num, t: number) => number): number | null {
  let period = 1;
  const walk = (x: Expr): boolean => {
    if (x.k === 'un') return walk(x.x);
    if (x.k !== 'bin') return true;
    if (x.op === '%' && classify(x.l, counter) === 'affine' && classify(x.r, counter) === 'const') {
      const lf = (x.l as Expr & { $f?: Num }).$f;
      const mf = (x.r as Expr & { $f?: Num }).$f;
      if (!lf || !mf) return false;
      const a0 = at(lf, 0), a1 = n > 1 ? at(lf, 1) : a0, aEnd = at(lf, n - 1);
      // Go's % keeps the dividend's sign: periodic only while the dividend does not change sign.
      if (!(a0 >= 0 && aEnd >= 0) && !(a0 <= 0 && aEnd <= 0)) return false;
      const m = Math.abs(at(mf, 0));
      if (m === 0 || !Number.isSafeInteger(a1 - a0)) return false;
      const slope = ((a1 - a0) % m + m) % m;
      const p = m / gcd(slope, m);
      period = lcm(period, p);
      return period <= MAX_PERIOD;
    }
    return walk(x.l) && walk(x.r);
  };
  return walk(e) && period <= MAX_PERIOD ? period : null;
}

function gcd(a: number, b: number): number { while (b) [a, b] = [b, a % b]; return a; }
function lcm(a: number, b: number): number { return (a / gcd(a, b)) * b; }
