import { writeCsv } from '../core/data/csvWrite';
import type { ProgressPoint } from '../core/train/progress';
import type { EvalPoint } from '../core/train/evaluate';
import type { RunSummary } from '../shared/protocol';
import { saveFile } from './download';

/** The files the Export step offers besides the weights. Pure builders, tested in exports.test.ts. */
export function predictionsCsv(run: RunSummary): string {
  return writeCsv(
    run.scored.examples.map((e) => ({
      line: e.line,
      text: e.text,
      rating: e.rating,
      score: e.score,
      rank_score: e.rankScore,
    })),
  );
}

export function metricsJson(run: RunSummary, evaluations: readonly EvalPoint[]): string {
  const { scored: _scored, ...summary } = run;
  return `${JSON.stringify({ ...summary, evaluations }, null, 2)}\n`;
}

export function lossCsv(progress: readonly ProgressPoint[]): string {
  return writeCsv(
    progress.map((p) => ({ step: p.step, epoch: p.epoch, loss: p.loss, learning_rate: p.learningRate })),
  );
}

export function evaluationsCsv(evaluations: readonly EvalPoint[]): string {
  return writeCsv(
    evaluations.map((e) => ({
      step: e.step,
      split: e.split,
      phase: e.phase,
      loss: e.loss,
      auc: e.auc,
      rmse: e.rmse,
      mae: e.mae,
      accuracy: e.accuracy,
    })),
  );
}

/** Saves a chart (the SVG inside a <figure>) as a PNG, drawn on a white canvas at twice its size. */
export async function saveFigurePng(figure: Element, fileName: string): Promise<void> {
  const svg = figure.querySelector('svg');
  if (!svg) return;
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const url = URL.createObjectURL(
    new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }),
  );
  const img = new Image();
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('could not render the chart'));
    img.src = url;
  });
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * 2);
  canvas.height = Math.ceil(height * 2);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(2, 2);
  ctx.drawImage(img, 0, 0);
  URL.revokeObjectURL(url);
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  if (blob) saveFile(new Uint8Array(await blob.arrayBuffer()), fileName, 'image/png');
}
