// Incremental facts across several re-parses and multi-edit change events: declarations are reused
// by position when the tree descends from the cache's last build (parser.ts records how), and the
// facts must be exactly those of a fresh extraction.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extractFacts, FactsCache, type Facts } from '../../src/core/golang/facts';
import { parseGo, reparse, type TextEdit, type Tree } from '../../src/core/golang/parser';
import { loadParser } from './interp-helpers';

const fixtures = join(resolve(__dirname, '../..'), 'test', 'fixtures', 'facts');

function strip(f: Facts): unknown {
  const { stats: _stats, ...rest } = f;
  return JSON.parse(JSON.stringify(rest));
}

/** Applies VS Code-style edits (each relative to the text the previous one produced). */
function apply(text: string, edits: TextEdit[]): string {
  for (const e of edits) text = text.slice(0, e.rangeOffset) + e.text + text.slice(e.rangeOffset + e.rangeLength);
  return text;
}

describe('incremental facts across re-parses', function () {
  this.timeout(120_000);
  before(() => loadParser());

  it('facts extracted every few change events, some with several edits, equal a fresh extraction', () => {
    let rng = 777;
    const rand = (n: number): number => {
      rng = (rng * 1103515245 + 12345) & 0x7fffffff;
      return rng % n;
    };
    const snippets = ['\n', 'x', ' ', 'go f()\n', '}', '{', '"', 'ch <- 1\n', '', '(', 'for {}\n', 'const k = 2\n', 'func h() { select {} }\n'];
    let reused = 0;
    for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.go'))) {
      let text = readFileSync(join(fixtures, file), 'utf8');
      const cache = new FactsCache();
      let tree: Tree = parseGo(text);
      extractFacts(tree, { cache });
      for (let step = 0; step < 30; step++) {
        const edits: TextEdit[] = [];
        let cur = text;
        for (let k = 1 + (rand(4) === 0 ? rand(3) : 0); k > 0; k--) {
          const offset = rand(cur.length + 1);
          // A third are one-letter substitutions: same length, often the same syntax (a renamed
          // identifier), so only the edit span says the declaration changed.
          const e = rand(3) === 0 && offset < cur.length
            ? { rangeOffset: offset, rangeLength: 1, text: 'abcxyz'[rand(6)]! }
            : { rangeOffset: offset, rangeLength: Math.min(rand(5) === 0 ? rand(80) : rand(4), cur.length - offset), text: snippets[rand(snippets.length)]! };
          edits.push(e);
          cur = apply(cur, [e]);
        }
        tree = reparse(tree, cur, edits);
        text = cur;
        // The editor extracts after a pause, not after every keystroke.
        if (rand(3) !== 0) continue;
        const incremental = extractFacts(tree, { cache });
        reused += incremental.stats.reusedDeclarations;
        assert.deepEqual(strip(incremental), strip(extractFacts(tree)), `${file} after step ${step}`);
      }
      tree.delete();
    }
    assert.ok(reused > 0, 'the cache reused declarations');
  });

  it('after a one-letter edit only the edited declaration is copied again, even after several unanalysed edits', () => {
    const funcs = Array.from({ length: 40 }, (_, i) => `func f${i}(ch chan int) {\n\tch <- ${i}\n\tgo f${(i + 1) % 40}(ch)\n}\n`);
    let text = `package main\n\n${funcs.join('\n')}`;
    const cache = new FactsCache();
    let tree = parseGo(text);
    extractFacts(tree, { cache });
    const edit = (name: string, ins: string): void => {
      const at = text.indexOf(`func ${name}(`) + 5;
      const next = text.slice(0, at) + ins + text.slice(at);
      tree = reparse(tree, next, [{ rangeOffset: at, rangeLength: 0, text: ins }]);
      text = next;
    };
    edit('f10', 'g');
    let f = extractFacts(tree, { cache });
    assert.equal(f.stats.reusedDeclarations, 40, 'the package clause and 39 functions reused');
    edit('f20', 'h');
    edit('f30', 'k');
    f = extractFacts(tree, { cache });
    assert.equal(f.stats.reusedDeclarations, 39, `two edits since the last analysis: two functions copied again (${JSON.stringify(f.stats)})`);
    assert.deepEqual(strip(f), strip(extractFacts(tree)));
    tree.delete();
  });

  it('a tree parsed afresh (not re-parsed from the cached one) is still analysed correctly', () => {
    const a = 'package main\n\nfunc a() { go b() }\n\nfunc b() {}\n';
    const b = 'package main\n\nfunc b() {}\n\nfunc a() { go b() }\n';
    const cache = new FactsCache();
    const t1 = parseGo(a);
    extractFacts(t1, { cache });
    t1.delete();
    const t2 = parseGo(b);
    assert.deepEqual(strip(extractFacts(t2, { cache })), strip(extractFacts(t2)));
    t2.delete();
  });
});
