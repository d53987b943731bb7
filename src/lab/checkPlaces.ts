/* Where each numerical check (checks.ts) runs TabTune's code rather than its reference's, by backend. */

/**
 * Where a check's code is TabTune's: the registered kernels of ours it takes on WASM and WebGPU; `own`, backends
 * where it runs TabTune's own code outside the registry (WebGPU's AdamW records its dispatch itself); `composite`:
 * everywhere (a custom gradient, a tree of adds).
 */
interface Where {
  wasm?: string[];
  webgpu?: string[];
  own?: string[];
  composite?: true;
}

const LAYER_NORM = [
  'TabTuneColumnSums',
  'TabTuneLayerNorm',
  'TabTuneLayerNormDGamma',
  'TabTuneLayerNormDx',
  'TabTuneLayerNormStats',
];

/** The kernels of ours a training step takes: on WASM, and on WebGPU (whose AdamW is its own, outside the registry). */
const STEP: Where = {
  wasm: [
    'TabTuneAdamW',
    'TabTuneColumnSums',
    'TabTuneDropoutMask',
    'TabTuneGatherRows',
    'TabTuneScatterAddRows',
    'TabTuneSlicedBatchMatMul',
    'TabTuneTranspose2d',
  ],
  webgpu: [
    ...LAYER_NORM,
    'TabTuneAttentionSoftmax',
    'TabTuneAttentionSoftmaxGrad',
    'TabTuneDropoutMask',
    'TabTuneGelu',
    'TabTuneGeluGrad',
    'TabTuneScatterRowsInOrder',
    'TabTuneSumOfSquaresMany',
  ],
  own: ['webgpu'],
};

/**
 * Where each check's code is TabTune's own rather than its reference's: the kernels of ours it takes, by backend,
 * and `composite` where TabTune's own composite (a custom gradient, a tree of adds, a loop) differs from the
 * reference on every backend. A check runs only there: elsewhere it would compare TF.js's composite with itself.
 * The tests assert that each check takes exactly the kernels declared, and that each kernel written wrong turns
 * its first check red (`runMutations`).
 */
export const WHERE: Record<string, Where> = {
  'linear: value and ∂x, ∂W, ∂b': {
    wasm: ['TabTuneColumnSums', 'TabTuneTranspose2d'],
    webgpu: ['TabTuneColumnSums'],
    composite: true,
  },
  'matmul (attention, 4-D): value and both gradients': { wasm: ['TabTuneSlicedBatchMatMul'] },
  'layerNorm: value and ∂x, ∂γ, ∂β': { wasm: ['TabTuneColumnSums'], webgpu: LAYER_NORM, composite: true },
  'gelu: value and gradient from −8 to 8': { webgpu: ['TabTuneGelu', 'TabTuneGeluGrad'], composite: true },
  'attention softmax (scale, padding mask, softmax): value and gradient': {
    webgpu: ['TabTuneAttentionSoftmax', 'TabTuneAttentionSoftmaxGrad'],
  },
  'column sums (bias gradients), 3 shapes': { wasm: ['TabTuneColumnSums'], webgpu: ['TabTuneColumnSums'] },
  'sum of squares (gradient norms), 5 shapes of ranks 1 and 2': { webgpu: ['TabTuneSumOfSquaresMany'] },
  'sum of squares of many tensors at once (the gradient norm), 10 tensors in two dispatches': {
    webgpu: ['TabTuneSumOfSquaresMany'],
  },
  'dropout mask: equal to the pure function': {
    wasm: ['TabTuneDropoutMask'],
    webgpu: ['TabTuneDropoutMask'],
  },
  'AdamW: four steps (clipping scale, decay, a skipped non-finite step; 1,000 and 8.4 million values) against the CPU composite':
    { wasm: ['TabTuneAdamW'], own: ['webgpu'] },
  'sum of 41 tensors (a squared norm per BERT-tiny tensor, for clipping) against adding them one by one': {
    composite: true,
  },
  'embedding gradient (rows scatter-added from host ids) against a host loop': {
    wasm: ['TabTuneScatterAddRows'],
    webgpu: ['TabTuneScatterRowsInOrder'],
    composite: true,
  },
  "four training steps of a small BERT (the trainer's own step), every weight against the CPU": STEP,
  'same seed twice: four training steps end with identical weights': STEP,
};

/** The kernels of ours `name` declares on `backend`. */
export function declaredKernels(name: string, backend: string): string[] {
  const where = WHERE[name];
  return [...((backend === 'wasm' || backend === 'webgpu' ? where?.[backend] : null) ?? [])].sort();
}

/** Whether check `name` runs on `backend`: whether its code differs from its reference there. */
export function runsOn(name: string, backend: string): boolean {
  const where = WHERE[name];
  return Boolean(
    where?.composite || where?.own?.includes(backend) || declaredKernels(name, backend).length > 0,
  );
}
