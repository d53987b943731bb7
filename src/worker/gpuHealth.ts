import * as tf from '@tensorflow/tfjs';
import { TabTuneError } from '../core/errors';

/**
 * Whether the GPU backend that runs (WebGPU or WebGL) still does the work it is given. A GPU can stop mid-run in
 * ways that are the device's, not TabTune's: a WebGPU device lost or refusing a kernel (a dropped dispatch, seen
 * only as an `uncapturederror` event), a WebGL context lost (a driver reset, the GPU process restarted, the
 * watchdog), after which every shader fails to compile with an empty log — "Failed to compile fragment shader."
 * A run that meets one moves to the next backend (`Session`); this module only says what happened.
 */

/** A run that ended because its GPU failed: `lost` (the device or context is gone), or `refused` work silently. */
export class GpuFailure extends Error {
  constructor(
    readonly backend: 'webgpu' | 'webgl',
    readonly reason: string,
    readonly kind: 'lost' | 'refused' = 'lost',
  ) {
    super(
      kind === 'lost'
        ? `The GPU ${backend === 'webgl' ? 'context (WebGL)' : 'device'} was lost (${reason}).`
        : `WebGPU refused part of the work (${reason}).`,
    );
  }
}

/**
 * TF.js's WebGL errors that mean the device said no: a shader that does not compile or link (always so once the
 * context is lost), a texture or framebuffer it cannot make, a size over its limits. Pure.
 */
export function isWebglRefusal(message: string): boolean {
  return /Failed to (compile|link)|Unable to create|Requested texture size|exceeds? .*(WebGL|texture)|WebGL.*(context|limit)|context (was )?lost|Framebuffer/i.test(
    message,
  );
}

/** One line for a log: Dawn's and drivers' messages run over several. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim() || 'no message given';

/** The WebGPU backend's device, when WebGPU is the backend that runs. */
export function webgpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/** The WebGL backend's context, when WebGL is the backend that runs. */
export function webglContext(): WebGL2RenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  return (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl ?? null;
}

/** Watches the GPU backend taken last (none for WASM and CPU): what went wrong with it since, if anything. */
export class GpuHealth {
  private lostReason: string | null = null;
  private refusedReason: string | null = null;
  private backend: 'webgpu' | 'webgl' | null = null;
  /** Settles with the reason once the device or context is lost (never for WASM and CPU). */
  private lost: Promise<string> | null = null;

  /**
   * Each device or context is watched once (its listeners added once, however often a run re-takes its backend):
   * the promise that settles with the reason it was lost.
   */
  private readonly watched = new WeakMap<object, Promise<string>>();
  /** The device or WebGL canvas watched now. */
  private target: object | null = null;
  /** Aborted once the backend watched now fails (its device or context lost, work refused). */
  private failed = new AbortController();

  /**
   * A signal that aborts once the GPU backend watched now fails: a run passes it with its own, so it stops at its
   * next step (never aborts for WASM and CPU). A new one after each `watch`.
   */
  get signal(): AbortSignal {
    return this.failed.signal;
  }

  /** Starts watching the backend that runs now; what was seen of the one before is forgotten. */
  watch(): void {
    this.lostReason = null;
    this.refusedReason = null;
    this.failed = new AbortController();
    const failed = this.failed;
    const device = webgpuDevice();
    const gl = device ? null : webglContext();
    this.backend = device ? 'webgpu' : gl ? 'webgl' : null;
    const target: object | null = device ?? gl?.canvas ?? null;
    this.target = target;
    if (!target) {
      this.lost = null;
      return;
    }
    let lost = this.watched.get(target);
    if (!lost) {
      lost = device ? this.listenWebGpu(device) : this.listenWebGl(gl!);
      this.watched.set(target, lost);
    }
    // A device lost before stays lost: the settled promise sets the reason again, while it is the one watched.
    this.lost = lost.then((reason) => {
      if (this.target === target) {
        this.lostReason = reason;
        failed.abort(this.failure());
      }
      return reason;
    });
  }

  private listenWebGpu(device: GPUDevice): Promise<string> {
    device.addEventListener('uncapturederror', (e) => {
      if (this.backend !== 'webgpu') return;
      this.refusedReason ??= oneLine((e as GPUUncapturedErrorEvent).error.message);
      this.failed.abort(this.failure());
    });
    return device.lost.then((info) => oneLine(info.message || info.reason || ''));
  }

  private listenWebGl(gl: WebGL2RenderingContext): Promise<string> {
    return new Promise<string>((resolve) =>
      (gl.canvas as EventTarget).addEventListener('webglcontextlost', (e) =>
        resolve(oneLine((e as WebGLContextEvent).statusMessage || 'the browser reset the GPU context')),
      ),
    );
  }

  /** What went wrong since `watch`: the device or context lost, or work WebGPU refused; null if nothing. */
  failure(): GpuFailure | null {
    if (!this.backend) return null;
    if (this.lostReason === null && this.backend === 'webgl' && webglContext()?.isContextLost())
      this.lostReason = 'the context reports itself lost';
    if (this.lostReason !== null) return new GpuFailure(this.backend, this.lostReason);
    if (this.refusedReason !== null) return new GpuFailure(this.backend, this.refusedReason, 'refused');
    return null;
  }

  /** Work WebGPU refused since `watch` (its results may be garbage), or null. */
  refused(): string | null {
    return this.refusedReason;
  }

  /**
   * Results computed on WebGPU after it refused some work (`gpuError`) may be garbage: they are not handed out.
   * A run recovers by itself (it moves to the next backend); scores and embeddings outside a run ask for a reload.
   * The trained weights are not touched outside a run (a run that saw the error would have moved), so the
   * download stays open.
   */
  assertTrusted(): void {
    if (this.refusedReason !== null)
      throw new TabTuneError(
        'backend',
        `WebGPU refused part of TabTune's work (${this.refusedReason}), so what it computed since may be wrong and is not shown. Download the trained weights if you need them (they were made before this), then reload the page to start WebGPU afresh, or choose another backend.`,
      );
  }

  /**
   * Whether an error thrown by a run was the GPU failing: a WebGL refusal is one at once; otherwise the device's
   * `lost` promise may settle just after the error it caused, so wait a moment for it. Null: not the GPU's doing.
   */
  async explain(error: unknown, waitMs = 2000): Promise<GpuFailure | null> {
    if (error instanceof GpuFailure) return error;
    const now = this.failure();
    if (now) return now;
    if (this.backend === 'webgl' && error instanceof Error && isWebglRefusal(error.message))
      return new GpuFailure('webgl', oneLine(error.message));
    if (!this.lost) return null;
    const reason = await Promise.race([
      this.lost,
      new Promise<null>((r) => setTimeout(() => r(null), waitMs)),
    ]);
    return reason === null ? null : this.failure();
  }

  /**
   * `work`, or its GpuFailure as soon as the device or context is lost: TF.js may wait forever on a lost WebGL
   * context (a fence that never signals), so a run cannot count on reaching its next step to notice.
   */
  orLost<T>(work: Promise<T>): Promise<T> {
    if (!this.lost) return work;
    const failed = this.lost.then((): never => {
      throw this.failure() ?? new GpuFailure(this.backend ?? 'webgpu', 'lost');
    });
    return Promise.race([work, failed]);
  }

  /** Test hook: loses the device or context, as a driver reset would. */
  lose(): void {
    webgpuDevice()?.destroy();
    webglContext()?.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
