// The "gmp-tutor" DiagnosticCollection. Fact-based advice is refreshed as the user types (debounced,
// incremental re-parse in the host); simulation-based advice (deadlock, leak, blocks forever) comes
// from a background run in the worker and is shown only while the text is the one simulated.
import * as vscode from 'vscode';
import type { Facts } from '../core/golang/facts';
import { adviceDocUrl, type Advice, type AdviceSeverity } from '../core/knowledge/advice';
import type { IdleTracker } from './api';
import { DocumentFacts } from './documentFacts';
import { ensureParser } from './parserLoader';
import type { SettingsService } from './settings';

export const DIAGNOSTIC_SOURCE = 'GMP Tutor';
const FACTS_DEBOUNCE_MS = 250;
const SIMULATE_DEBOUNCE_MS = 1_000;

interface DocState {
  readonly facts: DocumentFacts;
  timer?: NodeJS.Timeout;
  endTimer?: () => void;
  simTimer?: NodeJS.Timeout;
  endSimTimer?: () => void;
  /** Advice from a simulation of this exact document version. */
  sim?: { version: number; advice: Advice[] };
}

/** Runs a background simulation of a document and returns its advice (undefined if superseded). */
export type BackgroundSimulate = (document: vscode.TextDocument) => Promise<{ version: number; advice: Advice[] } | undefined>;

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('gmp-tutor');
  private readonly docs = new Map<string, DocState>();
  private readonly subscriptions: vscode.Disposable[] = [];
  backgroundSimulate: BackgroundSimulate | null = null;

  constructor(
    private readonly extensionPath: string,
    private readonly settings: SettingsService,
    private readonly idle: IdleTracker,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      settings.onDidChange(() => {
        // GOMAXPROCS, the Go version or a budget can change what a simulation predicts.
        for (const s of this.docs.values()) s.sim = undefined;
        for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private isGo(d: vscode.TextDocument): boolean {
    return d.languageId === 'go' && (d.uri.scheme === 'file' || d.uri.scheme === 'untitled');
  }

  private state(d: vscode.TextDocument): DocState {
    const key = d.uri.toString();
    let s = this.docs.get(key);
    if (!s) {
      s = { facts: new DocumentFacts() };
      this.docs.set(key, s);
    }
    return s;
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (!this.isGo(e.document) || e.contentChanges.length === 0) return;
    const s = this.state(e.document);
    s.facts.edit(e.contentChanges.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text })));
    // Simulation advice is for the old text: its lines may have moved.
    if (s.sim) s.sim = undefined;
    this.schedule(e.document, FACTS_DEBOUNCE_MS);
  }

  /** Refreshes a document's diagnostics after `delay` ms (restarting the wait on every call). */
  schedule(d: vscode.TextDocument, delay: number): void {
    if (!this.isGo(d)) return;
    const s = this.state(d);
    if (s.timer) clearTimeout(s.timer);
    s.endTimer ??= this.idle.begin();
    s.timer = setTimeout(() => {
      s.timer = undefined;
      const end = s.endTimer!;
      s.endTimer = undefined;
      this.idle.track(this.refresh(d)).then(end, (e: unknown) => {
        end();
        this.log.error(`diagnostics for ${d.fileName} failed: ${(e as Error)?.stack ?? e}`);
      });
    }, delay);
    this.scheduleSimulation(d, s);
  }

  private scheduleSimulation(d: vscode.TextDocument, s: DocState): void {
    const cfg = this.settings.current.diagnostics;
    if (!cfg.enabled || !cfg.simulate || !this.backgroundSimulate) return;
    if (s.sim?.version === d.version) return;
    if (s.simTimer) clearTimeout(s.simTimer);
    s.endSimTimer ??= this.idle.begin();
    s.simTimer = setTimeout(() => {
      s.simTimer = undefined;
      const end = s.endSimTimer!;
      s.endSimTimer = undefined;
      const run = this.backgroundSimulate!(d).then((r) => {
        if (r) this.setSimulationAdvice(d, r.version, r.advice);
      });
      this.idle.track(run).then(end, (e: unknown) => {
        end();
        if ((e as Error)?.name !== 'SimulationCancelled') this.log.warn(`background simulation of ${d.fileName} failed: ${(e as Error)?.message ?? e}`);
      });
    }, SIMULATE_DEBOUNCE_MS);
  }

  /** Advice from a simulation of `version` of the document (ignored if the text moved on). */
  setSimulationAdvice(d: vscode.TextDocument, version: number, advice: Advice[]): void {
    if (!this.isGo(d) || d.isClosed || d.version !== version) return;
    this.state(d).sim = { version, advice };
    this.idle.track(this.refresh(d)).catch((e: unknown) => this.log.error(`diagnostics for ${d.fileName} failed: ${(e as Error)?.stack ?? e}`));
  }

  /** The facts of the document as it is now (parsing on demand: hovers and CodeLens do not wait for the debounce). */
  async factsFor(d: vscode.TextDocument): Promise<Facts> {
    await ensureParser(this.extensionPath);
    return this.state(d).facts.refresh(d.getText()).facts;
  }

  private async refresh(d: vscode.TextDocument): Promise<void> {
    if (d.isClosed) return;
    try {
      await ensureParser(this.extensionPath);
    } catch (e) {
      this.log.error(`the Go parser could not be loaded: ${(e as Error).message}`);
      return;
    }
    if (d.isClosed) return;
    const started = performance.now();
    const s = this.state(d);
    const { advice } = s.facts.refresh(d.getText());
    const settings = this.settings.current.diagnostics;
    if (!settings.enabled) {
      this.collection.delete(d.uri);
      return;
    }
    const all = s.sim?.version === d.version ? [...advice, ...s.sim.advice] : advice;
    const diagnostics: vscode.Diagnostic[] = [];
    for (const a of all) {
      const chosen = settings.severity[a.code] ?? a.severity;
      if (chosen === 'off') continue;
      diagnostics.push(this.toDiagnostic(d, a, chosen));
    }
    this.collection.set(d.uri, diagnostics);
    const ms = performance.now() - started;
    this.log.trace(`diagnostics for ${vscode.workspace.asRelativePath(d.uri)}: ${diagnostics.length} in ${ms.toFixed(1)} ms`);
  }

  private toDiagnostic(d: vscode.TextDocument, a: Advice, severity: AdviceSeverity): vscode.Diagnostic {
    const range = d.validateRange(new vscode.Range(a.range.start.line, a.range.start.col, a.range.end.line, a.range.end.col));
    const diag = new vscode.Diagnostic(range, a.message, SEVERITY[severity]);
    diag.source = DIAGNOSTIC_SOURCE;
    diag.code = { value: a.code, target: vscode.Uri.parse(adviceDocUrl(a.code)) };
    if (a.related.length > 0) {
      diag.relatedInformation = a.related.map(
        (r) =>
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(d.uri, d.validateRange(new vscode.Range(r.range.start.line, r.range.start.col, r.range.end.line, r.range.end.col))),
            r.message,
          ),
      );
    }
    return diag;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const s = this.docs.get(key);
    if (!s) return;
    if (s.timer) clearTimeout(s.timer);
    if (s.simTimer) clearTimeout(s.simTimer);
    s.endTimer?.();
    s.endSimTimer?.();
    s.facts.dispose();
    this.docs.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const s of this.docs.values()) {
      if (s.timer) clearTimeout(s.timer);
      if (s.simTimer) clearTimeout(s.simTimer);
      s.endTimer?.();
      s.endSimTimer?.();
      s.facts.dispose();
    }
    this.docs.clear();
    for (const d of this.subscriptions) d.dispose();
  }
}

const SEVERITY: Record<AdviceSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};
