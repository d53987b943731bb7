import type * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import type { LoadedCheckpoint } from '../core/checkpoint/load';
import type { LabelSpec } from '../core/data/labels';
import { TabTuneError } from '../core/errors';
import type { SequenceClassifier } from '../core/model/classifier';
import { explanation, type Explanation } from '../core/explain/explanation';
import { integratedGradients } from '../core/explain/integratedGradients';
import { predictAll } from '../core/train/evaluate';
import { exportFiles } from '../core/train/export';
import type { RunRecord } from '../core/train/record';
import type { Params } from '../shared/protocol';

/** The model that scores text now: trained here (with its run record) or a loaded TabTune export. */
export interface Scorer {
  model: SequenceClassifier;
  spec: LabelSpec;
  ckpt: LoadedCheckpoint;
  run: RunRecord | null;
  maxLength: number;
}

/** Frees a model's tensors; those on a lost device may refuse, and there is nothing left to free then. */
export function disposeQuietly(model: { dispose(): void }): void {
  try {
    model.dispose();
  } catch {
    // on the lost device
  }
}

/**
 * The one model that scores, exports and is tried in "Try it": a new one replaces (and frees) the old.
 * `assertTrusted` refuses results a GPU that refused work may have spoilt.
 */
export class Scoring {
  private scorer: Scorer | null = null;

  constructor(private readonly assertTrusted: () => void) {}

  set(s: Scorer): void {
    this.scorer?.model.dispose();
    this.scorer = s;
  }

  /** The tensors of the model that scores (none without one): what a backend started again must keep. */
  tensors(): tf.Tensor[] {
    return this.scorer ? this.scorer.model.namedParameters().map(([, v]) => v) : [];
  }

  /** Drops the model without freeing it on a device that may be lost. */
  drop(): void {
    if (this.scorer) disposeQuietly(this.scorer.model);
    this.scorer = null;
  }

  async predict(rows: Params<'predict'>['rows']) {
    const t = this.require();
    const encoded = rows.map((r) => t.ckpt.tokenizer.encode(r.text, r.pair, t.maxLength));
    const predictions = await predictAll(t.model, t.spec, encoded, t.ckpt.tokenizer.padId, 32);
    this.assertTrusted();
    return predictions;
  }

  /** Why `row` gets its score: integrated gradients over its tokens (at the default steps), and by word. */
  async explain(row: Params<'explain'>['row']): Promise<Explanation> {
    const t = this.require();
    const encoded = t.ckpt.tokenizer.encode(row.text, row.pair, t.maxLength);
    const a = await integratedGradients(
      t.model,
      t.spec,
      encoded,
      (id) => t.ckpt.tokenizer.idToToken(id) ?? `[${id}]`,
      t.ckpt.tokenizer.padId,
    );
    this.assertTrusted();
    return explanation(a, t.spec);
  }

  /** The trained model as the zip the studio downloads (a Hugging Face folder under `tabtune-model/`). */
  async exportZip() {
    const t = this.require();
    if (!t.run)
      throw new TabTuneError(
        'usage',
        'This model was loaded, not trained here; there is nothing new to export.',
      );
    const files = await exportFiles(
      t.model,
      t.ckpt.rawConfig,
      t.ckpt.tokenizerFiles,
      t.ckpt.tokenizerConfig,
      t.run,
    );
    const zip = zipSync(
      Object.fromEntries([...files].map(([name, bytes]) => [`tabtune-model/${name}`, bytes])),
      { level: 6 },
    );
    return { zip, fileName: 'tabtune-model.zip' };
  }

  private require(): Scorer {
    if (!this.scorer) throw new TabTuneError('usage', 'Train a model (or load a TabTune export) first.');
    return this.scorer;
  }
}
