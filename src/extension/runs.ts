// Simulating a file: resolves the settings (GOMAXPROCS, seed, Go version from go.mod), runs it in
// the worker, shows progress with Cancel for runs longer than ~0.5 s, and hands the result to the
// panel, the diagnostics and the test API.
import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import type { RunConfig, SimulationData } from '../protocol';
import type { LastSimulation } from './api';
import type { SimReply, SimRequest } from './simulate';
import { SimulationCancelled, type RunPriority, type SimulationHost } from './simulationHost';
import type { SettingsService } from './settings';
import { goModVersion, resolveGoVersion, resolveProcs } from './settingsModel';

const PROGRESS_AFTER_MS = 500;
/** Host time a background (diagnostics) run may take: it must not keep the worker from the user for long. */
const BACKGROUND_WALL_MS = 5_000;
const USER_WALL_MS = 60_000;

export interface Overrides {
  gomaxprocs?: number;
  seed?: number;
}

export interface RunOutcome {
  data: SimulationData;
  reply: SimReply;
  /** The document version simulated. */
  version: number;
}

export class Runs {
  private nextRunId = 1;
  private last: LastSimulation | undefined;
  /** Per file, the GOMAXPROCS/seed chosen in the panel or with Re-run (kept for re-runs on save). */
  private readonly overrides = new Map<string, Overrides>();

  constructor(
    private readonly host: () => SimulationHost,
    private readonly settings: SettingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get lastSimulation(): LastSimulation | undefined {
    return this.last;
  }

  /** The last run the user asked for (what Export Trace writes). */
  get lastData(): SimulationData | undefined {
    return this.lastDataHolder;
  }
  private lastDataHolder: SimulationData | undefined;

  overridesFor(uri: vscode.Uri): Overrides {
    return this.overrides.get(uri.toString()) ?? {};
  }

  setOverrides(uri: vscode.Uri, o: Overrides): void {
    const merged = { ...this.overridesFor(uri) };
    if (o.gomaxprocs !== undefined) merged.gomaxprocs = o.gomaxprocs;
    if (o.seed !== undefined) merged.seed = o.seed;
    this.overrides.set(uri.toString(), merged);
  }

  /** GOMAXPROCS the next run of this file uses. */
  procsFor(uri: vscode.Uri): number {
    return this.overridesFor(uri).gomaxprocs ?? resolveProcs(this.settings.current, availableParallelism());
  }

  async configFor(uri: vscode.Uri): Promise<RunConfig> {
    const s = this.settings.current;
    const o = this.overridesFor(uri);
    return {
      gomaxprocs: o.gomaxprocs ?? resolveProcs(s, availableParallelism()),
      seed: o.seed ?? s.seed,
      goVersion: resolveGoVersion(s, s.goVersion === 'auto' ? await findGoModVersion(uri) : undefined),
      asyncPreemption: s.asyncPreemption,
    };
  }

  /**
   * Simulates the document. `onStart` learns the run id and config before the worker starts (the
   * panel shows "running"). Rejects with SimulationCancelled when cancelled or superseded.
   */
  async simulate(document: vscode.TextDocument, priority: RunPriority, onStart?: (runId: number, config: RunConfig) => void): Promise<RunOutcome> {
    const config = await this.configFor(document.uri);
    const runId = this.nextRunId++;
    const budget = this.settings.current.budget;
    const version = document.version;
    const request: SimRequest = {
      runId,
      text: document.getText(),
      fileUri: document.uri.toString(),
      fileName: document.uri.path.split('/').pop() ?? document.fileName,
      filePath: document.uri.scheme === 'file' ? document.uri.fsPath : document.fileName,
      config,
      budget,
      maxWallMs: priority === 'background' ? BACKGROUND_WALL_MS : USER_WALL_MS,
    };
    onStart?.(runId, config);
    const started = performance.now();
    const promise = this.host().run(request, priority);
    if (priority === 'user') this.progressAfterDelay(promise, request.fileName);
    const reply = await promise;
    const ms = performance.now() - started;
    this.log.info(
      `simulated ${request.fileName} (${priority}, GOMAXPROCS ${reply.data.config.gomaxprocs}, seed ${config.seed}, Go 1.${reply.data.config.goVersion}): ` +
        `${reply.data.exit.reason}, ${reply.stats.events.toLocaleString('en-US')} events in ${ms.toFixed(0)} ms`,
    );
    if (priority === 'user') {
      this.last = {
        fileUri: request.fileUri,
        exit: { reason: reply.data.exit.reason, code: reply.data.exit.code, message: reply.data.exit.message },
        stats: { peakThreads: reply.stats.peakThreads, goroutinesCreated: reply.stats.goroutinesCreated },
        config: { gomaxprocs: reply.data.config.gomaxprocs, seed: reply.data.config.seed, goVersion: reply.data.config.goVersion },
      };
      this.lastDataHolder = reply.data;
      void vscode.commands.executeCommand('setContext', 'gmpTutor.hasSimulation', true);
    }
    return { data: reply.data, reply, version };
  }

  /** A notification with Cancel, only if the run is still going after PROGRESS_AFTER_MS. */
  private progressAfterDelay(run: Promise<unknown>, fileName: string): void {
    let finished = false;
    const settle = () => {
      finished = true;
    };
    run.then(settle, settle);
    setTimeout(() => {
      if (finished) return;
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `GMP Tutor: simulating ${fileName}…`, cancellable: true },
        (_progress, token) => {
          token.onCancellationRequested(() => this.host().cancel());
          return run.then(
            () => undefined,
            () => undefined,
          );
        },
      );
    }, PROGRESS_AFTER_MS);
  }
}

export function isCancelled(e: unknown): boolean {
  return e instanceof SimulationCancelled;
}

/** The `go` line of the nearest go.mod above the file, within the file system the file lives on. */
async function findGoModVersion(uri: vscode.Uri): Promise<number | undefined> {
  if (uri.scheme === 'untitled') return undefined;
  let dir = vscode.Uri.joinPath(uri, '..');
  for (let depth = 0; depth < 32; depth++) {
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'go.mod'));
      return goModVersion(new TextDecoder().decode(bytes));
    } catch {
      // no go.mod here: go up
    }
    const parent = vscode.Uri.joinPath(dir, '..');
    if (parent.path === dir.path) return undefined;
    dir = parent;
  }
  return undefined;
}
