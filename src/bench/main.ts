import type { BackendName } from '../core/backend';
import type { BenchOptions, BenchResult, BenchShape } from '../core/bench';
import { WorkerClient } from '../ui/workerClient';
import { DEFAULT_LORA } from '../core/model/lora';

/**
 * The benchmark page (/bench.html): one fresh compute Worker per backend, so each backend starts cold
 * and alone. Query parameters: shapes=tiny,mini backends=webgpu,webgl,wasm,cpu steps=2 batch=32 seq=128 profile=1
 * lora=1 (LoRA r 8 on query and value instead of full fine-tuning) threads=N (WASM's thread count; TF.js's default min(8, cores / 2) without it);
 * autorun=1 starts at once (npm run bench drives it that way).
 */
const params = new URLSearchParams(location.search);
const list = (k: string, d: string) => (params.get(k) ?? d).split(',').filter(Boolean);
const out = document.getElementById('out') as HTMLPreElement;

async function benchOne(
  backend: BackendName,
  options: BenchOptions,
): Promise<BenchResult | { backend: string; shape: string; error: string }> {
  const client = new WorkerClient(
    new Worker(new URL('../worker/compute.worker.ts', import.meta.url), { type: 'module' }),
  );
  try {
    const threads = params.get('threads');
    const report = await client.call('init', {
      backends: [backend],
      ...(threads ? { wasmThreads: Number(threads) } : {}),
    });
    const result = await client.call('bench', { options });
    return report.threads === null
      ? result
      : { ...result, threads: report.threads, wasmBuild: report.wasmBuild };
  } catch (e) {
    return { backend, shape: options.shape, error: (e as Error).message };
  } finally {
    client.terminate();
  }
}

async function run() {
  const results: unknown[] = [];
  for (const shape of list('shapes', 'tiny,mini') as BenchShape[]) {
    for (const backend of list('backends', 'webgpu,webgl,wasm,cpu') as BackendName[]) {
      out.textContent = `${JSON.stringify(results, null, 2)}\nrunning ${shape} on ${backend}…`;
      results.push(
        await benchOne(backend, {
          shape,
          batchSize: Number(params.get('batch') ?? 32),
          seqLen: Number(params.get('seq') ?? 128),
          steps: Number(params.get('steps') ?? 2),
          profile: params.get('profile') === '1',
          lora: params.get('lora') === '1' ? DEFAULT_LORA : null,
        }),
      );
    }
  }
  out.textContent = JSON.stringify(results, null, 2);
  out.dataset.done = 'true';
}

document.getElementById('run')?.addEventListener('click', () => void run());
if (params.get('autorun') === '1') void run();
