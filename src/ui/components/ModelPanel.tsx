import { useState } from 'react';
import type { ModelSourceSpec, ModelSummary } from '../../shared/protocol';
import { BERT_CONFIG_DEFAULTS, type BertConfig } from '../../core/model/config';
import {
  estimateTrainingBytes,
  parameterCount,
  trainableParameterCount,
  type FineTuneChoice,
} from '../../core/model/memory';
import { formatBytes, formatCount, formatProgress } from '../format';
import { DEFAULT_MODEL_ID, MODEL_PRESETS } from '../presets';
import { fineTuneChoiceWords } from '../stepSummaries';
import type { DownloadState } from '../trainerState';
import { Field } from './Field';

interface Props {
  /** The training settings that drive the memory estimate. */
  batchSize: number;
  maxLength: number;
  /** What trains (all weights, LoRA, the head): the trainable count and the memory estimate follow it. */
  fineTune: FineTuneChoice;
  onClearCache: () => Promise<number | null>;
  model: ModelSummary | null;
  download: DownloadState | null;
  busy: boolean;
  onLoad: (source: ModelSourceSpec) => void;
}

/** Step 2's body: a model from the Hub or from files, and what it is (its size, the memory fine-tuning needs). */
export function ModelPanel({
  model,
  download,
  busy,
  onLoad,
  batchSize,
  maxLength,
  fineTune,
  onClearCache,
}: Props) {
  const [cacheNote, setCacheNote] = useState<string | null>(null);
  const [modelId, setModelId] = useState<string>(DEFAULT_MODEL_ID);
  const [revision, setRevision] = useState('main');

  const loadFiles = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const files = await Promise.all(
      [...list].map(async (f) => ({
        path: f.webkitRelativePath || f.name,
        bytes: new Uint8Array(await f.arrayBuffer()),
      })),
    );
    onLoad({ kind: 'files', files });
  };

  return (
    <>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onLoad({ kind: 'hub', modelId: modelId.trim(), revision: revision.trim() || 'main' });
        }}
      >
        <Field label="Preset">
          <select
            value={MODEL_PRESETS.some((p) => p.id === modelId) ? modelId : ''}
            onChange={(e) => e.target.value && setModelId(e.target.value)}
          >
            {MODEL_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
            <option value="">Other (type a model id)</option>
          </select>
        </Field>
        <Field label="Hugging Face model id">
          <input value={modelId} onChange={(e) => setModelId(e.target.value)} spellCheck={false} />
        </Field>
        <Field label="Revision" hint="A branch, tag or commit of the model repository.">
          <input
            value={revision}
            onChange={(e) => setRevision(e.target.value)}
            spellCheck={false}
            size={10}
          />
        </Field>
        <button type="submit" disabled={busy}>
          Load from Hugging Face
        </button>
      </form>
      <Field
        label="Or load checkpoint files from disk"
        hint="Select config.json, vocab.txt or tokenizer.json, and model.safetensors or pytorch_model.bin together — or a zip exported by TabTune. A LoRA adapter (adapter_config.json and adapter_model.safetensors, as PEFT saves it) applies to the model loaded above."
      >
        <input type="file" multiple disabled={busy} onChange={(e) => void loadFiles(e.target.files)} />
      </Field>
      {download && (
        <p>
          <label>
            Downloading {download.file}{' '}
            <progress
              aria-label="Download progress"
              max={download.total ?? undefined}
              value={download.loaded}
            />
          </label>{' '}
          {formatProgress(download.loaded, download.total)}
        </p>
      )}
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void onClearCache().then((n) => n !== null && setCacheNote(`Removed ${n} cached file(s).`))
        }
      >
        Clear the model cache
      </button>
      {cacheNote && <p role="status">{cacheNote}</p>}
      {model && <ModelFacts model={model} batchSize={batchSize} maxLength={maxLength} fineTune={fineTune} />}
    </>
  );
}

function configOf(m: ModelSummary): BertConfig {
  return {
    ...BERT_CONFIG_DEFAULTS,
    vocab_size: m.vocabSize,
    hidden_size: m.hidden,
    num_hidden_layers: m.layers,
    num_attention_heads: m.heads,
    intermediate_size: m.intermediate,
    max_position_embeddings: m.maxPositions,
  };
}

/** What the loaded model is: source, shape, size, and the memory fine-tuning it needs. */
function ModelFacts({
  model,
  batchSize,
  maxLength,
  fineTune,
}: {
  model: ModelSummary;
  batchSize: number;
  maxLength: number;
  fineTune: FineTuneChoice;
}) {
  return (
    <dl aria-label="Loaded model">
      <dt>Source</dt>
      <dd>{model.source}</dd>
      <dt>Architecture</dt>
      <dd>
        {model.layers} layers, hidden {model.hidden}, {model.heads} heads, {model.hiddenAct}, up to{' '}
        {model.maxPositions} tokens
      </dd>
      <dt>Parameters</dt>
      <dd>{formatCount(model.parameters)}</dd>
      <dt>Weights</dt>
      <dd>{model.weightsFile}</dd>
      <dt>Size</dt>
      <dd>
        {formatBytes(model.totalBytes)}
        {model.source.startsWith('huggingface.co') &&
          (model.downloadedBytes > 0
            ? `, downloaded (${formatBytes(model.downloadedBytes)}) and cached`
            : ', from the browser cache')}
      </dd>
      <FineTuneFacts model={model} batchSize={batchSize} maxLength={maxLength} fineTune={fineTune} />
      {model.initialized.length > 0 && (
        <>
          <dt>Initialized fresh (not in the checkpoint)</dt>
          <dd>{model.initialized.join(', ')}</dd>
        </>
      )}
    </dl>
  );
}

/**
 * The parameters that train and the memory fine-tuning needs, for the chosen way of fine-tuning; beside the
 * full fine-tuning estimate when another is chosen (LoRA keeps optimizer state for its updates only).
 */
function FineTuneFacts(p: {
  model: ModelSummary;
  batchSize: number;
  maxLength: number;
  fineTune: FineTuneChoice;
}) {
  const c = configOf(p.model);
  const tokens = Math.min(p.maxLength, p.model.maxPositions);
  const full = estimateTrainingBytes(c, 1, p.batchSize, tokens);
  const chosen = estimateTrainingBytes(c, 1, p.batchSize, tokens, p.fineTune);
  const how = fineTuneChoiceWords(p.fineTune);
  return (
    <>
      <dt>Parameters that train ({how})</dt>
      <dd data-testid="trainable-parameters">
        {formatCount(trainableParameterCount(c, 1, p.fineTune))} of {formatCount(parameterCount(c, 1))}
      </dd>
      <dt>
        Memory to fine-tune (batch {p.batchSize}, {tokens} tokens, {how})
      </dt>
      <dd data-testid="memory-estimate" data-bytes={chosen} data-full-bytes={full}>
        about {formatBytes(chosen)}
        {chosen < full && ` (all weights: about ${formatBytes(full)})`}
      </dd>
    </>
  );
}
