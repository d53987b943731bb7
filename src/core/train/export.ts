import { writeSafetensors } from '../checkpoint/safetensors';
import type { LabelSpec } from '../data/labels';
import { TabTuneError } from '../errors';
import { onnxFiles } from '../onnx/export';
import { adapterFiles, missingAdapterReason } from './adapter';
import { baseModelName, baseReference, fileName, portableSource } from './baseModel';
import { trainHfScript } from './trainHf';
import type { SequenceClassifier } from '../model/classifier';
import {
  specialTokensOf,
  tokenizerJsonFromVocab,
  type BertTokenizerConfig,
} from '../tokenizer/tokenizerJson';
import { parseVocab, vocabTextFromTokenizerJson } from '../tokenizer/vocab';
import { modelCard } from './modelCard';
import type { RunRecord, TabTuneConfigBlock } from './record';

const PROBLEM_TYPE = {
  regression: 'regression',
  classification: 'single_label_classification',
  binary: 'multi_label_classification',
  'multi-label': 'multi_label_classification',
} as const;

function labelNames(spec: LabelSpec): string[] {
  switch (spec.task) {
    case 'regression':
      return [`rating (0 = ${spec.scale.min}, 1 = ${spec.scale.max})`];
    case 'binary':
      return [`rating >= ${spec.threshold}`];
    case 'classification':
      return spec.classes.map((c) => `rating ${c}`);
    case 'multi-label':
      return [...(spec.labels ?? [])];
  }
}

const json = (v: unknown) => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);

/** Multi-label: each label's threshold, as the kept weights' final validation chose it (none before a result). */
function labelThresholdsOf(run: RunRecord): { label_thresholds?: number[] } {
  const per = run.result?.final.validation.per_label;
  return per && run.spec.labels ? { label_thresholds: run.spec.labels.map((n) => per[n]!.threshold) } : {};
}

/** config.json: the base model's config, BertForSequenceClassification's keys, and TabTune's own block. */
function hfConfig(model: SequenceClassifier, rawConfig: Record<string, unknown>, run: RunRecord) {
  const names = labelNames(run.spec);
  const tabtune: TabTuneConfigBlock = {
    task: run.spec.task,
    scale: run.spec.scale,
    threshold: run.spec.threshold,
    classes: run.spec.classes,
    ...(run.spec.labels?.length ? { labels: run.spec.labels } : {}),
    ...labelThresholdsOf(run),
    text_column: run.roles.text,
    text_pair_column: run.roles.pair,
  };
  const c = model.bert.config;
  return {
    ...rawConfig,
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    vocab_size: c.vocab_size,
    hidden_size: c.hidden_size,
    num_hidden_layers: c.num_hidden_layers,
    num_attention_heads: c.num_attention_heads,
    intermediate_size: c.intermediate_size,
    hidden_act: c.hidden_act,
    hidden_dropout_prob: c.hidden_dropout_prob,
    attention_probs_dropout_prob: c.attention_probs_dropout_prob,
    max_position_embeddings: c.max_position_embeddings,
    type_vocab_size: c.type_vocab_size,
    layer_norm_eps: c.layer_norm_eps,
    initializer_range: c.initializer_range,
    position_embedding_type: 'absolute',
    num_labels: model.numLabels,
    problem_type: PROBLEM_TYPE[run.spec.task],
    id2label: Object.fromEntries(names.map((n, i) => [String(i), n])),
    label2id: Object.fromEntries(names.map((n, i) => [n, i])),
    tabtune,
  };
}

/** The special tokens as tokenizer_config.json names them, BertTokenizer's defaults where the config has none. */
function specialTokenConfig(config: BertTokenizerConfig): Record<string, string> {
  const t = specialTokensOf(config);
  return { unk_token: t.unk, sep_token: t.sep, pad_token: t.pad, cls_token: t.cls, mask_token: t.mask };
}

/**
 * vocab.txt, tokenizer.json and tokenizer_config.json: each written whatever the model came with (a checkpoint
 * with only tokenizer.json gets the vocab.txt Hugging Face's slow BertTokenizer needs, and one with only vocab.txt
 * the tokenizer.json of the fast one).
 */
function tokenizerExport(
  tokenizerFiles: ReadonlyMap<string, Uint8Array>,
  tokenizerConfig: BertTokenizerConfig,
  maxLength: number,
  model: SequenceClassifier,
): Map<string, Uint8Array> {
  const vocab = tokenizerFiles.get('vocab.txt');
  const tokJson = tokenizerFiles.get('tokenizer.json');
  if (!vocab && !tokJson) throw new TabTuneError('tokenizer', 'The model has no tokenizer files to export.');
  const files = new Map<string, Uint8Array>();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  files.set(
    'vocab.txt',
    vocab ?? new TextEncoder().encode(vocabTextFromTokenizerJson(JSON.parse(text(tokJson!)) as unknown)),
  );
  files.set(
    'tokenizer.json',
    tokJson ?? json(tokenizerJsonFromVocab(parseVocab(text(vocab!)), tokenizerConfig)),
  );
  files.set(
    'tokenizer_config.json',
    json({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: tokenizerConfig.do_lower_case ?? true,
      strip_accents: tokenizerConfig.strip_accents ?? null,
      tokenize_chinese_chars: tokenizerConfig.tokenize_chinese_chars ?? true,
      model_max_length: Math.min(maxLength, model.bert.config.max_position_embeddings),
      // Named even where the base model's config left them to BertTokenizer's defaults: transformers.js pads
      // with pad_token and has no defaults of its own.
      ...specialTokenConfig(tokenizerConfig),
      ...Object.fromEntries(Object.entries(tokenizerConfig).filter(([k]) => k.endsWith('_token'))),
    }),
  );
  return files;
}

/**
 * The files of a Hugging Face–loadable BertForSequenceClassification folder: config.json (num_labels,
 * problem_type, id2label/label2id), model.safetensors ("bert.*", "classifier.*"), the same model as ONNX
 * (onnx/model.onnx, onnx/model_quantized.onnx), the tokenizer files, training_config.json, metrics.json and a
 * README.md model card.
 */
export async function exportFiles(
  model: SequenceClassifier,
  baseConfig: Record<string, unknown>,
  tokenizerFiles: ReadonlyMap<string, Uint8Array>,
  tokenizerConfig: BertTokenizerConfig,
  trained: RunRecord,
): Promise<Map<string, Uint8Array>> {
  // Every file below names the base model and the data as another machine can find them.
  const run = portableRecord(trained);
  const rawConfig = portableConfig(baseConfig, run.baseModel);
  const files = new Map<string, Uint8Array>();
  files.set('config.json', json(hfConfig(model, rawConfig, run)));
  const tensors = await model.exportedWeights();
  files.set('model.safetensors', writeSafetensors(tensors, { format: 'pt', producer: 'TabTune' }));
  // The same model as ONNX, for transformers.js and ONNX Runtime Web: float32 and int8.
  for (const [name, bytes] of onnxFiles(model.bert.config, tensors)) files.set(name, bytes);
  // Trained with LoRA: model.safetensors has the updates merged in, and adapter/ is the adapter PEFT loads — on a
  // base that exists outside this run (missingAdapterReason says why a run from scratch has none).
  if (model.bert.lora && missingAdapterReason(run) === null) {
    const block = hfConfig(model, rawConfig, run).tabtune;
    for (const [name, bytes] of await adapterFiles(model, run.baseModel, block, run.trainConfig.maxLength))
      files.set(`adapter/${name}`, bytes);
  }

  for (const [name, bytes] of tokenizerExport(
    tokenizerFiles,
    tokenizerConfig,
    run.trainConfig.maxLength,
    model,
  ))
    files.set(name, bytes);
  const trainingConfig = {
    base_model: run.baseModel,
    columns: run.roles,
    label: run.spec,
    ...run.trainConfig,
    backend: run.backend,
    ...(run.backendDecision ? { backend_decision: run.backendDecision } : {}),
    created_at: run.createdAt,
  };
  files.set('training_config.json', json(trainingConfig));
  files.set('train_hf.py', new TextEncoder().encode(trainHfScript(run, trainingConfig)));
  files.set(
    'metrics.json',
    json({
      data: run.data,
      baseline: run.result?.baseline ?? null,
      final: run.result?.final ?? null,
      stop: run.result
        ? {
            reason: run.result.reason,
            message: run.result.message,
            steps: run.result.steps,
            best_step: run.result.bestStep,
            selection_metric: run.result.selectionMetric,
            notes: run.result.notes,
          }
        : null,
      history: run.result?.history ?? [],
      classical_baseline: run.classical ?? null,
      search: run.search ?? null,
      slices: run.slices ?? null,
    }),
  );
  files.set('README.md', new TextEncoder().encode(modelCard(run, model.numLabels)));
  return files;
}

/**
 * The record as an export states it: the base model by its Hub id or its own folder name, the data file by its
 * name — no directory of the machine that trained (the record kept in the run history is left as it is).
 */
export function portableRecord(run: RunRecord): RunRecord {
  return {
    ...run,
    baseModel: portableSource(run.baseModel),
    data: { ...run.data, file: fileName(run.data.file) },
  };
}

/** The base model's config.json, its "_name_or_path" (where transformers last saved it) named portably too. */
function portableConfig(raw: Record<string, unknown>, baseModel: string): Record<string, unknown> {
  if (!('_name_or_path' in raw)) return raw;
  return { ...raw, _name_or_path: baseModelName(baseReference(baseModel)) ?? '' };
}

/** Reads TabTune's block back from a loaded config.json; a clear error for checkpoints without one. */
export function labelSpecFromConfig(
  rawConfig: Record<string, unknown>,
  source: string,
): { spec: LabelSpec; block: TabTuneConfigBlock } {
  const block = rawConfig.tabtune as TabTuneConfigBlock | undefined;
  if (!block || typeof block !== 'object' || !block.task || !block.scale) {
    throw new TabTuneError(
      'checkpoint',
      `${source} is not a model fine-tuned by TabTune (config.json has no "tabtune" block), so its outputs cannot be turned into ratings. Train one with "npm run cli -- train".`,
    );
  }
  return {
    spec: {
      task: block.task,
      scale: block.scale,
      threshold: block.threshold,
      classes: block.classes ?? [],
      ...(block.labels ? { labels: block.labels } : {}),
      ...(block.label_thresholds ? { labelThresholds: block.label_thresholds } : {}),
    },
    block,
  };
}
