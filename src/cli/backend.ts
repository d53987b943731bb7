import * as tf from '@tensorflow/tfjs';
import { chooseBackend, NODE_BACKENDS, type BackendChoice, type BackendName } from '../core/backend';
import { describeBackend } from '../core/backendLabel';
import { TabTuneError } from '../core/errors';
import { log } from './common';

/** What `--backend` may ask for in Node: WASM first by default (XNNPACK, 3.7× TF.js's CPU backend in npm run bench). */
export const CLI_BACKENDS = ['auto', 'wasm', 'cpu', 'webgpu'] as const;
export type CliBackend = (typeof CLI_BACKENDS)[number];

let requested: CliBackend = 'auto';

/**
 * Takes `--backend X` (or `--backend=X`) out of a command's arguments, for every command alike, and checks it. Pure
 * but for remembering the choice for `startBackend`.
 */
export function takeBackendFlag(args: readonly string[]): string[] {
  requested = 'auto';
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a !== '--backend' && !a.startsWith('--backend=')) {
      rest.push(a);
      continue;
    }
    const value = a === '--backend' ? args[++i] : a.slice('--backend='.length);
    if (!(CLI_BACKENDS as readonly string[]).includes(value ?? ''))
      throw new TabTuneError(
        'usage',
        `--backend takes one of ${CLI_BACKENDS.join(', ')} (got ${value === undefined ? 'nothing' : JSON.stringify(value)}).`,
      );
    requested = value as CliBackend;
  }
  return rest;
}

/**
 * Starts the backend `--backend` asked for (WASM, falling back to the CPU, by default) and says on stderr which runs
 * and why. WebGPU in Node needs the `webgpu` package (Dawn); where it cannot start, the message says so and what to use.
 */
export async function startBackend(): Promise<BackendChoice & { label: string; decision: string }> {
  if (requested === 'webgpu') await provideWebGpu();
  const order: readonly BackendName[] = requested === 'auto' ? NODE_BACKENDS : [requested];
  let choice: BackendChoice;
  try {
    choice = await chooseBackend(order);
  } catch (e) {
    if (requested === 'auto') throw e;
    throw new TabTuneError(
      'backend',
      `The ${requested} backend could not start here (${e instanceof Error ? e.message : String(e)}). Leave out --backend to train on WebAssembly.`,
    );
  }
  const label = describeBackend(choice.name, choice.threads);
  const why =
    requested === 'auto'
      ? choice.skipped.length > 0
        ? `${choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`
        : 'the default in Node: WebAssembly trains 3.7× faster than the plain CPU backend (npm run bench); --backend chooses another'
      : 'chosen with --backend';
  log(`backend: ${label} (${why})`);
  return { ...choice, label, decision: `${label}, ${why}` };
}

/** Node has no WebGPU of its own: the `webgpu` package (Dawn) gives it `navigator.gpu`, when installed and able. */
async function provideWebGpu(): Promise<void> {
  let dawn: { create: (flags: string[]) => GPU } | null = null;
  try {
    dawn = (await import(/* @vite-ignore */ 'webgpu' as string)) as { create: (flags: string[]) => GPU };
  } catch {
    throw new TabTuneError(
      'backend',
      'WebGPU in Node needs the `webgpu` package (Dawn): install it with `npm install --no-save webgpu`, or leave out --backend to train on WebAssembly.',
    );
  }
  const g = globalThis as unknown as { navigator?: { gpu?: GPU } };
  g.navigator ??= {};
  g.navigator.gpu ??= dawn.create([]);
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu'))
    throw new TabTuneError('backend', 'The WebGPU backend of TF.js did not register.');
}
