// worker_threads entry point: simulations and trace exports run here so the extension host never
// blocks. The parser loads once per worker (its wasm files sit beside this bundle in dist/); the
// host terminates the worker to cancel a job, so a job needs no cancellation checks of its own.
// No 'vscode' here: the API does not exist inside a worker thread.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { initGoParser, parseGo } from '../core/golang/parser';
import { toChromeTrace } from '../core/trace/chrome';
import { EventLog, type SerializedLog } from '../core/trace/events';
import type { WireLog } from '../protocol';
import { runSimulation, transferables, type SimReply, type SimRequest } from './simulate';

export type WorkerRequest =
  | { type: 'ping' }
  | { type: 'run'; request: SimRequest }
  | { type: 'trace'; id: number; log: WireLog; goVersion: number };
export type WorkerReply =
  | { type: 'pong' }
  | { type: 'result'; id: number; reply: SimReply }
  | { type: 'trace'; id: number; bytes: Uint8Array }
  | { type: 'failed'; id: number; message: string };

if (parentPort === null) {
  throw new Error('simulationWorker must be started as a worker thread');
}
const port = parentPort;
const reply = (msg: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

// Warm the parser as soon as the worker starts: the first run then only pays for the simulation.
const parserReady = initGoParser({
  runtimeWasm: readFileSync(join(__dirname, 'web-tree-sitter.wasm')),
  goWasm: readFileSync(join(__dirname, 'tree-sitter-go.wasm')),
});
parserReady.catch(() => undefined);

port.on('message', (message: WorkerRequest) => {
  switch (message?.type) {
    case 'ping':
      reply({ type: 'pong' });
      break;
    case 'run': {
      const { request } = message;
      parserReady.then(
        () => {
          let result: SimReply;
          try {
            result = runSimulation(request, parseGo);
          } catch (e) {
            reply({ type: 'failed', id: request.runId, message: `The simulator failed: ${(e as Error)?.message ?? e}` });
            return;
          }
          reply({ type: 'result', id: request.runId, reply: result }, transferables(result.data.log));
        },
        (e: unknown) => reply({ type: 'failed', id: request.runId, message: (e as Error)?.message ?? String(e) }),
      );
      break;
    }
    case 'trace': {
      try {
        const log = EventLog.fromJSON(message.log as unknown as SerializedLog);
        const bytes = new TextEncoder().encode(JSON.stringify(toChromeTrace(log, { goVersion: message.goVersion })));
        reply({ type: 'trace', id: message.id, bytes }, [bytes.buffer as ArrayBuffer]);
      } catch (e) {
        reply({ type: 'failed', id: message.id, message: `The trace export failed: ${(e as Error)?.message ?? e}` });
      }
      break;
    }
  }
});
