import { TabTuneError } from '../errors';
import type { BertConfig } from '../model/config';
import { toFloat32, type HostTensor, type RawTensor } from './rawTensor';

/**
 * Parameter names of BertModel (embeddings, encoder layers, pooler — not the classification head, whose
 * shape depends on the task), exactly as Hugging Face names them without the "bert." prefix, with their
 * shapes. PyTorch Linear weights are [out, in].
 */
export function bertParameterShapes(c: BertConfig): Map<string, number[]> {
  const h = c.hidden_size;
  const shapes = new Map<string, number[]>([
    ['embeddings.word_embeddings.weight', [c.vocab_size, h]],
    ['embeddings.position_embeddings.weight', [c.max_position_embeddings, h]],
    ['embeddings.token_type_embeddings.weight', [c.type_vocab_size, h]],
    ['embeddings.LayerNorm.weight', [h]],
    ['embeddings.LayerNorm.bias', [h]],
  ]);
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `encoder.layer.${i}`;
    for (const m of ['query', 'key', 'value']) {
      shapes.set(`${p}.attention.self.${m}.weight`, [h, h]);
      shapes.set(`${p}.attention.self.${m}.bias`, [h]);
    }
    shapes.set(`${p}.attention.output.dense.weight`, [h, h]);
    shapes.set(`${p}.attention.output.dense.bias`, [h]);
    shapes.set(`${p}.attention.output.LayerNorm.weight`, [h]);
    shapes.set(`${p}.attention.output.LayerNorm.bias`, [h]);
    shapes.set(`${p}.intermediate.dense.weight`, [c.intermediate_size, h]);
    shapes.set(`${p}.intermediate.dense.bias`, [c.intermediate_size]);
    shapes.set(`${p}.output.dense.weight`, [h, c.intermediate_size]);
    shapes.set(`${p}.output.dense.bias`, [h]);
    shapes.set(`${p}.output.LayerNorm.weight`, [h]);
    shapes.set(`${p}.output.LayerNorm.bias`, [h]);
  }
  shapes.set('pooler.dense.weight', [h, h]);
  shapes.set('pooler.dense.bias', [h]);
  return shapes;
}

/** What loading found, for the UI and CLI to show (transformers prints the same lists as warnings). */
export interface LoadReport {
  /** Present in the model but not in the file: initialized fresh (pooler or head only). */
  initialized: string[];
  /** In the file but not used by the model. */
  unexpected: string[];
  /** A classifier head found in the file: weight [num_labels, hidden]. */
  classifierLabels: number | null;
}

export interface MappedWeights {
  weights: Map<string, HostTensor>;
  report: LoadReport;
}

/** HF's key normalisation: drop "bert.", legacy TF-style LayerNorm.gamma/beta → weight/bias. */
export function canonicalName(key: string): string {
  let k = key.startsWith('bert.') ? key.slice(5) : key;
  k = k.replace(/LayerNorm\.gamma$/, 'LayerNorm.weight').replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
  return k;
}

function ignored(key: string): boolean {
  // Pre-training heads (MLM/NSP) and the position_ids buffer are not part of a fine-tuned model.
  return key.startsWith('cls.') || key.endsWith('position_ids');
}

/**
 * Maps a checkpoint's tensors onto BertModel names and checks every shape. Missing encoder or
 * embedding weights are an error (the pretrained knowledge would be lost); a missing pooler is
 * initialized fresh and reported, as transformers does.
 */
export function mapCheckpoint(raw: Map<string, RawTensor>, config: BertConfig, file: string): MappedWeights {
  const shapes = bertParameterShapes(config);
  const weights = new Map<string, HostTensor>();
  const unexpected: string[] = [];
  let classifierLabels: number | null = null;
  const mismatch = (key: string, want: number[], got: number[]) =>
    new TabTuneError(
      'checkpoint',
      `${file}: tensor "${key}" has shape [${got.join(', ')}] but config.json implies [${want.join(', ')}]. The weights and config.json do not belong together.`,
    );
  for (const [key, t] of raw) {
    if (ignored(key)) continue;
    const name = canonicalName(key);
    if (name === 'classifier.weight' || name === 'classifier.bias') {
      const want = name === 'classifier.weight' ? [t.shape[0] ?? 0, config.hidden_size] : [t.shape[0] ?? 0];
      if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i]))
        throw mismatch(key, want, t.shape);
      if (name === 'classifier.weight') classifierLabels = t.shape[0] ?? null;
      weights.set(name, { shape: t.shape, data: toFloat32(t, key, file) });
      continue;
    }
    const want = shapes.get(name);
    if (!want) {
      unexpected.push(key);
      continue;
    }
    if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i]))
      throw mismatch(key, want, t.shape);
    if (weights.has(name)) {
      throw new TabTuneError(
        'checkpoint',
        `${file}: tensor "${name}" appears twice (with and without the "bert." prefix). Keep one.`,
      );
    }
    weights.set(name, { shape: t.shape, data: toFloat32(t, key, file) });
  }
  const missing = [...shapes.keys()].filter((n) => !weights.has(n));
  const missingBackbone = missing.filter((n) => !n.startsWith('pooler.'));
  if (missingBackbone.length > 0) {
    const list =
      missingBackbone.slice(0, 5).join(', ') +
      (missingBackbone.length > 5 ? `, … (${missingBackbone.length} in all)` : '');
    throw new TabTuneError(
      'checkpoint',
      `${file} lacks ${missingBackbone.length} BERT weight(s): ${list}. It is not a BERT checkpoint, or it does not match config.json (num_hidden_layers = ${config.num_hidden_layers}).`,
    );
  }
  return { weights, report: { initialized: missing, unexpected, classifierLabels } };
}
