// `gmp-tutor run <file.go>`: a Go file from disk, simulated and explained (in-process, captured output).
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseGo } from '../../src/core/golang/parser';
import { parseArgs } from '../../src/cli/args';
import { runCli, type CliIO } from '../../src/cli/run';
import { FIXTURES, loadParser } from './interp-helpers';

function capture(goMod?: number): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
    writeFile() { throw new Error('not expected'); },
    readFile: (p: string) => readFileSync(p, 'utf8'),
    parseGo,
    goModVersion: () => goMod,
  };
  return io;
}

/** Writes a Go program to a fresh temporary file and returns its path. */
function goFile(name: string, src: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'gmp-cli-')), name);
  writeFileSync(file, src);
  return file;
}

/** A blocked main next to a pending timer: `make` is time.NewTicker or time.NewTimer. */
const blockedWithTimer = (make: string) => `package main

import (
	"fmt"
	"time"
)

func main() {
	t := ${make}(time.Hour)
	_ = t
	fmt.Println("waiting")
	ch := make(chan int)
	<-ch
}
`;

describe('gmp-tutor run <file.go>', () => {
  before(() => loadParser());

  it('parses the run command and its options', () => {
    assert.deepEqual(parseArgs(['run', 'main.go', '--procs', '2', '--json']), { kind: 'run', file: 'main.go', procs: 2, json: true, limit: 200 });
    assert.equal(parseArgs(['run']).kind, 'error');
  });

  it('--max-time sets the virtual-time budget (a Go duration); at the budget the outcome says how to give the program longer', () => {
    assert.equal((parseArgs(['run', 'm.go', '--max-time', '1h30m']) as { maxTimeNs?: number }).maxTimeNs, 5400e9);
    assert.equal((parseArgs(['run', 'm.go', '--max-time=2.5ms']) as { maxTimeNs?: number }).maxTimeNs, 2.5e6);
    for (const bad of ['5', '3x', '-1s', '0s']) assert.match((parseArgs(['run', 'm.go', '--max-time', bad]) as { message?: string }).message ?? '', /--max-time needs a Go duration/, bad);
    const file = goFile('sleepy.go', 'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc main() {\n\ttime.Sleep(2 * time.Minute)\n\tfmt.Println("done")\n}\n');
    const cut = capture();
    runCli(['run', file], cut);
    assert.match(cut.stdout, /stopped at the virtual-time budget \(60 s\)\n\s+\(the program was still running: --max-time gives it longer/);
    const longer = capture();
    runCli(['run', file, '--max-time', '3m', '--json'], longer);
    const r = JSON.parse(longer.stdout) as { output: string; exit: { reason: string } };
    assert.equal(r.exit.reason, 'main-returned');
    assert.equal(r.output, 'done\n');
  });

  it('simulates the file and reports the deadlock in the runtime\'s words, with the timeline and stats', () => {
    const io = capture();
    const code = runCli(['run', path.join(FIXTURES, 'deadlock.go'), '--go', '1.19'], io);
    assert.equal(code, 0, io.stderr);
    assert.match(io.stdout, /Timeline \(virtual time\)/);
    assert.match(io.stdout, /fatal error: all goroutines are asleep - deadlock!/);
    assert.match(io.stdout, /goroutine 1 \[chan receive\]:/);
    assert.match(io.stdout, /goroutines created/);
  });

  it('--json prints one object naming the file, the exit and the stats', () => {
    const io = capture();
    assert.equal(runCli(['run', path.join(FIXTURES, 'goroutines-waitgroup.go'), '--json', '--procs', '2'], io), 0, io.stderr);
    const j = JSON.parse(io.stdout);
    assert.equal(j.file, path.join(FIXTURES, 'goroutines-waitgroup.go'));
    assert.equal(j.exit.reason, 'main-returned');
    assert.equal(j.config.gomaxprocs, 2);
    assert.ok(j.stats.goroutinesCreated > 1);
  });

  it('--json has the documented shape: output, exit {code, reason, message}, goroutines still alive with their line, stats, notes', () => {
    const io = capture();
    assert.equal(runCli(['run', path.join(FIXTURES, 'deadlock.go'), '--json', '--go', '1.19'], io), 0, io.stderr);
    const j = JSON.parse(io.stdout);
    assert.equal(typeof j.output, 'string');
    assert.equal(j.exit.code, 2);
    assert.equal(j.exit.reason, 'deadlock');
    assert.match(j.exit.message, /^fatal error: all goroutines are asleep - deadlock!/);
    const src = readFileSync(path.join(FIXTURES, 'deadlock.go'), 'utf8').split('\n');
    const main = j.goroutines.find((g: { id: number }) => g.id === 1);
    assert.equal(main.state, 'chan receive');
    // The line main is blocked on is a receive in the source.
    assert.match(src[main.line - 1]!, /<-/);
    for (const k of ['goroutinesCreated', 'peakGoroutines', 'peakThreads', 'threadsCreated', 'steals', 'handoffs', 'preemptions',
      'contextSwitches', 'virtualTimeNs', 'events']) {
      assert.equal(typeof j.stats[k], 'number', k);
    }
    assert.ok(Array.isArray(j.notes));
  });

  it('a Ticker keeps Go 1.19 from reporting the deadlock: the run says it blocks forever and why; 1.23+ reports it', () => {
    const file = goFile('ticker.go', blockedWithTimer('time.NewTicker'));
    const old = capture();
    runCli(['run', file, '--go', '1.19'], old);
    assert.match(old.stdout, /blocks forever without a deadlock report/);
    assert.match(old.stdout, /Ticker timer\(s\) stay pending/);
    assert.doesNotMatch(old.stdout, /fatal error/);
    const j = capture();
    runCli(['run', file, '--go', '1.19', '--json'], j);
    assert.equal(JSON.parse(j.stdout).exit.reason, 'hang');
    const now = capture();
    runCli(['run', file, '--go', '1.23', '--json'], now);
    assert.equal(JSON.parse(now.stdout).exit.reason, 'deadlock');
  });

  it('a server waiting for connections blocks forever without a deadlock report, because a goroutine waits in the netpoller', () => {
    const io = capture();
    runCli(['run', goFile('server.go', 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n')], io);
    assert.match(io.stdout, /blocks forever without a deadlock report/);
    assert.match(io.stdout, /wait for network I\/O that never becomes ready/);
    assert.doesNotMatch(io.stdout, /fatal error/);
  });

  it('a pending one-shot timer only delays the deadlock report until it fires (Go 1.19), even past the time budget', () => {
    const io = capture();
    runCli(['run', goFile('timer.go', blockedWithTimer('time.NewTimer')), '--go', '1.19', '--json'], io);
    const j = JSON.parse(io.stdout);
    assert.equal(j.exit.reason, 'deadlock');
    assert.ok(j.exit.timeNs >= 3600e9 && j.exit.timeNs < 3600.001e9, String(j.exit.timeNs));
    assert.ok(j.notes.some((n: string) => /skipped to/.test(n)));
  });

  it('print/println, log and os.Stderr go to standard error, fmt.Print* to standard output, as in Go', () => {
    const file = goFile('streams.go', `package main

import (
	"fmt"
	"log"
	"os"
)

func main() {
	fmt.Println("out 1")
	println("err", 1)
	log.Println("logged")
	fmt.Fprintln(os.Stderr, "to stderr")
	fmt.Fprintln(os.Stdout, "out 2")
	print("x\\n")
}
`);
    const j = capture();
    runCli(['run', file, '--json'], j);
    const r = JSON.parse(j.stdout);
    assert.equal(r.output, 'out 1\nout 2\n');
    assert.equal(r.stderr, 'err 1\nlogged\nto stderr\nx\n');
    const human = capture();
    runCli(['run', file], human);
    assert.equal(human.stderr, 'err 1\nlogged\nto stderr\nx\n');
    assert.match(human.stdout, /Program output\n  out 1\n  out 2\n  \(and 4 lines on standard error/);
  });

  it('a panic or a deadlock is written to standard error too, as the runtime does (without go run\'s exit status line)', () => {
    const j = capture();
    runCli(['run', path.join(FIXTURES, 'panic-exit.go'), '--json'], j);
    const r = JSON.parse(j.stdout);
    assert.match(r.stderr, /^panic: something went wrong: 42\n\ngoroutine 1 \[running\]:\nmain\.main\(\)\n/);
    assert.doesNotMatch(r.stderr, /exit status/);
    const human = capture();
    runCli(['run', path.join(FIXTURES, 'deadlock.go'), '--go', '1.19'], human);
    assert.match(human.stderr, /^fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \[chan receive\]:/);
    assert.equal(JSON.parse((() => { const k = capture(); runCli(['run', path.join(FIXTURES, 'basics.go'), '--json'], k); return k.stdout; })()).stderr, '');
  });

  it('takes the Go version from go.mod unless --go is given', () => {
    const file = path.join(FIXTURES, 'basics.go');
    const fromMod = capture(21);
    runCli(['run', file, '--json'], fromMod);
    assert.equal(JSON.parse(fromMod.stdout).config.goVersion, 21);
    const explicit = capture(21);
    runCli(['run', file, '--json', '--go', '1.24'], explicit);
    assert.equal(JSON.parse(explicit.stdout).config.goVersion, 24);
  });

  it('a file that cannot be read is a usage error with a clear message', () => {
    const io = capture();
    assert.equal(runCli(['run', '/nonexistent/main.go'], io), 2);
    assert.match(io.stderr, /cannot read \/nonexistent\/main\.go/);
  });
});
