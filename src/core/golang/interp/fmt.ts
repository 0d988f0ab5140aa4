// Go's fmt formatting (the common subset): Print/Sprint/Println operand spacing, %v %+v %#v
// %d %s %q %f %e %g %t %x %X %o %b %c %U %T %p %%, width, precision and the flags - + 0 space #.
import type { TypeExpr } from './ast';
import {
  ArrayVal, ChanVal, ErrorVal, FuncVal, GoDuration, GoFloat, MapVal, Named, NilPtr, Opaque, Pointer, SliceVal, StructVal, SyncBox, TimerVal,
  TypeVal, bytesToStr, mapKey, num, runeStr, utf8, type Value,
} from './values';

const BASIC_INTS = new Set(['int8', 'int16', 'int32', 'uint8', 'uint16', 'uint32', 'uint', 'uint64', 'uintptr']);

/** Calls `String()`/`Error()` methods defined in the user's program (null: no such method). */
export interface FmtHooks {
  method(v: Value, name: 'String' | 'Error'): string | null;
  /** Inside an unexported struct field: fmt cannot call methods there, so values print as their underlying data. */
  raw?: boolean;
}
/** The hooks for an unexported field's value: no String/Error methods, durations as integers, errors as pointers. */
const rawHooks: FmtHooks = { method: () => null, raw: true };
const exported = (name: string): boolean => /^\p{Lu}/u.test(name);
const noHooks: FmtHooks = { method: () => null };

export function typeExprName(t: TypeExpr | undefined | null): string {
  if (!t) return 'interface {}';
  switch (t.k) {
    case 'name': return ['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'float32', 'float64', 'string', 'bool', 'error'].includes(t.name)
      ? t.name : t.name === 'byte' ? 'uint8' : t.name === 'rune' ? 'int32' : t.name === 'any' ? 'interface {}' : `main.${t.name}`;
    case 'qual': return `${t.pkg}.${t.name}`;
    case 'slice': return `[]${typeExprName(t.elem)}`;
    case 'array': return `[${t.len && t.len.k === 'lit' ? String(t.len.v) : '?'}]${typeExprName(t.elem)}`;
    case 'map': return `map[${typeExprName(t.key)}]${typeExprName(t.val)}`;
    case 'ptr': return `*${typeExprName(t.elem)}`;
    case 'chan': return `${t.dir === 'recv' ? '<-chan' : t.dir === 'send' ? 'chan<-' : 'chan'} ${typeExprName(t.elem)}`;
    case 'func': return 'func()';
    case 'struct': return t.fields.length ? `struct { ${t.fields.map((f) => (f.embedded ? typeExprName(f.type) : `${f.name} ${typeExprName(f.type)}`)).join('; ')} }` : 'struct {}';
    case 'iface': return 'interface {}';
    default: return '?';
  }
}

export function typeName(v: Value): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'number': return 'int';
    case 'string': return 'string';
    case 'boolean': return 'bool';
  }
  if (v instanceof GoFloat) return v.f32 ? 'float32' : 'float64';
  if (v instanceof GoDuration) return 'time.Duration';
  if (v instanceof Named) return v.type.includes('.') || BASIC_INTS.has(v.type) ? v.type : `main.${v.type}`;
  if (v instanceof StructVal) return v.libType ?? (v.type.startsWith('struct') || v.type.includes('.') ? v.type : `main.${v.type}${v.targs ? `[${v.targs.map(typeExprName).join(',')}]` : ''}`);
  if (v instanceof Pointer) { const p = v.get(); return `*${v.elemType ?? (p === undefined ? '?' : typeName(p))}`; }
  if (v instanceof SliceVal) return `[]${typeExprName(v.elem)}`;
  if (v instanceof ArrayVal) return `[${v.a.length}]${typeExprName(v.elem)}`;
  if (v instanceof MapVal) return `map[${typeExprName(v.key)}]${typeExprName(v.val)}`;
  if (v instanceof ChanVal) return `${v.dir === 'recv' ? '<-chan' : v.dir === 'send' ? 'chan<-' : 'chan'} ${typeExprName(v.elem)}`;
  if (v instanceof FuncVal) {
    const d = v.decl;
    if (!d) return 'func()';
    const ps = d.params.map((p) => (p.variadic ? '...' : '') + typeExprName(p.type));
    const rs = d.results.map((r) => typeExprName(r.type));
    return `func(${ps.join(', ')})${rs.length === 0 ? '' : rs.length === 1 ? ' ' + rs[0] : ` (${rs.join(', ')})`}`;
  }
  if (v instanceof ErrorVal) return v.type;
  if (v instanceof SyncBox) return `sync.${{ mutex: 'Mutex', rwmutex: 'RWMutex', waitgroup: 'WaitGroup', once: 'Once' }[v.kind]}`;
  if (v instanceof TimerVal) return v.ticker ? '*time.Ticker' : '*time.Timer';
  if (v instanceof TypeVal) return typeExprName(v.t);
  if (v instanceof NilPtr) return `*main.${v.type}`;
  if (v instanceof Opaque) return v.type.replace(/[\w./]*\//g, '');
  return '?';
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64) as fmt's %v prints it. */
export function formatFloatV(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expS] = f.toExponential().split('e') as [string, string];
  const exp = Number(expS);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}
const formatFloatShortestG = formatFloatV;
/** The shortest decimal that reads back as the same float32 (strconv.FormatFloat(f, 'g', -1, 32)), as a double. */
export function shortest32(f: number): number {
  if (!Number.isFinite(f) || f === 0) return f;
  for (let p = 1; p <= 9; p++) { const d = Number(f.toPrecision(p)); if (Math.fround(d) === f) return d; }
  return f;
}
function expForm(s: string): string {
  // JS 1.5e+3 → Go 1.5e+03
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** The runtime's print of a float (a panic value): +1.500000e+000. */
export function runtimeFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const n = 7;
  let sign = '+', e = 0, v = f;
  if (v === 0) { if (Object.is(v, -0)) sign = '-'; } else {
    if (v < 0) { v = -v; sign = '-'; }
    while (v >= 10) { e++; v /= 10; }
    while (v < 1) { e--; v *= 10; }
    let h = 5.0;
    for (let i = 0; i < n; i++) h /= 10;
    v += h;
    if (v >= 10) { e++; v /= 10; }
  }
  let digits = '';
  for (let i = 0; i < n; i++) { const d = Math.trunc(v); digits += String(d); v -= d; v *= 10; }
  const ae = Math.abs(e);
  return `${sign}${digits[0]}.${digits.slice(1)}e${e < 0 ? '-' : '+'}${String(Math.floor(ae / 100))}${String(Math.floor(ae / 10) % 10)}${String(ae % 10)}`;
}

/** time.Duration.String(). */
export function durationString(d: number): string {
  if (d === 0) return '0s';
  const neg = d < 0;
  let u = Math.abs(d);
  let s: string;
  if (u < 1e3) s = `${u}ns`;
  else if (u < 1e6) s = `${trimF(u / 1e3)}µs`;
  else if (u < 1e9) s = `${trimF(u / 1e6)}ms`;
  else {
    const h = Math.floor(u / 3.6e12); u -= h * 3.6e12;
    const m = Math.floor(u / 6e10); u -= m * 6e10;
    const sec = trimF(u / 1e9);
    s = h ? `${h}h${m}m${sec}s` : m ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${s}` : s;
}
const trimF = (x: number): string => String(Number(x.toFixed(9)));

/**
 * strconv.Quote (q = '"') and QuoteRune (q = "'"): Go escapes \a \b \f \n \r \t \v, other controls as
 * \xNN, and runes that are not printable (strconv.IsPrint) as \uNNNN; with `ascii` (QuoteToASCII, %+q)
 * every rune beyond ASCII is escaped.
 */
export function quote(s: string, q = '"', ascii = false): string {
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (c < 0x80 && c >= 0x20 && c !== 0x7f) out += ch;
    else if (c < 0x20 || c === 0x7f) out += SIMPLE_ESC[c] ?? `\\x${c.toString(16).padStart(2, '0')}`;
    else if (!ascii && /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch;
    else out += c < 0x10000 ? `\\u${c.toString(16).padStart(4, '0')}` : `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return out + q;
}
const SIMPLE_ESC: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

/** strconv.CanBackquote: %#q prints such a string as a raw `...` literal. */
export const canBackquote = (s: string): boolean => !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s);

/**
 * An integer's digits. Beyond 2^53 the double has lost its low digits; 2^63 and 2^64 (what MaxInt64,
 * MaxUint64 and 64-bit wrap-around round to) print as the nearest Go values 2^63-1 and 2^64-1.
 */
export function intStr(n: number, radix = 10): string {
  if (Number.isSafeInteger(n) || !Number.isFinite(n)) return n.toString(radix);
  let b = BigInt(n);
  if (b === 2n ** 63n || b === 2n ** 64n) b -= 1n;
  return b.toString(radix);
}

/** %v (plus = %+v, sharp = %#v); `top`: strings are not quoted at top level. */
export function formatV(v: Value, hooks: FmtHooks = noHooks, plus = false, sharp = false, depth = 0): string {
  if (depth > 20) return '...';
  if (v === null || v === undefined || v instanceof NilPtr) return '<nil>';
  if (typeof v === 'number') return intStr(v);
  if (typeof v === 'string') return sharp ? quote(v) : v;
  if (typeof v === 'boolean') return String(v);
  if (!sharp) {
    const e = hooks.method(v, 'Error');
    if (e !== null) return e;
    const s = hooks.method(v, 'String');
    if (s !== null) return s;
  }
  if (v instanceof GoFloat) return formatFloatV(v.f32 ? shortest32(v.v) : v.v);
  if (v instanceof GoDuration) return hooks.raw ? intStr(v.v) : durationString(v.v);
  if (v instanceof Named) return formatV(v.v, hooks, plus, sharp, depth + 1);
  if (v instanceof ErrorVal) return hooks.raw && v.type.startsWith('*') ? fakeAddr(v) : v.msg;
  if (v instanceof StructVal) {
    // fmt calls String/Error only on exported fields (it cannot reach unexported ones through reflection).
    const fh = (k: string): FmtHooks => (exported(k) ? hooks : rawHooks);
    if (sharp) return `${typeName(v)}{${v.order.map((k) => `${k}:${formatV(v.f[k]!, fh(k), plus, sharp, depth + 1)}`).join(', ')}}`;
    return `{${v.order.map((k) => (plus ? `${k}:` : '') + formatV(v.f[k]!, fh(k), plus, sharp, depth + 1)).join(' ')}}`;
  }
  if (v instanceof Pointer) {
    const p = v.get();
    if (depth === 0 && (p instanceof StructVal || p instanceof ArrayVal || p instanceof SliceVal || p instanceof MapVal)) return '&' + formatV(p, hooks, plus, sharp, depth + 1);
    return fakeAddr(v);
  }
  if (v instanceof SliceVal) {
    if (sharp && v.nil) return `${typeName(v)}(nil)`;
    if (sharp) return `${typeName(v)}{${Array.from({ length: v.len }, (_, i) => formatV(v.get(i), hooks, plus, sharp, depth + 1)).join(', ')}}`;
    const parts: string[] = [];
    for (let i = 0; i < v.len; i++) parts.push(formatV(v.get(i), hooks, plus, sharp, depth + 1));
    return `[${parts.join(' ')}]`;
  }
  if (v instanceof ArrayVal) return `[${v.a.map((x) => formatV(x, hooks, plus, sharp, depth + 1)).join(' ')}]`;
  if (v instanceof MapVal) {
    const entries = sortedEntries(v);
    if (sharp && v.nil) return `${typeName(v)}(nil)`;
    if (sharp) return `${typeName(v)}{${entries.map(([k, x]) => `${formatV(k, hooks, plus, sharp, depth + 1)}:${formatV(x, hooks, plus, sharp, depth + 1)}`).join(', ')}}`;
    return `map[${entries.map(([k, x]) => `${formatV(k, hooks, plus, sharp, depth + 1)}:${formatV(x, hooks, plus, sharp, depth + 1)}`).join(' ')}]`;
  }
  if (v instanceof ChanVal || v instanceof FuncVal || v instanceof TimerVal || v instanceof Opaque) return fakeAddr(v);
  if (v instanceof SyncBox) return syncText(v, plus);
  return '?';
}

/** A sync type's fields as Go 1.19 declares them (a held Mutex has state 1, a WaitGroup's counter is state1's high half). */
function syncText(v: SyncBox, plus: boolean): string {
  const f = (k: string, x: string | number): string => (plus ? `${k}:` : '') + x;
  const mu = (locked: boolean): string => `{${f('state', locked ? 1 : 0)} ${f('sema', 0)}}`;
  switch (v.kind) {
    case 'mutex': return mu(v.held > 0);
    case 'rwmutex': return `{${f('w', mu(v.held < 0))} ${f('writerSem', 0)} ${f('readerSem', 0)} ${f('readerCount', v.held > 0 ? v.held : v.held < 0 ? -1073741824 : 0)} ${f('readerWait', 0)}}`;
    case 'waitgroup': return `{${f('noCopy', '{}')} ${f('state1', intStr(Math.max(0, v.held) * 2 ** 32))} ${f('state2', 0)}}`;
    default: return `{${f('done', v.held ? 1 : 0)} ${f('m', mu(false))}}`;
  }
}

/** fmt prints maps sorted by key. */
export function sortedEntries(m: MapVal): [Value, Value][] {
  const e = [...m.m.values()];
  e.sort((a, b) => {
    const ka = mapKey(a[0]), kb = mapKey(b[0]);
    if (typeof ka === 'number' && typeof kb === 'number') return ka - kb;
    if (typeof ka === 'boolean' && typeof kb === 'boolean') return +ka - +kb;
    return String(ka) < String(kb) ? -1 : String(ka) > String(kb) ? 1 : 0;
  });
  return e;
}

const addrs = new WeakMap<object, number>();
let nextAddr = 0xc000010000;
export function fakeAddr(o: object): string {
  const key = o instanceof Pointer ? o.obj : o instanceof ChanVal ? o.ref : o;
  if (typeof key !== 'object' || key === null) return '0x0';
  let a = addrs.get(key);
  if (a === undefined) { a = nextAddr; nextAddr += 0x10; addrs.set(key, a); }
  return `0x${a.toString(16)}`;
}

/** fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: Value[], hooks: FmtHooks = noHooks): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && typeof args[i] !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatV(args[i]!, hooks);
  }
  return out;
}
export const sprintln = (args: Value[], hooks: FmtHooks = noHooks): string => args.map((a) => formatV(a, hooks)).join(' ') + '\n';

interface Spec { minus: boolean; plus: boolean; zero: boolean; space: boolean; sharp: boolean; width: number | null; prec: number | null }

function pad(s: string, sp: Spec, numeric = false): string {
  if (sp.width === null || [...s].length >= sp.width) return s;
  const n = sp.width - [...s].length;
  if (sp.minus) return s + ' '.repeat(n);
  if (sp.zero && numeric) {
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function intOf(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (v instanceof GoDuration) return v.v;
  if (v instanceof Named) return intOf(v.v);
  return null;
}

function fmtInt(n: number, verb: string, sp: Spec): string {
  const neg = n < 0;
  const a = Math.abs(n);
  let s: string;
  switch (verb) {
    case 'x': s = intStr(a, 16); if (sp.sharp) s = '0x' + s; break;
    case 'X': s = intStr(a, 16).toUpperCase(); if (sp.sharp) s = '0X' + s; break;
    case 'o': s = intStr(a, 8); if (sp.sharp) s = '0' + s; break;
    case 'O': s = '0o' + intStr(a, 8); break;
    case 'b': s = intStr(a, 2); if (sp.sharp) s = '0b' + s; break;
    default: s = intStr(a);
  }
  if (sp.prec !== null) s = s.padStart(sp.prec, '0');
  s = (neg ? '-' : sp.plus ? '+' : sp.space ? ' ' : '') + s;
  return pad(s, sp, sp.prec === null);
}

/**
 * f.toFixed(prec) as Go rounds: an exact tie (2.5 → %.0f, 0.125 → %.2f) goes to the even digit, where
 * JavaScript rounds away from zero. A double's tie shows within 25 digits past the precision.
 */
export function toFixedEven(f: number, prec: number): string {
  // Beyond 1e21 toFixed switches to exponent form; such a double is an integer, printed in full.
  if (Math.abs(f) >= 1e21 && Number.isFinite(f)) return BigInt(f).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
  const s = f.toFixed(prec);
  if (prec + 25 > 100) return s;
  const long = Math.abs(f).toFixed(prec + 25);
  if (!long.endsWith('5' + '0'.repeat(24))) return s;
  const trunc = long.slice(0, long.length - 25).replace(/\.$/, '');
  return Number(trunc[trunc.length - 1]) % 2 === 0 ? (f < 0 || Object.is(f, -0) ? '-' : '') + trunc : s;
}

function fmtFloat(f: number, verb: string, sp: Spec): string {
  let s: string;
  if (!Number.isFinite(f)) s = Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
  else if (verb === 'f' || verb === 'F') s = toFixedEven(f, sp.prec ?? 6);
  else if (verb === 'e' || verb === 'E') { s = expForm(f.toExponential(sp.prec ?? 6)); if (verb === 'E') s = s.toUpperCase(); }
  else if (sp.prec !== null) {
    // %.Ng
    const p = Math.max(1, sp.prec);
    const [, expS] = f.toExponential(p - 1).split('e') as [string, string];
    const exp = Number(expS);
    s = exp < -4 || exp >= p ? expForm(String(Number(f.toExponential(p - 1))).includes('e') ? Number(f.toExponential(p - 1)).toExponential() : f.toExponential(p - 1).replace(/\.?0+e/, 'e')) : String(Number(f.toPrecision(p)));
  } else s = verb === 'v' ? formatFloatV(f) : formatFloatShortestG(f);
  if (sp.plus && f >= 0 && !s.startsWith('+')) s = '+' + s;
  else if (sp.space && f >= 0) s = ' ' + s;
  return pad(s, sp, true);
}

/** strconv.FormatFloat(f, 'x', -1, 64): %x of a float, e.g. 0x1.cp+01. */
function hexFloat(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
  const sign = f < 0 || Object.is(f, -0) ? '-' : '';
  let a = Math.abs(f);
  if (a === 0) return `${sign}0x0p+00`;
  let e = Math.floor(Math.log2(a));
  let m = a / 2 ** e;
  if (m >= 2) { m /= 2; e++; } else if (m < 1) { m *= 2; e--; }
  let digits = '';
  for (let frac = m - 1, i = 0; frac > 0 && i < 13; i++) { frac *= 16; const d = Math.floor(frac); digits += d.toString(16); frac -= d; }
  a = Math.abs(e);
  return `${sign}0x1${digits ? '.' + digits : ''}p${e < 0 ? '-' : '+'}${String(a).padStart(2, '0')}`;
}

function bad(verb: string, v: Value, hooks: FmtHooks): string {
  if (v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatV(v, hooks)})`;
}

function fmtOne(verb: string, v: Value, sp: Spec, hooks: FmtHooks): string {
  if (verb === 'T') return pad(typeName(v), sp);
  if (verb === 'p') return pad(v === null ? '%!p(<nil>)' : typeof v === 'object' ? fakeAddr(v) : `%!p(${typeName(v)}=${formatV(v, hooks)})`, sp);
  if (verb === 'v') {
    // fmt turns the + of %+v into "field names" (plusV): numbers print without a sign.
    const nsp = sp.plus ? { ...sp, plus: false } : sp;
    if (v instanceof GoFloat) return fmtFloat(v.f32 && sp.prec === null ? shortest32(v.v) : v.v, sp.prec !== null ? 'g' : 'v', nsp);
    const iv = typeof v === 'number' ? v : null;
    if (iv !== null) return fmtInt(iv, 'd', nsp);
    let s = formatV(v, hooks, sp.plus, sp.sharp);
    if (sp.prec !== null && typeof v === 'string') s = [...s].slice(0, sp.prec).join('');
    return pad(s, sp);
  }
  // Slices and arrays format element-wise for every verb except %s of a byte slice.
  // (The width applies to each element, as in fmt's printValue.)
  if ((v instanceof SliceVal || v instanceof ArrayVal) && !(verb === 's' || verb === 'x' || verb === 'X' || verb === 'q') || ((v instanceof SliceVal || v instanceof ArrayVal) && !isByteSeq(v))) {
    const items = v instanceof SliceVal ? Array.from({ length: v.len }, (_, i) => v.get(i)) : v.a;
    return `[${items.map((x) => fmtOne(verb, x, sp, hooks)).join(' ')}]`;
  }
  // Error() and String() serve %s %q %x %X for any value that has them (handleMethods), a named int too.
  if ((verb === 's' || verb === 'q') && v instanceof GoDuration) return fmtOne(verb, durationString(v.v), sp, hooks);
  if ((verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') && v !== null && typeof v === 'object') {
    const m = hooks.method(v, 'Error') ?? hooks.method(v, 'String');
    if (m !== null) return fmtOne(verb, m, sp, hooks);
  }
  if (v instanceof Named && (v.v instanceof SliceVal || v.v instanceof ArrayVal || v.v instanceof MapVal)) return fmtOne(verb, v.v, sp, hooks); // a named slice or map without such methods
  // Other verbs apply to a struct's fields and a map's keys and values (String() is used only by %v %s %q %x %X).
  const viaMethod = verb === 's' || verb === 'q' || verb === 'x' || verb === 'X';
  const sv = v instanceof Pointer ? v.get() : v;
  if ((sv instanceof StructVal || sv instanceof MapVal) && !(sv instanceof StructVal && sv.type.includes('.') && !sv.type.startsWith('struct')) && !(viaMethod && (hooks.method(v, 'Error') ?? hooks.method(v, 'String')) !== null)) {
    const inner = sp;
    const body = sv instanceof StructVal
      ? `{${sv.order.map((k) => fmtOne(verb, sv.f[k]!, inner, hooks)).join(' ')}}`
      : `map[${sortedEntries(sv).map(([k, x]) => `${fmtOne(verb, k, inner, hooks)}:${fmtOne(verb, x, inner, hooks)}`).join(' ')}]`;
    return (v instanceof Pointer ? '&' : '') + body;
  }
  switch (verb) {
    case 'd': case 'b': case 'o': case 'O': {
      const n = intOf(v);
      return n === null ? bad(verb, v, hooks) : fmtInt(n, verb, sp);
    }
    case 'x': case 'X': {
      const n = intOf(v);
      if (n !== null) return fmtInt(n, verb, sp);
      let bytes: ArrayLike<number> | null = null;
      if (typeof v === 'string') bytes = utf8(v);
      else if (v instanceof SliceVal || v instanceof ArrayVal) bytes = byteArray(v);
      else if (v instanceof GoFloat) { const h = hexFloat(v.v); return pad(verb === 'X' ? h.toUpperCase() : h, sp, true); }
      else if (v !== null && typeof v === 'object') { const m = hooks.method(v, 'Error') ?? hooks.method(v, 'String') ?? (v instanceof ErrorVal ? v.msg : null); if (m !== null) bytes = utf8(m); }
      if (!bytes) return bad(verb, v, hooks);
      // %#x puts 0x before the digits, before each byte with % #x.
      const pre = sp.sharp && bytes.length ? '0x' : '';
      const hex = (sp.space ? '' : pre) + Array.from(bytes, (b) => (sp.space ? pre : '') + b.toString(16).padStart(2, '0')).join(sp.space ? ' ' : '');
      return pad(verb === 'X' ? hex.toUpperCase() : hex, sp);
    }
    case 'c': { const n = intOf(v); return n === null ? bad(verb, v, hooks) : pad(runeStr(n), sp); }
    case 'U': {
      const n = intOf(v);
      if (n === null) return bad(verb, v, hooks);
      // %#U adds the character, quoted, when it is printable.
      const printable = sp.sharp && n >= 0 && n <= 0x10ffff && /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(runeStr(n));
      return pad('U+' + n.toString(16).toUpperCase().padStart(4, '0') + (printable ? ` '${runeStr(n)}'` : ''), sp);
    }
    case 'q': {
      const n = intOf(v);
      if (n !== null) return pad(quote(runeStr(n), "'", sp.plus), sp);
      const s = typeof v === 'string' ? v : v instanceof SliceVal ? bytesToStr(byteArray(v)) : hooks.method(v, 'Error') ?? hooks.method(v, 'String');
      if (s === null) return bad(verb, v, hooks);
      return pad(sp.sharp && canBackquote(s) ? '`' + s + '`' : quote(s, '"', sp.plus), sp);
    }
    case 's': {
      let s: string | null = typeof v === 'string' ? v : v instanceof SliceVal ? bytesToStr(byteArray(v)) : null;
      if (s === null && v !== null && typeof v === 'object') s = hooks.method(v, 'Error') ?? hooks.method(v, 'String') ?? (v instanceof ErrorVal ? v.msg : null);
      if (s === null && (v instanceof StructVal || v instanceof MapVal || v instanceof Pointer)) s = formatV(v, hooks);
      if (s === null) return bad(verb, v, hooks);
      if (sp.prec !== null) s = [...s].slice(0, sp.prec).join('');
      return pad(s, sp);
    }
    case 't': return typeof v === 'boolean' ? pad(String(v), sp) : bad(verb, v, hooks);
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': {
      const fv = v instanceof Named && v.v instanceof GoFloat ? v.v : v;
      if (fv instanceof GoFloat) { const f = fmtFloat(fv.f32 && sp.prec === null && (verb === 'g' || verb === 'G') ? shortest32(fv.v) : fv.v, verb.toLowerCase() === 'g' ? 'g' : verb, sp); return verb === 'G' ? f.toUpperCase() : f; }
      return bad(verb, v, hooks);
    }
    default: return `%!${verb}(${typeName(v)}=${formatV(v, hooks)})`;
  }
}
const isByteSeq = (v: SliceVal | ArrayVal): boolean => {
  const items = v instanceof SliceVal ? Array.from({ length: v.len }, (_, i) => v.get(i)) : v.a;
  const el = v.elem;
  return !!el && el.k === 'name' && (el.name === 'byte' || el.name === 'uint8') && items.every((x) => typeof x === 'number' || x instanceof Named);
};
const byteArray = (v: SliceVal | ArrayVal): number[] => (v instanceof SliceVal ? Array.from({ length: v.len }, (_, i) => num(v.get(i))) : v.a.map(num));

/** fmt.Sprintf. */
export function sprintf(format: string, args: Value[], hooks: FmtHooks = noHooks): string {
  let out = '';
  let argi = 0;
  let reordered = false, badIndex = false;
  const next = (): Value | undefined => (argi < args.length ? args[argi++] : undefined);
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') { out += c; continue; }
    const sp: Spec = { minus: false, plus: false, zero: false, space: false, sharp: false, width: null, prec: null };
    i++;
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') sp.minus = true;
      else if (f === '+') sp.plus = true;
      else if (f === '0') sp.zero = true;
      else if (f === ' ') sp.space = true;
      else if (f === '#') sp.sharp = true;
      else break;
    }
    badIndex = false;
    /** An explicit argument index, %[n]d: the next operand is argument n (1-based). */
    const argIndex = (): void => {
      if (format[i] !== '[') return;
      const m = /^\[(\d+)\]/.exec(format.slice(i));
      reordered = true;
      if (!m || Number(m[1]) < 1 || Number(m[1]) > args.length) { badIndex = true; const close = format.indexOf(']', i); i = close < 0 ? format.length : close + 1; return; }
      argi = Number(m[1]) - 1;
      i += m[0].length;
    };
    const num = (what: string): number | null => {
      argIndex();
      if (format[i] === '*') {
        i++;
        const a = next();
        if (typeof a === 'number') return a;
        out += `%!(BAD${what})`;
        return null;
      }
      let s = '';
      while (i < format.length && format[i]! >= '0' && format[i]! <= '9') s += format[i++];
      return s ? Number(s) : null;
    };
    sp.width = num('WIDTH');
    if (sp.width !== null && sp.width < 0) { sp.minus = true; sp.width = -sp.width; } // %*d with a negative width pads on the right
    if (format[i] === '.') { i++; sp.prec = num('PREC') ?? 0; }
    argIndex();
    const verb = format[i];
    if (verb === undefined) { out += '%!(NOVERB)'; break; }
    if (verb === '%') { out += '%'; continue; }
    if (badIndex) { out += `%!${verb}(BADINDEX)`; continue; }
    const v = next();
    if (v === undefined) { out += `%!${verb}(MISSING)`; continue; }
    out += fmtOne(verb, v, sp, hooks);
  }
  if (!reordered && argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => `${typeName(a)}=${formatV(a, hooks)}`).join(', ')})`;
  return out;
}
