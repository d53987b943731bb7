// npm run bench:gemm — GFLOP/s of the plain float32 matrix products BERT training runs ([m, k] · [k, n]),
// on Node's WASM backend (XNNPACK, WASM SIMD) and beside them PyTorch on the same machine in the same run
// (scripts/reference/gemm_torch.py). This is the ceiling of the WASM path: the products are about half of a
// BERT training step there and most of PyTorch's. Prints JSON; nothing here is asserted anywhere.
//   npm run bench:gemm -- [--shapes 4096x128x512,4096x512x128,4096x128x128] [--repeats 20] [--no-torch]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { PYTHON, torchInstalled } from './torchPeer';
import { registerKernels } from '../src/core/runtime/registerKernels';

const { values: v } = parseArgs({
  options: {
    shapes: { type: 'string', default: '4096x128x512,4096x512x128,4096x128x128,2048x256x1024' },
    repeats: { type: 'string', default: '20' },
    'no-torch': { type: 'boolean', default: false },
  },
});
const shapes = (v.shapes ?? '').split(',');
const repeats = Number(v.repeats);
tf.env().set('PROD', true);
registerKernels(); // TabTune's own kernels, as chooseBackend registers them
await tf.setBackend('wasm');

function gflops(shape: string): number {
  const [m, k, n] = shape.split('x').map(Number) as [number, number, number];
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  for (let i = 0; i < 3; i++) tf.matMul(a, b).dispose();
  const start = performance.now();
  for (let i = 0; i < repeats; i++) tf.matMul(a, b).dispose();
  const seconds = (performance.now() - start) / 1000 / repeats;
  tf.dispose([a, b]);
  return Number(((2 * m * k * n) / seconds / 1e9).toFixed(2));
}

const wasm = shapes.map((shape) => ({ shape, gflops: gflops(shape) }));
const torch =
  !v['no-torch'] && torchInstalled()
    ? (JSON.parse(
        execFileSync(
          PYTHON,
          ['scripts/reference/gemm_torch.py', '--shapes', shapes.join(','), '--repeats', String(repeats)],
          { encoding: 'utf8' },
        ),
      ) as { torch: string; threads: number; results: Array<{ shape: string; gflops: number }> })
    : null;
const ratio = wasm.map((w, i) => {
  const t = torch?.results[i]?.gflops;
  return { shape: w.shape, wasmShareOfPytorch: t ? Number((w.gflops / t).toFixed(3)) : null };
});
process.stdout.write(
  `${JSON.stringify({ wasm: { threads: 1, results: wasm }, pytorch: torch, ratio }, null, 2)}\n`,
);
