// Runs simulations in one worker thread, started on first use, so the extension host never
// blocks. A new run cancels the one in flight by terminating the worker (the interpreter has no
// cancellation points, and terminating is immediate); the next worker starts warm-up at once.
// Background runs (for diagnostics) never cancel a run the user asked for: they wait for it.
import { Worker } from 'node:worker_threads';
import type { SimReply, SimRequest } from './simulate';
import type { WorkerReply, WorkerRequest } from './simulationWorker';

export type RunPriority = 'user' | 'background';

/** The worker's heap limit: a million-goroutine run with its full log needs about 400 MB. */
const WORKER_HEAP_MB = 3_072;

/** A run that was cancelled (by the user, a newer run, or disposal). */
export class SimulationCancelled extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'SimulationCancelled';
  }
}

interface InFlight {
  readonly request: SimRequest;
  readonly priority: RunPriority;
  resolve(reply: SimReply): void;
  reject(e: Error): void;
}

export class SimulationHost {
  private worker: Worker | null = null;
  private current: InFlight | null = null;
  private queuedBackground: InFlight | null = null;
  private disposed = false;

  constructor(
    private readonly workerPath: string,
    private readonly log: (line: string) => void,
  ) {}

  get busy(): boolean {
    return this.current !== null || this.queuedBackground !== null;
  }

  run(request: SimRequest, priority: RunPriority = 'user'): Promise<SimReply> {
    if (this.disposed) return Promise.reject(new SimulationCancelled('the extension is shutting down'));
    return new Promise<SimReply>((resolve, reject) => {
      const job: InFlight = { request, priority, resolve, reject };
      if (priority === 'background' && this.current?.priority === 'user') {
        this.queuedBackground?.reject(new SimulationCancelled('replaced by a newer background run'));
        this.queuedBackground = job;
        return;
      }
      if (priority === 'user') {
        this.queuedBackground?.reject(new SimulationCancelled('a run you asked for goes first'));
        this.queuedBackground = null;
      }
      if (this.current) this.cancelCurrent(priority === 'user' ? 'a newer run replaced it' : 'replaced by a newer background run');
      this.start(job);
    });
  }

  /** Cancels the run in flight (the Cancel button of the progress notification). */
  cancel(): void {
    if (this.current) this.cancelCurrent('you cancelled it');
  }

  dispose(): void {
    this.disposed = true;
    this.queuedBackground?.reject(new SimulationCancelled('the extension is shutting down'));
    this.queuedBackground = null;
    if (this.current) this.cancelCurrent('the extension is shutting down');
    void this.worker?.terminate();
    this.worker = null;
  }

  private cancelCurrent(why: string): void {
    const job = this.current!;
    this.current = null;
    // The worker is busy with the old run: terminating is the only way to stop the interpreter.
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
    this.log(`simulation ${job.request.runId} (${job.request.fileName}) ${why}`);
    job.reject(new SimulationCancelled(why));
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

  private start(job: InFlight): void {
    this.current = job;
    this.ensureWorker().postMessage({ type: 'run', request: job.request } satisfies WorkerRequest);
  }

  private onMessage(w: Worker, msg: WorkerReply): void {
    if (w !== this.worker || !this.current) return;
    if (msg.type !== 'result' && msg.type !== 'failed') return;
    if (msg.runId !== this.current.request.runId) return;
    const job = this.current;
    this.current = null;
    if (msg.type === 'result') job.resolve(msg.reply);
    else job.reject(new Error(msg.message));
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
    const next = this.queuedBackground;
    this.queuedBackground = null;
    if (next && !this.disposed) this.start(next);
  }
}
