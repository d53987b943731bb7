import * as tf from '@tensorflow/tfjs';
import { BROWSER_BACKENDS, chooseBackend, tellCores, type BackendName } from '../core/backend';
import { describeBackend } from '../core/backendLabel';
import { deviceName } from '../core/runtime/device';
import type { BackendReport, Params } from '../shared/protocol';
import { deviceFacts } from './deviceFacts';
import { GpuHealth } from './gpuHealth';

/**
 * The Worker's backend, and all it owns: the order init was asked to try (where a run goes when its device is
 * lost), the backend's name as the run record says it, and the health of its GPU (a lost device, refused work).
 */
export class Backends {
  /** Whether the GPU backend that runs (WebGPU, WebGL) still does its work. */
  readonly health = new GpuHealth();
  /** The backend as the run record names it, e.g. "wasm (4 threads) on …". */
  private name = 'cpu';
  /** The backends init was asked to try, in order. */
  private order: readonly BackendName[] = BROWSER_BACKENDS;

  /** `tensors`: what a backend switch must keep (the model that scores). */
  constructor(private readonly tensors: () => tf.Tensor[]) {}

  /** The backend as the run record, its log, training_config.json and the model card name it. */
  label(): string {
    return this.name;
  }

  /** Starts the first backend of the order that starts (WASM with the threads asked), with TF.js's flags set. */
  async init(p: Params<'init'>): Promise<BackendReport> {
    this.order = p.backends ?? BROWSER_BACKENDS;
    for (const [flag, value] of Object.entries(p.flags ?? {})) tf.env().set(flag, value);
    // TF.js's WASM takes min(8, cores / 2) threads from the cores it is told of; only before WASM first starts.
    if (p.cores !== undefined) tellCores(p.cores);
    return this.take(await chooseBackend(this.order, p.wasmThreads ?? null, this.tensors));
  }

  /** The next backend of the order after `failed` (the CPU when none is left): where a run goes on. */
  async moveFrom(failed: BackendName): Promise<BackendReport> {
    const rest = this.order.filter((b) => b !== failed);
    return this.take(await chooseBackend(rest.length > 0 ? rest : ['cpu']));
  }

  /** Takes `choice` as the backend runs use, and watches a GPU backend's health. */
  private async take(choice: Awaited<ReturnType<typeof chooseBackend>>): Promise<BackendReport> {
    this.health.watch();
    const device = await deviceFacts();
    this.name = `${describeBackend(choice.name, choice.threads)}${device ? ` on ${deviceName(device)}` : ''}`;
    return {
      backend: choice.name,
      activeBackend: tf.getBackend(),
      skipped: choice.skipped,
      threads: choice.threads,
      wasmBuild: choice.wasmBuild,
      device,
    };
  }
}
