import type { AppliedChanges } from '../audit/changes';
import { classicalComparison } from '../baseline/classical';
import { formatAuc } from '../metrics/interval';
import { sliceAuc, weakSlices, type SliceReport } from '../metrics/slices';
import { webUsage } from '../onnx/usage';
import { describeSearch } from '../search/summary';
import { adapterUsage, missingAdapterReason } from './adapter';
import type { RunRecord } from './record';
import { splitSizes } from '../data/split';
import type { EvalMetrics } from './evaluate';
import type { TrainConfig } from './config';

const fmt = (v: number | null | undefined, digits = 4) =>
  v === null || v === undefined ? '—' : v.toFixed(digits);

function metricRows(label: string, m: EvalMetrics | null | undefined): string {
  if (!m) return `| ${label} | — | — | — | — | — |`;
  return `| ${label} | ${m.n} | ${formatAuc(m)} | ${fmt(m.rmse)} | ${fmt(m.mae)} | ${fmt(m.accuracy)} |`;
}

/** The classical baseline's line and its verdict against the fine-tuned model, for the card ('' without one). */
function classicalLines(run: RunRecord, classical: { model: string } | null): string {
  const r = run.result;
  const verdict =
    r && run.classical ? classicalComparison(r.final, run.classical, run.comparison ?? null) : null;
  return `${classical ? `Classical baseline: ${classical.model}, on the same split. ` : ''}${verdict ? `${verdict}\n\n` : ''}`;
}

/** What the model's outputs are, and the line of PyTorch that reads them, for the card. */
function taskLines(s: RunRecord['spec'], numLabels: number): { task: string; usage: string } {
  const multi = s.task === 'multi-label';
  const labels = (s.labels ?? []).join(', ');
  const task = multi
    ? `multi-label: one sigmoid per label (${labels}); a label is given where its probability reaches its threshold, chosen on validation (\`config.json\`: \`tabtune.label_thresholds\`)`
    : s.task === 'regression'
      ? `regression: the single output is the rating scaled to [0, 1] (rating = ${s.scale.min} + output × ${s.scale.max - s.scale.min})`
      : s.task === 'binary'
        ? `binary: sigmoid(output) = P(rating ≥ ${s.threshold})`
        : `classification over ratings ${s.classes.join(', ')} (softmax over ${numLabels} outputs)`;
  const usage = multi
    ? 'probs = torch.sigmoid(logits)  # one per label, named by model.config.id2label'
    : s.task === 'regression'
      ? `rating = ${s.scale.min} + logits[:, 0] * ${s.scale.max - s.scale.min}`
      : s.task === 'binary'
        ? 'p_positive = torch.sigmoid(logits[:, 0])'
        : `probs = logits.softmax(-1)  # classes: ratings ${s.classes.join(', ')}`;
  return { task, usage };
}

/** The README.md model card written into every export. */
export function modelCard(run: RunRecord, numLabels: number): string {
  const r = run.result;
  const t = run.trainConfig;
  const s = run.spec;
  const classical = run.classical?.fitted ? run.classical.result : null;
  const classicalLine = classicalLines(run, classical);
  const multi = s.task === 'multi-label';
  const labels = (s.labels ?? []).join(', ');
  const { task, usage } = taskLines(s, numLabels);
  return `---
library_name: transformers
pipeline_tag: text-classification
tags: [tabtune, bert, rating-prediction]
---

# Rating model fine-tuned with TabTune

Fine-tuned from \`${run.baseModel}\` to predict ${multi ? `labels (${labels})` : `ratings (${s.scale.min}–${s.scale.max})`} from text, in the browser or with
TabTune's CLI (backend: ${run.backend}), on ${run.createdAt}.${run.backendDecision ? `\nBackend: ${run.backendDecision}.` : ''}

- **Task**: ${task}.
- **Input**: \`${run.roles.text}\`${run.roles.pair ? ` as the first segment and \`${run.roles.pair}\` as the second` : ''}, at most ${t.maxLength} tokens.
${multi ? '- **AUC**: each label its own; the AUC below is their mean (macro).' : `- **Positive** (for AUC): rating ≥ ${s.threshold}.`}

## Data

\`${run.data.file}\`: ${run.data.usableRows} usable rows (${run.data.badRows} rows could not be used), split
${splitSizes(run.data)} (seed ${t.seed}, stratified by ${multi ? "each row's rarest label" : 'rating'}).${labelChangesLine(run.data.labelChanges)}

## Metrics

| split | n | AUC (95 % interval) | RMSE | MAE | accuracy |
| --- | --- | --- | --- | --- | --- |
${metricRows('validation, before fine-tuning', r?.baseline.validation)}
${metricRows('validation, after', r?.final.validation)}
${metricRows('test, before fine-tuning', r?.baseline.test)}
${metricRows('test, after', r?.final.test)}
${classical ? `${metricRows('validation, classical baseline', classical.validation)}\n${metricRows('test, classical baseline', classical.test)}` : ''}
${multi && r ? labelTable(s.labels ?? [], r.final, classical) : ''}
${classicalLine}${r ? `Training: ${r.message} ${r.steps} optimizer steps${r.bestStep !== null ? `; weights from step ${r.bestStep}` : ''}.${r.notes.map((n) => `\n\n- ${n}`).join('')}` : ''}

${
  run.search
    ? `## Settings search\n\nThese settings were chosen by TabTune's settings search; every trial is in \`search.json\`.\n\n${describeSearch(
        run.search,
      )
        .map((l) => `- ${l}`)
        .join('\n')}\n\n`
    : ''
}${slicesSection(run.slices ?? null)}## Hyperparameters

epochs ${t.epochs}, batch size ${t.batchSize} × ${t.gradAccumulation} accumulation, AdamW lr ${t.learningRate} (weight
decay ${t.weightDecay}, none on biases and LayerNorm), linear warmup ${t.warmupRatio} then linear decay, gradient
clipping ${t.maxGradNorm}, dropout ${t.dropout ?? 'as the base model'}, early stopping on validation ${r?.selectionMetric ?? t.earlyStopping.metric}${r && r.selectionMetric !== t.earlyStopping.metric ? ` (${t.earlyStopping.metric} was asked for, but validation AUC is undefined)` : ''}
(patience ${t.earlyStopping.patience}), ${fineTuneLine(t, missingAdapterReason(run) === null)}, frozen: ${[t.freeze.headOnly ? 'all but the head' : '', t.freeze.embeddings ? 'embeddings' : '', t.freeze.bottomLayers > 0 ? `bottom ${t.freeze.bottomLayers} layers` : ''].filter(Boolean).join(', ') || 'nothing'}.
The full settings are in \`training_config.json\`; every evaluation is in \`metrics.json\`.

## Use in Python

\`\`\`python
from transformers import AutoModelForSequenceClassification, AutoTokenizer

model = AutoModelForSequenceClassification.from_pretrained("path/to/this/folder")
tokenizer = AutoTokenizer.from_pretrained("path/to/this/folder")
batch = tokenizer(["Lovely dress, fits perfectly."], truncation=True, max_length=${t.maxLength}, return_tensors="pt")
logits = model(**batch).logits
${usage}
\`\`\`

${peftSection(run, numLabels)}## Use in a web page (transformers.js)

\`onnx/model.onnx\` is this model as ONNX (float32), \`onnx/model_quantized.onnx\` with int8 weights (about a quarter of
the size). [transformers.js](https://huggingface.co/docs/transformers.js) loads this folder as it is, in the browser or
in Node (\`npm install @huggingface/transformers\`):

\`\`\`js
${webUsage({ spec: s, pair: run.roles.pair })}
\`\`\`
`;
}

/** Multi-label: each label's AUC with its interval, average precision and F1 at its threshold, after fine-tuning. */
function labelTable(
  labels: readonly string[],
  final: { validation: EvalMetrics; test: EvalMetrics | null },
  classical: { validation: EvalMetrics; test: EvalMetrics | null } | null,
): string {
  const f = (x: number | null | undefined) => (x == null ? '—' : x.toFixed(3));
  const split = final.test ? 'test' : 'validation';
  const rows = labels.map((name) => {
    const m = final[split]?.per_label?.[name];
    const c = classical?.[split]?.per_label?.[name];
    const ci = m?.auc_95_interval ? ` (${f(m.auc_95_interval[0])}–${f(m.auc_95_interval[1])})` : '';
    return `| ${name} | ${f(m?.auc)}${ci} | ${f(m?.ap)} | ${f(m?.f1)} | ${f(m?.threshold)} | ${f(c?.auc)} |`;
  });
  return `\nPer label, ${split} split (threshold chosen on validation; micro AUC ${f(final[split]?.micro_auc)}):\n\n| label | AUC (95 % interval) | average precision | F1 | threshold | classical AUC |\n| --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`;
}

/** The LoRA adapter: how PEFT applies it and to which base, or why the export has none. Empty without LoRA. */
function peftSection(run: RunRecord, numLabels: number): string {
  const usage = adapterUsage(run, numLabels);
  const missing = missingAdapterReason(run);
  if (usage === null && missing === null) return '';
  return `## The LoRA adapter (PEFT)\n\n${usage ?? missing}\n\n`;
}

/**
 * Which weights the run trained: all, or LoRA's updates (with its settings) and the head, or the head alone;
 * `hasAdapter` false for a LoRA run whose export holds only the merged model (from scratch).
 */
export function fineTuneLine(t: TrainConfig, hasAdapter = true): string {
  if (t.lora) {
    const l = t.lora;
    const where = hasAdapter
      ? 'the adapter is in adapter/, and model.safetensors has it merged in'
      : 'model.safetensors has the updates merged in';
    return `fine-tuned with LoRA (r ${l.r}, alpha ${l.alpha}${l.rslora ? ', rank-stabilised' : ''}, dropout ${l.dropout}, on ${l.targets.join(', ')}; the base weights frozen; ${where})`;
  }
  return t.freeze.headOnly ? 'fine-tuned: the head only' : 'fine-tuned: all weights';
}

/** The label audit's changes as the card says them: what was left out or relabelled, and that test was not. */
function labelChangesLine(c: AppliedChanges | undefined): string {
  if (!c) return '';
  return `\n\nAfter a label audit (${c.source}), ${c.excluded} training and validation row(s) were left out and ${c.relabelled} relabelled; the data file itself is unchanged${c.untouchedInTest > 0 ? `, and ${c.untouchedInTest} changed row(s) in the test split were kept as they are, so that the test compares with runs before the changes` : ''}.`;
}

/** Where the model is weak: each slice's AUC, and those reliably below the whole named first. */
function slicesSection(r: SliceReport | null): string {
  if (!r) return '';
  const weak = weakSlices(r);
  const rows = r.slices
    .slice(0, 30)
    .map((x) => `| ${x.value} | ${x.n} | ${formatAuc(sliceAuc(x))} |${x.below ? ' yes |' : ' |'}`);
  return `## Where the model is weak\n\n${r.split === 'test' ? 'Test' : 'Validation'} AUC by \`${r.column}\`${r.binned ? ' (in bands of about equal rows)' : ''}, against ${r.overall === null ? '—' : r.overall.toFixed(3)} overall. ${weak.length === 0 ? 'No slice is reliably below the whole (no 95 % interval lies wholly under it).' : `Reliably below the whole: ${weak.join('; ')}.`}\n\n| ${r.column} | n | AUC (95 % interval) | reliably below |\n| --- | --- | --- | --- |\n${rows.join('\n')}${r.slices.length > 30 ? `\n\n… and ${r.slices.length - 30} smaller slices (all in \`metrics.json\`).` : ''}\n\n`;
}
