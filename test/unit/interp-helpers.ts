// Shared helpers for the interpreter tests: the Go parser (loaded once from node_modules), running a
// Go source on the simulator, fixtures with expectations in comments, and the real `go run`.
import { readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
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

/** `want-threads`: the peak number of OS threads must be at least (the program makes threads grow) or at most (they stay few) n. */
export interface ThreadBound { op: '>=' | '<='; n: number }

export interface Expectation {
  output?: string; deadlock: boolean; hang: boolean; exitCode?: number; panic?: string; procs: number; goVersion: number;
  headers: string[]; deterministic: boolean; threads?: ThreadBound;
}

export function meetsBound(peak: number, b: ThreadBound): boolean {
  return b.op === '>=' ? peak >= b.n : peak <= b.n;
}

/**
 * Reads `// want-output: ...` (repeatable, one output line each, trailing spaces kept), `// want: deadlock`,
 * `// want: hang` (blocks forever without a deadlock report), `// want-exit: N`, `// want-panic: msg`,
 * `// want-header: ...` (repeatable), `// want-threads: >= N` or `<= N`, `// procs: N`, `// go: 1.22`, `// nondeterministic`.
 */
export function expectations(src: string): Expectation {
  const e: Expectation = { deadlock: false, hang: false, procs: 1, goVersion: 19, headers: [], deterministic: true };
  const outs: string[] = [];
  let sawOutput = false;
  for (const line of src.split('\n')) {
    const m = /^\/\/ (want-output|want-exit|want-panic|want-header|want-threads|want|procs|go|nondeterministic):?\s?(.*)$/.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    const [, k, v] = m as unknown as [string, string, string];
    if (k === 'want-output') { sawOutput = true; outs.push(v); }
    else if (k === 'want' && v.trim() === 'deadlock') e.deadlock = true;
    else if (k === 'want' && v.trim() === 'hang') e.hang = true;
    else if (k === 'want' && v.trim()) throw new Error(`unknown verdict in "${line}" (deadlock or hang)`);
    else if (k === 'want-threads') {
      const t = /^(>=|<=)\s*(\d+)\s*$/.exec(v);
      if (!t) throw new Error(`want-threads needs ">= N" or "<= N": "${line}"`);
      e.threads = { op: t[1] as ThreadBound['op'], n: Number(t[2]) };
    }
    else if (k === 'want-exit') e.exitCode = Number(v);
    else if (k === 'want-panic') e.panic = v;
    else if (k === 'want-header') e.headers.push(v);
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

export interface RealRun { stdout: string; stderr: string; status: number | null; hung: boolean; peakThreads: number; ms: number }

function threadsOf(pid: number): number {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // exited between two polls
  }
}

/**
 * Runs a built Go binary and samples its thread count (/proc/<pid>/status) about every
 * millisecond while it runs. A program still running after `hangMs` is killed and counts as hung:
 * the real runtime never ends a program that blocks without a deadlock report.
 */
export function runReal(bin: string, env: NodeJS.ProcessEnv, hangMs: number, cwd?: string): Promise<RealRun> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(bin, [], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let hung = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const sample = (): void => { if (child.pid !== undefined) peak = Math.max(peak, threadsOf(child.pid)); };
    sample();
    const poll = setInterval(sample, 1);
    const killer = setTimeout(() => { hung = true; child.kill('SIGKILL'); }, hangMs);
    child.on('error', (e) => { clearInterval(poll); clearTimeout(killer); reject(e); });
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(killer);
      resolve({ stdout, stderr, status: hung ? null : code, hung, peakThreads: peak, ms: Date.now() - t0 });
    });
  });
}
