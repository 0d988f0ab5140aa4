// The extension host's pieces that need no VS Code: settings parsing, the worker's run function,
// incremental document facts, the worker thread itself and the idle tracker behind the test API.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFacts } from '../../src/core/golang/facts';
import { parseGo } from '../../src/core/golang/parser';
import { factAdvice } from '../../src/core/knowledge/advice';
import { EventLog, type SerializedLog } from '../../src/core/trace/events';
import { toChromeTrace } from '../../src/core/trace/chrome';
import { computeStats } from '../../src/core/trace/stats';
import { IdleTracker } from '../../src/extension/api';
import { DocumentFacts } from '../../src/extension/documentFacts';
import { runSimulation, transferables, type SimRequest } from '../../src/extension/simulate';
import { SimulationCancelled, SimulationHost } from '../../src/extension/simulationHost';
import { goModVersion, parseSettings, resolveGoVersion, resolveProcs } from '../../src/extension/settingsModel';
import { loadParser } from './interp-helpers';

const ROOT = join(__dirname, '..', '..');
const example = (name: string) => readFileSync(join(ROOT, 'examples', name), 'utf8');

function request(text: string, over: Partial<SimRequest> = {}): SimRequest {
  return {
    runId: 7,
    text,
    fileUri: 'file:///w/main.go',
    fileName: 'main.go',
    filePath: '/w/main.go',
    config: { gomaxprocs: 2, seed: 3, goVersion: 22, asyncPreemption: true },
    budget: { virtualTimeMs: 60_000, events: 5_000_000, goroutines: 1_000_000 },
    maxWallMs: 10_000,
    ...over,
  };
}

describe('settings', () => {
  const from = (values: Record<string, unknown>) => parseSettings((k) => values[k]);

  it('unset settings take the documented defaults', () => {
    const s = from({});
    assert.equal(s.gomaxprocs, 'auto');
    assert.equal(s.seed, 1);
    assert.equal(s.goVersion, 'auto');
    assert.equal(s.asyncPreemption, true);
    assert.deepEqual(s.diagnostics, { enabled: true, simulate: true, severity: {} });
    assert.deepEqual(s.budget, { virtualTimeMs: 60_000, events: 5_000_000, goroutines: 1_000_000 });
    assert.equal(s.rerunOnSave, true);
    assert.deepEqual(s.problems, []);
  });

  it('reads numbers, versions and per-code severities; "auto" GOMAXPROCS is the machine\'s cores', () => {
    const s = from({ gomaxprocs: 3, seed: 42, goVersion: '1.19', asyncPreemption: false, 'diagnostics.severity': { deadlock: 'warning', 'busy-loop': 'off' } });
    assert.equal(resolveProcs(s, 16), 3);
    assert.equal(resolveProcs(from({ gomaxprocs: 'auto' }), 16), 16);
    assert.equal(resolveProcs(from({ gomaxprocs: '6' }), 16), 6);
    assert.equal(s.seed, 42);
    assert.equal(s.goVersion, 19);
    assert.equal(s.asyncPreemption, false);
    assert.equal(s.diagnostics.severity.deadlock, 'warning');
    assert.equal(s.diagnostics.severity['busy-loop'], 'off');
    assert.equal(s.diagnostics.severity['cgo-call'], undefined);
  });

  it('unusable values fall back to the default and are reported, never thrown', () => {
    const s = from({ gomaxprocs: 0, seed: -1, goVersion: '1.12', asyncPreemption: 'yes', 'diagnostics.severity': { nope: 'error', deadlock: 'loud' }, 'budget.events': 5 });
    assert.equal(s.gomaxprocs, 'auto');
    assert.equal(s.seed, 1);
    assert.equal(s.goVersion, 'auto');
    assert.equal(s.asyncPreemption, true);
    assert.deepEqual(s.diagnostics.severity, {});
    assert.equal(s.budget.events, 5_000_000);
    assert.equal(s.problems.length, 7, s.problems.join('\n'));
    assert.ok(s.problems.some((p) => /unknown code "nope"/.test(p)));
  });

  it('Go version: the setting wins, then go.mod\'s go line, then the newest', () => {
    assert.equal(goModVersion('module x\n\ngo 1.21.4\n'), 21);
    assert.equal(goModVersion('module x\n\ngo 1.12\n'), undefined);
    assert.equal(goModVersion('module x\n'), undefined);
    assert.equal(goModVersion(readFileSync(join(ROOT, 'examples', 'go.mod'), 'utf8')), 22);
    assert.equal(resolveGoVersion({ goVersion: 20 }, 22), 20);
    assert.equal(resolveGoVersion({ goVersion: 'auto' }, 22), 22);
    assert.equal(resolveGoVersion({ goVersion: 'auto' }, undefined), 26);
  });
});

describe('the worker\'s run function', () => {
  before(loadParser);

  it('returns the run in the protocol\'s shape: config, exit, goroutines, source lines, a wire log equal to the engine\'s', () => {
    const text = example('deadlock.go');
    const reply = runSimulation(request(text), parseGo);
    const { data } = reply;
    assert.equal(data.runId, 7);
    assert.equal(data.fileUri, 'file:///w/main.go');
    assert.deepEqual(data.config, { gomaxprocs: 2, seed: 3, goVersion: 22, asyncPreemption: true });
    assert.equal(data.exit.reason, 'deadlock');
    assert.match(data.exit.message, /goroutine 1 \[semacquire\]:\nmain\.main\(\)\n\t\/w\/main\.go:\d+/);
    assert.deepEqual(data.sourceLines, text.split('\n'));
    assert.deepEqual(data.goroutines.map((g) => g.state).sort(), ['chan send', 'semacquire']);
    assert.equal(data.truncated, false);
    // The wire log decodes to the same events the stats were computed from.
    const log = EventLog.fromJSON(data.log as unknown as SerializedLog);
    assert.equal(log.length, data.log.length);
    assert.equal(computeStats(log).goroutinesCreated, reply.stats.goroutinesCreated);
    assert.equal(reply.stats.goroutinesCreated, 2);
    // The deadlock diagnostics come with the run.
    assert.deepEqual(reply.advice.map((a) => a.code), ['deadlock', 'deadlock']);
    // Eight distinct buffers, so postMessage can move them.
    assert.equal(new Set(transferables(data.log)).size, 8);
  });

  it('the settings reach the engine: GOMAXPROCS, async preemption, the event budget (truncated)', () => {
    const text = example('gomaxprocs-cpu.go').replace('\truntime.GOMAXPROCS(2)\n', '\t_ = runtime.NumCPU()\n');
    assert.ok(!/^\s*runtime\.GOMAXPROCS/m.test(text));
    const run = (gomaxprocs: number, asyncPreemption: boolean, src = text) =>
      runSimulation(request(src, { config: { gomaxprocs, seed: 1, goVersion: 22, asyncPreemption } }), parseGo);
    const one = run(1, true);
    const four = run(4, true);
    assert.ok(one.data.exit.timeNs > 2.5 * four.data.exit.timeNs, `1 P: ${one.data.exit.timeNs} ns, 4 Ps: ${four.data.exit.timeNs} ns`);
    // Two goroutines spinning far past the 10 ms slice on one P: without async preemption sysmon cannot stop the loops.
    const spin = [
      'package main',
      '',
      'func spin(done chan bool) {',
      '\tx := 0',
      '\tfor i := 0; i < 200_000_000; i++ {',
      '\t\tx += 2',
      '\t}',
      '\tdone <- x > 0',
      '}',
      '',
      'func main() {',
      '\tdone := make(chan bool)',
      '\tgo spin(done)',
      '\tgo spin(done)',
      '\t<-done',
      '\t<-done',
      '}',
      '',
    ].join('\n');
    const preemptions = (r: ReturnType<typeof run>) => computeStats(EventLog.fromJSON(r.data.log as unknown as SerializedLog)).preemptions;
    const withAsync = preemptions(run(1, true, spin));
    const without = preemptions(run(1, false, spin));
    assert.ok(withAsync > without, `async preemption on: ${withAsync} preemptions, off: ${without}`);
    const cut = runSimulation(request(text, { budget: { virtualTimeMs: 60_000, events: 20, goroutines: 1_000_000 } }), parseGo);
    assert.equal(cut.data.exit.reason, 'budget');
    assert.equal(cut.data.truncated, true);
  });
});

describe('incremental document facts', () => {
  before(loadParser);

  it('after edits, the facts and advice equal a fresh parse of the new text', () => {
    const text = example('blocking-syscall.go');
    const doc = new DocumentFacts();
    doc.refresh(text);
    // Insert a cgo-free blocking call, then delete the ReadFile line, as two change events.
    const at = text.indexOf('\twg.Wait()');
    const insert = '\tos.Remove("x")\n';
    const t1 = text.slice(0, at) + insert + text.slice(at);
    doc.edit([{ rangeOffset: at, rangeLength: 0, text: insert }]);
    const lineStart = t1.indexOf('\t\t\tdata, err := os.ReadFile');
    const lineEnd = t1.indexOf('\n', lineStart) + 1;
    const t2 = t1.slice(0, lineStart) + t1.slice(lineEnd);
    doc.edit([{ rangeOffset: lineStart, rangeLength: lineEnd - lineStart, text: '' }]);
    const incremental = doc.refresh(t2);
    const tree = parseGo(t2);
    const fresh = extractFacts(tree, { text: t2 });
    tree.delete();
    assert.deepEqual(incremental.advice, factAdvice(fresh, t2));
    assert.deepEqual(incremental.advice.filter((a) => a.code === 'blocking-syscall').map((a) => a.message.split(' ')[0]), ['os.Remove']);
    doc.dispose();
  });
});

describe('the simulation worker thread', function () {
  this.timeout(60_000);
  const workerPath = join(ROOT, 'dist', 'simulationWorker.js');

  it('runs a request in the worker and answers with the result', async function () {
    if (!existsSync(workerPath)) this.skip();
    const host = new SimulationHost(workerPath, () => undefined);
    try {
      const reply = await host.run(request(example('deadlock.go')));
      assert.equal(reply.data.exit.reason, 'deadlock');
      assert.ok(reply.data.log.t instanceof Float64Array);
      assert.equal(reply.data.log.t.length, reply.data.log.length);
    } finally {
      host.dispose();
    }
  });

  it('exports a Chrome trace in the worker, equal to the core exporter\'s, leaving the caller\'s log intact', async function () {
    if (!existsSync(workerPath)) this.skip();
    const host = new SimulationHost(workerPath, () => undefined);
    try {
      const { data } = await host.run(request(example('goroutines-waitgroup.go')));
      const before = data.log.t.length;
      const bytes = await host.chromeTrace(data.log, data.config.goVersion);
      const expected = toChromeTrace(EventLog.fromJSON(data.log as unknown as SerializedLog), { goVersion: 22 });
      assert.deepEqual(JSON.parse(new TextDecoder().decode(bytes)), JSON.parse(JSON.stringify(expected)));
      assert.ok(expected.traceEvents.length > 50);
      assert.equal(data.log.t.length, before, 'the columns were copied, not transferred away');
    } finally {
      host.dispose();
    }
  });

  it('a new run cancels the busy one; a background run waits for the user\'s run instead of cancelling it', async function () {
    if (!existsSync(workerPath)) this.skip();
    const lines: string[] = [];
    const host = new SimulationHost(workerPath, (l) => lines.push(l));
    try {
      const forever = 'package main\n\nfunc main() {\n\tx := 0\n\tfor {\n\t\tx++\n\t}\n}\n';
      const slow = host.run(request(forever, { runId: 1 }));
      const next = host.run(request(example('deadlock.go'), { runId: 2 }));
      await assert.rejects(slow, SimulationCancelled);
      const background = host.run(request(example('goroutines-waitgroup.go'), { runId: 3 }), 'background');
      assert.equal((await next).data.runId, 2);
      assert.equal((await background).data.runId, 3);
      assert.ok(lines.some((l) => /simulation 1 \(main\.go\): a newer run replaced it/.test(l)), lines.join('\n'));
    } finally {
      host.dispose();
    }
  });

  it('background runs of different files all finish (one at a time); a newer one of the same file replaces the older; a user run puts a background run off, not away', async function () {
    if (!existsSync(workerPath)) this.skip();
    const lines: string[] = [];
    const host = new SimulationHost(workerPath, (l) => lines.push(l));
    const file = (name: string, runId: number, text = example('goroutines-waitgroup.go')) =>
      request(text, { runId, fileUri: `file:///w/${name}`, fileName: name });
    try {
      const a = host.run(file('a.go', 1, example('deadlock.go')), 'background');
      const b1 = host.run(file('b.go', 2), 'background');
      const b2 = host.run(file('b.go', 3), 'background');
      const user = host.run(file('c.go', 4), 'user');
      await assert.rejects(b1, SimulationCancelled, 'the older run of b.go is replaced');
      assert.equal((await user).data.runId, 4);
      assert.equal((await a).data.exit.reason, 'deadlock', 'a.go was put off by the user run, then finished');
      assert.equal((await b2).data.runId, 3);
      assert.ok(lines.some((l) => /simulation 1 \(a\.go\): put off for a run you asked for/.test(l)), lines.join('\n'));
      assert.equal(host.busy, false);
    } finally {
      host.dispose();
    }
  });
});

describe('idle tracking (the test API\'s whenIdle)', () => {
  it('resolves only after every tracked promise and begun piece of work has ended', async () => {
    const idle = new IdleTracker();
    let resolve!: () => void;
    idle.track(new Promise<void>((r) => (resolve = r)));
    const end = idle.begin();
    let done = false;
    const waiting = idle.whenIdle().then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(done, false);
    resolve();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(done, false);
    end();
    await waiting;
    assert.equal(done, true);
  });
});
