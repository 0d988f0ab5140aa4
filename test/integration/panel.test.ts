// The commands end to end in the extension host: simulate opens the panel tab, showPanel brings it
// back, rerunWithProcs and the settings change the run, exportTrace writes a Chrome trace.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAllEditors, setSetting, until, webviewTabs, workspaceFile } from './helpers';

/** Simulates the file with the current settings and returns how the run ended. */
async function simulateExit(uri: vscode.Uri) {
  const gmp = await api();
  await vscode.commands.executeCommand('gmpTutor.simulate', uri);
  await gmp.whenIdle();
  const r = gmp.lastSimulation();
  assert.equal(r?.fileUri, uri.toString());
  return r!.exit;
}

describe('panel and commands', () => {
  afterEach(async () => {
    for (const key of ['gomaxprocs', 'seed', 'goVersion', 'budget.virtualTimeMs', 'asyncPreemption', 'rerunOnSave']) await setSetting(key, undefined);
  });
  after(closeAllEditors);

  it('gmpTutor.simulate on a file opens the "GMP Tutor: <file>" panel and the webview says ready', async () => {
    await closeAllEditors();
    const gmp = await api();
    const uri = workspaceFile('blocking.go');
    await vscode.commands.executeCommand('gmpTutor.simulate', uri);
    const tab = await until('the panel tab', () => webviewTabs()[0]);
    assert.equal(tab.label, 'GMP Tutor: blocking.go');
    await until('the webview to say ready', () => gmp.panelState().webviewReady);
    const state = gmp.panelState();
    assert.ok(state.open && state.visible, JSON.stringify(state));
    assert.equal(state.fileUri, uri.toString());

    const run = gmp.lastSimulation();
    assert.ok(run, 'no simulation recorded');
    assert.equal(run.fileUri, uri.toString());
    assert.equal(run.exit.reason, 'main-returned', run.exit.message);
    assert.equal(run.exit.code, 0);
    // main + the four goroutines of the loop.
    assert.equal(run.stats.goroutinesCreated, 5);
  });

  it('gmpTutor.simulate without an argument uses the active editor', async () => {
    await closeAllEditors();
    const gmp = await api();
    const uri = workspaceFile('cgo.go');
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('gmpTutor.simulate');
    await until('a run of cgo.go', () => gmp.lastSimulation()?.fileUri === uri.toString());
    const tab = await until('the panel tab', () => webviewTabs()[0]);
    assert.equal(tab.label, 'GMP Tutor: cgo.go');
  });

  it('gmpTutor.showPanel brings the closed panel back', async () => {
    const gmp = await api();
    await closeAllEditors();
    await until('no panel tab', () => webviewTabs().length === 0);
    await vscode.commands.executeCommand('gmpTutor.showPanel');
    await until('the panel tab again', () => webviewTabs().length === 1);
    await until('the webview to say ready', () => gmp.panelState().webviewReady);
  });

  it('gmpTutor.rerunWithProcs N re-simulates with GOMAXPROCS N', async () => {
    const gmp = await api();
    await vscode.commands.executeCommand('gmpTutor.simulate', workspaceFile('blocking.go'));
    await until('a run', () => gmp.lastSimulation()?.fileUri.endsWith('blocking.go'));
    await vscode.commands.executeCommand('gmpTutor.rerunWithProcs', 3);
    await until('a run with GOMAXPROCS 3', () => gmp.lastSimulation()?.config.gomaxprocs === 3);
    assert.ok(gmp.lastSimulation()!.fileUri.endsWith('blocking.go'));
  });

  it('settings: gomaxprocs, seed and goVersion take effect on the next run; auto = cores and the go.mod line', async () => {
    const gmp = await api();
    // Not blocking.go: "Re-run with GOMAXPROCS…" above set a per-file override for it, which wins over the setting.
    const uri = workspaceFile('cgo.go');
    const simulate = async () => {
      await vscode.commands.executeCommand('gmpTutor.simulate', uri);
      await gmp.whenIdle();
      const run = gmp.lastSimulation();
      assert.ok(run);
      return run.config;
    };
    const auto = await simulate();
    assert.equal(auto.gomaxprocs, os.availableParallelism?.() ?? os.cpus().length, 'gomaxprocs "auto" is the number of cores');
    assert.equal(auto.goVersion, 22, 'goVersion "auto" reads `go 1.22` from the workspace go.mod');

    await setSetting('gomaxprocs', 5);
    await setSetting('seed', 7);
    await setSetting('goVersion', '1.19');
    const set = await simulate();
    assert.deepEqual({ p: set.gomaxprocs, seed: set.seed, go: set.goVersion }, { p: 5, seed: 7, go: 19 });
  });

  it('setting budget.virtualTimeMs below what the program needs stops the run with reason "budget"', async () => {
    const uri = workspaceFile('sleepy.go');
    const run = () => simulateExit(uri);
    const full = await run();
    assert.equal(full.reason, 'main-returned', full.message);
    await setSetting('budget.virtualTimeMs', 10); // main sleeps 50 ms
    const cut = await run();
    assert.equal(cut.reason, 'budget', cut.message);
  });

  it('asyncPreemption=false: a spinning goroutine keeps the only P and main never runs again (Go <= 1.13)', async () => {
    const uri = workspaceFile('spin.go');
    const run = () => simulateExit(uri);
    // A short virtual-time budget: without preemption the run only ends there.
    await setSetting('budget.virtualTimeMs', 200);
    const preempted = await run();
    assert.equal(preempted.reason, 'main-returned', `sysmon should preempt the spinner after ~10 ms: ${preempted.message}`);
    await setSetting('asyncPreemption', false);
    const starved = await run();
    assert.equal(starved.reason, 'budget', starved.message);
  });

  it('saving the file the panel shows re-runs it (rerunOnSave); with the setting off, saving does not', async () => {
    await closeAllEditors();
    const gmp = await api();
    const uri = workspaceFile('sleepy.go');
    const original = readFileSync(uri.fsPath, 'utf8');
    const doc = await vscode.workspace.openTextDocument(uri);
    /** Replaces `from` with `to` in the document and saves it. */
    const editAndSave = async (from: string, to: string): Promise<void> => {
      const at = doc.getText().indexOf(from);
      assert.ok(at >= 0, `"${from}" not in sleepy.go`);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to);
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await doc.save(), 'the document was saved');
      await gmp.whenIdle();
    };
    try {
      assert.equal((await simulateExit(uri)).reason, 'main-returned');
      // main now waits forever on a channel nobody sends on: the saved file deadlocks.
      await editAndSave('fmt.Println("woke up")', 'fmt.Println("woke up")\n\t<-make(chan int)');
      const rerun = await until('a run of the saved text', () => gmp.lastSimulation()?.exit.reason === 'deadlock' && gmp.lastSimulation());
      assert.equal(rerun.fileUri, uri.toString());
      assert.match(rerun.exit.message, /all goroutines are asleep - deadlock!/);

      await setSetting('rerunOnSave', false);
      await editAndSave('\n\t<-make(chan int)', '');
      assert.equal(gmp.lastSimulation()?.exit.reason, 'deadlock', 'no run after the save: the panel still shows the last run');
    } finally {
      if (doc.isDirty) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      if (readFileSync(uri.fsPath, 'utf8') !== original) writeFileSync(uri.fsPath, original);
    }
  });

  it('gmpTutor.exportTrace writes a Chrome/Perfetto trace of the shown run', async () => {
    const gmp = await api();
    await vscode.commands.executeCommand('gmpTutor.simulate', workspaceFile('blocking.go'));
    await until('a run', () => gmp.lastSimulation());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gmp-trace-'));
    try {
      const target = vscode.Uri.file(path.join(dir, 'trace.json'));
      await vscode.commands.executeCommand('gmpTutor.exportTrace', target);
      await gmp.whenIdle();
      const trace = JSON.parse(readFileSync(target.fsPath, 'utf8')) as { traceEvents?: { ph: string; name: string }[] } | { ph: string }[];
      const events = Array.isArray(trace) ? trace : trace.traceEvents ?? [];
      assert.ok(events.length > 10, `only ${events.length} trace events`);
      assert.ok(events.every((e) => typeof e.ph === 'string'), 'every trace event has a phase');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
