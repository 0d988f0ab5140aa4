// worker_threads entry point: long simulations will run here so the extension host never
// blocks. For now it only answers a liveness ping. It must not import 'vscode' (the API is
// not available inside a worker thread).
import { parentPort } from 'node:worker_threads';

type WorkerRequest = { type: 'ping' };
type WorkerReply = { type: 'pong' };

if (parentPort === null) {
  throw new Error('simulationWorker must be started as a worker thread');
}

const port = parentPort;
port.on('message', (message: WorkerRequest) => {
  if (message?.type === 'ping') {
    const reply: WorkerReply = { type: 'pong' };
    port.postMessage(reply);
  }
});
