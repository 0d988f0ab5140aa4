// Front-end figures for `npm run bench`: parse + facts over a real Go corpus (the installed Go
// standard library, when present) and interpreter speed on a CPU-bound loop.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFacts } from '../src/core/golang/facts';
import { initGoParser, parseGo } from '../src/core/golang/parser';
import { runGoSource } from '../src/core/golang/interp';

/** The installed Go toolchain's standard library source (`go env GOROOT`), if any. */
const GOROOT = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout?.trim() ?? '';
const CORPUS = GOROOT ? ['net/http', 'sync', 'os'].map((d) => join(GOROOT, 'src', d)) : [];

export async function benchFrontEnd(root: string): Promise<void> {
  await initGoParser({
    runtimeWasm: readFileSync(join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm')),
    goWasm: readFileSync(join(root, 'node_modules/tree-sitter-go/tree-sitter-go.wasm')),
  });
  const files = CORPUS.filter(existsSync).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.go')).map((f) => join(d, f)));
  if (files.length) {
    let lines = 0;
    let parseMs = 0;
    let factsMs = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      lines += text.split('\n').length;
      const t0 = performance.now();
      const tree = parseGo(text);
      const t1 = performance.now();
      extractFacts(tree, { text });
      parseMs += t1 - t0;
      factsMs += performance.now() - t1;
      tree.delete();
    }
    console.log(`front end: Go standard library (${files.length} files, ${lines.toLocaleString('en-US')} lines)`);
    console.log(`  parse             ${(parseMs / lines * 1000).toFixed(1)} ms per 1k lines`);
    console.log(`  facts             ${(factsMs / lines * 1000).toFixed(1)} ms per 1k lines`);
  } else {
    console.log('front end: Go standard library not installed (apt-get install golang-go); corpus figures skipped');
  }
  const loop = `package main

import "fmt"

func main() {
	s := 0
	for i := 0; i < 2000000; i++ {
		s += i % 7
	}
	fmt.Println(s)
}
`;
  const t0 = performance.now();
  const r = runGoSource(loop, { file: 'loop.go', gomaxprocs: 1 }, parseGo);
  const ms = performance.now() - t0;
  console.log('interpreter: a 2 000 000-iteration arithmetic loop');
  console.log(`  wall time         ${(ms / 1000).toFixed(2)} s → ${(2e6 / ms * 1000 / 1e6).toFixed(2)} M iterations/s (output ${r.result.output.trim()}, ${r.result.exit.reason})`);
}
