// worker_threads entry point: simulations run here so the extension host never blocks. The parser
// loads once per worker (its wasm files sit beside this bundle in dist/); the host terminates the
// worker to cancel a run, so a run needs no cancellation checks of its own. No 'vscode' here: the
// API does not exist inside a worker thread.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { initGoParser, parseGo } from '../core/golang/parser';
import { runSimulation, transferables, type SimReply, type SimRequest } from './simulate';

export type WorkerRequest = { type: 'ping' } | { type: 'run'; request: SimRequest };
export type WorkerReply =
  | { type: 'pong' }
  | { type: 'result'; runId: number; reply: SimReply }
  | { type: 'failed'; runId: number; message: string };

if (parentPort === null) {
  throw new Error('simulationWorker must be started as a worker thread');
}
const port = parentPort;

// Warm the parser as soon as the worker starts: the first run then only pays for the simulation.
const parserReady = initGoParser({
  runtimeWasm: readFileSync(join(__dirname, 'web-tree-sitter.wasm')),
  goWasm: readFileSync(join(__dirname, 'tree-sitter-go.wasm')),
});
parserReady.catch(() => undefined);

port.on('message', (message: WorkerRequest) => {
  if (message?.type === 'ping') {
    port.postMessage({ type: 'pong' } satisfies WorkerReply);
  } else if (message?.type === 'run') {
    const { request } = message;
    parserReady.then(
      () => {
        let reply: SimReply;
        try {
          reply = runSimulation(request, parseGo);
        } catch (e) {
          port.postMessage({ type: 'failed', runId: request.runId, message: `The simulator failed: ${(e as Error)?.message ?? e}` } satisfies WorkerReply);
          return;
        }
        port.postMessage({ type: 'result', runId: request.runId, reply } satisfies WorkerReply, transferables(reply.data.log));
      },
      (e: unknown) => port.postMessage({ type: 'failed', runId: request.runId, message: (e as Error)?.message ?? String(e) } satisfies WorkerReply),
    );
  }
});
