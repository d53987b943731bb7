import { useState } from 'react';
import type { ProgressPoint } from '../../core/train/progress';
import type { EvalPoint } from '../../core/train/evaluate';
import type { RunSummary } from '../../shared/protocol';
import { webUsage } from '../../core/onnx/usage';
import { saveFile } from '../download';
import { ScrollRegion } from './ScrollRegion';
import { evaluationsCsv, lossCsv, metricsJson, predictionsCsv, saveFigurePng } from '../exports';

interface Props {
  run: RunSummary | null;
  progress: ProgressPoint[];
  evaluations: EvalPoint[];
  onExport: () => Promise<{ zip: Uint8Array; fileName: string } | null>;
}

const CHARTS = [
  ['Training loss chart', 'loss'],
  ['Validation chart', 'validation'],
  ['Learning-rate chart', 'learning-rate'],
  ['ROC curve', 'roc'],
  ['Predicted against true', 'predicted-vs-true'],
] as const;

/** The download, under the results' verdict: the Hugging Face-compatible weights (a zip made in the Worker), predictions, metrics, charts. */
export function ExportPanel({ run, progress, evaluations, onExport }: Props) {
  const [busy, setBusy] = useState(false);
  const enabled = run !== null;
  return (
    <section aria-labelledby="export-heading">
      <h3 id="export-heading">Download</h3>
      <p>
        A folder <code>AutoModelForSequenceClassification.from_pretrained</code> loads as is, with the model
        as ONNX for transformers.js and ONNX Runtime Web.
      </p>
      {run?.exportNote && <p role="note">{run.exportNote}</p>}
      <div className="controls">
        <button
          type="button"
          disabled={!enabled || busy}
          onClick={() => {
            setBusy(true);
            void onExport()
              .then((r) => r && saveFile(r.zip, r.fileName, 'application/zip'))
              .finally(() => setBusy(false));
          }}
        >
          Download weights
        </button>
        <button
          type="button"
          disabled={!enabled}
          onClick={() => run && saveFile(predictionsCsv(run), 'predictions.csv', 'text/csv')}
        >
          Download predictions (CSV)
        </button>
        <button
          type="button"
          disabled={!enabled}
          onClick={() => run && saveFile(metricsJson(run, evaluations), 'metrics.json', 'application/json')}
        >
          Download metrics (JSON)
        </button>
        <button
          type="button"
          disabled={progress.length === 0}
          onClick={() => saveFile(lossCsv(progress), 'loss.csv', 'text/csv')}
        >
          Loss chart (CSV)
        </button>
        <button
          type="button"
          disabled={evaluations.length === 0}
          onClick={() => saveFile(evaluationsCsv(evaluations), 'evaluations.csv', 'text/csv')}
        >
          Evaluations chart (CSV)
        </button>
      </div>
      {run && (
        <details>
          <summary>Use the model in a web page (transformers.js)</summary>
          <p>
            The zip holds config, weights (safetensors), tokenizer, training settings, metrics and a model
            card, and the model as ONNX (<code>onnx/model.onnx</code>, and{' '}
            <code>onnx/model_quantized.onnx</code> with int8 weights at about a quarter of the size). Unzip it
            where your page is served, install <code>@huggingface/transformers</code>, and:
          </p>
          <ScrollRegion label="transformers.js code" kind="code">
            <pre>
              <code>{webUsage({ spec: run.spec, pair: run.roles.pair })}</code>
            </pre>
          </ScrollRegion>
        </details>
      )}
      <details>
        <summary>Each chart as an image (PNG)</summary>
        <div className="controls">
          {CHARTS.map(([label, name]) => (
            <button
              key={name}
              type="button"
              disabled={!enabled}
              onClick={() => {
                const fig = document.querySelector(`figure[aria-label="${label}"]`);
                if (fig) void saveFigurePng(fig, `${name}.png`);
              }}
            >
              {label} (PNG)
            </button>
          ))}
        </div>
      </details>
    </section>
  );
}
