// The CodeLens above func main: its title shows the GOMAXPROCS the run would use, it runs the
// simulate command on this file, and codeLens.enabled=false removes it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, find, open, setSetting, until } from './helpers';

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  // The second argument resolves every lens (title and command filled in).
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}

describe('CodeLens', () => {
  after(async () => {
    await setSetting('gomaxprocs', undefined);
    await setSetting('codeLens.enabled', undefined);
    await closeAllEditors();
  });

  it('"▶ Simulate scheduler · GOMAXPROCS n" above func main runs gmpTutor.simulate on the file, n follows the setting', async () => {
    const { document: doc } = await open('lints.go');
    await setSetting('gomaxprocs', 3);
    const lens = await until('the CodeLens with GOMAXPROCS 3', async () => (await lenses(doc.uri)).find((l) => l.command?.title.endsWith('GOMAXPROCS 3')));
    assert.equal(lens.command!.title, '▶ Simulate scheduler · GOMAXPROCS 3');
    assert.equal(lens.range.start.line, find(doc, 'func main').line);
    assert.equal(lens.command!.command, 'gmpTutor.simulate');
    const arg = lens.command!.arguments?.[0] as vscode.Uri | undefined;
    assert.equal(arg?.toString(), doc.uri.toString());
  });

  it('codeLens.enabled=false removes it', async () => {
    const { document: doc } = await open('lints.go');
    await setSetting('codeLens.enabled', false);
    await until('no CodeLens', async () => (await lenses(doc.uri)).filter((l) => l.command?.command === 'gmpTutor.simulate').length === 0);
  });
});
