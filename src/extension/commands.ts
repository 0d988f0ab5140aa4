// The four commands, and the panel's requests (re-run, export) that share their code.
import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import { LIMITS, type SimulationData } from '../protocol';
import type { IdleTracker } from './api';
import type { DiagnosticsController } from './diagnostics';
import { SchedulerPanel, type PanelActions } from './panel';
import { isCancelled, type Runs } from './runs';
import type { SimulationHost } from './simulationHost';

export interface CommandServices {
  readonly extensionUri: vscode.Uri;
  readonly runs: Runs;
  /** The worker host (started on first use). */
  readonly host: () => SimulationHost;
  readonly diagnostics: DiagnosticsController;
  readonly idle: IdleTracker;
  readonly log: vscode.LogOutputChannel;
  /** The GOMAXPROCS in the CodeLens may change after a run with other settings. */
  readonly onConfigShown: () => void;
}

export class Commands implements PanelActions {
  constructor(private readonly s: CommandServices) {}

  register(): vscode.Disposable[] {
    const track =
      <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> =>
        this.s.idle.track(f(...args));
    return [
      vscode.commands.registerCommand('gmpTutor.simulate', track((arg?: unknown) => this.simulate(arg))),
      vscode.commands.registerCommand('gmpTutor.showPanel', track(() => this.showPanel())),
      vscode.commands.registerCommand('gmpTutor.rerunWithProcs', track((n?: unknown) => this.rerunWithProcs(n))),
      vscode.commands.registerCommand('gmpTutor.exportTrace', track((target?: unknown) => this.exportTraceTo(target))),
    ];
  }

  /** gmpTutor.simulate: the given file (Uri, or a URI string from a hover link), else the active editor. */
  async simulate(arg?: unknown): Promise<void> {
    const uri = toUri(arg) ?? activeGoUri();
    if (!uri) {
      void vscode.window.showInformationMessage('GMP Tutor: open a Go file (or right-click one in the explorer) to simulate it.');
      return;
    }
    await this.simulateUri(uri);
  }

  private async simulateUri(uri: vscode.Uri): Promise<void> {
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch (e) {
      void vscode.window.showErrorMessage(`GMP Tutor could not open ${uri.path.split('/').pop()}: ${(e as Error).message}`);
      return;
    }
    if (document.languageId !== 'go' && !uri.path.endsWith('.go')) {
      void vscode.window.showInformationMessage(`GMP Tutor simulates Go files; ${uri.path.split('/').pop()} is not one.`);
      return;
    }
    const panel = SchedulerPanel.createOrShow(this.s.extensionUri, uri, this, this.s.log);
    let runId = 0;
    try {
      const outcome = await this.s.runs.simulate(document, 'user', (id, config) => {
        runId = id;
        panel.post({ type: 'running', runId, fileName: uri.path.split('/').pop() ?? uri.toString(), config });
      });
      // The panel may have been closed or moved to another file while the run went on.
      const current = SchedulerPanel.instance;
      if (current && current.fileUri.toString() === uri.toString()) current.post({ type: 'simulation', data: outcome.data });
      this.s.diagnostics.setSimulationAdvice(document, outcome.version, outcome.reply.advice);
      this.s.onConfigShown();
    } catch (e) {
      if (isCancelled(e)) {
        SchedulerPanel.instance?.post({ type: 'runFailed', runId, message: `The simulation was stopped: ${(e as Error).message}.` });
        return;
      }
      const message = `The simulation of ${uri.path.split('/').pop()} failed: ${(e as Error)?.message ?? e}`;
      this.s.log.error(message);
      SchedulerPanel.instance?.post({ type: 'runFailed', runId, message });
      void vscode.window.showErrorMessage(`GMP Tutor: ${message}`);
    }
  }

  /** gmpTutor.showPanel: reveal the panel, or open it on the last run, or simulate the active Go file. */
  async showPanel(): Promise<void> {
    const panel = SchedulerPanel.instance;
    if (panel) {
      SchedulerPanel.createOrShow(this.s.extensionUri, panel.fileUri, this, this.s.log, false);
      return;
    }
    const last = this.s.runs.lastData;
    if (last) {
      const p = SchedulerPanel.createOrShow(this.s.extensionUri, vscode.Uri.parse(last.fileUri), this, this.s.log, false);
      p.post({ type: 'simulation', data: last });
      return;
    }
    const uri = activeGoUri();
    if (uri) return this.simulateUri(uri);
    void vscode.window.showInformationMessage('GMP Tutor: open a Go file and run "Simulate Scheduler" to fill the panel.');
  }

  /** gmpTutor.rerunWithProcs: a number argument skips the quick pick. */
  async rerunWithProcs(arg?: unknown): Promise<void> {
    const uri = SchedulerPanel.instance?.fileUri ?? activeGoUri();
    if (!uri) {
      void vscode.window.showInformationMessage('GMP Tutor: open a Go file (or simulate one) first.');
      return;
    }
    let n: number | undefined;
    if (arg !== undefined) {
      n = typeof arg === 'string' ? Number(arg) : typeof arg === 'number' ? arg : NaN;
      if (!Number.isInteger(n) || n < 1 || n > LIMITS.maxProcs) {
        void vscode.window.showErrorMessage(`GMP Tutor: GOMAXPROCS must be a whole number from 1 to ${LIMITS.maxProcs}, not ${JSON.stringify(arg)}.`);
        return;
      }
    } else {
      n = await pickProcs(this.s.runs.procsFor(uri));
      if (n === undefined) return;
    }
    this.s.runs.setOverrides(uri, { gomaxprocs: n });
    await this.simulateUri(uri);
  }

  // ---- PanelActions ------------------------------------------------------------------------------

  rerun(fileUri: vscode.Uri, overrides: { gomaxprocs?: number; seed?: number }): void {
    this.s.runs.setOverrides(fileUri, overrides);
    void this.s.idle.track(this.simulateUri(fileUri));
  }

  track(work: Promise<unknown>): void {
    void this.s.idle.track(work);
  }

  exportTrace(): void {
    void this.s.idle.track(this.exportTraceTo(undefined));
  }

  restore(fileUri: vscode.Uri, state: { config?: { gomaxprocs?: number; seed?: number } }): void {
    if (state.config) this.s.runs.setOverrides(fileUri, state.config);
    void this.s.idle.track(this.simulateUri(fileUri));
  }

  /** gmpTutor.exportTrace: writes the shown run as Chrome/Perfetto JSON; returns where (for tests). */
  async exportTraceTo(arg?: unknown): Promise<vscode.Uri | undefined> {
    const data: SimulationData | undefined = SchedulerPanel.instance?.shownSimulation ?? this.s.runs.lastData;
    if (!data) {
      void vscode.window.showInformationMessage('GMP Tutor: simulate a Go file first; the trace is that run.');
      return undefined;
    }
    let target = toUri(arg);
    if (!target) {
      const source = vscode.Uri.parse(data.fileUri);
      target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(source, '..', `${data.fileName.replace(/\.go$/, '')}.trace.json`),
        filters: { 'Chrome/Perfetto trace': ['json'] },
        saveLabel: 'Export Trace',
      });
      if (!target) return undefined;
    }
    let bytes: Uint8Array;
    try {
      // Built in the worker: converting a log of millions of events takes seconds.
      bytes = await this.s.host().chromeTrace(data.log, data.config.goVersion);
    } catch (e) {
      if (!isCancelled(e)) void vscode.window.showErrorMessage(`GMP Tutor could not export the trace: ${(e as Error)?.message ?? e}`);
      return undefined;
    }
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
    } catch (e) {
      void vscode.window.showErrorMessage(`GMP Tutor could not write the trace to ${target.fsPath}: ${(e as Error).message}`);
      return undefined;
    }
    this.s.log.info(`trace of ${data.fileName} written to ${target.toString()} (${bytes.length.toLocaleString('en-US')} bytes)`);
    void vscode.window.showInformationMessage(`GMP Tutor: trace written to ${target.path.split('/').pop()}. Open it in ui.perfetto.dev or chrome://tracing.`);
    return target;
  }
}

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') {
    try {
      return vscode.Uri.parse(arg, true);
    } catch {
      return undefined;
    }
  }
  // A Uri that crossed a serialization boundary (e.g. from a test) keeps its fields.
  if (arg && typeof arg === 'object' && 'scheme' in arg && 'path' in arg) {
    try {
      return vscode.Uri.from(arg as { scheme: string; path: string });
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function activeGoUri(): vscode.Uri | undefined {
  const d = vscode.window.activeTextEditor?.document;
  return d && d.languageId === 'go' ? d.uri : undefined;
}

async function pickProcs(current: number): Promise<number | undefined> {
  const cores = availableParallelism();
  const choices = [...new Set([1, 2, 4, 8, 16, cores])].sort((a, b) => a - b);
  const items: vscode.QuickPickItem[] = choices.map((n) => ({
    label: String(n),
    description: [n === cores ? 'this machine\'s cores' : '', n === current ? 'current' : ''].filter(Boolean).join(', ') || undefined,
  }));
  items.push({ label: 'Other…' });
  const picked = await vscode.window.showQuickPick(items, { title: 'Re-run with GOMAXPROCS', placeHolder: `Number of Ps (now ${current})` });
  if (!picked) return undefined;
  if (picked.label !== 'Other…') return Number(picked.label);
  const typed = await vscode.window.showInputBox({
    title: 'Re-run with GOMAXPROCS',
    prompt: `A whole number from 1 to ${LIMITS.maxProcs}`,
    value: String(current),
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= LIMITS.maxProcs ? undefined : `1 … ${LIMITS.maxProcs}`),
  });
  return typed === undefined ? undefined : Number(typed);
}
