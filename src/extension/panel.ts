// The scheduler panel: one webview panel, revealed or created on demand, fed through the typed
// protocol. Nothing is posted before the webview says `ready` (messages wait in a short queue, and a
// reloaded webview gets the last simulation again); every incoming message is validated by
// parseFromWebview.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { dispatch, parseFromWebview, parsePanelState, type FromWebview, type Handlers, type PanelState, type SimulationData, type ToWebview } from '../protocol';
import type { PanelStateInfo } from './api';
import { PANEL_ASSETS, panelHtml } from './panelHtml';

/** What the panel asks the rest of the extension to do. */
export interface PanelActions {
  rerun(fileUri: vscode.Uri, overrides: { gomaxprocs?: number; seed?: number }): void;
  exportTrace(): void;
  /** A restored panel (after a reload): simulate its file again with the settings it showed. */
  restore(fileUri: vscode.Uri, state: PanelState): void;
}

const HIGHLIGHT_MS = 1_500;

export class SchedulerPanel implements vscode.Disposable {
  static readonly viewType = 'gmpTutor.panel';
  private static current: SchedulerPanel | undefined;

  private ready = false;
  /** Messages waiting for `ready`: the latest of each kind is enough. */
  private queued = new Map<ToWebview['type'], ToWebview>();
  private lastSimulation: SimulationData | undefined;
  private readonly disposables: vscode.Disposable[] = [];
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
    void this.panel.webview.postMessage(msg).then(undefined, (e: unknown) => this.log.error(`posting ${msg.type} to the panel failed: ${(e as Error)?.message ?? e}`));
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
        this.log.info(`panel ready (protocol ${m.version})`);
        const queued = [...this.queued.values()];
        this.queued.clear();
        // A reloaded webview (hidden and shown again) starts empty: give it the last run.
        if (this.lastSimulation && !queued.some((q) => q.type === 'simulation')) queued.unshift({ type: 'simulation', data: this.lastSimulation });
        for (const q of queued) this.post(q);
      },
      revealLine: (m) => void this.revealLine(m.fileUri, m.line),
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

  private disposed = false;

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
