// "▶ Simulate scheduler · GOMAXPROCS n" above func main of package main.
import * as vscode from 'vscode';
import type { DiagnosticsController } from './diagnostics';
import type { SettingsService } from './settings';

export class MainCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly diagnostics: DiagnosticsController,
    private readonly settings: SettingsService,
    /** GOMAXPROCS the next run of this file would use (panel override or setting). */
    private readonly procsFor: (uri: vscode.Uri) => number,
  ) {
    this.subscription = settings.onDidChange(() => this.emitter.fire());
  }

  /** The GOMAXPROCS shown may have changed (a re-run with other settings). */
  refresh(): void {
    this.emitter.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!this.settings.current.codeLensEnabled) return [];
    const facts = await this.diagnostics.factsFor(document);
    if (facts.packageName !== 'main') return [];
    return facts.functions
      .filter((f) => f.isMain)
      .map(
        (f) =>
          new vscode.CodeLens(new vscode.Range(f.range.start.line, f.range.start.col, f.range.start.line, f.range.start.col), {
            title: `▶ Simulate scheduler · GOMAXPROCS ${this.procsFor(document.uri)}`,
            tooltip: 'Run this program on the simulated Go scheduler and show the G-M-P panel',
            command: 'gmpTutor.simulate',
            arguments: [document.uri],
          }),
      );
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
