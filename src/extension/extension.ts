// Extension host entry point. Commands, diagnostics, hovers and the panel arrive in later
// issues; for now activation only opens the log channel so there is somewhere to report.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('GMP Tutor', { log: true });
  context.subscriptions.push(log);
  log.info('activated');
}

export function deactivate(): void {
  // Everything we own is disposed through context.subscriptions.
}
