import type { LabelSpec } from '../data/labels';

/** What the snippet needs to know of the model: its task and whether it reads a second text. */
export interface WebUsage {
  spec: Pick<LabelSpec, 'task' | 'classes'>;
  /** The second segment's column, when the model reads text pairs. */
  pair: string | null;
  /** The folder's name as the page serves it. */
  folder?: string;
  /** The address the page serves model folders from. */
  modelsPath?: string;
}

/**
 * The lines of JavaScript that load an exported folder with transformers.js and turn a text into a rating, as the
 * model card and the Export panel show them. The rating scale comes from the `tabtune` block of config.json, so the
 * lines hold for any TabTune model of the task. An e2e-free check runs them as written (cli/onnx.test.ts).
 */
/** The example's second text, when the model reads pairs. */
export const PAIR_EXAMPLE = 'A second text';
/** The example's text. */
export const TEXT_EXAMPLE = 'Lovely dress, fits perfectly.';

export function webUsage({
  spec,
  pair,
  folder = 'tabtune-model',
  modelsPath = '/models/',
}: WebUsage): string {
  const texts = `['${TEXT_EXAMPLE}']`;
  const tokenize = pair
    ? `const inputs = await tokenizer(${texts}, { text_pair: ['${PAIR_EXAMPLE}'], padding: true, truncation: true }); // text_pair: the "${pair}" column`
    : `const inputs = await tokenizer(${texts}, { padding: true, truncation: true });`;
  const score =
    spec.task === 'regression'
      ? [
          `const { scale } = model.config.tabtune; // the rating scale the model was trained on`,
          `const rating = scale.min + logits.data[0] * (scale.max - scale.min);`,
          `console.log(rating);`,
        ]
      : spec.task === 'multi-label'
        ? [
            `const { labels, label_thresholds } = model.config.tabtune; // each label's threshold chosen on validation`,
            `const probs = Array.from(logits.data, (x) => 1 / (1 + Math.exp(-x))); // one sigmoid per label`,
            `const on = labels.filter((label, k) => probs[k] >= label_thresholds[k]); // the labels it gives`,
            `console.log(JSON.stringify({ labels: on, probabilities: Object.fromEntries(labels.map((l, k) => [l, probs[k]])) }));`,
          ]
        : spec.task === 'binary'
          ? [
              `const { threshold } = model.config.tabtune;`,
              `const pPositive = 1 / (1 + Math.exp(-logits.data[0])); // P(rating ≥ threshold)`,
              `console.log(pPositive);`,
            ]
          : [
              `const { classes } = model.config.tabtune; // ratings ${spec.classes.join(', ')}`,
              `const probs = softmax(Array.from(logits.data)); // one per class`,
              `console.log(classes[probs.indexOf(Math.max(...probs))]); // the most likely rating`,
            ];
  const imports = [
    'AutoModelForSequenceClassification',
    'AutoTokenizer',
    'env',
    ...(spec.task === 'classification' ? ['softmax'] : []),
  ];
  return [
    `import { ${imports.join(', ')} } from '@huggingface/transformers';`,
    ``,
    `env.allowRemoteModels = false; // the model comes with your page, nothing is fetched from the Hub`,
    `env.localModelPath = '${modelsPath}'; // where ${folder}/ (this folder, unzipped) is served`,
    `const tokenizer = await AutoTokenizer.from_pretrained('${folder}');`,
    `// dtype 'q8' loads onnx/model_quantized.onnx (a quarter of the size); 'fp32' loads onnx/model.onnx`,
    `const model = await AutoModelForSequenceClassification.from_pretrained('${folder}', { dtype: 'q8' });`,
    tokenize,
    `const { logits } = await model(inputs);`,
    ...score,
  ].join('\n');
}
