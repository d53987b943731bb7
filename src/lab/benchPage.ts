import type { BackendName } from '../core/backend';
import type { BenchOptions, BenchResult, BenchShape } from './bench';
import { WorkerClient } from '../shared/workerClient';
import type { LabCalls } from './protocol';
import { DEFAULT_LORA } from '../core/model/lora';
import { BENCH_SHAPES } from './bench';
import type { ProbeResult } from '../core/runtime/probe';
import { measureFully } from '../shared/probeWorker';

/**
 * The benchmark page (/bench.html): one fresh compute Worker per backend, so each backend starts cold
 * and alone. Query parameters: shapes=tiny,mini backends=webgpu,webgl,wasm,cpu steps=2 batch=32 seq=128 profile=1
 * lora=1 (LoRA r 8 on query and value instead of full fine-tuning) threads=N (WASM's thread count; TF.js's default min(8, cores / 2) without it);
 * cores=N (the core count WASM is told, before it starts: TF.js takes min(8, N / 2) threads);
 * flags=NAME:VALUE,… (TF.js flags set in each Worker before its backend starts, e.g. WEBGPU_CPU_FORWARD:false);
 * inflight=N (training steps whose loss may be unread at once; the trainer's default is 2);
 * probe=1 also runs the studio's probe (core/runtime/probe.ts) for each shape and reports its figures, as the studio
 * has them after its idle measurement (estimates of backends not timed, WASM at each thread count);
 * autorun=1 starts at once (npm run bench drives it that way).
 */
const params = new URLSearchParams(location.search);
const list = (k: string, d: string) => (params.get(k) ?? d).split(',').filter(Boolean);
const flags = Object.fromEntries(
  list('flags', '').map((f) => {
    const [name, value] = f.split(':') as [string, string];
    return [name, value === 'true' ? true : value === 'false' ? false : Number(value)];
  }),
);
const out = document.getElementById('out') as HTMLPreElement;

async function benchOne(
  backend: BackendName,
  options: BenchOptions,
): Promise<BenchResult | { backend: string; shape: string; error: string }> {
  const client = new WorkerClient<LabCalls>(
    new Worker(new URL('./lab.worker.ts', import.meta.url), { type: 'module' }),
  );
  try {
    const threads = params.get('threads');
    const cores = params.get('cores');
    const report = await client.call('init', {
      backends: [backend],
      flags,
      ...(threads ? { wasmThreads: Number(threads) } : {}),
      ...(cores ? { cores: Number(cores) } : {}),
    });
    const result = await client.call('bench', { options });
    return {
      ...result,
      ...(report.threads === null ? {} : { threads: report.threads, wasmBuild: report.wasmBuild }),
      ...(report.device ? { device: report.device } : {}),
      ...(Object.keys(flags).length > 0 ? { flags } : {}),
    };
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
          lossInFlight: Number(params.get('inflight') ?? 2),
        }),
      );
    }
  }
  if (params.get('probe') === '1') {
    for (const shape of list('shapes', 'tiny,mini') as BenchShape[]) {
      out.textContent = `${JSON.stringify(results, null, 2)}\nprobing ${shape}…`;
      results.push({ probe: await probe(shape) });
    }
  }
  out.textContent = JSON.stringify(results, null, 2);
  out.dataset.done = 'true';
}

document.getElementById('run')?.addEventListener('click', () => void run());
if (params.get('autorun') === '1') void run();

/** The studio's probe for a shape at the page's batch and length, over the backends asked for. */
async function probe(shape: BenchShape): Promise<ProbeResult | { error: string }> {
  const s = BENCH_SHAPES[shape];
  const job = {
    layers: s.num_hidden_layers,
    hidden: s.hidden_size,
    heads: s.num_attention_heads,
    intermediate: s.intermediate_size,
    vocab: 30522,
    batchSize: Number(params.get('batch') ?? 32),
    seqLen: Number(params.get('seq') ?? 128),
    lora: params.get('lora') === '1' ? { r: DEFAULT_LORA.r, targets: DEFAULT_LORA.targets } : null,
  };
  const order = list('backends', 'webgpu,webgl,wasm,cpu') as BackendName[];
  try {
    return await measureFully(job, order);
  } catch (e) {
    return { error: (e as Error).message };
  }
}
