import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WorkerClient } from '../shared/workerClient';
import { App } from './App';
import './styles.css';

/** The studio's compute Worker: the studio's calls only (the lab's Worker is the e2e tests' page's, `test.html`). */
const studioWorker = () =>
  new WorkerClient(new Worker(new URL('../worker/compute.worker.ts', import.meta.url), { type: 'module' }));

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App connect={studioWorker} />
  </StrictMode>,
);
