/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BROWSER_BACKENDS, chooseBackend } from '../core/backend';
import { loadCheckpoint, type LoadedCheckpoint } from '../core/checkpoint/load';
import { filesSource, hubSource } from '../core/checkpoint/source';
import { embedRows, type EmbeddingRecord } from '../core/embed';
import { describeError } from '../core/errors';
import { BertModel } from '../core/model/bert';
import type { ModelSummary, WorkerReply, WorkerRequest } from '../shared/protocol';

/** The compute thread: TF.js, the model and (later) training live here so the page never stutters. */
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: WorkerReply) => scope.postMessage(m);

let current: { ckpt: LoadedCheckpoint; model: BertModel } | null = null;

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.type) {
    case 'init': {
      const choice = await chooseBackend(req.backends ?? BROWSER_BACKENDS);
      post({
        type: 'ready',
        id: req.id,
        backend: choice.name,
        activeBackend: tf.getBackend(),
        skipped: choice.skipped,
      });
      return;
    }
    case 'load': {
      const source =
        req.source.kind === 'hub'
          ? hubSource(req.source.modelId, req.source.revision)
          : filesSource(new Map(req.source.files.map((f) => [f.path, f.bytes])));
      const ckpt = await loadCheckpoint(source, (p) => post({ type: 'download', id: req.id, ...p }));
      const model = new BertModel(ckpt.config, ckpt.weights);
      current?.model.dispose();
      current = { ckpt, model };
      post({ type: 'loaded', id: req.id, model: summarize(ckpt, model) });
      return;
    }
    case 'embed': {
      if (!current) throw new Error('No model is loaded yet.');
      const records: EmbeddingRecord[] = [];
      for await (const r of embedRows(current.model, current.ckpt.tokenizer, req.rows, {
        maxLength: req.maxLength,
        batchSize: 16,
      })) {
        records.push(r);
      }
      post({ type: 'embedded', id: req.id, records });
      return;
    }
  }
}

function summarize(ckpt: LoadedCheckpoint, model: BertModel): ModelSummary {
  let parameters = 0;
  for (const v of model.params.values()) parameters += v.size;
  const c = ckpt.config;
  return {
    source: ckpt.source,
    weightsFile: ckpt.weightsFile,
    layers: c.num_hidden_layers,
    hidden: c.hidden_size,
    heads: c.num_attention_heads,
    hiddenAct: c.hidden_act,
    vocabSize: c.vocab_size,
    maxPositions: c.max_position_embeddings,
    parameters,
    initialized: ckpt.report.initialized,
    unexpected: ckpt.report.unexpected,
  };
}

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  handle(e.data).catch((err: unknown) => post({ type: 'error', id: e.data.id, message: describeError(err) }));
};
