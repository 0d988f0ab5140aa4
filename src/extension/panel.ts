// The scheduler panel: one webview panel, revealed or created on demand, fed through the typed
// protocol. Nothing is posted before the webview says `ready` (messages wait in a short queue, and a
// reloaded webview gets the last simulation again); every incoming message is validated by
// parseFromWebview.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  dispatch,
  parseFromWebview,
  parsePanelState,
  simulationParts,
  type FromWebview,
  type Handlers,
  type PanelState,
  type SimulationData,
  type ToWebview,
} from '../protocol';
import type { PanelStateInfo } from './api';
import { PANEL_ASSETS, panelHtml } from './panelHtml';

/** What the panel asks the rest of the extension to do. */
export interface PanelActions {
  rerun(fileUri: vscode.Uri, overrides: { gomaxprocs?: number; seed?: number }): void;
  exportTrace(): void;
  /** Work the panel does in the background (sending a large log): counted by the test API's whenIdle. */
  track(work: Promise<unknown>): void;
  /** A restored panel (after a reload): simulate its file again with the settings it showed. */
  restore(fileUri: vscode.Uri, state: PanelState): void;
}

const HIGHLIGHT_MS = 1_500;
/** Events per postMessage for large logs: 512 Ki events ≈ 17 MB ≈ 17 ms of host time per part. */
export const LOG_CHUNK_EVENTS = 1 << 19;

export class SchedulerPanel implements vscode.Disposable {
  static readonly viewType = 'gmpTutor.panel';
  private static current: SchedulerPanel | undefined;

  private ready = false;
  /** The webview said (in `ready`) that it assembles a log sent in parts. */
  private chunkedLog = false;
  /** Bumped by every post: a log being sent in parts stops when a newer message goes out. */
  private sending = 0;
  /** Messages waiting for `ready`: the latest of each kind is enough. */
  private queued = new Map<ToWebview['type'], ToWebview>();
  private lastSimulation: SimulationData | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private highlight: vscode.TextEditorDecorationType | undefined;
  private highlightTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    public fileUri: vscode.Uri,
    private readonly actions: PanelActions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.configure();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
    );
  }

  /** The panel if it is open. */
  static get instance(): SchedulerPanel | undefined {
    return SchedulerPanel.current;
  }

  static createOrShow(extensionUri: vscode.Uri, fileUri: vscode.Uri, actions: PanelActions, log: vscode.LogOutputChannel, preserveFocus = true): SchedulerPanel {
    const existing = SchedulerPanel.current;
    if (existing) {
      existing.setFile(fileUri);
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      SchedulerPanel.viewType,
      title(fileUri),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { enableScripts: true, localResourceRoots: roots(extensionUri) },
    );
    SchedulerPanel.current = new SchedulerPanel(panel, extensionUri, fileUri, actions, log);
    return SchedulerPanel.current;
  }

  /** Adopts a panel VS Code restored after a reload; a panel whose state is not ours is closed. */
  static revive(panel: vscode.WebviewPanel, rawState: unknown, extensionUri: vscode.Uri, actions: PanelActions, log: vscode.LogOutputChannel): boolean {
    const state = parsePanelState(rawState);
    let fileUri: vscode.Uri | undefined;
    try {
      fileUri = state ? vscode.Uri.parse(state.fileUri, true) : undefined;
    } catch {
      fileUri = undefined;
    }
    if (!state || !fileUri) {
      // Without the file it showed there is nothing to simulate: an empty panel would only confuse.
      log.warn('closed a restored scheduler panel without a usable state');
      panel.dispose();
      return false;
    }
    SchedulerPanel.current?.panel.dispose();
    SchedulerPanel.current = new SchedulerPanel(panel, extensionUri, fileUri, actions, log);
    SchedulerPanel.current.panel.title = title(fileUri);
    actions.restore(fileUri, state);
    return true;
  }

  private configure(): void {
    const webview = this.panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: roots(this.extensionUri) };
    const asset = (rel: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...rel.split('/'))).toString();
    try {
      webview.html = panelHtml({
        cspSource: webview.cspSource,
        nonce: randomBytes(16).toString('base64'),
        scriptUri: asset(PANEL_ASSETS.script),
        styleUris: PANEL_ASSETS.styles.map(asset),
      });
    } catch (e) {
      // The run still goes on (diagnostics, export); the tab says what went wrong instead of staying blank.
      const message = `The scheduler panel could not be built: ${(e as Error)?.message ?? e}`;
      this.log.error(message);
      webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>${escapeHtml(message)}</p></body></html>`;
    }
  }

  setFile(fileUri: vscode.Uri): void {
    this.fileUri = fileUri;
    this.panel.title = title(fileUri);
  }

  get info(): PanelStateInfo {
    return { open: true, visible: this.panel.visible, fileUri: this.fileUri.toString(), webviewReady: this.ready };
  }

  get shownSimulation(): SimulationData | undefined {
    return this.lastSimulation;
  }

  post(msg: ToWebview): void {
    if (msg.type === 'simulation') this.lastSimulation = msg.data;
    if (!this.ready) {
      // A finished run supersedes the "running" notice and an older failure.
      if (msg.type === 'simulation' || msg.type === 'runFailed') this.queued.delete('running');
      this.queued.set(msg.type, msg);
      return;
    }
    // A newer run (or its failure) stops a large log still being sent in parts; cursor moves do not.
    if (msg.type !== 'cursor') this.sending++;
    if (msg.type === 'simulation' && this.chunkedLog && msg.data.log.length > LOG_CHUNK_EVENTS) {
      this.actions.track(this.sendInParts(msg.data, this.sending));
      return;
    }
    void this.postNow(msg);
  }

  private postNow(msg: ToWebview): Promise<boolean> {
    return Promise.resolve(this.panel.webview.postMessage(msg)).then(
      (ok) => ok,
      (e: unknown) => {
        this.log.error(`posting ${msg.type} to the panel failed: ${(e as Error)?.message ?? e}`);
        return false;
      },
    );
  }

  /**
   * VS Code copies a posted message synchronously on the extension host (about 1 ms per MB here:
   * a 7 M-event log blocked it for ~230 ms), so a large log goes in parts, each posted after the
   * previous one was delivered, leaving the host free in between.
   */
  private async sendInParts(data: SimulationData, generation: number): Promise<void> {
    const started = performance.now();
    let parts = 0;
    for (const msg of simulationParts(data, LOG_CHUNK_EVENTS)) {
      if (generation !== this.sending || this.disposed) return;
      if (!(await this.postNow(msg))) return;
      parts++;
    }
    this.log.info(`sent ${data.log.length.toLocaleString('en-US')} events to the panel in ${parts} parts (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }

  private receive(raw: unknown): void {
    const msg = parseFromWebview(raw);
    if (!msg) {
      this.log.warn(`dropped a malformed message from the panel: ${safeJson(raw)}`);
      return;
    }
    const handlers: Handlers<FromWebview> = {
      ready: (m) => {
        this.ready = true;
        this.chunkedLog = m.chunkedLog === true;
        this.log.info(`panel ready (protocol ${m.version}${this.chunkedLog ? ', large logs in parts' : ''})`);
        const queued = [...this.queued.values()];
        this.queued.clear();
        // A reloaded webview (hidden and shown again) starts empty: give it the last run.
        if (this.lastSimulation && !queued.some((q) => q.type === 'simulation')) queued.unshift({ type: 'simulation', data: this.lastSimulation });
        for (const q of queued) this.post(q);
      },
      // The panel only ever shows the simulated file: it may not open any other document.
      revealLine: (m) => m.fileUri === this.fileUri.toString()
        ? void this.revealLine(m.fileUri, m.line)
        : this.log.warn(`panel asked to reveal a file it does not show: ${m.fileUri}`),
      rerun: (m) => this.actions.rerun(this.fileUri, { gomaxprocs: m.gomaxprocs, seed: m.seed }),
      exportTrace: () => this.actions.exportTrace(),
      webviewError: (m) => this.log.error(`panel: ${m.message}`),
    };
    dispatch(handlers, msg);
  }

  /** Opens the file beside the panel, selects the line and flashes a highlight on it. */
  async revealLine(fileUri: string, line: number): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(fileUri, true);
    } catch {
      this.log.warn(`panel asked to reveal an invalid URI: ${fileUri}`);
      return;
    }
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const l = Math.min(Math.max(0, line - 1), doc.lineCount - 1);
      const range = doc.lineAt(l).range;
      const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(range.start, range.start), preserveFocus: false });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      this.highlight ??= vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
      });
      editor.setDecorations(this.highlight, [range]);
      if (this.highlightTimer) clearTimeout(this.highlightTimer);
      this.highlightTimer = setTimeout(() => editor.setDecorations(this.highlight!, []), HIGHLIGHT_MS);
    } catch (e) {
      this.log.error(`could not reveal line ${line} of ${fileUri}: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (SchedulerPanel.current === this) SchedulerPanel.current = undefined;
    if (this.highlightTimer) clearTimeout(this.highlightTimer);
    this.highlight?.dispose();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}

function roots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

function title(fileUri: vscode.Uri): string {
  const name = fileUri.path.split('/').pop() || fileUri.toString();
  return `GMP Tutor: ${name}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x)?.slice(0, 200) ?? String(x);
  } catch {
    return String(x);
  }
}
