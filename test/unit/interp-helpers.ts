// Shared helpers for the interpreter tests: the Go parser (loaded once from node_modules), running a
// Go source on the simulator, fixtures with expectations in comments, and the real `go run`.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { initGoParser, parseGo } from '../../src/core/golang/parser';
import { runGoSource, type RunGoOptions, type RunGoResult } from '../../src/core/golang/interp';

const root = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(root, 'test/fixtures/run');

let ready: Promise<unknown> | null = null;
export function loadParser(): Promise<unknown> {
  ready ??= initGoParser({
    runtimeWasm: readFileSync(path.join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm')),
    goWasm: readFileSync(path.join(root, 'node_modules/tree-sitter-go/tree-sitter-go.wasm')),
  });
  return ready;
}

export function runGo(src: string, opts: RunGoOptions = {}): RunGoResult {
  return runGoSource(src, { file: 'main.go', seed: 1, gomaxprocs: 1, goVersion: 19, ...opts }, parseGo);
}

export interface Expectation { output?: string; deadlock: boolean; exitCode?: number; panic?: string; procs: number; goVersion: number; header?: string; deterministic: boolean }

/** Reads `// want-output: ...` (repeatable, one output line each, trailing spaces kept), `// want: deadlock`, `// want-exit: N`, `// want-panic: msg`, `// want-header: ...`, `// procs: N`, `// go: 1.22`, `// nondeterministic`. */
export function expectations(src: string): Expectation {
  const e: Expectation = { deadlock: false, procs: 1, goVersion: 19, deterministic: true };
  const outs: string[] = [];
  let sawOutput = false;
  for (const line of src.split('\n')) {
    const m = /^\/\/ (want-output|want-exit|want-panic|want-header|want|procs|go|nondeterministic):?\s?(.*)$/.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    const [, k, v] = m as unknown as [string, string, string];
    if (k === 'want-output') { sawOutput = true; outs.push(v); }
    else if (k === 'want' && v.trim() === 'deadlock') e.deadlock = true;
    else if (k === 'want-exit') e.exitCode = Number(v);
    else if (k === 'want-panic') e.panic = v;
    else if (k === 'want-header') e.header = v;
    else if (k === 'procs') e.procs = Number(v);
    else if (k === 'go') e.goVersion = Number(v.split('.')[1]);
    else if (k === 'nondeterministic') e.deterministic = false;
  }
  if (sawOutput) e.output = outs.map((o) => o + '\n').join('');
  return e;
}

let goAvailable: boolean | null = null;
export function hasGo(): boolean {
  if (goAvailable === null) goAvailable = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
  return goAvailable;
}
