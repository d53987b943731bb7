/// <reference lib="webworker" />
import '@tensorflow/tfjs-backend-webgpu';
import './wasmPaths';
import { toErrorReport } from '../core/errors';
import type { WorkerMessage, WorkerRequest } from '../shared/protocol';
import { opfsRunStore, memoryRunStore } from './runStore';
import { Session } from './session';
import { memoryRunHistory, opfsRunHistory } from './runHistory';

/** The compute thread: TF.js, the model and training live here so the page never stutters. */
const scope = self as unknown as DedicatedWorkerGlobalScope;
// OPFS keeps a run's state across reloads; without it (an old browser) a reload loses the run, as before.
const opfs = typeof navigator.storage?.getDirectory === 'function';
const session = new Session(
  opfs ? opfsRunStore() : memoryRunStore(),
  opfs ? opfsRunHistory() : memoryRunHistory(),
);
const post = (m: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const req = e.data;
  session
    .handle(req, (event) => post({ type: 'event', id: req.id, event }))
    .then((reply) => {
      // The exported zip moves to the page instead of being copied.
      const zip = req.type === 'export' ? (reply as { zip: Uint8Array }).zip.buffer : null;
      post({ type: 'reply', id: req.id, reply }, zip ? [zip as ArrayBuffer] : []);
    })
    .catch((err: unknown) => post({ type: 'error', id: req.id, error: toErrorReport(err) }));
};
