import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '../worker/wasmPaths';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { restartWasmFor } from '../core/backend';
import { registerKernels } from '../core/runtime/registerKernels';
import { runChecks, runMutations, type CheckResult } from './checks';

/**
 * The checks page (/checks.html): core/checks.ts on each backend this browser has (query parameter
 * backends=webgpu,wasm; threads=N runs WASM with N threads, as a measured thread count trains; autorun=1 starts at
 * once, as e2e/checks.spec.ts does; mutations=1 writes each of our kernels wrong in turn under its first check,
 * which must then fail). On the page's own thread: the checks are short, and they run where the backend
 * runs. When done, `data-wasm-threads` on the output says the threads WASM computed with.
 */
registerKernels(); // as chooseBackend does: the checks compare our kernels with TF.js's composites
const params = new URLSearchParams(location.search);
const threads = params.get('threads');
if (threads) restartWasmFor(Number(threads), true); // before WASM starts: it starts with them
const out = document.getElementById('out') as HTMLPreElement;

async function run() {
  const results: Array<CheckResult | { backend: string; error: string }> = [];
  for (const backend of (params.get('backends') ?? 'webgpu,wasm').split(',').filter(Boolean)) {
    out.textContent = `${JSON.stringify(results, null, 2)}\nchecking on ${backend}…`;
    try {
      if (!(await tf.setBackend(backend))) throw new Error(`${backend} is not available in this browser`);
      results.push(...(await (params.get('mutations') === '1' ? runMutations() : runChecks())));
    } catch (e) {
      results.push({ backend, error: (e as Error).message });
    }
  }
  out.textContent = JSON.stringify(results, null, 2);
  if (tf.findBackend('wasm')) out.dataset.wasmThreads = String(getThreadsCount());
  out.dataset.done = 'true';
}

document.getElementById('run')?.addEventListener('click', () => void run());
if (params.get('autorun') === '1') void run();
