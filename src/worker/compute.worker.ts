/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { describeError } from '../core/errors';
import type { WorkerReply, WorkerRequest } from '../shared/protocol';
import { Session } from './session';

/** The compute thread: TF.js, the model and training live here so the page never stutters. */
// The threaded WASM build's inlined pthread worker breaks once bundled ("e is not defined"): use the
// single-threaded SIMD build, which works everywhere.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = new Session((m: WorkerReply) => {
  if (m.type === 'exported') scope.postMessage(m, [m.zip.buffer]);
  else scope.postMessage(m);
});

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.type) {
    case 'init':
      return session.init(req.id, req.backends);
    case 'load':
      return session.load(req.id, req.source);
    case 'embed':
      return session.embed(req.id, req.rows, req.maxLength);
    case 'table':
      return session.parseTable(req.id, req.file, req.text);
    case 'profile':
      return session.profile(req.id, req.roles);
    case 'start':
      return session.start(req.id, req.config, req.roles, req.base);
    case 'pause':
    case 'resume':
    case 'stop':
      return session.control(req.id, req.type);
    case 'predict':
      return session.predict(req.id, req.rows);
    case 'export':
      return session.exportZip(req.id);
    case 'clearCache':
      return session.clearCache(req.id);
    case 'cancelLoad':
      return session.cancelLoad(req.id);
    case 'bench':
      return session.bench(req.id, req.options);
  }
}

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  handle(e.data).catch((err: unknown) =>
    scope.postMessage({ type: 'error', id: e.data.id, message: describeError(err) } satisfies WorkerReply),
  );
};
