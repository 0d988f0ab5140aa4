// Every lesson program in examples/ simulates to the outcome its header promises: the deadlock
// example deadlocks, the others end normally (no internal error, no budget cut).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeAllEditors, examplesFolder, until } from './helpers';

const EXPECTED = ['goroutines-waitgroup.go', 'gomaxprocs-cpu.go', 'blocking-syscall.go', 'network-server.go', 'cgo-call.go', 'deadlock.go'];

describe('examples', () => {
  after(closeAllEditors);

  it('examples/ holds the six lesson programs and a go.mod', async () => {
    const names = (await vscode.workspace.fs.readDirectory(examplesFolder())).map(([n]) => n);
    for (const n of [...EXPECTED, 'go.mod']) assert.ok(names.includes(n), `examples/${n} is missing (has: ${names.join(', ')})`);
  });

  for (const name of EXPECTED) {
    it(`${name} simulates to ${name === 'deadlock.go' ? 'a deadlock' : 'a normal end'}`, async () => {
      const gmp = await api();
      const uri = vscode.Uri.joinPath(examplesFolder(), name);
      await vscode.workspace.fs.stat(uri); // fails here, not with a timeout, when the example is missing
      await vscode.commands.executeCommand('gmpTutor.simulate', uri);
      const run = await until(`a run of ${name}`, () => {
        const r = gmp.lastSimulation();
        return r?.fileUri === uri.toString() && r;
      }, 60_000);
      if (name === 'deadlock.go') {
        assert.equal(run.exit.reason, 'deadlock');
        assert.match(run.exit.message, /fatal error: all goroutines are asleep - deadlock!/);
      } else {
        assert.equal(run.exit.reason, 'main-returned', `${run.exit.reason}: ${run.exit.message}`);
      }
    });
  }
});
