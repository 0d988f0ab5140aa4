// Runs simulations (and trace exports) in one worker thread, started on first use, so the
// extension host never blocks. A new job cancels the one in flight by terminating the worker (the
// interpreter has no cancellation points, and terminating is immediate); the next worker starts
// warming up at once. Background runs (for diagnostics) never cancel a job the user asked for,
// nor a background run of another file: they wait in a queue that keeps the newest run of each
// file, so every file open in the editor gets its diagnostics.
import { Worker } from 'node:worker_threads';
import { copyLogColumns, type WireLog } from '../protocol';
import { transferables, type SimReply, type SimRequest } from './simulate';
import type { WorkerReply, WorkerRequest } from './simulationWorker';

export type RunPriority = 'user' | 'background';

/** The worker's heap limit: a million-goroutine run with its full log needs about 400 MB. */
const WORKER_HEAP_MB = 3_072;

/** A job that was cancelled (by the user, a newer job, or disposal). */
export class SimulationCancelled extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'SimulationCancelled';
  }
}

interface Job {
  readonly id: number;
  /** For the log: `simulation 3 (main.go)`. */
  readonly label: string;
  readonly priority: RunPriority;
  /** The file a run simulates (a newer background run of the same file replaces it). */
  readonly key: string;
  readonly message: WorkerRequest;
  readonly transfer: ArrayBuffer[];
  resolve(reply: WorkerReply): void;
  reject(e: Error): void;
}

export class SimulationHost {
  private worker: Worker | null = null;
  private current: Job | null = null;
  /** Background runs waiting for the worker, the newest per file, oldest file first. */
  private queued = new Map<string, Job>();
  private disposed = false;
  /** Ids of trace exports: negative, so they never meet a run id. */
  private nextTraceId = -1;

  constructor(
    private readonly workerPath: string,
    private readonly log: (line: string) => void,
  ) {}

  get busy(): boolean {
    return this.current !== null || this.queued.size > 0;
  }

  async run(request: SimRequest, priority: RunPriority = 'user'): Promise<SimReply> {
    const reply = await this.submit(request.runId, `simulation ${request.runId} (${request.fileName})`, priority, request.fileUri, { type: 'run', request }, []);
    if (reply.type !== 'result') throw new Error(`the simulation worker answered ${reply.type} to a run`);
    return reply.reply;
  }

  /**
   * A Chrome/Perfetto trace of a log, as UTF-8 JSON, built in the worker (a large log takes
   * seconds to convert). The worker gets a copy: the caller's columns stay usable.
   */
  async chromeTrace(log: WireLog, goVersion: number): Promise<Uint8Array> {
    const id = this.nextTraceId--;
    const copy: WireLog = { ...log, ...copyLogColumns(log, 0, log.length) };
    const reply = await this.submit(id, 'trace export', 'user', '', { type: 'trace', id, log: copy, goVersion }, transferables(copy));
    if (reply.type !== 'trace') throw new Error(`the simulation worker answered ${reply.type} to a trace export`);
    return reply.bytes;
  }

  private submit(id: number, label: string, priority: RunPriority, key: string, message: WorkerRequest, transfer: ArrayBuffer[]): Promise<WorkerReply> {
    if (this.disposed) return Promise.reject(new SimulationCancelled('the extension is shutting down'));
    return new Promise<WorkerReply>((resolve, reject) => {
      const job: Job = { id, label, priority, key, message, transfer, resolve, reject };
      if (priority === 'background') {
        const older = this.queued.get(key);
        if (older) {
          this.queued.delete(key);
          older.reject(new SimulationCancelled('replaced by a newer background run'));
        }
        const cur = this.current;
        if (cur && (cur.priority === 'user' || cur.key !== key)) {
          this.queued.set(key, job);
          return;
        }
        if (cur) this.cancelCurrent('replaced by a newer background run');
        this.start(job);
        return;
      }
      const cur = this.current;
      if (cur?.priority === 'background' && !this.queued.has(cur.key)) {
        // Put off, not dropped: its file still needs its diagnostics once the user's run is done.
        this.current = null;
        this.stopWorker();
        this.log(`${cur.label}: put off for a run you asked for`);
        this.queued = new Map([[cur.key, cur], ...this.queued]);
      } else if (cur) this.cancelCurrent('a newer run replaced it');
      this.start(job);
    });
  }

  /** Cancels the job in flight (the Cancel button of the progress notification). */
  cancel(): void {
    if (this.current) this.cancelCurrent('you cancelled it');
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queued.values()) job.reject(new SimulationCancelled('the extension is shutting down'));
    this.queued.clear();
    if (this.current) this.cancelCurrent('the extension is shutting down');
    void this.worker?.terminate();
    this.worker = null;
  }

  private cancelCurrent(why: string): void {
    const job = this.current!;
    this.current = null;
    this.stopWorker();
    this.log(`${job.label}: ${why}`);
    job.reject(new SimulationCancelled(why));
  }

  /** The worker is busy with a job: terminating is the only way to stop the interpreter. */
  private stopWorker(): void {
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // A runaway program must crash the worker (reported as a failed run), never the extension host.
    const w = new Worker(this.workerPath, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    w.on('message', (msg: WorkerReply) => this.onMessage(w, msg));
    w.on('error', (e) => this.onCrash(w, `the simulation worker crashed: ${e.message}`));
    w.on('exit', (code) => {
      if (this.worker === w) this.onCrash(w, `the simulation worker stopped unexpectedly (exit code ${code})`);
    });
    this.worker = w;
    return w;
  }

  private start(job: Job): void {
    this.current = job;
    this.ensureWorker().postMessage(job.message, job.transfer);
  }

  private onMessage(w: Worker, msg: WorkerReply): void {
    if (w !== this.worker || !this.current || msg.type === 'pong') return;
    if (msg.id !== this.current.id) return;
    const job = this.current;
    this.current = null;
    if (msg.type === 'failed') job.reject(new Error(msg.message));
    else job.resolve(msg);
    this.startQueued();
  }

  private onCrash(w: Worker, message: string): void {
    if (w !== this.worker) return;
    this.worker = null;
    const job = this.current;
    this.current = null;
    this.log(message);
    job?.reject(new Error(message));
    this.startQueued();
  }

  private startQueued(): void {
    const next = this.queued.values().next().value;
    if (!next || this.disposed) return;
    this.queued.delete(next.key);
    this.start(next);
  }
}
