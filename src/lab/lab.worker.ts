/// <reference lib="webworker" />
import '@tensorflow/tfjs-backend-webgpu';
import '../worker/wasmPaths';
import { dispatcher } from '../worker/dispatch';
import { browserStorage } from '../worker/browserStorage';
import { Session } from '../worker/session';
import type { PageMessage } from '../shared/protocol';
import type { LabCalls } from './protocol';
import { labHandlers } from './labHandlers';

/**
 * The lab's compute Worker: the studio's session plus the lab's calls (`LabCalls`). The benchmark page runs on it,
 * and so does the e2e tests' page, test.html (the studio on this Worker; its runs kept as the studio's are).
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const { store, history, searchStore } = browserStorage();
const session = new Session(store, history, labHandlers, searchStore);
const dispatch = dispatcher<LabCalls>(session, (m, transfer = []) => scope.postMessage(m, transfer));
scope.onmessage = (e: MessageEvent<PageMessage<LabCalls>>) => dispatch(e.data);
