import type { LoadedCheckpoint } from '../checkpoint/load';
import { toFloat32, type HostTensor } from '../checkpoint/rawTensor';
import { readSafetensors, safetensorsMetadata, writeSafetensors } from '../checkpoint/safetensors';
import { TabTuneError } from '../errors';
import { SequenceClassifier } from '../model/classifier';
import { loraModules, loraName, LoraWeights, LORA_TARGETS, type LoraConfig } from '../model/lora';
import { baseModelName, baseReference } from './baseModel';
import type { RunRecord, TabTuneConfigBlock } from './record';

/**
 * A LoRA adapter as Hugging Face PEFT saves and loads it (save_pretrained / PeftModel.from_pretrained):
 * adapter_config.json and adapter_model.safetensors, whose keys carry PEFT's prefix and no adapter name —
 * "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight" [r, in], "….lora_B.weight"
 * [out, r] — plus the head PEFT saves for SEQ_CLS ("base_model.model.classifier.weight" / ".bias").
 */
const PREFIX = 'base_model.model.';

/** "huggingface.co/prajjwal1/bert-tiny (main)" → the hub id and revision; any other source keeps its name. */
export function baseModelId(source: string): { id: string; revision: string | null } {
  const hub = /^huggingface\.co\/(.+) \((.+)\)$/.exec(source);
  if (hub) return { id: hub[1] as string, revision: hub[2] as string };
  return { id: source.replace(/^folder /, ''), revision: null };
}

/**
 * adapter_config.json. The base is named so that PEFT finds it on another machine: the Hub id, or a local base's
 * own folder name (the model card says where to put it); never a path of the machine that trained.
 */
export function adapterConfig(lora: LoraConfig, baseModel: string): Record<string, unknown> {
  const base = baseReference(baseModel);
  return {
    peft_type: 'LORA',
    task_type: 'SEQ_CLS',
    base_model_name_or_path: baseModelName(base),
    revision: base.kind === 'hub' ? base.revision : null,
    r: lora.r,
    lora_alpha: lora.alpha,
    lora_dropout: lora.dropout,
    target_modules: lora.targets,
    modules_to_save: ['classifier', 'score'],
    bias: 'none',
    fan_in_fan_out: false,
    use_rslora: lora.rslora,
    use_dora: false,
    init_lora_weights: true,
    inference_mode: true,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
  };
}

/**
 * Why a LoRA run's export has no adapter/, or null when it has one (or the run did not use LoRA). From scratch the
 * adapter's base is the run's random start, which exists nowhere else: PEFT could never find it, and shipping it to
 * make a small adapter usable would double the download. The merged model.safetensors is the whole model.
 */
export function missingAdapterReason(run: Pick<RunRecord, 'baseModel' | 'trainConfig'>): string | null {
  if (!run.trainConfig.lora || baseReference(run.baseModel).kind !== 'scratch') return null;
  return 'Trained with LoRA from scratch, so the export has no adapter/ for PEFT: the random start it adapts exists only in this run. model.safetensors is the whole model, the LoRA updates merged in (load it with AutoModelForSequenceClassification).';
}

/**
 * How to apply adapter/ in Python, naming the base it needs: by Hub id, or — for a base that was a local folder or
 * files — by that folder's name, with where to put it or how to pass its path. Null without an adapter.
 */
export function adapterUsage(
  run: Pick<RunRecord, 'baseModel' | 'trainConfig'>,
  numLabels: number,
): string | null {
  if (!run.trainConfig.lora || missingAdapterReason(run) !== null) return null;
  const base = baseReference(run.baseModel);
  const name = baseModelName(base) as string;
  const where =
    base.kind === 'hub'
      ? `\`adapter/\` applies to \`${name}\` from the Hugging Face Hub (revision \`${base.revision}\`), which \`adapter_config.json\` names.`
      : `\`adapter/\` applies to the base model this run started from, a local folder called \`${name}\` on the machine that trained (it is not on the Hub, and this export does not hold it). \`adapter_config.json\` names it \`${name}\`: PEFT finds it when that folder is in the directory you run Python from; anywhere else, load it by its path as below.`;
  return `${where}

\`\`\`python
from peft import PeftModel
from transformers import AutoModelForSequenceClassification

base = AutoModelForSequenceClassification.from_pretrained("${base.kind === 'hub' ? name : `path/to/${name}`}", num_labels=${numLabels}${run.trainConfig.task === 'multi-label' ? ', problem_type="multi_label_classification"' : ''})
model = PeftModel.from_pretrained(base, "path/to/this/folder/adapter")
\`\`\``;
}

const json = (v: unknown) => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);

/**
 * adapter_config.json and adapter_model.safetensors of a model trained with LoRA. The label block TabTune needs to
 * map outputs back to ratings rides in the safetensors metadata (PEFT reads only the tensors).
 */
export async function adapterFiles(
  model: SequenceClassifier,
  baseModel: string,
  tabtune: TabTuneConfigBlock,
  maxLength: number,
): Promise<Map<string, Uint8Array>> {
  const lora = model.bert.lora;
  if (!lora) throw new Error('adapterFiles: the model has no LoRA weights');
  const tensors = [];
  for (const [name, v] of lora.params)
    tensors.push({ name: `${PREFIX}bert.${name}`, shape: v.shape, data: (await v.data()) as Float32Array });
  for (const [name, v] of model.head)
    tensors.push({ name: `${PREFIX}${name}`, shape: v.shape, data: (await v.data()) as Float32Array });
  return new Map([
    ['adapter_config.json', json(adapterConfig(lora.config, baseModel))],
    [
      'adapter_model.safetensors',
      writeSafetensors(tensors, {
        format: 'pt',
        producer: 'TabTune',
        tabtune: JSON.stringify(tabtune),
        max_length: String(maxLength),
      }),
    ],
  ]);
}

export interface LoadedAdapter {
  lora: LoraConfig;
  weights: Map<string, HostTensor>;
  head: { weight: HostTensor; bias: HostTensor };
  /** TabTune's label block when TabTune made the adapter; null for another tool's. */
  tabtune: TabTuneConfigBlock | null;
  /** The input length the run trained with (TabTune's adapters), so that texts are cut as they were. */
  maxLength: number | null;
  baseModel: string;
}

/**
 * Reads a PEFT adapter folder and checks it against the loaded base model: a LoRA adapter for sequence
 * classification, targets TabTune can apply, exactly the tensors PEFT would save for them (PEFT itself loads with
 * strict=False and only warns of a misnamed key, so the set is checked here), with the base model's shapes.
 */
export function readAdapter(files: ReadonlyMap<string, Uint8Array>, base: LoadedCheckpoint): LoadedAdapter {
  const configBytes = files.get('adapter_config.json');
  const tensorsBytes = files.get('adapter_model.safetensors');
  if (!configBytes)
    throw new TabTuneError(
      'checkpoint',
      'The adapter folder has no adapter_config.json. Choose the folder PEFT (or TabTune) saved.',
    );
  if (!tensorsBytes)
    throw new TabTuneError(
      'checkpoint',
      `The adapter folder has no adapter_model.safetensors${files.has('adapter_model.bin') ? ' (only adapter_model.bin: save it with safe_serialization=True)' : ''}.`,
    );
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(new TextDecoder().decode(configBytes)) as Record<string, unknown>;
  } catch {
    throw new TabTuneError('checkpoint', 'adapter_config.json is not valid JSON.');
  }
  const lora = loraOfConfig(c);
  const baseModel = String(c.base_model_name_or_path ?? '');
  // A base from the Hub has a name to compare; one from disk is checked by its shapes alone.
  const loaded = baseModelId(base.source).id;
  const named = base.source.startsWith('huggingface.co/') || base.source.startsWith('folder ');
  if (named && baseModel !== '' && baseModel !== loaded && !loaded.endsWith(baseModel))
    throw new TabTuneError(
      'checkpoint',
      `The adapter was trained on ${baseModel}, but the loaded model is ${loaded}. Load ${baseModel} first, then the adapter.`,
    );
  const file = 'adapter_model.safetensors';
  const raw = readSafetensors(tensorsBytes, file);
  const tensor = (key: string): HostTensor => {
    const t = raw.get(key);
    if (!t) throw new TabTuneError('checkpoint', `${file} has no tensor "${key}". Export the adapter again.`);
    return { shape: [...t.shape], data: toFloat32(t, key, file) };
  };
  const expected = new Set([
    ...loraModules(base.config, lora.targets).flatMap(([m]) => [
      `${PREFIX}bert.${loraName(m, 'A')}`,
      `${PREFIX}bert.${loraName(m, 'B')}`,
    ]),
    `${PREFIX}classifier.weight`,
    `${PREFIX}classifier.bias`,
  ]);
  const unexpected = [...raw.keys()].filter((k) => !expected.has(k));
  if (unexpected.length > 0)
    throw new TabTuneError(
      'checkpoint',
      `${file} holds tensors PEFT would not load into this model: ${unexpected.slice(0, 3).join(', ')}${unexpected.length > 3 ? ', …' : ''}. Check target_modules in adapter_config.json.`,
    );
  const weights = new Map<string, HostTensor>();
  for (const key of expected)
    if (key.includes('.lora_')) weights.set(key.slice(PREFIX.length + 'bert.'.length), tensor(key));
  LoraWeights.fromTensors(base.config, lora, weights, file).dispose(); // checks every shape
  const head = { weight: tensor(`${PREFIX}classifier.weight`), bias: tensor(`${PREFIX}classifier.bias`) };
  if (head.weight.shape[1] !== base.config.hidden_size)
    throw new TabTuneError(
      'checkpoint',
      `${file}: the classifier takes ${head.weight.shape[1]} inputs, but the model's hidden size is ${base.config.hidden_size}.`,
    );
  const meta = safetensorsMetadata(tensorsBytes, file);
  return {
    lora,
    weights,
    head,
    tabtune: meta.tabtune ? (JSON.parse(meta.tabtune) as TabTuneConfigBlock) : null,
    maxLength: meta.max_length ? Number(meta.max_length) : null,
    baseModel,
  };
}

/** The loaded base model with an adapter applied: its LoRA updates and its head. The caller owns (disposes) it. */
export function applyAdapter(base: LoadedCheckpoint, adapter: LoadedAdapter): SequenceClassifier {
  const weights = new Map(base.weights);
  weights.set('classifier.weight', adapter.head.weight);
  weights.set('classifier.bias', adapter.head.bias);
  const model = new SequenceClassifier(base.config, weights, adapter.head.weight.shape[0] as number);
  model.bert.lora = LoraWeights.fromTensors(
    base.config,
    adapter.lora,
    adapter.weights,
    'adapter_model.safetensors',
  );
  return model;
}

/** adapter_config.json's LoRA settings, refusing what TabTune cannot apply (another PEFT type, task, DoRA, patterns). */
function loraOfConfig(c: Record<string, unknown>): LoraConfig {
  const refuse = (what: string): never => {
    throw new TabTuneError('checkpoint', `adapter_config.json: ${what}`);
  };
  if (c.peft_type !== 'LORA')
    refuse(`this is a ${String(c.peft_type)} adapter; TabTune applies LoRA adapters only.`);
  if (c.task_type !== 'SEQ_CLS')
    refuse(
      `task_type is ${String(c.task_type)}; TabTune applies sequence-classification (SEQ_CLS) adapters.`,
    );
  if (c.use_dora === true) refuse('DoRA adapters are not supported; use plain LoRA.');
  if (c.fan_in_fan_out === true) refuse('fan_in_fan_out is for GPT-2-style Conv1D layers; BERT has none.');
  if (
    c.layers_to_transform != null ||
    (c.rank_pattern && Object.keys(c.rank_pattern).length > 0) ||
    (c.alpha_pattern && Object.keys(c.alpha_pattern).length > 0)
  )
    refuse(
      'layers_to_transform, rank_pattern and alpha_pattern are not supported: every targeted layer must share r and alpha.',
    );
  if (c.bias !== undefined && c.bias !== 'none')
    refuse(`bias "${String(c.bias)}" is not supported; only "none".`);
  const targets = Array.isArray(c.target_modules)
    ? (c.target_modules as string[])
    : refuse('target_modules must be a list of layer names (a regular expression is not supported).');
  for (const t of targets)
    if (!(LORA_TARGETS as readonly string[]).includes(t))
      refuse(`target "${t}" is not one of BERT's layers TabTune adapts (${LORA_TARGETS.join(', ')}).`);
  const lora: LoraConfig = {
    r: Number(c.r),
    alpha: Number(c.lora_alpha),
    dropout: Number(c.lora_dropout ?? 0),
    targets,
    rslora: c.use_rslora === true,
  };
  return lora;
}
