// The gmp-tutor command line: argument parsing, the human report, --json, --trace, exit codes.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMIT, parseArgs, parseGoVersion } from '../../src/cli/args';
import { formatTime, formatTimeline, timeUnit } from '../../src/cli/format';
import type { CliIO } from '../../src/cli/run';
import { SCENARIOS, findScenario, runScenario } from '../../src/core/scenarios';

interface Captured { code: number; out: string; err: string; files: Map<string, string> }

// run.ts is loaded when the suite starts rather than at import, so that if it cannot load (e.g. a
// module it imports is missing) only these tests fail and the rest of the suite still runs.
let runCli: typeof import('../../src/cli/run').runCli;

function cli(...argv: string[]): Captured {
  let out = '';
  let err = '';
  const files = new Map<string, string>();
  const io: CliIO = {
    out: (t) => { out += t; },
    err: (t) => { err += t; },
    writeFile: (p, d) => { files.set(p, d); },
  };
  const code = runCli(argv, io);
  return { code, out, err, files };
}

describe('gmp-tutor command line', () => {
  describe('parseArgs', () => {
    it('reads a scenario run with every option, in both --opt value and --opt=value forms', () => {
      assert.deepEqual(parseArgs(['scenario', 'cpu-bound', '--procs', '4', '--seed=9', '--go', '1.19', '--json', '--trace', 't.json', '--limit', '0', '--asyncpreemptoff']), {
        kind: 'scenario', name: 'cpu-bound', procs: 4, seed: 9, goVersion: 19, json: true, trace: 't.json', limit: 0, asyncPreemption: false,
      });
      assert.deepEqual(parseArgs(['scenario', 'deadlock']), { kind: 'scenario', name: 'deadlock', json: false, limit: DEFAULT_LIMIT });
    });

    it('knows --list, --help and reports bad usage in a sentence', () => {
      assert.equal(parseArgs(['scenario', '--list']).kind, 'list');
      assert.equal(parseArgs(['--list']).kind, 'list');
      assert.equal(parseArgs(['--help']).kind, 'help');
      assert.equal(parseArgs(['scenario', 'x', '-h']).kind, 'help');
      const bad = (argv: string[], re: RegExp) => {
        const c = parseArgs(argv);
        assert.equal(c.kind, 'error', argv.join(' '));
        assert.match((c as { message: string }).message, re);
      };
      bad([], /no command/);
      bad(['simulate'], /unknown command "simulate"/);
      bad(['scenario'], /which scenario/);
      bad(['scenario', 'a', 'b'], /one scenario at a time/);
      bad(['scenario', 'a', '--procs', '0'], /--procs needs a whole number of Ps from 1 to \d+, not "0"/);
      bad(['scenario', 'a', '--procs', 'four'], /--procs.*not "four"/);
      bad(['scenario', 'a', '--procs'], /--procs needs/);
      bad(['scenario', 'a', '--go', '1.18'], /--go needs one of 1\.19, .*1\.26, not "1\.18"/);
      bad(['scenario', 'a', '--limit', '-1'], /--limit/);
      bad(['scenario', 'a', '--seed', '1.5'], /--seed/);
      bad(['scenario', 'a', '--trace'], /--trace needs a file name/);
      bad(['scenario', 'a', '--fast'], /unknown option "--fast"/);
    });

    it('accepts Go versions as 1.N, goN, N and with a patch number', () => {
      assert.equal(parseGoVersion('1.24'), 24);
      assert.equal(parseGoVersion('go1.19'), 19);
      assert.equal(parseGoVersion('1.19.8'), 19);
      assert.equal(parseGoVersion('26'), 26);
      assert.equal(parseGoVersion('1.27'), null);
      assert.equal(parseGoVersion('latest'), null);
    });
  });

  describe('timeline formatting', () => {
    it('uses one aligned unit: µs for short runs, ms for longer ones', () => {
      assert.equal(timeUnit(999_999), 'µs');
      assert.equal(timeUnit(1e6), 'ms');
      assert.equal(formatTime(1370, 'µs'), '1.370 µs');
      assert.equal(formatTime(11_221_100, 'ms'), '11.221 ms');
      const r = runScenario(findScenario('runnext-order')!, { seed: 1 });
      const lines = formatTimeline(r.log, { limit: 0, goVersion: 26 });
      assert.equal(lines.length, r.log.length + 1, 'a header and one line per event');
      // Time, P, M and G columns line up: every sentence starts under the header's "what happened".
      const col = lines[0]!.indexOf('what happened');
      for (const l of lines.slice(1)) {
        assert.match(l, /^\s*\d+\.\d{3} µs {2}(P\d|-) /);
        assert.ok(l.slice(col - 2, col) === '  ' && l[col] !== ' ', l);
      }
    });

    it('caps the timeline at --limit lines and says how many more there are', () => {
      const r = runScenario(findScenario('runnext-order')!, { seed: 1 });
      const lines = formatTimeline(r.log, { limit: 10, goVersion: 26 });
      assert.equal(lines.length, 12);
      assert.equal(lines.at(-1), `… ${r.log.length - 10} more events (use --limit 0 for all)`);
    });
  });

  describe('runCli', () => {
    before(async () => {
      ({ runCli } = await import('../../src/cli/run'));
    });

    it('--list names every scenario', () => {
      const c = cli('scenario', '--list');
      assert.equal(c.code, 0);
      for (const s of SCENARIOS) assert.ok(c.out.includes(s.name) && c.out.includes(s.title), s.name);
    });

    it('--help prints the usage', () => {
      const c = cli('--help');
      assert.equal(c.code, 0);
      assert.match(c.out, /Usage:\n\s+gmp-tutor run <file.go>/);
      assert.match(c.out, /gmp-tutor scenario <name>/);
      assert.match(c.out, /--procs N/);
    });

    it('a run prints the title, the narrated timeline, the output, the outcome and the summary', () => {
      const c = cli('scenario', 'runnext-order');
      assert.equal(c.code, 0);
      assert.equal(c.err, '');
      const o = c.out;
      assert.ok(o.startsWith(`${findScenario('runnext-order')!.title}\n`));
      assert.match(o, /GOMAXPROCS=1 · seed 1 · Go 1\.26/);
      assert.match(o, /created by G1 at runnext-order\.go:9 \(newproc\): it goes into P0's runnext/);
      assert.match(o, /direct hand-off/);
      assert.match(o, /Program output\n {2}4 0 1 2 3 \n/);
      assert.match(o, /Outcome\n {2}main returned — exit status 0/);
      for (const k of ['goroutines created', 'peak goroutines', 'peak threads', 'threads created', 'steals', 'hand-offs',
        'preemptions', 'context switches', 'virtual time', 'events']) {
        assert.match(o, new RegExp(`\\n {2}${k} +\\S`), k);
      }
      assert.match(o, /goroutines created +6\n/);
    });

    it('--procs, --seed and --go reach the simulation', () => {
      const c = cli('scenario', 'syscall-handoff', '--procs', '3', '--seed', '5', '--go', '1.19', '--limit', '50');
      assert.equal(c.code, 0);
      assert.match(c.out, /GOMAXPROCS=3 · seed 5 · Go 1\.19/);
      assert.match(c.out, /sysmon retook P\d from M\d+, blocked in a syscall/);
      assert.match(c.out, /_Psyscall/);
      assert.match(c.out, /… [\d,]+ more events \(use --limit 0 for all\)/);
      assert.match(c.out, /hand-offs +[1-9]/);
    });

    it('a deadlocked program is a successful simulation: exit 0, the outcome printed clearly', () => {
      const c = cli('scenario', 'deadlock', '--go', '1.19');
      assert.equal(c.code, 0);
      assert.match(c.out, /Outcome\n {2}deadlock — exit status 2/);
      assert.match(c.out, /fatal error: all goroutines are asleep - deadlock!/);
      assert.match(c.out, /goroutine 1 \[chan receive\]:/);
      assert.match(c.out, /goroutine 6 \[semacquire\]:/);
      assert.match(c.out, /Program output\n {2}\(no output\)/);
    });

    it('--asyncpreemptoff shows the tight loop never giving the P back', () => {
      const c = cli('scenario', 'tight-loop-preemption', '--asyncpreemptoff');
      assert.equal(c.code, 0);
      assert.match(c.out, /asyncpreemptoff/);
      assert.match(c.out, /stopped by a simulation budget/);
      assert.match(c.out, /preemptions +0\n/);
    });

    it('--json prints one JSON object with the scenario, config, output, exit, goroutines, stats and notes', () => {
      const c = cli('scenario', 'deadlock', '--json', '--procs', '1', '--go', '1.24');
      assert.equal(c.code, 0);
      const j = JSON.parse(c.out);
      assert.deepEqual(Object.keys(j).sort(), ['config', 'exit', 'goroutines', 'notes', 'output', 'scenario', 'stats', 'stderr']);
      assert.equal(j.scenario, 'deadlock');
      assert.equal(j.config.gomaxprocs, 1);
      assert.equal(j.config.goVersion, 24);
      assert.equal(j.exit.reason, 'deadlock');
      assert.equal(j.exit.code, 2);
      assert.equal(j.output, '');
      assert.deepEqual(j.goroutines, [{ id: 1, state: 'chan receive', line: 16 }, { id: 6, state: 'sync.WaitGroup.Wait', line: 13 }]);
      assert.equal(j.stats.goroutinesCreated, 2);
      assert.deepEqual(j.notes, []);
    });

    it('an unknown scenario is a usage error (exit 2) that lists the scenarios', () => {
      const c = cli('scenario', 'no-such-thing');
      assert.equal(c.code, 2);
      assert.equal(c.out, '');
      assert.match(c.err, /unknown scenario "no-such-thing"/);
      for (const s of SCENARIOS) assert.ok(c.err.includes(s.name));
    });

    it('bad --procs is a usage error that says so', () => {
      const c = cli('scenario', 'cpu-bound', '--procs', '0');
      assert.equal(c.code, 2);
      assert.match(c.err, /--procs needs a whole number of Ps/);
      assert.match(c.err, /gmp-tutor --help/);
    });

    it('--trace writes the Chrome trace (and keeps --json output parseable)', () => {
      const c = cli('scenario', 'work-stealing', '--trace', 'out.json', '--json');
      assert.equal(c.code, 0);
      JSON.parse(c.out);
      assert.match(c.err, /Chrome trace written to out\.json/);
      const trace = JSON.parse(c.files.get('out.json')!);
      assert.ok(Array.isArray(trace.traceEvents) && trace.traceEvents.length > 0);
    });

    it('reports a trace file it cannot write (exit 1)', () => {
      const c = runCli(['scenario', 'runnext-order', '--trace', '/nonexistent-dir/x.json'], {
        out: () => {}, err: () => {}, writeFile: (p, d) => writeFileSync(p, d),
      });
      assert.equal(c, 1);
    });
  });

  describe('the gmp-tutor entry point (src/cli/main.ts)', function () {
    this.timeout(60_000);
    let dir = '';
    before(() => { dir = mkdtempSync(join(tmpdir(), 'gmp-cli-')); });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const root = join(__dirname, '..', '..');
    const node = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join('src', 'cli', 'main.ts'), ...args], { encoding: 'utf8', cwd: root });

    it('exits 0 with the list, 2 on bad usage, and writes --trace to disk', () => {
      const list = node('scenario', '--list');
      assert.equal(list.status, 0, list.stderr);
      assert.match(list.stdout, /syscall-handoff/);
      const bad = node('scenario', 'nope');
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /unknown scenario "nope"/);
      const file = join(dir, 'trace.json');
      const traced = node('scenario', 'runnext-order', '--trace', file, '--limit', '3');
      assert.equal(traced.status, 0, traced.stderr);
      assert.ok(traced.stdout.includes(`Chrome trace written to ${file}`));
      assert.ok(Array.isArray(JSON.parse(readFileSync(join(dir, 'trace.json'), 'utf8')).traceEvents));
    });
  });
});
