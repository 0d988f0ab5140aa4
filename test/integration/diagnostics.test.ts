// Diagnostics in the real Problems model: message, range, severity, code link; they follow edits.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SOURCE, closeAllEditors, find, open, ours, setSetting, until, withCode, workspaceFile } from './helpers';

const { Error: ERROR, Warning: WARNING, Information: INFO } = vscode.DiagnosticSeverity;

describe('diagnostics', () => {
  afterEach(async () => {
    await setSetting('diagnostics.severity', undefined);
    await setSetting('diagnostics.enabled', undefined);
    await closeAllEditors();
  });

  it('a blocking syscall in a goroutine: message, exact range of the call, Information, code with a link', async () => {
    const { document: doc } = await open('blocking.go');
    const [d] = await until('a blocking-syscall diagnostic', () => withCode(doc.uri, 'blocking-syscall').length > 0 && withCode(doc.uri, 'blocking-syscall'));
    assert.equal(withCode(doc.uri, 'blocking-syscall').length, 1, 'exactly one blocking call in blocking.go');
    assert.equal(doc.getText(d.range), 'os.ReadFile(fmt.Sprintf("in-%d.txt", n))');
    assert.match(d.message, /^os\.ReadFile .*blocks its OS thread; if it lasts, the P is handed off; threads grow with concurrent calls/);
    assert.equal(d.severity, INFO);
    assert.equal(d.source, SOURCE);
    assert.ok(typeof d.code === 'object' && d.code.target instanceof vscode.Uri, 'code should be { value, target } with a link');
    assert.match(d.code.target.toString(), /README\.md#blocking-syscall$/);
  });

  it('a cgo call: message and range, Information outside loops and goroutines', async () => {
    const { document: doc } = await open('cgo.go');
    const [d] = await until('a cgo-call diagnostic', () => withCode(doc.uri, 'cgo-call').length > 0 && withCode(doc.uri, 'cgo-call'));
    assert.equal(doc.getText(d.range), 'C.work(21)');
    assert.match(d.message, /cgo call: cgocall enters a system call \(entersyscall\)/);
    assert.equal(d.severity, INFO);
  });

  it('wg.Add inside the goroutine it counts: a Warning on the Add', async () => {
    const { document: doc } = await open('lints.go');
    const [d] = await until('a waitgroup-add-in-goroutine diagnostic', () => withCode(doc.uri, 'waitgroup-add-in-goroutine').length > 0 && withCode(doc.uri, 'waitgroup-add-in-goroutine'));
    assert.equal(d.range.start.line, find(doc, 'wg.Add(1)').line);
    assert.ok(doc.getText(d.range).startsWith('wg.Add'), `range covers ${JSON.stringify(doc.getText(d.range))}`);
    assert.equal(d.severity, WARNING);
  });

  it('follow an edit: a new blocking call gets a diagnostic, the old one moves with its line, removing it clears it', async () => {
    // A copy outside the workspace: the edits are saved, so closing the editor cannot prompt.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gmp-edit-'));
    const copy = path.join(dir, 'edited.go');
    copyFileSync(workspaceFile('blocking.go').fsPath, copy);
    try {
      await followEdits(vscode.Uri.file(copy));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function followEdits(uri: vscode.Uri): Promise<void> {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const doc = editor.document;
    await until('the first diagnostics', () => withCode(doc.uri, 'blocking-syscall').length === 1);
    const readLine = find(doc, 'os.ReadFile').line;

    const insertAt = new vscode.Position(find(doc, 'wg.Wait()').line, 0);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, insertAt, '\tos.Remove("in-0.txt")\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = await until('two blocking-syscall diagnostics', () => {
      const ds = withCode(doc.uri, 'blocking-syscall');
      return ds.length === 2 && ds;
    });
    const texts = after.map((d) => doc.getText(d.range)).sort();
    assert.deepEqual(texts, ['os.ReadFile(fmt.Sprintf("in-%d.txt", n))', 'os.Remove("in-0.txt")']);
    assert.equal(after.find((d) => doc.getText(d.range).startsWith('os.Remove'))!.range.start.line, insertAt.line);

    // Delete the line holding the ReadFile: its diagnostic goes, the Remove one moves up.
    const del = new vscode.WorkspaceEdit();
    del.delete(doc.uri, new vscode.Range(readLine, 0, readLine + 1, 0));
    assert.ok(await vscode.workspace.applyEdit(del));
    const last = await until('one diagnostic left', () => {
      const ds = withCode(doc.uri, 'blocking-syscall');
      return ds.length === 1 && ds[0];
    });
    assert.equal(doc.getText(last.range), 'os.Remove("in-0.txt")');
    assert.equal(last.range.start.line, insertAt.line - 1);
    await doc.save();
  }

  it('settings: diagnostics.severity changes a code severity or hides it; diagnostics.enabled=false clears', async () => {
    const { document: doc } = await open('blocking.go');
    await until('a blocking-syscall diagnostic', () => withCode(doc.uri, 'blocking-syscall').length === 1);

    await setSetting('diagnostics.severity', { 'blocking-syscall': 'error' });
    await until('severity Error', () => withCode(doc.uri, 'blocking-syscall')[0]?.severity === ERROR);

    await setSetting('diagnostics.severity', { 'blocking-syscall': 'off' });
    await until('the diagnostic hidden', () => withCode(doc.uri, 'blocking-syscall').length === 0);

    await setSetting('diagnostics.severity', undefined);
    await until('the default severity back', () => withCode(doc.uri, 'blocking-syscall')[0]?.severity === INFO);

    await setSetting('diagnostics.enabled', false);
    await until('no diagnostics at all', () => ours(doc.uri).length === 0);
    await setSetting('diagnostics.enabled', true);
    await until('diagnostics back', () => withCode(doc.uri, 'blocking-syscall').length === 1);
  });

  it('a deadlock (background simulation): an Error at each blocked goroutine with the runtime message and wait reason', async () => {
    const { document: doc } = await open('deadlock.go');
    const ds = await until('two deadlock diagnostics', () => {
      const found = withCode(doc.uri, 'deadlock');
      return found.length === 2 && found;
    }, 60_000);
    ds.sort((a, b) => a.range.start.line - b.range.start.line);
    const [send, recv] = ds;
    assert.equal(send.range.start.line, find(doc, 'done <- true').line);
    assert.equal(recv.range.start.line, find(doc, 'v := <-results').line);
    for (const d of ds) {
      assert.equal(d.severity, ERROR);
      assert.match(d.message, /all goroutines are asleep - deadlock!/);
    }
    // The same goroutine ids and wait reasons real Go prints (see the fixture's header).
    assert.match(recv.message, /Goroutine 1 .*\[chan receive\]/);
    assert.match(send.message, /Goroutine 6 .*\[chan send\]/);
  });
});
