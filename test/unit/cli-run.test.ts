// `gmp-tutor run <file.go>`: a Go file from disk, simulated and explained (in-process, captured output).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
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

describe('gmp-tutor run <file.go>', () => {
  before(() => loadParser());

  it('parses the run command and its options', () => {
    assert.deepEqual(parseArgs(['run', 'main.go', '--procs', '2', '--json']), { kind: 'run', file: 'main.go', procs: 2, json: true, limit: 200 });
    assert.equal(parseArgs(['run']).kind, 'error');
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
