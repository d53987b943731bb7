// npm run bench — fine-tuning and inference throughput (examples/s) of the BERT-tiny and BERT-mini shapes,
// batch 32 × 128 tokens, on every backend: in headless Chromium (WebGPU, WebGL, WASM, CPU, each in a fresh
// Worker) and in Node (WASM, CPU). Prints one JSON document. No timing is asserted anywhere.
//   npm run bench -- [--shapes tiny,mini] [--browser-backends webgpu,webgl,wasm,cpu] [--node-backends wasm,cpu]
//                    [--steps 2] [--batch 32] [--seq 128] [--no-browser] [--no-node]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { runBenchmark, type BenchResult, type BenchShape } from '../src/core/bench';

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
        await tf.setBackend(backend);
        node.push(await runBenchmark({ shape, batchSize, seqLen, steps }));
        log(`  ${JSON.stringify(node.at(-1))}`);
      } catch (e) {
        node.push({ backend, shape, error: (e as Error).message });
      }
    }
  }
}

let browser: unknown[] = [];
if (!v['no-browser']) {
  if (!existsSync('dist/bench.html')) execSync('npx vite build', { stdio: 'inherit' });
  const server = await preview({
    preview: { port: 4174, strictPort: true, host: '127.0.0.1' },
    logLevel: 'silent',
  });
  const b = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const page = await b.newPage();
  const q = new URLSearchParams({
    autorun: '1',
    shapes: shapes.join(','),
    backends: v['browser-backends'] ?? '',
    steps: String(steps),
    batch: String(batchSize),
    seq: String(seqLen),
  });
  log(`chromium: /bench.html?${q}`);
  await page.goto(`http://127.0.0.1:4174/bench.html?${q}`);
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
  await b.close();
  await new Promise<void>((r) => server.httpServer.close(() => r()));
}

process.stdout.write(
  `${JSON.stringify({ workload: { shapes, batchSize, seqLen, steps }, chromium: browser, node }, null, 2)}\n`,
);
