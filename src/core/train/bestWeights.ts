import * as tf from '@tensorflow/tfjs';
import type { HostTensor } from '../checkpoint/rawTensor';
import { readAll, savedTensor } from './adamw';

/** A copy of every parameter at the best trained validation score so far (what early stopping keeps). */
export class BestWeights {
  /** Empty until the first trained evaluation. */
  private snapshot = new Map<string, tf.Tensor>();

  constructor(private readonly params: ReadonlyMap<string, tf.Variable>) {}

  get taken(): boolean {
    return this.snapshot.size > 0;
  }

  take(): void {
    this.dispose();
    this.snapshot = new Map([...this.params].map(([n, v]) => [n, tf.clone(v)] as [string, tf.Tensor]));
  }

  restore(): void {
    if (!this.taken) throw new Error('BestWeights.restore before any take');
    for (const [n, v] of this.params) v.assign(this.snapshot.get(n) as tf.Tensor);
  }

  /** The snapshot on the host, for a run's saved state. */
  save(): Promise<Map<string, HostTensor>> {
    return readAll(this.snapshot);
  }

  /** Takes up a saved snapshot (a resumed run). */
  load(saved: ReadonlyMap<string, HostTensor>): void {
    const next = new Map<string, tf.Tensor>();
    for (const [n, v] of this.params) {
      const h = savedTensor(saved, n, v.shape, 'best weights');
      next.set(n, tf.tensor(h.data, h.shape));
    }
    this.dispose();
    this.snapshot = next;
  }

  dispose(): void {
    this.snapshot.forEach((t) => t.dispose());
    this.snapshot.clear();
  }
}
