// The gmpTutor.* settings, read through settingsModel.ts, re-read on every change (no reload needed).
import * as vscode from 'vscode';
import { parseSettings, type Settings } from './settingsModel';

export class SettingsService implements vscode.Disposable {
  private value: Settings;
  private readonly emitter = new vscode.EventEmitter<Settings>();
  /** Fires after any gmpTutor.* setting changed, with the new values. */
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.value = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('gmpTutor')) return;
      this.value = this.read();
      this.log.info('settings changed');
      this.emitter.fire(this.value);
    });
  }

  get current(): Settings {
    return this.value;
  }

  private read(): Settings {
    const config = vscode.workspace.getConfiguration('gmpTutor');
    const s = parseSettings((key) => config.get(key));
    for (const p of s.problems) this.log.warn(`setting gmpTutor.${p}; using the default`);
    return s;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
