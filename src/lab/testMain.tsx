import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { BackendName } from '../core/backend';
import type { BackendReport } from '../shared/protocol';
import { WorkerClient, type StudioClient } from '../shared/workerClient';
import { App } from '../ui/App';
import '../ui/styles.css';
import type { LabCalls } from './protocol';

/**
 * The e2e tests' page (`test.html`): the studio, on the lab's Worker (the studio's calls and the lab's), with the
 * hooks the tests call on `window.tabtuneTest` for what they cannot do from outside — lose the GPU device, make
 * WebGPU refuse work, move the Worker to other backends. The studio's own page (`index.html`) has none of this.
 */
function labWorker(onBackend: (report: BackendReport) => void): StudioClient {
  const c = new WorkerClient<LabCalls>(
    new Worker(new URL('./lab.worker.ts', import.meta.url), { type: 'module' }),
  );
  Object.assign(window, {
    tabtuneTest: {
      loseDevice: () => c.call('loseDevice', {}),
      gpuError: () => c.call('gpuError', {}),
      useBackends: (backends: BackendName[], wasmThreads?: number) =>
        c.call('init', { backends, ...(wasmThreads ? { wasmThreads } : {}) }).then(onBackend),
    },
  });
  return c;
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App connect={labWorker} />
  </StrictMode>,
);
