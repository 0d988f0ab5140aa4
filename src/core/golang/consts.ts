// Constant folding for the numeric constant expressions facts care about: channel buffer sizes,
// loop bounds, durations (`100 * time.Millisecond`), GOMAXPROCS arguments.
//
// Go constants are exact; a JS number is exact up to 2^53, which covers every buffer size and any
// duration under 104 days. Anything beyond that, or not a constant, folds to null ("unknown").

import type { SyntaxNode } from './syntax';

export interface ConstValue {
  readonly value: number;
  /** Integer constant (Go's integer division and shifts apply) vs floating-point. */
  readonly isInt: boolean;
}

export interface ConstEnv {
  /** Value of an identifier or qualified name (`N`, `time.Second`); undefined = not a known constant. */
  resolve(node: SyntaxNode): ConstValue | null | undefined;
  /** true when `name(x)` is a conversion to a numeric type (int, time.Duration, a local `type N int`). */
  isNumericType(fn: SyntaxNode): boolean | 'float';
  /** The value of iota inside the const spec being evaluated, if any. */
  readonly iota?: number;
}

const INT_TYPES = new Set([
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uintptr',
  'byte',
  'rune',
]);
const FLOAT_TYPES = new Set(['float32', 'float64']);

/** Whether a predeclared type name is numeric: true (integer), 'float', or false. */
export function predeclaredNumeric(name: string): boolean | 'float' {
  if (INT_TYPES.has(name)) return true;
  if (FLOAT_TYPES.has(name)) return 'float';
  return false;
}

function int(value: number): ConstValue | null {
  return Number.isSafeInteger(value) ? { value, isInt: true } : null;
}

export function evalConst(node: SyntaxNode, text: string, env: ConstEnv, depth = 0): ConstValue | null {
  if (depth > 64) return null;
  switch (node.type) {
    case 'int_literal':
      return parseIntLiteral(text.slice(node.start, node.end));
    case 'float_literal': {
      const v = Number(text.slice(node.start, node.end).replace(/_/g, ''));
      return Number.isFinite(v) ? { value: v, isInt: false } : null;
    }
    case 'rune_literal': {
      const v = parseRune(text.slice(node.start + 1, node.end - 1));
      return v === null ? null : { value: v, isInt: true };
    }
    case 'iota':
      return env.iota === undefined ? null : { value: env.iota, isInt: true };
    case 'parenthesized_expression':
      return node.children.length === 1 ? evalConst(node.children[0], text, env, depth + 1) : null;
    case 'identifier':
    case 'selector_expression':
    case 'qualified_type':
      return env.resolve(node) ?? null;
    case 'unary_expression': {
      const operand = node.children[0];
      const op = node.tokens?.[0];
      if (!operand) return null;
      const v = evalConst(operand, text, env, depth + 1);
      if (!v) return null;
      if (op === '-') return v.isInt ? int(-v.value) : { value: -v.value, isInt: false };
      if (op === '+') return v;
      if (op === '^') return v.isInt ? int(-v.value - 1) : null;
      return null;
    }
    case 'binary_expression': {
      const l = node.children.find((c) => c.field === 'left');
      const r = node.children.find((c) => c.field === 'right');
      const op = node.tokens?.[0];
      if (!l || !r || !op) return null;
      const a = evalConst(l, text, env, depth + 1);
      if (!a) return null;
      const b = evalConst(r, text, env, depth + 1);
      if (!b) return null;
      return binary(op, a, b);
    }
    case 'call_expression': {
      // A conversion of a constant is a constant: int(3), time.Duration(n), float64(x).
      const fn = node.children.find((c) => c.field === 'function');
      const args = node.children.find((c) => c.field === 'arguments');
      if (!fn || !args || args.children.length !== 1) return null;
      const numeric = env.isNumericType(fn);
      if (!numeric) return null;
      const v = evalConst(args.children[0], text, env, depth + 1);
      if (!v) return null;
      if (numeric === 'float') return { value: v.value, isInt: false };
      return Number.isInteger(v.value) ? int(v.value) : null;
    }
    default:
      return null;
  }
}

function binary(op: string, a: ConstValue, b: ConstValue): ConstValue | null {
  const isInt = a.isInt && b.isInt;
  switch (op) {
    case '+':
      return isInt ? int(a.value + b.value) : { value: a.value + b.value, isInt };
    case '-':
      return isInt ? int(a.value - b.value) : { value: a.value - b.value, isInt };
    case '*':
      return isInt ? int(a.value * b.value) : { value: a.value * b.value, isInt };
    case '/':
      if (b.value === 0) return null;
      return isInt ? int(Math.trunc(a.value / b.value)) : { value: a.value / b.value, isInt };
    case '%':
      if (!isInt || b.value === 0) return null;
      return int(a.value % b.value);
    case '<<':
      if (!isInt || b.value < 0 || b.value > 62) return null;
      return int(a.value * 2 ** b.value);
    case '>>':
      if (!isInt || b.value < 0) return null;
      return int(Math.floor(a.value / 2 ** Math.min(b.value, 1023)));
    case '&':
    case '|':
    case '^':
    case '&^': {
      if (!isInt) return null;
      const x = BigInt(a.value);
      const y = BigInt(b.value);
      const r = op === '&' ? x & y : op === '|' ? x | y : op === '^' ? x ^ y : x & ~y;
      return int(Number(r));
    }
    default:
      return null;
  }
}

/** Go integer literal: decimal, 0x/0o/0b, legacy leading-0 octal, with `_` separators. */
export function parseIntLiteral(raw: string): ConstValue | null {
  const s = raw.replace(/_/g, '').toLowerCase();
  let v: number;
  if (/^0x[0-9a-f]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0o[0-7]+$/.test(s)) v = parseInt(s.slice(2), 8);
  else if (/^0b[01]+$/.test(s)) v = parseInt(s.slice(2), 2);
  else if (/^0[0-7]+$/.test(s)) v = parseInt(s.slice(1), 8);
  else if (/^[0-9]+$/.test(s)) v = parseInt(s, 10);
  else return null;
  return int(v);
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, "'": 39, '"': 34 };

/** The code point of a rune literal's body (between the quotes). */
function parseRune(body: string): number | null {
  if (body.length === 0) return null;
  if (body[0] !== '\\') {
    const cp = body.codePointAt(0)!;
    return String.fromCodePoint(cp).length === body.length ? cp : null;
  }
  const e = body[1];
  if (e in SIMPLE_ESCAPES && body.length === 2) return SIMPLE_ESCAPES[e];
  if (e === 'x' && /^\\x[0-9a-fA-F]{2}$/.test(body)) return parseInt(body.slice(2), 16);
  if (e === 'u' && /^\\u[0-9a-fA-F]{4}$/.test(body)) return parseInt(body.slice(2), 16);
  if (e === 'U' && /^\\U[0-9a-fA-F]{8}$/.test(body)) return parseInt(body.slice(2), 16);
  if (/^\\[0-7]{3}$/.test(body)) return parseInt(body.slice(1), 8);
  return null;
}

/** Durations the `time` package declares, in ns. */
export const TIME_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['Nanosecond', 1],
  ['Microsecond', 1e3],
  ['Millisecond', 1e6],
  ['Second', 1e9],
  ['Minute', 60e9],
  ['Hour', 3600e9],
]);
