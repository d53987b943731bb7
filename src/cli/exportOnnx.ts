import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadCheckpoint } from '../core/checkpoint/load';
import { TabTuneError } from '../core/errors';
import { onnxFiles } from '../core/onnx/export';
import { log, sourceFor } from './common';

export interface ExportOnnxArgs {
  /** A model folder with a classifier head: a TabTune export (older ones have no onnx/ yet). */
  model: string;
  /** The folder that gets onnx/ (the model's own folder when not given). */
  out: string;
}

/**
 * Adds onnx/model.onnx and onnx/model_quantized.onnx to a fine-tuned model's folder (or writes them under --out):
 * what `train` writes in every export now, for exports made before it did.
 */
export async function runExportOnnx(args: ExportOnnxArgs): Promise<void> {
  const ckpt = await loadCheckpoint(sourceFor(args.model, 'main'));
  const missing = ['classifier.weight', 'classifier.bias', 'pooler.dense.weight', 'pooler.dense.bias'].filter(
    (n) => !ckpt.weights.has(n),
  );
  if (missing.length > 0)
    throw new TabTuneError(
      'checkpoint',
      `${args.model} has no ${missing.join(', ')}: it is a base model, not one fine-tuned for a task. Fine-tune it with "npm run cli -- train" (its export has onnx/ already).`,
    );
  const tensors = [...ckpt.weights].map(([name, t]) => ({ name, shape: t.shape, data: t.data }));
  for (const [name, bytes] of onnxFiles(ckpt.config, tensors)) {
    const path = join(args.out, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    log(`wrote ${path} (${(bytes.length / 1e6).toFixed(1)} MB)`);
  }
}

/** `--out` defaults to the model's folder; a model id from the Hub needs one. */
export function exportOnnxOut(model: string, out: string | undefined): string {
  if (out !== undefined) return out;
  let folder = false;
  try {
    folder = statSync(model).isDirectory();
  } catch {
    folder = false;
  }
  if (!folder)
    throw new TabTuneError(
      'usage',
      `--model ${model} is not a folder here: give --out, the folder to write onnx/ into.`,
    );
  return model;
}
