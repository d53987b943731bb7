import type * as Ort from 'onnxruntime-web';
import type { LoadedCheckpoint } from '../core/checkpoint/load';
import type { LabelSpec } from '../core/data/labels';
import { labelSpecFromConfig } from '../core/train/export';
import { fineTunedMaxLength } from '../core/train/fineTuned';

/**
 * An exported model's ONNX logits for `rows`, as a web page computes them: TabTune's tokenizer at the model's max
 * length, the ids as int64 [batch, sequence] padded with 0, and the session's `logits`.
 */
export async function onnxLogits(
  session: Ort.InferenceSession,
  Tensor: typeof Ort.Tensor,
  ckpt: LoadedCheckpoint,
  rows: ReadonlyArray<{ text: string; pair: string | null }>,
): Promise<{ spec: LabelSpec; logits: number[][] }> {
  const { spec } = labelSpecFromConfig(ckpt.rawConfig, ckpt.source);
  const maxLength = fineTunedMaxLength(ckpt);
  const encoded = rows.map((r) => ckpt.tokenizer.encode(r.text, r.pair, maxLength));
  const t = Math.max(...encoded.map((e) => e.inputIds.length));
  const padded = (pick: (e: (typeof encoded)[number]) => readonly number[], fill = 0) =>
    new Tensor(
      'int64',
      BigInt64Array.from(
        encoded.flatMap((e) => [...pick(e), ...Array<number>(t - pick(e).length).fill(fill)]).map(BigInt),
      ),
      [rows.length, t],
    );
  const out = await session.run({
    input_ids: padded((e) => e.inputIds),
    attention_mask: padded((e) => e.inputIds.map(() => 1)),
    token_type_ids: padded((e) => e.tokenTypeIds),
  });
  const data = Array.from(out.logits!.data as Float32Array);
  const k = data.length / rows.length;
  return { spec, logits: rows.map((_, i) => data.slice(i * k, (i + 1) * k)) };
}
