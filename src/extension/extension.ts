// Extension host entry point: wiring only. Activation is cheap on purpose: the parser loads on the
// first diagnostics refresh or hover, the simulation worker on the first run.
import * as vscode from 'vscode';
import { IdleTracker, type GmpTutorApi } from './api';
import { MainCodeLensProvider } from './codeLens';
import { Commands } from './commands';
import { DiagnosticsController } from './diagnostics';
import { SchedulerHoverProvider } from './hovers';
import { SchedulerPanel } from './panel';
import { isCancelled, Runs } from './runs';
import { SettingsService } from './settings';
import { SimulationHost } from './simulationHost';

const GO: vscode.DocumentSelector = [
  { language: 'go', scheme: 'file' },
  { language: 'go', scheme: 'untitled' },
];

export function activate(context: vscode.ExtensionContext): GmpTutorApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('GMP Tutor', { log: true });
  context.subscriptions.push(log);
  const idle = new IdleTracker();
  const settings = new SettingsService(log);
  context.subscriptions.push(settings);

  let host: SimulationHost | undefined;
  const getHost = (): SimulationHost => {
    if (!host) {
      host = new SimulationHost(vscode.Uri.joinPath(context.extensionUri, 'dist', 'simulationWorker.js').fsPath, (line) => log.info(line));
      log.info('simulation worker started');
    }
    return host;
  };
  context.subscriptions.push({ dispose: () => host?.dispose() });

  const runs = new Runs(getHost, settings, log);
  const diagnostics = new DiagnosticsController(context.extensionPath, settings, idle, log);
  context.subscriptions.push(diagnostics);
  diagnostics.backgroundSimulate = (document) =>
    runs.simulate(document, 'background').then(
      (o) => ({ version: o.version, advice: o.reply.advice }),
      (e: unknown) => {
        if (isCancelled(e)) return undefined;
        throw e;
      },
    );

  const codeLens = new MainCodeLensProvider(diagnostics, settings, (uri) => runs.procsFor(uri));
  const commands = new Commands({ extensionUri: context.extensionUri, runs, host: getHost, diagnostics, idle, log, onConfigShown: () => codeLens.refresh() });
  context.subscriptions.push(
    codeLens,
    ...commands.register(),
    vscode.languages.registerHoverProvider(GO, new SchedulerHoverProvider(diagnostics, settings)),
    vscode.languages.registerCodeLensProvider(GO, codeLens),
    vscode.window.registerWebviewPanelSerializer(SchedulerPanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => {
        SchedulerPanel.revive(panel, state, context.extensionUri, commands, log);
      },
    }),
    vscode.workspace.onDidSaveTextDocument((d) => {
      const panel = SchedulerPanel.instance;
      if (settings.current.rerunOnSave && panel && panel.fileUri.toString() === d.uri.toString()) void idle.track(commands.simulate(d.uri));
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      const panel = SchedulerPanel.instance;
      if (!panel || e.textEditor.document.uri.toString() !== panel.fileUri.toString()) return;
      panel.post({ type: 'cursor', fileUri: panel.fileUri.toString(), line: e.selections[0]!.active.line + 1 });
    }),
    { dispose: () => SchedulerPanel.instance?.dispose() },
  );

  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    whenIdle: () => idle.whenIdle(),
    lastSimulation: () => runs.lastSimulation,
    panelState: () => SchedulerPanel.instance?.info ?? { open: false, visible: false, webviewReady: false },
    activationMs,
  };
}

export function deactivate(): void {
  // Everything we own is disposed through context.subscriptions.
}
