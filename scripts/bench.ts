// npm run bench — fine-tuning and inference throughput (examples/s) of the BERT-tiny and BERT-mini shapes,
// batch 32 × 128 tokens, on every backend: in headless Chromium (WebGPU, WebGL, WASM, CPU, each in a fresh
// Worker) and in Node (WASM, CPU). Prints one JSON document. No timing is asserted anywhere.
// Beside them, the PyTorch peer (scripts/reference/bench_torch.py: same shapes, same step) when Debian's
// python3-torch is installed, and each backend's throughput as a share of PyTorch's, in the same run.
// --profile adds, per backend and shape, each kernel's share of one training step's time (tf.profile).
//   npm run bench -- [--shapes tiny,mini] [--browser-backends webgpu,webgl,wasm,cpu] [--node-backends wasm,cpu]
//                    [--steps 2] [--batch 32] [--seq 128] [--no-browser] [--no-node] [--no-torch] [--profile]
//                    [--lora] (LoRA r 8 on query and value instead of full fine-tuning; shapes also: base)
//                    [--wasm-threads N] (Chromium's WASM threads; TF.js's default is min(8, cores / 2))
//                    [--cores N] (the core count Chromium's WASM is told before it starts: its threads follow)
//                    [--flags NAME:VALUE,…] (TF.js flags in each browser Worker, e.g. WEBGPU_CPU_FORWARD:false)
//                    [--inflight N] (training steps whose loss may be unread at once; the trainer's default is 2)
//                    [--no-probe] (by default the studio's probe also runs per shape in Chromium: its figures)
import { DEFAULT_LORA } from '../src/core/model/lora';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { PYTHON, torchInstalled } from './torchPeer';
import { CHROMIUM_ARGS } from '../e2e/chromium';
import { studioBrowser } from './studioBrowser';
import { runBenchmark, type BenchResult, type BenchShape } from '../src/lab/bench';
import { registerKernels } from '../src/core/runtime/registerKernels';

const { values: v } = parseArgs({
  options: {
    shapes: { type: 'string', default: 'tiny,mini' },
    'browser-backends': { type: 'string', default: 'webgpu,webgl,wasm,cpu' },
    'node-backends': { type: 'string', default: 'wasm,cpu' },
    steps: { type: 'string', default: '2' },
    batch: { type: 'string', default: '32' },
    seq: { type: 'string', default: '128' },
    'no-browser': { type: 'boolean', default: false },
    'no-node': { type: 'boolean', default: false },
    'no-torch': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    lora: { type: 'boolean', default: false },
    'wasm-threads': { type: 'string' },
    cores: { type: 'string' },
    flags: { type: 'string' },
    'no-probe': { type: 'boolean', default: false },
    inflight: { type: 'string' },
  },
});
const shapes = (v.shapes ?? '').split(',') as BenchShape[];
const steps = Number(v.steps);
const batchSize = Number(v.batch);
const seqLen = Number(v.seq);
const log = (s: string) => process.stderr.write(`${s}\n`);
tf.env().set('PROD', true);

const node: Array<BenchResult | { backend: string; shape: string; error: string }> = [];
if (!v['no-node']) {
  for (const shape of shapes) {
    for (const backend of (v['node-backends'] ?? '').split(',').filter(Boolean)) {
      log(`node: ${shape} on ${backend}…`);
      try {
        registerKernels(); // TabTune's own kernels, as chooseBackend registers them
        await tf.setBackend(backend);
        node.push(
          await runBenchmark({
            shape,
            batchSize,
            seqLen,
            steps,
            profile: v.profile,
            lora: v.lora ? DEFAULT_LORA : null,
          }),
        );
        log(`  ${JSON.stringify(node.at(-1))}`);
      } catch (e) {
        node.push({ backend, shape, error: (e as Error).message });
      }
    }
  }
}

let browser: unknown[] = [];
if (!v['no-browser']) {
  const studio = await studioBrowser(4174, CHROMIUM_ARGS);
  const b = studio.browser;
  const page = await b.newPage();
  const q = new URLSearchParams({
    autorun: '1',
    shapes: shapes.join(','),
    backends: v['browser-backends'] ?? '',
    steps: String(steps),
    batch: String(batchSize),
    seq: String(seqLen),
    profile: v.profile ? '1' : '0',
    lora: v.lora ? '1' : '0',
    ...(v['wasm-threads'] ? { threads: v['wasm-threads'] } : {}),
    ...(v.cores ? { cores: v.cores } : {}),
    ...(v.flags ? { flags: v.flags } : {}),
    probe: v['no-probe'] ? '0' : '1',
    ...(v.inflight ? { inflight: v.inflight } : {}),
  });
  log(`chromium: /bench.html?${q}`);
  await page.goto(`${studio.base}/bench.html?${q}`);
  const out = page.getByLabel('Benchmark results');
  // Relay the page's progress ("running mini on webgl…") to stderr while waiting.
  let last = '';
  const timer = setInterval(() => {
    void out.textContent().then((t) => {
      const line = (t ?? '').split('\n').at(-1) ?? '';
      if (line !== last && line.startsWith('running')) log(`  ${(last = line)}`);
    });
  }, 5000);
  await out.and(page.locator('[data-done="true"]')).waitFor({ timeout: 3 * 60 * 60 * 1000 });
  clearInterval(timer);
  browser = JSON.parse((await out.textContent()) ?? '[]');
  await studio.close();
}

const pytorch = v['no-torch'] ? null : torchPeer();
process.stdout.write(
  `${JSON.stringify({ workload: { shapes, batchSize, seqLen, steps }, pytorch, shareOfPytorch: shares(), chromium: browser, node }, null, 2)}\n`,
);

/** The PyTorch peer's results, or null (with the reason on stderr) when python3-torch is not installed. */
function torchPeer(): { torch: string; threads: number; results: BenchResult[] } | null {
  if (!torchInstalled()) return null;
  log('pytorch: same shapes and step…');
  const args = [
    '--shapes',
    shapes.join(','),
    '--batch',
    String(batchSize),
    '--seq',
    String(seqLen),
    '--steps',
    String(steps),
  ];
  return JSON.parse(
    execFileSync(PYTHON, ['scripts/reference/bench_torch.py', ...args], { encoding: 'utf8' }),
  );
}

/**
 * Each backend's training throughput as a share of PyTorch's on the same shape, in this run (the timed steps only:
 * the page's list also holds its probes' figures, which have no shape of their own).
 */
function shares(): Array<{ where: string; backend: string; shape: string; train: number | null }> {
  const peer = new Map((pytorch?.results ?? []).map((r) => [r.shape, r.trainExamplesPerSecond]));
  const rows = [
    ...(browser as Array<Partial<BenchResult>>).map((r) => ['chromium', r] as const),
    ...node.map((r) => ['node', r as Partial<BenchResult>] as const),
  ].filter(([, r]) => r.shape !== undefined && r.backend !== undefined);
  return rows.map(([where, r]) => {
    const base = peer.get(r.shape as BenchShape);
    const train = r.trainExamplesPerSecond;
    return {
      where,
      backend: String(r.backend),
      shape: String(r.shape),
      train: base && train !== undefined ? Number((train / base).toFixed(3)) : null,
    };
  });
}
