// Hover hints on scheduler-relevant code: the words come from src/core/knowledge/hovers.ts; this
// adds the command link that simulates the file.
import * as vscode from 'vscode';
import { hoverAt } from '../core/knowledge/hovers';
import type { DiagnosticsController } from './diagnostics';
import type { SettingsService } from './settings';

export function simulateLink(uri: vscode.Uri): string {
  return `[▶ Simulate this file](command:gmpTutor.simulate?${encodeURIComponent(JSON.stringify([uri.toString()]))} "Simulate the scheduler on this file")`;
}

export class SchedulerHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly diagnostics: DiagnosticsController,
    private readonly settings: SettingsService,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!this.settings.current.hoversEnabled) return undefined;
    const facts = await this.diagnostics.factsFor(document);
    const h = hoverAt(facts, { line: position.line, col: position.character });
    if (!h) return undefined;
    const md = new vscode.MarkdownString(`${h.markdown}\n\n${simulateLink(document.uri)}`);
    md.isTrusted = { enabledCommands: ['gmpTutor.simulate'] };
    return new vscode.Hover(md, new vscode.Range(h.range.start.line, h.range.start.col, h.range.end.line, h.range.end.col));
  }
}
