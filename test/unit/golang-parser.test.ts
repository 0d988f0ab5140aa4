// Loading tree-sitter-go, parsing, and incremental re-parsing after editor changes.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GoDocument,
  goLanguage,
  initGoParser,
  isGoParserReady,
  parseGo,
  reparse,
  sourceOf,
  type TextEdit,
  type Tree,
} from '../../src/core/golang/parser';

const root = join(__dirname, '..', '..');
const runtimeWasm = join(root, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm');
const goWasm = join(root, 'node_modules', 'tree-sitter-go', 'tree-sitter-go.wasm');

const SAMPLE = `package main

import (
	"fmt"
	"os"
)

// héllo 😀: non-ASCII text shifts UTF-16 columns
func main() {
	ch := make(chan int, 3)
	go func() { ch <- 1 }()
	data, _ := os.ReadFile("x")
	fmt.Println(<-ch, len(data), "😀😀")
}
`;

/** A deterministic pseudo-random generator (tests must be reproducible). */
function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s % n;
  };
}

function sameTree(a: Tree, b: Tree): boolean {
  return a.rootNode.toString() === b.rootNode.toString();
}

describe('Go parser (tree-sitter-go through web-tree-sitter)', function () {
  before(async function () {
    await initGoParser({ runtimeWasm: readFileSync(runtimeWasm), goWasm: readFileSync(goWasm) });
  });

  describe('loading', function () {
    it('loads once: later calls resolve to the same grammar (ABI 15)', async function () {
      assert.ok(isGoParserReady());
      const again = await initGoParser({ runtimeWasm: readFileSync(runtimeWasm), goWasm: readFileSync(goWasm) });
      assert.equal(again, goLanguage());
      assert.equal(goLanguage().abiVersion, 15);
    });

    it('a missing runtime or grammar wasm is a clear GoParserLoadError (fresh process, as the extension starts)', function () {
      this.timeout(30000);
      const dir = mkdtempSync(join(tmpdir(), 'gmp-parser-'));
      try {
        const script = join(dir, 'load.ts');
        const parser = join(root, 'src', 'core', 'golang', 'parser.ts');
        writeFileSync(
          script,
          `import { readFileSync } from 'node:fs';
import { initGoParser, GoParserLoadError } from ${JSON.stringify(parser)};
const which = process.argv[2];
const wasm = which === 'runtime'
  ? { runtimeWasm: (name: string) => ${JSON.stringify(dir)} + '/' + name, goWasm: readFileSync(${JSON.stringify(goWasm)}) }
  : { runtimeWasm: readFileSync(${JSON.stringify(runtimeWasm)}), goWasm: ${JSON.stringify(dir)} + '/tree-sitter-go.wasm' };
initGoParser(wasm).then(
  () => console.log('LOADED'),
  (e) => console.log(e instanceof GoParserLoadError ? 'ERROR ' + e.message : 'OTHER ' + e),
);
`,
        );
        for (const which of ['runtime', 'grammar']) {
          const r = spawnSync(process.execPath, ['--import', 'tsx', script, which], { cwd: root, encoding: 'utf8' });
          const out = r.stdout.trim();
          assert.match(out, /^ERROR /, `${which}: ${out} ${r.stderr}`);
          assert.match(out, which === 'runtime' ? /web-tree-sitter\.wasm/ : /tree-sitter-go\.wasm/);
          assert.match(out, /ENOENT|no such file/i, out);
          assert.match(out, /npm run build/);
          assert.doesNotMatch(r.stderr, /Aborted|failed to asynchronously prepare wasm/, 'emscripten noise is folded into the error');
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('parsing', function () {
    it('parses Go into the expected node shapes and remembers the source text', function () {
      const tree = parseGo(SAMPLE);
      try {
        assert.equal(sourceOf(tree), SAMPLE);
        assert.equal(tree.rootNode.hasError, false);
        const types = tree.rootNode.descendantsOfType(['go_statement', 'send_statement', 'unary_expression', 'channel_type']);
        assert.deepEqual(
          types.map((n) => n.type),
          ['channel_type', 'go_statement', 'send_statement', 'unary_expression'],
        );
        const go = types[1];
        // Positions are UTF-16 code units, like VS Code's.
        assert.deepEqual(go.startPosition, { row: 10, column: 1 });
        assert.equal(go.startIndex, SAMPLE.indexOf('go func'));
      } finally {
        tree.delete();
      }
    });
  });

  describe('incremental re-parse', function () {
    it('after random single edits equals a full parse of the new text', function () {
      const rand = rng(7);
      const inserts = ['x', '\n', '}', '{', '"', '😀', 'go f()\n', '\r\n', '', 'é', '/*', '*/', 'ch <- 1'];
      let text = SAMPLE;
      let tree = parseGo(text);
      try {
        for (let i = 0; i < 300; i++) {
          const offset = rand(text.length + 1);
          const length = Math.min(rand(8), text.length - offset);
          const insert = inserts[rand(inserts.length)];
          const next = text.slice(0, offset) + insert + text.slice(offset + length);
          tree = reparse(tree, next, [{ rangeOffset: offset, rangeLength: length, text: insert }]);
          text = next;
          const full = parseGo(text);
          assert.ok(sameTree(tree, full), `edit ${i}: incremental and full parse differ`);
          full.delete();
          assert.equal(sourceOf(tree), text);
        }
      } finally {
        tree.delete();
      }
    });

    it('applies the changes of one event in order (VS Code lists multi-cursor edits bottom-up)', function () {
      const text = SAMPLE;
      // Rename `ch` at three places in one event; VS Code reports the changes from the end of the file up.
      const offsets: number[] = [];
      for (let i = text.indexOf('ch'); i !== -1; i = text.indexOf('ch', i + 1)) offsets.push(i);
      const edits: TextEdit[] = offsets
        .slice(0, 3)
        .reverse()
        .map((o) => ({ rangeOffset: o, rangeLength: 2, text: 'channel' }));
      let expected = text;
      for (const e of edits) expected = expected.slice(0, e.rangeOffset) + e.text + expected.slice(e.rangeOffset + e.rangeLength);
      const tree = reparse(parseGo(text), expected, edits);
      const full = parseGo(expected);
      try {
        assert.ok(sameTree(tree, full));
        assert.equal(sourceOf(tree), expected);
      } finally {
        tree.delete();
        full.delete();
      }
    });

    it('edits that do not produce the new text fall back to a full parse (a lost event costs time, not correctness)', function () {
      const wrong: TextEdit[] = [{ rangeOffset: 0, rangeLength: 0, text: '// not what happened\n' }];
      const next = SAMPLE.replace('make(chan int, 3)', 'make(chan string)');
      const tree = reparse(parseGo(SAMPLE), next, wrong);
      const full = parseGo(next);
      try {
        assert.ok(sameTree(tree, full));
      } finally {
        tree.delete();
        full.delete();
      }
      const outOfRange = reparse(parseGo(SAMPLE), SAMPLE, [{ rangeOffset: SAMPLE.length + 5, rangeLength: 3, text: '' }]);
      outOfRange.delete();
    });

    it('GoDocument keeps one live tree per file through updates and replacements', function () {
      const doc = new GoDocument(SAMPLE);
      try {
        const at = SAMPLE.indexOf('3)');
        const next = SAMPLE.slice(0, at) + '16' + SAMPLE.slice(at + 1);
        doc.update(next, [{ rangeOffset: at, rangeLength: 1, text: '16' }]);
        assert.equal(doc.text, next);
        assert.match(doc.tree.rootNode.toString(), /int_literal/);
        doc.replace('package main\n');
        assert.equal(doc.tree.rootNode.namedChildCount, 1);
      } finally {
        doc.dispose();
      }
    });

    it('old trees are freed: 60 full re-parses of a 3 600-line file do not grow wasm memory (~1.6 MB per tree)', function () {
      this.timeout(60000);
      const base = readFileSync(join(root, 'test', 'fixtures', 'facts', 'basics.go'), 'utf8');
      const text = Array.from({ length: 50 }, (_, i) => base.replace(/func (\w+)\(/g, `func $1_${i}(`).replace(/^package main\n/m, i ? '' : 'package main\n')).join('\n');
      const doc = new GoDocument(text);
      const before = process.memoryUsage().external + process.memoryUsage().arrayBuffers;
      for (let i = 0; i < 60; i++) doc.replace(`${text}\n// ${i}\n`);
      doc.dispose();
      const grown = process.memoryUsage().external + process.memoryUsage().arrayBuffers - before;
      assert.ok(grown < 32 * 1024 * 1024, `wasm/external memory grew by ${(grown / 1048576).toFixed(1)} MB`);
    });
  });
});
