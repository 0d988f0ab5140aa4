// The interpreter: runs the lowered program (ast.ts) as engine goroutine bodies.
//
// Every Go goroutine is a generator that evaluates the user's code and yields engine actions
// (channel ops, sync, time, runtime, print …). Expressions that cannot yield (no call, no receive:
// `Expr.y === false`) are evaluated by the plain `evalSync`, the rest by the generator `ev`.
// CPU cost of interpreted code accumulates per goroutine and is flushed as one `work` action
// before any other action (and every FLUSH_NS inside loops), so long loops get preempted.
import * as A from '../../engine/actions';
import { fmtNs } from '../../engine/scheduler';
import { CONSTRUCTOR_RESULTS, isCgoNonCall, lookupCall, simulatedNs, type CatalogEntry } from '../../knowledge/catalog';
import { GoPanic, type Body, type ChanRef, type Site } from '../../engine/actions';
import type { Expr, FuncDecl, FuncLit, Param, Pos, Program, Stmt, TypeExpr } from './ast';
import { fastForward, purePlan, type FastForward, type ForStmt, type PurePlan } from './pureloop';
import { nextToken, readUntil, SPLIT_FUNCS, type SplitMode } from './textio';
import { formatV, formatFloatV, shortest32, sprint, sprintf, sprintln, typeExprName, typeName, intStr, runtimeFloat, fakeAddr, durationString, quote, type FmtHooks } from './fmt';
import {
  ArrayVal, ChanVal, ErrorVal, FuncVal, GoDuration, GoFloat, MapVal, Named, NilPtr, Opaque, Pointer, SliceVal, StructVal, SyncBox, TimerVal,
  TypeVal, bytesToStr, copyVal, equal, uncomparable, ifaceEqual, growCap, isFloatType, isIntType, mapKey, num, runeStr, strByte, strLen, strRunes,
  strSlice, utf8, wrapInt, type SyncKind, type Value,
} from './values';

/** Virtual CPU cost of interpreted code (ns), order of magnitude of compiled Go on a current x86 core. */
export const COST = {
  /**
   * A simple statement or expression step (assignment, arithmetic, comparison, branch). Calibrated
   * on compiled Go 1.19 on the 2-core development machine: `for i := 0; i < n; i++ { s += i % 2 }`
   * (9 steps an iteration) runs at 0.55 ns an iteration, `x += i*3 ^ (x >> 1)` (13) at 0.82 ns.
   * A power of two, so accumulated costs stay exact.
   */
  STMT_NS: 0.0625,
  /** A function call (prologue, argument copy). */
  CALL_NS: 2,
  /** A heap allocation (make, composite literal, append growth, closure). */
  ALLOC_NS: 25,
  /** A map access. */
  MAP_NS: 20,
  /** fmt formatting of one call. */
  FMT_NS: 150,
  /** Accumulated CPU is handed to the engine at the latest after this much (so sysmon can preempt). */
  FLUSH_NS: 50_000,
};

export type PureLoopMode = 'fast-forward' | 'compiled' | 'off';

export interface InterpOptions {
  file: string;
  goVersion: number;
  /** Interpreted statements per run before it stops with a note. */
  maxSteps: number;
  /** Host (wall-clock) time per run before it stops with a note, in ms. */
  maxWallMs: number;
  /** Pure loops (pureloop.ts): compiled and fast-forwarded (the default), only compiled, or interpreted like any loop (for differential tests and benchmarks). */
  pureLoops?: PureLoopMode;
}

/** Several results of a call. */
class Tuple { constructor(readonly vs: Value[]) {} }
class Pkg { constructor(readonly path: string, readonly name: string) {} }
class MapSlot { constructor(readonly m: MapVal, readonly k: Value) {} }
type Ref = Pointer | MapSlot | null;
/** Marks a variable declared with an interface type: a nil *T stored in it makes it non-nil. */
const IFACE = Symbol('iface');
/** [IFACE]: the variable has an interface type (kept, when declared with var, for errors.As). */
interface Cell { v: Value; [IFACE]?: true | TypeExpr }

export class BudgetExceeded extends Error {}
/** time.AfterFunc's *Timer: Stop also releases the helper goroutine that would run f. */
class AfterFuncTimer extends TimerVal { constructor(ref: A.TimerRef, c: ChanVal, ticker: boolean, readonly stop: ChanRef) { super(ref, c, ticker); } }
class GoexitSignal extends Error {}
/** A `panic(v)` raised by user code: keeps the Go value for `recover`. */
export class UserPanic extends GoPanic {
  constructor(msg: string, readonly goValue: Value, runtimeError = false) { super(msg, runtimeError); }
}

class Env {
  /** Created on the first definition: most block scopes define nothing. */
  private vars: Map<string, Cell> | null = null;
  constructor(readonly parent: Env | null) {}
  get m(): Map<string, Cell> { return (this.vars ??= new Map()); }
  lookup(name: string): Cell | undefined {
    for (let e: Env | null = this; e; e = e.parent) { if (e.vars) { const c = e.vars.get(name); if (c) return c; } }
    return undefined;
  }
  def(name: string, v: Value, iface: boolean | TypeExpr = false): void { if (name !== '_') this.m.set(name, iface ? { v, [IFACE]: iface } : { v }); }
}

/** Per-goroutine state. */
class GCtx {
  cost = 0;
  site: Site | undefined;
  panicking: { p: GoPanic; recovered: boolean } | null = null;
}

/** Per-call state. */
class Frame {
  results: Cell[] = [];
  resultTypes: TypeExpr[] = [];
  defers: (() => Generator<A.Action, unknown, any>)[] = [];
  returned = false;
  constructor(readonly g: GCtx, readonly fn: string) {}
}

type Flow = undefined | { k: 'break' | 'continue'; label: string | null } | { k: 'return' } | { k: 'fall' } | { k: 'goto'; label: string };
type Gen<T = Value> = Generator<A.Action, T, any>;

const BREAK: Flow = { k: 'break', label: null };
const CONTINUE: Flow = { k: 'continue', label: null };
const RETURN: Flow = { k: 'return' };
const FALL: Flow = { k: 'fall' };

/** Integer types whose values carry their type (Named) so arithmetic wraps like Go; int and int64 stay plain numbers. */
const SIZED = new Set(['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32', 'uint', 'uint64', 'uintptr']);
const canonInt = (name: string): string => (name === 'byte' ? 'uint8' : name === 'rune' ? 'int32' : name);
/** A sized integer value: wrapped to its width, tagged with its type. */
const sized = (n: number, type: string): Value => new Named(type, wrapInt(n, type));

/** Pure loops this long or longer are fast-forwarded when their result has an exact closed form. */
export const FAST_FORWARD_MIN_ITERATIONS = 1_000_000;
/** 1000000000 → "1 000 000 000". */
/** Library types whose zero value is nil in Go too (interfaces, functions, pointers-like handles). */
const NIL_LIBRARY_TYPES = new Set([
  'context.Context', 'context.CancelFunc', 'io.Reader', 'io.Writer', 'io.ReadWriter', 'io.Closer', 'io.ReadCloser', 'io.WriteCloser',
  'fmt.Stringer', 'os.Signal', 'sync.Locker', 'sort.Interface', 'heap.Interface', 'net.Conn', 'net.Listener', 'error', 'reflect.Type',
  'http.Handler', 'http.HandlerFunc', 'time.Month', 'time.Weekday', 'os.FileMode', 'fs.FileMode',
]);
/** The method sets of the library's interfaces, for assertions and embedding. */
const LIB_IFACE_METHODS: Record<string, string[]> = {
  'fmt.Stringer': ['String'], 'io.Reader': ['Read'], 'io.Writer': ['Write'], 'io.Closer': ['Close'], 'io.ReadWriter': ['Read', 'Write'],
  'io.ReadCloser': ['Read', 'Close'], 'io.WriteCloser': ['Write', 'Close'], 'sort.Interface': ['Len', 'Less', 'Swap'],
  'heap.Interface': ['Len', 'Less', 'Swap', 'Push', 'Pop'], 'sync.Locker': ['Lock', 'Unlock'], 'context.Context': ['Deadline', 'Done', 'Err', 'Value'],
};
/** time.ParseDuration: the duration in ns, or the error text Go gives. */
function parseDuration(orig: string): number | string {
  const units: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
  const q = JSON.stringify(orig);
  let str = orig;
  let neg = false;
  if (str[0] === '-' || str[0] === '+') { neg = str[0] === '-'; str = str.slice(1); }
  if (str === '0') return 0;
  if (str === '') return `time: invalid duration ${q}`;
  let total = 0;
  while (str !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(str)!;
    if (m[1] === '' && (m[2] === undefined || m[2] === '')) return `time: invalid duration ${q}`;
    str = str.slice(m[0].length);
    const u = /^[^\d.]*/.exec(str)![0];
    if (u === '') return `time: missing unit in duration ${q}`;
    if (!(u in units)) return `time: unknown unit ${JSON.stringify(u)} in duration ${q}`;
    str = str.slice(u.length);
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * units[u]!;
  }
  return Math.round(neg ? -total : total);
}
/** sort's named slice types, whose Len/Less/Swap the library supplies. */
const SORT_SLICES = new Set(['sort.IntSlice', 'sort.StringSlice', 'sort.Float64Slice']);
/** sort.SearchInts & co.: the index where x is, or would be inserted, in the sorted slice. */
function searchSorted(s: Value, x: Value): number {
  const sl = s instanceof Named ? s.v : s;
  if (!(sl instanceof SliceVal)) return 0;
  let lo = 0, hi = sl.len;
  while (lo < hi) {
    const h = Math.floor((lo + hi) / 2);
    const v = sl.get(h);
    if (typeof v === 'string' ? v < String(x) : num(v) < num(x)) lo = h + 1; else hi = h;
  }
  return lo;
}
/** The methods of the sync types (Mutex, RWMutex, WaitGroup, Once), which an embedded one promotes. */
const SYNC_METHODS = new Set(['Lock', 'Unlock', 'TryLock', 'RLock', 'RUnlock', 'TryRLock', 'RLocker', 'Add', 'Done', 'Wait', 'Do']);
/** time.Time{}: the zero time (IsZero), before every instant the program sees. */
const ZERO_TIME = new Named('time.Time', -Infinity);
/** Library interface types a program commonly names (a nil *T stored in one is a non-nil interface, as with error). */
const LIB_IFACES = new Set(['fmt.Stringer', 'io.Reader', 'io.Writer', 'io.Closer', 'io.ReadWriter', 'io.ReadCloser', 'io.WriteCloser', 'sort.Interface']);
const intStrOrBool = (v: number | boolean): string => (typeof v === 'boolean' ? String(v) : intStr(v));
const spaced = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

/** Largest slice/array the interpreter allocates (elements). */
const MAX_ELEMS = 20_000_000;
/** Map entries take ~100 bytes each here: 4 M of them is ~0.4 GB. */
const MAX_MAP_ENTRIES = 4_000_000;
/** The JS heap the interpreter lets a run use before it stops it (budget). */
const MAX_HEAP_MB = 2_048;

const BUILTINS = new Set(['len', 'cap', 'append', 'make', 'new', 'delete', 'copy', 'close', 'panic', 'recover', 'print', 'println', 'min', 'max', 'clear']);
const BASIC = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'float32', 'float64', 'string', 'bool', 'byte', 'rune', 'error', 'any']);

const DURATIONS: Record<string, number> = { Nanosecond: 1, Microsecond: 1e3, Millisecond: 1e6, Second: 1e9, Minute: 6e10, Hour: 3.6e12 };

export class Interp {
  readonly notes: string[] = [];
  private readonly noteSet = new Set<string>();
  readonly globals = new Env(null);
  steps = 0;
  budgetHit = false;
  /** One function value per top-level function (immutable; saves an allocation per reference). */
  private readonly funcVals = new Map<FuncDecl, FuncVal>();
  private readonly hooks: FmtHooks;

  constructor(readonly prog: Program, readonly opt: InterpOptions) {
    this.hooks = { method: (v, name) => this.stringMethod(v, name) };
    for (const [name, path] of prog.imports) this.globals.def(name, new Pkg(path, name) as unknown as Value);
    for (const u of prog.unsupported) this.note(u.pos, u.msg);
  }

  private methodExprs = new Map<FuncDecl, FuncVal>();
  /** log.SetFlags / log.SetPrefix state (the standard logger starts with LstdFlags = 3). */
  private logFlags = 3;
  private logPrefix = '';
  note(pos: Pos | undefined, msg: string): void {
    const s = pos ? `${this.opt.file}:${pos.line}: ${msg}` : msg;
    if (this.noteSet.has(s)) return;
    this.noteSet.add(s);
    this.notes.push(s);
  }

  site(pos: Pos, fr: Frame): Site {
    const p = pos as Pos & { s?: Site };
    if (p.s && p.s.fn === fr.fn) return p.s;
    p.s = { file: this.opt.file, line: pos.line, col: pos.col, endLine: pos.endLine, endCol: pos.endCol, text: pos.text, fn: fr.fn };
    return p.s;
  }

  // ---------------------------------------------------------------- entry

  /** The body of the main goroutine: package var initialisation, then main.main. */
  *main(): Body {
    const g = new GCtx();
    const fr = new Frame(g, 'main.init');
    try {
      for (const s of this.prog.globals) yield* this.exec(s, this.globals, fr);
      const main = this.prog.funcs.get('main');
      if (!main) { this.note(undefined, 'no func main in this file: nothing to run'); return; }
      const init = this.prog.funcs.get('init');
      if (init) yield* this.callFunc(new FuncVal('main.init', init, this.globals), [], g);
      yield* this.callFunc(new FuncVal('main.main', main, this.globals), [], g);
      yield* this.flush(g);
    } catch (e) {
      yield* this.top(e, g);
    }
  }

  private *top(e: unknown, g: GCtx): Body {
    if (e instanceof GoexitSignal) { yield* this.flush(g); yield A.goexit(g.site); return; }
    if (e instanceof GoPanic) { if (g.site) yield { op: 'at', site: g.site }; }
    throw e;
  }

  private goroutine(run: (g: GCtx) => Gen<unknown>): A.BodyFactory {
    return () => (function* (self: Interp): Body {
      const g = new GCtx();
      try {
        yield* run(g);
        yield* self.flush(g);
      } catch (e) {
        yield* self.top(e, g);
      }
    })(this);
  }

  // ---------------------------------------------------------------- engine plumbing

  /** Hands the accumulated CPU time to the engine; `endless`: the site of a loop that never ends, whose work this is. */
  private *flush(g: GCtx, tight = false, endless: Site | null = null): Gen<void> {
    if (g.cost >= 1) {
      const ns = Math.floor(g.cost);
      g.cost -= ns;
      yield endless ? A.work(ns, endless, true, true) : A.work(ns, g.site, tight);
    }
  }
  /** Yields an engine action after handing over the accumulated CPU time. */
  private *act(g: GCtx, a: A.Action): Gen<any> {
    yield* this.flush(g);
    return yield a;
  }
  private step(g: GCtx, ns = COST.STMT_NS): void {
    g.cost += ns;
    if (++this.steps > this.nextCheck) this.checkBudget();
  }
  private nextCheck = 0;
  private readonly startMs = Date.now();
  private checkBudget(): void {
    if (this.steps > this.opt.maxSteps) {
      this.stop(`the interpreter ran ${this.steps.toLocaleString('en-US')} steps (budget ${this.opt.maxSteps.toLocaleString('en-US')}); the program may loop forever or be too long to interpret`);
    }
    if (Date.now() - this.startMs > this.opt.maxWallMs) {
      this.stop(`the interpreter used its ${this.opt.maxWallMs.toLocaleString('en-US')} ms of host time; the program may loop forever or be too long to interpret`);
    }
    // Memory: a million blocked goroutines, each with its interpreted calls, can outgrow the host's
    // heap (the extension's worker has 3 GB); stop cleanly first. (Not in browsers: no process.)
    const heapMb = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process?.memoryUsage?.().heapUsed ?? 0;
    if (heapMb / 1048576 > MAX_HEAP_MB) {
      this.stop(`the simulation's memory reached ${MAX_HEAP_MB.toLocaleString('en-US')} MB (every goroutine, its interpreted calls and the event log are held in memory)`);
    }
    this.nextCheck = Math.min(this.opt.maxSteps, this.steps + 65_536);
  }
  /** Why the interpreter stopped the run (reason 'budget'), in a sentence; '' while it runs. */
  budgetWhy = '';
  private stop(why: string): never {
    this.budgetHit = true;
    this.budgetWhy = why;
    throw new BudgetExceeded(why);
  }

  // ---------------------------------------------------------------- types

  resolve(t: TypeExpr): { under: TypeExpr; name: string | null } {
    let name: string | null = null;
    for (let i = 0; i < 20 && t.k === 'name' && !BASIC.has(t.name); i++) {
      const d = this.prog.types.get(t.name);
      if (!d) break;
      name = t.name;
      t = d.t;
    }
    return { under: t, name };
  }

  /** `t` with the type parameters bound in `env` (cells holding a TypeVal, defined by callFunc or an instantiation) replaced. */
  subst<T extends TypeExpr | null | undefined>(t: T, env: Env): T {
    if (!t) return t;
    switch (t.k) {
      case 'name': {
        if (BASIC.has(t.name) || this.prog.types.has(t.name)) {
          if (!t.args) return t;
          const args = t.args.map((a) => this.subst(a, env));
          return (args.every((a, i) => a === t.args![i]) ? t : { ...t, args }) as T;
        }
        const c = env.lookup(t.name);
        return (c && c.v instanceof TypeVal ? c.v.t : t) as T;
      }
      case 'slice': case 'ptr': case 'array': case 'chan': {
        const el = this.subst(t.elem, env);
        return (el === t.elem ? t : { ...t, elem: el }) as T;
      }
      case 'map': {
        const key = this.subst(t.key, env), val = this.subst(t.val, env);
        return (key === t.key && val === t.val ? t : { ...t, key, val }) as T;
      }
      default: return t;
    }
  }
  /** The static type of a value, as far as it shows (for inferring a generic function's type arguments). */
  private typeOfValue(v: Value): TypeExpr | undefined {
    if (typeof v === 'number') return { k: 'name', name: 'int' };
    if (typeof v === 'string') return { k: 'name', name: 'string' };
    if (typeof v === 'boolean') return { k: 'name', name: 'bool' };
    if (v instanceof GoFloat) return { k: 'name', name: v.f32 ? 'float32' : 'float64' };
    if (v instanceof GoDuration) return { k: 'qual', pkg: 'time', name: 'Duration' };
    if (v instanceof Named && !v.type.includes('.')) return { k: 'name', name: v.type };
    if (v instanceof StructVal && !v.type.includes('.') && !v.type.startsWith('struct')) return { k: 'name', name: v.type };
    if (v instanceof SliceVal && v.elem) return { k: 'slice', elem: v.elem };
    if (v instanceof MapVal && v.key && v.val) return { k: 'map', key: v.key, val: v.val };
    if (v instanceof Pointer && v.elemType?.startsWith('main.')) return { k: 'ptr', elem: { k: 'name', name: v.elemType.slice(5) } };
    return undefined;
  }
  /** Binds a generic function's type parameters not bound yet (by an instantiation `f[int]`) from its arguments. */
  private bindTypeParams(d: FuncLit, args: Value[], env: Env): void {
    const tps = d.tparams!;
    const bound = (n: string): boolean => env.lookup(n)?.v instanceof TypeVal;
    const bind = (n: string, t: TypeExpr | undefined): void => { if (t && tps.includes(n) && !bound(n)) env.def(n, new TypeVal(t)); };
    d.params.forEach((p, i) => {
      const a = args[i];
      if (a === undefined) return;
      if (p.type.k === 'name') bind(p.type.name, p.variadic && (args as { spread?: boolean }).spread && a instanceof SliceVal ? a.elem : this.typeOfValue(a));
      else if (p.type.k === 'slice' && p.type.elem.k === 'name' && a instanceof SliceVal) bind(p.type.elem.name, a.elem ?? (a.len ? this.typeOfValue(a.get(0)) : undefined));
      else if (p.type.k === 'map' && a instanceof MapVal) {
        if (p.type.key.k === 'name' && a.key) bind(p.type.key.name, a.key);
        if (p.type.val.k === 'name' && a.val) bind(p.type.val.name, a.val);
      }
    });
  }

  zero(t: TypeExpr | null | undefined): Value {
    if (!t) return null;
    switch (t.k) {
      case 'name': {
        if (isIntType(t.name)) return SIZED.has(canonInt(t.name)) ? new Named(canonInt(t.name), 0) : 0;
        if (isFloatType(t.name)) return new GoFloat(0, t.name === 'float32');
        if (t.name === 'string') return '';
        if (t.name === 'bool') return false;
        if (BASIC.has(t.name)) return null;
        const { under, name } = this.resolve(t);
        if (name === null) return null; // a type parameter or an unknown type: nil stands in
        if (under.k === 'struct') return this.genericStruct(t, name, under.fields);
        if (under.k === 'name' && under.name === t.name) return null;
        const z = this.zero(under);
        if (name && z instanceof Named && SIZED.has(z.type)) return new Named(name, z.v);
        if (name && (typeof z === 'number' || typeof z === 'string' || typeof z === 'boolean' || z instanceof GoFloat)) return new Named(name, z);
        if (name && (z instanceof SliceVal || z instanceof MapVal || z instanceof ArrayVal)) return new Named(name, z); // for its methods and %T
        return z;
      }
      case 'qual':
        if (t.pkg === 'sync') {
          const kind = ({ Mutex: 'mutex', RWMutex: 'rwmutex', WaitGroup: 'waitgroup', Once: 'once' } as Record<string, SyncKind>)[t.name];
          if (kind) return new SyncBox(kind);
          if (t.name === 'Map') return new StructVal('sync.Map', { m: new MapVal(undefined, undefined) }, ['m']);
          return null;
        }
        if (t.pkg === 'time' && t.name === 'Duration') return new GoDuration(0);
        if (t.pkg === 'time' && t.name === 'Time') return ZERO_TIME;
        if (t.pkg === 'strings' && t.name === 'Builder') return new StructVal('strings.Builder', { buf: '' }, ['buf']);
        if (t.pkg === 'bytes' && t.name === 'Buffer') return new StructVal('bytes.Buffer', { buf: '' }, ['buf']);
        if (t.pkg === 'atomic' && (t.name === 'Int64' || t.name === 'Int32' || t.name === 'Uint64' || t.name === 'Uint32')) return new StructVal(`atomic.${t.name}`, { v: 0 }, ['v']);
        if (t.pkg === 'atomic' && t.name === 'Bool') return new StructVal('atomic.Bool', { v: false }, ['v']);
        // atomic.Value and atomic.Pointer[T] (its type argument dropped by lowering) start out holding nil.
        if (t.pkg === 'atomic' && (t.name === 'Value' || t.name === 'Pointer')) return new StructVal(`atomic.${t.name}`, { v: null }, ['v']);
        return null;
      case 'array': {
        const n = t.len ? num(this.evalSync(t.len, this.globals, new Frame(new GCtx(), 'main.init'))) : 0;
        if (n > MAX_ELEMS) this.tooBig(n, t.len!.pos);
        if (n > 64) this.steps += Math.floor(n / 16); // counted against the step budget
        return new ArrayVal(Array.from({ length: n }, () => this.zero(t.elem)), t.elem);
      }
      case 'struct': return this.zeroStruct(typeExprName(t), t.fields);
      case 'map': return new MapVal(t.key, t.val, true);
      case 'slice': return new SliceVal([], 0, 0, 0, t.elem, true);
      case 'ptr': return t.elem.k === 'name' && this.prog.types.has(t.elem.name) ? new NilPtr(t.elem.name) : null;
      default: return null;
    }
  }
  /** A struct's zero value; for a generic type with type arguments (Stack[int]) its fields' types use them, and it keeps them for its methods. */
  private genericStruct(t: TypeExpr, name: string, fields: { name: string; type: TypeExpr }[]): StructVal {
    const tps = this.prog.types.get(name)?.tparams;
    if (t.k !== 'name' || !t.args || !tps) return this.zeroStruct(name, fields);
    const benv = new Env(null);
    tps.forEach((n, i) => { if (t.args![i]) benv.def(n, new TypeVal(t.args![i]!)); });
    const s = this.zeroStruct(name, fields.map((f) => ({ ...f, type: this.subst(f.type, benv) })));
    s.targs = t.args;
    return s;
  }
  private zeroStruct(name: string, fields: { name: string; type: TypeExpr }[]): StructVal {
    const f: Record<string, Value> = {};
    for (const fd of fields) f[fd.name] = this.zero(fd.type);
    return new StructVal(name, f, fields.map((x) => x.name));
  }
  private structFields(typeName: string): { name: string; type: TypeExpr; embedded: boolean }[] {
    const d = this.prog.types.get(typeName);
    if (!d) return [];
    const u = this.resolve({ k: 'name', name: typeName }).under;
    return u.k === 'struct' ? u.fields : [];
  }

  /** Implicit conversion of an (untyped constant) value to a declared type. */
  conv(v: Value, t: TypeExpr | null | undefined): Value {
    if (v === null && t && (t.k === 'ptr' || t.k === 'slice')) return this.zero(t);
    if (v instanceof NilPtr && !v.inIface && t && this.isIface(t)) return new NilPtr(v.type, true);
    if (!t || v === null) return v;
    if (t.k === 'name') {
      if (t.name === 'float32' && (typeof v === 'number' || v instanceof GoFloat && !v.f32)) return new GoFloat(Math.fround(num(v)), true);
      if (isFloatType(t.name)) return typeof v === 'number' ? new GoFloat(v) : v;
      if (isIntType(t.name)) {
        const k = canonInt(t.name);
        if (SIZED.has(k) && (typeof v === 'number' || v instanceof GoFloat)) return sized(num(v), k);
        return v instanceof GoFloat ? Math.trunc(v.v) : v;
      }
      if (BASIC.has(t.name)) return v;
      const { under, name } = this.resolve(t);
      if (name && under.k !== 'struct' && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v instanceof GoFloat)) {
        const inner = this.conv(v, under);
        return new Named(name, inner instanceof Named ? inner.v : inner);
      }
      return v;
    }
    if (t.k === 'qual' && t.pkg === 'time' && t.name === 'Duration' && (typeof v === 'number' || v instanceof GoFloat)) return new GoDuration(num(v));
    if (t.k === 'chan' && v instanceof ChanVal && t.dir !== v.dir) return new ChanVal(v.ref, v.elem, v.cap, t.dir);
    return v;
  }

  /** Explicit conversion `T(x)`. */
  convert(t: TypeExpr, v: Value, pos: Pos): Value {
    const x = v instanceof Named ? v.v : v;
    if (t.k === 'name') {
      if (isIntType(t.name)) {
        const k = canonInt(t.name);
        return SIZED.has(k) ? sized(num(x), k) : wrapInt(num(x), k);
      }
      if (isFloatType(t.name)) return t.name === 'float32' ? new GoFloat(Math.fround(num(x)), true) : new GoFloat(num(x));
      if (t.name === 'string') {
        if (typeof x === 'number') return runeStr(x);
        if (typeof x === 'string') return x;
        if (x instanceof SliceVal) {
          const items = Array.from({ length: x.len }, (_, i) => num(x.get(i)));
          const el = x.elem;
          if (el && el.k === 'name' && (el.name === 'rune' || el.name === 'int32')) return items.map(runeStr).join('');
          const str = bytesToStr(items);
          if (str.includes('\ufffd') && !items.some((b, i) => b === 0xef && items[i + 1] === 0xbf && items[i + 2] === 0xbd)) {
            this.note(pos, 'string of bytes that are not valid UTF-8: the simulator holds strings as text, so each bad byte becomes U+FFFD (3 bytes) and len, indexing and range differ from Go');
          }
          return str;
        }
        return formatV(x);
      }
      if (t.name === 'bool' || t.name === 'error' || t.name === 'any') return v;
      const { under, name } = this.resolve(t);
      if (under.k === 'struct' && x instanceof StructVal) return new StructVal(name ?? x.type, { ...copyVal(x) as StructVal }.f, x.order);
      if (name && under.k === 'name') { const inner = this.convert(under, x, pos); return new Named(name, inner instanceof Named ? inner.v : inner); }
      // Named slice/map/func types keep their name, for their methods (sort.Interface & co.).
      if (name && x !== null && (under.k === 'slice' || under.k === 'map' || under.k === 'func' || under.k === 'chan')) return new Named(name, x);
      if (name && x instanceof ArrayVal && under.k === 'array') return new Named(name, copyVal(x));
      return this.convert(under, x, pos);
    }
    if (t.k === 'slice' && typeof x === 'string') {
      const el = t.elem;
      const runes = el.k === 'name' && (el.name === 'rune' || el.name === 'int32');
      const items: Value[] = runes ? [...strRunes(x)].map(([, r]) => r) : Array.from(utf8(x));
      return new SliceVal(items, 0, items.length, items.length, el);
    }
    if (t.k === 'qual' && t.pkg === 'time' && t.name === 'Duration') return new GoDuration(num(x));
    // A channel converted to a directional type (`(<-chan T)(c)`) takes that direction, for %T.
    if (t.k === 'chan' && x instanceof ChanVal && t.dir !== x.dir) return new ChanVal(x.ref, x.elem, x.cap, t.dir);
    if (t.k === 'ptr' || t.k === 'func' || t.k === 'iface' || t.k === 'chan' || t.k === 'slice' || t.k === 'map') return v;
    this.note(pos, `conversion to ${typeExprName(t)} is approximated (value passed through)`);
    return v;
  }

  /** Does the dynamic value `v` have type `t` (type switches and assertions)? */
  private isIface(t: TypeExpr): boolean {
    if (t.k === 'iface') return true;
    if (t.k === 'qual') return LIB_IFACES.has(`${t.pkg}.${t.name}`);
    if (t.k !== 'name') return false;
    return t.name === 'error' || t.name === 'any' || this.prog.types.get(t.name)?.t.k === 'iface';
  }
  /** What a type assertion or type switch to a concrete type yields: a nil *T held in an interface is a plain nil *T again. */
  private unbox(v: Value, t: TypeExpr | null): Value {
    return v instanceof NilPtr && v.inIface && t && !this.isIface(t) ? new NilPtr(v.type) : v;
  }

  /** Whether m is in v's method set: a T value's excludes the pointer-receiver methods of T (only *T has them). */
  private hasMethod(v: Value, m: string): boolean {
    const r = this.findMethod(v, m);
    if (!r) return false;
    const own = v instanceof StructVal || v instanceof Named ? v.type : null;
    return !(own !== null && r.decl.recv!.ptr && r.decl.recv!.type === own);
  }
  /** An interface type's whole method set, its embedded interfaces' included; null where an embedded one is unknown. */
  private ifaceMethodSet(t: TypeExpr, depth = 0): string[] | null {
    if (depth > 16) return null;
    if (t.k === 'iface') {
      const out = [...t.methods];
      for (const em of t.embeds ?? []) {
        const ms = this.ifaceMethodSet(em, depth + 1);
        if (ms === null) return null;
        out.push(...ms);
      }
      return out;
    }
    if (t.k === 'name') {
      if (t.name === 'error') return ['Error'];
      if (t.name === 'any') return [];
      const d = this.prog.types.get(t.name);
      return d && d.t.k === 'iface' ? this.ifaceMethodSet(d.t, depth + 1) : null;
    }
    if (t.k === 'qual') return LIB_IFACE_METHODS[`${t.pkg}.${t.name}`] ?? null;
    return null;
  }
  hasType(v: Value, t: TypeExpr | null): boolean {
    if (t === null) return v === null;
    if (v === null) return false;
    if (t.k === 'iface' || (t.k === 'name' && t.name === 'any')) {
      if (t.k === 'iface') return (this.ifaceMethodSet(t) ?? t.methods).every((m) => this.hasMethod(v, m) || (m === 'Error' && v instanceof ErrorVal));
      return true;
    }
    if (t.k === 'name' && t.name === 'error') return v instanceof ErrorVal || this.hasMethod(v, 'Error');
    if (t.k === 'qual' && t.pkg === 'fmt' && t.name === 'Stringer') return this.hasMethod(v, 'String');
    // runtime.Error: the errors the runtime panics with (boundsError, plainError, *TypeAssertionError …).
    if (t.k === 'qual' && t.pkg === 'runtime' && t.name === 'Error') return v instanceof ErrorVal && /^\*?runtime\./.test(v.type);
    if (t.k === 'name') {
      const d = this.prog.types.get(t.name);
      if (d && d.t.k === 'iface') return (this.ifaceMethodSet(d.t) ?? d.t.methods).every((m) => this.hasMethod(v, m) || (m === 'Error' && v instanceof ErrorVal));
    }
    if (t.k === 'func') return v instanceof FuncVal; // function types are not kept in detail: any function matches
    const want = typeExprName(t);
    const have = typeName(v);
    return want === have || (want === 'uint8' && have === 'int') || (want === 'int32' && have === 'int');
  }

  // ---------------------------------------------------------------- functions

  *callFunc(f: FuncVal, args: Value[], g: GCtx): Gen<Value> {
    if (f.native) { this.step(g, COST.CALL_NS); return f.native(args); }
    const d = f.decl!;
    this.step(g, COST.CALL_NS);
    // Recursion without loops: hand the CPU time over regularly too (a call is a safe point).
    if (g.cost >= COST.FLUSH_NS) yield* this.flush(g);
    const fr = new Frame(g, f.name);
    const env = new Env(f.env as Env);
    if (f.recv) env.def(f.recv.name, f.recv.v);
    if (f.recv && (d as FuncDecl).recv?.tparams) {
      // A method of a generic type: its type parameters are the receiver value's type arguments.
      const rv = f.recv.v instanceof Pointer ? f.recv.v.get() : f.recv.v;
      const tps = (d as FuncDecl).recv!.tparams!;
      if (rv instanceof StructVal && rv.targs) tps.forEach((n, i) => { if (rv.targs![i]) env.def(n, new TypeVal(rv.targs![i]!)); });
    }
    if (d.tparams) this.bindTypeParams(d, args, env);
    this.bindParams(d.params, args, env);
    for (const r0 of d.results) {
      const r = d.tparams ? { ...r0, type: this.subst(r0.type, env) } : r0;
      fr.resultTypes.push(r.type);
      const c: Cell = { v: this.zero(r.type) };
      fr.results.push(c);
      if (r.name && r.name !== '_') {
        if (this.isIface(r.type)) c[IFACE] = true;
        env.m.set(r.name, c);
      }
    }
    try {
      yield* this.execBlock(d.body, env, fr);
    } catch (e) {
      if (!(e instanceof GoPanic || e instanceof GoexitSignal) || fr.defers.length === 0) throw e;
      yield* this.runDefers(fr, e);
      return this.resultOf(fr);
    }
    if (fr.defers.length) yield* this.runDefers(fr, null);
    return this.resultOf(fr);
  }
  private resultOf(fr: Frame): Value {
    if (fr.results.length === 1) return fr.results[0]!.v;
    if (fr.results.length === 0) return null;
    return new Tuple(fr.results.map((c) => c.v)) as unknown as Value;
  }
  private bindParams(params: Param[], args: Value[], env: Env): void {
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (p.variadic) {
        const a = args[i] instanceof Named && (args[i] as Named).v instanceof SliceVal ? (args[i] as Named).v : args[i];
        const rest = a instanceof SliceVal && (args as any).spread ? a : (() => { const r = args.slice(i).map((a) => this.conv(a, p.type)); return new SliceVal(r, 0, r.length, r.length, p.type); })();
        env.def(p.name, rest);
        return;
      }
      const t = this.subst(p.type, env);
      env.def(p.name, this.conv(copyVal(args[i] ?? this.zero(t)), t));
    }
  }
  /** Runs deferred calls LIFO; `e` is the panic (or Goexit) in flight, rethrown unless recovered. */
  private *runDefers(fr: Frame, e: GoPanic | GoexitSignal | null): Gen<void> {
    let cur: GoPanic | GoexitSignal | null = e;
    while (fr.defers.length) {
      const d = fr.defers.pop()!;
      const saved = fr.g.panicking;
      const state = cur instanceof GoPanic ? { p: cur, recovered: false } : null;
      fr.g.panicking = state;
      try {
        yield* d();
        if (state?.recovered) cur = null;
      } catch (e2) {
        if (e2 instanceof UserPanic && cur instanceof GoPanic && e2 !== cur) {
          // The runtime keeps the earlier panic linked and prints the chain (printpanics):
          // "panic: A [recovered]\n\tpanic: B" for the recover-and-re-panic idiom.
          cur = new UserPanic(`${cur.value}${state!.recovered ? ' [recovered]' : ''}\n\tpanic: ${e2.value}`, e2.goValue, e2.runtimeError);
        } else if (e2 instanceof GoPanic || e2 instanceof GoexitSignal) cur = e2; // a new panic replaces the old one
        else throw e2;
      } finally {
        fr.g.panicking = saved;
      }
    }
    if (cur) throw cur;
  }

  // ---------------------------------------------------------------- statements

  *execBlock(body: Stmt[], env: Env, fr: Frame): Gen<Flow> {
    for (let i = 0; i < body.length; i++) {
      const s = body[i]!;
      if (isSimple(s)) { this.execSimple(s, env, fr); continue; }
      // Calls and returns inline (one generator level less per Go call: deeper recursion fits the JS stack).
      if (s.k === 'expr') {
        this.step(fr.g);
        fr.g.site = this.site(s.pos, fr);
        yield* this.ev(s.x, env, fr);
        continue;
      }
      if (s.k === 'return' && s.values.length === fr.results.length && s.values.length <= 1) {
        this.step(fr.g);
        fr.g.site = this.site(s.pos, fr);
        if (s.values.length === 1) {
          const e = s.values[0]!;
          fr.results[0]!.v = this.conv(copyVal(e.y ? yield* this.ev(e, env, fr) : this.evalSync(e, env, fr)), fr.resultTypes[0]);
        }
        return RETURN;
      }
      const f = yield* this.exec(s, env, fr);
      if (f) {
        // goto: Go only jumps to a label in the same or an enclosing block, so the flow climbs to the block holding it.
        if (f.k === 'goto') {
          const j = body.findIndex((x) => x.k === 'labeled' && x.label === f.label);
          if (j >= 0) { i = j - 1; continue; }
        }
        return f;
      }
    }
    return undefined;
  }

  /** Fast path (no generator) for expression statements, assignments and ++/-- that cannot yield. */
  private execSimple(s: Stmt, env: Env, fr: Frame): void {
    const g = fr.g;
    this.step(g);
    g.site = this.site(s.pos, fr);
    if (s.k === 'expr') { this.evalSync(s.x, env, fr); return; }
    if (s.k === 'incdec') {
      if (s.x.k === 'ident') {
        const c = env.lookup(s.x.name);
        if (c && typeof c.v === 'number') { c.v = this.binary(s.op === '++' ? '+' : '-', c.v, 1, s.pos, fr); return; }
      }
      const ref = this.lvalSync(s.x, env, fr);
      this.store(ref, this.arith(s.op === '++' ? '+' : '-', this.load(ref, s.pos), 1, s.pos), s.pos);
      return;
    }
    if (s.k !== 'assign') return;
    const { lhs, rhs, op } = s;
    if (op !== '=' && op !== ':=') {
      const l = lhs[0]!;
      if (l.k === 'ident') {
        const c = env.lookup(l.name);
        if (c && typeof c.v === 'number') {
          const r = this.evalSync(rhs[0]!, env, fr);
          if (typeof r === 'number') { c.v = this.binary(op.slice(0, -1), c.v, r, s.pos, fr); return; }
        }
      }
      const ref = this.lvalSync(l, env, fr);
      this.store(ref, this.binary(op.slice(0, -1), this.load(ref, s.pos), this.evalSync(rhs[0]!, env, fr), s.pos, fr), s.pos);
      return;
    }
    if (lhs.length === 1) {
      const v = copyVal(this.evalSync(rhs[0]!, env, fr));
      const l = lhs[0]!;
      if (s.define && l.k === 'ident') {
        const c = env.m.get(l.name);
        if (c) c.v = v; else env.def(l.name, v);
      } else if (!(l.k === 'ident' && l.name === '_')) this.store(this.lvalSync(l, env, fr), v, s.pos);
      return;
    }
    const vals = rhs.map((e) => copyVal(this.evalSync(e, env, fr)));
    if (s.define) {
      lhs.forEach((l, i) => { if (l.k === 'ident') { const c = env.m.get(l.name); if (c) c.v = vals[i]!; else env.def(l.name, vals[i]!); } });
      return;
    }
    const refs = lhs.map((l) => (l.k === 'ident' && l.name === '_' ? null : this.lvalSync(l, env, fr)));
    refs.forEach((r, i) => { if (r) this.store(r, vals[i]!, s.pos); });
  }

  *exec(s: Stmt, env: Env, fr: Frame): Gen<Flow> {
    const g = fr.g;
    this.step(g);
    g.site = this.site(s.pos, fr);
    switch (s.k) {
      case 'expr': {
        const v = s.x.y ? yield* this.ev(s.x, env, fr) : this.evalSync(s.x, env, fr);
        void v;
        return undefined;
      }
      case 'assign': yield* this.assign(s, env, fr); return undefined;
      case 'incdec': {
        const ref = s.x.y ? yield* this.lval(s.x, env, fr) : this.lvalSync(s.x, env, fr);
        const old = this.load(ref, s.x.pos);
        this.store(ref, this.arith(s.op === '++' ? '+' : '-', old, 1, s.pos), s.pos);
        return undefined;
      }
      case 'var': {
        const vals: Value[] = [];
        if (s.values.length === 1 && s.names.length > 1) {
          const v = yield* this.ev(s.values[0]!, env, fr);
          vals.push(...(v instanceof Tuple ? v.vs : [v]));
        } else for (const e of s.values) vals.push(copyVal(yield* this.ev(e, env, fr)));
        const t = this.subst(s.t, env);
        const iface = !!t && this.isIface(t) && t;
        if (vals.length === 0 && t && t.k === 'qual' && !NIL_LIBRARY_TYPES.has(`${t.pkg}.${t.name}`) && this.zero(t) === null) {
          this.note(s.pos, `the zero value of ${t.pkg}.${t.name} is not modelled by the simulator (nil used): calls on it fail`);
        }
        s.names.forEach((n, i) => env.def(n, i < vals.length ? this.conv(vals[i]!, t) : this.zero(t), iface));
        return undefined;
      }
      case 'const':
        for (const spec of s.specs) {
          const cenv = new Env(env);
          cenv.def('iota', spec.iota);
          spec.names.forEach((n, i) => {
            const e = spec.values[i];
            env.def(n, e ? this.conv(this.evalSync(e, cenv, fr), spec.t) : null);
          });
        }
        return undefined;
      case 'typedecl': return undefined;
      case 'block': return yield* this.execBlock(s.body, new Env(env), fr);
      case 'if': {
        const ienv = new Env(env);
        if (s.init) { const f = yield* this.exec(s.init, ienv, fr); if (f) return f; }
        const c = s.cond.y ? yield* this.ev(s.cond, ienv, fr) : this.evalSync(s.cond, ienv, fr);
        if (c === true) return yield* this.execBlock(s.then, new Env(ienv), fr);
        if (s.else) return yield* this.execBlock(s.else, new Env(ienv), fr);
        return undefined;
      }
      case 'for': return yield* this.execFor(s, env, fr);
      case 'range': return yield* this.execRange(s, env, fr);
      case 'goto': return { k: 'goto', label: s.label };
      case 'labeled': {
        const f = yield* this.exec(s.s, env, fr);
        if (f && (f.k === 'break') && f.label === s.label) return undefined;
        return f;
      }
      case 'switch': return yield* this.execSwitch(s, env, fr);
      case 'typeswitch': {
        const senv = new Env(env);
        if (s.init) yield* this.exec(s.init, senv, fr);
        const v = yield* this.ev(s.x, senv, fr);
        let chosen: { types: (TypeExpr | null)[] | null; body: Stmt[] } | undefined;
        for (const c of s.cases) if (c.types && c.types.some((t) => this.hasType(v, t))) { chosen = c; break; }
        chosen ??= s.cases.find((c) => c.types === null);
        if (!chosen) return undefined;
        const cenv = new Env(senv);
        if (s.bind) cenv.def(s.bind, chosen.types?.length === 1 ? this.unbox(v, chosen.types[0]!) : v);
        const f = yield* this.execBlock(chosen.body, cenv, fr);
        if (f && f.k === 'break' && (f.label === null || f.label === s.label)) return undefined;
        return f;
      }
      case 'select': return yield* this.execSelect(s, env, fr);
      case 'send': {
        const ch = yield* this.ev(s.ch, env, fr);
        const v = this.conv(copyVal(yield* this.ev(s.value, env, fr)), ch instanceof ChanVal ? ch.elem : undefined);
        yield* this.act(g, A.send(this.chanRef(ch), v, g.site));
        return undefined;
      }
      case 'go': {
        const t = yield* this.callTarget(s.call, env, fr, 'go');
        if (!t) return undefined;
        yield* this.act(g, A.go(this.goroutine(t.run), g.site, t.name));
        return undefined;
      }
      case 'defer': {
        // Function value and arguments are evaluated now; the call runs at return.
        const t = yield* this.callTarget(s.call, env, fr, 'defer');
        if (t) fr.defers.push(() => t.run(g));
        return undefined;
      }
      case 'return': {
        if (s.values.length === 1 && fr.results.length > 1) {
          const v = yield* this.ev(s.values[0]!, env, fr);
          const vs = v instanceof Tuple ? v.vs : [v];
          vs.forEach((x, i) => { if (fr.results[i]) fr.results[i]!.v = this.conv(x, fr.resultTypes[i]); });
        } else {
          const vals: Value[] = [];
          for (const e of s.values) vals.push(copyVal(e.y ? yield* this.ev(e, env, fr) : this.evalSync(e, env, fr)));
          // Named results: the function's declaration gives the types for untyped constants.
          vals.forEach((x, i) => { if (fr.results[i]) fr.results[i]!.v = this.conv(x, fr.resultTypes[i]); });
        }
        return RETURN;
      }
      case 'break': return s.label ? { k: 'break', label: s.label } : BREAK;
      case 'continue': return s.label ? { k: 'continue', label: s.label } : CONTINUE;
      case 'fallthrough': return FALL;
      case 'bad': this.note(s.pos, s.msg + ' (skipped)'); return undefined;
    }
  }

  private *assign(s: Extract<Stmt, { k: 'assign' }>, env: Env, fr: Frame): Gen<void> {
    const { lhs, rhs, op } = s;
    if (op !== '=' && op !== ':=') {
      const ref = lhs[0]!.y ? yield* this.lval(lhs[0]!, env, fr) : this.lvalSync(lhs[0]!, env, fr);
      const r = rhs[0]!.y ? yield* this.ev(rhs[0]!, env, fr) : this.evalSync(rhs[0]!, env, fr);
      this.store(ref, this.arith(op.slice(0, -1), this.load(ref, s.pos), r, s.pos), s.pos);
      return;
    }
    let vals: Value[];
    if (lhs.length > 1 && rhs.length === 1) {
      const e = rhs[0]!;
      if (e.k === 'index') {
        const m = yield* this.ev(e.x, env, fr);
        const k = yield* this.ev(e.i, env, fr);
        const mv = m instanceof Named ? m.v : m;
        if (mv instanceof MapVal) { const ent = mv.m.get(this.hashKey(k, e.pos, fr)); this.step(fr.g, COST.MAP_NS); vals = [ent ? ent[1] : this.zero(mv.val), !!ent]; } else vals = [null, false];
      } else if (e.k === 'un' && e.op === '<-') {
        const ch = yield* this.ev(e.x, env, fr);
        const r = (yield* this.act(fr.g, A.recv(this.chanRef(ch), this.site(e.pos, fr)))) as A.RecvResult;
        vals = [r.ok ? (r.value as Value) : this.zero(ch instanceof ChanVal ? ch.elem : null), r.ok];
      } else if (e.k === 'assert') {
        const v = yield* this.ev(e.x, env, fr);
        const ok = this.hasType(v, e.t);
        vals = [ok ? this.unbox(v, e.t) : this.zero(e.t), ok];
      } else {
        const v = yield* this.ev(e, env, fr);
        vals = v instanceof Tuple ? v.vs : [v];
      }
    } else {
      vals = [];
      for (const e of rhs) vals.push(copyVal(e.y ? yield* this.ev(e, env, fr) : this.evalSync(e, env, fr)));
    }
    if (s.define) {
      lhs.forEach((l, i) => {
        if (l.k !== 'ident') return;
        const existing = env.m.get(l.name);
        if (existing) existing.v = vals[i] ?? null;
        else env.def(l.name, vals[i] ?? null);
      });
      return;
    }
    if (lhs.length === 1) {
      const l = lhs[0]!;
      if (l.k === 'ident' && l.name === '_') return;
      const ref = l.y ? yield* this.lval(l, env, fr) : this.lvalSync(l, env, fr);
      this.store(ref, vals[0] ?? null, s.pos);
      return;
    }
    const refs: Ref[] = [];
    for (const l of lhs) refs.push(l.k === 'ident' && l.name === '_' ? null : yield* this.lval(l, env, fr));
    refs.forEach((r, i) => { if (r) this.store(r, vals[i] ?? null, s.pos); });
  }

  private *execFor(s: Extract<Stmt, { k: 'for' }>, env: Env, fr: Frame): Gen<Flow> {
    const g = fr.g;
    let lenv = new Env(env);
    if (s.init) yield* this.exec(s.init, lenv, fr);
    const plan = s.tight && this.opt.pureLoops !== 'off' ? purePlan(s) : null;
    if (plan && (yield* this.runPure(s, plan, lenv, fr))) return undefined;
    const perIter = s.perIter.length > 0 && this.opt.goVersion >= 22;
    // `for {}` (or `for init; ; {}`) interpreted step by step: it never ends either.
    const endless = !s.cond && s.body.length === 0 && !s.post ? this.loopSite(s, fr) : null;
    for (;;) {
      if (s.cond) {
        this.step(g);
        const c = s.cond.y ? yield* this.ev(s.cond, lenv, fr) : this.evalSync(s.cond, lenv, fr);
        if (c !== true) break;
      } else if (s.body.length === 0 && !s.post) this.step(g); // `for {}`: the jump back costs (as in pureloop.ts)
      let f: Flow;
      if (simpleBody(s.body)) {
        const benv = new Env(lenv);
        for (let i = 0; i < s.body.length; i++) this.execSimple(s.body[i]!, benv, fr);
      } else f = yield* this.execBlock(s.body, new Env(lenv), fr);
      if (f) {
        if (f.k === 'break' && (f.label === null || f.label === s.label)) break;
        if (f.k === 'continue' && (f.label === null || f.label === s.label)) { /* next iteration */ } else return f;
      }
      if (perIter) {
        // Go 1.22: each iteration has its own copy of the loop variables.
        const next = new Env(env);
        for (const [k, c] of lenv.m) next.m.set(k, { v: c.v });
        lenv = next;
      }
      if (s.post) { if (isSimple(s.post)) this.execSimple(s.post, lenv, fr); else yield* this.exec(s.post, lenv, fr); }
      if (g.cost >= COST.FLUSH_NS) yield* this.flush(g, s.tight, endless);
    }
    return undefined;
  }

  /**
   * A pure loop (pureloop.ts) on the compiled fast path, or fast-forwarded when it is huge and its
   * result has an exact closed form. Same values, virtual CPU, steps and sites as interpreting it;
   * false if a variable is not a plain int here (then the caller interprets the loop).
   */
  private *runPure(s: ForStmt, plan: PurePlan, env: Env, fr: Frame): Gen<boolean> {
    const cells: Cell[] = [];
    for (const name of plan.names) {
      const c = env.lookup(name);
      if (!c || typeof c.v !== 'number') return false;
      cells.push(c);
    }
    const g = fr.g;
    const v = cells.map((c) => c.v as number);
    plan.rt.intOp = (op, x, y, pos) => this.intOp(op, x, y, pos, fr);
    const lastSite = this.site(plan.lastPos, fr);
    let ff: FastForward | null = null;
    const site = g.site;
    try {
      ff = fastForward(plan, v, (k) => plan.names[k]!);
    } catch (e) {
      if (!(e instanceof GoPanic)) throw e; // the loop panics at some iteration: interpret it to panic there
      g.site = site;
    }
    if (ff && ff.n >= FAST_FORWARD_MIN_ITERATIONS && this.opt.pureLoops !== 'compiled') {
      if (ff.values) {
        ff.values.forEach((x, k) => { cells[k]!.v = x; });
        const ns = (ff.n * plan.nodesPerIter + plan.condNodes) * COST.STMT_NS;
        g.cost += ns;
        g.site = lastSite;
        this.note(s.pos, `loop of ${spaced(ff.n)} iterations fast-forwarded: its final values computed exactly in closed form instead of iteration by iteration; ${fmtNs(ns)} of CPU time charged, as if it had run`);
        yield* this.flush(g, true);
        return true;
      }
    }
    // Said once the loop is over: parts of it may still be skipped between scheduling points.
    const notSkipped = ff && ff.n >= FAST_FORWARD_MIN_ITERATIONS && this.opt.pureLoops !== 'compiled'
      ? `loop of ${spaced(ff.n)} iterations not fast-forwarded (${ff.why}): interpreted iteration by iteration, within the interpreter's budget`
      : null;
    const { cond, iter, stepsPerIter } = plan;
    const per = plan.nodesPerIter * COST.STMT_NS;
    const skip = plan.ff?.updates && this.opt.pureLoops !== 'compiled';
    // A loop that can never end tells the engine so, with the line of its `for`.
    const endless = plan.endless ? this.loopSite(s, fr) : null;
    let skipped = 0;
    try {
      for (;;) {
        // As many iterations as the interpreter would run before its next flush or budget check.
        let k = Math.max(1, Math.ceil((COST.FLUSH_NS - g.cost) / per));
        const room = Math.floor((this.nextCheck - this.steps) / stepsPerIter);
        if (room < k) k = Math.max(1, room);
        let done = 0;
        let ended = false;
        let jump: FastForward | null = null;
        if (skip) {
          // Nothing else runs before the next flush: the k iterations can be computed in closed form.
          try {
            jump = fastForward(plan, v, (j) => plan.names[j]!, k);
          } catch (e) {
            if (!(e instanceof GoPanic)) throw e;
            g.site = site;
          }
        }
        if (jump?.values) {
          for (let j = 0; j < v.length; j++) v[j] = jump.values[j]!;
          done = jump.n;
          ended = jump.n < k;
          skipped += done;
          this.steps += stepsPerIter + (ended ? 1 : 0);
          if (skipped >= FAST_FORWARD_MIN_ITERATIONS) {
            this.note(s.pos, 'loop fast-forwarded between scheduling points: its variables computed exactly in closed form instead of iteration by iteration, the CPU time charged as if it had run');
          }
        } else if (cond) {
          while (done < k) {
            if (!cond(v)) { ended = true; break; }
            iter(v);
            done++;
          }
        } else {
          while (done < k) { iter(v); done++; }
        }
        g.cost += done * per + (ended ? plan.condNodes * COST.STMT_NS : 0);
        if (!jump?.values) this.steps += done * stepsPerIter + (ended ? 1 : 0);
        if (done > 0) g.site = lastSite;
        if (this.steps > this.nextCheck) this.checkBudget();
        if (ended) return true;
        if (g.cost >= COST.FLUSH_NS) {
          for (let j = 0; j < v.length; j++) cells[j]!.v = v[j]!;
          yield* this.flush(g, true, endless);
          // Other goroutines ran meanwhile and may have changed shared variables.
          for (let j = 0; j < v.length; j++) v[j] = cells[j]!.v as number;
        }
      }
    } finally {
      for (let j = 0; j < v.length; j++) cells[j]!.v = v[j]!;
      if (notSkipped && skipped === 0) this.note(s.pos, notSkipped);
    }
  }

  /** A loop's site for messages about the loop as a whole: the line of its `for` keyword. */
  private loopSite(s: ForStmt, fr: Frame): Site {
    const full = this.site(s.pos, fr);
    return { file: full.file, line: full.line, col: full.col, endLine: full.line, endCol: (full.col ?? 0) + 3, text: 'for', fn: full.fn };
  }

  private *execRange(s: Extract<Stmt, { k: 'range' }>, env: Env, fr: Frame): Gen<Flow> {
    const g = fr.g;
    let x = yield* this.ev(s.x, env, fr);
    if (x instanceof Named) x = x.v;
    // Ranging over an array value copies the array first (so writes in the body are not seen by the
    // iteration variable); over a pointer to an array it reads the live elements.
    const viaPtr = x instanceof Pointer && x.get() instanceof ArrayVal;
    if (viaPtr) x = (x as Pointer).get();
    const perIter = s.define && this.opt.goVersion >= 22;
    let shared: Env | null = null;
    const self = this;
    function* iter(k: Value, v: Value | undefined): Gen<Flow | 'stop'> {
      let benv: Env;
      if (s.define) {
        if (perIter || !shared) {
          const e = new Env(env);
          if (s.key) e.def((s.key as { name: string }).name, k);
          if (s.val && v !== undefined) e.def((s.val as { name: string }).name, copyVal(v));
          if (!perIter) shared = e;
          benv = e;
        } else {
          if (s.key) { const c = shared.m.get((s.key as { name: string }).name); if (c) c.v = k; }
          if (s.val && v !== undefined) { const c = shared.m.get((s.val as { name: string }).name); if (c) c.v = copyVal(v); }
          benv = shared;
        }
      } else {
        if (s.key && !(s.key.k === 'ident' && s.key.name === '_')) self.store(yield* self.lval(s.key, env, fr), k, s.pos);
        if (s.val && v !== undefined && !(s.val.k === 'ident' && s.val.name === '_')) self.store(yield* self.lval(s.val, env, fr), copyVal(v), s.pos);
        benv = env;
      }
      self.step(g);
      const f = yield* self.execBlock(s.body, new Env(benv), fr);
      if (g.cost >= COST.FLUSH_NS) yield* self.flush(g, s.tight);
      if (f) {
        if (f.k === 'break' && (f.label === null || f.label === s.label)) return 'stop';
        if (f.k === 'continue' && (f.label === null || f.label === s.label)) return undefined;
        return f;
      }
      return undefined;
    }
    const handle = (r: Flow | 'stop'): { done: boolean; flow: Flow } => (r === 'stop' ? { done: true, flow: undefined } : r ? { done: true, flow: r } : { done: false, flow: undefined });
    if (typeof x === 'number') {
      for (let i = 0; i < x; i++) { const h = handle(yield* iter(i, undefined)); if (h.done) return h.flow; }
    } else if (typeof x === 'string') {
      for (const [off, r] of [...strRunes(x)]) { const h = handle(yield* iter(off, r)); if (h.done) return h.flow; }
    } else if (x instanceof SliceVal) {
      const n = x.len;
      const sl = x;
      for (let i = 0; i < n; i++) { const h = handle(yield* iter(i, s.val ? sl.get(i) : undefined)); if (h.done) return h.flow; }
    } else if (x instanceof ArrayVal) {
      const arr = viaPtr || !s.val ? x.a : x.a.map(copyVal);
      for (let i = 0; i < arr.length; i++) { const h = handle(yield* iter(i, s.val ? arr[i]! : undefined)); if (h.done) return h.flow; }
    } else if (x instanceof MapVal) {
      // Go randomises map iteration: a seeded random rotation of insertion order stands in for it.
      const keys = [...x.m.keys()];
      const start = keys.length > 1 ? ((yield { op: 'rand', n: keys.length }) as number) : 0;
      for (let j = 0; j < keys.length; j++) {
        const ent = x.m.get(keys[(start + j) % keys.length]);
        if (!ent) continue; // deleted during iteration
        const h = handle(yield* iter(ent[0], s.val ? ent[1] : undefined));
        if (h.done) return h.flow;
      }
    } else if (x === null) {
      // A nil slice or map: no iterations. (A nil channel would block forever; without static types
      // the interpreter cannot tell them apart and picks the common case.)
    } else if (x instanceof ChanVal) {
      for (;;) {
        const r = (yield* this.act(g, A.recv(x ? x.ref : null, this.site(s.pos, fr)))) as A.RecvResult;
        if (!r.ok) break;
        const h = handle(yield* iter(r.value as Value, undefined));
        if (h.done) return h.flow;
      }
    } else if (x instanceof FuncVal) {
      this.note(s.pos, 'range over a function (iterator) is not interpreted');
    } else this.note(s.pos, `range over ${typeName(x)} is not interpreted`);
    return undefined;
  }

  private *execSwitch(s: Extract<Stmt, { k: 'switch' }>, env: Env, fr: Frame): Gen<Flow> {
    const senv = new Env(env);
    if (s.init) yield* this.exec(s.init, senv, fr);
    const tag = s.tag ? yield* this.ev(s.tag, senv, fr) : true;
    let idx = -1;
    outer: for (let i = 0; i < s.cases.length; i++) {
      const c = s.cases[i]!;
      if (!c.exprs) continue;
      for (const e of c.exprs) {
        this.step(fr.g);
        const v = yield* this.ev(e, senv, fr);
        if (equal(tag, v)) { idx = i; break outer; }
      }
    }
    if (idx < 0) idx = s.cases.findIndex((c) => c.exprs === null);
    while (idx >= 0 && idx < s.cases.length) {
      const f = yield* this.execBlock(s.cases[idx]!.body, new Env(senv), fr);
      if (f === FALL) { idx++; continue; }
      if (f && f.k === 'break' && (f.label === null || f.label === s.label)) return undefined;
      return f;
    }
    return undefined;
  }

  private *execSelect(s: Extract<Stmt, { k: 'select' }>, env: Env, fr: Frame): Gen<Flow> {
    const cases: A.SelectCase[] = [];
    const chans: Value[] = [];
    const map: number[] = [];
    let def: (typeof s.cases)[number] | null = null;
    for (let i = 0; i < s.cases.length; i++) {
      const c = s.cases[i]!;
      if (c.kind === 'default') { def = c; continue; }
      const ch = yield* this.ev(c.ch!, env, fr);
      const value = c.kind === 'send' ? this.conv(copyVal(yield* this.ev(c.value!, env, fr)), ch instanceof ChanVal ? ch.elem : undefined) : undefined;
      cases.push({ dir: c.kind, ch: this.chanRef(ch), value });
      chans.push(ch);
      map.push(i);
    }
    const r = (yield* this.act(fr.g, A.select(cases, !!def, this.site(s.pos, fr)))) as A.SelectResult;
    const c = r.index < 0 ? def! : s.cases[map[r.index]!]!;
    const cenv = new Env(env);
    if (c.kind === 'recv' && c.lhs.length) {
      const elemSrc = chans[r.index] ?? null;
      const v = r.ok ? (r.value as Value) : this.zero(elemSrc instanceof ChanVal ? elemSrc.elem : null);
      const vals = [v, r.ok];
      for (let i = 0; i < c.lhs.length; i++) {
        const l = c.lhs[i]!;
        if (c.define) { if (l.k === 'ident') cenv.def(l.name, vals[i]!); } else if (!(l.k === 'ident' && l.name === '_')) this.store(yield* this.lval(l, env, fr), vals[i]!, c.pos);
      }
    }
    const f = yield* this.execBlock(c.body, cenv, fr);
    if (f && f.k === 'break' && (f.label === null || f.label === s.label)) return undefined;
    return f;
  }

  // ---------------------------------------------------------------- lvalues

  private *lval(e: Expr, env: Env, fr: Frame): Gen<Ref> {
    switch (e.k) {
      case 'ident': return this.identRef(e, env);
      case 'index': {
        const x = yield* this.ev(e.x, env, fr);
        return this.indexRef(e, x, yield* this.ev(e.i, env, fr), fr);
      }
      case 'sel': return this.fieldRef(e, yield* this.fieldBase(e.x, env, fr));
      case 'un': if (e.op === '*') return this.derefRef(e, yield* this.ev(e.x, env, fr), fr); break;
      default: break;
    }
    this.note(e.pos, `unsupported assignment target ${e.k}`);
    return null;
  }
  /** lval without a generator, for targets whose operands cannot block (the common case). */
  private lvalSync(e: Expr, env: Env, fr: Frame): Ref {
    switch (e.k) {
      case 'ident': return this.identRef(e, env);
      case 'index': {
        const x = this.evalSync(e.x, env, fr);
        return this.indexRef(e, x, this.evalSync(e.i, env, fr), fr);
      }
      case 'sel': return this.fieldRef(e, this.fieldBaseSync(e.x, env, fr));
      case 'un': if (e.op === '*') return this.derefRef(e, this.evalSync(e.x, env, fr), fr); break;
      default: break;
    }
    this.note(e.pos, `unsupported assignment target ${e.k}`);
    return null;
  }
  // Where an assignment stores, once the target's operands are evaluated (shared by lval and lvalSync).
  private identRef(e: Extract<Expr, { k: 'ident' }>, env: Env): Ref {
    if (e.name === '_') return null;
    const c = env.lookup(e.name);
    if (!c) { this.note(e.pos, `assignment to unknown variable ${e.name}`); return new Pointer({ v: null }, 'v'); }
    return new Pointer(c, 'v');
  }
  private indexRef(e: Extract<Expr, { k: 'index' }>, x: Value, i: Value, fr: Frame): Ref {
    if (x instanceof Named) x = x.v;
    if (x instanceof Pointer) x = x.get();
    if (x instanceof Named && x.v instanceof ArrayVal) x = x.v; // through a pointer to a named array type
    if (x instanceof MapVal && !x.nil) { this.hashKey(i, e.pos, fr); return new MapSlot(x, i); }
    if (x instanceof MapVal || (x === null && e.x.k !== 'index')) throw this.runtimePanic('assignment to entry in nil map', e.pos, fr);
    if (x instanceof SliceVal) { this.bounds(num(i), x.len, e.pos, fr); return new Pointer(x.arr, x.off + num(i), undefined, x.elem); }
    if (x instanceof ArrayVal) {
      // Index an addressable array in place.
      this.bounds(num(i), x.a.length, e.pos, fr);
      return new Pointer(x.a, num(i), undefined, x.elem);
    }
    this.note(e.pos, `cannot assign to an index of ${typeName(x)}`);
    return null;
  }
  private fieldRef(e: Extract<Expr, { k: 'sel' }>, base: Value): Ref {
    if (base instanceof StructVal) {
      const owner = this.fieldOwner(base, e.name);
      if (owner) return new Pointer(owner.f, e.name, undefined, owner.type);
    }
    this.note(e.pos, `cannot assign to field ${e.name}`);
    return null;
  }
  private derefRef(e: Expr, p: Value, fr: Frame): Ref {
    if (p instanceof Pointer) return p;
    throw this.runtimePanic('invalid memory address or nil pointer dereference', e.pos, fr);
  }
  /** The struct a selector reads from (auto-dereferencing pointers). */
  private *fieldBase(x: Expr, env: Env, fr: Frame): Gen<Value> {
    return this.derefStruct(x, x.y ? yield* this.ev(x, env, fr) : this.evalSync(x, env, fr), fr);
  }
  private fieldBaseSync(x: Expr, env: Env, fr: Frame): Value {
    return this.derefStruct(x, this.evalSync(x, env, fr), fr);
  }
  private derefStruct(x: Expr, v: Value, fr: Frame): Value {
    if (v instanceof Pointer) v = v.get();
    if (v === null || v instanceof NilPtr) throw this.runtimePanic('invalid memory address or nil pointer dereference', x.pos, fr);
    return v;
  }
  /** The struct (this one or an embedded one) that holds field `name`. */
  private fieldOwner(s: StructVal, name: string, depth = 0): StructVal | null {
    if (name in s.f) return s;
    if (depth > 5) return null;
    for (const fd of this.structFields(s.type)) {
      if (!fd.embedded) continue;
      let inner = s.f[fd.name];
      if (inner instanceof Pointer) inner = inner.get();
      if (inner instanceof StructVal) { const o = this.fieldOwner(inner, name, depth + 1); if (o) return o; }
    }
    return null;
  }
  private load(r: Ref, pos: Pos): Value {
    if (r === null) return null;
    if (r instanceof MapSlot) { const ent = r.m.m.get(mapKey(r.k)); return ent ? ent[1] : this.zero(r.m.val); }
    void pos;
    return r.get();
  }
  private store(r: Ref, v: Value, pos: Pos): void {
    if (r === null) return;
    if (r instanceof MapSlot) {
      const key = mapKey(r.k);
      if (r.m.m.size >= MAX_MAP_ENTRIES && !r.m.m.has(key)) this.tooBig(r.m.m.size + 1, pos, `a map of ${(r.m.m.size + 1).toLocaleString('en-US')} entries`, MAX_MAP_ENTRIES);
      r.m.m.set(key, [r.k, this.conv(v, r.m.val)]);
      return;
    }
    const old = r.get();
    // Keep the declared representation for untyped constants (float var = 3).
    if (v === null && old instanceof NilPtr && !old.inIface) v = old;
    else if (v === null && old instanceof Pointer && old.elemType?.startsWith('main.')) v = new NilPtr(old.elemType.slice(5));
    // `s = nil` for a slice or map variable keeps its type (printed [] / map[], not <nil>).
    else if (v === null && (old instanceof SliceVal || old instanceof MapVal) && !((r.obj as Cell)[IFACE] || this.holdsIface(r))) {
      v = old instanceof SliceVal ? new SliceVal([], 0, 0, 0, old.elem, true) : new MapVal(old.key, old.val, true);
    }
    else if (old instanceof Named && (old.v instanceof SliceVal || old.v instanceof MapVal) && (v === null || v instanceof SliceVal || v instanceof MapVal)) {
      v = new Named(old.type, v ?? (old.v instanceof SliceVal ? new SliceVal([], 0, 0, 0, old.v.elem, true) : new MapVal(old.v.key, old.v.val, true)));
    }
    else if (old instanceof GoFloat && (typeof v === 'number' || old.f32 && v instanceof GoFloat && !v.f32)) v = old.f32 ? new GoFloat(Math.fround(num(v)), true) : new GoFloat(num(v));
    else if (old instanceof GoDuration && typeof v === 'number') v = new GoDuration(v);
    else if (old instanceof Named && !(v instanceof Named) && (typeof v === 'number' || typeof v === 'string' || v instanceof GoFloat)) v = new Named(old.type, v);
    // A nil *T stored in an interface-typed variable, field or element is a non-nil interface.
    else if (v instanceof NilPtr && !v.inIface && ((r.obj as Cell)[IFACE] || this.holdsIface(r))) v = new NilPtr(v.type, true);
    void pos;
    r.set(v);
  }

  private holdsIface(r: Pointer): boolean {
    const h = r.holder;
    if (h === undefined) return false;
    const t = typeof h === 'string' ? this.structFields(h).find((f) => f.name === r.key)?.type : h;
    return t !== undefined && this.isIface(t);
  }

  /** Interpreting big allocations and copies takes host time too: they count against the step budget. */
  private chargeElems(g: GCtx, n: number): void {
    if (n > 64) { this.steps += Math.floor(n / 16); this.step(g, 0); }
  }

  /** An allocation the interpreter cannot hold in memory stops the run (budget), with a note. */
  private tooBig(n: number, pos: Pos, what = `an allocation of ${n.toLocaleString('en-US')} elements`, limit = MAX_ELEMS): never {
    const why = `${what} is too large to interpret (limit ${limit.toLocaleString('en-US')})`;
    this.note(pos, `approximation: ${why}`);
    this.stop(why);
  }

  private bounds(i: number, n: number, pos: Pos, fr: Frame): void {
    if (!(i >= 0 && i < n)) throw this.runtimePanic(`index out of range [${i}] with length ${n}`, pos, fr);
  }
  /** The map key of k; a slice, map or func held in an interface key panics as Go's hash does. */
  private hashKey(k: Value, pos: Pos, fr: Frame): unknown {
    if (uncomparable(k)) throw this.runtimePanic(`hash of unhashable type ${typeName(k)}`, pos, fr);
    return mapKey(k);
  }

  private runtimePanic(msg: string, pos: Pos, fr: Frame): GoPanic {
    fr.g.site = this.site(pos, fr);
    // A few runtime panics are plain errors without the "runtime error: " prefix.
    const text = msg.startsWith('assignment to entry in nil map') ? msg : `runtime error: ${msg}`;
    // The dynamic type recover() sees (%T), as Go 1.19's runtime makes them.
    const type = msg.startsWith('assignment to entry in nil map') ? 'runtime.plainError' : /^(index|slice bounds) out of range/.test(msg) ? 'runtime.boundsError' : 'runtime.errorString';
    const err = new ErrorVal(text, null, type);
    return new UserPanic(`${text}${msg.includes('nil pointer') ? '\n[signal SIGSEGV: segmentation violation]' : ''}`, err, true);
  }

  private chanRef(v: Value): ChanRef | null {
    if (v instanceof Named) v = v.v;
    if (v instanceof ChanVal) return v.ref;
    if (v instanceof TimerVal) return v.c.ref;
    return null;
  }

  // ---------------------------------------------------------------- expressions

  /** Evaluates an expression that may yield (calls go straight to `call`: one generator less per Go call). */
  ev(e: Expr, env: Env, fr: Frame): Gen<Value> {
    if (e.k === 'call' && e.y) return this.call(e, env, fr);
    return this.evGen(e, env, fr);
  }

  private *evGen(e: Expr, env: Env, fr: Frame): Gen<Value> {
    if (!e.y) return this.evalSync(e, env, fr);
    const g = fr.g;
    g.cost += COST.STMT_NS;
    switch (e.k) {
      case 'call': return yield* this.call(e, env, fr);
      case 'un': {
        if (e.op === '<-') {
          const ch = yield* this.ev(e.x, env, fr);
          const r = (yield* this.act(g, A.recv(this.chanRef(ch), this.site(e.pos, fr)))) as A.RecvResult;
          return r.ok ? (r.value as Value) : this.zero(ch instanceof ChanVal ? ch.elem : null);
        }
        if (e.op === '&') {
          const r = yield* this.addrOf(e.x, env, fr);
          return r;
        }
        const x = yield* this.ev(e.x, env, fr);
        return this.unary(e.op, x, e, fr);
      }
      case 'bin': {
        if (e.op === '&&') { const l = yield* this.ev(e.l, env, fr); return l === true ? yield* this.ev(e.r, env, fr) : false; }
        if (e.op === '||') { const l = yield* this.ev(e.l, env, fr); return l === true ? true : yield* this.ev(e.r, env, fr); }
        const l = yield* this.ev(e.l, env, fr);
        const r = yield* this.ev(e.r, env, fr);
        return this.binary(e.op, l, r, e.pos, fr);
      }
      case 'sel': {
        const x = yield* this.ev(e.x, env, fr);
        return this.select(x, e, env, fr);
      }
      case 'index': {
        const x = yield* this.ev(e.x, env, fr);
        const i = yield* this.ev(e.i, env, fr);
        return this.index(x, i, e.pos, fr);
      }
      case 'inst': return this.instantiate(yield* this.ev(e.x, env, fr), e.targs.map((t) => this.subst(t, env)));
      case 'slice': {
        const x = yield* this.ev(e.x, env, fr);
        const lo = e.lo ? yield* this.ev(e.lo, env, fr) : null;
        const hi = e.hi ? yield* this.ev(e.hi, env, fr) : null;
        const max = e.max ? yield* this.ev(e.max, env, fr) : null;
        return this.sliceOf(x, lo, hi, max, e.pos, fr);
      }
      case 'comp': return yield* this.composite(e, this.subst(e.t, env), env, fr);
      case 'assert': {
        const x = yield* this.ev(e.x, env, fr);
        return this.assertType(x, e, fr);
      }
      default: return this.evalSync(e, env, fr);
    }
  }

  /** Evaluates an expression that cannot yield. */
  evalSync(e: Expr, env: Env, fr: Frame): Value {
    fr.g.cost += COST.STMT_NS;
    switch (e.k) {
      case 'lit': return e.v;
      case 'ident': return this.ident(e, env, fr);
      case 'bin': {
        if (e.op === '&&') return this.evalSync(e.l, env, fr) === true ? this.evalSync(e.r, env, fr) : false;
        if (e.op === '||') return this.evalSync(e.l, env, fr) === true ? true : this.evalSync(e.r, env, fr);
        return this.binary(e.op, this.evalSync(e.l, env, fr), this.evalSync(e.r, env, fr), e.pos, fr);
      }
      case 'un':
        if (e.op === '&') return this.drive(this.addrOf(e.x, env, fr));
        return this.unary(e.op, this.evalSync(e.x, env, fr), e, fr);
      case 'sel': return this.select(this.evalSync(e.x, env, fr), e, env, fr);
      case 'index': return this.index(this.evalSync(e.x, env, fr), this.evalSync(e.i, env, fr), e.pos, fr);
      case 'inst': return this.instantiate(this.evalSync(e.x, env, fr), e.targs.map((t) => this.subst(t, env)));
      case 'slice': return this.sliceOf(this.evalSync(e.x, env, fr), e.lo ? this.evalSync(e.lo, env, fr) : null, e.hi ? this.evalSync(e.hi, env, fr) : null, e.max ? this.evalSync(e.max, env, fr) : null, e.pos, fr);
      case 'comp': return this.drive(this.composite(e, this.subst(e.t, env), env, fr));
      case 'func': fr.g.cost += COST.ALLOC_NS; return new FuncVal(e.lit.name, e.lit, env);
      case 'assert': return this.assertType(this.evalSync(e.x, env, fr), e, fr);
      case 'type': return new TypeVal(e.t);
      case 'call': return this.drive(this.call(e, env, fr));
      case 'bad': this.note(e.pos, e.msg + ' (zero value used)'); return null;
    }
  }

  /** Runs a generator that is known not to yield (pure expressions); a stray action is an approximation. */
  private drive<T>(gen: Gen<T>): T {
    let r = gen.next();
    while (!r.done) {
      const a = r.value;
      if (a.op !== 'work') this.note(undefined, `internal: action ${a.op} in a non-yielding context was ignored`);
      r = gen.next(undefined);
    }
    return r.value;
  }

  private ident(e: Extract<Expr, { k: 'ident' }>, env: Env, fr: Frame): Value {
    const c = env.lookup(e.name);
    if (c) return c.v;
    const f = this.prog.funcs.get(e.name);
    if (f) {
      let v = this.funcVals.get(f);
      if (!v) this.funcVals.set(f, (v = new FuncVal(f.name, f, this.globals)));
      return v;
    }
    if (this.prog.types.has(e.name) || BASIC.has(e.name)) return new TypeVal({ k: 'name', name: e.name });
    if (BUILTINS.has(e.name)) return new TypeVal({ k: 'bad', text: e.name });
    this.note(e.pos, `unknown identifier ${e.name} (zero value used)`);
    void fr;
    return null;
  }

  private *addrOf(x: Expr, env: Env, fr: Frame): Gen<Value> {
    if (x.k === 'comp') {
      fr.g.cost += COST.ALLOC_NS;
      const v = yield* this.composite(x, x.t, env, fr);
      return new Pointer({ v }, 'v', v instanceof StructVal && !v.type.startsWith('struct') ? `main.${v.type}` : undefined);
    }
    const r = yield* this.lval(x, env, fr);
    if (r instanceof MapSlot || r === null) { this.note(x.pos, 'cannot take the address of this expression'); return null; }
    const v = r.get();
    return new Pointer(r.obj, r.key, v instanceof StructVal && !v.type.startsWith('struct') && !v.type.includes('.') ? `main.${v.type}` : undefined);
  }

  unary(op: string, x: Value, e: Expr, fr: Frame): Value {
    if (op === '*' && x instanceof TypeVal) return new TypeVal({ k: 'ptr', elem: x.t }); // a pointer type used as a value: f[*T]
    const inner = x instanceof Named ? x.v : x;
    const wrap = (r: Value): Value => {
      if (!(x instanceof Named)) return r;
      const k = this.intKind(x.type);
      return new Named(x.type, k && typeof r === 'number' ? wrapInt(r, k) : r);
    };
    switch (op) {
      case '-': return wrap(inner instanceof GoFloat ? new GoFloat(-inner.v, inner.f32) : inner instanceof GoDuration ? new GoDuration(-inner.v) : -num(inner));
      case '+': return x;
      case '!': return !inner;
      case '^': return wrap(~num(inner));
      case '*':
        if (x instanceof Pointer) return x.get();
        throw this.runtimePanic('invalid memory address or nil pointer dereference', e.pos, fr);
      default: this.note(e.pos, `operator ${op}`); return null;
    }
  }

  /** The sized integer kind behind a named type (uint8 for `type Weekday uint8`), or null. */
  intKind(type: string): string | null {
    if (SIZED.has(type)) return type;
    const u = this.resolve({ k: 'name', name: type }).under;
    return u.k === 'name' && SIZED.has(canonInt(u.name)) ? canonInt(u.name) : null;
  }

  arith(op: string, a: Value, b: Value, pos: Pos): Value {
    return this.binary(op, a, b, pos, null);
  }

  binary(op: string, a: Value, b: Value, pos: Pos, fr: Frame | null): Value {
    if (typeof a === 'number' && typeof b === 'number') {
      // Fast path: plain ints.
      switch (op) {
        case '+': { const r = a + b; if (Number.isSafeInteger(r)) return r; break; }
        case '-': { const r = a - b; if (Number.isSafeInteger(r)) return r; break; }
        case '<': return a < b;
        case '>': return a > b;
        case '<=': return a <= b;
        case '>=': return a >= b;
        case '==': return a === b;
        case '!=': return a !== b;
        case '%': if (b !== 0) return a % b; break;
      }
      return this.inexact(this.intOp(op, a, b, pos, fr), pos);
    }
    if ((op === '==' || op === '!=') && fr && uncomparable(a) && uncomparable(b) && typeName(a) === typeName(b)) {
      // Only through interfaces can two slices, maps or funcs meet in ==: same dynamic type, Go panics.
      throw this.runtimePanic(`comparing uncomparable type ${typeName(a)}`, pos, fr);
    }
    switch (op) {
      case '==': return equal(a, b);
      case '!=': return !equal(a, b);
    }
    let named: string | null = null;
    if (a instanceof Named) { named = a.type; a = a.v; }
    if (b instanceof Named) { named ??= b.type; b = b.v; }
    let r: Value;
    if (typeof a === 'string' && typeof b === 'string') {
      switch (op) {
        case '+': r = a + b; break;
        case '<': return a < b;
        case '>': return a > b;
        case '<=': return a <= b;
        case '>=': return a >= b;
        default: r = null;
      }
    } else if (a instanceof GoFloat || b instanceof GoFloat) {
      const x = num(a), y = num(b);
      // float32 arithmetic rounds each result to single precision.
      const f = (a instanceof GoFloat && a.f32) || (b instanceof GoFloat && b.f32) ? (z: number) => new GoFloat(Math.fround(z), true) : (z: number) => new GoFloat(z);
      switch (op) {
        case '+': r = f(x + y); break;
        case '-': r = f(x - y); break;
        case '*': r = f(x * y); break;
        case '/': r = f(x / y); break;
        case '<': return x < y;
        case '>': return x > y;
        case '<=': return x <= y;
        case '>=': return x >= y;
        default: r = null;
      }
    } else {
      const dur = a instanceof GoDuration || b instanceof GoDuration;
      const x = num(a), y = num(b);
      switch (op) {
        case '<': return x < y;
        case '>': return x > y;
        case '<=': return x <= y;
        case '>=': return x >= y;
      }
      r = this.intOp(op, x, y, pos, fr);
      if (dur) r = new GoDuration(r as number);
    }
    if (!named || r === null || typeof r === 'boolean') return typeof r === 'number' ? this.inexact(r, pos) : r;
    const k = this.intKind(named);
    return new Named(named, k && typeof r === 'number' ? this.inexact(wrapInt(r, k), pos) : r);
  }
  /** Integers are doubles here: one beyond 2^53 (a 64-bit overflow, uint wrap-around) has lost its low digits, said in a note. */
  private inexact(r: number, pos: Pos): number {
    if (!Number.isSafeInteger(r) && Number.isFinite(r)) this.note(pos, 'an integer result beyond 2^53 (64-bit overflow or wrap-around): the simulator holds integers as doubles, so its low digits (and what prints) may differ from Go');
    return r;
  }

  private intOp(op: string, x: number, y: number, pos: Pos, fr: Frame | null): number {
    switch (op) {
      case '+': { const r = x + y; return Number.isSafeInteger(r) ? r : wrapInt(Number(BigInt.asIntN(64, BigInt(x) + BigInt(y))), 'int'); }
      case '-': { const r = x - y; return Number.isSafeInteger(r) ? r : wrapInt(Number(BigInt.asIntN(64, BigInt(x) - BigInt(y))), 'int'); }
      case '*': { const r = x * y; return Number.isSafeInteger(r) ? r : Number(BigInt.asIntN(64, BigInt(Math.trunc(x)) * BigInt(Math.trunc(y)))); }
      case '/':
        if (y === 0) throw this.divZero(pos, fr);
        return Math.trunc(x / y);
      case '%':
        if (y === 0) throw this.divZero(pos, fr);
        return x % y;
      case '&': return isSmall(x, y) ? x & y : Number(BigInt(x) & BigInt(y));
      case '|': return isSmall(x, y) ? x | y : Number(BigInt(x) | BigInt(y));
      case '^': return isSmall(x, y) ? x ^ y : Number(BigInt(x) ^ BigInt(y));
      case '&^': return Number(BigInt(x) & ~BigInt(y));
      case '<<': return y >= 64 ? 0 : Number(BigInt.asIntN(64, BigInt(x) << BigInt(y)));
      case '>>': return y >= 64 ? (x < 0 ? -1 : 0) : Number(BigInt(x) >> BigInt(y));
      default: return 0;
    }
  }
  private divZero(pos: Pos, fr: Frame | null): GoPanic {
    if (fr) return this.runtimePanic('integer divide by zero', pos, fr);
    return new UserPanic('runtime error: integer divide by zero', new ErrorVal('runtime error: integer divide by zero'), true);
  }

  /** f[T1, T2]: a generic function with its type parameters bound in a new closure environment. */
  private instantiate(f: Value, targs: TypeExpr[]): Value {
    if (!(f instanceof FuncVal) || !f.decl?.tparams) return f;
    const env = new Env(f.env as Env);
    targs.forEach((t, i) => { const n = f.decl!.tparams![i]; if (n) env.def(n, new TypeVal(t)); });
    return new FuncVal(f.name, f.decl, env, undefined, f.recv);
  }
  private index(x: Value, i: Value, pos: Pos, fr: Frame): Value {
    // Instantiation of a generic function, f[int]: its first type parameter is bound in a new closure environment.
    if (x instanceof FuncVal && x.decl?.tparams && i instanceof TypeVal) return this.instantiate(x, [i.t]);
    if (x instanceof Named) x = x.v;
    if (x instanceof Pointer) x = x.get();
    if (x instanceof Named && x.v instanceof ArrayVal) x = x.v; // through a pointer to a named array type
    if (x instanceof MapVal) { fr.g.cost += COST.MAP_NS; const ent = x.m.get(this.hashKey(i, pos, fr)); return ent ? ent[1] : this.zero(x.val); }
    const n = num(i);
    if (x instanceof SliceVal) { this.bounds(n, x.len, pos, fr); return x.get(n); }
    if (x instanceof ArrayVal) { this.bounds(n, x.a.length, pos, fr); return x.a[n]!; }
    if (typeof x === 'string') { const len = strLen(x); this.bounds(n, len, pos, fr); return strByte(x, n)!; }
    if (x === null) throw this.runtimePanic(`index out of range [${n}] with length 0`, pos, fr);
    this.note(pos, `indexing ${typeName(x)} is not interpreted`);
    return null;
  }

  private sliceOf(x: Value, lo: Value, hi: Value, max: Value, pos: Pos, fr: Frame): Value {
    if (x instanceof Named && x.v instanceof SliceVal) { const r = this.sliceOf(x.v, lo, hi, max, pos, fr); return r instanceof SliceVal ? new Named(x.type, r) : r; }
    if (x instanceof Named) x = x.v;
    if (x instanceof Pointer) x = x.get();
    if (x instanceof Named && x.v instanceof ArrayVal) x = x.v;
    const l = lo === null ? 0 : num(lo);
    if (typeof x === 'string') {
      const n = strLen(x);
      const h = hi === null ? n : num(hi);
      if (l < 0 || h > n || l > h) throw this.runtimePanic(`slice bounds out of range [${l}:${h}] with length ${n}`, pos, fr);
      return strSlice(x, l, h);
    }
    if (x instanceof ArrayVal) x = new SliceVal(x.a, 0, x.a.length, x.a.length, x.elem);
    if (x === null) x = new SliceVal([], 0, 0, 0, undefined);
    if (x instanceof SliceVal) {
      const h = hi === null ? x.len : num(hi);
      const m = max === null ? x.cap : num(max);
      if (h < 0 || h > x.cap) throw this.runtimePanic(`slice bounds out of range [:${h}] with capacity ${x.cap}`, pos, fr);
      if (l < 0 || l > h) throw this.runtimePanic(`slice bounds out of range [${l}:${h}]`, pos, fr);
      if (m > x.cap || m < h) throw this.runtimePanic(`slice bounds out of range [::${m}] with capacity ${x.cap}`, pos, fr);
      return new SliceVal(x.arr, x.off + l, h - l, m - l, x.elem);
    }
    this.note(pos, `slicing ${typeName(x)} is not interpreted`);
    return null;
  }

  private assertType(x: Value, e: Extract<Expr, { k: 'assert' }>, fr: Frame): Value {
    if (this.hasType(x, e.t)) return this.unbox(x, e.t);
    fr.g.site = this.site(e.pos, fr);
    // A *runtime.TypeAssertionError: recover gets an error whose text has no "runtime error: " prefix.
    // (The static type is taken as interface {}; asserting a nil interface to an interface type names none.)
    const nil = x === null || (x instanceof NilPtr && !x.inIface);
    const text = nil && e.t && this.isIface(e.t) ? `interface conversion: interface is nil, not ${typeExprName(e.t)}`
      : `interface conversion: interface {} is ${nil ? 'nil' : typeName(x)}, not ${typeExprName(e.t)}`;
    throw new UserPanic(text, new ErrorVal(text, null, '*runtime.TypeAssertionError'), true);
  }

  /** x.name: a field, a method value, or a package member. */
  private select(x: Value, e: Extract<Expr, { k: 'sel' }>, env: Env, fr: Frame): Value {
    if (x instanceof TypeVal) {
      // A method expression, (*T).M or T.M: a function whose first parameter is the receiver.
      const t = x.t.k === 'ptr' ? x.t.elem : x.t;
      const d = t.k === 'name' ? this.prog.methods.get(t.name)?.get(e.name) : undefined;
      if (d) {
        let f = this.methodExprs.get(d);
        if (!f) {
          const lit: FuncLit = { ...d, params: [{ name: d.recv!.name, type: x.t, variadic: false }, ...d.params] };
          this.methodExprs.set(d, (f = new FuncVal(d.name, lit, this.globals)));
        }
        return f;
      }
    }
    if (x instanceof Pkg) return this.pkgMember(x, e.name, e.pos);
    if (x instanceof TimerVal && e.name === 'C') return x.c;
    let base = x;
    if (base instanceof Pointer) base = base.get();
    if (base instanceof StructVal) {
      const owner = this.fieldOwner(base, e.name);
      if (owner) return owner.f[e.name]!;
    }
    const m = this.methodValue(x, e.name);
    if (m) {
      // A pointer method on an addressable named non-struct value (c.Inc() with var c Counter): the receiver is &c.
      if (m.decl && m.recv && m.recv.v instanceof Pointer && x instanceof Named && !e.x.y && (e.x.k === 'ident' || e.x.k === 'index' || e.x.k === 'sel' || e.x.k === 'un')) {
        const ref = this.lvalSync(e.x, env, fr);
        if (ref instanceof Pointer) return new FuncVal(m.name, m.decl, m.env, undefined, { v: ref, name: m.recv.name });
      }
      return m;
    }
    if (x === null || x instanceof NilPtr || (x instanceof Pointer && base === null)) throw this.runtimePanic('invalid memory address or nil pointer dereference', e.pos, fr);
    // A method promoted from an embedded interface field that is nil.
    if (base instanceof StructVal && this.structFields(base.type).some((f) => f.embedded && base.f[f.name] === null && this.isIface(f.type))) throw this.runtimePanic('invalid memory address or nil pointer dereference', e.pos, fr);
    this.note(e.pos, `unknown field or method ${e.name} on ${typeName(x)} (zero value used)`);
    return null;
  }

  private pkgMember(p: Pkg, name: string, pos: Pos): Value {
    if (p.path === 'time' && name in DURATIONS) return new GoDuration(DURATIONS[name]!);
    if (p.path === 'math') {
      const c: Record<string, number> = {
        Pi: Math.PI, E: Math.E, Sqrt2: Math.SQRT2, Ln2: Math.LN2, Phi: (1 + Math.sqrt(5)) / 2, MaxFloat64: Number.MAX_VALUE, SmallestNonzeroFloat64: 5e-324,
        MaxInt64: 9223372036854775807, MinInt64: -9223372036854775808, MaxInt: 9223372036854775807, MinInt: -9223372036854775808, MaxUint64: 18446744073709551615, MaxUint: 18446744073709551615,
        MaxInt32: 2147483647, MinInt32: -2147483648, MaxUint32: 4294967295, MaxInt16: 32767, MinInt16: -32768, MaxUint16: 65535, MaxInt8: 127, MinInt8: -128, MaxUint8: 255,
      };
      if (/^Max(Int|Uint)(64)?$/.test(name)) this.note(pos, `math.${name} is beyond 2^53, where the simulator's integers (doubles) are no longer exact: arithmetic near it may differ from Go`);
      if (name in c) return /^(Max|Min)(Int|Uint)/.test(name) ? c[name]! : new GoFloat(c[name]!);
    }
    if (p.path === 'context' && name === 'Canceled') return CTX_CANCELED;
    if (p.path === 'context' && name === 'DeadlineExceeded') return CTX_DEADLINE;
    if (p.path === 'os' && (name === 'Stdout' || name === 'Stderr' || name === 'Args')) return new Named(`os.${name}`, name);
    if (p.path === 'os' && name === 'Stdin') return (this.stdin ??= textSource('os.File', '', { stdin: true }));
    if (p.path === 'io' && name === 'EOF') return IO_EOF;
    // A function value: called later through callLib.
    return new FuncVal(`${p.path}.${name}`, null, null, undefined, { v: p as unknown as Value, name });
  }

  /** Finds a user method for the dynamic type of v (value or pointer receiver, embedded promotion). */
  findMethod(v: Value, name: string): { decl: FuncDecl; recv: Value } | null {
    if (v instanceof NilPtr) {
      // Methods with pointer receivers can be called on a nil pointer (the method checks `p == nil`).
      const d = this.prog.methods.get(v.type)?.get(name);
      return d && d.recv!.ptr ? { decl: d, recv: v } : null;
    }
    let base = v;
    let ptr: Pointer | null = null;
    if (base instanceof Pointer) { ptr = base; base = base.get(); }
    const tname = base instanceof StructVal ? base.type : base instanceof Named ? base.type : null;
    if (tname) {
      const d = this.prog.methods.get(tname)?.get(name);
      if (d) return { decl: d, recv: d.recv!.ptr ? (ptr ?? new Pointer({ v: base }, 'v')) : copyVal(base) };
    }
    if (base instanceof StructVal) {
      for (const fd of this.structFields(base.type)) {
        if (!fd.embedded) continue;
        // An embedded interface promotes its own methods only, not the rest of the dynamic value's.
        if (this.isIface(fd.type)) { const ms = this.ifaceMethodSet(fd.type); if (ms && !ms.includes(name)) continue; }
        const inner = base.f[fd.name]!;
        const r = this.findMethod(inner instanceof StructVal ? new Pointer(base.f, fd.name) : inner, name);
        if (r) return r;
      }
    }
    return null;
  }

  private methodValue(x: Value, name: string): FuncVal | null {
    const m = this.findMethod(x, name);
    if (m) return new FuncVal(m.decl.name, m.decl, this.globals, undefined, { v: m.recv, name: m.decl.recv!.name });
    // Library types (sync, timers, strings.Builder, errors, atomics): dispatched in callLib.
    let base = x instanceof Pointer ? x.get() : x;
    let holder = x;
    if (base instanceof StructVal && !(base.type.includes('.'))) {
      // Promoted library methods via embedding: an embedded sync.Mutex's Lock, an embedded strings.Builder's
      // WriteString (called on the embedded field in place).
      const syncMethod = SYNC_METHODS.has(name);
      for (const fd of this.structFields(base.type)) {
        if (!fd.embedded) continue;
        const inner = base.f[fd.name];
        if (inner instanceof SyncBox && syncMethod) { base = inner; break; }
        if (inner instanceof StructVal && inner.type.includes('.') && !syncMethod) { holder = new Pointer(base.f, fd.name); base = inner; break; }
      }
    }
    if (base instanceof SyncBox || base instanceof TimerVal || base instanceof ErrorVal || base instanceof Opaque || (base instanceof Named && (base.type === 'time.Time' || base.type === 'os.Stdout' || base.type === 'os.Stderr' || SORT_SLICES.has(base.type))) || (base instanceof StructVal && base.type.includes('.')) || base instanceof GoDuration) {
      return new FuncVal(`method.${name}`, null, null, undefined, { v: holder instanceof Pointer && !(base instanceof SyncBox) ? holder : base, name });
    }
    return null;
  }

  /** String()/Error() for fmt, run synchronously (a method that blocks is an approximation). */
  private stringMethod(v: Value, name: 'String' | 'Error'): string | null {
    if (v === null || typeof v !== 'object' || v instanceof NilPtr) return null;
    if (v instanceof ErrorVal) return name === 'Error' ? v.msg : null;
    const ctx = name === 'String' && v instanceof StructVal ? asCtx(v) : null;
    if (ctx) return this.ctxString(ctx);
    if (!(v instanceof StructVal || v instanceof Named || v instanceof Pointer)) return null;
    const m = this.findMethod(v, name);
    if (!m) return null;
    // Go calls a pointer-receiver String() only when it is given a pointer.
    if (m.decl.recv!.ptr && !(v instanceof Pointer)) return null;
    const g = new GCtx();
    const r = this.drive(this.callFunc(new FuncVal(m.decl.name, m.decl, this.globals, undefined, { v: m.recv, name: m.decl.recv!.name }), [], g));
    return typeof r === 'string' ? r : formatV(r);
  }

  // ---------------------------------------------------------------- composite literals

  private *composite(e: Extract<Expr, { k: 'comp' }>, t: TypeExpr | null, env: Env, fr: Frame): Gen<Value> {
    fr.g.cost += COST.ALLOC_NS;
    if (!t) { this.note(e.pos, 'composite literal without a type'); return null; }
    if (t.k === 'ptr') {
      const v = yield* this.composite(e, t.elem, env, fr);
      return new Pointer({ v }, 'v');
    }
    const { under, name } = this.resolve(t);
    const elemVal = function* (self: Interp, x: Expr, et: TypeExpr | null): Gen<Value> {
      if (x.k === 'comp' && !x.t) return yield* self.composite(x, et, env, fr);
      return self.conv(copyVal(yield* self.ev(x, env, fr)), et);
    };
    if (under.k === 'struct' || (t.k === 'qual')) {
      if (t.k === 'qual') return this.zero(t);
      const s = name ? this.genericStruct(t, name, under.k === 'struct' ? under.fields : []) : this.zeroStruct(typeExprName(under), under.k === 'struct' ? under.fields : []);
      const fields = under.k === 'struct' ? under.fields : [];
      for (let i = 0; i < e.elems.length; i++) {
        const el = e.elems[i]!;
        const fname = el.key && el.key.k === 'ident' ? el.key.name : fields[i]?.name;
        if (!fname) continue;
        const fd = fields.find((f) => f.name === fname);
        s.f[fname] = yield* elemVal(this, el.val, fd?.type ?? null);
      }
      return s;
    }
    if (under.k === 'slice' || under.k === 'array') {
      const arr: Value[] = [];
      let idx = 0;
      for (const el of e.elems) {
        if (el.key) idx = num(yield* this.ev(el.key, env, fr));
        while (arr.length < idx) arr.push(this.zero(under.elem));
        arr[idx++] = yield* elemVal(this, el.val, under.elem);
      }
      if (under.k === 'array') {
        const n = under.len ? num(this.evalSync(under.len, env, fr)) : arr.length;
        while (arr.length < n) arr.push(this.zero(under.elem));
        // A named array type (type IPAddr [4]byte) keeps its name, for its methods (String) and %T.
        return name ? new Named(name, new ArrayVal(arr, under.elem)) : new ArrayVal(arr, under.elem);
      }
      const sv = new SliceVal(arr, 0, arr.length, arr.length, under.elem);
      return name ? new Named(name, sv) : sv;
    }
    if (under.k === 'map') {
      const m = new MapVal(under.key, under.val);
      for (const el of e.elems) {
        const k = el.key ? (el.key.k === 'comp' && !el.key.t ? yield* this.composite(el.key, under.key, env, fr) : yield* this.ev(el.key, env, fr)) : null;
        const v = yield* elemVal(this, el.val, under.val);
        m.m.set(mapKey(k), [this.conv(k, under.key), v]);
      }
      return name ? new Named(name, m) : m;
    }
    this.note(e.pos, `composite literal of ${typeExprName(t)} is not interpreted`);
    return null;
  }

  // ---------------------------------------------------------------- calls

  /** Resolves the callee and evaluates the arguments of a call now (for `go` and `defer`); `run` makes the call later. */
  private *callTarget(call: Expr, env: Env, fr: Frame, why: 'go' | 'defer'): Gen<{ name: string; run: (g: GCtx) => Gen<unknown> } | null> {
    if (call.k !== 'call') { this.note(call.pos, `${why} of a non-call`); return null; }
    const builtin = call.fn.k === 'ident' && BUILTINS.has(call.fn.name) && !env.lookup(call.fn.name) && !this.prog.funcs.has(call.fn.name);
    const fnv = builtin ? null : yield* this.ev(call.fn, env, fr);
    const args = yield* this.evalArgs(call, env, fr);
    if (fnv instanceof FuncVal && fnv.decl) return { name: fnv.name, run: (g) => this.callFunc(fnv, args, g) };
    // Builtins, library calls, methods of library types: arguments evaluated now, the call runs later.
    const name = fnv instanceof FuncVal ? fnv.name : call.fn.k === 'ident' ? call.fn.name : fr.fn;
    return { name, run: (g) => this.invoke(call, fnv, args, env, new Frame(g, fr.fn)) };
  }

  private *evalArgs(call: Extract<Expr, { k: 'call' }>, env: Env, fr: Frame): Gen<Value[]> {
    if (!argsYield(call)) return this.evalArgsSync(call, env, fr);
    const args: Value[] = [];
    for (const a of call.args) pushArg(args, a.y ? yield* this.ev(a, env, fr) : this.evalSync(a, env, fr), call);
    if (call.spread) (args as any).spread = true;
    return args;
  }
  /** evalArgs without a generator, for calls whose arguments cannot yield (most of them). */
  private evalArgsSync(call: Extract<Expr, { k: 'call' }>, env: Env, fr: Frame): Value[] {
    const args: Value[] = [];
    for (const a of call.args) pushArg(args, this.evalSync(a, env, fr), call);
    if (call.spread) (args as any).spread = true;
    return args;
  }

  private *call(e: Extract<Expr, { k: 'call' }>, env: Env, fr: Frame): Gen<Value> {
    // Builtins (unless shadowed).
    if (e.fn.k === 'ident' && BUILTINS.has(e.fn.name) && !env.lookup(e.fn.name) && !this.prog.funcs.has(e.fn.name)) return yield* this.builtin(e.fn.name, e, env, fr);
    if (e.fn.k === 'type') {
      const v = e.args[0] ? yield* this.ev(e.args[0], env, fr) : null;
      return this.convert(e.fn.t, v, e.pos);
    }
    // Generators only where something can yield: a Go call is hot.
    const fnv = e.fn.y ? yield* this.ev(e.fn, env, fr) : this.evalSync(e.fn, env, fr);
    if (fnv instanceof TypeVal) {
      const v = e.args[0] ? yield* this.ev(e.args[0], env, fr) : null;
      return this.convert(fnv.t, v, e.pos);
    }
    const args = argsYield(e) ? yield* this.evalArgs(e, env, fr) : this.evalArgsSync(e, env, fr);
    if (fnv instanceof FuncVal && fnv.decl) return yield* this.callFunc(fnv, args, fr.g);
    return yield* this.invoke(e, fnv, args, env, fr);
  }

  private *invoke(e: Extract<Expr, { k: 'call' }>, fnv: Value, args: Value[], env: Env, fr: Frame): Gen<Value> {
    if (fnv instanceof Named && fnv.v instanceof FuncVal) fnv = fnv.v;
    if (fnv instanceof FuncVal) {
      if (fnv.decl) return yield* this.callFunc(fnv, args, fr.g);
      if (fnv.native) return fnv.native(args);
      if (fnv.recv) {
        const r = fnv.recv.v;
        if ((args as { spread?: boolean }).spread) args = spreadArgs(args); // fmt.Sprint(v...)
        if ((r as unknown) instanceof Pkg) return yield* this.callLib((r as unknown as Pkg).path, fnv.recv.name, args, e, fr);
        return yield* this.callLibMethod(r, fnv.recv.name, args, e, fr);
      }
    }
    if (e.fn.k === 'ident' && BUILTINS.has(e.fn.name)) return yield* this.builtinWithArgs(e.fn.name, args, e, env, fr);
    if (fnv === null) throw this.runtimePanic('invalid memory address or nil pointer dereference', e.pos, fr);
    this.note(e.pos, `call of ${typeName(fnv)} is not interpreted`);
    return null;
  }

  private *builtin(name: string, e: Extract<Expr, { k: 'call' }>, env: Env, fr: Frame): Gen<Value> {
    // make/new take a type as first argument.
    if (name === 'make' || name === 'new') {
      const t = e.args[0]!.k === 'type' ? (e.args[0] as { t: TypeExpr }).t : e.args[0]!.k === 'ident' ? { k: 'name' as const, name: (e.args[0] as { name: string }).name } : e.args[0]!.k === 'sel' ? { k: 'qual' as const, pkg: ((e.args[0] as any).x as { name: string }).name, name: (e.args[0] as { name: string }).name } : null;
      const rest: Value[] = [];
      for (const a of e.args.slice(1)) rest.push(yield* this.ev(a, env, fr));
      if (!t) { this.note(e.pos, `${name} of an unrecognised type`); return null; }
      return yield* this.makeNew(name, this.subst(t, env), rest, e, fr);
    }
    const args = yield* this.evalArgs(e, env, fr);
    return yield* this.builtinWithArgs(name, args, e, env, fr);
  }

  private *makeNew(name: string, t: TypeExpr, rest: Value[], e: Expr, fr: Frame): Gen<Value> {
    const g = fr.g;
    g.cost += COST.ALLOC_NS;
    if (name === 'new') {
      const z = this.zero(t);
      return new Pointer({ v: z }, 'v', z instanceof StructVal ? `main.${z.type}` : undefined);
    }
    const { under } = this.resolve(t);
    if (under.k === 'chan') {
      const cap = rest[0] === undefined ? 0 : num(rest[0]);
      const ref = (yield* this.act(g, A.makechan(cap, this.site(e.pos, fr)))) as ChanRef;
      return new ChanVal(ref, under.elem, cap);
    }
    if (under.k === 'slice') {
      const n = num(rest[0] ?? 0);
      const cap = rest[1] === undefined ? n : num(rest[1]);
      if (n < 0) throw this.runtimePanic('makeslice: len out of range', e.pos, fr);
      if (cap < n) throw this.runtimePanic('makeslice: cap out of range', e.pos, fr);
      g.cost += cap / 8;
      if (cap > MAX_ELEMS) this.tooBig(cap, e.pos);
      this.chargeElems(g, cap);
      const arr = Array.from({ length: cap }, () => this.zero(under.elem));
      return new SliceVal(arr, 0, n, cap, under.elem);
    }
    if (under.k === 'map') return new MapVal(under.key, under.val);
    this.note(e.pos, `make(${typeExprName(t)}) is not interpreted`);
    return null;
  }

  private *builtinWithArgs(name: string, args: Value[], e: Extract<Expr, { k: 'call' }>, env: Env, fr: Frame): Gen<Value> {
    const g = fr.g;
    const site = this.site(e.pos, fr);
    const a0 = args[0] instanceof Named ? (args[0] as Named).v : args[0];
    switch (name) {
      case 'len': {
        if (typeof a0 === 'string') return strLen(a0);
        if (a0 instanceof SliceVal) return a0.len;
        if (a0 instanceof ArrayVal) return a0.a.length;
        if (a0 instanceof MapVal) return a0.m.size;
        if (a0 instanceof Pointer && a0.get() instanceof ArrayVal) return (a0.get() as ArrayVal).a.length;
        if (a0 instanceof ChanVal) return (yield* this.act(g, { op: 'len', ch: a0.ref })) as number;
        return 0;
      }
      case 'cap': {
        if (a0 instanceof SliceVal) return a0.cap;
        if (a0 instanceof ArrayVal) return a0.a.length;
        if (a0 instanceof ChanVal) return a0.cap;
        return 0;
      }
      case 'append': {
        let s = a0 instanceof SliceVal ? a0 : new SliceVal([], 0, 0, 0, undefined);
        let extra: Value[];
        if ((args as any).spread) {
          const sp = args[1] instanceof Named ? (args[1] as Named).v : args[1];
          extra = typeof sp === 'string' ? Array.from(utf8(sp)) : sp instanceof SliceVal ? Array.from({ length: sp.len }, (_, i) => copyVal(sp.get(i))) : [];
        } else extra = args.slice(1).map((v) => this.conv(copyVal(v), s.elem));
        const need = s.len + extra.length;
        if (extra.length === 0 && s.nil) return args[0]!;
        if (need > s.cap) {
          g.cost += COST.ALLOC_NS + need / 4;
          const cap = growCap(s.cap, need, elemSize(s.elem, this));
          if (cap > MAX_ELEMS) this.tooBig(cap, e.pos);
          this.chargeElems(g, cap);
          const arr: Value[] = new Array(cap);
          for (let i = 0; i < s.len; i++) arr[i] = copyVal(s.get(i)); // a new backing array: struct and array elements are copies
          for (let i = need; i < cap; i++) arr[i] = this.zero(s.elem);
          s = new SliceVal(arr, 0, s.len, cap, s.elem ?? guessElem(extra[0]));
        } else s = new SliceVal(s.arr, s.off, s.len, s.cap, s.elem);
        for (let i = 0; i < extra.length; i++) s.arr[s.off + s.len + i] = extra[i]!;
        s.len = need;
        return args[0] instanceof Named ? new Named((args[0] as Named).type, s) : s;
      }
      case 'copy': {
        const dst = a0 as SliceVal;
        const src = args[1] instanceof Named ? (args[1] as Named).v : args[1];
        if (!(dst instanceof SliceVal)) return 0;
        const items = typeof src === 'string' ? Array.from(utf8(src)) : src instanceof SliceVal ? Array.from({ length: src.len }, (_, i) => copyVal(src.get(i))) : [];
        const n = Math.min(dst.len, items.length);
        for (let i = 0; i < n; i++) dst.set(i, items[i]!);
        g.cost += n / 4;
        return n;
      }
      case 'delete': if (a0 instanceof MapVal) { g.cost += COST.MAP_NS; a0.m.delete(this.hashKey(args[1]!, e.pos, fr)); } return null;
      case 'clear':
        if (a0 instanceof MapVal) a0.m.clear();
        else if (a0 instanceof SliceVal) for (let i = 0; i < a0.len; i++) a0.set(i, this.zero(a0.elem));
        return null;
      case 'close': yield* this.act(g, A.close(this.chanRef(a0 ?? null), site)); return null;
      case 'panic': {
        const v = args[0] ?? null;
        g.site = site;
        throw new UserPanic(this.panicText(v), v);
      }
      case 'recover': {
        const p = g.panicking;
        if (!p || p.recovered) return null;
        p.recovered = true;
        return p.p instanceof UserPanic ? p.p.goValue : p.p.runtimeError ? new ErrorVal(`${p.p.value}`, null, 'runtime.plainError') : p.p.value; // the channel panics
      }
      case 'print': case 'println': {
        const text = name === 'println' ? args.map((a) => formatV(a)).join(' ') + '\n' : args.map((a) => formatV(a)).join('');
        yield* this.act(g, A.print(text, site, 2));
        return null;
      }
      case 'min': case 'max': {
        let best = args[0] ?? null;
        for (const v of args.slice(1)) {
          const less = typeof v === 'string' && typeof best === 'string' ? v < best : num(v) < num(best);
          if (name === 'min' ? less : !less && !equal(v, best)) best = v;
        }
        return best;
      }
      default: this.note(e.pos, `builtin ${name} is not interpreted`); void env; return null;
    }
  }

  /** NewTicker and Ticker.Reset panic with errors.New("non-positive interval for …"). */
  private tickerPanic(fn: string): UserPanic {
    const text = `non-positive interval for ${fn}`;
    return new UserPanic(text, new ErrorVal(text, null, '*errors.errorString'));
  }

  private panicText(v: Value): string {
    if (v instanceof ErrorVal) return v.msg;
    const em = this.stringMethod(v, 'Error');
    if (em !== null) return em;
    // preprintpanics: a Stringer prints as its String() (a time.Duration too).
    const sm = this.stringMethod(v, 'String');
    if (sm !== null) return sm;
    if (v instanceof GoDuration) return durationString(v.v);
    if (typeof v === 'string') return v;
    // Sized integers of the basic types (uint8(7)) are basic values to the runtime: printed bare.
    if (v instanceof Named && /^(u?int(8|16|32|64)?|uintptr)$/.test(v.type) && typeof v.v === 'number') return intStr(v.v);
    // The runtime prints basic values itself (floats as +1.500000e+000), named basic ones as main.T(v),
    // anything else as its type and address (printpanicval).
    if (v instanceof Named && typeof v.v === 'string') return `${typeName(v)}(${quote(v.v)})`;
    if (v instanceof Named && (typeof v.v === 'number' || typeof v.v === 'boolean' || v.v instanceof GoFloat)) return `${typeName(v)}(${v.v instanceof GoFloat ? runtimeFloat(v.v.v) : intStrOrBool(v.v)})`;
    if (v instanceof GoFloat) return runtimeFloat(v.v);
    if (typeof v === 'number') return intStr(v);
    if (typeof v === 'boolean') return String(v);
    if (v === null) return 'nil'; // Go ≥ 1.21 makes this a *runtime.PanicNilError
    if (v instanceof GoDuration) return `time.Duration(${intStr(v.v)})`;
    return `(${typeName(v)}) ${typeof v === 'object' ? fakeAddr(v) : formatV(v)}`;
  }

  // ---------------------------------------------------------------- library models

  private unknown(what: string, e: Expr): Value {
    this.note(e.pos, `${what} is not modelled by the simulator (zero value used)`);
    return null;
  }

  private *callLib(pkg: string, name: string, args: Value[], e: Extract<Expr, { k: 'call' }>, fr: Frame): Gen<Value> {
    const g = fr.g;
    const site = this.site(e.pos, fr);
    // Standard-library packages are known by their last path element (math/rand → rand).
    const path = pkg;
    const std = !pkg.split('/')[0]!.includes('.');
    const short = std ? pkg.split('/').pop()! : pkg;
    const fq = `${short}.${name}`;
    pkg = short;
    if (!std) return this.unknown(`${fq} (package ${pkg} is not part of the standard library)`, e);
    switch (fq) {
      // fmt
      case 'fmt.Println': case 'fmt.Print': case 'fmt.Printf': {
        g.cost += COST.FMT_NS;
        const text = name === 'Println' ? sprintln(args, this.hooks) : name === 'Printf' ? sprintf(String(args[0] ?? ''), args.slice(1), this.hooks) : sprint(args, this.hooks);
        yield* this.act(g, A.print(text, site));
        return null;
      }
      case 'fmt.Sprintf': g.cost += COST.FMT_NS; return sprintf(String(args[0] ?? ''), args.slice(1), this.hooks);
      case 'fmt.Sprint': g.cost += COST.FMT_NS; return sprint(args, this.hooks);
      case 'fmt.Sprintln': g.cost += COST.FMT_NS; return sprintln(args, this.hooks);
      case 'fmt.Errorf': {
        g.cost += COST.FMT_NS;
        const wrapped = String(args[0] ?? '').includes('%w') ? args.slice(1).find((a) => a instanceof ErrorVal || this.findMethod(a, 'Error')) ?? null : null;
        return new ErrorVal(sprintf(String(args[0] ?? '').replace(/%w/g, '%v'), args.slice(1), this.hooks), wrapped, wrapped ? '*fmt.wrapError' : '*errors.errorString');
      }
      case 'fmt.Fprintln': case 'fmt.Fprintf': case 'fmt.Fprint': {
        const w = args[0];
        const rest = args.slice(1);
        const text = name === 'Fprintln' ? sprintln(rest, this.hooks) : name === 'Fprintf' ? sprintf(String(rest[0] ?? ''), rest.slice(1), this.hooks) : sprint(rest, this.hooks);
        if (w instanceof Named && w.type === 'os.Stdout') { yield* this.act(g, A.print(text, site)); return new Tuple([strLen(text), null]) as unknown as Value; }
        const wb = w instanceof Pointer ? w.get() : w;
        if (wb instanceof StructVal && (wb.type === 'strings.Builder' || wb.type === 'bytes.Buffer')) { wb.f['buf'] = String(wb.f['buf']) + text; return new Tuple([strLen(text), null]) as unknown as Value; }
        if (w instanceof Named && w.type === 'os.Stderr') { yield* this.act(g, A.print(text, site, 2)); return new Tuple([strLen(text), null]) as unknown as Value; }
        // Any other io.Writer: the program's own Write method gets the bytes.
        const werr = yield* this.writeCall(w ?? null, Array.from(utf8(text)), site, e, fr);
        if (werr !== undefined) return new Tuple([strLen(text), werr]) as unknown as Value;
        return this.unknown(`${fq} to this writer`, e);
      }
      case 'log.Println': case 'log.Printf': case 'log.Print': case 'log.Fatal': case 'log.Fatalf': case 'log.Fatalln': case 'log.Panic': case 'log.Panicf': case 'log.Panicln': {
        g.cost += COST.FMT_NS;
        const kind = name.replace(/^(Print|Fatal|Panic)/, '');
        let text = kind === 'f' ? sprintf(String(args[0] ?? ''), args.slice(1), this.hooks) : kind === 'ln' ? sprintln(args, this.hooks) : sprint(args, this.hooks);
        if (!text.endsWith('\n')) text += '\n';
        // log.SetFlags(0) drops the date and time, which the simulator never prints; SetPrefix's prefix leads the line.
        if (this.logFlags !== 0) this.note(e.pos, 'the log package prefixes each line with the date and time; shown here without the prefix');
        yield* this.act(g, A.print(this.logPrefix + text, site, 2)); // log.Panic* write the line, then panic with it
        if (name.startsWith('Panic')) { g.site = site; throw new UserPanic(text.slice(0, -1), text.slice(0, -1)); }
        if (name.startsWith('Fatal')) yield* this.act(g, A.osExit(1, site));
        return null;
      }
      case 'log.SetFlags': this.logFlags = num(args[0] ?? 0); return null;
      case 'log.SetPrefix': this.logPrefix = String(args[0] ?? ''); return null;
      case 'log.Flags': return this.logFlags;
      case 'log.Prefix': return this.logPrefix;
      case 'rand.New': return new Pkg('math/rand', 'rand') as unknown as Value; // r.Intn(…) → the seeded generator
      case 'rand.NewSource': return null;
      case 'sort.Sort': case 'sort.Stable': case 'sort.IsSorted': return yield* this.sortInterface(args[0] ?? null, g, e, name === 'IsSorted');
      case 'strings.Map': case 'strings.TrimFunc': case 'strings.TrimLeftFunc': case 'strings.TrimRightFunc': case 'strings.IndexFunc': case 'strings.FieldsFunc': {
        // The program's function is called on each rune, as the library does.
        const f = name === 'Map' ? args[0] : args[1];
        const str = String((name === 'Map' ? args[1] : args[0]) ?? '');
        if (!(f instanceof FuncVal)) return this.unknown(`${fq} with this function`, e);
        const runes = [...str];
        const call = (c: string): Gen<Value> => this.callFunc(f, [c.codePointAt(0)!], g);
        if (name === 'Map') {
          let out = '';
          for (const c of runes) { const r = num(yield* call(c)); if (r >= 0) out += runeStr(r); }
          return out;
        }
        if (name === 'IndexFunc') {
          let off = 0;
          for (const c of runes) { if ((yield* call(c)) === true) return off; off += strLen(c); }
          return -1;
        }
        if (name === 'FieldsFunc') {
          const fields: string[] = [];
          let cur = '';
          for (const c of runes) { if ((yield* call(c)) === true) { if (cur) fields.push(cur); cur = ''; } else cur += c; }
          if (cur) fields.push(cur);
          return new SliceVal(fields, 0, fields.length, fields.length, { k: 'name', name: 'string' });
        }
        let lo = 0, hi = runes.length;
        if (name !== 'TrimRightFunc') while (lo < hi && (yield* call(runes[lo]!)) === true) lo++;
        if (name !== 'TrimLeftFunc') while (hi > lo && (yield* call(runes[hi - 1]!)) === true) hi--;
        return runes.slice(lo, hi).join('');
      }
      case 'signal.Notify': case 'signal.Stop': case 'signal.Ignore': case 'signal.Reset':
        // No signal is ever sent to the simulated process: a channel registered here never receives.
        this.note(e.pos, `${fq}: no signal reaches the simulated program, so the channel never receives one`);
        if (name === 'Notify' && !this.signalLoop) {
          // The first Notify starts os/signal's loop goroutine, which waits in signal_recv as in a system
          // call that never returns: its thread counts as running, so the runtime reports no deadlock.
          this.signalLoop = true;
          yield* this.act(g, A.go(() => (function* (): Body { yield A.syscall(Infinity, 'os/signal.signal_recv', site); })(), site, 'os/signal.loop'));
        }
        return null;
      case 'sort.IntSlice': case 'sort.StringSlice': case 'sort.Float64Slice': return new Named(fq, args[0] instanceof Named ? args[0].v : args[0] ?? null);
      case 'sort.Search': {
        // Go's binary search: the smallest i in [0, n) with f(i) true (n if none), calling f as Go does.
        const f = args[1];
        if (!(f instanceof FuncVal)) return this.unknown('sort.Search with this function', e);
        let lo = 0, hi = num(args[0] ?? 0);
        while (lo < hi) {
          const h = Math.floor((lo + hi) / 2);
          if ((yield* this.callFunc(f, [h], g)) !== true) lo = h + 1; else hi = h;
        }
        return lo;
      }
      case 'sort.SearchInts': case 'sort.SearchStrings': case 'sort.SearchFloat64s': return searchSorted(args[0] ?? null, args[1] ?? null);
      case 'sort.Reverse': return new StructVal('sort.reverse', { Interface: args[0] ?? null }, ['Interface']);
      case 'errors.New': return new ErrorVal(String(args[0] ?? ''));
      case 'errors.Is': {
        // Through the chain: %w wrapping and user Unwrap methods; a user Is method can claim a match.
        const target = args[1] ?? null;
        for (let x: Value = args[0] ?? null, depth = 0; x !== null && depth < 100; x = yield* this.unwrapErr(x, g), depth++) {
          if (equal(x, target)) return true;
          const is = this.findMethod(x, 'Is');
          if (is && (yield* this.callMethod(is, [target], g)) === true) return true;
        }
        return false;
      }
      case 'errors.As': {
        // The first error in the chain of the target's type is stored through the pointer.
        const p = args[1];
        const cur = p instanceof Pointer ? p.get() : undefined;
        // A target of interface type (var t Temporary; errors.As(err, &t)): the first error in the chain that implements it.
        const ifaceT = p instanceof Pointer ? (p.obj as Cell)[IFACE] : undefined;
        if (p instanceof Pointer && ifaceT && ifaceT !== true) {
          for (let x: Value = args[0] ?? null, depth = 0; x !== null && depth < 100; x = yield* this.unwrapErr(x, g), depth++) {
            if (this.hasType(x, ifaceT)) { p.set(x); return true; }
          }
          return false;
        }
        const want = cur instanceof NilPtr ? `*${cur.type}` : cur instanceof StructVal ? cur.type : null;
        if (!(p instanceof Pointer) || want === null) return this.unknown('errors.As with a target that is not a pointer to a named struct or pointer type', e);
        for (let x: Value = args[0] ?? null, depth = 0; x !== null && depth < 100; x = yield* this.unwrapErr(x, g), depth++) {
          const got = x instanceof Pointer && x.get() instanceof StructVal ? `*${(x.get() as StructVal).type}` : x instanceof StructVal ? x.type : null;
          if (got === want) { p.set(copyVal(x)); return true; }
        }
        return false;
      }
      case 'errors.Unwrap': return yield* this.unwrapErr(args[0] ?? null, g);
      // time
      case 'time.Sleep': yield* this.act(g, A.sleep(Math.max(0, num(args[0] ?? 0)), site)); return null;
      case 'time.After': case 'time.Tick': {
        const d = Math.max(0, num(args[0] ?? 0));
        const t = (yield* this.act(g, { op: 'timer', ns: d, period: name === 'Tick' ? Math.max(1, d) : 0, site })) as A.TimerRef;
        return new ChanVal(t.c, { k: 'qual', pkg: 'time', name: 'Time' }, 1);
      }
      case 'time.NewTimer': case 'time.NewTicker': {
        const ticker = name === 'NewTicker';
        if (ticker && !(num(args[0] ?? 0) > 0)) { g.site = site; throw this.tickerPanic('NewTicker'); }
        const d = Math.max(0, num(args[0] ?? 0));
        const t = (yield* this.act(g, { op: 'timer', ns: d, period: ticker ? Math.max(1, d) : 0, site })) as A.TimerRef;
        return new TimerVal(t, new ChanVal(t.c, { k: 'qual', pkg: 'time', name: 'Time' }, 1), ticker);
      }
      case 'time.AfterFunc': {
        const d = Math.max(0, num(args[0] ?? 0));
        const fn = args[1] ?? null;
        const t = (yield* this.act(g, { op: 'timer', ns: d, period: 0, site })) as A.TimerRef;
        const stop = (yield* this.act(g, A.makechan(0, site))) as ChanRef;
        // Go calls `go f()` from the timer when it fires; here a helper goroutine waits for the timer
        // (or for Stop) and then runs f, so it exists, and counts in NumGoroutine, from the start.
        this.note(e.pos, 'time.AfterFunc: a helper goroutine waits for the timer and then runs f (Go starts the goroutine only when the timer fires), so NumGoroutine counts one more until then');
        const self = this;
        yield* this.act(g, A.go(this.goroutine(function* (hg: GCtx): Gen<void> {
          const r = (yield* self.act(hg, A.select([{ dir: 'recv', ch: t.c }, { dir: 'recv', ch: stop }], false, site))) as A.SelectResult;
          if (r.index === 0 && fn instanceof FuncVal) yield* self.callFunc(fn, [], hg);
        }), site, 'time.goFunc'));
        return new AfterFuncTimer(t, new ChanVal(t.c, { k: 'qual', pkg: 'time', name: 'Time' }, 1), false, stop);
      }
      case 'time.Now': return new Named('time.Time', (yield* this.act(g, { op: 'now' })) as number);
      case 'time.Since': {
        const now = (yield* this.act(g, { op: 'now' })) as number;
        return new GoDuration(now - num(args[0] ?? 0));
      }
      case 'time.Until': {
        const now = (yield* this.act(g, { op: 'now' })) as number;
        return new GoDuration(num(args[0] ?? 0) - now);
      }
      case 'time.Duration': return new GoDuration(num(args[0] ?? 0));
      case 'time.ParseDuration': {
        const r = parseDuration(String(args[0] ?? ''));
        return new Tuple(typeof r === 'number' ? [new GoDuration(r), null] : [new GoDuration(0), new ErrorVal(r)]) as unknown as Value;
      }
      case 'sync.NewCond': {
        const l = args[0] ?? null;
        const box = l instanceof Pointer ? l.get() : l;
        if (!(box instanceof SyncBox) || box.kind !== 'mutex') return this.unknown('sync.NewCond with a Locker other than *sync.Mutex', e);
        yield* this.syncRef(box, g, site, e.pos);
        const ref = (yield* this.act(g, A.cond(box.ref as A.MutexRef, site))) as A.CondRef;
        const c = new StructVal('sync.Cond', { L: l }, ['L']);
        (c as StructVal & { cond?: A.CondRef; mu?: A.MutexRef }).cond = ref;
        (c as StructVal & { cond?: A.CondRef; mu?: A.MutexRef }).mu = box.ref as A.MutexRef;
        return new Pointer({ v: c }, 'v', '*sync.Cond');
      }
      // runtime
      case 'runtime.Gosched': yield* this.act(g, A.gosched(site)); return null;
      case 'runtime.GOMAXPROCS': return yield* this.act(g, A.gomaxprocs(num(args[0] ?? 0), site));
      case 'runtime.NumGoroutine': return yield* this.act(g, { op: 'numGoroutine' });
      case 'runtime.NumCPU': return yield* this.act(g, { op: 'numCPU' });
      case 'runtime.LockOSThread': yield* this.act(g, A.lockOSThread(site)); return null;
      case 'runtime.UnlockOSThread': yield* this.act(g, A.unlockOSThread(site)); return null;
      case 'runtime.Goexit': g.site = site; throw new GoexitSignal();
      case 'os.Exit': yield* this.act(g, A.osExit(num(args[0] ?? 0), site)); return null;
      // context: cancellation through a closed channel, deadlines through an engine timer
      case 'context.Background': case 'context.TODO': return newCtx(null, name).sv;
      case 'context.WithValue': {
        const c = newCtx(asCtx(args[0] ?? null), 'WithValue');
        c.value = { k: args[1] ?? null, v: args[2] ?? null };
        return c.sv;
      }
      case 'context.WithCancel': case 'context.WithTimeout': case 'context.WithDeadline': {
        const parent = asCtx(args[0] ?? null);
        let ns = 0, now = 0, kind = name === 'WithCancel' ? name : 'WithDeadline';
        if (kind === 'WithDeadline') {
          now = (yield* this.act(g, { op: 'now' })) as number;
          ns = name === 'WithTimeout' ? num(args[1] ?? 0) : num(args[1] ?? 0) - now;
          // Go 1.19: a parent whose deadline comes sooner makes this a plain WithCancel (its deadline rules).
          let pd: number | null = null;
          for (let x: Ctx | null = parent; x && pd === null; x = x.parent) pd = x.deadline;
          if (pd !== null && pd < now + ns) kind = 'WithCancel';
        }
        const c = newCtx(parent, kind);
        c.done = new ChanVal((yield* this.act(g, A.makechan(0, site))) as ChanRef, { k: 'struct', fields: [] }, 0);
        const anc = cancelable(parent);
        if (anc) anc.children.push(c);
        const cancel = new FuncVal(`context.${name}.func1`, null, null, undefined, { v: c.sv, name: '$cancel' });
        if (anc?.err) { yield* this.cancelCtx(c, anc.err, g, site); return new Tuple([c.sv, cancel]) as unknown as Value; }
        if (kind !== 'WithCancel') {
          c.deadline = now + ns;
          // A deadline already past: Go cancels the context at once, before returning it.
          if (ns <= 0) { yield* this.cancelCtx(c, CTX_DEADLINE, g, site); return new Tuple([c.sv, cancel]) as unknown as Value; }
          const t = (yield* this.act(g, { op: 'timer', ns: Math.max(0, ns), period: 0, site })) as A.TimerRef;
          c.timer = t;
          // Go runs the deadline's cancel from a timer (time.AfterFunc); here a helper goroutine waits on the timer.
          this.note(e.pos, `context.${name}: the deadline is watched by a helper goroutine (Go uses a runtime timer callback), so NumGoroutine counts one more until it fires or is cancelled`);
          const self = this;
          const done = c.done;
          yield* this.act(g, A.go(() => (function* (): Body {
            const hg = new GCtx();
            const r = (yield A.select([{ dir: 'recv', ch: t.c }, { dir: 'recv', ch: done.ref }], false, site)) as A.SelectResult;
            if (r.index === 0) yield* self.cancelCtx(c, CTX_DEADLINE, hg, site);
          })(), site, 'context.WithDeadline.func2'));
        }
        return new Tuple([c.sv, cancel]) as unknown as Value;
      }
      // reading text: strings.NewReader, bufio over it or over standard input (empty), fmt.Scan
      case 'strings.NewReader': return textSource('strings.Reader', String(args[0] ?? ''));
      case 'strings.NewReplacer': {
        if (args.length % 2 === 1) { g.site = site; throw new UserPanic('strings.NewReplacer: odd argument count', 'strings.NewReplacer: odd argument count'); }
        const olds = args.filter((_, i) => i % 2 === 0).map(String);
        if (olds.includes('')) return this.unknown('strings.NewReplacer with an empty old string', e);
        return new Pointer({ v: new StructVal('strings.Replacer', { pairs: new SliceVal(args.map(String), 0, args.length, args.length, { k: 'name', name: 'string' }) }, ['pairs']) }, 'v', 'strings.Replacer');
      }
      case 'io.Copy': case 'io.ReadAll': {
        // Reads until EOF through the source's Read (the program's own, or a strings.Reader's), writing
        // each chunk on (Copy) or keeping it (ReadAll).
        const src = name === 'Copy' ? args[1] ?? null : args[0] ?? null;
        const dst = name === 'Copy' ? args[0] ?? null : null;
        const all: number[] = [];
        let total = 0;
        for (let reads = 0; ; reads++) {
          if (reads > 100_000) return this.unknown(`${fq} from a source that never reaches EOF`, e);
          const buf = new SliceVal(new Array<Value>(name === 'Copy' ? 32 * 1024 : 512).fill(0), 0, name === 'Copy' ? 32 * 1024 : 512, name === 'Copy' ? 32 * 1024 : 512, { k: 'name', name: 'byte' });
          const res = yield* this.readCall(src, buf, e, fr);
          if (res === undefined) return this.unknown(`${fq} from ${typeName(src)}`, e);
          const [n, err] = res;
          const chunk = Array.from({ length: n }, (_, i) => num(buf.get(i)));
          if (n > 0 && dst !== null) {
            const werr = yield* this.writeCall(dst, chunk, site, e, fr);
            if (werr === undefined) return this.unknown(`${fq} to ${typeName(dst)}`, e);
            if (werr !== null) return new Tuple([total, werr]) as unknown as Value;
          } else all.push(...chunk);
          total += n;
          if (err === IO_EOF) break;
          if (err !== null) return new Tuple([name === 'Copy' ? total : new SliceVal(all, 0, all.length, all.length, { k: 'name', name: 'byte' }), err]) as unknown as Value;
        }
        return new Tuple([name === 'Copy' ? total : new SliceVal(all, 0, all.length, all.length, { k: 'name', name: 'byte' }), null]) as unknown as Value;
      }
      case 'io.WriteString': {
        const text = String(args[1] ?? '');
        const werr = yield* this.writeCall(args[0] ?? null, Array.from(utf8(text)), site, e, fr);
        if (werr === undefined) return this.unknown(`io.WriteString to ${typeName(args[0] ?? null)}`, e);
        return new Tuple([strLen(text), werr]) as unknown as Value;
      }
      case 'bytes.NewBufferString': case 'bytes.NewBuffer': {
        const b = args[0];
        const text = typeof b === 'string' ? b : b instanceof SliceVal ? bytesToStr(Array.from({ length: b.len }, (_, i) => num(b.get(i)))) : '';
        return new Pointer({ v: new StructVal('bytes.Buffer', { buf: text }, ['buf']) }, 'v', 'bytes.Buffer');
      }
      // container/heap: Go's own sift-up/sift-down through the program's Len/Less/Swap/Push/Pop methods.
      case 'heap.Init': case 'heap.Push': case 'heap.Pop': case 'heap.Fix': case 'heap.Remove': return yield* this.heapOp(name, args, g, e);
      case 'bufio.NewScanner': case 'bufio.NewReader': case 'bufio.NewReaderSize': {
        const kind = name === 'NewScanner' ? 'Scanner' : 'Reader';
        const fields: Record<string, Value> = kind === 'Scanner' ? { src: args[0] ?? null, tok: '', split: 'lines', done: false } : { src: args[0] ?? null };
        return new Pointer({ v: new StructVal(`bufio.${kind}`, fields, Object.keys(fields)) }, 'v', `bufio.${kind}`);
      }
      case 'fmt.Scan': case 'fmt.Scanln': case 'fmt.Scanf': {
        // Standard input is empty in the simulation: nothing is scanned.
        yield* this.readStdin(g, site, e);
        return new Tuple([0, IO_EOF]) as unknown as Value;
      }
      // math/rand (seeded by the simulation's seed)
      case 'rand.Intn': case 'rand.Int63n': case 'rand.Int31n': return yield* this.act(g, { op: 'rand', n: Math.max(1, num(args[0] ?? 1)) });
      case 'rand.Int': return yield* this.act(g, { op: 'rand', n: 2 ** 31 });
      case 'rand.Float64': return new GoFloat(((yield* this.act(g, { op: 'rand', n: 2 ** 30 })) as number) / 2 ** 30);
      case 'rand.Seed': return null;
      case 'rand.Int63': case 'rand.Int31': return yield* this.act(g, { op: 'rand', n: 2 ** 31 });
      case 'rand.Perm': case 'rand.Shuffle': {
        // A Fisher-Yates shuffle drawing from the same seeded generator: Perm returns [0, n) permuted,
        // Shuffle calls the program's swap(i, j).
        const n = Math.max(0, num(args[0] ?? 0));
        const swap = args[1];
        if (name === 'Shuffle' && !(swap instanceof FuncVal)) return this.unknown('rand.Shuffle with this swap function', e);
        const p = Array.from({ length: n }, (_, i) => i as Value);
        for (let i = n - 1; i > 0; i--) {
          const j = (yield* this.act(g, { op: 'rand', n: i + 1 })) as number;
          if (name === 'Shuffle') yield* this.callFunc(swap as FuncVal, [i, j], g);
          else { const t = p[i]!; p[i] = p[j]!; p[j] = t; }
        }
        return name === 'Shuffle' ? null : new SliceVal(p, 0, n, n, { k: 'name', name: 'int' });
      }
      // strings, strconv, math
      default: {
        const r = this.pureLib(fq, args, e, fr);
        if (r !== undefined) return r;
        if (pkg === 'sort' && (name === 'Slice' || name === 'SliceStable')) return yield* this.sortSlice(args, g);
        if (pkg === 'atomic') return this.atomicFn(name, args, e);
        if (path === 'C' && isCgoNonCall(name)) return args[0] ?? null; // C.int(x) & co. are conversions
        const entry = lookupCall(path, name);
        if (entry) return yield* this.catalogCall(entry, `${fq}`, args, e, fr);
        return this.unknown(`${fq}`, e);
      }
    }
  }

  /**
   * A call the catalog knows (file and OS operations, network I/O, cgo, child processes): the
   * scheduler-relevant part runs (the G blocks in a syscall, parks in the netpoller …) for the
   * catalog's duration; the results are stand-ins (zero values, opaque handles), said in a note.
   */
  private *catalogCall(entry: CatalogEntry, what: string, args: Value[], e: Extract<Expr, { k: 'call' }>, fr: Frame): Gen<Value> {
    const g = fr.g;
    const site = this.site(e.pos, fr);
    const ns = simulatedNs(entry, args.map((a) => (typeof a === 'number' ? a : a instanceof GoFloat || a instanceof GoDuration ? a.v : null)));
    switch (entry.kind) {
      case 'syscall': case 'exec-wait': yield* this.act(g, A.syscall(ns, what, site)); break;
      case 'netio': yield* this.act(g, A.netio(ns, what, site)); break;
      case 'cgo': yield* this.act(g, A.cgo(ns, what, site)); break;
      default: return this.unknown(what, e);
    }
    this.note(e.pos, `${what} is simulated as a ${entry.kind === 'netio' ? 'netpoller wait' : entry.kind === 'cgo' ? 'cgo call' : 'blocking system call'} of ${durationString(Number.isFinite(ns) ? ns : 0)}${Number.isFinite(ns) ? '' : ' (never returns)'}; its results are stand-ins (no real I/O happens)`);
    const results = (entry.results ?? []).map((t) => this.standIn(t));
    return results.length === 0 ? null : results.length === 1 ? results[0]! : (new Tuple(results) as unknown as Value);
  }
  private standIn(t: string): Value {
    switch (t) {
      case 'error': case 'any': case 'interface{}': return null;
      case 'int': case 'int64': case 'uint64': case 'uintptr': return 0;
      case 'string': return '';
      case 'bool': return false;
      case '[]byte': return new SliceVal([], 0, 0, 0, { k: 'name', name: 'byte' });
      default: return /^\*?[\w./]+\.\w+$/.test(t) ? new Opaque(t) : null;
    }
  }

  /** A context's String(), as Go's implementations spell it: context.Background.WithCancel.WithValue(type main.key, val x). */
  private ctxString(c: Ctx): string {
    if (!c.parent) return `context.${c.kind}`;
    const p = this.ctxString(c.parent);
    if (c.kind === 'WithValue') {
      const v = c.value?.v ?? null;
      const val = typeof v === 'string' ? v : this.stringMethod(v, 'String') ?? '<not Stringer>';
      return `${p}.WithValue(type ${typeName(c.value?.k ?? null)}, val ${val})`;
    }
    // Go prints the deadline's wall-clock time and what remains of it, which the simulation has no clock for.
    if (c.kind === 'WithDeadline') return `${p}.WithDeadline(${durationString(c.deadline ?? 0)} after the start)`;
    return `${p}.${c.kind}`;
  }

  /** Cancels a context and its descendants: closes each done channel once, stops the deadline timer. */
  *cancelCtx(c: Ctx, err: Value, g: GCtx, site: Site): Gen<void> {
    if (c.err || !c.done) return;
    c.err = err;
    yield* this.act(g, A.close(c.done.ref, site));
    if (c.timer) { yield* this.act(g, { op: 'timerStop', timer: c.timer, site }); c.timer = null; }
    for (const child of c.children) yield* this.cancelCtx(child, err, g, site);
  }

  /** container/heap's Init, Push, Pop, Fix and Remove, as Go writes them (the same Less and Swap calls, in the same order). */
  private *heapOp(name: string, args: Value[], g: GCtx, e: Expr): Gen<Value> {
    const h = args[0] ?? null;
    if (!['Len', 'Less', 'Swap', 'Push', 'Pop'].every((n) => this.findMethod(h, n))) return this.unknown(`heap.${name} on a value without Len/Less/Swap/Push/Pop methods`, e);
    // Each call looks its method up afresh: a value receiver is a copy of the slice as it is now (Push and Pop change it).
    const call = (n: string, a: Value[]): Gen<Value> => { const r = this.findMethod(h, n)!; return this.callFunc(new FuncVal(r.decl.name, r.decl, this.globals, undefined, { v: r.recv, name: r.decl.recv!.name }), a, g); };
    const lt = function* (i: number, j: number): Gen<boolean> { return (yield* call('Less', [i, j])) === true; };
    const sw = (i: number, j: number): Gen<Value> => call('Swap', [i, j]);
    const n = function* (): Gen<number> { return num(yield* call('Len', [])); };
    const push = (x: Value): Gen<Value> => call('Push', [x]);
    const pop = (): Gen<Value> => call('Pop', []);
    const up = function* (j: number): Gen<void> {
      for (;;) {
        const i = Math.trunc((j - 1) / 2); // parent
        if (i === j || !(yield* lt(j, i))) break;
        yield* sw(i, j);
        j = i;
      }
    };
    const down = function* (i0: number, size: number): Gen<boolean> {
      let i = i0;
      for (;;) {
        const j1 = 2 * i + 1;
        if (j1 >= size || j1 < 0) break;
        let j = j1;
        const j2 = j1 + 1;
        if (j2 < size && (yield* lt(j2, j1))) j = j2;
        if (!(yield* lt(j, i))) break;
        yield* sw(i, j);
        i = j;
      }
      return i > i0;
    };
    switch (name) {
      case 'Init': { const size = yield* n(); for (let i = Math.trunc(size / 2) - 1; i >= 0; i--) yield* down(i, size); return null; }
      case 'Push': yield* push(args[1] ?? null); yield* up((yield* n()) - 1); return null;
      case 'Pop': { const last = (yield* n()) - 1; yield* sw(0, last); yield* down(0, last); return yield* pop(); }
      case 'Fix': { const i = num(args[1] ?? 0); if (!(yield* down(i, yield* n()))) yield* up(i); return null; }
      default: { // Remove
        const i = num(args[1] ?? 0);
        const last = (yield* n()) - 1;
        if (last !== i) { yield* sw(i, last); if (!(yield* down(i, last))) yield* up(i); }
        return yield* pop();
      }
    }
  }

  /** sort.Sort(x): insertion sort through the user's Len/Less/Swap methods. */
  /** sort.Sort / sort.Stable (a stable insertion sort), or sort.IsSorted (`check`); sort.Reverse(x) swaps Less's operands. */
  private *sortInterface(x: Value, g: GCtx, e: Expr, check = false): Gen<Value> {
    let rev = false;
    while (x instanceof StructVal && x.type === 'sort.reverse') { rev = !rev; x = x.f['Interface'] ?? null; }
    if (x instanceof Named && SORT_SLICES.has(x.type) && x.v instanceof SliceVal) {
      // sort.IntSlice & co.: their Less is <, Swap swaps; sorted here directly.
      const sl = x.v;
      const items = Array.from({ length: sl.len }, (_, i) => sl.get(i));
      const cmp = (a: Value, b: Value): number => (rev ? -1 : 1) * (typeof a === 'string' ? (a < (b as string) ? -1 : a > (b as string) ? 1 : 0) : num(a) - num(b));
      if (check) return items.every((v, i) => i === 0 || cmp(items[i - 1]!, v) <= 0);
      items.sort(cmp).forEach((v, i) => sl.set(i, v));
      return null;
    }
    const m = (name: string): FuncVal | null => { const r = this.findMethod(x, name); return r ? new FuncVal(r.decl.name, r.decl, this.globals, undefined, { v: r.recv, name: r.decl.recv!.name }) : null; };
    const len = m('Len'), less0 = m('Less'), swap = m('Swap');
    if (!len || !less0 || !swap) return this.unknown('sort.Sort on a value without Len/Less/Swap methods', e);
    const less = less0;
    const lt = (i: number, j: number): Gen<Value> => this.callFunc(less, rev ? [j, i] : [i, j], g);
    const n = num(yield* this.callFunc(len, [], g));
    if (check) {
      for (let i = n - 1; i > 0; i--) if ((yield* lt(i, i - 1)) === true) return false;
      return true;
    }
    for (let i = 1; i < n; i++) {
      for (let j = i; j > 0; j--) {
        if ((yield* lt(j, j - 1)) !== true) break;
        yield* this.callFunc(swap, [j, j - 1], g);
      }
    }
    return null;
  }

  private *sortSlice(args: Value[], g: GCtx): Gen<Value> {
    const s = args[0] instanceof Named ? (args[0] as Named).v : args[0];
    const less = args[1];
    if (!(s instanceof SliceVal) || !(less instanceof FuncVal)) return null;
    // Stable insertion-merge sort calling the user's less(i, j) on the live slice.
    const n = s.len;
    for (let i = 1; i < n; i++) {
      for (let j = i; j > 0; j--) {
        if ((yield* this.callFunc(less, [j, j - 1], g)) !== true) break;
        const t = s.get(j); s.set(j, s.get(j - 1)); s.set(j - 1, t);
      }
    }
    return null;
  }

  private atomicFn(name: string, args: Value[], e: Expr): Value {
    const p = args[0];
    if (!(p instanceof Pointer)) return this.unknown(`atomic.${name} on a non-pointer`, e);
    const cur = num(p.get());
    // AddUint32(&x, ^uint32(0)) decrements: results wrap to the operand's width.
    const k = name.replace(/^(Add|Load|Store|Swap|CompareAndSwap)/, '').toLowerCase();
    const fit = (v: Value): Value => (SIZED.has(k) && (typeof v === 'number' || v instanceof Named) ? sized(num(v), k) : v);
    if (name.startsWith('Add')) { const v = fit(cur + num(args[1] ?? 0)); p.set(v); return v; }
    if (name.startsWith('Load')) return p.get();
    if (name.startsWith('Store')) { p.set(fit(args[1] ?? 0)); return null; }
    if (name.startsWith('Swap')) { const old = p.get(); p.set(fit(args[1] ?? 0)); return old; }
    if (name.startsWith('CompareAndSwap')) { if (cur === num(args[1] ?? 0)) { p.set(fit(args[2] ?? 0)); return true; } return false; }
    return this.unknown(`atomic.${name}`, e);
  }

  /** Library functions without scheduling effects. undefined = not known here. */
  private pureLib(fq: string, args: Value[], e: Expr, fr: Frame): Value | undefined {
    // A named slice or map type (type Names []string) is its underlying value to these functions.
    if (args.some((a) => a instanceof Named && (a.v instanceof SliceVal || a.v instanceof MapVal))) args = args.map((a) => (a instanceof Named && (a.v instanceof SliceVal || a.v instanceof MapVal) ? a.v : a));
    const s = (i: number): string => { const v = args[i]; return typeof v === 'string' ? v : v instanceof Named ? String(v.v) : ''; };
    const strSliceOf = (items: string[]): SliceVal => new SliceVal(items, 0, items.length, items.length, { k: 'name', name: 'string' });
    fr.g.cost += 10;
    switch (fq) {
      case 'strings.Contains': return s(0).includes(s(1));
      case 'strings.HasPrefix': return s(0).startsWith(s(1));
      case 'strings.HasSuffix': return s(0).endsWith(s(1));
      case 'strings.Index': { const i = s(0).indexOf(s(1)); return i < 0 ? -1 : strLen(s(0).slice(0, i)); }
      case 'strings.ToUpper': return s(0).toUpperCase();
      case 'bytes.ToUpper': case 'bytes.ToLower': case 'bytes.Equal': {
        const text = (v: Value): string | null => (v instanceof SliceVal ? bytesToStr(Array.from({ length: v.len }, (_, i) => num(v.get(i)))) : v === null ? '' : null);
        const a0 = text(args[0] ?? null);
        if (a0 === null) return undefined;
        if (fq === 'bytes.Equal') return a0 === text(args[1] ?? null);
        return bytesOf(fq === 'bytes.ToUpper' ? a0.toUpperCase() : a0.toLowerCase());
      }
      case 'strings.Title': return s(0).replace(/(^|[^\p{L}\p{N}_])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()); // deprecated, still common
      case 'strings.ToLower': return s(0).toLowerCase();
      case 'strings.TrimSpace': return s(0).trim();
      case 'strings.Trim': return trimChars(s(0), s(1), true, true);
      case 'strings.TrimLeft': return trimChars(s(0), s(1), true, false);
      case 'strings.TrimRight': return trimChars(s(0), s(1), false, true);
      case 'strings.TrimPrefix': return s(0).startsWith(s(1)) ? s(0).slice(s(1).length) : s(0);
      case 'strings.TrimSuffix': return s(1) && s(0).endsWith(s(1)) ? s(0).slice(0, -s(1).length) : s(0);
      case 'strings.Repeat': return s(0).repeat(Math.max(0, num(args[1] ?? 0)));
      case 'strings.Replace': { const n = num(args[3] ?? -1); if (n < 0) return s(0).split(s(1)).join(s(2)); let r = s(0); for (let i = 0; i < n; i++) r = r.replace(s(1), s(2)); return r; }
      case 'strings.ReplaceAll': return s(0).split(s(1)).join(s(2));
      case 'strings.IndexByte': case 'strings.IndexRune': { const i = s(0).indexOf(runeStr(num(args[1] ?? 0))); return i < 0 ? -1 : strLen(s(0).slice(0, i)); }
      case 'strings.ContainsAny': { const set = new Set(s(1)); return [...s(0)].some((c) => set.has(c)); }
      case 'strings.ContainsRune': return s(0).includes(runeStr(num(args[1] ?? 0)));
      case 'strings.Compare': return s(0) < s(1) ? -1 : s(0) > s(1) ? 1 : 0;
      case 'strings.SplitAfter': {
        if (s(1) === '') return strSliceOf([...s(0)]);
        const parts = s(0).split(s(1));
        return strSliceOf(parts.map((p, i) => (i < parts.length - 1 ? p + s(1) : p)));
      }
      case 'strings.Split': return strSliceOf(s(1) === '' ? [...s(0)] : s(0).split(s(1)));
      case 'strings.SplitN': {
        // At most n pieces, the last holding the rest; n < 0: all of them; n == 0: nil.
        const n = num(args[2] ?? -1);
        if (n === 0) return new SliceVal([], 0, 0, 0, { k: 'name', name: 'string' }, true);
        const all = s(1) === '' ? [...s(0)] : s(0).split(s(1));
        if (n < 0 || all.length <= n) return strSliceOf(all);
        const head = all.slice(0, n - 1);
        return strSliceOf([...head, s(1) === '' ? all.slice(n - 1).join('') : all.slice(n - 1).join(s(1))]);
      }
      case 'strings.LastIndex': { const i = s(0).lastIndexOf(s(1)); return i < 0 ? -1 : strLen(s(0).slice(0, i)); }
      case 'utf8.RuneCountInString': return [...s(0)].length;
      case 'utf8.RuneCount': { const b = args[0]; return b instanceof SliceVal ? [...bytesToStr(Array.from({ length: b.len }, (_, i) => num(b.get(i))))].length : 0; }
      case 'utf8.RuneLen': { const r = num(args[0] ?? 0); return r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff) ? -1 : r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4; }
      case 'utf8.ValidString': return true; // strings are held as text: always valid here
      case 'utf8.DecodeRuneInString': case 'utf8.DecodeLastRuneInString': {
        const chars = [...s(0)];
        const c = fq.endsWith('LastRuneInString') ? chars[chars.length - 1] : chars[0];
        return new Tuple(c === undefined ? [0xfffd, 0] : [c.codePointAt(0)!, strLen(c)]) as unknown as Value;
      }
      case 'strings.Fields': return strSliceOf(s(0).split(/\s+/).filter((x) => x !== ''));
      case 'strings.Count': return s(1) === '' ? [...s(0)].length + 1 : s(0).split(s(1)).length - 1;
      case 'strings.EqualFold': return s(0).toLowerCase() === s(1).toLowerCase();
      case 'strings.Join': {
        const sl = args[0];
        const items = sl instanceof SliceVal ? Array.from({ length: sl.len }, (_, i) => String(sl.get(i))) : [];
        return items.join(s(1));
      }
      case 'strconv.Itoa': return intStr(num(args[0] ?? 0));
      case 'strconv.FormatInt': return intStr(num(args[0] ?? 0), num(args[1] ?? 10));
      case 'strconv.Quote': return quote(s(0));
      case 'strconv.FormatBool': return String(args[0]);
      case 'strconv.Atoi': case 'strconv.ParseInt': case 'strconv.ParseUint': {
        const fn = fq.slice(8);
        const t = s(0);
        const signed = fn !== 'ParseUint';
        let base = fn === 'Atoi' ? 10 : num(args[1] ?? 10);
        const bits = fn === 'Atoi' ? 64 : num(args[2] ?? 64) || 64;
        const numErr = (msg: string, v: Value): Value =>
          new Tuple([v, new ErrorVal(`strconv.${fn}: parsing ${quote(t)}: ${msg}`, null, '*strconv.NumError')]) as unknown as Value;
        let body = t, neg = false;
        if (signed && (body[0] === '+' || body[0] === '-')) { neg = body[0] === '-'; body = body.slice(1); }
        if (base === 0) {
          const m = /^0([xXoObB])/.exec(body);
          base = m ? { x: 16, o: 8, b: 2 }[m[1]!.toLowerCase() as 'x' | 'o' | 'b'] : body.length > 1 && body[0] === '0' ? 8 : 10;
          if (m) body = body.slice(2); else if (base === 8) body = body.slice(1);
          body = body.replace(/_/g, '');
        }
        const digit = base <= 10 ? `[0-${base - 1}]` : `[0-9a-${String.fromCharCode(86 + base)}A-${String.fromCharCode(54 + base)}]`;
        if (!new RegExp(`^${digit}+$`).test(body)) return numErr('invalid syntax', 0);
        let b = 0n;
        for (const c of body.toLowerCase()) b = b * BigInt(base) + BigInt(parseInt(c, base));
        if (neg) b = -b;
        const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
        const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
        if (b > max || b < min) return numErr('value out of range', Number(b > max ? max : min));
        return new Tuple([Number(b), null]) as unknown as Value;
      }
      case 'strconv.FormatFloat': {
        const bits = num(args[3] ?? 64), prec = num(args[2] ?? -1), fc = String.fromCharCode(num(args[1] ?? 103));
        const f = bits === 32 ? Math.fround(num(args[0] ?? 0)) : num(args[0] ?? 0);
        if (prec >= 0 || !'fFeEgG'.includes(fc)) return sprintf(prec >= 0 ? `%.${prec}${fc}` : `%${fc}`, [new GoFloat(f, bits === 32)], this.hooks);
        // Precision -1: the fewest digits that read back as the same float.
        const x = bits === 32 ? shortest32(f) : f;
        if (!Number.isFinite(x)) return formatFloatV(x);
        let r: string;
        if (fc === 'g' || fc === 'G') r = formatFloatV(x);
        else if (fc === 'e' || fc === 'E') r = x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
        else {
          const [mant, expS] = Math.abs(x).toExponential().split('e') as [string, string];
          const d = mant.replace('.', ''), e = Number(expS);
          r = e >= 0 ? (d.length <= e + 1 ? d + '0'.repeat(e + 1 - d.length) : `${d.slice(0, e + 1)}.${d.slice(e + 1)}`) : `0.${'0'.repeat(-e - 1)}${d}`;
          if (x < 0 || Object.is(x, -0)) r = '-' + r;
        }
        return fc === fc.toUpperCase() ? r.toUpperCase() : r;
      }
      case 'strconv.QuoteRune': return quote(runeStr(num(args[0] ?? 0)), "'");
      case 'strconv.QuoteRuneToASCII': return quote(runeStr(num(args[0] ?? 0)), "'", true);
      case 'strconv.QuoteToASCII': return quote(s(0), '"', true);
      case 'strconv.ParseFloat': {
        const t = s(0);
        const f = Number(t);
        if (t.trim() !== '' && !Number.isNaN(f)) return new Tuple([new GoFloat(f), null]) as unknown as Value;
        return new Tuple([new GoFloat(0), new ErrorVal(`strconv.ParseFloat: parsing ${quote(t)}: invalid syntax`, null, '*strconv.NumError')]) as unknown as Value;
      }
      case 'strconv.ParseBool': {
        const t = s(0);
        if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(t)) return new Tuple([true, null]) as unknown as Value;
        if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(t)) return new Tuple([false, null]) as unknown as Value;
        return new Tuple([false, new ErrorVal(`strconv.ParseBool: parsing ${quote(t)}: invalid syntax`, null, '*strconv.NumError')]) as unknown as Value;
      }
      case 'math.Sqrt': return new GoFloat(Math.sqrt(num(args[0] ?? 0)));
      case 'math.Abs': return new GoFloat(Math.abs(num(args[0] ?? 0)));
      case 'math.Pow': return new GoFloat(num(args[0] ?? 0) ** num(args[1] ?? 0));
      case 'math.Floor': return new GoFloat(Math.floor(num(args[0] ?? 0)));
      case 'math.Ceil': return new GoFloat(Math.ceil(num(args[0] ?? 0)));
      case 'math.Max': return new GoFloat(Math.max(num(args[0] ?? 0), num(args[1] ?? 0)));
      case 'math.Min': return new GoFloat(Math.min(num(args[0] ?? 0), num(args[1] ?? 0)));
      case 'math.Inf': return new GoFloat(num(args[0] ?? 0) >= 0 ? Infinity : -Infinity);
      case 'math.NaN': return new GoFloat(NaN);
      case 'math.IsNaN': return Number.isNaN(num(args[0] ?? 0));
      case 'math.IsInf': { const f = num(args[0] ?? 0), sign = num(args[1] ?? 0); return f === Infinity && sign >= 0 || f === -Infinity && sign <= 0; }
      case 'math.Mod': return new GoFloat(num(args[0] ?? 0) % num(args[1] ?? 0));
      case 'math.Trunc': return new GoFloat(Math.trunc(num(args[0] ?? 0)));
      case 'math.Round': { const f = num(args[0] ?? 0); return new GoFloat(Math.sign(f) * Math.round(Math.abs(f))); }
      case 'math.Log': return new GoFloat(Math.log(num(args[0] ?? 0)));
      case 'math.Log2': return new GoFloat(Math.log2(num(args[0] ?? 0)));
      case 'math.Log10': return new GoFloat(Math.log10(num(args[0] ?? 0)));
      case 'math.Exp': return new GoFloat(Math.exp(num(args[0] ?? 0)));
      case 'math.Cbrt': return new GoFloat(Math.cbrt(num(args[0] ?? 0)));
      case 'math.Hypot': return new GoFloat(Math.hypot(num(args[0] ?? 0), num(args[1] ?? 0)));
      case 'sort.Ints': case 'sort.Strings': case 'sort.Float64s': {
        const sl = args[0] instanceof Named ? (args[0] as Named).v : args[0];
        if (sl instanceof SliceVal) {
          const items = Array.from({ length: sl.len }, (_, i) => sl.get(i));
          items.sort((a, b) => (typeof a === 'string' ? (a < (b as string) ? -1 : a > (b as string) ? 1 : 0) : num(a) - num(b)));
          items.forEach((v, i) => sl.set(i, v));
        }
        return null;
      }
      case 'unicode.IsDigit': return /^\p{Nd}$/u.test(runeStr(num(args[0] ?? 0)));
      case 'unicode.IsNumber': return /^\p{N}$/u.test(runeStr(num(args[0] ?? 0)));
      case 'unicode.IsLetter': return /^\p{L}$/u.test(runeStr(num(args[0] ?? 0)));
      case 'unicode.IsSpace': return /^[\t\n\v\f\r \u0085\u00a0\p{Zs}\u2028\u2029]$/u.test(runeStr(num(args[0] ?? 0)));
      case 'unicode.IsPunct': return /^\p{P}$/u.test(runeStr(num(args[0] ?? 0)));
      case 'unicode.IsUpper': { const c = runeStr(num(args[0] ?? 0)); return c !== c.toLowerCase(); }
      case 'unicode.IsLower': { const c = runeStr(num(args[0] ?? 0)); return c !== c.toUpperCase(); }
      case 'unicode.ToUpper': return runeStr(num(args[0] ?? 0)).toUpperCase().codePointAt(0)!;
      case 'unicode.ToLower': return runeStr(num(args[0] ?? 0)).toLowerCase().codePointAt(0)!;
      default: void e; return undefined;
    }
  }

  /**
   * The engine object behind a sync value, made on first use. A copy (`b := a`, a by-value parameter
   * or receiver) gets its own object in the state the original had when it was copied, as in Go:
   * a copied locked Mutex is locked, a copied WaitGroup has the counter, not the original's waiters.
   */
  private *syncRef(box: SyncBox, g: GCtx, site: Site, pos: Pos): Gen<NonNullable<SyncBox['ref']>> {
    if (box.ref) return box.ref;
    const ref = (yield* this.act(g, { op: 'makesync', what: box.kind, site })) as NonNullable<SyncBox['ref']>;
    box.ref = ref;
    const init = box.init;
    if (init === 0) return ref;
    this.note(pos, `a copied sync.${typeName(box).slice(5)} starts in the copied state (${box.kind === 'waitgroup' ? `counter ${init}` : init < 0 ? 'write-locked' : box.kind === 'rwmutex' ? `${init} reader(s)` : box.kind === 'once' ? 'done' : 'locked'}); go vet reports such copies (copylocks)`);
    switch (box.kind) {
      case 'mutex': yield* this.act(g, A.lock(ref as A.MutexRef, site)); break;
      case 'waitgroup': yield* this.act(g, A.wgAdd(ref as A.WaitGroupRef, init, site)); break;
      case 'rwmutex': for (let i = 0; i < Math.abs(init); i++) yield* this.act(g, { op: init < 0 ? 'wlock' : 'rlock', mu: ref as A.RWMutexRef, site }); break;
      case 'once': if (yield* this.act(g, { op: 'onceBegin', once: ref as A.OnceRef, site })) yield* this.act(g, { op: 'onceDone', once: ref as A.OnceRef, site }); break;
    }
    return ref;
  }

  /** The next error in a chain: what %w wrapped, or the result of a user Unwrap method. */
  private *unwrapErr(x: Value, g: GCtx): Gen<Value> {
    if (x instanceof ErrorVal) return x.wrapped;
    const m = this.findMethod(x, 'Unwrap');
    return m ? ((yield* this.callMethod(m, [], g)) as Value) : null;
  }
  /** src.Read(buf) for io.Copy and io.ReadAll: n and err, or undefined when src cannot be read here. */
  private *readCall(src: Value, buf: SliceVal, e: Extract<Expr, { k: 'call' }>, fr: Frame): Gen<[number, Value] | undefined> {
    const m = this.findMethod(src, 'Read');
    const base = src instanceof Pointer ? src.get() : src;
    const r = m ? yield* this.callMethod(m, [buf], fr.g)
      : base instanceof StructVal && (base.type === 'strings.Reader' || base.type === 'bytes.Buffer') ? yield* this.callLibMethod(src, 'Read', [buf], e, fr) : undefined;
    if (!(r instanceof Tuple)) return undefined;
    return [num(r.vs[0] ?? 0), r.vs[1] ?? null];
  }
  /** dst.Write(bytes) for io.Copy and io.WriteString: the error, or undefined when dst cannot be written here. */
  private *writeCall(dst: Value, bytes: number[], site: Site, e: Extract<Expr, { k: 'call' }>, fr: Frame): Gen<Value | undefined> {
    if (dst instanceof Named && (dst.type === 'os.Stdout' || dst.type === 'os.Stderr')) { yield* this.act(fr.g, A.print(bytesToStr(bytes), site, dst.type === 'os.Stderr' ? 2 : 1)); return null; }
    const b = new SliceVal(bytes.slice(), 0, bytes.length, bytes.length, { k: 'name', name: 'byte' });
    const m = this.findMethod(dst, 'Write');
    const base = dst instanceof Pointer ? dst.get() : dst;
    const r = m ? yield* this.callMethod(m, [b], fr.g)
      : base instanceof StructVal && (base.type === 'strings.Builder' || base.type === 'bytes.Buffer') ? yield* this.callLibMethod(dst, 'Write', [b], e, fr) : undefined;
    if (r === undefined) return undefined;
    return r instanceof Tuple ? r.vs[1] ?? null : null;
  }

  private *callMethod(m: { decl: FuncDecl; recv: Value }, args: Value[], g: GCtx): Gen<Value> {
    return (yield* this.callFunc(new FuncVal(m.decl.name, m.decl, this.globals, undefined, { v: m.recv, name: m.decl.recv!.name }), args, g)) as Value;
  }

  /** Methods of library types: sync primitives, timers, durations, errors, strings.Builder, atomics. */
  /** os.Stdin, made on first use: one source, so every reader of it shares its position. */
  private stdin: Value = null;
  /** Whether signal.Notify has started os/signal's loop goroutine. */
  private signalLoop = false;

  /** A read of standard input: a short read(2) that returns end of file (the simulation has no input). */
  private *readStdin(g: GCtx, site: Site, e: Expr): Gen<void> {
    this.note(e.pos, 'standard input is empty in the simulation (as with go run prog.go < /dev/null): reads return end of file');
    yield* this.act(g, A.syscall(5_000, 'read(2) on standard input', site));
  }

  /**
   * The next piece of a bufio.Scanner's or bufio.Reader's source, or null at end of input. Text
   * sources (strings.NewReader, os.Stdin) are read from memory; any other reader (a file or a
   * connection stand-in) gets its own blocking Read, then ends: no real I/O happens.
   */
  private *readFrom(src: Value, take: (text: string, off: number) => { value: string; next: number } | null, e: Extract<Expr, { k: 'call' }>, fr: Frame): Gen<string | null> {
    const s = src instanceof Pointer ? src.get() : src;
    if (s instanceof StructVal && typeof s.f['buf'] === 'string') {
      if (s.f['stdin'] === true) yield* this.readStdin(fr.g, this.site(e.pos, fr), e);
      const got = take(s.f['buf'], num(s.f['off']!));
      if (!got) return null;
      s.f['off'] = got.next;
      return got.value;
    }
    const m = s instanceof Opaque ? /^\*?(.*)\.(\w+)$/.exec(s.type) : null;
    const entry = m ? lookupCall(m[1]!, 'Read', m[2]!) : undefined;
    if (entry) yield* this.catalogCall(entry, `${typeName(s)}.Read`, [], e, fr);
    else this.note(e.pos, `bufio over ${typeName(src)} is not modelled: it reads as empty`);
    return null;
  }

  private *callLibMethod(recv: Value, name: string, args: Value[], e: Extract<Expr, { k: 'call' }>, fr: Frame): Gen<Value> {
    const g = fr.g;
    const site = this.site(e.pos, fr);
    let r = recv instanceof Pointer ? recv.get() : recv;
    if (r instanceof StructVal && r.type === 'bufio.Scanner') {
      const sc = r;
      switch (name) {
        case 'Scan': {
          if (sc.f['done'] === true) return false;
          const mode = sc.f['split'] as SplitMode;
          const tok = yield* this.readFrom(sc.f['src']!, (text, off) => {
            const t = nextToken(text, off, mode);
            return t && { value: t.token, next: t.next };
          }, e, fr);
          if (tok === null) { sc.f['done'] = true; sc.f['tok'] = ''; return false; }
          sc.f['tok'] = tok;
          return true;
        }
        case 'Text': return sc.f['tok']!;
        case 'Bytes': return bytesOf(String(sc.f['tok']));
        case 'Err': return null;
        case 'Buffer': return null;
        case 'Split': {
          const f = args[0];
          const mode = f instanceof FuncVal && f.recv ? SPLIT_FUNCS[f.recv.name] : undefined;
          if (mode) sc.f['split'] = mode;
          else this.note(e.pos, 'a custom split function is not modelled: the scanner keeps splitting lines');
          return null;
        }
      }
    }
    if (r instanceof StructVal && r.type === 'bufio.Reader' && (name === 'ReadString' || name === 'ReadBytes')) {
      const delim = runeStr(num(args[0] ?? 10));
      let eof = false;
      const chunk = yield* this.readFrom(r.f['src']!, (text, off) => {
        const got = readUntil(text, off, delim);
        eof = got.eof;
        return { value: got.chunk, next: got.next };
      }, e, fr);
      const text = chunk ?? '';
      return new Tuple([name === 'ReadString' ? text : bytesOf(text), eof || chunk === null ? IO_EOF : null]) as unknown as Value;
    }
    if (r instanceof StructVal && (r.type === 'strings.Reader' || r.type === 'bytes.Buffer') && name === 'Read') {
      // Read(p): the next bytes of the text, whole characters at a time (a character split across reads is not modelled).
      const b = args[0];
      if (!(b instanceof SliceVal)) return this.unknown(`${r.type}.Read into ${typeName(b ?? null)}`, e);
      const text = String(r.f['buf']);
      let off = r.type === 'bytes.Buffer' ? 0 : num(r.f['off']!);
      if (b.len === 0) return new Tuple([0, null]) as unknown as Value;
      if (off >= text.length) return new Tuple([0, IO_EOF]) as unknown as Value;
      let n = 0;
      while (off < text.length) {
        const ch = String.fromCodePoint(text.codePointAt(off)!);
        const bs = utf8(ch);
        if (n + bs.length > b.len) {
          if (n === 0) this.note(e.pos, `${r.type}.Read with a buffer shorter than a character: the simulator does not split characters across reads`);
          break;
        }
        bs.forEach((x, k) => b.set(n + k, x));
        n += bs.length;
        off += ch.length;
      }
      if (r.type === 'bytes.Buffer') r.f['buf'] = text.slice(off); else r.f['off'] = off;
      return new Tuple([n, null]) as unknown as Value;
    }
    if (r instanceof StructVal && (r.type === 'strings.Reader' || r.type === 'os.File') && name === 'Len') return strLen(String(r.f['buf']).slice(num(r.f['off']!)));
    // rw.RLocker(): a Locker whose Lock and Unlock are rw's RLock and RUnlock.
    if (r instanceof StructVal && r.type === 'sync.rlocker' && (name === 'Lock' || name === 'Unlock')) { r = r.f['rw']!; name = name === 'Lock' ? 'RLock' : 'RUnlock'; }
    if (r instanceof SyncBox) {
      const box = r;
      const ref = (yield* this.syncRef(box, g, site, e.pos)) as any;
      switch (`${box.kind}.${name}`) {
        case 'mutex.Lock': yield* this.act(g, A.lock(ref, site)); box.held = 1; return null;
        case 'mutex.Unlock': box.held = 0; yield* this.act(g, A.unlock(ref, site)); return null;
        case 'mutex.TryLock': { const ok = yield* this.act(g, { op: 'tryLock', mu: ref, site }); if (ok === true) box.held = 1; return ok; }
        case 'rwmutex.Lock': yield* this.act(g, { op: 'wlock', mu: ref, site }); box.held = -1; return null;
        case 'rwmutex.Unlock': box.held = 0; yield* this.act(g, { op: 'wunlock', mu: ref, site }); return null;
        case 'rwmutex.RLock': yield* this.act(g, { op: 'rlock', mu: ref, site }); box.held = Math.max(0, box.held) + 1; return null;
        case 'rwmutex.RUnlock': box.held = Math.max(0, box.held - 1); yield* this.act(g, { op: 'runlock', mu: ref, site }); return null;
        case 'rwmutex.TryLock': case 'rwmutex.TryRLock': {
          const read = name === 'TryRLock';
          const ok = yield* this.act(g, { op: 'tryRWLock', mu: ref, read, site });
          if (ok === true) box.held = read ? Math.max(0, box.held) + 1 : -1;
          return ok;
        }
        case 'rwmutex.RLocker': return new Pointer({ v: new StructVal('sync.rlocker', { rw: box }, ['rw']) }, 'v', 'sync.rlocker');
        case 'waitgroup.Add': box.held += num(args[0] ?? 0); yield* this.act(g, A.wgAdd(ref, num(args[0] ?? 0), site)); return null;
        case 'waitgroup.Done': box.held--; yield* this.act(g, A.wgDone(ref, site)); return null;
        case 'waitgroup.Wait': yield* this.act(g, A.wgWait(ref, site)); return null;
        case 'once.Do': {
          const f = args[0];
          if (!(f instanceof FuncVal)) return null;
          if (yield* this.act(g, { op: 'onceBegin', once: ref, site })) {
            try { yield* this.callFunc(f, [], g); } finally { box.held = 1; yield { op: 'onceDone', once: ref, site }; }
          }
          return null;
        }
        default: return this.unknown(`sync.${typeName(box).slice(5)}.${name}`, e);
      }
    }
    if (r instanceof TimerVal) {
      if (name === 'Stop') {
        const active = yield* this.act(g, { op: 'timerStop', timer: r.ref, site });
        if (active === true && r instanceof AfterFuncTimer) yield* this.act(g, A.close(r.stop, site)); // f will never run: its helper ends
        return active;
      }
      if (name === 'Reset') {
        const d = num(args[0] ?? 0);
        if (!r.ticker) return yield* this.act(g, { op: 'timerReset', timer: r.ref, ns: d, site });
        // Ticker.Reset: the next tick comes d from now, and every d after (the period changes too).
        if (!(d > 0)) { g.site = site; throw this.tickerPanic('Ticker.Reset'); }
        yield* this.act(g, { op: 'timerReset', timer: r.ref, ns: d, period: d, site });
        return null;
      }
    }
    if (r instanceof GoDuration) {
      switch (name) {
        case 'String': return durationString(r.v);
        case 'Seconds': return new GoFloat(r.v / 1e9);
        case 'Milliseconds': return Math.trunc(r.v / 1e6);
        case 'Microseconds': return Math.trunc(r.v / 1e3);
        case 'Nanoseconds': return r.v;
        case 'Minutes': return new GoFloat(r.v / 6e10);
        case 'Hours': return new GoFloat(r.v / 3.6e12);
        case 'Round': { const m = num(args[0] ?? 1); return new GoDuration(m <= 0 ? r.v : Math.round(r.v / m) * m); }
        case 'Truncate': { const m = num(args[0] ?? 1); return new GoDuration(m <= 0 ? r.v : Math.trunc(r.v / m) * m); }
      }
    }
    if (r instanceof Named && r.type === 'time.Time') {
      const t = num(r.v);
      switch (name) {
        case 'Sub': return new GoDuration(t - num(args[0] ?? 0));
        case 'Add': return new Named('time.Time', t + num(args[0] ?? 0));
        case 'UnixNano': return t;
        case 'UnixMilli': return Math.trunc(t / 1e6);
        case 'Unix': return Math.trunc(t / 1e9);
        case 'Before': return t < num(args[0] ?? 0);
        case 'After': return t > num(args[0] ?? 0);
        case 'Equal': return t === num(args[0] ?? 0);
        case 'IsZero': return t === ZERO_TIME.v;
      }
    }
    if (r instanceof ErrorVal && name === 'Error') return r.msg;
    if (r instanceof StructVal && r.type === 'sync.Map') {
      // sync.Map: its own locking never blocks for long, so only its contents are modelled.
      const m = r.f['m'] as MapVal;
      const k = args[0] ?? null, key = mapKey(k);
      const ent = m.m.get(key);
      const tuple = (vs: Value[]): Value => new Tuple(vs) as unknown as Value;
      g.cost += COST.MAP_NS;
      switch (name) {
        case 'Load': return tuple([ent ? ent[1] : null, !!ent]);
        case 'Store': m.m.set(key, [k, args[1] ?? null]); return null;
        case 'LoadOrStore': if (ent) return tuple([ent[1], true]); m.m.set(key, [k, args[1] ?? null]); return tuple([args[1] ?? null, false]);
        case 'LoadAndDelete': m.m.delete(key); return tuple([ent ? ent[1] : null, !!ent]);
        case 'Delete': m.m.delete(key); return null;
        case 'Swap': m.m.set(key, [k, args[1] ?? null]); return tuple([ent ? ent[1] : null, !!ent]);
        case 'CompareAndSwap': if (ent && equal(ent[1], args[1] ?? null)) { m.m.set(key, [k, args[2] ?? null]); return true; } return false;
        case 'CompareAndDelete': if (ent && equal(ent[1], args[1] ?? null)) { m.m.delete(key); return true; } return false;
        case 'Range': {
          const f = args[0];
          for (const [kk, vv] of [...m.m.values()]) {
            const res = f instanceof FuncVal ? (f.decl ? yield* this.callFunc(f, [kk, vv], g) : f.native ? f.native([kk, vv]) : true) : true;
            if (res === false) break;
          }
          return null;
        }
      }
    }
    if (r instanceof StructVal && r.type === 'context.Context') {
      const c = asCtx(r)!;
      const anc = cancelable(c);
      switch (name) {
        case '$cancel': yield* this.cancelCtx(c, CTX_CANCELED, g, site); return null;
        case 'Done': return anc ? anc.done : null;
        case 'Err': return anc ? anc.err : null;
        // Keys compare as interfaces: a key of a named type (type key string) never matches a plain string.
        case 'Value': for (let x: Ctx | null = c; x; x = x.parent) if (x.value && ifaceEqual(x.value.k, args[0] ?? null)) return x.value.v; return null;
        case 'Deadline': { for (let x: Ctx | null = c; x; x = x.parent) if (x.deadline !== null) return new Tuple([new Named('time.Time', x.deadline), true]) as unknown as Value; return new Tuple([ZERO_TIME, false]) as unknown as Value; }
      }
    }
    if (r instanceof StructVal && r.type === 'sync.Cond') {
      const c = r as StructVal & { cond?: A.CondRef; mu?: A.MutexRef };
      if (c.cond && c.mu) {
        if (name === 'Wait') { yield* this.act(g, { op: 'condWait', cond: c.cond, mu: c.mu, site }); return null; }
        if (name === 'Signal' || name === 'Broadcast') { yield* this.act(g, { op: 'condSignal', cond: c.cond, broadcast: name === 'Broadcast', site }); return null; }
      }
    }
    if (r instanceof Named && (r.type === 'os.Stdout' || r.type === 'os.Stderr') && (name === 'Write' || name === 'WriteString')) {
      const b = args[0];
      const text = typeof b === 'string' ? b : b instanceof SliceVal ? bytesToStr(Array.from({ length: b.len }, (_, i) => num(b.get(i)))) : '';
      yield* this.act(g, A.print(text, site, r.type === 'os.Stderr' ? 2 : 1));
      return new Tuple([typeof b === 'string' ? strLen(b) : b instanceof SliceVal ? b.len : 0, null]) as unknown as Value;
    }
    if (r instanceof Named && SORT_SLICES.has(r.type) && r.v instanceof SliceVal) {
      const sl = r.v;
      switch (name) {
        case 'Len': return sl.len;
        case 'Less': { const a = sl.get(num(args[0] ?? 0)), b = sl.get(num(args[1] ?? 0)); return typeof a === 'string' ? a < (b as string) : num(a) < num(b); }
        case 'Swap': { const i = num(args[0] ?? 0), j = num(args[1] ?? 0); const t = sl.get(i); sl.set(i, sl.get(j)); sl.set(j, t); return null; }
        case 'Sort': return yield* this.sortInterface(r, g, e);
        case 'Search': return searchSorted(sl, args[0] ?? null);
      }
    }
    if (r instanceof StructVal && r.type === 'strings.Replacer' && name === 'Replace') {
      // Left to right without overlaps; where several old strings match, the earliest pair wins.
      const ps = r.f['pairs'] as SliceVal;
      const pairs = Array.from({ length: ps.len / 2 }, (_, i) => [String(ps.get(2 * i)), String(ps.get(2 * i + 1))] as const);
      const src = String(args[0] ?? '');
      let out = '';
      for (let i = 0; i < src.length;) {
        const hit = pairs.find(([o]) => src.startsWith(o, i));
        if (hit) { out += hit[1]; i += hit[0].length; } else out += src[i++];
      }
      return out;
    }
    if (r instanceof StructVal && (r.type === 'strings.Builder' || r.type === 'bytes.Buffer')) {
      switch (name) {
        case 'WriteString': r.f['buf'] = String(r.f['buf']) + String(args[0] ?? ''); return new Tuple([strLen(String(args[0] ?? '')), null]) as unknown as Value;
        case 'Write': {
          const b = args[0];
          const text = b instanceof SliceVal ? bytesToStr(Array.from({ length: b.len }, (_, i) => num(b.get(i)))) : '';
          r.f['buf'] = String(r.f['buf']) + text;
          return new Tuple([b instanceof SliceVal ? b.len : 0, null]) as unknown as Value;
        }
        case 'Bytes': return bytesOf(String(r.f['buf']));
        case 'Grow': return null;
        case 'WriteByte': case 'WriteRune': r.f['buf'] = String(r.f['buf']) + runeStr(num(args[0] ?? 0)); return null;
        case 'String': return String(r.f['buf']);
        case 'Len': return strLen(String(r.f['buf']));
        case 'Reset': r.f['buf'] = ''; return null;
      }
    }
    if (r instanceof StructVal && r.type.startsWith('atomic.')) {
      // atomic.Uint32 & co. wrap to their width (Add(^uint32(0)) decrements).
      const k = r.type.slice('atomic.'.length).toLowerCase();
      const fit = (v: Value): Value => (SIZED.has(k) && (typeof v === 'number' || v instanceof Named) ? sized(num(v), k) : v);
      switch (name) {
        case 'Add': r.f['v'] = fit(num(r.f['v']!) + num(args[0] ?? 0)); return r.f['v']!;
        case 'Load': return r.f['v']!;
        case 'Store': r.f['v'] = fit(args[0] ?? 0); return null;
        case 'Swap': { const old = r.f['v']!; r.f['v'] = fit(args[0] ?? 0); return old; }
        case 'CompareAndSwap': if (equal(r.f['v']!, args[0] ?? null)) { r.f['v'] = fit(args[1] ?? 0); return true; } return false;
      }
    }
    if (r instanceof Opaque) {
      // A library value from a catalog call: its methods are looked up in the catalog too.
      const m = /^\*?(.*)\.(\w+)$/.exec(r.type);
      const entry = m ? lookupCall(m[1]!, name, m[2]!) : undefined;
      if (entry) return yield* this.catalogCall(entry, `${typeName(r)}.${name}`, args, e, fr);
      // Not a scheduler call, but the catalog knows its result types (ln.Addr().String()): stand-ins keep the program going.
      const results = m ? CONSTRUCTOR_RESULTS.get(`${m[1]}.${m[2]}.${name}`) : undefined;
      if (results) {
        this.note(e.pos, `${typeName(r)}.${name} does nothing in the simulator; its results are stand-ins`);
        const vals = results.map((t) => this.standIn(t));
        return vals.length === 1 ? vals[0]! : (new Tuple(vals) as unknown as Value);
      }
    }
    r = recv;
    return this.unknown(`method ${name} of ${typeName(r)}`, e);
  }
}

/** Statements `execSimple` can run: nothing in them can yield, and no comma-ok or multi-value forms. */
function isSimple(s: Stmt): boolean {
  const c = s as Stmt & { $simple?: boolean };
  if (c.$simple !== undefined) return c.$simple;
  let r = false;
  if (s.k === 'expr') r = !s.x.y;
  else if (s.k === 'incdec') r = !s.x.y;
  else if (s.k === 'assign') r = s.lhs.length === s.rhs.length && !s.lhs.some((e) => e.y) && !s.rhs.some((e) => e.y);
  c.$simple = r;
  return r;
}

/** `f(a, s...)` for library functions: the slice's elements become arguments. */
function spreadArgs(args: Value[]): Value[] {
  const last = args[args.length - 1];
  const s = last instanceof Named ? last.v : last;
  if (!(s instanceof SliceVal)) return args.slice(0, -1);
  return [...args.slice(0, -1), ...Array.from({ length: s.len }, (_, i) => s.get(i))];
}

/** Some argument of the call can yield (cached on the node). */
function argsYield(call: Extract<Expr, { k: 'call' }>): boolean {
  const c = call as typeof call & { $argsYield?: boolean };
  return (c.$argsYield ??= call.args.some((a) => a.y));
}

/** One evaluated argument; `f(g())` passes all of g's results. */
function pushArg(args: Value[], v: Value, call: Extract<Expr, { k: 'call' }>): void {
  if (v instanceof Tuple && call.args.length === 1) args.push(...v.vs);
  else args.push(v);
}

/** A block of simple statements only (cached on the array). */
function simpleBody(body: Stmt[]): boolean {
  const c = body as Stmt[] & { $simple?: boolean };
  return (c.$simple ??= body.every(isSimple));
}

// ---- context model
const CTX_CANCELED = new ErrorVal('context canceled', null, '*errors.errorString');
const IO_EOF = new ErrorVal('EOF', null, '*errors.errorString');

/** A reader over text held in memory (strings.NewReader, os.Stdin), as a pointer so copies share it. */
function textSource(type: string, text: string, extra: Record<string, Value> = {}): Value {
  const f: Record<string, Value> = { buf: text, off: 0, ...extra };
  return new Pointer({ v: new StructVal(type, f, Object.keys(f)) }, 'v', type);
}

/** []byte(text), as the conversion makes it. */
function bytesOf(text: string): Value {
  const bytes: Value[] = Array.from(utf8(text));
  return new SliceVal(bytes, 0, bytes.length, bytes.length, { k: 'name', name: 'byte' });
}
const CTX_DEADLINE = new ErrorVal('context deadline exceeded', null, 'context.deadlineExceededError');
interface Ctx {
  /** How it was made: Background or TODO (a root), WithCancel, WithDeadline (also WithTimeout), WithValue. */
  kind: string;
  sv: StructVal; parent: Ctx | null; done: ChanVal | null; err: Value; children: Ctx[];
  timer: A.TimerRef | null; deadline: number | null; value: { k: Value; v: Value } | null;
}
const ctxOf = new WeakMap<StructVal, Ctx>();
/** The dynamic type %T names for each kind of context (Go 1.19's unexported implementations). */
const CTX_TYPES: Record<string, string> = { Background: '*context.emptyCtx', TODO: '*context.emptyCtx', WithCancel: '*context.cancelCtx', WithDeadline: '*context.timerCtx', WithValue: '*context.valueCtx' };
function newCtx(parent: Ctx | null, kind: string): Ctx {
  const sv = new StructVal('context.Context', {}, []);
  sv.libType = CTX_TYPES[kind];
  const c: Ctx = { kind, sv, parent, done: null, err: null, children: [], timer: null, deadline: null, value: null };
  ctxOf.set(sv, c);
  return c;
}
function asCtx(v: Value): Ctx | null {
  const b = v instanceof Pointer ? v.get() : v;
  return b instanceof StructVal ? ctxOf.get(b) ?? null : null;
}
/** The nearest context (itself or an ancestor) that can be cancelled. */
function cancelable(c: Ctx | null): Ctx | null {
  for (let x = c; x; x = x.parent) if (x.done) return x;
  return null;
}

const isSmall = (x: number, y: number): boolean => x >= -0x80000000 && x <= 0x7fffffff && y >= -0x80000000 && y <= 0x7fffffff;

function trimChars(s: string, cut: string, left: boolean, right: boolean): string {
  const set = new Set([...cut]);
  const chars = [...s];
  let a = 0, b = chars.length;
  if (left) while (a < b && set.has(chars[a]!)) a++;
  if (right) while (b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

function guessElem(v: Value | undefined): TypeExpr | undefined {
  if (typeof v === 'number') return { k: 'name', name: 'int' };
  if (typeof v === 'string') return { k: 'name', name: 'string' };
  return undefined;
}

/** Element size in bytes, for append's size-class rounding. */
function elemSize(t: TypeExpr | undefined, it: Interp): number {
  if (!t) return 8;
  const u = it.resolve(t).under;
  if (u.k === 'name') {
    if (u.name === 'string') return 16;
    if (['byte', 'uint8', 'int8', 'bool'].includes(u.name)) return 1;
    if (['int16', 'uint16'].includes(u.name)) return 2;
    if (['int32', 'uint32', 'rune', 'float32'].includes(u.name)) return 4;
    if (u.name === 'error' || u.name === 'any') return 16;
    return 8;
  }
  if (u.k === 'slice') return 24;
  if (u.k === 'iface') return 16;
  if (u.k === 'struct') return Math.max(1, u.fields.reduce((n, f) => n + elemSize(f.type, it), 0));
  return 8;
}

export type { FuncLit };
