import { readArchive } from '../core/checkpoint/archive';
import { loadCheckpoint, type LoadedCheckpoint } from '../core/checkpoint/load';
import { droppedDescription, filesSource, hubSource, type CheckpointSource } from '../core/checkpoint/source';
import { numLabels } from '../core/data/labels';
import { embedRows } from '../core/embed';
import { TabTuneError } from '../core/errors';
import { BertModel } from '../core/model/bert';
import { applyAdapter, readAdapter } from '../core/train/adapter';
import { labelSpecFromConfig } from '../core/train/export';
import type { TabTuneConfigBlock } from '../core/train/record';
import { effectiveMaxLength, loadFineTuned } from '../core/train/fineTuned';
import type { ModelSourceSpec, ModelSummary, Params, Emit } from '../shared/protocol';
import { cacheStorage } from './cache';
import { disposeQuietly, type Scorer } from './scoring';
import { summarize } from './summaries';

/** A model loaded: what the page is told, and the model that scores from now on when it is a TabTune export. */
export interface Loaded {
  summary: ModelSummary;
  scorer: Scorer | null;
}

/**
 * The base model runs fine-tune: loaded from the Hub (cached), dropped files or a TabTune zip, or a PEFT adapter
 * applied to it; and the encoder `embed` uses.
 */
export class Models {
  private loaded: LoadedCheckpoint | null = null;
  private encoder: BertModel | null = null;

  /** The loaded base model, if any. */
  get base(): LoadedCheckpoint | null {
    return this.loaded;
  }

  /** Drops the encoder without freeing it on a device that may be lost. */
  dropEncoder(): void {
    if (this.encoder) disposeQuietly(this.encoder);
    this.encoder = null;
  }

  /** Loads a model; aborting `signal` stops a download under way. */
  async load(spec: ModelSourceSpec, emit: Emit, signal: AbortSignal): Promise<Loaded> {
    // A dropped zip is unpacked once: for the adapter check and, if it is a checkpoint, for loading it.
    const dropped = spec.kind === 'files' ? unzipIfArchive(spec.files) : null;
    if (dropped) {
      const names = new Map([...dropped].map(([p, b]) => [p.split('/').pop() as string, b]));
      if (names.has('adapter_config.json') && !names.has('config.json')) return this.loadAdapter(names);
    }
    const counted = countingSource(
      spec.kind === 'hub'
        ? hubSource(spec.modelId, spec.revision, (url) => fetch(url, { signal }), cacheStorage())
        : filesSource(dropped!, droppedDescription(spec.files.map((f) => f.path))),
    );
    const ckpt = await loadCheckpoint(counted.source, (p) => emit({ type: 'download', ...p }));
    this.encoder?.dispose();
    this.encoder = null;
    this.loaded = ckpt;
    // A TabTune export can score text at once: it becomes the scoring model.
    let scorer: Scorer | null = null;
    if (ckpt.rawConfig.tabtune !== undefined) {
      const f = loadFineTuned(ckpt);
      scorer = { model: f.model, spec: f.spec, ckpt, run: null, maxLength: f.maxLength };
    }
    const downloadedBytes = spec.kind === 'hub' ? counted.fromNetwork() : 0;
    const fineTuned = scorer
      ? { task: scorer.spec.task, ...(scorer.spec.labels ? { labels: scorer.spec.labels } : {}) }
      : null;
    return {
      summary: { ...summarize(ckpt, fineTuned), downloadedBytes, totalBytes: counted.total() },
      scorer,
    };
  }

  async embed(rows: Params<'embed'>['rows'], maxLength: number) {
    if (!this.loaded) throw new TabTuneError('usage', 'Load a model first.');
    this.encoder ??= new BertModel(this.loaded.config, this.loaded.weights);
    const records = [];
    for await (const r of embedRows(this.encoder, this.loaded.tokenizer, rows, { maxLength, batchSize: 16 }))
      records.push(r);
    return records;
  }

  /**
   * A PEFT LoRA adapter folder, applied to the loaded base model; it scores text at once. The ratings its outputs
   * stand for come from TabTune's block in the adapter (or in the base model, when that is a TabTune export).
   */
  private loadAdapter(files: Map<string, Uint8Array>): Loaded {
    const base = this.loaded;
    if (!base)
      throw new TabTuneError(
        'usage',
        'An adapter applies to its base model: load the model it was trained on first (above), then the adapter folder.',
      );
    const adapter = readAdapter(files, base);
    const block = adapter.tabtune ?? (base.rawConfig.tabtune as TabTuneConfigBlock | undefined);
    if (!block)
      throw new TabTuneError(
        'checkpoint',
        'The adapter carries no TabTune label block (it was not trained by TabTune), so its outputs cannot be turned into ratings. Fine-tune it in TabTune, or score it with PEFT.',
      );
    const { spec } = labelSpecFromConfig({ tabtune: block }, 'the adapter');
    if (numLabels(spec) !== adapter.head.weight.shape[0])
      throw new TabTuneError(
        'checkpoint',
        `The adapter's head has ${adapter.head.weight.shape[0]} output(s), but its ${spec.task} task needs ${numLabels(spec)}. Export the adapter again.`,
      );
    const model = applyAdapter(base, adapter);
    const maxLength = effectiveMaxLength(
      adapter.maxLength ?? base.tokenizerConfig.model_max_length ?? 128,
      base,
    );
    let bytes = 0;
    for (const b of files.values()) bytes += b.byteLength;
    return {
      summary: {
        ...summarize(base, { task: spec.task }),
        source: `${base.source} + LoRA adapter (r ${adapter.lora.r}, ${adapter.lora.targets.join(', ')})`,
        weightsFile: 'adapter_model.safetensors',
        downloadedBytes: 0,
        totalBytes: bytes,
      },
      scorer: { model, spec, ckpt: base, run: null, maxLength },
    };
  }
}

/** A checkpoint source that counts the bytes it reads, and those that came over the network, not the cache. */
function countingSource(inner: CheckpointSource) {
  let total = 0;
  let network = 0;
  const source: CheckpointSource = {
    description: inner.description,
    read: async (file, onProgress) => {
      let fromNetwork = true;
      const bytes = await inner.read(file, (p) => {
        if (p.cached) fromNetwork = false;
        onProgress?.(p);
      });
      if (bytes) {
        total += bytes.byteLength;
        if (fromNetwork) network += bytes.byteLength;
      }
      return bytes;
    },
  };
  return { source, total: () => total, fromNetwork: () => network };
}

/** A dropped .zip (a TabTune export, a zipped folder) gives the files a loader reads; other files pass through. */
function unzipIfArchive(files: Array<{ path: string; bytes: Uint8Array }>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const f of files) {
    if (f.path.toLowerCase().endsWith('.zip'))
      for (const [name, bytes] of readArchive(f.bytes, f.path)) out.set(name, bytes);
    else out.set(f.path, f.bytes);
  }
  return out;
}
