// The built-in scenarios teach what runtime-facts.md says: each runs to its documented outcome.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Action, BodyFactory, Site } from '../../src/core/engine/actions';
import type { SimConfig } from '../../src/core/engine/config';
import { simulate } from '../../src/core/engine/scheduler';
import { SCENARIOS, findScenario, runScenario, scenarioConfig, type Scenario } from '../../src/core/scenarios';
import { CPU_BOUND_WORK_NS } from '../../src/core/scenarios/cpu-bound';
import { GOSCHED_ORDER_OUTPUT } from '../../src/core/scenarios/gosched-order';
import { RUNNEXT_ORDER_OUTPUT } from '../../src/core/scenarios/runnext-order';
import { TIGHT_LOOP_MESSAGE } from '../../src/core/scenarios/tight-loop-preemption';
import { CONNECTIONS } from '../../src/core/scenarios/netpoller';
import { siteFinder } from '../../src/core/scenarios/sites';
import { Ev } from '../../src/core/trace/events';
import { computeStats } from '../../src/core/trace/stats';
import { logSignature } from './helpers';

function scenario(name: string): Scenario {
  const s = findScenario(name);
  assert.ok(s, `scenario ${name} exists`);
  return s;
}

function run(name: string, overrides: Partial<SimConfig> = {}) {
  const r = runScenario(scenario(name), { seed: 1, ...overrides });
  return { r, stats: computeStats(r.log) };
}

/** Wraps a body (and every body it starts) to record the actions it yields. */
function recording(f: BodyFactory, seen: Action[]): BodyFactory {
  return function* () {
    const it = f();
    let r = it.next();
    while (!r.done) {
      const a = r.value;
      seen.push(a);
      const out: Action = a.op === 'go' ? { ...a, body: recording(a.body, seen) } : a;
      let input: unknown;
      try {
        input = yield out;
      } catch (e) {
        r = it.throw(e);
        continue;
      }
      r = it.next(input);
    }
    return r.value;
  };
}

/** Actions that are queries or have no source position. */
const SITELESS = new Set(['len', 'cap', 'now', 'goid', 'numGoroutine', 'numCPU', 'rand']);

describe('built-in scenarios', () => {
  it('are listed once each and found by name', () => {
    const names = SCENARIOS.map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of ['goroutines-1000', 'cpu-bound', 'work-stealing', 'syscall-handoff', 'netpoller',
      'tight-loop-preemption', 'deadlock', 'runnext-order', 'gosched-order']) {
      assert.equal(findScenario(n)?.name, n);
    }
    assert.equal(findScenario('no-such-scenario'), undefined);
  });

  for (const s of SCENARIOS) {
    describe(s.name, () => {
      it('ships its Go source, and every action points at a line of it that shows the action', () => {
        assert.match(s.source, /^package main\n/);
        assert.equal(s.file, `${s.name}.go`);
        assert.ok(s.title && s.description.length > 80, 'a title and a description of what it teaches');
        assert.ok(s.defaultProcs >= 1);
        const lines = s.source.split('\n');
        const seen: Action[] = [];
        const r = simulate(recording(s.main, seen), scenarioConfig(s, { seed: 1 }), s.mainSite);
        assert.notEqual(r.exit.reason, 'error', r.exit.message);
        assert.ok(seen.length > 0);
        for (const a of [s.mainSite, ...seen.filter((x) => !SITELESS.has(x.op)).map((x) => (x as { site?: Site }).site)]) {
          assert.ok(a, `every action has a site (${JSON.stringify(seen.find((x) => !(x as { site?: unknown }).site))})`);
          assert.equal(a.file, s.file);
          assert.ok(a.fn?.startsWith('main.'), `site ${a.line} names its function`);
          const line = lines[a.line - 1];
          assert.ok(line !== undefined && a.text !== undefined && line.includes(a.text), `line ${a.line} of ${s.file} contains ${a.text}`);
          assert.equal(line.indexOf(a.text), a.col);
        }
      });

      it('is deterministic: same seed, identical log', () => {
        const a = runScenario(s, { seed: 7 });
        const b = runScenario(s, { seed: 7 });
        assert.equal(logSignature(a), logSignature(b));
        assert.equal(a.output, b.output);
      });
    });
  }

  it('siteFinder finds the nth occurrence and refuses text that is not in the source', () => {
    const at = siteFinder('x.go', 'package main\n\tfoo()\n\tfoo()\n');
    assert.equal(at('foo()', 'main.main').line, 2);
    assert.equal(at('foo()', 'main.main', 2).line, 3);
    assert.equal(at('foo()', 'main.main', 2).col, 1);
    assert.throws(() => at('bar()', 'main.main'), /no line contains/);
  });

  it('runnext-order prints "4 0 1 2 3" with GOMAXPROCS=1 (runnext LIFO, ring FIFO)', () => {
    const { r } = run('runnext-order');
    assert.equal(r.exit.reason, 'main-returned');
    assert.equal(r.output, RUNNEXT_ORDER_OUTPUT);
    assert.equal(r.output, '4 0 1 2 3 ');
  });

  it('gosched-order prints "g2.0 g0.0 g1.0 g2.1 g0.1 g1.1" (Gosched → global queue, FIFO)', () => {
    const { r } = run('gosched-order');
    assert.equal(r.exit.reason, 'main-returned');
    assert.equal(r.output, GOSCHED_ORDER_OUTPUT);
    assert.equal(r.output, 'g2.0 g0.0 g1.0 g2.1 g0.1 g1.1 ');
    for (const v of [19, 22, 26]) assert.equal(run('gosched-order', { goVersion: v }).r.output, GOSCHED_ORDER_OUTPUT, `Go 1.${v}`);
  });

  it('goroutines-1000 runs 1000 goroutines on a handful of threads', () => {
    const { r, stats } = run('goroutines-1000');
    assert.equal(r.exit.reason, 'main-returned');
    const lines = r.output.trimEnd().split('\n');
    assert.equal(lines.length, 1001);
    assert.equal(lines.at(-1), 'all 1000 goroutines finished');
    assert.equal(new Set(lines.slice(0, 1000)).size, 1000, 'each goroutine printed once');
    assert.equal(stats.goroutinesCreated, 1001, '1000 + main');
    assert.ok(stats.peakThreads <= 2 + 4 + 1, `threads ${stats.peakThreads}`);
    assert.ok(stats.steals > 0);
  });

  it('cpu-bound takes about 4× less virtual time with 4 Ps than with 1', () => {
    const one = run('cpu-bound', { gomaxprocs: 1 });
    const four = run('cpu-bound', { gomaxprocs: 4 });
    for (const x of [one, four]) {
      assert.equal(x.r.exit.reason, 'main-returned');
      assert.equal(x.r.output.trimEnd().split('\n').length, 4);
    }
    const ratio = one.stats.virtualTimeNs / four.stats.virtualTimeNs;
    assert.ok(ratio > 3.5 && ratio < 4.5, `ratio ${ratio.toFixed(2)}`);
    assert.ok(one.stats.virtualTimeNs >= 4 * CPU_BOUND_WORK_NS, 'one P runs them one slice at a time');
    assert.ok(four.stats.virtualTimeNs < 1.2 * CPU_BOUND_WORK_NS, 'four Ps run them in parallel');
    assert.ok(one.stats.preemptions >= 4, 'sysmon preempts each 10 ms slice on the single P');
  });

  it('work-stealing: Ms whose Ps ran out of work steal from the P that made the work', () => {
    const { r, stats } = run('work-stealing');
    assert.equal(r.exit.reason, 'main-returned');
    assert.equal(r.output, 'all 64 done\n');
    assert.ok(stats.steals > 0);
    const ranOn = new Set<number>();
    for (let i = 0; i < r.log.length; i++) if (r.log.kind(i) === Ev.GoStart) ranOn.add(r.log.p(i));
    assert.equal(ranOn.size, 4, 'every P ran some of the goroutines');
    assert.ok(stats.virtualTimeNs < 32e6, `64 × 1 ms on 4 Ps: ${stats.virtualTimeNs} ns`);
  });

  it('syscall-handoff: Ps are handed off from blocked Ms and the thread count grows', () => {
    for (const procs of [2, 4]) {
      const { r, stats } = run('syscall-handoff', { gomaxprocs: procs });
      assert.equal(r.exit.reason, 'main-returned');
      assert.ok(r.output.endsWith('loaded 8 files\n'));
      assert.ok(stats.handoffs > 0, 'sysmon retakes Ps from syscalls');
      assert.ok(stats.peakThreads > procs + 2, `threads ${stats.peakThreads} with GOMAXPROCS=${procs}`);
      assert.equal(stats.syscalls, 8 * 5, 'open, three reads and a close per file');
    }
  });

  it('netpoller: many connections open at once, few threads, no blocking syscalls', () => {
    const procs = 4;
    const { r, stats } = run('netpoller', { gomaxprocs: procs });
    assert.equal(r.exit.reason, 'main-returned');
    assert.equal(r.output, `served ${CONNECTIONS} connections\n`);
    assert.equal(stats.goroutinesCreated, CONNECTIONS + 2);
    assert.ok(stats.peakGoroutines >= 30, `peak goroutines ${stats.peakGoroutines}`);
    assert.ok(stats.peakThreads <= procs + 3, `threads ${stats.peakThreads}`);
    assert.equal(stats.syscalls, 0);
    let polls = 0;
    for (let i = 0; i < r.log.length; i++) if (r.log.kind(i) === Ev.Netpoll) polls++;
    assert.ok(polls > 0);
  });

  it('tight-loop-preemption: main runs again thanks to async preemption; never without it', () => {
    const { r, stats } = run('tight-loop-preemption');
    assert.equal(r.exit.reason, 'main-returned');
    assert.equal(r.output, TIGHT_LOOP_MESSAGE);
    assert.ok(stats.preemptions >= 1);
    assert.ok(r.exit.timeNs >= 10e6 && r.exit.timeNs <= 21e6, `main resumed after ${r.exit.timeNs} ns (10–20 ms)`);

    const off = run('tight-loop-preemption', { asyncPreemption: false, maxVirtualTimeNs: 200e6 });
    assert.equal(off.r.exit.reason, 'budget');
    assert.equal(off.r.output, '');
    assert.equal(off.stats.preemptions, 0);
  });

  it('deadlock: "all goroutines are asleep" with each goroutine\'s wait reason, per Go version', () => {
    const cases: [number, string][] = [[19, 'semacquire'], [23, 'semacquire'], [24, 'sync.WaitGroup.Wait'], [26, 'sync.WaitGroup.Wait']];
    for (const [v, wgReason] of cases) {
      const { r } = run('deadlock', { goVersion: v });
      assert.equal(r.exit.reason, 'deadlock', `Go 1.${v}`);
      assert.equal(r.exit.code, 2);
      assert.equal(r.output, '');
      assert.match(r.exit.message, /^fatal error: all goroutines are asleep - deadlock!/);
      assert.match(r.exit.message, /goroutine 1 \[chan receive\]:/);
      assert.ok(r.exit.message.includes(`[${wgReason}]:`), `Go 1.${v}: ${r.exit.message}`);
      const states = new Map(r.goroutines.map((g) => [g.id, g.state]));
      assert.equal(states.get(1), 'chan receive');
      assert.ok([...states.values()].includes(wgReason));
    }
  });
});

// The shipped Go sources are real programs: they build, and where the real runtime is
// deterministic (GOMAXPROCS=1) they print what the simulation prints.
describe('scenario sources with the real Go toolchain', function () {
  this.timeout(120_000);
  const goAvailable = spawnSync('go', ['version']).status === 0;
  let dir = '';
  before(function () {
    if (!goAvailable) {
      if (process.env.CI) throw new Error('the Go toolchain is required in CI (apt-get install golang-go)');
      console.warn('    (Go toolchain not found: scenario source checks skipped)');
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'gmp-scenarios-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function build(s: Scenario): string {
    const src = join(dir, s.file);
    writeFileSync(src, s.source);
    const vet = spawnSync('go', ['vet', src], { encoding: 'utf8', cwd: dir });
    assert.equal(vet.status, 0, `go vet ${s.file}: ${vet.stderr}`);
    const fmt = spawnSync('gofmt', ['-l', src], { encoding: 'utf8' });
    assert.equal(fmt.stdout.trim(), '', `${s.file} is gofmt-formatted`);
    const bin = join(dir, s.name);
    const b = spawnSync('go', ['build', '-o', bin, src], { encoding: 'utf8', cwd: dir });
    assert.equal(b.status, 0, `go build ${s.file}: ${b.stderr}`);
    return bin;
  }

  function runReal(bin: string): { out: string; err: string; code: number | null } {
    const r = spawnSync(bin, [], { encoding: 'utf8', timeout: 20_000, cwd: dir, env: { ...process.env, GOMAXPROCS: '1' } });
    return { out: r.stdout ?? '', err: r.stderr ?? '', code: r.status };
  }

  for (const s of SCENARIOS) {
    it(`${s.file} passes go vet and gofmt and builds`, () => {
      build(s);
    });
  }

  for (const name of ['runnext-order', 'gosched-order', 'tight-loop-preemption']) {
    it(`${name}: the real program prints what the simulation prints (GOMAXPROCS=1)`, () => {
      const real = runReal(build(scenario(name)));
      const { r } = run(name, { gomaxprocs: 1, goVersion: 19 });
      assert.equal(real.code, 0, real.err);
      assert.equal(real.out, r.output);
    });
  }

  it('deadlock: same fatal error, goroutine ids, wait reasons and lines as the real Go 1.19 runtime', () => {
    const real = runReal(build(scenario('deadlock')));
    const { r } = run('deadlock', { gomaxprocs: 1, goVersion: 19 });
    assert.equal(real.code, 2);
    const headers = (text: string) => text.split('\n').filter((l) => /^(fatal error|goroutine \d+ \[)/.test(l));
    assert.deepEqual(headers(r.exit.message), headers(real.err));
    const lines = (text: string) => [...text.matchAll(/deadlock\.go:(\d+)/g)].map((m) => m[1]);
    assert.deepEqual(lines(r.exit.message), lines(real.err));
  });
});
