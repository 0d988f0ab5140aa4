// tree-sitter-go syntax tree → the interpreter's AST (ast.ts). Never throws on user code:
// what it does not handle becomes a `bad` node (with its range) and an entry in `unsupported`.
import type { Expr, Elem, FuncDecl, FuncLit, Param, Pos, Program, SelectCase, Stmt, TypeDecl, TypeExpr, CaseClause, TypeCase, Rat } from './ast';
import { GoFloat } from './values';

/** The part of a web-tree-sitter `Node` the lowering uses. */
export interface TSNode {
  readonly type: string;
  readonly text: string;
  readonly startPosition: { row: number; column: number };
  readonly endPosition: { row: number; column: number };
  readonly childCount: number;
  child(i: number): TSNode | null;
  readonly namedChildCount: number;
  namedChild(i: number): TSNode | null;
  childForFieldName(name: string): TSNode | null;
  fieldNameForChild(i: number): string | null;
  readonly isNamed: boolean;
}

const BASIC_TYPES = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr',
  'float32', 'float64', 'string', 'bool', 'byte', 'rune', 'error', 'any']);
// `len` is not pure: len(ch) asks the engine.
const PURE_BUILTINS = new Set(['cap', 'min', 'max', ...BASIC_TYPES]);

export function lowerProgram(root: TSNode): Program {
  return new Lowerer().program(root);
}

class Lowerer {
  prog: Program = { imports: new Map(), funcs: new Map(), methods: new Map(), types: new Map(), globals: [], unsupported: [], usesCgo: false };
  /** Enclosing function names and their func-literal counters. */
  private fnStack: { name: string; lits: number; isLit: boolean }[] = [];
  private hasCalls = false;
  /** Names of the functions declared in the file (Sum[int](x) parses as a conversion to a generic type). */
  private funcNames = new Set<string>();

  pos(n: TSNode): Pos {
    const text = n.text.length > 60 ? n.text.slice(0, 57) + '...' : n.text;
    return { line: n.startPosition.row + 1, col: n.startPosition.column, endLine: n.endPosition.row + 1, endCol: n.endPosition.column, text };
  }
  named(n: TSNode | null): TSNode[] {
    const out: TSNode[] = [];
    if (!n) return out;
    for (let i = 0; i < n.namedChildCount; i++) { const c = n.namedChild(i); if (c && c.type !== 'comment') out.push(c); }
    return out;
  }
  fields(n: TSNode, field: string): TSNode[] {
    const out: TSNode[] = [];
    for (let i = 0; i < n.childCount; i++) if (n.fieldNameForChild(i) === field) { const c = n.child(i); if (c) out.push(c); }
    return out;
  }
  unsupported(n: TSNode, msg: string): void { this.prog.unsupported.push({ pos: this.pos(n), msg }); }

  program(root: TSNode): Program {
    for (const d of this.named(root)) if (d.type === 'function_declaration') this.funcNames.add(d.childForFieldName('name')!.text);
    for (const d of this.named(root)) {
      try {
        this.topDecl(d);
      } catch (e) {
        this.unsupported(d, `could not lower: ${(e as Error).message}`);
      }
    }
    return this.prog;
  }

  topDecl(d: TSNode): void {
    switch (d.type) {
      case 'package_clause': return;
      case 'import_declaration':
        for (const spec of this.importSpecs(d)) {
          const pathNode = spec.childForFieldName('path');
          const path = pathNode ? pathNode.text.slice(1, -1) : '';
          const name = spec.childForFieldName('name')?.text ?? path.split('/').pop()!;
          if (path === 'C') this.prog.usesCgo = true;
          this.prog.imports.set(name, path);
        }
        return;
      case 'function_declaration': {
        const name = d.childForFieldName('name')!.text;
        this.prog.funcs.set(name, this.func(d, `main.${name}`, null));
        return;
      }
      case 'method_declaration': {
        const recvList = this.named(d.childForFieldName('receiver'))[0];
        const name = d.childForFieldName('name')!.text;
        if (!recvList) { this.unsupported(d, 'method without receiver'); return; }
        let t = recvList.childForFieldName('type')!;
        const ptr = t.type === 'pointer_type';
        if (ptr) t = this.named(t)[0]!;
        const tname = t.type === 'generic_type' ? t.childForFieldName('type')!.text : t.text;
        const recv: NonNullable<FuncDecl['recv']> = { name: recvList.childForFieldName('name')?.text ?? '_', type: tname, ptr };
        const rargs = t.type === 'generic_type' ? t.childForFieldName('type_arguments') : null;
        if (rargs) recv.tparams = this.named(rargs).map((x) => x.text);
        const fnName = ptr ? `main.(*${tname}).${name}` : `main.${tname}.${name}`;
        const decl = this.func(d, fnName, recv);
        if (!this.prog.methods.has(tname)) this.prog.methods.set(tname, new Map());
        this.prog.methods.get(tname)!.set(name, decl);
        return;
      }
      case 'type_declaration':
        for (const spec of this.named(d)) {
          if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
          const tps = spec.childForFieldName('type_parameters');
          if (tps) this.unsupported(spec, 'generic type: type parameters are bound from the type arguments (Stack[int]) where a value is made from them, else ignored (values are dynamically typed)');
          const name = spec.childForFieldName('name')!.text;
          const td: TypeDecl = { name, t: this.type(spec.childForFieldName('type')), pos: this.pos(spec) };
          if (tps) td.tparams = this.named(tps).flatMap((p) => this.fields(p, 'name').map((x) => x.text));
          this.prog.types.set(name, td);
        }
        return;
      case 'var_declaration':
      case 'const_declaration':
        this.fnStack.push({ name: 'main.init', lits: 0, isLit: false });
        this.prog.globals.push(...this.stmt(d));
        this.fnStack.pop();
        return;
      default:
        this.unsupported(d, `top-level ${d.type} is not interpreted`);
    }
  }
  importSpecs(d: TSNode): TSNode[] {
    const out: TSNode[] = [];
    for (const c of this.named(d)) {
      if (c.type === 'import_spec') out.push(c);
      else if (c.type === 'import_spec_list') out.push(...this.named(c).filter((x) => x.type === 'import_spec'));
    }
    return out;
  }

  params(list: TSNode | null): Param[] {
    const out: Param[] = [];
    if (!list) return out;
    if (list.type !== 'parameter_list') return [{ name: '', type: this.type(list), variadic: false }];
    for (const p of this.named(list)) {
      const variadic = p.type === 'variadic_parameter_declaration';
      const t = this.type(p.childForFieldName('type'));
      const names = this.fields(p, 'name');
      if (names.length === 0) out.push({ name: '', type: t, variadic });
      for (const n of names) out.push({ name: n.text, type: t, variadic });
    }
    return out;
  }

  func(d: TSNode, name: string, recv: FuncDecl['recv']): FuncDecl {
    const tps = d.childForFieldName('type_parameters');
    if (tps) this.unsupported(d, 'generic functions: type parameters are bound from the call (explicit or inferred from argument values) where possible, else ignored (values are dynamically typed)');
    this.fnStack.push({ name, lits: 0, isLit: false });
    const saved = this.hasCalls;
    this.hasCalls = false;
    const body = this.block(d.childForFieldName('body'));
    const f: FuncDecl = { name, params: this.params(d.childForFieldName('parameters')), results: this.params(d.childForFieldName('result')), body, pos: this.pos(d), recv, hasCalls: this.hasCalls };
    if (tps) f.tparams = this.named(tps).flatMap((p) => this.fields(p, 'name').map((x) => x.text));
    this.hasCalls = saved;
    this.fnStack.pop();
    return f;
  }

  funcLit(d: TSNode): FuncLit {
    if (this.fnStack.length === 0) this.fnStack.push({ name: 'main.init', lits: 0, isLit: false });
    const top = this.fnStack[this.fnStack.length - 1]!;
    top.lits++;
    const name = top.isLit ? `${top.name}.${top.lits}` : `${top.name}.func${top.lits}`;
    this.fnStack.push({ name, lits: 0, isLit: true });
    const saved = this.hasCalls;
    this.hasCalls = false;
    const body = this.block(d.childForFieldName('body'));
    const f: FuncLit = { name, params: this.params(d.childForFieldName('parameters')), results: this.params(d.childForFieldName('result')), body, pos: this.pos(d), hasCalls: this.hasCalls };
    this.hasCalls = saved;
    this.fnStack.pop();
    return f;
  }

  type(n: TSNode | null): TypeExpr {
    if (!n) return { k: 'bad', text: '' };
    switch (n.type) {
      case 'type_identifier': case 'identifier': return { k: 'name', name: n.text };
      case 'qualified_type': return { k: 'qual', pkg: n.childForFieldName('package')!.text, name: n.childForFieldName('name')!.text };
      case 'parenthesized_type': return this.type(this.named(n)[0] ?? null);
      case 'slice_type': return { k: 'slice', elem: this.type(n.childForFieldName('element')) };
      case 'array_type': return { k: 'array', len: this.expr(n.childForFieldName('length')!), elem: this.type(n.childForFieldName('element')) };
      case 'implicit_length_array_type': return { k: 'array', len: null, elem: this.type(n.childForFieldName('element')) };
      case 'map_type': return { k: 'map', key: this.type(n.childForFieldName('key')), val: this.type(n.childForFieldName('value')) };
      case 'pointer_type': return { k: 'ptr', elem: this.type(this.named(n)[0] ?? null) };
      case 'channel_type': {
        const t = n.text.replace(/\s+/g, '');
        return { k: 'chan', elem: this.type(n.childForFieldName('value')), dir: t.startsWith('<-') ? 'recv' : t.startsWith('chan<-') ? 'send' : 'both' };
      }
      case 'function_type': return { k: 'func' };
      case 'interface_type': {
        const kids = this.named(n);
        const methods = kids.filter((m) => m.type === 'method_elem' || m.type === 'method_spec').map((m) => m.childForFieldName('name')?.text ?? '');
        // Embedded interfaces: a lone type name (not a constraint's union or ~T).
        const embeds = kids.filter((m) => m.type === 'type_elem' && !/[|~]/.test(m.text) && this.named(m).length === 1 && ['type_identifier', 'qualified_type'].includes(this.named(m)[0]!.type))
          .map((m) => this.type(this.named(m)[0]!));
        return embeds.length ? { k: 'iface', methods, embeds } : { k: 'iface', methods };
      }
      case 'struct_type': {
        const fields = [];
        for (const fd of this.named(this.named(n)[0] ?? null)) {
          if (fd.type !== 'field_declaration') continue;
          const t = this.type(fd.childForFieldName('type'));
          const names = this.fields(fd, 'name');
          if (names.length === 0) {
            const tn = t.k === 'ptr' ? t.elem : t;
            fields.push({ name: tn.k === 'name' || tn.k === 'qual' ? tn.name : '?', type: t, embedded: true });
          }
          for (const nm of names) fields.push({ name: nm.text, type: t, embedded: false });
        }
        return { k: 'struct', fields };
      }
      case 'generic_type': {
        const base = this.type(n.childForFieldName('type'));
        const ta = n.childForFieldName('type_arguments');
        return base.k === 'name' && ta ? { ...base, args: this.named(ta).map((x) => this.type(x)) } : base;
      }
      case 'negated_type': case 'type_elem': return this.type(this.named(n)[0] ?? null);
      default:
        this.unsupported(n, `type ${n.type} is not interpreted`);
        return { k: 'bad', text: n.text };
    }
  }

  block(n: TSNode | null): Stmt[] {
    if (!n) return [];
    const out: Stmt[] = [];
    for (const c of this.named(n)) {
      if (c.type === 'statement_list') { for (const s of this.named(c)) out.push(...this.stmt(s)); } else out.push(...this.stmt(c));
    }
    return out;
  }
  stmtList(nodes: TSNode[]): Stmt[] {
    const out: Stmt[] = [];
    for (const c of nodes) {
      if (c.type === 'statement_list') { for (const s of this.named(c)) out.push(...this.stmt(s)); } else out.push(...this.stmt(c));
    }
    return out;
  }
  one(n: TSNode | null): Stmt | null {
    if (!n) return null;
    const s = this.stmt(n);
    return s.length === 1 ? s[0]! : { pos: this.pos(n), k: 'block', body: s };
  }

  stmt(n: TSNode, label: string | null = null): Stmt[] {
    const pos = this.pos(n);
    try {
      switch (n.type) {
        case 'empty_statement': case 'comment': return [];
        case 'expression_statement': return [{ pos, k: 'expr', x: this.expr(this.named(n)[0]!) }];
        case 'short_var_declaration':
        case 'assignment_statement': {
          const lhs = this.named(n.childForFieldName('left')).map((e) => this.expr(e));
          const rhs = this.named(n.childForFieldName('right')).map((e) => this.expr(e));
          const op = n.type === 'short_var_declaration' ? ':=' : n.childForFieldName('operator')!.text;
          return [{ pos, k: 'assign', lhs, rhs, op, define: op === ':=' }];
        }
        case 'inc_statement': case 'dec_statement':
          return [{ pos, k: 'incdec', x: this.expr(this.named(n)[0]!), op: n.type === 'inc_statement' ? '++' : '--' }];
        case 'send_statement':
          this.hasCalls = true;
          return [{ pos, k: 'send', ch: this.expr(n.childForFieldName('channel')!), value: this.expr(n.childForFieldName('value')!) }];
        case 'var_declaration': {
          const out: Stmt[] = [];
          const specs = this.named(n).flatMap((c) => (c.type === 'var_spec_list' ? this.named(c) : [c]));
          for (const s of specs) {
            if (s.type !== 'var_spec') continue;
            const tn = s.childForFieldName('type');
            out.push({ pos: this.pos(s), k: 'var', names: this.fields(s, 'name').map((x) => x.text), t: tn ? this.type(tn) : null, values: this.named(s.childForFieldName('value')).map((e) => this.expr(e)) });
          }
          return out;
        }
        case 'const_declaration': {
          const specs: { names: string[]; t: TypeExpr | null; values: Expr[]; iota: number }[] = [];
          let last: { t: TypeExpr | null; values: Expr[] } = { t: null, values: [] };
          let iota = 0;
          for (const s of this.named(n)) {
            if (s.type !== 'const_spec') continue;
            const tn = s.childForFieldName('type');
            const vals = this.named(s.childForFieldName('value')).map((e) => this.expr(e));
            if (vals.length) last = { t: tn ? this.type(tn) : null, values: vals };
            specs.push({ names: this.fields(s, 'name').map((x) => x.text), t: last.t, values: last.values, iota: iota++ });
          }
          return [{ pos, k: 'const', specs }];
        }
        case 'type_declaration':
          for (const spec of this.named(n)) {
            if (spec.type !== 'type_spec' && spec.type !== 'type_alias') continue;
            const name = spec.childForFieldName('name')!.text;
            this.prog.types.set(name, { name, t: this.type(spec.childForFieldName('type')), pos: this.pos(spec) });
          }
          return [{ pos, k: 'typedecl' }];
        case 'block': return [{ pos, k: 'block', body: this.block(n) }];
        case 'if_statement': {
          const alt = n.childForFieldName('alternative');
          return [{
            pos, k: 'if', init: this.one(n.childForFieldName('initializer')), cond: this.expr(n.childForFieldName('condition')!),
            then: this.block(n.childForFieldName('consequence')), else: alt ? (alt.type === 'block' ? this.block(alt) : this.stmt(alt)) : null,
          }];
        }
        case 'for_statement': return [this.forStmt(n, label)];
        case 'labeled_statement': {
          const l = n.childForFieldName('label')!.text;
          const inner = this.named(n).filter((c) => c.type !== 'label_name');
          const body = inner.length ? this.stmt(inner[0]!, l) : [];
          return [{ pos, k: 'labeled', label: l, s: body.length === 1 ? body[0]! : { pos, k: 'block', body } }];
        }
        case 'expression_switch_statement': {
          const cases: CaseClause[] = [];
          for (const c of this.named(n)) {
            if (c.type !== 'expression_case' && c.type !== 'default_case') continue;
            const body = this.stmtList(this.named(c).filter((x) => x.type === 'statement_list'));
            cases.push({ exprs: c.type === 'default_case' ? null : this.named(c.childForFieldName('value')).map((e) => this.expr(e)), body, fall: body.length > 0 && body[body.length - 1]!.k === 'fallthrough' });
          }
          const v = n.childForFieldName('value');
          return [{ pos, k: 'switch', init: this.one(n.childForFieldName('initializer')), tag: v ? this.expr(v) : null, cases, label }];
        }
        case 'type_switch_statement': {
          const cases: TypeCase[] = [];
          for (const c of this.named(n)) {
            if (c.type !== 'type_case' && c.type !== 'default_case') continue;
            const types = c.type === 'default_case' ? null : this.fields(c, 'type').filter((t) => t.isNamed).map((t) => (t.text === 'nil' ? null : this.type(t)));
            const body = this.stmtList(this.named(c).filter((x) => x.type === 'statement_list'));
            cases.push({ types, body });
          }
          const alias = n.childForFieldName('alias');
          return [{ pos, k: 'typeswitch', init: this.one(n.childForFieldName('initializer')), bind: alias ? this.named(alias)[0]!.text : null, x: this.expr(n.childForFieldName('value')!), cases, label }];
        }
        case 'select_statement': {
          this.hasCalls = true;
          const cases: SelectCase[] = [];
          for (const c of this.named(n)) {
            const body = this.stmtList(this.named(c).filter((x) => x.type === 'statement_list'));
            if (c.type === 'default_case') { cases.push({ kind: 'default', ch: null, value: null, lhs: [], define: false, body, pos: this.pos(c) }); continue; }
            if (c.type !== 'communication_case') continue;
            const comm = c.childForFieldName('communication')!;
            if (comm.type === 'send_statement') {
              cases.push({ kind: 'send', ch: this.expr(comm.childForFieldName('channel')!), value: this.expr(comm.childForFieldName('value')!), lhs: [], define: false, body, pos: this.pos(comm) });
            } else {
              const right = comm.type === 'receive_statement' ? comm.childForFieldName('right')! : this.named(comm)[0]!;
              const recvE = right.type === 'unary_expression' ? right : this.named(right)[0];
              const chan = recvE?.type === 'unary_expression' ? recvE.childForFieldName('operand') : null;
              // Only invalid Go gets here (`case x:`); the compiler rejects it, the case is dropped with a note.
              if (!chan) { this.unsupported(comm, 'select case that is neither a send nor a receive'); continue; }
              const lhs = comm.type === 'receive_statement' ? this.named(comm.childForFieldName('left')).map((e) => this.expr(e)) : [];
              const define = comm.type === 'receive_statement' && comm.text.includes(':=');
              cases.push({ kind: 'recv', ch: this.expr(chan), value: null, lhs, define, body, pos: this.pos(comm) });
            }
          }
          return [{ pos, k: 'select', cases, label }];
        }
        case 'go_statement': case 'defer_statement': {
          this.hasCalls = true;
          const call = this.expr(this.named(n)[0]!);
          return [{ pos, k: n.type === 'go_statement' ? 'go' : 'defer', call }];
        }
        case 'return_statement': return [{ pos, k: 'return', values: this.named(this.named(n)[0] ?? null).map((e) => this.expr(e)).concat(this.named(n)[0] && this.named(n)[0]!.type !== 'expression_list' ? [this.expr(this.named(n)[0]!)] : []) }];
        case 'break_statement': return [{ pos, k: 'break', label: this.named(n)[0]?.text ?? null }];
        case 'continue_statement': return [{ pos, k: 'continue', label: this.named(n)[0]?.text ?? null }];
        case 'fallthrough_statement': return [{ pos, k: 'fallthrough' }];
        case 'goto_statement': return [{ pos, k: 'goto', label: this.named(n)[0]!.text }];
        default:
          this.unsupported(n, `statement ${n.type} is not interpreted`);
          return [{ pos, k: 'bad', msg: `statement ${n.type} is not interpreted` }];
      }
    } catch (e) {
      this.unsupported(n, `could not lower ${n.type}: ${(e as Error).message}`);
      return [{ pos, k: 'bad', msg: `could not lower ${n.type}` }];
    }
  }

  forStmt(n: TSNode, label: string | null): Stmt {
    const pos = this.pos(n);
    const saved = this.hasCalls;
    this.hasCalls = false;
    const clause = this.named(n).find((c) => c.type !== 'block') ?? null;
    const bodyNode = n.childForFieldName('body');
    let out: Stmt;
    if (clause && clause.type === 'range_clause') {
      const left = this.named(clause.childForFieldName('left'));
      const x = this.expr(clause.childForFieldName('right')!);
      const body = this.block(bodyNode);
      out = { pos, k: 'range', key: left[0] ? this.expr(left[0]) : null, val: left[1] ? this.expr(left[1]) : null, define: clause.text.includes(':='), x, body, label, tight: !this.hasCalls };
    } else if (clause && clause.type === 'for_clause') {
      const init = this.one(clause.childForFieldName('initializer'));
      const cond = clause.childForFieldName('condition');
      const post = this.one(clause.childForFieldName('update'));
      const body = this.block(bodyNode);
      const perIter = init && init.k === 'assign' && init.define ? init.lhs.flatMap((e) => (e.k === 'ident' ? [e.name] : [])) : [];
      out = { pos, k: 'for', init, cond: cond ? this.expr(cond) : null, post, body, label, tight: !this.hasCalls, perIter };
    } else {
      const body = this.block(bodyNode);
      out = { pos, k: 'for', init: null, cond: clause ? this.expr(clause) : null, post: null, body, label, tight: !this.hasCalls, perIter: [] };
    }
    this.hasCalls = this.hasCalls || saved;
    return out;
  }

  expr(n: TSNode): Expr {
    const pos = this.pos(n);
    const bad = (msg: string): Expr => { this.unsupported(n, msg); return { pos, y: false, k: 'bad', msg }; };
    switch (n.type) {
      case 'parenthesized_expression': return this.expr(this.named(n)[0]!);
      case 'identifier': case 'field_identifier': case 'package_identifier': case 'type_identifier':
        return { pos, y: false, k: 'ident', name: n.text };
      case 'true': return { pos, y: false, k: 'lit', v: true };
      case 'false': return { pos, y: false, k: 'lit', v: false };
      case 'nil': return { pos, y: false, k: 'lit', v: null };
      case 'iota': return { pos, y: false, k: 'ident', name: 'iota' };
      case 'int_literal': { const v = parseIntLit(n.text); return { pos, y: false, k: 'lit', v, exact: Number.isSafeInteger(v) ? [BigInt(v), 1n] : undefined }; }
      case 'float_literal': return { pos, y: false, k: 'lit', v: new GoFloat(Number(n.text.replace(/_/g, ''))), exact: decimalRat(n.text.replace(/_/g, '')) };
      case 'rune_literal': return { pos, y: false, k: 'lit', v: unescape(n.text.slice(1, -1)).codePointAt(0) ?? 0 };
      case 'interpreted_string_literal': return { pos, y: false, k: 'lit', v: unescape(n.text.slice(1, -1)) };
      case 'raw_string_literal': return { pos, y: false, k: 'lit', v: n.text.slice(1, -1).replace(/\r/g, '') };
      case 'imaginary_literal': return bad('complex numbers are not interpreted');
      case 'binary_expression': {
        // Down the left spine without recursion: generated code chains thousands of `+` (time/tzdata's zip data).
        const spine: TSNode[] = [];
        let leftmost: TSNode = n;
        while (leftmost.type === 'binary_expression') { spine.push(leftmost); leftmost = leftmost.childForFieldName('left')!; }
        let acc = this.expr(leftmost);
        for (let i = spine.length - 1; i >= 0; i--) {
          const b = spine[i]!;
          const r = this.expr(b.childForFieldName('right')!);
          const op = b.childForFieldName('operator')!.text;
          const at = i === 0 ? pos : this.pos(b);
          acc = foldConst(op, acc, r, at) ?? { pos: at, y: acc.y || r.y, k: 'bin', op, l: acc, r };
        }
        return acc;
      }
      case 'unary_expression': {
        const op = n.childForFieldName('operator')!.text;
        const x = this.expr(n.childForFieldName('operand')!);
        if (op === '<-') this.hasCalls = true;
        if (op === '-' && x.k === 'lit' && x.exact && x.v instanceof GoFloat) return { pos, y: false, k: 'lit', v: new GoFloat(-x.v.v), exact: [-x.exact[0], x.exact[1]] };
        return { pos, y: x.y || op === '<-', k: 'un', op, x };
      }
      case 'call_expression': {
        const fnNode = n.childForFieldName('function')!;
        let fn = this.expr(fnNode);
        const targs = n.childForFieldName('type_arguments');
        if (targs) fn = { pos: fn.pos, y: fn.y, k: 'inst', x: fn, targs: this.named(targs).map((x) => this.type(x)) };
        const argList = n.childForFieldName('arguments');
        const args: Expr[] = [];
        let spread = false;
        for (let i = 0; argList && i < argList.childCount; i++) {
          const c = argList.child(i)!;
          if (c.type === '...') spread = true;
          else if (c.type === 'variadic_argument') { spread = true; args.push(this.expr(this.named(c)[0]!)); }
          else if (c.isNamed && c.type !== 'comment') args.push(this.isTypeNode(c) ? { pos: this.pos(c), y: false, k: 'type', t: this.type(c) } : this.expr(c));
        }
        const pure = fn.k === 'ident' && PURE_BUILTINS.has(fn.name) || fn.k === 'type';
        if (!pure) this.hasCalls = true;
        return { pos, y: !pure || args.some((a) => a.y), k: 'call', fn, args, spread };
      }
      case 'selector_expression': {
        const x = this.expr(n.childForFieldName('operand')!);
        return { pos, y: x.y, k: 'sel', x, name: n.childForFieldName('field')!.text };
      }
      case 'index_expression': {
        const x = this.expr(n.childForFieldName('operand')!);
        const i = this.expr(n.childForFieldName('index')!);
        return { pos, y: x.y || i.y, k: 'index', x, i };
      }
      case 'slice_expression': {
        const x = this.expr(n.childForFieldName('operand')!);
        const f = (name: string): Expr | null => { const c = n.childForFieldName(name); return c ? this.expr(c) : null; };
        const lo = f('start'), hi = f('end'), max = f('capacity');
        return { pos, y: x.y || !!lo?.y || !!hi?.y || !!max?.y, k: 'slice', x, lo, hi, max };
      }
      case 'composite_literal': {
        const tn = n.childForFieldName('type');
        const elems = this.literalValue(n.childForFieldName('body')!);
        return { pos, y: elems.some((e) => e.val.y || !!e.key?.y), k: 'comp', t: tn ? this.type(tn) : null, elems };
      }
      case 'literal_value': {
        const elems = this.literalValue(n);
        return { pos, y: elems.some((e) => e.val.y), k: 'comp', t: null, elems };
      }
      case 'func_literal': return { pos, y: false, k: 'func', lit: this.funcLit(n) };
      case 'type_assertion_expression': {
        const x = this.expr(n.childForFieldName('operand')!);
        return { pos, y: x.y, k: 'assert', x, t: this.type(n.childForFieldName('type')) };
      }
      case 'type_conversion_expression': {
        const t = this.type(n.childForFieldName('type'));
        const x = this.expr(n.childForFieldName('operand')!);
        if (t.k === 'name' && t.args && this.funcNames.has(t.name)) {
          // Sum[int](x): a call of an instantiated generic function, not a conversion.
          this.hasCalls = true;
          return { pos, y: true, k: 'call', fn: { pos, y: false, k: 'inst', x: { pos, y: false, k: 'ident', name: t.name }, targs: t.args }, args: [x], spread: false };
        }
        return { pos, y: x.y, k: 'call', fn: { pos, y: false, k: 'type', t }, args: [x], spread: false };
      }
      case 'type_instantiation_expression': {
        const [f, ...ts] = this.named(n);
        const x: Expr = f!.type === 'type_identifier' ? { pos, y: false, k: 'ident', name: f!.text } : this.expr(f!);
        return { pos, y: false, k: 'inst', x, targs: ts.map((t) => this.type(t)) };
      }
      case 'generic_type': case 'slice_type': case 'array_type': case 'map_type': case 'pointer_type': case 'channel_type':
      case 'qualified_type': case 'struct_type': case 'interface_type': case 'function_type':
        return { pos, y: false, k: 'type', t: this.type(n) };
      default:
        return bad(`expression ${n.type} is not interpreted`);
    }
  }
  isTypeNode(n: TSNode): boolean {
    return ['slice_type', 'array_type', 'map_type', 'pointer_type', 'channel_type', 'struct_type', 'interface_type', 'function_type', 'qualified_type'].includes(n.type) && n.type !== 'qualified_type';
  }
  literalValue(n: TSNode): Elem[] {
    const out: Elem[] = [];
    for (const c of this.named(n)) {
      if (c.type === 'keyed_element') {
        const k = c.childForFieldName('key')!;
        const v = c.childForFieldName('value')!;
        out.push({ key: this.elemExpr(k), val: this.elemExpr(v) });
      } else if (c.type === 'literal_element') out.push({ key: null, val: this.elemExpr(c) });
      else out.push({ key: null, val: this.expr(c) });
    }
    return out;
  }
  elemExpr(n: TSNode): Expr {
    const inner = n.type === 'literal_element' ? this.named(n)[0]! : n;
    return this.expr(inner);
  }
}

/** A decimal float literal's exact value (1.5e-3 → 15/10000); null for hex floats. */
function decimalRat(t: string): Rat | undefined {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m) return undefined;
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? 0) - frac.length;
  if (Math.abs(exp) > 400) return undefined;
  const digits = BigInt((m[1] ?? '') + frac || '0');
  return exp >= 0 ? [digits * 10n ** BigInt(exp), 1n] : ratNorm(digits, 10n ** BigInt(-exp));
}

function ratNorm(n: bigint, d: bigint): Rat {
  if (d < 0n) { n = -n; d = -d; }
  let a = n < 0n ? -n : n, b = d;
  while (b) [a, b] = [b, a % b];
  return a > 1n ? [n / a, d / a] : [n, d];
}

/** The double nearest a fraction: its first 40 significant digits, read as a decimal. */
function ratToNumber([n, d]: Rat): number {
  if (n === 0n) return 0;
  const neg = n < 0n;
  const a = neg ? -n : n;
  let shift = 40 - (a.toString().length - d.toString().length);
  const q = shift >= 0 ? (a * 10n ** BigInt(shift)) / d : a / (d * 10n ** BigInt(-shift));
  const v = Number(`${q}e${-shift}`);
  return neg ? -v : v;
}

/**
 * Go evaluates constant expressions exactly: two numeric literals, one of them a float, joined by
 * + - * / fold into one float constant (0.1+0.2 prints 0.3, not 0.30000000000000004).
 */
function foldConst(op: string, l: Expr, r: Expr, pos: Pos): Expr | null {
  if (l.k !== 'lit' || r.k !== 'lit' || !l.exact || !r.exact) return null;
  if (!(l.v instanceof GoFloat || r.v instanceof GoFloat)) return null; // integer constants: the runtime's int arithmetic is exact already
  const [a, b] = l.exact, [c, d] = r.exact;
  let x: Rat;
  switch (op) {
    case '+': x = ratNorm(a * d + c * b, b * d); break;
    case '-': x = ratNorm(a * d - c * b, b * d); break;
    case '*': x = ratNorm(a * c, b * d); break;
    case '/': if (c === 0n) return null; x = ratNorm(a * d, b * c); break;
    default: return null;
  }
  return { pos, y: false, k: 'lit', v: new GoFloat(ratToNumber(x)), exact: x };
}

function parseIntLit(t: string): number {
  t = t.replace(/_/g, '');
  if (/^0[0-7]+$/.test(t)) return parseInt(t.slice(1), 8);
  if (/^0[oO]/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[bB]/.test(t)) return parseInt(t.slice(2), 2);
  return Number(t);
}

export function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  const bytes: number[] = [];
  const flush = (): void => { if (bytes.length) { out += new TextDecoder().decode(Uint8Array.from(bytes)); bytes.length = 0; } };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') { flush(); out += c; continue; }
    const e = s[++i]!;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"' };
    if (e in simple) { flush(); out += simple[e]; continue; }
    if (e === 'x') { bytes.push(parseInt(s.substr(i + 1, 2), 16)); i += 2; continue; }
    if (e >= '0' && e <= '7') { bytes.push(parseInt(s.substr(i, 3), 8)); i += 2; continue; }
    if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      flush();
      const cp = parseInt(s.substr(i + 1, len), 16);
      out += Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp < 0xe000) ? String.fromCodePoint(cp) : '\ufffd';
      i += len;
      continue;
    }
    flush();
    out += e;
  }
  flush();
  return out;
}
