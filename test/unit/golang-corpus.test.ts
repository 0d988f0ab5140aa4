// Robustness and cost on a large real corpus: the Go standard library's sync, net/http and os
// packages (thousands of files' worth of real code, tests included). Skipped, with a note, where the
// Go source is not installed (CI installs golang-go; `go env GOROOT` says where its source is).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFacts, FactsCache, type Facts } from '../../src/core/golang/facts';
import { initGoParser, parseGo, reparse } from '../../src/core/golang/parser';
import { lowerProgram } from '../../src/core/golang/interp/lower';

const root = join(__dirname, '..', '..');
const GOROOT_SRC = process.env.GOROOT_SRC ?? join(spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout?.trim() || '.', 'src');
const DIRS = ['sync', 'net/http', 'os'];

function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...goFiles(full));
    else if (e.name.endsWith('.go')) out.push(full);
  }
  return out.sort();
}

describe('Go facts on the standard library corpus', function () {
  this.timeout(120000);
  const dirs = DIRS.map((d) => join(GOROOT_SRC, d));
  const present = dirs.filter((d) => existsSync(d));
  const facts = new Map<string, Facts>();

  before(async function () {
    if (present.length === 0) {
      console.log(`      (skipped: no Go source under ${GOROOT_SRC}; install golang-go or set GOROOT_SRC)`);
      this.skip();
    }
    const missing = dirs.filter((d) => !existsSync(d));
    if (missing.length > 0) console.log(`      (skipped missing directories: ${missing.join(', ')})`);
    await initGoParser({
      runtimeWasm: readFileSync(join(root, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm')),
      goWasm: readFileSync(join(root, 'node_modules', 'tree-sitter-go', 'tree-sitter-go.wasm')),
    });
  });

  it('parses every file and extracts facts without an exception', function () {
    const files = present.flatMap(goFiles);
    assert.ok(files.length > 100, `${files.length} files`);
    // Warm up once so the figures below are those of a running extension, not of JIT start-up.
    for (const file of files.slice(0, 20)) {
      const t = parseGo(readFileSync(file, 'utf8'));
      extractFacts(t);
      t.delete();
    }
    let lines = 0;
    let parseMs = 0;
    let factsMs = 0;
    let count = 0;
    const failures: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      lines += text.split('\n').length;
      const t0 = performance.now();
      const tree = parseGo(text);
      const t1 = performance.now();
      try {
        const f = extractFacts(tree);
        factsMs += performance.now() - t1;
        facts.set(file.slice(GOROOT_SRC.length + 1), f);
        count += f.calls.length + f.goStmts.length + f.loops.length + f.sends.length + f.recvs.length;
      } catch (e) {
        failures.push(`${file}: ${(e as Error).stack}`);
      } finally {
        parseMs += t1 - t0;
        tree.delete();
      }
    }
    assert.deepEqual(failures, []);
    const perK = (ms: number): string => ((ms / lines) * 1000).toFixed(2);
    console.log(
      `      corpus: ${files.length} files, ${lines} lines, ${count} facts; ` +
        `parse ${parseMs.toFixed(0)} ms (${perK(parseMs)} ms/1k lines), ` +
        `facts ${factsMs.toFixed(0)} ms (${perK(factsMs)} ms/1k lines)`,
    );
  });

  it('extracts facts from and lowers every .go file of the standard library (all of GOROOT/src, testdata included) without an exception', function () {
    this.timeout(600_000); // about a minute on two busy cores
    const files = goFiles(GOROOT_SRC);
    assert.ok(files.length > 1000, `${files.length} files`);
    let lines = 0;
    let factsMs = 0;
    let lowerMs = 0;
    let notes = 0;
    const internal: string[] = [];
    const failures: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      lines += text.split('\n').length;
      const tree = parseGo(text);
      try {
        const t0 = performance.now();
        extractFacts(tree);
        const t1 = performance.now();
        const program = lowerProgram(tree.rootNode);
        lowerMs += performance.now() - t1;
        factsMs += t1 - t0;
        notes += program.unsupported.length;
        // Unsupported syntax is a note; a lowering bug caught on the way ("could not lower …") is not.
        for (const u of program.unsupported) if (/^could not lower/.test(u.msg)) internal.push(`${file}:${u.pos.line}: ${u.msg}`);
      } catch (e) {
        failures.push(`${file}: ${(e as Error).stack}`);
      } finally {
        tree.delete();
      }
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(internal, []);
    console.log(
      `      whole standard library: ${files.length} files, ${lines} lines; facts ${factsMs.toFixed(0)} ms, ` +
        `lowering ${lowerMs.toFixed(0)} ms, ${notes} notes on unsupported constructs`,
    );
  });

  it('finds what is known to be there', function () {
    if (facts.size === 0) this.skip();
    const server = facts.get('net/http/server.go');
    if (server) {
      // func (srv *Server) Serve(l net.Listener) error { … rw, err := l.Accept() … go c.serve(connCtx) }
      assert.ok(server.goStmts.some((g) => g.callee === 'c.serve' && g.target === 'conn.serve' && g.inLoop));
      const accept = server.calls.find((c) => c.catalogId === 'net.Listener.Accept' && c.receiver === 'l');
      assert.ok(accept, 'l.Accept() in Server.Serve');
      assert.equal(accept.kind, 'netio');
      assert.equal(accept.fn, 'Server.Serve');
      assert.ok(accept.inLoop);
      assert.ok(server.functions.some((f) => f.name === 'serve' && f.receiver?.type === '*conn' && f.isGoroutine));
    }
    const transport = facts.get('net/http/transport.go');
    if (transport) {
      assert.ok(transport.goStmts.some((g) => g.callee === 'pconn.readLoop'));
      assert.ok(transport.goStmts.some((g) => g.callee === 'pconn.writeLoop'));
      assert.ok(transport.selects.length > 10);
    }
    const exec = facts.get('os/exec/exec.go');
    if (exec) {
      // c.Process.Wait() waits for the child: a thread blocked in wait4.
      assert.ok(exec.calls.some((c) => c.catalogId === 'os.Process.Wait' && c.kind === 'blocking-syscall'));
    }
    const onceTest = facts.get('sync/once_test.go');
    if (onceTest) assert.ok(onceTest.calls.some((c) => c.catalogId === 'sync.Once.Do' && c.receiverType === 'Once'));
    const wgTest = facts.get('sync/waitgroup_test.go');
    if (wgTest) {
      assert.ok(wgTest.calls.some((c) => c.catalogId === 'sync.WaitGroup.Wait'));
      assert.ok(wgTest.goStmts.length > 3);
    }
  });

  it('stays cheap after a one-line edit (incremental re-parse + cached facts)', function () {
    const file = ['net/http/h2_bundle.go', 'net/http/server.go'].map((f) => join(GOROOT_SRC, f)).find(existsSync);
    if (!file) this.skip();
    const original = readFileSync(file, 'utf8');
    const lines = original.split('\n').length;
    const cold0 = performance.now();
    const coldTree = parseGo(original);
    const cold1 = performance.now();
    extractFacts(coldTree);
    const cold2 = performance.now();
    coldTree.delete();
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const report: string[] = [];
    // A space keeps the code valid; a letter at the start of a statement breaks it (as while typing).
    for (const [what, insert] of [
      ['a space', ' '],
      ['a letter', 'x'],
    ] as const) {
      let text = original;
      const cache = new FactsCache();
      let tree = parseGo(text);
      extractFacts(tree, { cache });
      const reparseMs: number[] = [];
      const factsMs: number[] = [];
      for (let i = 0; i < 60; i++) {
        const at = text.indexOf('\n\t', Math.floor((text.length * (i + 1)) / 62)) + 2;
        const next = text.slice(0, at) + insert + text.slice(at);
        const t0 = performance.now();
        tree = reparse(tree, next, [{ rangeOffset: at, rangeLength: 0, text: insert }]);
        const t1 = performance.now();
        const f = extractFacts(tree, { cache });
        const t2 = performance.now();
        assert.ok(f.stats.reusedDeclarations > 0);
        reparseMs.push(t1 - t0);
        factsMs.push(t2 - t1);
        text = next;
      }
      tree.delete();
      report.push(`${what}: reparse ${median(reparseMs).toFixed(2)} ms + facts ${median(factsMs).toFixed(2)} ms`);
    }
    console.log(
      `      ${file.slice(GOROOT_SRC.length + 1)} (${lines} lines): full parse ${(cold1 - cold0).toFixed(1)} ms + facts ` +
        `${(cold2 - cold1).toFixed(1)} ms; typing (median of 60 one-character edits) ${report.join('; ')}`,
    );
  });
});
