// Facts from Go source. Fixtures in test/fixtures/facts/*.go carry their expectations in comments:
//
//   go worker(ch)              // want-fact: go-stmt callee=worker
//   data, _ := os.ReadFile(p)  // want-fact: blocking-syscall os.ReadFile loop=false
//   x := C.int(3)              // want-no-fact: cgo
//
// `want-fact: <kind> [<subject>] [key=value…]` asks for a fact of that kind starting on that line,
// with that subject (catalog id, channel, loop kind…) and those attributes (see describeFact; quote
// values with spaces). Several `want-fact:` may share a line. Every blocking-syscall, netio and cgo
// fact must be asked for: an unexpected one on a line without a want-fact of its kind fails.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allFacts, describeFact, extractFacts, FactsCache, type Fact, type Facts } from '../../src/core/golang/facts';
import { initGoParser, parseGo, reparse, type Tree } from '../../src/core/golang/parser';

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'facts');

async function loadParser(): Promise<void> {
  await initGoParser({
    runtimeWasm: readFileSync(join(root, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm')),
    goWasm: readFileSync(join(root, 'node_modules', 'tree-sitter-go', 'tree-sitter-go.wasm')),
  });
}

function factsOf(text: string, cache?: FactsCache): Facts {
  const tree = parseGo(text);
  try {
    return extractFacts(tree, { cache });
  } finally {
    tree.delete();
  }
}

interface Want {
  readonly line: number;
  readonly kind: string;
  readonly subject: string | null;
  readonly attrs: Record<string, string>;
  readonly negative: boolean;
  readonly spec: string;
}

/** Splits `a b="c d" e=f` into tokens, keeping quoted values whole. */
function tokens(spec: string): string[] {
  const out: string[] = [];
  for (const m of spec.matchAll(/(?:[^\s"]+="[^"]*"|"[^"]*"|[^\s"]+)/g)) out.push(m[0]);
  return out;
}

function parseWants(text: string): Want[] {
  const wants: Want[] = [];
  text.split('\n').forEach((lineText, line) => {
    for (const m of lineText.matchAll(/want-(no-)?fact:\s*((?:(?!want-(?:no-)?fact:).)*)/g)) {
      const spec = m[2].replace(/\/\/\s*$/, '').trim();
      const [kind, ...rest] = tokens(spec);
      let subject: string | null = null;
      const attrs: Record<string, string> = {};
      for (const t of rest) {
        const eq = t.indexOf('=');
        if (eq === -1 || t.startsWith('"')) subject = t.replace(/^"(.*)"$/, '$1');
        else attrs[t.slice(0, eq)] = t.slice(eq + 1).replace(/^"(.*)"$/, '$1');
      }
      wants.push({ line, kind, subject, attrs, negative: m[1] !== undefined, spec });
    }
  });
  return wants;
}

function show(f: Fact): string {
  const d = describeFact(f);
  return `${d.kind}${d.subject ? ' ' + d.subject : ''} ${Object.entries(d.attrs)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;
}

function matches(f: Fact, w: Want): boolean {
  const d = describeFact(f);
  if (d.kind !== w.kind) return false;
  if (w.subject !== null && d.subject !== w.subject) return false;
  return Object.entries(w.attrs).every(([k, v]) => d.attrs[k] === v);
}

/** Checks a fixture; returns the problems found (empty = pass). */
function checkFixture(text: string, facts: Facts): string[] {
  const problems: string[] = [];
  const all = allFacts(facts);
  const wants = parseWants(text);
  for (const w of wants) {
    const onLine = all.filter((f) => f.range.start.line === w.line);
    const hit = onLine.some((f) => matches(f, w));
    if (w.negative ? hit : !hit) {
      problems.push(
        `line ${w.line + 1}: ${w.negative ? 'unexpected' : 'missing'} ${w.spec}\n      facts on this line: ${
          onLine.map(show).join('\n                         ') || '(none)'
        }`,
      );
    }
  }
  const strict = new Set(['blocking-syscall', 'netio', 'cgo']);
  for (const f of all) {
    if (!strict.has(f.kind)) continue;
    const asked = wants.some((w) => !w.negative && w.line === f.range.start.line && w.kind === f.kind);
    if (!asked) problems.push(`line ${f.range.start.line + 1}: unexpected ${show(f)}`);
  }
  return problems;
}

describe('Go facts', function () {
  before(loadParser);

  describe('fixtures (test/fixtures/facts/*.go, expectations in want-fact comments)', function () {
    const files = readdirSync(fixtures).filter((f) => f.endsWith('.go'));
    it('has fixtures', function () {
      assert.ok(files.length >= 8, `only ${files.length} fixtures`);
    });
    for (const file of files) {
      it(file, function () {
        const text = readFileSync(join(fixtures, file), 'utf8');
        assert.ok(parseWants(text).length > 0, 'fixture has no want-fact comments');
        const problems = checkFixture(text, factsOf(text));
        assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
      });
    }
  });

  describe('ranges', function () {
    it('are 0-based UTF-16 line/column, end exclusive, for the go keyword, the call and the statement', function () {
      const text = 'package main\n\nfunc main() {\n\ts := "é😀"; go work(s)\n}\n\nfunc work(string) {}\n';
      const f = factsOf(text);
      assert.equal(f.goStmts.length, 1);
      const g = f.goStmts[0];
      const col = '\ts := "é😀"; '.length; // the emoji is two UTF-16 code units
      assert.deepEqual(g.goRange, { start: { line: 3, col }, end: { line: 3, col: col + 2 } });
      assert.deepEqual(g.callRange, { start: { line: 3, col: col + 3 }, end: { line: 3, col: col + 3 + 'work(s)'.length } });
      assert.deepEqual(g.range.start, g.goRange.start);
      const main = f.functions.find((fn) => fn.name === 'main')!;
      assert.deepEqual(main.range, { start: { line: 2, col: 0 }, end: { line: 4, col: 1 } });
      assert.deepEqual(main.nameRange, { start: { line: 2, col: 5 }, end: { line: 2, col: 9 } });
    });

    it('a loop header ends before its body', function () {
      const f = factsOf('package main\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t}\n}\n');
      assert.deepEqual(f.loops[0].headerRange, { start: { line: 2, col: 1 }, end: { line: 2, col: 23 } });
    });
  });

  describe('half-typed code', function () {
    it('an unclosed brace: facts before and after the error are still found', function () {
      const text = [
        'package main',
        'import "os"',
        'func main() {',
        '\tgo worker()',
        '\tos.ReadFile("a")',
        '\tif x := 1; x > 0 {', // never closed
        '\t\tos.Remove("b")',
        '}',
        '',
        'func worker() {',
        '\tch := make(chan int, 3)',
        '\tch <- 1',
        '}',
      ].join('\n');
      const f = factsOf(text);
      assert.ok(f.errors.length > 0, 'the parser reports the error');
      assert.ok(f.goStmts.some((g) => g.callee === 'worker' && g.range.start.line === 3));
      const ids = f.calls.map((c) => `${c.catalogId}@${c.range.start.line}`);
      assert.ok(ids.includes('os.ReadFile@4'), ids.join());
      assert.ok(ids.includes('os.Remove@6'), ids.join());
      assert.ok(f.makeChans.some((m) => m.bufferSize === 3 && m.range.start.line === 10));
      assert.ok(f.sends.some((s) => s.channel === 'ch' && s.range.start.line === 11));
    });

    it('a missing paren: facts before the error and in the rest of the file are still found', function () {
      const text = [
        'package main',
        'import ("os"; "time")',
        'func main() {',
        '\tos.ReadFile("before")',
        '\tos.Stat("x"', // the call is never closed: tree-sitter swallows what follows into an ERROR
        '\ttime.Sleep(time.Second)',
        '}',
        'func later() { os.Chdir("/"); go worker() }',
        'func worker() { ch := make(chan int); <-ch }',
      ].join('\n');
      const f = factsOf(text);
      assert.ok(f.errors.length > 0);
      const ids = f.calls.map((c) => `${c.catalogId}@${c.range.start.line}`);
      assert.ok(ids.includes('os.ReadFile@3'), ids.join());
      assert.ok(ids.includes('os.Chdir@7'), ids.join());
      assert.deepEqual(
        f.goStmts.map((g) => [g.callee, g.target, g.range.start.line]),
        [['worker', 'worker', 7]],
      );
      assert.ok(f.recvs.some((r) => r.channel === 'ch' && r.inGoroutine));
    });

    it('an unterminated string swallows the rest, but the facts before it remain', function () {
      const text = 'package main\nimport "os"\nfunc a() { os.Open("x") }\nfunc b() { s := "oops\n\tos.Remove("z")\n}\n';
      const f = factsOf(text);
      assert.ok(f.calls.some((c) => c.catalogId === 'os.Open' && c.range.start.line === 2));
    });

    it('keyword soup and stray tokens do not throw', function () {
      for (const text of [
        '',
        'package',
        'package main\nfunc',
        'package main\nfunc main() { go }',
        'package main\nfunc main() { select { case } }',
        'package main\nfunc main() { for range }',
        'package main\nfunc main() { make(chan) ; close() ; <- ; x <- }',
        'package main\nimport "C"\nfunc main() { C. }',
        'package main\nfunc (\n',
        'package main\ntype T struct { sync.Mutex; mu }\nfunc (t *T) f() { t.Lock(); t.mu.Lock() }',
        '}}}}{{{{',
      ]) {
        assert.doesNotThrow(() => factsOf(text), text);
      }
    });
  });

  describe('import aliases', function () {
    it('an alias, a dot import and a shadowing variable', function () {
      const text = [
        'package main',
        'import (',
        '\tf "os"',
        '\t. "time"',
        '\tnethttp "net/http"',
        ')',
        'func main() {',
        '\tf.ReadFile("a")',
        '\tSleep(Millisecond * 5)',
        '\tnethttp.Get("http://x")',
        '\tos := struct{ ReadFile func(string) }{}',
        '\tos.ReadFile("not the os package")',
        '\t{ f := fakeFS{}; f.ReadFile("shadowed") }',
        '}',
        'type fakeFS struct{}',
        'func (fakeFS) ReadFile(string) {}',
      ].join('\n');
      const f = factsOf(text);
      const calls = f.calls.map((c) => `${c.range.start.line}:${c.catalogId}`);
      assert.deepEqual(calls, ['7:os.ReadFile', '8:time.Sleep', '9:net/http.Get']);
      assert.equal(f.calls[1].durationNs, 5e6);
      assert.deepEqual(
        f.imports.map((i) => [i.path, i.name, i.alias]),
        [
          ['os', 'f', 'f'],
          ['time', '.', '.'],
          ['net/http', 'nethttp', 'nethttp'],
        ],
      );
    });
  });

  describe('cgo', function () {
    it('C.int(x) is a conversion, C.sleep(1) a call into C; preamble typedefs are types', function () {
      const text = [
        'package main',
        '',
        '// #include <unistd.h>',
        '// typedef unsigned long long ticks;',
        'import "C"',
        '',
        'func main() {',
        '\tn := C.int(3)',
        '\tt := C.ticks(n)',
        '\tC.sleep(1)',
        '\tC.usleep(C.useconds_t(500))',
        '\tC.compute(n, t)',
        '\t_ = C.GoString(nil)',
        '}',
      ].join('\n');
      const f = factsOf(text);
      assert.deepEqual(f.cgo, { alias: 'C', typedefs: ['ticks'] });
      const calls = f.calls.map((c) => `${c.range.start.line}:${c.kind}:${c.catalogId}:${c.durationNs ?? ''}`);
      assert.deepEqual(calls, ['9:cgo:C.sleep:1000000000', '10:cgo:C.usleep:500000', '11:cgo:C.*:']);
    });
  });

  describe('incremental', function () {
    // Compared with facts extracted without a cache from the same tree: after an edit inside an error,
    // tree-sitter's incremental tree may legitimately differ from a fresh parse, and facts follow the tree.
    it('facts after edits with a cache equal facts extracted afresh, and unchanged declarations are reused', function () {
      const files = readdirSync(fixtures).filter((f) => f.endsWith('.go'));
      let rng = 12345;
      const rand = (n: number): number => {
        rng = (rng * 1103515245 + 12345) & 0x7fffffff;
        return rng % n;
      };
      const snippets = ['\n', 'go f()\n', '}', '{', '"', 'os.ReadFile("x")\n', 'ch <- 1\n', '', '(', 'for {}\n', '😀', '\n\n\n', 'const size = 3\n', 'import x "os"\n', 'func g() { go main() }\n'];
      let reused = 0;
      for (const file of files) {
        let text = readFileSync(join(fixtures, file), 'utf8');
        const cache = new FactsCache();
        let tree: Tree = parseGo(text);
        extractFacts(tree, { cache });
        for (let step = 0; step < 40; step++) {
          const offset = rand(text.length + 1);
          // Mostly keystrokes; now and then a cut of a few lines.
          const length = Math.min(rand(4) === 0 ? rand(120) : rand(6), text.length - offset);
          const insert = snippets[rand(snippets.length)];
          const next = text.slice(0, offset) + insert + text.slice(offset + length);
          tree = reparse(tree, next, [{ rangeOffset: offset, rangeLength: length, text: insert }]);
          text = next;
          const incremental = extractFacts(tree, { cache });
          reused += incremental.stats.reusedDeclarations;
          const fresh = extractFacts(tree);
          assert.deepEqual(strip(incremental), strip(fresh), `${file} after step ${step}`);
        }
        tree.delete();
      }
      assert.ok(reused > 0, 'the cache reused declarations');
    });

    it('a package-level change reaches the functions that depend on it through other names, and only those', function () {
      const base = [
        'package main',
        'import "sync"',
        'const base = 2',
        'const size = base * 4',
        'type inner struct{ mu sync.Mutex }',
        'type outer struct{ in inner }',
        'type waiter interface{ Wait() }',
        'var shared = newPool()',
        'func newPool() *pool { return nil }',
        'type pool struct{ wg sync.WaitGroup }',
        'func (p *pool) run() { p.wg.Wait() }',
        'func useSize() { ch := make(chan int, size); ch <- 1 }',
        'func useOuter(o *outer) { o.in.mu.Lock() }',
        'func useShared() { shared.wg.Wait() }',
        'func useMethod(x interface{ run() }) { x.run() }',
        'func unrelated() { go useSize() }',
      ].join('\n');
      const steps: [string, string, string[]][] = [
        // [from, to, functions that must be re-analysed (the others are reused)]
        ['const base = 2', 'const base = 3', ['useSize']],
        ['mu sync.Mutex', 'mu sync.RWMutex', ['useOuter']],
        ['func newPool() *pool', 'func newPool() *inner', ['newPool', 'run', 'useSize', 'useOuter', 'useShared', 'useMethod', 'unrelated']],
        ['func (p *pool) run()', 'func (p *pool) run2()', ['run']],
        ['type waiter interface{ Wait() }', 'type waiter2 interface{ Wait() }', []],
      ];
      const cache = new FactsCache();
      let text = base;
      let tree = parseGo(text);
      extractFacts(tree, { cache });
      for (const [from, to, redone] of steps) {
        const at = text.indexOf(from);
        const next = text.slice(0, at) + to + text.slice(at + from.length);
        tree = reparse(tree, next, [{ rangeOffset: at, rangeLength: from.length, text: to }]);
        text = next;
        const incremental = extractFacts(tree, { cache });
        assert.deepEqual(strip(incremental), strip(factsOf(text)), `after ${to}`);
        const functions = incremental.functions.length;
        assert.equal(incremental.stats.reusedFunctionFacts, functions - redone.length, `after ${to}: ${redone.join(', ') || 'nothing'} re-analysed`);
      }
      const last = extractFacts(tree, { cache });
      assert.equal(last.makeChans[0].bufferSize, 12, 'size = base * 4 with base = 3');
      assert.ok(last.calls.some((c) => c.callee === 'o.in.mu.Lock' && c.receiverType === 'RWMutex'), JSON.stringify(last.calls.map((c) => [c.callee, c.receiverType])));
      tree.delete();
    });

    it('a change at package level (a constant, an import alias, a signature) reaches unchanged functions', function () {
      const base = [
        'package main',
        'import f "os"',
        'const size = 4',
        'type pool struct{ mu lock }',
        'type lock = struct{}',
        'func main() {',
        '\tch := make(chan int, size)',
        '\tf.ReadFile("x")',
        '\tgo worker(ch)',
        '}',
        'func worker(ch chan int) { ch <- 1 }',
      ].join('\n');
      const steps: [string, string][] = [
        ['const size = 4', 'const size = 16'],
        ['import f "os"', 'import f "io/ioutil"'],
        ['func worker(ch chan int) { ch <- 1 }', 'func worker(ch chan int) { ch <- 2 }'],
        ['func worker(ch chan int)', 'func worker2(ch chan int)'],
        ['type lock = struct{}', 'type lock = sync.Mutex'],
        ['package main', 'package lib'],
      ];
      const cache = new FactsCache();
      let text = base;
      let tree = parseGo(text);
      extractFacts(tree, { cache });
      for (const [from, to] of steps) {
        const at = text.indexOf(from);
        const next = text.slice(0, at) + to + text.slice(at + from.length);
        tree = reparse(tree, next, [{ rangeOffset: at, rangeLength: from.length, text: to }]);
        text = next;
        assert.deepEqual(strip(extractFacts(tree, { cache })), strip(factsOf(text)), `after ${to}`);
      }
      const last = extractFacts(tree, { cache });
      assert.equal(last.makeChans[0].bufferSize, 16);
      assert.equal(last.calls.find((c) => c.callee === 'f.ReadFile')?.catalogId, 'io/ioutil.ReadFile');
      assert.equal(last.goStmts[0].target, null, 'worker was renamed');
      assert.equal(last.functions.find((fn) => fn.name === 'main')?.isMain, false, 'package lib has no main');
      tree.delete();
    });
  });
});

function strip(f: Facts): unknown {
  const { stats: _stats, ...rest } = f;
  return JSON.parse(JSON.stringify(rest));
}
