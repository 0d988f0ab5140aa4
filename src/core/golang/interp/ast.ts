// The small typed AST the interpreter runs (produced from tree-sitter by lower.ts).
import type { Value } from './values';

export interface Pos { line: number; col: number; endLine: number; endCol: number; text: string }

export type TypeExpr =
  | { k: 'name'; name: string; /** Type arguments of a generic type, Stack[int]. */ args?: TypeExpr[] }
  | { k: 'qual'; pkg: string; name: string }
  | { k: 'slice'; elem: TypeExpr }
  | { k: 'array'; len: Expr | null; elem: TypeExpr }
  | { k: 'map'; key: TypeExpr; val: TypeExpr }
  | { k: 'ptr'; elem: TypeExpr }
  | { k: 'chan'; elem: TypeExpr; dir: 'both' | 'send' | 'recv' }
  | { k: 'func' }
  | { k: 'struct'; fields: Field[] }
  | { k: 'iface'; methods: string[]; /** Embedded interfaces (interface{ Logger; Namer }). */ embeds?: TypeExpr[] }
  | { k: 'bad'; text: string };

export interface Field { name: string; type: TypeExpr; embedded: boolean }

interface N { pos: Pos; /** true if evaluating it may yield an engine action (call, receive, …). */ y: boolean }
export type Expr = N & (
  /** `exact`: an untyped numeric constant's exact value as a fraction (Go folds constant arithmetic exactly: 0.1+0.2 is 0.3). */
  | { k: 'lit'; v: Value; exact?: Rat }
  | { k: 'ident'; name: string }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'un'; op: string; x: Expr }
  | { k: 'call'; fn: Expr; args: Expr[]; spread: boolean }
  /** A generic function instantiated with type arguments: f[int, string]. */
  | { k: 'inst'; x: Expr; targs: TypeExpr[] }
  | { k: 'sel'; x: Expr; name: string }
  | { k: 'index'; x: Expr; i: Expr }
  | { k: 'slice'; x: Expr; lo: Expr | null; hi: Expr | null; max: Expr | null }
  | { k: 'comp'; t: TypeExpr | null; elems: Elem[] }
  | { k: 'func'; lit: FuncLit }
  | { k: 'assert'; x: Expr; t: TypeExpr | null }
  | { k: 'type'; t: TypeExpr }
  | { k: 'bad'; msg: string }
);
export interface Elem { key: Expr | null; val: Expr }

export interface Param { name: string; type: TypeExpr; variadic: boolean }
export interface FuncLit {
  name: string; params: Param[]; results: Param[]; body: Stmt[]; pos: Pos; hasCalls: boolean;
  /** A generic function's type parameter names (bound per call from explicit type arguments or the arguments' types). */
  tparams?: string[];
}
export interface FuncDecl extends FuncLit {
  recv: { name: string; type: string; ptr: boolean; /** A generic type's parameter names as the receiver spells them, (s *Stack[T]). */ tparams?: string[] } | null;
}

export interface CaseClause { exprs: Expr[] | null; body: Stmt[]; fall: boolean }
export interface TypeCase { types: (TypeExpr | null)[] | null; body: Stmt[] }
export interface SelectCase { kind: 'send' | 'recv' | 'default'; ch: Expr | null; value: Expr | null; lhs: Expr[]; define: boolean; body: Stmt[]; pos: Pos }

export type Stmt = { pos: Pos } & (
  | { k: 'expr'; x: Expr }
  | { k: 'assign'; lhs: Expr[]; op: string; rhs: Expr[]; define: boolean }
  | { k: 'incdec'; x: Expr; op: '++' | '--' }
  | { k: 'var'; names: string[]; t: TypeExpr | null; values: Expr[] }
  | { k: 'const'; specs: { names: string[]; t: TypeExpr | null; values: Expr[]; iota: number }[] }
  | { k: 'typedecl' }
  | { k: 'if'; init: Stmt | null; cond: Expr; then: Stmt[]; else: Stmt[] | null }
  | { k: 'for'; init: Stmt | null; cond: Expr | null; post: Stmt | null; body: Stmt[]; label: string | null; tight: boolean; perIter: string[] }
  | { k: 'range'; key: Expr | null; val: Expr | null; define: boolean; x: Expr; body: Stmt[]; label: string | null; tight: boolean }
  | { k: 'switch'; init: Stmt | null; tag: Expr | null; cases: CaseClause[]; label: string | null }
  | { k: 'typeswitch'; init: Stmt | null; bind: string | null; x: Expr; cases: TypeCase[]; label: string | null }
  | { k: 'select'; cases: SelectCase[]; label: string | null }
  | { k: 'go'; call: Expr }
  | { k: 'defer'; call: Expr }
  | { k: 'return'; values: Expr[] }
  | { k: 'break'; label: string | null }
  | { k: 'continue'; label: string | null }
  | { k: 'fallthrough' }
  | { k: 'block'; body: Stmt[] }
  | { k: 'labeled'; label: string; s: Stmt }
  | { k: 'goto'; label: string }
  | { k: 'send'; ch: Expr; value: Expr }
  | { k: 'bad'; msg: string }
);

export interface TypeDecl { name: string; t: TypeExpr; pos: Pos; /** A generic type's parameter names. */ tparams?: string[] }

export interface Program {
  imports: Map<string, string>; // local name → path
  funcs: Map<string, FuncDecl>;
  methods: Map<string, Map<string, FuncDecl>>; // type → method → decl
  types: Map<string, TypeDecl>;
  globals: Stmt[]; // var and const declarations, in source order
  unsupported: { pos: Pos; msg: string }[];
  usesCgo: boolean;
}

/** A rational number num/den (den > 0). */
export type Rat = readonly [bigint, bigint];
