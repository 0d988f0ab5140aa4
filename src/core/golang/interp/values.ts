// Go values as the interpreter represents them.
//
// Representation (dynamic, tagged where JS types are ambiguous):
//   int kinds, rune, byte  → JS number (integers; 64-bit ints are approximated by doubles beyond 2^53)
//   float64/float32        → GoFloat
//   time.Duration          → GoDuration (ns)
//   string                 → JS string (Unicode text; len/index/slice use its UTF-8 encoding)
//   bool                   → boolean
//   struct                 → StructVal (copied on assignment: see copyVal)
//   array                  → ArrayVal (copied on assignment)
//   pointer                → Pointer (obj[key] is the pointee)
//   slice                  → SliceVal (shared backing array)
//   map                    → MapVal
//   chan                   → ChanVal (wraps the engine's ChanRef)
//   func                   → FuncVal
//   error from errors.New  → ErrorVal
//   sync.Mutex & co.       → SyncBox (engine object created lazily on first use)
//   nil                    → null
import type { ChanRef, MutexRef, OnceRef, RWMutexRef, TimerRef, WaitGroupRef } from '../../engine/actions';
import type { TypeExpr, FuncLit, FuncDecl } from './ast';

export type Value =
  | number | string | boolean | null
  | GoFloat | GoDuration | StructVal | ArrayVal | Pointer | SliceVal | MapVal | ChanVal | FuncVal
  | ErrorVal | SyncBox | TimerVal | Named | TypeVal | Opaque | NilPtr;

export class GoFloat {
  constructor(readonly v: number, /** A float32: v is rounded to single precision, prints its shortest float32 digits. */ readonly f32 = false) {}
}
export class GoDuration { constructor(readonly v: number) {} }
/** A value of a user-defined non-struct named type (`type Celsius float64`), for %T and methods. */
export class Named { constructor(readonly type: string, readonly v: Value) {} }
export class StructVal {
  /** The type arguments of a generic struct type's value (Stack[int]): its methods' type parameters. */
  targs?: TypeExpr[];
  /** The Go type %T names for a library value this struct stands for (a context is a *context.cancelCtx …). */
  libType?: string;
  constructor(readonly type: string, public f: Record<string, Value>, readonly order: string[]) {}
}
export class ArrayVal { constructor(public a: Value[], readonly elem: TypeExpr | undefined) {} }
export class Pointer {
  constructor(
    readonly obj: any,
    readonly key: string | number,
    readonly elemType?: string,
    /** What declares the slot's type: the struct type holding field `key`, or a slice's or array's element type. */
    readonly holder?: string | TypeExpr,
  ) {}
  get(): Value { return this.obj[this.key] as Value; }
  set(v: Value): void { this.obj[this.key] = v; }
}
export class SliceVal {
  constructor(
    public arr: Value[], public off: number, public len: number, public cap: number, readonly elem: TypeExpr | undefined,
    /** A slice type's zero value (`var s []int`, a struct field): empty, equal to nil, printed `[]` (`[]int(nil)` by %#v). */
    readonly nil = false,
  ) {}
  get(i: number): Value { return this.arr[this.off + i] as Value; }
  set(i: number, v: Value): void { this.arr[this.off + i] = v; }
}
export class MapVal {
  readonly m = new Map<unknown, [Value, Value]>();
  /** `nil`: a map type's zero value, which reads as empty and panics on assignment (unlike a nil slice, which panics on any index). */
  constructor(readonly key: TypeExpr | undefined, readonly val: TypeExpr | undefined, readonly nil = false) {}
}
export class ChanVal {
  constructor(
    readonly ref: ChanRef, readonly elem: TypeExpr | undefined, readonly cap: number,
    /** The static direction it was given (a <-chan T result or parameter), for %T. */ readonly dir: 'both' | 'send' | 'recv' = 'both',
  ) {}
}
export class FuncVal {
  constructor(
    readonly name: string,
    readonly decl: FuncDecl | FuncLit | null,
    readonly env: unknown,
    readonly native?: (args: Value[]) => Value,
    /** Bound receiver (method value). */
    readonly recv?: { v: Value; name: string },
  ) {}
}
export class ErrorVal { constructor(readonly msg: string, readonly wrapped: Value = null, readonly type = '*errors.errorString') {} }
export type SyncKind = 'mutex' | 'rwmutex' | 'waitgroup' | 'once';
export class SyncBox {
  ref: MutexRef | RWMutexRef | WaitGroupRef | OnceRef | null = null;
  /**
   * The state word as this program last set it (mutex 1 = locked, rwmutex -1 = write-locked or the
   * reader count, waitgroup the counter, once 1 = done): a Go copy copies it, so a copy starts with it.
   */
  held = 0;
  /** A copy's state, applied to its engine object when it is first used. */
  init = 0;
  constructor(readonly kind: SyncKind) {}
  copy(): SyncBox {
    const b = new SyncBox(this.kind);
    b.held = b.init = this.ref ? this.held : this.init;
    return b;
  }
}
export class TimerVal { constructor(readonly ref: TimerRef, readonly c: ChanVal, readonly ticker: boolean) {} }
/** A nil pointer that knows its type (`var p *T`), so methods with pointer receivers can be called on it. Equal to nil. */
export class NilPtr {
  constructor(
    /** The pointee's named type, e.g. `Node`. */ readonly type: string,
    /** Held in an interface (`var err error = p`): then the interface is not nil, as in Go. */ readonly inIface = false,
  ) {}
}
/** A value of a library type the interpreter does not model (`*os.File`, `net.Conn`): only its catalog calls act. */
export class Opaque { constructor(/** Go type text with import path, e.g. `*os.File`. */ readonly type: string) {} }
/** A type used as a value (conversion target, `new(T)`, `make(T)`) — never visible to user code. */
export class TypeVal { constructor(readonly t: TypeExpr) {} }

const INT_BITS: Record<string, [number, boolean]> = {
  int8: [8, true], int16: [16, true], int32: [32, true], rune: [32, true], int64: [64, true], int: [64, true],
  uint8: [8, false], byte: [8, false], uint16: [16, false], uint32: [32, false], uint64: [64, false], uint: [64, false], uintptr: [64, false],
};
export const isIntType = (name: string): boolean => name in INT_BITS;
export const isFloatType = (name: string): boolean => name === 'float64' || name === 'float32';

/** Wraps an integer to the width of a Go integer type (two's complement). */
export function wrapInt(n: number, type: string): number {
  const spec = INT_BITS[type];
  if (!spec) return n;
  const [bits, signed] = spec;
  if (!Number.isFinite(n)) return 0;
  n = Math.trunc(n);
  if (bits === 64) {
    // The doubles 2^63 and 2^64 are what MaxInt64 and MaxUint64 round to: they stand for them (fmt prints 2^63-1, 2^64-1).
    if (signed ? n === 2 ** 63 : n === 2 ** 64) return n;
    if (Number.isSafeInteger(n)) return !signed && n < 0 ? Number(BigInt.asUintN(64, BigInt(n))) : n;
    const b = signed ? BigInt.asIntN(64, BigInt(n)) : BigInt.asUintN(64, BigInt(n));
    return Number(b);
  }
  if (bits === 32) return signed ? n | 0 : n >>> 0;
  const m = 2 ** bits;
  let r = ((n % m) + m) % m;
  if (signed && r >= m / 2) r -= m;
  return r;
}

export const num = (v: Value): number =>
  typeof v === 'number' ? v : v instanceof GoFloat || v instanceof GoDuration ? v.v : v instanceof Named ? num(v.v) : typeof v === 'boolean' ? +v : 0;

// ---- strings as UTF-8 ----
const enc = new TextEncoder();
const dec = new TextDecoder();
const ASCII = /^[\x00-\x7f]*$/;
export const utf8 = (s: string): Uint8Array => enc.encode(s);
export const strLen = (s: string): number => (ASCII.test(s) ? s.length : enc.encode(s).length);
export const strByte = (s: string, i: number): number | undefined => (ASCII.test(s) ? s.charCodeAt(i) : enc.encode(s)[i]);
export function strSlice(s: string, lo: number, hi: number): string {
  if (ASCII.test(s)) return s.slice(lo, hi);
  return dec.decode(enc.encode(s).subarray(lo, hi));
}
export const bytesToStr = (b: ArrayLike<number>): string => dec.decode(Uint8Array.from(b as ArrayLike<number>));
/** Range over a string: [byte offset, rune]. */
export function* strRunes(s: string): Generator<[number, number]> {
  let off = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    yield [off, cp];
    off += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
export const runeStr = (r: number): string => (!Number.isInteger(r) || r < 0 || r > 0x10ffff || (r >= 0xd800 && r < 0xe000) ? '\ufffd' : String.fromCodePoint(r));

/** Value copy at an assignment, argument or return (structs and arrays are values in Go). */
export function copyVal(v: Value): Value {
  if (v instanceof StructVal) {
    if (v.type === 'context.Context') return v; // an interface value in Go: copies share the context
    const f: Record<string, Value> = {};
    for (const k of v.order) f[k] = copyVal(v.f[k]!);
    const c = new StructVal(v.type, f, v.order);
    if (v.targs) c.targs = v.targs;
    if (v.libType) c.libType = v.libType;
    return c;
  }
  if (v instanceof ArrayVal) return new ArrayVal(v.a.map(copyVal), v.elem);
  if (v instanceof Named && v.v instanceof ArrayVal) return new Named(v.type, copyVal(v.v)); // a named array type copies too
  if (v instanceof SyncBox) return v.copy();
  return v;
}

/** A slice, map or func value (nil or not): Go cannot hash it or compare it with ==, even inside an interface. */
export function uncomparable(v: Value): boolean {
  return v instanceof SliceVal || v instanceof MapVal || v instanceof FuncVal;
}

/** Map key for a Go value (comparable values only). */
export function mapKey(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof NilPtr) return null;
  if (v instanceof GoFloat || v instanceof GoDuration) return v.v;
  if (v instanceof Named) return mapKey(v.v);
  if (v instanceof StructVal) return 'S' + v.type + JSON.stringify(v.order.map((k) => mapKey(v.f[k]!)));
  if (v instanceof ArrayVal) return 'A' + JSON.stringify(v.a.map(mapKey));
  if (v instanceof ChanVal) return v.ref; // one channel, whatever direction it is seen with
  return v; // pointers: identity
}

/** Equality of two interface values: the dynamic types must match too, so a named type's value never equals its underlying type's. */
export function ifaceEqual(a: Value, b: Value): boolean {
  if ((a instanceof Named) !== (b instanceof Named) && (a instanceof Named ? b : a) !== null) return false;
  return equal(a, b);
}

export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof NilPtr || b instanceof NilPtr) {
    // An interface holding a nil *T is not nil; it equals another nil *T (same dynamic type and value).
    if ((a instanceof NilPtr && a.inIface) || (b instanceof NilPtr && b.inIface)) return a instanceof NilPtr && b instanceof NilPtr && a.type === b.type;
    return (a === null || a instanceof NilPtr) && (b === null || b instanceof NilPtr);
  }
  if (a instanceof Named || b instanceof Named) {
    if (a instanceof Named && b instanceof Named && a.type !== b.type) return false;
    return equal(a instanceof Named ? a.v : a, b instanceof Named ? b.v : b);
  }
  if (a === null || b === null) {
    const o = a === null ? b : a;
    return (o instanceof MapVal || o instanceof SliceVal) && o.nil;
  }
  if (typeof a !== 'object' || typeof b !== 'object') return num(a) === num(b) && typeof a !== 'string' && typeof b !== 'string' ? true : false;
  if ((a instanceof GoFloat || a instanceof GoDuration) && (b instanceof GoFloat || b instanceof GoDuration || typeof b === 'number')) return num(a) === num(b);
  if ((b instanceof GoFloat || b instanceof GoDuration) && typeof a === 'number') return num(a) === num(b);
  if (a instanceof Pointer && b instanceof Pointer) return a.obj === b.obj && a.key === b.key;
  if (a instanceof StructVal && b instanceof StructVal) return a.type === b.type && a.order.every((k) => equal(a.f[k]!, b.f[k]!));
  if (a instanceof ArrayVal && b instanceof ArrayVal) return a.a.length === b.a.length && a.a.every((x, i) => equal(x, b.a[i]!));
  if (a instanceof ChanVal && b instanceof ChanVal) return a.ref.id === b.ref.id;
  if (a instanceof ErrorVal && b instanceof ErrorVal) return a === b;
  if (a instanceof SyncBox && b instanceof SyncBox) return a.kind === b.kind && a.held === b.held; // == sync.WaitGroup{}
  return false;
}

/** Go's growslice (Go 1.19 formula: double below 256, then ~1.25×) followed by the size-class round-up. */
export function growCap(oldCap: number, needed: number, elemSize: number): number {
  let newcap = oldCap;
  const doublecap = newcap + newcap;
  if (needed > doublecap) newcap = needed;
  else if (oldCap < 256) newcap = doublecap;
  else {
    while (newcap > 0 && newcap < needed) newcap += (newcap + 3 * 256) / 4;
    newcap = Math.floor(newcap);
    if (newcap <= 0) newcap = needed;
  }
  const bytes = roundupsize(newcap * elemSize);
  return Math.max(needed, Math.floor(bytes / elemSize));
}
const SIZE_CLASSES = [0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768];
function roundupsize(size: number): number {
  if (size <= 32768) { for (const c of SIZE_CLASSES) if (c >= size) return c; }
  return Math.ceil(size / 8192) * 8192;
}
