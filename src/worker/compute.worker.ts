/// <reference lib="webworker" />
import '@tensorflow/tfjs-backend-webgpu';
import './wasmPaths';
import type { PageMessage } from '../shared/protocol';
import { dispatcher } from './dispatch';
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

const dispatch = dispatcher(session, (m, transfer = []) => scope.postMessage(m, transfer));
scope.onmessage = (e: MessageEvent<PageMessage>) => dispatch(e.data);
