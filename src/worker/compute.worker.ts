/// <reference lib="webworker" />
import '@tensorflow/tfjs-backend-webgpu';
import './wasmPaths';
import type { PageMessage } from '../shared/protocol';
import { browserStorage } from './browserStorage';
import { dispatcher } from './dispatch';
import { Session } from './session';

/** The compute thread: TF.js, the model and training live here so the page never stutters. */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const { store, history, searchStore } = browserStorage();
const session = new Session(store, history, undefined, searchStore);
const dispatch = dispatcher(session, (m, transfer = []) => scope.postMessage(m, transfer));
scope.onmessage = (e: MessageEvent<PageMessage>) => dispatch(e.data);
