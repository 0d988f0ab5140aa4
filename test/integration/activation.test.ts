// Activation on a Go file, the test API, the four commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GmpTutorApi } from '../../src/extension/api';
import { COMMANDS, EXTENSION_ID, open, until } from './helpers';

describe('activation', () => {
  it('is not active before a Go file is opened, and activates when one is', async () => {
    const ext = vscode.extensions.getExtension<GmpTutorApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded in the extension host`);
    assert.equal(ext.isActive, false, 'activated before any Go file was opened (activationEvents too eager)');
    const editor = await open('blocking.go');
    assert.equal(editor.document.languageId, 'go');
    const deadline = Date.now() + 20_000;
    while (!ext.isActive && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(ext.isActive, 'opening a .go file did not activate the extension (onLanguage:go)');
  });

  it('returns the test API and reports its activation time', async () => {
    const gmp = await until('the API', () => vscode.extensions.getExtension<GmpTutorApi>(EXTENSION_ID)?.exports);
    assert.equal(typeof gmp.whenIdle, 'function');
    assert.equal(typeof gmp.lastSimulation, 'function');
    assert.equal(typeof gmp.panelState, 'function');
    assert.ok(Number.isFinite(gmp.activationMs) && gmp.activationMs >= 0, `activationMs = ${gmp.activationMs}`);
    // A figure for the report, not a timed assertion.
    console.log(`      activate() took ${gmp.activationMs.toFixed(1)} ms`);
    await gmp.whenIdle();
  });

  it('registers all four commands', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of COMMANDS) assert.ok(all.has(id), `command ${id} is not registered`);
  });
});
