// Facts: cheap syntactic findings about a Go file, with exact source ranges, for diagnostics and
// hovers (and as a map for the interpreter). Everything here is decided from this one file: which
// calls block a thread, park in the netpoller or call into C (through the catalog in
// knowledge/catalog.ts), where goroutines start, what channels and loops look like, and which sync
// object a call is made on when the file says its type.
//
// Ranges are 0-based line/column in UTF-16 code units (what VS Code's Position uses), end exclusive.
//
// Cost: one TreeCursor walk copies the tree into JS (syntax.ts); everything after that is plain JS.
// With a FactsCache, an edit costs the walk of the edited top-level declaration and the analysis of
// the edited function: the other functions' facts are reused while the package-level declarations
// they depend on are unchanged (numbers in the report of golang-corpus.test.ts).
//
// Broken code: ERROR regions are skipped, facts before and after them are still found; a function
// swallowed by an unclosed brace above it is recovered as the declaration it is.

import {
  catalogEntry,
  CONSTRUCTOR_RESULTS,
  FIELD_TYPES,
  isCgoNonCall,
  isCgoTypeName,
  lookupCall,
  PACKAGE_VARS,
  simulatedNs,
  type CatalogEntry,
  type IoNature,
} from '../knowledge/catalog';
import { evalConst, predeclaredNumeric, TIME_CONSTANTS, type ConstEnv, type ConstValue } from './consts';
import { sourceOf, type Tree } from './parser';
import { buildSyntax, child, children, settle, SyntaxCache, type Syntax, type SyntaxNode } from './syntax';
import {
  deref,
  ioNature,
  isIntegerType,
  named,
  packageName,
  parseTypeText,
  PREDECLARED_TYPES,
  typeString,
  withIo,
  type GoType,
} from './types';

// ---- the facts ----------------------------------------------------------------------------------------

export interface Position {
  readonly line: number;
  readonly col: number;
}
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** Where a statement or call sits. */
export interface Placement {
  /** The named function it is in (`main`, `worker`, `Server.serve`); null at package level. */
  readonly fn: string | null;
  /** Inside a `for` loop of the same function (a func literal starts afresh). */
  readonly inLoop: boolean;
  /**
   * Runs in a goroutine other than the caller's: inside a func literal started by `go` (or bound to a
   * variable that a `go` statement calls), or in a named function that a `go` statement in this file
   * starts. Not transitive: a helper called from a goroutine is not marked.
   */
  inGoroutine: boolean;
}

export interface FunctionFact {
  readonly kind: 'function';
  readonly name: string;
  /** For methods: the receiver's name (may be null) and type text (`*Server`). */
  readonly receiver: { readonly name: string | null; readonly type: string } | null;
  readonly isMain: boolean;
  /** Some `go` statement in this file starts it. */
  isGoroutine: boolean;
  readonly range: Range;
  readonly nameRange: Range;
}

export interface ImportFact {
  readonly kind: 'import';
  readonly path: string;
  /** How code refers to it: the alias, or the package name; '.' for a dot import, '_' for a blank one. */
  readonly name: string;
  /** The explicit alias, if written. */
  readonly alias: string | null;
  readonly dot: boolean;
  readonly blank: boolean;
  /** `import "C"`: cgo. */
  readonly cgo: boolean;
  readonly range: Range;
}

export interface GoStmtFact extends Placement {
  readonly kind: 'go-stmt';
  /** The function expression as written (`worker`, `s.serve`, `http.ListenAndServe`); null for a func literal. */
  readonly callee: string | null;
  readonly funcLiteral: boolean;
  /** The function in this file it starts (`worker`, `Server.serve`), when known. */
  readonly target: string | null;
  /** Catalog entry when it starts a library call (`go http.ListenAndServe(…)`). */
  readonly catalogId?: string;
  readonly range: Range;
  /** The `go` keyword. */
  readonly goRange: Range;
  /** The call after it. */
  readonly callRange: Range;
}

export interface MakeChanFact extends Placement {
  readonly kind: 'make-chan';
  readonly elemType: string;
  readonly direction: 'both' | 'send' | 'recv';
  /** Constant-folded capacity: 0 when absent (unbuffered), null when not a constant. */
  readonly bufferSize: number | null;
  /** The capacity expression as written, if any. */
  readonly bufferText: string | null;
  readonly range: Range;
}

export interface ChanOpFact extends Placement {
  /** `ch <- v`, `<-ch`, `close(ch)`. */
  readonly kind: 'send' | 'recv' | 'close';
  /** The channel expression as written. */
  readonly channel: string;
  /** Its type when the file says it (`chan int`). */
  readonly channelType: string | null;
  readonly catalogId?: string;
  readonly range: Range;
}

export interface SelectCaseFact {
  readonly kind: 'send' | 'recv';
  readonly channel: string;
  readonly range: Range;
}

export interface SelectFact extends Placement {
  readonly kind: 'select';
  readonly cases: readonly SelectCaseFact[];
  readonly hasDefault: boolean;
  readonly range: Range;
}

export type LoopKind = 'three-clause' | 'range-int' | 'range-slice' | 'range-chan' | 'range-other' | 'condition' | 'infinite';

export interface LoopBounds {
  readonly variable: string | null;
  readonly start: number | null;
  /** The comparison in the condition (`<`, `<=`, `>`, `>=`, `!=`). */
  readonly op: string | null;
  readonly end: number | null;
  readonly step: number | null;
}

export interface LoopFact extends Placement {
  readonly kind: 'for';
  readonly loop: LoopKind;
  /** Iterations when constant (three-clause with constant bounds, `range 10`, `range []int{1, 2}`). */
  readonly count: number | null;
  readonly bounds: LoopBounds | null;
  /** For range loops: the ranged expression as written. */
  readonly rangeOver: string | null;
  /**
   * The condition, post statement or body contains a call (builtins such as len, conversions and
   * sync/atomic intrinsics do not count). A loop without calls has no cooperative preemption point:
   * `for {}` spins.
   */
  readonly hasCalls: boolean;
  /** The body sends, receives or selects (so it can block even without calls). */
  readonly hasChanOps: boolean;
  readonly range: Range;
  /** From `for` to the end of the clause (before the body). */
  readonly headerRange: Range;
}

export type CallFactKind = 'blocking-syscall' | 'netio' | 'cgo' | 'time' | 'runtime' | 'context' | 'sync' | 'atomic';

export interface CallFact extends Placement {
  readonly kind: CallFactKind;
  readonly catalogId: string;
  /** The function expression as written (`os.ReadFile`, `f.Read`, `s.mu.Lock`, `C.sleep`). */
  readonly callee: string;
  /** Constant-folded arguments (null where not constant). */
  readonly constArgs: readonly (number | null)[];
  /** For sleeps, timers and C.sleep: the duration in ns when the argument is constant. */
  readonly durationNs?: number | null;
  /** Method calls: the receiver expression as written, and its resolved type (`WaitGroup`, `*os.File`). */
  readonly receiver?: string;
  readonly receiverType?: string;
  /** How the call was classified when the catalog entry alone does not say (`bufio over *os.File`). */
  readonly via?: string;
  readonly range: Range;
  readonly calleeRange: Range;
}

export type LintRule = 'wg-add-in-goroutine' | 'sleep-as-sync';

export interface LintFact {
  readonly kind: 'lint';
  readonly rule: LintRule;
  readonly message: string;
  readonly range: Range;
  readonly related: readonly Range[];
}

export type Fact =
  | FunctionFact
  | ImportFact
  | GoStmtFact
  | MakeChanFact
  | ChanOpFact
  | SelectFact
  | LoopFact
  | CallFact
  | LintFact;

export interface Facts {
  readonly packageName: string | null;
  readonly functions: FunctionFact[];
  readonly imports: ImportFact[];
  readonly goStmts: GoStmtFact[];
  readonly makeChans: MakeChanFact[];
  readonly sends: ChanOpFact[];
  readonly recvs: ChanOpFact[];
  readonly closes: ChanOpFact[];
  readonly selects: SelectFact[];
  readonly loops: LoopFact[];
  /** Catalog calls: blocking syscalls, network I/O, cgo, time, runtime, context, sync, atomic. */
  readonly calls: CallFact[];
  readonly lints: LintFact[];
  /** `import "C"`: the name C calls go through and the typedefs of the preamble. */
  readonly cgo: { readonly alias: string; readonly typedefs: readonly string[] } | null;
  /** Regions the parser could not make sense of (skipped), and tokens it had to assume. */
  readonly errors: readonly { readonly range: Range; readonly missing: boolean }[];
  /**
   * Work done: nodes copied from the wasm tree, top-level declarations whose copy was reused, and
   * functions whose facts were reused (FactsCache).
   */
  readonly stats: { readonly walkedNodes: number; readonly reusedDeclarations: number; readonly reusedFunctionFacts: number };
}

/** Every fact in one list, in source order. */
export function allFacts(facts: Facts): Fact[] {
  const list: Fact[] = [
    ...facts.functions,
    ...facts.imports,
    ...facts.goStmts,
    ...facts.makeChans,
    ...facts.sends,
    ...facts.recvs,
    ...facts.closes,
    ...facts.selects,
    ...facts.loops,
    ...facts.calls,
    ...facts.lints,
  ];
  return list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.col - b.range.start.col);
}

/**
 * Reuses work between extractions of the same document (pass the same object every time): the JS
 * copy of unchanged top-level declarations, and the facts found in unchanged function declarations
 * while the package-level declarations they depend on (imports, constants, types, signatures) stay
 * the same.
 */
export class FactsCache {
  readonly syntax = new SyntaxCache();
  /** @internal Facts of one function or method declaration, by its (reused) syntax node. */
  readonly decls = new WeakMap<SyntaxNode, DeclResult>();
  /** @internal Structure keys of top-level declarations (see Extractor.environmentKey). */
  readonly structure = new WeakMap<SyntaxNode, number>();
}

export interface ExtractOptions {
  /** The text the tree was parsed from; defaults to the text parseGo/reparse recorded. */
  readonly text?: string;
  readonly cache?: FactsCache;
}

export function extractFacts(tree: Tree, opts: ExtractOptions = {}): Facts {
  const text = opts.text ?? sourceOf(tree);
  if (text === undefined) throw new Error('extractFacts: unknown source text (pass opts.text for trees not from parseGo/reparse)');
  const syntax = buildSyntax(tree, text, opts.cache?.syntax, { lazyShift: true });
  return new Extractor(syntax, opts.cache).run();
}

/**
 * Facts from an already-built syntax copy (lets callers share one walk between analyses). Pass the
 * cache whose `syntax` part built it to reuse per-declaration results.
 */
export function extractFactsFromSyntax(syntax: Syntax, cache?: FactsCache): Facts {
  return new Extractor(syntax, cache).run();
}

/** A fact as `kind subject key=value…`, the form fixtures and debugging output use. */
export function describeFact(f: Fact): { kind: string; subject: string | null; attrs: Record<string, string> } {
  const attrs: Record<string, string> = {};
  const place = (p: Placement): void => {
    if (p.fn) attrs.fn = p.fn;
    attrs.loop = String(p.inLoop);
    attrs.goroutine = String(p.inGoroutine);
  };
  switch (f.kind) {
    case 'function':
      if (f.receiver) attrs.receiver = f.receiver.type;
      attrs.main = String(f.isMain);
      attrs.goroutine = String(f.isGoroutine);
      return { kind: f.kind, subject: f.name, attrs };
    case 'import':
      attrs.name = f.name;
      if (f.alias) attrs.alias = f.alias;
      return { kind: f.kind, subject: f.path, attrs };
    case 'go-stmt':
      place(f);
      attrs.callee = f.callee ?? 'func-literal';
      if (f.target) attrs.target = f.target;
      return { kind: f.kind, subject: null, attrs };
    case 'make-chan':
      place(f);
      attrs.elem = f.elemType;
      attrs.size = String(f.bufferSize);
      return { kind: f.kind, subject: null, attrs };
    case 'send':
    case 'recv':
    case 'close':
      place(f);
      if (f.channelType) attrs.type = f.channelType;
      return { kind: f.kind, subject: f.channel, attrs };
    case 'select':
      place(f);
      attrs.cases = f.cases.map((c) => c.kind).join(',');
      attrs.default = String(f.hasDefault);
      return { kind: f.kind, subject: null, attrs };
    case 'for':
      place(f);
      attrs.count = String(f.count);
      attrs.calls = String(f.hasCalls);
      attrs.chanops = String(f.hasChanOps);
      if (f.bounds) {
        attrs.var = String(f.bounds.variable);
        attrs.start = String(f.bounds.start);
        attrs.end = String(f.bounds.end);
        attrs.step = String(f.bounds.step);
      }
      return { kind: f.kind, subject: f.loop, attrs };
    case 'lint':
      return { kind: f.kind, subject: f.rule, attrs };
    default:
      place(f);
      if (f.receiver !== undefined) attrs.recv = f.receiver;
      if (f.receiverType !== undefined) attrs.type = f.receiverType;
      if (f.durationNs !== undefined) attrs.ns = String(f.durationNs);
      if (f.constArgs.length > 0) attrs.arg = String(f.constArgs[0]);
      if (f.via) attrs.via = f.via;
      return { kind: f.kind, subject: f.catalogId, attrs };
  }
}

// ---- extraction -------------------------------------------------------------------------------------

interface VarInfo {
  readonly type: GoType | null;
  /** `worker := func(…) {…}`: the literal, so `go worker()` marks it as a goroutine body. */
  readonly funcLit?: SyntaxNode;
  /** `add := wg.Add`: the method value's selector, so `add(1)` is classified as `wg.Add(1)`. */
  readonly methodValue?: SyntaxNode;
}

/**
 * Package-level names looked up while a function is visited (prefixed by table: `f` functions, `m`
 * methods by `Type.name`, `n` methods by name, `t` types, `c` constants): what its cached facts
 * depend on besides its own text.
 */
interface DepLog { current: Set<string> | null }

/** A package-level table whose lookups are logged while a function is visited. */
class TrackedMap<V> extends Map<string, V> {
  constructor(private readonly prefix: string, private readonly log: DepLog) {
    super();
  }
  override get(key: string): V | undefined {
    this.log.current?.add(this.prefix + key);
    return super.get(key);
  }
  override has(key: string): boolean {
    this.log.current?.add(this.prefix + key);
    return super.has(key);
  }
}

/** A block's names. The maps are created on first use: most blocks declare nothing. */
class Scope {
  private varMap: Map<string, VarInfo> | null = null;
  private constMap: Map<string, ConstValue | null> | null = null;
  /** Types declared inside a function body. */
  localTypes: Map<string, TypeDecl> | null = null;
  constructor(readonly parent: Scope | null) {}
  get vars(): Map<string, VarInfo> {
    return (this.varMap ??= new Map());
  }
  get consts(): Map<string, ConstValue | null> {
    return (this.constMap ??= new Map());
  }
  hasVar(name: string): boolean {
    return this.varMap !== null && this.varMap.has(name);
  }
  getVar(name: string): VarInfo | undefined {
    return this.varMap === null ? undefined : this.varMap.get(name);
  }
  hasConst(name: string): boolean {
    return this.constMap !== null && this.constMap.has(name);
  }
}

interface LoopFrame {
  hasCalls: boolean;
  hasChanOps: boolean;
}

interface Ctx {
  readonly scope: Scope;
  /** Display name of the enclosing named function. */
  readonly fn: string | null;
  /** The enclosing function nodes, outermost first (declaration, then func literals). */
  readonly owners: readonly SyntaxNode[];
  readonly loops: readonly LoopFrame[];
}

interface FuncDecl {
  readonly node: SyntaxNode;
  readonly key: string;
  readonly results: SyntaxNode | undefined;
}

interface TypeDecl {
  readonly typeNode: SyntaxNode;
  /** Struct fields (name → type node), embedded fields under their type name. */
  readonly fields: Map<string, SyntaxNode> | null;
  readonly embedded: SyntaxNode[];
}

interface Placed {
  readonly fact: Placement;
  readonly owners: readonly SyntaxNode[];
}

type DeclFactLists = Pick<
  Facts,
  'functions' | 'goStmts' | 'makeChans' | 'sends' | 'recvs' | 'closes' | 'selects' | 'loops' | 'calls'
>;
const DECL_LISTS: readonly (keyof DeclFactLists)[] = ['functions', 'goStmts', 'makeChans', 'sends', 'recvs', 'closes', 'selects', 'loops', 'calls'];

/** What visiting one top-level function produced (pristine copies, never handed out). */
interface DeclResult {
  /** The package-level environment it was computed in: the part every function depends on ... */
  readonly env: string;
  /** ... and the package-level names it looked up, each with its fingerprint then (see fingerprint). */
  readonly deps: readonly (readonly [string, string])[];
  /** Where the declaration started (its facts move with it when lines are added above). */
  readonly line: number;
  readonly col: number;
  readonly lists: { readonly [K in keyof DeclFactLists]: DeclFactLists[K] };
  readonly placed: readonly Placed[];
  readonly goOwners: readonly SyntaxNode[];
  readonly goTargets: readonly string[];
  readonly pendingGoTargets: readonly string[];
  readonly fnFacts: readonly (readonly [SyntaxNode, FunctionFact])[];
  readonly recovered: readonly (readonly [string, FuncDecl])[];
}

/** Subtrees that cannot contain a fact (types, parameter lists, labels). */
const NO_FACTS = new Set([
  'ERROR',
  'qualified_type',
  'pointer_type',
  'slice_type',
  'array_type',
  'implicit_length_array_type',
  'map_type',
  'channel_type',
  'function_type',
  'struct_type',
  'interface_type',
  'generic_type',
  'parenthesized_type',
  'parameter_list',
  'type_arguments',
  'type_parameter_list',
  'import_declaration',
  'package_clause',
  'field_declaration_list',
]);

/** Builtins and conversions that are not calls for the "does this loop call anything" question. */
const NOT_CALLS = new Set(['len', 'cap', 'min', 'max', 'real', 'imag', 'complex', ...PREDECLARED_TYPES]);
const BUILTINS = new Set(['append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic', 'print', 'println', 'real', 'recover']);


class Extractor {
  private readonly text: string;
  private readonly imports = new Map<string, string>();
  private readonly dotImports: string[] = [];
  private cgoAlias: string | null = null;
  private readonly cgoTypedefs = new Set<string>();
  private readonly deps: DepLog = { current: null };
  private readonly pkgConstSpecs = new TrackedMap<{ value: SyntaxNode | null; iota: number; type: SyntaxNode | null }>('c', this.deps);
  private readonly pkgConsts = new TrackedMap<ConstValue | null>('c', this.deps);
  private readonly constsInProgress = new Set<string>();
  private readonly typeDecls = new TrackedMap<TypeDecl>('t', this.deps);
  private readonly funcs = new TrackedMap<FuncDecl>('f', this.deps);
  /** `Type.method` → declaration, and method name → declarations. */
  private readonly methods = new TrackedMap<FuncDecl>('m', this.deps);
  private readonly methodsByName = new TrackedMap<FuncDecl[]>('n', this.deps);
  /** Names the package-level variables' types were inferred from (part of environmentKey). */
  private globalDeps: string[] = [];
  /** Fingerprints of package-level names in this build (see fingerprint). */
  private readonly fingerprints = new Map<string, string>();
  private readonly pkgScope = new Scope(null);
  private readonly selectOps = new Set<SyntaxNode>();
  /** Func literals and calls that run as goroutines (a log; the set is built after the walk). */
  private readonly goOwners: SyntaxNode[] = [];
  /**
   * Functions and methods of this file that `go` statements start, by key (`worker`, `Server.serve`):
   * by name, not node, because a cached declaration must not hold on to another declaration's node.
   */
  private readonly goTargets: string[] = [];
  private goroutineOwners = new Set<SyntaxNode>();
  private readonly placed: Placed[] = [];
  private readonly fnFacts: [SyntaxNode, FunctionFact][] = [];
  /** `go name()` whose target was not declared when seen (resolved after the walk). */
  private readonly pendingGoTargets: string[] = [];
  /** Functions recovered from broken regions (an unclosed brace above them). */
  private readonly recovered: [string, FuncDecl][] = [];
  private readonly recoveredFuncs = new Map<string, FuncDecl>();
  private packageName: string | null = null;
  private reusedFunctionFacts = 0;

  private readonly out = {
    functions: [] as FunctionFact[],
    imports: [] as ImportFact[],
    goStmts: [] as GoStmtFact[],
    makeChans: [] as MakeChanFact[],
    sends: [] as ChanOpFact[],
    recvs: [] as ChanOpFact[],
    closes: [] as ChanOpFact[],
    selects: [] as SelectFact[],
    loops: [] as LoopFact[],
    calls: [] as CallFact[],
    lints: [] as LintFact[],
  };

  constructor(
    private readonly syntax: Syntax,
    private readonly cache?: FactsCache,
  ) {
    this.text = syntax.text;
  }

  run(): Facts {
    const top = this.syntax.root.children;
    this.collectDeclarations(top);
    const fileCtx: Ctx = { scope: this.pkgScope, fn: null, owners: [], loops: [] };
    const env = this.cache ? this.environmentKey() : null;
    top.forEach((node, i) => {
      switch (node.type) {
        case 'function_declaration':
        case 'method_declaration':
          this.visitCachedFunction(node, fileCtx, env, this.syntax.keys[i] !== null);
          break;
        case 'var_declaration':
          // Package-level initialisers run in main's goroutine before main; their calls are facts too.
          this.visit(node, fileCtx);
          break;
        default:
          break;
      }
    });
    this.finishPlacement();
    this.lintSleepAsSync();
    this.lintWaitGroupAdd();
    const lines = this.syntax.lines;
    return {
      packageName: this.packageName,
      ...this.out,
      cgo: this.cgoAlias ? { alias: this.cgoAlias, typedefs: [...this.cgoTypedefs] } : null,
      errors: this.syntax.errors.map((e) => ({
        range: { start: lines.position(e.start), end: lines.position(e.end) },
        missing: e.missing,
      })),
      stats: {
        walkedNodes: this.syntax.stats.walked,
        reusedDeclarations: this.syntax.stats.reused,
        reusedFunctionFacts: this.reusedFunctionFacts,
      },
    };
  }

  // ---- per-declaration reuse ----------------------------------------------------------------------------

  /**
   * What every function body's facts depend on besides its own text and the package-level names it
   * looks up (DeclResult.deps): the package clause, imports, package-level variables (with the names
   * their types were inferred from), the cgo preamble's typedefs. Comments and ERROR regions do not
   * count, nor does layout: keys are built from the syntax (node types, operators, names, literals),
   * so re-indenting a declaration or typing a space in a signature does not make every function's
   * facts be recomputed. Constants, types and signatures count per name (fingerprint), so renaming a
   * constant re-analyses only the functions that use its old or new name.
   */
  private environmentKey(): string {
    const parts: (string | number)[] = [];
    for (const node of this.syntax.root.children) {
      switch (node.type) {
        case 'comment': case 'ERROR': case 'function_declaration': case 'method_declaration': case 'const_declaration': case 'type_declaration':
          continue;
        default:
          parts.push(this.structureOf(node));
      }
    }
    for (const dep of this.globalDeps) parts.push(dep, this.fingerprint(dep));
    parts.push([...this.cgoTypedefs].join(','));
    return parts.join('|');
  }

  /**
   * What a lookup of a package-level name (a DepLog entry) finds, as a string that changes when
   * the facts of a function using it could: a function's or method's signature, a type's definition,
   * a constant's value; `-` when the name is not declared.
   */
  private fingerprint(dep: string): string {
    let fp = this.fingerprints.get(dep);
    if (fp !== undefined) return fp;
    const saved = this.deps.current;
    this.deps.current = null;
    const name = dep.slice(1);
    const sig = (d: FuncDecl | undefined): string => (d ? `${d.key}:${this.structureOf(d.node, child(d.node, 'body'))}` : '-');
    switch (dep[0]) {
      case 'f': fp = sig(this.funcs.get(name)); break;
      case 'm': fp = sig(this.methods.get(name)); break;
      case 'n': fp = (this.methodsByName.get(name) ?? []).map(sig).join(','); break;
      case 't': {
        const t = this.typeDecls.get(name);
        fp = t ? String(this.structureOf(t.typeNode)) : '-';
        break;
      }
      default: fp = JSON.stringify(this.packageConst(name)) ?? '-';
    }
    this.deps.current = saved;
    this.fingerprints.set(dep, fp);
    return fp;
  }

  /** structureKey, once per node: reused subtrees have the same text, hence the same structure. */
  private structureOf(node: SyntaxNode, skip?: SyntaxNode): number {
    const cache = this.cache!;
    let key = cache.structure.get(node);
    if (key === undefined) {
      key = this.structureKey(node, skip);
      cache.structure.set(node, key);
    }
    return key;
  }

  /** A 53-bit hash of a subtree's syntax (types, fields, tokens, leaf text, shape), `skip` left out. */
  private structureKey(node: SyntaxNode, skip?: SyntaxNode): number {
    let h1 = 0x811c9dc5;
    let h2 = 0x2545f491;
    const mix = (str: string): void => {
      for (let i = 0; i < str.length; i++) {
        const c = str.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 + c, 0x9e3779b1) ^ (h2 >>> 15);
      }
      h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
      h2 = Math.imul(h2 + 0x1f, 0x9e3779b1) ^ (h2 >>> 15);
    };
    const stack: SyntaxNode[] = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === skip) continue;
      mix(n.type);
      if (n.field) mix(n.field);
      if (n.tokens) for (const t of n.tokens) mix(t);
      // The child count keeps A(B(C), D) and A(B(C, D)) apart.
      mix(n.children.length === 0 ? this.src(n) : String(n.children.length));
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    return (h1 >>> 0) * 0x200000 + (h2 >>> 11);
  }

  /** `cacheable`: the syntax cache will hand back this same node while its text is unchanged. */
  private visitCachedFunction(node: SyntaxNode, fileCtx: Ctx, env: string | null, cacheable: boolean): void {
    const cache = this.cache;
    if (!cache || env === null) {
      this.visitFunction(node, fileCtx);
      return;
    }
    const at = this.syntax.lines.position(node.start);
    const hit = cache.decls.get(node);
    if (hit && hit.env === env && hit.col === at.col && hit.deps.every(([dep, fp]) => this.fingerprint(dep) === fp)) {
      this.replay(hit, at.line - hit.line);
      this.reusedFunctionFacts++;
      return;
    }
    const mark = {
      lists: DECL_LISTS.map((k) => this.out[k].length),
      placed: this.placed.length,
      goOwners: this.goOwners.length,
      goTargets: this.goTargets.length,
      pending: this.pendingGoTargets.length,
      fnFacts: this.fnFacts.length,
      recovered: this.recovered.length,
    };
    const deps = new Set<string>();
    this.deps.current = deps;
    this.visitFunction(node, fileCtx);
    this.deps.current = null;
    if (!cacheable) return;
    const copies = new Map<object, object>();
    const copy = <T extends object>(f: T): T => {
      const c = cloneFact(f, 0);
      copies.set(f, c);
      return c;
    };
    const lists = {} as Record<keyof DeclFactLists, object[]>;
    DECL_LISTS.forEach((k, i) => (lists[k] = (this.out[k] as object[]).slice(mark.lists[i]).map(copy)));
    cache.decls.set(node, {
      env,
      deps: [...deps].map((dep) => [dep, this.fingerprint(dep)] as const),
      line: at.line,
      col: at.col,
      lists: lists as unknown as DeclResult['lists'],
      placed: this.placed.slice(mark.placed).map((p) => ({ fact: copies.get(p.fact) as Placement, owners: p.owners })),
      goOwners: this.goOwners.slice(mark.goOwners),
      goTargets: this.goTargets.slice(mark.goTargets),
      pendingGoTargets: this.pendingGoTargets.slice(mark.pending),
      fnFacts: this.fnFacts.slice(mark.fnFacts).map(([n, f]) => [n, copies.get(f) as FunctionFact] as const),
      recovered: this.recovered.slice(mark.recovered),
    });
  }

  /** Re-emits a cached declaration's facts, moved down `dl` lines. */
  private replay(hit: DeclResult, dl: number): void {
    const copies = new Map<object, object>();
    for (const k of DECL_LISTS) {
      const target = this.out[k] as object[];
      for (const f of hit.lists[k] as readonly object[]) {
        const c = cloneFact(f, dl);
        copies.set(f, c);
        target.push(c);
      }
    }
    for (const p of hit.placed) this.placed.push({ fact: copies.get(p.fact) as Placement, owners: p.owners });
    this.goOwners.push(...hit.goOwners);
    this.goTargets.push(...hit.goTargets);
    this.pendingGoTargets.push(...hit.pendingGoTargets);
    for (const [n, f] of hit.fnFacts) this.fnFacts.push([n, copies.get(f) as FunctionFact]);
    for (const r of hit.recovered) {
      this.recovered.push([r[0], r[1]]);
      if (!this.recoveredFuncs.has(r[0])) this.recoveredFuncs.set(r[0], r[1]);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  private src(node: SyntaxNode): string {
    return this.text.slice(node.start, node.end);
  }

  private range(start: number, end: number): Range {
    const lines = this.syntax.lines;
    return { start: lines.position(start), end: lines.position(end) };
  }

  private rangeOf(node: SyntaxNode): Range {
    return this.range(node.start, node.end);
  }

  private place(ctx: Ctx): Placement {
    return { fn: ctx.fn, inLoop: ctx.loops.length > 0, inGoroutine: false };
  }

  private record<T extends Placement>(fact: T, ctx: Ctx): T {
    this.placed.push({ fact, owners: ctx.owners });
    return fact;
  }

  private lookupVar(scope: Scope, name: string): VarInfo | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const v = s.getVar(name);
      if (v) return v;
      if (s.hasConst(name)) return undefined;
    }
    return undefined;
  }

  /** An identifier that refers to an import here (not shadowed by a variable or constant). */
  private importPath(scope: Scope, name: string): string | undefined {
    const path = this.imports.get(name);
    if (path === undefined) return undefined;
    for (let s: Scope | null = scope; s; s = s.parent) if (s.hasVar(name) || s.hasConst(name)) return undefined;
    return path;
  }

  private shadowed(scope: Scope, name: string): boolean {
    for (let s: Scope | null = scope; s; s = s.parent) if (s.hasVar(name) || s.hasConst(name)) return true;
    return this.funcs.has(name) || this.typeDecl(name, scope) !== undefined;
  }

  /** A type declared in an enclosing block, else at package level. */
  private typeDecl(name: string, scope: Scope): TypeDecl | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const t = s.localTypes?.get(name);
      if (t) return t;
    }
    return this.typeDecls.get(name);
  }

  // ---- package-level declarations ---------------------------------------------------------------------

  private collectDeclarations(top: readonly SyntaxNode[]): void {
    // The comment group right before a declaration (consecutive comments, no blank line between).
    let comments: SyntaxNode[] = [];
    for (const node of top) {
      switch (node.type) {
        case 'package_clause': {
          const id = node.children[0];
          if (id) this.packageName = this.src(id);
          break;
        }
        case 'import_declaration':
          this.collectImports(node, comments);
          break;
        case 'const_declaration':
          this.collectConstSpecs(node, (name, spec) => this.pkgConstSpecs.set(name, spec));
          break;
        case 'type_declaration':
          this.collectTypes(node);
          break;
        case 'function_declaration': {
          const name = child(node, 'name');
          if (name) {
            const key = this.src(name);
            const decl: FuncDecl = { node, key, results: child(node, 'result') };
            if (key !== 'init' && key !== '_') this.funcs.set(key, decl);
          }
          break;
        }
        case 'method_declaration': {
          const name = child(node, 'name');
          const recvType = this.receiverTypeName(node);
          if (name) {
            const key = `${recvType ?? '?'}.${this.src(name)}`;
            const decl: FuncDecl = { node, key, results: child(node, 'result') };
            this.methods.set(key, decl);
            const list = this.methodsByName.get(this.src(name)) ?? [];
            list.push(decl);
            this.methodsByName.set(this.src(name), list);
          }
          break;
        }
        default:
          break;
      }
      if (node.type !== 'comment') comments = [];
      else if (comments.length > 0 && /\n\s*\n/.test(this.text.slice(comments[comments.length - 1].end, node.start))) comments = [node];
      else comments.push(node);
    }
    // Package-level vars: their types (explicit or inferred) are visible everywhere. Inference may
    // call local functions declared later, so this runs after the declarations are known.
    const deps = new Set<string>();
    this.deps.current = deps;
    for (const node of top) if (node.type === 'var_declaration') this.bindVarDeclaration(node, this.pkgScope);
    this.deps.current = null;
    this.globalDeps = [...deps];
  }

  private collectImports(decl: SyntaxNode, preamble: readonly SyntaxNode[]): void {
    const specs: SyntaxNode[] = [];
    for (const c of decl.children) {
      if (c.type === 'import_spec') specs.push(c);
      else if (c.type === 'import_spec_list') for (const s of c.children) if (s.type === 'import_spec') specs.push(s);
    }
    for (const spec of specs) {
      const pathNode = child(spec, 'path');
      if (!pathNode) continue;
      const path = this.src(pathNode).slice(1, -1);
      const nameNode = child(spec, 'name');
      const alias = nameNode ? this.src(nameNode) : null;
      const dot = nameNode?.type === 'dot';
      const blank = nameNode?.type === 'blank_identifier';
      const cgo = path === 'C';
      const name = dot ? '.' : blank ? '_' : alias ?? (cgo ? 'C' : packageName(path));
      if (dot) this.dotImports.push(path);
      else if (!blank) this.imports.set(name, path);
      if (cgo) {
        this.cgoAlias = name;
        // The preamble is the comment group right before `import "C"` (no blank line between them).
        const last = preamble[preamble.length - 1];
        if (last && !/\n\s*\n/.test(this.text.slice(last.end, decl.start))) {
          this.collectTypedefs(preamble.map((c) => this.src(c)).join("\n"));
        }
      }
      this.out.imports.push({ kind: 'import', path, name, alias, dot, blank, cgo, range: this.rangeOf(spec) });
    }
  }

  /** Names the cgo preamble declares as types, so `C.myint(x)` is read as a conversion. */
  private collectTypedefs(comment: string): void {
    for (const name of cTypedefNames(comment)) this.cgoTypedefs.add(name);
  }

  private collectConstSpecs(
    decl: SyntaxNode,
    add: (name: string, spec: { value: SyntaxNode | null; iota: number; type: SyntaxNode | null }) => void,
  ): void {
    // In a const group, a spec without values repeats the previous spec's expressions (with its own iota).
    let iota = 0;
    let lastValues: SyntaxNode[] = [];
    let lastType: SyntaxNode | null = null;
    for (const spec of decl.children) {
      if (spec.type !== 'const_spec') continue;
      const names = children(spec, 'name');
      const valueList = child(spec, 'value');
      const typeNode = child(spec, 'type') ?? null;
      if (valueList) {
        lastValues = valueList.children;
        lastType = typeNode;
      }
      names.forEach((n, i) => add(this.src(n), { value: lastValues[i] ?? null, iota, type: valueList ? typeNode : lastType }));
      iota++;
    }
  }

  private collectTypes(decl: SyntaxNode, into: Map<string, TypeDecl> = this.typeDecls): void {
    for (const spec of decl.children) {
      if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
      const name = child(spec, 'name');
      const typeNode = child(spec, 'type');
      if (!name || !typeNode) continue;
      const { fields, embedded } = typeNode.type === 'struct_type' ? this.structFields(typeNode) : { fields: null, embedded: [] };
      into.set(this.src(name), { typeNode, fields, embedded });
    }
  }

  /** A struct's fields by name; embedded fields also under their type's name (their methods are promoted). */
  private structFields(struct: SyntaxNode): { fields: Map<string, SyntaxNode>; embedded: SyntaxNode[] } {
    const fields = new Map<string, SyntaxNode>();
    const embedded: SyntaxNode[] = [];
    const list = struct.children.find((c) => c.type === 'field_declaration_list');
    for (const fd of list?.children ?? []) {
      if (fd.type !== 'field_declaration') continue;
      const ft = child(fd, 'type');
      if (!ft) continue;
      const names = children(fd, 'name');
      if (names.length === 0) {
        embedded.push(ft);
        const base = ft.type === 'pointer_type' ? ft.children[0] : ft;
        const baseName = base ? (base.type === 'qualified_type' ? child(base, 'name') : base) : undefined;
        if (baseName) fields.set(this.src(baseName), ft);
      } else {
        for (const n of names) fields.set(this.src(n), ft);
      }
    }
    return { fields, embedded };
  }

  private receiverTypeName(method: SyntaxNode): string | null {
    const recv = child(method, 'receiver');
    const param = recv?.children.find((c) => c.type === 'parameter_declaration');
    let t = param ? child(param, 'type') : undefined;
    while (t && (t.type === 'pointer_type' || t.type === 'parenthesized_type')) t = t.children[0];
    if (t?.type === 'generic_type') t = child(t, 'type');
    return t ? this.src(t) : null;
  }

  // ---- constants --------------------------------------------------------------------------------------

  private constEnv(scope: Scope, iota?: number): ConstEnv {
    return {
      iota,
      resolve: (node) => this.resolveConst(node, scope),
      isNumericType: (fn) => this.numericType(fn, scope),
    };
  }

  private fold(node: SyntaxNode | undefined, scope: Scope): number | null {
    if (!node) return null;
    return evalConst(node, this.text, this.constEnv(scope))?.value ?? null;
  }

  private resolveConst(node: SyntaxNode, scope: Scope): ConstValue | null | undefined {
    if (node.type === 'identifier') {
      const name = this.src(node);
      for (let s: Scope | null = scope; s; s = s.parent) {
        if (s.hasVar(name)) return undefined;
        if (s.hasConst(name)) return s.consts.get(name);
      }
      return this.packageConst(name);
    }
    if (node.type === 'selector_expression' || node.type === 'qualified_type') {
      const operand = child(node, node.type === 'qualified_type' ? 'package' : 'operand');
      const field = child(node, node.type === 'qualified_type' ? 'name' : 'field');
      if (operand?.type !== 'identifier' && operand?.type !== 'package_identifier') return undefined;
      if (!field) return undefined;
      if (this.importPath(scope, this.src(operand)) === 'time') {
        const ns = TIME_CONSTANTS.get(this.src(field));
        if (ns !== undefined) return { value: ns, isInt: true };
      }
    }
    return undefined;
  }

  private packageConst(name: string): ConstValue | null | undefined {
    if (this.pkgConsts.has(name)) return this.pkgConsts.get(name);
    const spec = this.pkgConstSpecs.get(name);
    if (!spec) {
      if (this.dotImports.includes('time')) {
        const ns = TIME_CONSTANTS.get(name);
        if (ns !== undefined) return { value: ns, isInt: true };
      }
      return undefined;
    }
    if (this.constsInProgress.has(name)) return null;
    this.constsInProgress.add(name);
    const v = spec.value ? evalConst(spec.value, this.text, this.constEnv(this.pkgScope, spec.iota)) : null;
    this.constsInProgress.delete(name);
    const typed = spec.type && v && predeclaredNumeric(this.src(spec.type)) === 'float' ? { value: v.value, isInt: false } : v;
    this.pkgConsts.set(name, typed);
    return typed;
  }

  private numericType(fn: SyntaxNode, scope: Scope): boolean | 'float' {
    if (fn.type === 'identifier') {
      const name = this.src(fn);
      if (this.lookupVar(scope, name)) return false;
      const p = predeclaredNumeric(name);
      if (p) return p;
      const decl = this.typeDecl(name, scope);
      if (decl && decl.typeNode.type === 'type_identifier') return predeclaredNumeric(this.src(decl.typeNode));
      return false;
    }
    if (fn.type === 'selector_expression') {
      const operand = child(fn, 'operand');
      const field = child(fn, 'field');
      if (!operand || !field || operand.type !== 'identifier') return false;
      const path = this.importPath(scope, this.src(operand));
      if (path === 'C') return isCgoTypeName(this.src(field), this.cgoTypedefs) ? (/^(float|double)$/.test(this.src(field)) ? 'float' : true) : false;
      return path === 'time' && this.src(field) === 'Duration';
    }
    if (fn.type === 'parenthesized_expression' && fn.children.length === 1) return this.numericType(fn.children[0], scope);
    return false;
  }

  // ---- types ------------------------------------------------------------------------------------------

  private typeFromNode(node: SyntaxNode | undefined, scope: Scope): GoType | null {
    if (!node) return null;
    switch (node.type) {
      case 'type_identifier': {
        const name = this.src(node);
        if (this.typeDecl(name, scope) || PREDECLARED_TYPES.has(name)) return named(null, name);
        for (const path of this.dotImports) if (this.packageHasType(path, name)) return named(path, name);
        return named(null, name);
      }
      case 'qualified_type': {
        const pkg = child(node, 'package');
        const name = child(node, 'name');
        if (!pkg || !name) return null;
        const alias = this.src(pkg);
        return named(this.imports.get(alias) ?? alias, this.src(name));
      }
      case 'pointer_type':
        return { k: 'pointer', elem: this.typeFromNode(node.children[0], scope) };
      case 'parenthesized_type':
        return this.typeFromNode(node.children[0], scope);
      case 'generic_type':
        return this.typeFromNode(child(node, 'type'), scope);
      case 'channel_type': {
        const tokens = node.tokens ?? [];
        const dir = tokens[0] === '<-' ? 'recv' : tokens.indexOf('<-') > 0 ? 'send' : 'both';
        return { k: 'chan', dir, elem: this.typeFromNode(child(node, 'value'), scope) };
      }
      case 'slice_type':
        return { k: 'slice', elem: this.typeFromNode(child(node, 'element'), scope) };
      case 'array_type':
        return { k: 'array', len: this.fold(child(node, 'length'), scope), elem: this.typeFromNode(child(node, 'element'), scope) };
      case 'implicit_length_array_type':
        return { k: 'array', len: null, elem: this.typeFromNode(child(node, 'element'), scope) };
      case 'map_type':
        return { k: 'map', key: this.typeFromNode(child(node, 'key'), scope), elem: this.typeFromNode(child(node, 'value'), scope) };
      case 'function_type':
        return { k: 'func', results: this.resultTypes(child(node, 'result'), scope) };
      case 'struct_type':
        return { k: 'struct', node };
      case 'interface_type':
        return { k: 'interface' };
      default:
        return null;
    }
  }

  private packageHasType(path: string, name: string): boolean {
    return (
      lookupCall(path, 'Lock', name) !== undefined ||
      lookupCall(path, 'Wait', name) !== undefined ||
      lookupCall(path, 'Do', name) !== undefined ||
      lookupCall(path, 'Read', name) !== undefined ||
      lookupCall(path, 'Stop', name) !== undefined
    );
  }

  private resultTypes(result: SyntaxNode | undefined, scope: Scope): (GoType | null)[] {
    if (!result) return [];
    if (result.type !== 'parameter_list') return [this.typeFromNode(result, scope)];
    const out: (GoType | null)[] = [];
    for (const p of result.children) {
      if (p.type !== 'parameter_declaration') continue;
      const t = this.typeFromNode(child(p, 'type'), scope);
      const n = children(p, 'name').length;
      for (let i = 0; i < Math.max(1, n); i++) out.push(t);
    }
    return out;
  }

  /** Fields and promoted fields of a struct type declared in this file (or an anonymous struct). */
  private fieldType(t: GoType | null, field: string, scope: Scope, depth = 0): GoType | null {
    const d = deref(t);
    if (!d || depth > 4) return null;
    let decl: { fields: Map<string, SyntaxNode> | null; embedded: readonly SyntaxNode[] } | undefined;
    if (d.k === 'struct' && d.node) decl = this.structFields(d.node as SyntaxNode);
    else if (d.k === 'named' && d.pkg !== null) {
      const known = FIELD_TYPES.get(`${d.pkg}.${d.name}.${field}`);
      return known ? parseTypeText(known) : null;
    } else if (d.k === 'named') decl = this.typeDecl(d.name, scope);
    if (!decl?.fields) return null;
    const direct = decl.fields.get(field);
    if (direct) return this.typeFromNode(direct, scope);
    for (const e of decl.embedded) {
      const found = this.fieldType(this.typeFromNode(e, scope), field, scope, depth + 1);
      if (found) return found;
    }
    return null;
  }

  private typeOf(expr: SyntaxNode | undefined, scope: Scope): GoType | null {
    return expr ? (this.typesOf(expr, scope)[0] ?? null) : null;
  }

  /** The type(s) an expression produces: several for calls with several results, `v, ok` forms. */
  private typesOf(expr: SyntaxNode, scope: Scope, depth = 0): (GoType | null)[] {
    if (depth > 16) return [];
    switch (expr.type) {
      case 'identifier': {
        const v = this.lookupVar(scope, this.src(expr));
        return v ? [v.type] : [];
      }
      case 'parenthesized_expression':
        return expr.children.length === 1 ? this.typesOf(expr.children[0], scope, depth + 1) : [];
      case 'composite_literal':
        return [this.typeFromNode(child(expr, 'type'), scope)];
      case 'func_literal':
        return [{ k: 'func', results: this.resultTypes(child(expr, 'result'), scope) }];
      case 'unary_expression': {
        const op = expr.tokens?.[0];
        const operand = child(expr, 'operand');
        if (!operand) return [];
        if (op === '&') return [{ k: 'pointer', elem: this.typeOf(operand, scope) }];
        if (op === '*') return [deref(this.typeOf(operand, scope))];
        if (op === '<-') {
          const ch = this.typeOf(operand, scope);
          return [ch?.k === 'chan' ? ch.elem : null, named(null, 'bool')];
        }
        return [];
      }
      case 'selector_expression': {
        const operand = child(expr, 'operand');
        const field = child(expr, 'field');
        if (!operand || !field) return [];
        if (operand.type === 'identifier') {
          const path = this.importPath(scope, this.src(operand));
          if (path !== undefined) {
            const known = PACKAGE_VARS.get(`${path}.${this.src(field)}`);
            return known ? [parseTypeText(known)] : [];
          }
        }
        return [this.fieldType(this.typeOf(operand, scope), this.src(field), scope)];
      }
      case 'index_expression': {
        const t = deref(this.typeOf(child(expr, 'operand'), scope));
        if (t?.k === 'slice' || t?.k === 'array') return [t.elem];
        if (t?.k === 'map') return [t.elem, named(null, 'bool')];
        return [];
      }
      case 'type_assertion_expression':
        return [this.typeFromNode(child(expr, 'type'), scope), named(null, 'bool')];
      case 'type_conversion_expression':
        return [this.typeFromNode(child(expr, 'type'), scope)];
      case 'call_expression':
        return this.callResults(expr, scope, depth);
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return [named(null, 'string')];
      case 'int_literal':
        return [named(null, 'int')];
      default:
        return [];
    }
  }

  private callResults(call: SyntaxNode, scope: Scope, depth: number): (GoType | null)[] {
    const fn = child(call, 'function');
    const args = child(call, 'arguments')?.children ?? [];
    if (!fn) return [];
    if (fn.type === 'identifier') {
      const name = this.src(fn);
      const v = this.lookupVar(scope, name);
      if (v) return v.type?.k === 'func' ? [...v.type.results] : [];
      if (name === 'make' && args[0]) return [this.typeFromNode(args[0], scope)];
      if (name === 'new' && args[0]) return [{ k: 'pointer', elem: this.typeFromNode(args[0], scope) }];
      const decl = this.funcs.get(name);
      if (decl) return this.resultTypes(decl.results, scope);
      if (this.typeDecl(name, scope) || PREDECLARED_TYPES.has(name)) return [named(null, name)];
      for (const path of this.dotImports) {
        const r = this.libraryResults(path, name, undefined, args, scope);
        if (r) return r;
      }
      return [];
    }
    if (fn.type === 'selector_expression') {
      const operand = child(fn, 'operand');
      const field = child(fn, 'field');
      if (!operand || !field) return [];
      const method = this.src(field);
      if (operand.type === 'identifier') {
        const path = this.importPath(scope, this.src(operand));
        if (path !== undefined) return this.libraryResults(path, method, undefined, args, scope) ?? [];
      }
      const recv = deref(this.typesOf(operand, scope, depth + 1)[0]);
      if (recv?.k === 'named') {
        if (recv.pkg === null) {
          const decl = this.methods.get(`${recv.name}.${method}`);
          if (decl) return this.resultTypes(decl.results, scope);
        } else {
          return this.libraryResults(recv.pkg, method, recv.name, [], scope) ?? [];
        }
      }
      return [];
    }
    if (fn.type === 'func_literal') return this.resultTypes(child(fn, 'result'), scope);
    if (fn.type === 'parenthesized_expression') {
      const t = this.typeOf(fn, scope);
      return t?.k === 'func' ? [...t.results] : [];
    }
    return [];
  }

  private libraryResults(
    pkg: string,
    name: string,
    receiver: string | undefined,
    args: readonly SyntaxNode[],
    scope: Scope,
  ): (GoType | null)[] | undefined {
    const id = `${pkg}.${receiver ? receiver + '.' : ''}${name}`;
    const texts = CONSTRUCTOR_RESULTS.get(id) ?? lookupCall(pkg, name, receiver)?.results;
    if (!texts) return undefined;
    const results = texts.map(parseTypeText);
    // bufio wraps an io.Reader/Writer: the wrapper reads and writes the way the wrapped fd does.
    if (pkg === 'bufio' && !receiver && args[0]) return [withIo(results[0], ioNature(this.typeOf(args[0], scope))), ...results.slice(1)];
    return results;
  }

  // ---- bindings ------------------------------------------------------------------------------------------

  private bindParams(list: SyntaxNode | undefined, scope: Scope): void {
    if (!list) return;
    for (const p of list.children) {
      if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
      let t = this.typeFromNode(child(p, 'type'), scope);
      if (p.type === 'variadic_parameter_declaration') t = { k: 'slice', elem: t };
      for (const n of children(p, 'name')) scope.vars.set(this.src(n), { type: t });
    }
  }

  private bindVarDeclaration(decl: SyntaxNode, scope: Scope): void {
    const specs: SyntaxNode[] = [];
    for (const c of decl.children) {
      if (c.type === 'var_spec') specs.push(c);
      else if (c.type === 'var_spec_list') for (const s of c.children) if (s.type === 'var_spec') specs.push(s);
    }
    for (const spec of specs) {
      const names = children(spec, 'name');
      const typeNode = child(spec, 'type');
      const values = child(spec, 'value')?.children ?? [];
      const declared = typeNode ? this.typeFromNode(typeNode, scope) : null;
      const inferred = declared ? [] : this.assignedTypes(names.length, values, scope);
      names.forEach((n, i) => {
        const name = this.src(n);
        if (name === '_') return;
        scope.vars.set(name, {
          type: declared ?? inferred[i] ?? null,
          funcLit: values[i]?.type === 'func_literal' ? values[i] : undefined,
          methodValue: values.length === names.length && values[i]?.type === 'selector_expression' ? values[i] : undefined,
        });
      });
    }
  }

  /** Types of `a, b := x, y` (pairwise) or `a, b := f()` (one multi-valued right side). */
  private assignedTypes(count: number, values: readonly SyntaxNode[], scope: Scope): (GoType | null)[] {
    if (values.length === 1 && count > 1) return this.typesOf(values[0], scope);
    return values.map((v) => this.typeOf(v, scope));
  }

  private bindShortVar(node: SyntaxNode, scope: Scope): void {
    const left = child(node, 'left')?.children ?? [];
    const right = child(node, 'right')?.children ?? [];
    const types = this.assignedTypes(left.length, right, scope);
    left.forEach((id, i) => {
      if (id.type !== 'identifier') return;
      const name = this.src(id);
      if (name === '_') return;
      // `:=` redeclares only new names; an existing variable in the same scope keeps its type.
      const existing = scope.getVar(name);
      if (existing && existing.type) return;
      const pair = right.length === left.length ? right[i] : undefined;
      scope.vars.set(name, {
        type: types[i] ?? null,
        funcLit: pair?.type === 'func_literal' ? pair : undefined,
        methodValue: pair?.type === 'selector_expression' ? pair : undefined,
      });
    });
  }

  private bindConsts(decl: SyntaxNode, scope: Scope): void {
    this.collectConstSpecs(decl, (name, spec) => {
      const v = spec.value ? evalConst(spec.value, this.text, this.constEnv(scope, spec.iota)) : null;
      scope.consts.set(name, spec.type && v && predeclaredNumeric(this.src(spec.type)) === 'float' ? { value: v.value, isInt: false } : v);
    });
  }

  // ---- the walk ---------------------------------------------------------------------------------------------

  private visitFunction(node: SyntaxNode, fileCtx: Ctx, recoveredName?: SyntaxNode): void {
    const nameNode = recoveredName ?? child(node, 'name');
    if (!nameNode) return;
    const name = this.src(nameNode).trim();
    const isMethod = node.type === 'method_declaration';
    const recvType = isMethod ? this.receiverTypeName(node) : null;
    const scope = new Scope(this.pkgScope);
    let receiver: FunctionFact['receiver'] = null;
    if (isMethod) {
      const recvList = child(node, 'receiver');
      this.bindParams(recvList, scope);
      const param = recvList?.children.find((c) => c.type === 'parameter_declaration');
      const rn = param ? child(param, 'name') : undefined;
      const rt = param ? child(param, 'type') : undefined;
      receiver = { name: rn ? this.src(rn) : null, type: rt ? this.src(rt) : '?' };
    }
    this.bindParams(child(node, 'parameters'), scope);
    // Named results are variables too.
    const results = child(node, 'result');
    if (results?.type === 'parameter_list') this.bindParams(results, scope);
    // A recovered name comes from an ERROR node that may include the blanks around it.
    const raw = this.src(nameNode);
    const lead = raw.length - raw.trimStart().length;
    const fact: FunctionFact = {
      kind: 'function',
      name,
      receiver,
      isMain: !isMethod && name === 'main' && this.packageName === 'main',
      isGoroutine: false,
      range: this.rangeOf(node),
      nameRange: this.range(nameNode.start + lead, nameNode.start + raw.trimEnd().length),
    };
    this.out.functions.push(fact);
    this.fnFacts.push([node, fact]);
    const body = child(node, 'body');
    if (!body) return;
    settle(body);
    const ctx: Ctx = { scope, fn: recvType ? `${recvType}.${name}` : name, owners: [...fileCtx.owners, node], loops: [] };
    this.visitChildren(body, ctx);
  }

  /** `func name(…) {…}` at the start of a line, parsed as a func literal whose name is an ERROR. */
  private swallowedFunctionName(stmt: SyntaxNode): SyntaxNode | undefined {
    const lit = stmt.children[0];
    if (stmt.children.length !== 1 || lit.type !== 'func_literal') return undefined;
    const err = lit.children[0];
    if (err?.type !== 'ERROR' || !/^\s*[\p{L}_][\p{L}\p{N}_]*\s*$/u.test(this.src(err))) return undefined;
    if (this.syntax.lines.position(lit.start).col !== 0) return undefined;
    return err;
  }

  private visitFuncLiteral(node: SyntaxNode, ctx: Ctx): void {
    const scope = new Scope(ctx.scope);
    this.bindParams(child(node, 'parameters'), scope);
    const results = child(node, 'result');
    if (results?.type === 'parameter_list') this.bindParams(results, scope);
    const body = child(node, 'body');
    if (!body) return;
    this.visitChildren(body, { scope, fn: ctx.fn, owners: [...ctx.owners, node], loops: [] });
  }

  private visitChildren(node: SyntaxNode, ctx: Ctx): void {
    for (const c of node.children) this.visit(c, ctx);
  }

  private visit(node: SyntaxNode, ctx: Ctx): void {
    // Subtrees without a call, channel operation, loop or declaration hold no facts (syntax.ts marks
    // the others `hot`); nor do type expressions. Most nodes stop here.
    if (!node.hot || NO_FACTS.has(node.type)) return;
    switch (node.type) {
      case 'expression_statement': {
        const name = this.swallowedFunctionName(node);
        if (name) {
          // An unclosed brace earlier made this top-level `func name() {…}` parse as a func literal
          // inside the previous function: recover it as the declaration it is.
          const lit = node.children[0];
          const fname = this.src(name).trim();
          const decl: FuncDecl = { node: lit, key: fname, results: child(lit, 'result') };
          this.recovered.push([fname, decl]);
          if (!this.recoveredFuncs.has(fname)) this.recoveredFuncs.set(fname, decl);
          this.visitFunction(lit, { scope: this.pkgScope, fn: null, owners: [], loops: [] }, name);
          return;
        }
        this.visitChildren(node, ctx);
        return;
      }
      case 'func_literal':
        this.visitFuncLiteral(node, ctx);
        return;
      case 'block':
        this.visitChildren(node, { ...ctx, scope: new Scope(ctx.scope) });
        return;
      case 'if_statement':
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'expression_case':
      case 'type_case':
      case 'default_case':
        this.visitChildren(node, { ...ctx, scope: new Scope(ctx.scope) });
        return;
      case 'short_var_declaration': {
        const right = child(node, 'right');
        if (right) this.visit(right, ctx);
        this.bindShortVar(node, ctx.scope);
        return;
      }
      case 'var_declaration':
        for (const c of node.children) this.visitValues(c, ctx);
        if (ctx.scope !== this.pkgScope) this.bindVarDeclaration(node, ctx.scope);
        return;
      case 'const_declaration':
        if (ctx.scope !== this.pkgScope) this.bindConsts(node, ctx.scope);
        return;
      case 'type_declaration':
        this.collectTypes(node, (ctx.scope.localTypes ??= new Map()));
        return;
      case 'go_statement':
        this.visitGo(node, ctx);
        return;
      case 'call_expression':
        this.visitCall(node, ctx, ctx);
        return;
      case 'send_statement':
        this.visitSend(node, ctx);
        return;
      case 'unary_expression':
        if (node.tokens?.[0] === '<-' && !this.selectOps.has(node)) this.recordRecv(node, ctx);
        this.visitChildren(node, ctx);
        return;
      case 'select_statement':
        this.visitSelect(node, ctx);
        return;
      case 'for_statement':
        this.visitFor(node, ctx);
        return;
      default:
        this.visitChildren(node, ctx);
    }
  }

  /** The initialisers of var specs (types, names and nested lists aside). */
  private visitValues(spec: SyntaxNode, ctx: Ctx): void {
    if (spec.type === 'var_spec_list') {
      for (const s of spec.children) this.visitValues(s, ctx);
      return;
    }
    if (spec.type !== 'var_spec') return;
    const values = child(spec, 'value');
    if (values) this.visit(values, ctx);
  }

  private markCall(ctx: Ctx): void {
    for (const l of ctx.loops) l.hasCalls = true;
  }

  private markChanOp(ctx: Ctx): void {
    for (const l of ctx.loops) l.hasChanOps = true;
  }

  // ---- go statements -------------------------------------------------------------------------------------

  private visitGo(node: SyntaxNode, ctx: Ctx): void {
    const call = node.children[0];
    this.markCall(ctx);
    const goRange = this.range(node.start, Math.min(node.end, node.start + 2));
    if (!call || call.type !== 'call_expression') {
      if (call) this.visit(call, ctx);
      return;
    }
    const fn = child(call, 'function');
    const args = child(call, 'arguments');
    const literal = fn?.type === 'func_literal';
    let target: string | null = null;
    let catalogId: string | undefined;
    if (literal) {
      this.goOwners.push(fn);
      if (args) this.visit(args, ctx);
      this.visitFuncLiteral(fn, ctx);
    } else {
      target = fn ? this.markGoTarget(fn, ctx) : null;
      // The function value and the arguments are evaluated by the caller; the call itself runs in
      // the new goroutine (so `go http.ListenAndServe(…)` parks a new goroutine, not this one).
      const goCtx: Ctx = { ...ctx, owners: [...ctx.owners, call], loops: [] };
      this.goOwners.push(call);
      catalogId = this.visitCall(call, ctx, goCtx)?.catalogId;
    }
    this.out.goStmts.push(
      this.record(
        {
          kind: 'go-stmt',
          callee: literal || !fn ? null : this.src(fn),
          funcLiteral: literal,
          target,
          ...(catalogId ? { catalogId } : {}),
          range: this.rangeOf(node),
          goRange,
          callRange: this.rangeOf(call),
          ...this.place(ctx),
        },
        ctx,
      ),
    );
  }

  /** Marks the function a `go` statement starts as a goroutine body; returns its name if declared here. */
  private markGoTarget(fn: SyntaxNode, ctx: Ctx): string | null {
    if (fn.type === 'identifier') {
      const name = this.src(fn);
      const v = this.lookupVar(ctx.scope, name);
      if (v) {
        if (v.funcLit) this.goOwners.push(v.funcLit);
        return null;
      }
      const decl = this.funcs.get(name);
      if (decl) {
        this.goTargets.push(decl.key);
        return decl.key;
      }
      // Maybe a function recovered later from a broken region: resolved after the walk.
      this.pendingGoTargets.push(name);
      return null;
    }
    if (fn.type === 'selector_expression') {
      const operand = child(fn, 'operand');
      const field = child(fn, 'field');
      if (!operand || !field) return null;
      if (operand.type === 'identifier' && this.importPath(ctx.scope, this.src(operand)) !== undefined) return null;
      const method = this.src(field);
      const recv = deref(this.typeOf(operand, ctx.scope));
      if (recv?.k === 'named' && recv.pkg === null) {
        const decl = this.methods.get(`${recv.name}.${method}`);
        if (decl) {
          this.goTargets.push(decl.key);
          return decl.key;
        }
        return null;
      }
      // Receiver type unknown: every method of that name in this file may be the one started.
      const candidates = recv ? [] : (this.methodsByName.get(method) ?? []);
      for (const d of candidates) this.goTargets.push(d.key);
      return candidates.length === 1 ? candidates[0].key : null;
    }
    if (fn.type === 'parenthesized_expression' && fn.children.length === 1) return this.markGoTarget(fn.children[0], ctx);
    return null;
  }

  // ---- calls -------------------------------------------------------------------------------------------------

  /**
   * Classifies a call and visits its parts. `placeCtx` is where the call itself runs (a `go`
   * statement's new goroutine), `ctx` where its function and arguments are evaluated.
   */
  private visitCall(call: SyntaxNode, ctx: Ctx, placeCtx: Ctx): CallFact | undefined {
    const fn = child(call, 'function');
    const args = child(call, 'arguments');
    let fact: CallFact | undefined;
    if (fn) {
      fact = this.classifyCall(call, fn, args, ctx, placeCtx);
      // sync/atomic operations are compiler intrinsics or inlined wrappers: no call and so no preemption
      // point (`for atomic.LoadInt32(&f) == 0 {}` spins like `for !f {}`). atomic.Value's Store, Swap and
      // CompareAndSwap are real calls (go build -gcflags=-m does not inline them).
      const inlineAtomic = fact?.kind === 'atomic' && !/^sync\/atomic\.Value\.(Store|Swap|CompareAndSwap)$/.test(fact.catalogId);
      if (!this.isNotACall(fn, ctx.scope) && !inlineAtomic) this.markCall(ctx);
      if (fn.type === 'func_literal') this.visitFuncLiteral(fn, ctx);
      else this.visit(fn, ctx);
    }
    if (args) this.visitChildren(args, ctx);
    return fact;
  }

  private isNotACall(fn: SyntaxNode, scope: Scope): boolean {
    if (fn.type !== 'identifier') return false;
    const name = this.src(fn);
    return NOT_CALLS.has(name) && !this.shadowed(scope, name);
  }

  private classifyCall(call: SyntaxNode, fn: SyntaxNode, args: SyntaxNode | undefined, ctx: Ctx, placeCtx: Ctx): CallFact | undefined {
    const argNodes = args?.children ?? [];
    if (fn.type === 'identifier') {
      const name = this.src(fn);
      const v = this.lookupVar(ctx.scope, name);
      if (v) {
        const t = v.type;
        if (t?.k === 'named' && t.pkg === 'context' && t.name === 'CancelFunc') {
          return this.addCall(catalogEntry('context.CancelFunc')!, call, fn, argNodes, placeCtx);
        }
        return v.methodValue ? this.classifySyncMethodValue(v.methodValue, call, fn, argNodes, ctx, placeCtx) : undefined;
      }
      if (BUILTINS.has(name) && !this.shadowed(ctx.scope, name)) {
        if (name === 'make' && argNodes[0]?.type === 'channel_type') this.recordMakeChan(call, argNodes, ctx);
        if (name === 'close' && argNodes.length === 1) this.recordClose(call, argNodes[0], placeCtx);
        return undefined;
      }
      if (this.shadowed(ctx.scope, name)) return undefined;
      for (const path of this.dotImports) {
        const entry = lookupCall(path, name);
        if (entry) return this.addLibraryCall(entry, call, fn, argNodes, ctx, placeCtx);
      }
      return undefined;
    }
    if (fn.type !== 'selector_expression') return undefined;
    const operand = child(fn, 'operand');
    const field = child(fn, 'field');
    if (!operand || !field) return undefined;
    const name = this.src(field);
    if (operand.type === 'identifier') {
      const path = this.importPath(ctx.scope, this.src(operand));
      if (path === 'C') {
        if (isCgoNonCall(name, this.cgoTypedefs)) return undefined;
        const entry = lookupCall('C', name);
        return entry ? this.addCall(entry, call, fn, argNodes, placeCtx) : undefined;
      }
      if (path !== undefined) {
        const entry = lookupCall(path, name);
        return entry ? this.addLibraryCall(entry, call, fn, argNodes, ctx, placeCtx) : undefined;
      }
    }
    const recvType = this.typeOf(operand, ctx.scope);
    const resolved = this.resolveMethod(recvType, name, ctx.scope);
    if (!resolved) return undefined;
    const { entry, io, type } = resolved;
    const receiver = this.src(operand);
    if (entry.ioFrom === 'receiver') {
      if (!io) return undefined;
      return this.addCall(entry, call, fn, argNodes, placeCtx, {
        kind: io === 'file' ? 'blocking-syscall' : 'netio',
        receiver,
        receiverType: typeString(type),
        via: `${typeString(type)} over ${io === 'file' ? 'a file' : 'a pollable fd'}`,
      });
    }
    return this.addCall(entry, call, fn, argNodes, placeCtx, {
      receiver,
      receiverType: entry.pkg === 'sync' ? (deref(type) as { name: string }).name : typeString(type),
    });
  }

  /** `add(1)` after `add := wg.Add`: the sync method the value is bound to, on that receiver. */
  private classifySyncMethodValue(
    sel: SyntaxNode,
    call: SyntaxNode,
    fn: SyntaxNode,
    argNodes: readonly SyntaxNode[],
    ctx: Ctx,
    placeCtx: Ctx,
  ): CallFact | undefined {
    const operand = child(sel, 'operand');
    const field = child(sel, 'field');
    if (!operand || !field) return undefined;
    const resolved = this.resolveMethod(this.typeOf(operand, ctx.scope), this.src(field), ctx.scope);
    if (!resolved || resolved.entry.pkg !== 'sync') return undefined;
    return this.addCall(resolved.entry, call, fn, argNodes, placeCtx, {
      receiver: this.src(operand),
      receiverType: (deref(resolved.type) as { name: string }).name,
    });
  }

  /** The catalog entry for `x.name()` given x's type, following embedded fields of local structs. */
  private resolveMethod(
    t: GoType | null,
    name: string,
    scope: Scope,
    depth = 0,
  ): { entry: CatalogEntry; io: IoNature | undefined; type: GoType } | undefined {
    const d = deref(t);
    if (!t || !d || d.k !== 'named' || depth > 4) return undefined;
    if (d.pkg !== null) {
      const io = ioNature(d);
      const entry = lookupCall(d.pkg, name, d.name);
      // An *os.File from os.Pipe is pollable: its reads and writes park in the netpoller like a socket's.
      if (entry && io === 'poll' && entry.kind === 'syscall' && !entry.ioFrom) {
        const like = lookupCall('net', name, 'Conn');
        if (like) return { entry: like, io, type: t };
      }
      if (entry) return { entry, io, type: t };
      // A value known only as an I/O stream (io.ReadCloser of an HTTP body, a pipe): reads and writes
      // behave like those of the fd underneath.
      if (io && /^(Read|Write|Close|ReadFrom|WriteTo|WriteString)$/.test(name)) {
        const like = io === 'poll' ? lookupCall('net', name, 'Conn') : lookupCall('os', name, 'File');
        if (like) return { entry: like, io, type: t };
      }
      return undefined;
    }
    const decl = this.typeDecl(d.name, scope);
    if (!decl || this.methods.has(`${d.name}.${name}`)) return undefined;
    for (const e of decl.embedded) {
      const found = this.resolveMethod(this.typeFromNode(e, scope), name, scope, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** io.Copy / io.ReadAll: the kind follows the fds passed in; unknown fds give no fact. */
  private addLibraryCall(
    entry: CatalogEntry,
    call: SyntaxNode,
    fn: SyntaxNode,
    args: readonly SyntaxNode[],
    ctx: Ctx,
    placeCtx: Ctx,
  ): CallFact | undefined {
    if (entry.ioFrom === 'args') {
      const natures = args.map((a) => ioNature(this.typeOf(a, ctx.scope)));
      const io = natures.includes('file') ? 'file' : natures.includes('poll') ? 'poll' : undefined;
      if (!io) return undefined;
      return this.addCall(entry, call, fn, args, placeCtx, {
        kind: io === 'file' ? 'blocking-syscall' : 'netio',
        via: io === 'file' ? 'an *os.File argument' : 'a network or pipe argument',
      });
    }
    return this.addCall(entry, call, fn, args, placeCtx);
  }

  private addCall(
    entry: CatalogEntry,
    call: SyntaxNode,
    fn: SyntaxNode,
    args: readonly SyntaxNode[],
    ctx: Ctx,
    extra: { kind?: CallFactKind; receiver?: string; receiverType?: string; via?: string } = {},
  ): CallFact {
    const constArgs = args.map((a) => this.fold(a, ctx.scope));
    const fact: CallFact = {
      kind: extra.kind ?? factKind(entry),
      catalogId: entry.id,
      callee: this.src(fn),
      constArgs,
      ...(entry.durationArg
        ? { durationNs: constArgs[entry.durationArg.index] == null ? null : simulatedNs(entry, constArgs) }
        : {}),
      ...(extra.receiver !== undefined ? { receiver: extra.receiver } : {}),
      ...(extra.receiverType !== undefined ? { receiverType: extra.receiverType } : {}),
      ...(extra.via ? { via: extra.via } : {}),
      range: this.rangeOf(call),
      calleeRange: this.rangeOf(fn),
      ...this.place(ctx),
    };
    this.out.calls.push(this.record(fact, ctx));
    return fact;
  }

  // ---- channels -----------------------------------------------------------------------------------------------

  private recordMakeChan(call: SyntaxNode, args: readonly SyntaxNode[], ctx: Ctx): void {
    const chanType = this.typeFromNode(args[0], ctx.scope);
    const size = args[1];
    this.out.makeChans.push(
      this.record(
        {
          kind: 'make-chan',
          elemType: chanType?.k === 'chan' ? typeString(chanType.elem) : '?',
          direction: chanType?.k === 'chan' ? chanType.dir : 'both',
          bufferSize: size ? this.fold(size, ctx.scope) : 0,
          bufferText: size ? this.src(size) : null,
          range: this.rangeOf(call),
          ...this.place(ctx),
        },
        ctx,
      ),
    );
  }

  private chanOp(kind: 'send' | 'recv' | 'close', node: SyntaxNode, channel: SyntaxNode, ctx: Ctx): ChanOpFact {
    const t = this.typeOf(channel, ctx.scope);
    return this.record(
      {
        kind,
        channel: this.src(channel),
        channelType: t ? typeString(t) : null,
        ...(kind === 'close' ? { catalogId: 'builtin.close' } : {}),
        range: this.rangeOf(node),
        ...this.place(ctx),
      },
      ctx,
    );
  }

  private recordClose(call: SyntaxNode, channel: SyntaxNode, ctx: Ctx): void {
    this.out.closes.push(this.chanOp('close', call, channel, ctx));
  }

  private recordRecv(node: SyntaxNode, ctx: Ctx): void {
    const operand = child(node, 'operand');
    if (!operand) return;
    this.markChanOp(ctx);
    this.out.recvs.push(this.chanOp('recv', node, operand, ctx));
  }

  private visitSend(node: SyntaxNode, ctx: Ctx): void {
    const channel = child(node, 'channel');
    if (channel && !this.selectOps.has(node)) {
      this.markChanOp(ctx);
      this.out.sends.push(this.chanOp('send', node, channel, ctx));
    }
    this.visitChildren(node, ctx);
  }

  private visitSelect(node: SyntaxNode, ctx: Ctx): void {
    const cases: SelectCaseFact[] = [];
    let hasDefault = false;
    this.markChanOp(ctx);
    for (const c of node.children) {
      if (c.type === 'default_case') {
        hasDefault = true;
        this.visitChildren(c, { ...ctx, scope: new Scope(ctx.scope) });
        continue;
      }
      if (c.type !== 'communication_case') continue;
      const scope = new Scope(ctx.scope);
      const comm = child(c, 'communication');
      if (comm?.type === 'send_statement') {
        const channel = child(comm, 'channel');
        this.selectOps.add(comm);
        if (channel) cases.push({ kind: 'send', channel: this.src(channel), range: this.rangeOf(comm) });
      } else if (comm?.type === 'receive_statement') {
        let right = child(comm, 'right');
        while (right?.type === 'parenthesized_expression' && right.children.length === 1) right = right.children[0];
        if (right?.type === 'unary_expression' && right.tokens?.[0] === '<-') {
          this.selectOps.add(right);
          const operand = child(right, 'operand');
          if (operand) cases.push({ kind: 'recv', channel: this.src(operand), range: this.rangeOf(comm) });
        }
      }
      // Visit the case's channel expressions and body; `case v, ok := <-ch` declares v and ok.
      const caseCtx = { ...ctx, scope };
      if (comm) {
        if (comm.type === 'receive_statement') {
          const right = child(comm, 'right');
          if (right) this.visit(right, caseCtx);
          if (comm.tokens?.includes(':=')) {
            const left = child(comm, 'left')?.children ?? [];
            const types = right ? this.typesOf(right, ctx.scope) : [];
            left.forEach((id, i) => {
              if (id.type === 'identifier') scope.vars.set(this.src(id), { type: types[i] ?? null });
            });
          }
        } else {
          this.visit(comm, caseCtx);
        }
      }
      for (const s of c.children) if (s !== comm) this.visit(s, caseCtx);
    }
    this.out.selects.push(this.record({ kind: 'select', cases, hasDefault, range: this.rangeOf(node), ...this.place(ctx) }, ctx));
  }

  // ---- loops ----------------------------------------------------------------------------------------------------

  private visitFor(node: SyntaxNode, ctx: Ctx): void {
    const scope = new Scope(ctx.scope);
    const outer: Ctx = { ...ctx, scope };
    const frame: LoopFrame = { hasCalls: false, hasChanOps: false };
    const inner: Ctx = { ...ctx, scope, loops: [...ctx.loops, frame] };
    const body = child(node, 'body');
    const clause = node.children.find((c) => c.type === 'for_clause' || c.type === 'range_clause');
    const condition = node.children.find((c) => c !== body && c !== clause && c.type !== 'ERROR');
    let loop: LoopKind;
    let count: number | null = null;
    let bounds: LoopBounds | null = null;
    let rangeOver: string | null = null;
    const place = this.place(ctx);

    if (clause?.type === 'for_clause') {
      const init = child(clause, 'initializer');
      const cond = child(clause, 'condition');
      const update = child(clause, 'update');
      // The initialiser runs once, before the loop; condition and post statement every iteration.
      if (init) this.visit(init, outer);
      if (cond) this.visit(cond, inner);
      if (update) this.visit(update, inner);
      loop = cond ? 'three-clause' : 'infinite';
      bounds = this.threeClauseBounds(init, cond, update, scope);
      count = bounds ? loopCount(bounds) : null;
    } else if (clause?.type === 'range_clause') {
      const right = child(clause, 'right');
      rangeOver = right ? this.src(right) : null;
      if (right) this.visit(right, outer);
      const over = right ? this.typeOf(right, ctx.scope) : null;
      const constant = right ? this.fold(right, ctx.scope) : null;
      const d = deref(over);
      if (constant !== null || isIntegerType(over)) {
        loop = 'range-int';
        count = constant;
      } else if (d?.k === 'chan') {
        loop = 'range-chan';
        this.markChanOp(inner);
      } else if (d?.k === 'slice' || d?.k === 'array') {
        loop = 'range-slice';
        count = right ? this.literalLength(right, ctx.scope) : null;
        if (count === null && d?.k === 'array') count = d.len;
      } else {
        loop = 'range-other';
      }
      if (clause.tokens?.includes(':=')) {
        const left = child(clause, 'left')?.children ?? [];
        const [k, v] = rangeTypes(d, constant !== null || isIntegerType(over));
        left.forEach((id, i) => {
          if (id.type === 'identifier') scope.vars.set(this.src(id), { type: i === 0 ? k : v });
        });
      }
    } else if (condition) {
      loop = 'condition';
      this.visit(condition, inner);
    } else {
      loop = 'infinite';
    }
    if (body) this.visit(body, inner);
    const headerEnd = body ? body.start : node.end;
    const fact: LoopFact = {
      kind: 'for',
      loop,
      count,
      bounds,
      rangeOver,
      hasCalls: frame.hasCalls,
      hasChanOps: frame.hasChanOps,
      range: this.rangeOf(node),
      headerRange: this.range(node.start, trimEnd(this.text, node.start, headerEnd)),
      ...place,
    };
    this.out.loops.push(this.record(fact, ctx));
  }

  /** Number of elements of `[]T{a, b, c}`, `[...]T{…}`, `make([]T, n)`. */
  private literalLength(expr: SyntaxNode, scope: Scope): number | null {
    if (expr.type === 'composite_literal') {
      const body = child(expr, 'body');
      if (!body || body.children.some((c) => c.type === 'keyed_element')) return null;
      return body.children.length;
    }
    if (expr.type === 'call_expression') {
      const fn = child(expr, 'function');
      const args = child(expr, 'arguments')?.children ?? [];
      if (fn && this.src(fn) === 'make' && args[0]?.type === 'slice_type' && args[1]) return this.fold(args[1], scope);
    }
    return null;
  }

  private threeClauseBounds(
    init: SyntaxNode | undefined,
    cond: SyntaxNode | undefined,
    update: SyntaxNode | undefined,
    scope: Scope,
  ): LoopBounds | null {
    let variable: string | null = null;
    let start: number | null = null;
    if (init && (init.type === 'short_var_declaration' || init.type === 'assignment_statement')) {
      const left = child(init, 'left')?.children ?? [];
      const right = child(init, 'right')?.children ?? [];
      if (left.length === 1 && right.length === 1 && left[0].type === 'identifier') {
        variable = this.src(left[0]);
        start = this.fold(right[0], scope);
      }
    }
    let op: string | null = null;
    let end: number | null = null;
    if (cond?.type === 'binary_expression') {
      const l = child(cond, 'left');
      const r = child(cond, 'right');
      const o = cond.tokens?.[0] ?? null;
      if (l && r && o && ['<', '<=', '>', '>=', '!='].includes(o)) {
        if (l.type === 'identifier' && (variable === null || this.src(l) === variable)) {
          variable ??= this.src(l);
          op = o;
          end = this.fold(r, scope);
        } else if (r.type === 'identifier' && (variable === null || this.src(r) === variable)) {
          variable ??= this.src(r);
          op = FLIP[o] ?? o;
          end = this.fold(l, scope);
        }
      }
    }
    let step: number | null = null;
    if (update) {
      const target = update.type === 'assignment_statement' ? child(update, 'left')?.children[0] : update.children[0];
      if (target && target.type === 'identifier' && (variable === null || this.src(target) === variable)) {
        if (update.type === 'inc_statement') step = 1;
        else if (update.type === 'dec_statement') step = -1;
        else if (update.type === 'assignment_statement') {
          const left = child(update, 'left')?.children ?? [];
          const right = child(update, 'right')?.children ?? [];
          const operator = update.tokens?.[0];
          if (left.length === 1 && right.length === 1) {
            const k = this.fold(right[0], scope);
            if (k !== null && operator === '+=') step = k;
            else if (k !== null && operator === '-=') step = -k;
            else if (operator === '=' && right[0].type === 'binary_expression') {
              // i = i + k, i = i - k
              const l = child(right[0], 'left');
              const r = child(right[0], 'right');
              const o = right[0].tokens?.[0];
              if (l && r && this.src(l) === this.src(left[0])) {
                const kk = this.fold(r, scope);
                if (kk !== null && o === '+') step = kk;
                if (kk !== null && o === '-') step = -kk;
              }
            }
          }
        }
      }
    }
    if (variable === null && op === null && step === null) return null;
    return { variable, start, op, end, step };
  }

  // ---- after the walk ----------------------------------------------------------------------------------------

  private finishPlacement(): void {
    this.goroutineOwners = new Set(this.goOwners);
    for (const key of this.goTargets) {
      const decl = this.funcs.get(key) ?? this.methods.get(key);
      if (decl) this.goroutineOwners.add(decl.node);
    }
    for (const name of this.pendingGoTargets) {
      const decl = this.recoveredFuncs.get(name);
      if (decl) this.goroutineOwners.add(decl.node);
    }
    for (const g of this.out.goStmts) {
      if (g.target === null && g.callee !== null && this.recoveredFuncs.has(g.callee) && this.pendingGoTargets.includes(g.callee)) {
        (g as { target: string | null }).target = g.callee;
      }
    }
    for (const p of this.placed) {
      if (p.owners.some((o) => this.goroutineOwners.has(o))) p.fact.inGoroutine = true;
    }
    for (const [node, fact] of this.fnFacts) if (this.goroutineOwners.has(node)) fact.isGoroutine = true;
  }

  /** `time.Sleep` in main after `go` statements, with nothing else in main waiting for the goroutines. */
  private lintSleepAsSync(): void {
    const main = this.fnFacts.find(([, f]) => f.isMain)?.[0];
    if (!main) return;
    const inMain = (p: Placed): boolean => p.owners.length === 1 && p.owners[0] === main;
    const mainPlaced = this.placed.filter(inMain);
    const gos = mainPlaced.map((p) => p.fact).filter((f): f is GoStmtFact => (f as Fact).kind === 'go-stmt');
    if (gos.length === 0) return;
    const WAITS = new Set([
      'sync.WaitGroup.Wait',
      'sync.Cond.Wait',
      'sync.Mutex.Lock',
      'sync.RWMutex.Lock',
      'sync.RWMutex.RLock',
      'sync.Once.Do',
    ]);
    const waits = mainPlaced.some((p) => {
      const f = p.fact as Fact;
      if (f.kind === 'recv' || f.kind === 'send' || f.kind === 'select') return true;
      if (f.kind === 'for' && f.loop === 'range-chan') return true;
      return f.kind === 'sync' && WAITS.has(f.catalogId);
    });
    if (waits) return;
    const firstGo = gos.reduce((a, b) => (before(a.range.start, b.range.start) ? a : b));
    const mainLoops = mainPlaced.map((p) => p.fact as Fact).filter((f): f is LoopFact => f.kind === 'for');
    const within = (r: Range, outer: Range): boolean => !before(r.start, outer.start) && !before(outer.end, r.end);
    for (const p of mainPlaced) {
      const f = p.fact as Fact;
      if (f.kind !== 'time' || f.catalogId !== 'time.Sleep' || !before(firstGo.range.start, f.range.start)) continue;
      // A sleep in a loop paces it (a periodic report, a retry with backoff): not a guess at how long the
      // goroutines take, unless that loop also starts them (go, sleep, go, …).
      const loop = mainLoops.filter((l) => within(f.range, l.range)).sort((a, b) => (before(a.range.start, b.range.start) ? 1 : -1))[0];
      if (loop && !gos.some((g) => within(g.range, loop.range))) continue;
      this.out.lints.push({
        kind: 'lint',
        rule: 'sleep-as-sync',
        message:
          'time.Sleep is used to wait for goroutines: nothing guarantees they finish in time (on a busy machine or with ' +
          'GOMAXPROCS(1) they may not even have started), and when main returns they are discarded. Wait for them with a ' +
          'sync.WaitGroup or a channel instead.',
        range: f.range,
        related: gos.map((g) => g.goRange),
      });
    }
  }

  /** `wg.Add` inside the goroutine whose `wg.Done` it pairs with: Wait may run before the Add. */
  private lintWaitGroupAdd(): void {
    const bodyOf = (owners: readonly SyntaxNode[]): SyntaxNode | undefined => {
      for (let i = owners.length - 1; i >= 0; i--) if (this.goroutineOwners.has(owners[i])) return owners[i];
      return undefined;
    };
    const norm = (s: string | undefined): string => (s ?? '').replace(/^[&*(]+|\)+$/g, '').replace(/\s+/g, '');
    const callOwners = new Map<Placement, readonly SyntaxNode[]>();
    for (const p of this.placed) callOwners.set(p.fact, p.owners);
    const adds = this.out.calls.filter((c) => c.catalogId === 'sync.WaitGroup.Add' && c.inGoroutine);
    const goStmts = this.placed.filter((p) => (p.fact as Fact).kind === 'go-stmt');
    for (const add of adds) {
      const body = bodyOf(callOwners.get(add) ?? []);
      if (!body) continue;
      // A goroutine that starts goroutines of its own may Add for them (Add, then go child()).
      const startsChildren = goStmts.some(
        (p) => bodyOf(p.owners) === body && before(add.range.start, (p.fact as GoStmtFact).range.start),
      );
      if (startsChildren) continue;
      const done = this.out.calls.find(
        (c) =>
          c !== add &&
          (c.catalogId === 'sync.WaitGroup.Done' || (c.catalogId === 'sync.WaitGroup.Add' && (c.constArgs[0] ?? 0) < 0)) &&
          norm(c.receiver) === norm(add.receiver) &&
          bodyOf(callOwners.get(c) ?? []) === body,
      );
      if (!done) continue;
      // `add(1)` after `add := wg.Add` names the method value as written, and what it is bound to.
      const what = add.callee.endsWith('.Add') ? `${add.receiver}.Add` : `${add.callee} (${add.receiver}.Add)`;
      this.out.lints.push({
        kind: 'lint',
        rule: 'wg-add-in-goroutine',
        message:
          `${what} is called inside the goroutine it counts: the go statement returns before the new goroutine runs ` +
          `(it waits in a run queue), so ${add.receiver}.Wait can see a zero counter and return early. Call Add before the go statement.`,
        range: add.range,
        related: [done.range],
      });
    }
  }
}

// ---- small pure helpers ------------------------------------------------------------------------------------

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '!=': '!=' };

function factKind(entry: CatalogEntry): CallFactKind {
  switch (entry.kind) {
    case 'syscall':
    case 'exec-wait':
      return 'blocking-syscall';
    case 'netio':
      return 'netio';
    case 'cgo':
      return 'cgo';
    case 'sleep':
    case 'timer':
    case 'clock':
      return 'time';
    case 'runtime':
      return 'runtime';
    case 'context':
      return 'context';
    case 'sync':
      return entry.pkg === 'sync/atomic' ? 'atomic' : 'sync';
    case 'chan':
      return 'sync';
  }
}

/** Iterations of a counting loop with constant bounds; null when unknown or unbounded. */
export function loopCount(b: LoopBounds): number | null {
  const { start, end, step, op } = b;
  if (start === null || end === null || step === null || op === null || step === 0) return null;
  const span = end - start;
  switch (op) {
    case '<':
      if (step > 0) return Math.max(0, Math.ceil(span / step));
      return span > 0 ? null : 0;
    case '<=':
      if (step > 0) return Math.max(0, Math.floor(span / step) + 1);
      return span >= 0 ? null : 0;
    case '>':
      if (step < 0) return Math.max(0, Math.ceil(-span / -step));
      return span < 0 ? null : 0;
    case '>=':
      if (step < 0) return Math.max(0, Math.floor(-span / -step) + 1);
      return span <= 0 ? null : 0;
    case '!=':
      if (span === 0) return 0;
      return span % step === 0 && span / step > 0 ? span / step : null;
    default:
      return null;
  }
}

function rangeTypes(over: GoType | null, isInt: boolean): [GoType | null, GoType | null] {
  if (isInt) return [named(null, 'int'), null];
  if (!over) return [null, null];
  switch (over.k) {
    case 'slice':
    case 'array':
      return [named(null, 'int'), over.elem];
    case 'map':
      return [over.key, over.elem];
    case 'chan':
      return [over.elem, null];
    case 'named':
      return over.pkg === null && over.name === 'string' ? [named(null, 'int'), named(null, 'rune')] : [null, null];
    default:
      return [null, null];
  }
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.col < b.col);
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}

/**
 * Type names a C preamble declares with `typedef`: the last identifier before the `;` that ends the
 * typedef at brace depth 0 (`typedef struct { int n; } counter;` → counter), or the name inside a
 * function-pointer declarator (`typedef void (*callback)(int);` → callback).
 */
export function cTypedefNames(preamble: string): string[] {
  const code = preamble
    .replace(/^\s*\/\/ ?/gm, '')
    .replace(/\/\*|\*\//g, ' ');
  const names: string[] = [];
  for (let at = code.search(/\btypedef\b/); at !== -1; ) {
    let depth = 0;
    let end = at + 7;
    for (; end < code.length; end++) {
      const c = code[end];
      if (c === '{' || c === '(') depth++;
      else if (c === '}' || c === ')') depth--;
      else if (c === ';' && depth <= 0) break;
    }
    const decl = code.slice(at + 7, end);
    const fnPtr = /\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\([^)]*\)\s*$/.exec(decl);
    const plain = /([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*$/.exec(decl);
    const name = fnPtr?.[1] ?? plain?.[1];
    if (name) names.push(name);
    const next = code.slice(end + 1).search(/\btypedef\b/);
    at = next === -1 ? -1 : end + 1 + next;
  }
  return names;
}

/**
 * A copy of a fact with its positions moved down `dl` lines and its after-the-walk flags cleared
 * (they are recomputed for every extraction).
 */
function cloneFact<T extends object>(fact: T, dl: number): T {
  const c = (dl === 0 ? { ...fact } : shiftLines(fact, dl)) as T & { inGoroutine?: boolean; isGoroutine?: boolean };
  if ('inGoroutine' in c) c.inGoroutine = false;
  if ('isGoroutine' in c) c.isGoroutine = false;
  return c;
}

function shiftLines<T>(v: T, dl: number): T {
  if (Array.isArray(v)) return v.map((x) => shiftLines(x, dl)) as T;
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (typeof o.line === 'number' && typeof o.col === 'number' && Object.keys(o).length === 2) {
    return { line: o.line + dl, col: o.col } as T;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = shiftLines(o[k], dl);
  return out as T;
}
