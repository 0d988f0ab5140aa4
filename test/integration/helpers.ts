// Shared by the extension-host suites: the extension's test API, the fixture workspace, and
// waiting on real state (the API's whenIdle) instead of sleeping.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GmpTutorApi } from '../../src/extension/api';

export const EXTENSION_ID = 'gmp-tutor.gmp-tutor';
export const COMMANDS = ['gmpTutor.simulate', 'gmpTutor.showPanel', 'gmpTutor.rerunWithProcs', 'gmpTutor.exportTrace'] as const;
export const SOURCE = 'GMP Tutor';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace (test/integration/workspace) is not open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** The repository's examples/ folder (the extension under test is loaded from the repository root). */
export function examplesFolder(): vscode.Uri {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return vscode.Uri.file(path.join(ext.extensionPath, 'examples'));
}

export async function api(): Promise<GmpTutorApi> {
  const ext = vscode.extensions.getExtension<GmpTutorApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext.isActive ? ext.exports : ext.activate();
}

export async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Waits until `probe` returns a value (not undefined/false), letting the extension settle
 * (whenIdle) between tries; fails with `what` and the last value seen after `timeoutMs`.
 */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const gmp = await api();
  for (;;) {
    await gmp.whenIdle();
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    // whenIdle resolves at once when nothing is pending: the event we wait for (a diagnostics
    // update, a tab) may still be on its way through the workbench.
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function withCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return ours(uri).filter((d) => codeOf(d) === code);
}

/** Position of the first occurrence of `text` in the document (optionally after `from`). */
export function find(doc: vscode.TextDocument, text: string, from = 0): vscode.Position {
  const at = doc.getText().indexOf(text, from);
  assert.ok(at >= 0, `${JSON.stringify(text)} not found in ${path.basename(doc.fileName)}`);
  return doc.positionAt(at);
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('gmpTutor').update(key, value, vscode.ConfigurationTarget.Global);
}

export function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('gmpTutor.panel'));
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Text of every hover the providers give at `pos`. */
export async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n---\n');
}
