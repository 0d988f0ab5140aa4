// The packaged extension (.vsix), installed with `--install-extension` like a user would, not
// loaded from the source folder: it activates on a Go file and its bundles and parser wasm load
// from the package (diagnostics appear, a simulation runs).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GmpTutorApi } from '../../src/extension/api';
import { COMMANDS, EXTENSION_ID, open, until, withCode, workspaceFile } from '../integration/helpers';

describe('installed .vsix', () => {
  it('is the installed package, not the source folder', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    assert.match(ext.extensionPath, /[\\/]extensions[\\/]gmp-tutor\.gmp-tutor-\d+\.\d+\.\d+$/);
  });

  it('activates on a Go file, registers its commands and publishes diagnostics', async () => {
    const ext = vscode.extensions.getExtension<GmpTutorApi>(EXTENSION_ID)!;
    const { document: doc } = await open('blocking.go');
    const deadline = Date.now() + 20_000;
    while (!ext.isActive && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(ext.isActive, 'the installed extension did not activate on a .go file');
    console.log(`      installed extension: activate() took ${ext.exports.activationMs.toFixed(1)} ms`);
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of COMMANDS) assert.ok(all.has(id), `command ${id} is not registered`);
    await until('a blocking-syscall diagnostic', () => withCode(doc.uri, 'blocking-syscall').length === 1);
  });

  it('simulates a file (the worker bundle runs from the package)', async () => {
    const gmp = vscode.extensions.getExtension<GmpTutorApi>(EXTENSION_ID)!.exports;
    const uri = workspaceFile('deadlock.go');
    await vscode.commands.executeCommand('gmpTutor.simulate', uri);
    const run = await until('a run of deadlock.go', () => gmp.lastSimulation()?.fileUri === uri.toString() && gmp.lastSimulation());
    assert.equal(run.exit.reason, 'deadlock');
  });
});
