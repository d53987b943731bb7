// npm run gpu-report — one JSON file about this machine's GPU as TabTune sees it, for a machine with a real GPU:
// the adapter (vendor, architecture, description, fallback or not, limits) and WebGL's renderer; the numerical
// checks (lab/checks.ts) on WebGPU, WebGL and WASM; examples/s per shape and backend (the bench page); and the
// studio's probe per shape; WebGPU's settings (CPU forwarding, submit batching, loss reads in flight) on BERT-tiny;
// per WebGPU shape, ms per training step split into its kernels' time (TF.js's timer: GPU timestamps where offered)
// and the rest, with the dispatches and submits counted at the WebGPU API.
// Chromium (Debian's, or CHROMIUM_PATH) runs with its GPU: headless with Vulkan and
// WebGPU on. No timing is asserted.
//   npm run gpu-report -- [--out gpu-report.json] [--shapes tiny,mini] [--steps 3] [--batch 32] [--seq 128]
//                         [--software] (SwiftShader, as the e2e tests run: to try the script without a GPU)
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../e2e/chromium';
import { studioBrowser } from './studioBrowser';
import { perStep } from '../src/lab/perStep';

const { values: v } = parseArgs({
  options: {
    out: { type: 'string', default: 'gpu-report.json' },
    shapes: { type: 'string', default: 'tiny,mini' },
    steps: { type: 'string', default: '3' },
    batch: { type: 'string', default: '32' },
    seq: { type: 'string', default: '128' },
    software: { type: 'boolean', default: false },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);

/** A real GPU: Vulkan for WebGPU and for WebGL (ANGLE), no blocklist; the networking flags as in the e2e setup. */
const GPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan,VulkanFromANGLE',
  '--use-angle=vulkan',
  '--ignore-gpu-blocklist',
  '--enable-gpu',
  ...CHROMIUM_ARGS.filter((a) => !/webgpu|vulkan|swiftshader/i.test(a)),
];

const studio = await studioBrowser(4175, v.software ? CHROMIUM_ARGS : GPU_ARGS);
const page = await studio.browser.newPage();
const base = studio.base;

async function pageResults(p: Page, path: string, label: string, hours = 2): Promise<unknown> {
  log(`chromium: ${path}`);
  await p.goto(`${base}${path}`);
  const out = p.getByLabel(label);
  await out.and(p.locator('[data-done="true"]')).waitFor({ timeout: hours * 60 * 60 * 1000 });
  return JSON.parse((await out.textContent()) ?? 'null');
}

await page.goto(`${base}/bench.html`);
const device = await page.evaluate(async () => {
  const adapter = await (navigator as Navigator & { gpu?: GPU }).gpu?.requestAdapter();
  const info = (adapter as unknown as { info?: Record<string, unknown> } | null)?.info ?? null;
  const limits = adapter
    ? {
        maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
        maxBufferSize: adapter.limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      }
    : null;
  const gl = document.createElement('canvas').getContext('webgl2');
  const ext = gl?.getExtension('WEBGL_debug_renderer_info');
  return {
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency,
    webgpu: adapter
      ? {
          vendor: info?.['vendor'],
          architecture: info?.['architecture'],
          description: info?.['description'],
          isFallbackAdapter:
            info?.['isFallbackAdapter'] ??
            (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter,
          limits,
        }
      : null,
    webgl:
      gl && ext
        ? {
            vendor: gl.getParameter(ext.UNMASKED_VENDOR_WEBGL),
            renderer: gl.getParameter(ext.UNMASKED_RENDERER_WEBGL),
          }
        : null,
  };
});
log(`device: ${JSON.stringify(device)}`);
const checks = await pageResults(
  page,
  '/checks.html?autorun=1&backends=webgpu,webgl,wasm',
  'Check results',
  1,
);
const q = new URLSearchParams({
  autorun: '1',
  shapes: v.shapes ?? 'tiny,mini',
  backends: 'webgpu,webgl,wasm',
  steps: v.steps ?? '3',
  batch: v.batch ?? '32',
  seq: v.seq ?? '128',
  probe: '1',
  profile: '1',
});
const bench = await pageResults(page, `/bench.html?${q}`, 'Benchmark results');
// WebGPU's settings, each against the defaults on BERT-tiny: TF.js running small ops on the CPU, how many dispatches
// it batches per queue submit (15 by default), and how many steps' losses may be unread at once (2 by default).
const SETTINGS: Array<Record<string, string>> = [
  {},
  { flags: 'WEBGPU_CPU_FORWARD:false' },
  { flags: 'WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE:5' },
  { flags: 'WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE:30' },
  { inflight: '1' },
  { inflight: '4' },
];
const settings = [];
for (const variant of SETTINGS) {
  const sq = new URLSearchParams({
    ...Object.fromEntries(q),
    shapes: 'tiny',
    backends: 'webgpu',
    probe: '0',
    ...variant,
  });
  settings.push({ variant, results: await pageResults(page, `/bench.html?${sq}`, 'Benchmark results') });
}
await studio.close();

const report = {
  createdAt: new Date().toISOString(),
  command: `npm run gpu-report -- ${process.argv.slice(2).join(' ')}`.trim(),
  gpu: v.software ? 'software (SwiftShader, --software)' : 'the machine’s own',
  device,
  perStep: perStep(bench),
  checks,
  bench,
  settings,
};
writeFileSync(v.out ?? 'gpu-report.json', `${JSON.stringify(report, null, 2)}\n`);
log(`wrote ${v.out}`);
