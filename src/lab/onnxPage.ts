import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { maxWeightsBytes, readArchive } from '../core/checkpoint/archive';
import { loadCheckpoint } from '../core/checkpoint/load';
import { filesSource } from '../core/checkpoint/source';
import { inflateEntry, zipEntries } from '../core/checkpoint/zip';
import { predictionOf } from '../core/data/labels';
import { describeError } from '../core/errors';
import { onnxLogits } from './onnxScore';

/**
 * The ONNX page (/onnx.html): an exported zip's ONNX model run by ONNX Runtime Web (WASM, its .wasm served by this
 * site), with TabTune's own tokenizer and the config's `tabtune` block for the scale. What a web page that serves
 * the model does; e2e/onnx.spec.ts compares its scores with the studio's.
 */
ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;
const out = document.getElementById('out') as HTMLPreElement;
const field = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function run(): Promise<void> {
  out.dataset.done = 'false';
  try {
    const file = field<HTMLInputElement>('zip').files?.[0];
    if (!file) throw new Error('Choose the model zip first.');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const files = readArchive(bytes, file.name);
    const ckpt = await loadCheckpoint(filesSource(files, file.name));
    const variant = field<HTMLSelectElement>('variant').value;
    const entry = [...zipEntries(bytes, file.name).values()].find((e) => e.name.endsWith(`onnx/${variant}`));
    if (!entry)
      throw new Error(`${file.name} has no onnx/${variant}: export it again, or run "cli export-onnx".`);
    const configEntry = [...files].find(([p]) => p.endsWith('config.json') && !p.includes('adapter'));
    const onnx = inflateEntry(bytes, entry, file.name, maxWeightsBytes(configEntry?.[1]));
    const rows = field<HTMLTextAreaElement>('texts')
      .value.split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [text, pair] = l.split('\t');
        return { text: text!, pair: pair ?? null };
      });
    const session = await ort.InferenceSession.create(onnx, { executionProviders: ['wasm'] });
    const { spec, logits } = await onnxLogits(session, ort.Tensor, ckpt, rows);
    out.textContent = JSON.stringify({ variant, scores: logits.map((l) => predictionOf(spec, l)) }, null, 2);
  } catch (e) {
    out.textContent = `error: ${describeError(e)}`;
  }
  out.dataset.done = 'true';
}

field<HTMLButtonElement>('run').addEventListener('click', () => void run());
