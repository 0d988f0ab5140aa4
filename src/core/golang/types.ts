// The little type model the facts extractor needs: enough to know that `wg` is a sync.WaitGroup,
// `f` an *os.File, `conn` a net.Conn, `ch` a channel. Packages are named by import path.

import type { IoNature } from '../knowledge/catalog';

export type GoType =
  /** A defined type: `sync.WaitGroup` (pkg 'sync'), `Server` (pkg null: this file or predeclared). */
  | {
      readonly k: 'named';
      readonly pkg: string | null;
      readonly name: string;
      /** For I/O values: whether the fd underneath blocks a thread ('file') or uses the netpoller ('poll'). */
      readonly io?: IoNature;
    }
  | { readonly k: 'pointer'; readonly elem: GoType | null }
  | { readonly k: 'chan'; readonly dir: 'both' | 'send' | 'recv'; readonly elem: GoType | null }
  | { readonly k: 'slice'; readonly elem: GoType | null }
  | { readonly k: 'array'; readonly len: number | null; readonly elem: GoType | null }
  | { readonly k: 'map'; readonly key: GoType | null; readonly elem: GoType | null }
  | { readonly k: 'func'; readonly results: readonly (GoType | null)[] }
  /** An anonymous struct type; `node` is its struct_type syntax node (fields resolve through it). */
  | { readonly k: 'struct'; readonly node?: unknown }
  | { readonly k: 'interface' };

export function named(pkg: string | null, name: string, io?: IoNature): GoType {
  return io ? { k: 'named', pkg, name, io } : { k: 'named', pkg, name };
}

export function deref(t: GoType | null | undefined): GoType | null {
  if (!t) return null;
  return t.k === 'pointer' ? t.elem : t;
}

export function withIo(t: GoType | null, io: IoNature | undefined): GoType | null {
  if (!t || !io) return t;
  if (t.k === 'pointer') return { k: 'pointer', elem: withIo(t.elem, io) };
  if (t.k === 'named') return { ...t, io };
  return t;
}

/** The last element of an import path, as Go code refers to the package (`net/http` → `http`). */
export function packageName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1];
  // Major-version suffixes are not the package name: github.com/x/y/v2 → y, gopkg.in/yaml.v3 → yaml.
  if (/^v[0-9]+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/\.v[0-9]+$/, '').replace(/^go-/, '').replace(/[-.]/g, '_');
}

/** Go-like display: `*sync.WaitGroup`, `<-chan time.Time`, `[]net.Conn`. */
export function typeString(t: GoType | null | undefined): string {
  if (!t) return '?';
  switch (t.k) {
    case 'named':
      return t.pkg ? `${packageName(t.pkg)}.${t.name}` : t.name;
    case 'pointer':
      return `*${typeString(t.elem)}`;
    case 'chan':
      return `${t.dir === 'recv' ? '<-chan' : t.dir === 'send' ? 'chan<-' : 'chan'} ${typeString(t.elem)}`;
    case 'slice':
      return `[]${typeString(t.elem)}`;
    case 'array':
      return `[${t.len ?? '?'}]${typeString(t.elem)}`;
    case 'map':
      return `map[${typeString(t.key)}]${typeString(t.elem)}`;
    case 'func':
      return 'func(…)';
    case 'struct':
      return 'struct{…}';
    case 'interface':
      return 'interface{…}';
  }
}

const parsed = new Map<string, GoType | null>();

/**
 * Parses the catalog's type notation: Go type text with import paths (`*net/http.Response`,
 * `<-chan time.Time`, `[]os.DirEntry`), optionally tagged `@poll`/`@file` for I/O values.
 */
export function parseTypeText(text: string): GoType | null {
  let t = parsed.get(text);
  if (t === undefined) {
    t = parse(text.trim());
    parsed.set(text, t);
  }
  return t;
}

function parse(s: string): GoType | null {
  const at = s.lastIndexOf('@');
  if (at > 0) return withIo(parse(s.slice(0, at)), s.slice(at + 1) as IoNature);
  if (s.startsWith('*')) return { k: 'pointer', elem: parse(s.slice(1)) };
  if (s.startsWith('[]')) return { k: 'slice', elem: parse(s.slice(2)) };
  if (s.startsWith('<-chan ')) return { k: 'chan', dir: 'recv', elem: parse(s.slice(7)) };
  if (s.startsWith('chan<- ')) return { k: 'chan', dir: 'send', elem: parse(s.slice(7)) };
  if (s.startsWith('chan ')) return { k: 'chan', dir: 'both', elem: parse(s.slice(5)) };
  if (s.startsWith('struct')) return { k: 'struct' };
  if (s.startsWith('map[') || s.startsWith('func')) return null;
  const dot = s.lastIndexOf('.');
  if (dot === -1) return named(null, s);
  return named(s.slice(0, dot), s.slice(dot + 1));
}

/** Predeclared types (a local `type` or var may shadow them; the extractor checks scope first). */
export const PREDECLARED_TYPES: ReadonlySet<string> = new Set([
  'bool',
  'byte',
  'complex64',
  'complex128',
  'error',
  'float32',
  'float64',
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'rune',
  'string',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'uintptr',
  'any',
  'comparable',
]);

const INTEGER_TYPES = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'byte', 'rune']);

export function isIntegerType(t: GoType | null | undefined): boolean {
  return !!t && t.k === 'named' && t.pkg === null && INTEGER_TYPES.has(t.name);
}

/** Whether values of this type read/write through a blocking fd or the netpoller, when known. */
export function ioNature(t: GoType | null | undefined): IoNature | undefined {
  const d = deref(t);
  if (!d || d.k !== 'named') return undefined;
  if (d.io) return d.io;
  if (d.pkg === 'os' && d.name === 'File') return 'file';
  if (d.pkg === 'net' && /^(Conn|TCPConn|UDPConn|UnixConn|IPConn|PacketConn)$/.test(d.name)) return 'poll';
  return undefined;
}
