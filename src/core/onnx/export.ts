import type { HostTensor } from '../checkpoint/rawTensor';
import type { BertConfig } from '../model/config';
import { bertOnnx } from './bert';

/** Where transformers.js looks for a model's ONNX files in its folder: float32, and int8 ("q8"). */
export const ONNX_FILES = { float32: 'onnx/model.onnx', quantized: 'onnx/model_quantized.onnx' } as const;

/**
 * The export's ONNX files, from the weights it saves (Hugging Face names: "bert." prefix, "classifier.*"): what
 * transformers.js and ONNX Runtime (Web) load beside config.json and tokenizer.json.
 */
export function onnxFiles(
  config: BertConfig,
  tensors: ReadonlyArray<{ name: string; shape: number[]; data: Float32Array }>,
): Map<string, Uint8Array> {
  const weights = new Map<string, HostTensor>(
    tensors.map((t) => [t.name.replace(/^bert\./, ''), { shape: t.shape, data: t.data }]),
  );
  return new Map([
    [ONNX_FILES.float32, bertOnnx(config, weights, { quantized: false })],
    [
      ONNX_FILES.quantized,
      bertOnnx(config, weights, {
        quantized: true,
        docString: 'BertForSequenceClassification with int8 weights, exported by TabTune',
      }),
    ],
  ]);
}
