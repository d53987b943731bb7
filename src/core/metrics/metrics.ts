/**
 * Evaluation metrics as pure functions. Each is checked against scikit-learn on committed vectors
 * (metrics.test.ts, test-fixtures/metrics/golden.json).
 */

/**
 * ROC AUC as the Mann–Whitney statistic: the probability that a random positive scores above a random
 * negative, ties counting one half (average ranks), as sklearn's roc_auc_score. null when one class is absent.
 */
export function auc(positive: readonly boolean[], scores: readonly number[]): number | null {
  const n = scores.length;
  const nPos = positive.filter(Boolean).length;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  const order = [...scores.keys()].sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSumPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) if (positive[order[k] as number]) rankSumPos += avgRank;
    i = j + 1;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export function rmse(truth: readonly number[], pred: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += ((truth[i] as number) - (pred[i] as number)) ** 2;
  return Math.sqrt(s / truth.length);
}

export function mae(truth: readonly number[], pred: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += Math.abs((truth[i] as number) - (pred[i] as number));
  return s / truth.length;
}

export function accuracy(truth: readonly number[], pred: readonly number[]): number {
  let hit = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === pred[i]) hit++;
  return hit / truth.length;
}

/** Macro-averaged F1 over the classes 0..numClasses-1 that occur in truth or predictions (sklearn's labels=None). */
export function macroF1(truth: readonly number[], pred: readonly number[], numClasses: number): number {
  let sum = 0;
  let present = 0;
  for (let c = 0; c < numClasses; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i++) {
      if (pred[i] === c && truth[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    if (tp + fp + fn === 0) continue;
    present++;
    sum += (2 * tp) / (2 * tp + fp + fn);
  }
  return present === 0 ? 0 : sum / present;
}

/** Points of the ROC curve (false-positive rate, true-positive rate), one per distinct threshold. */
export function rocCurve(
  positive: readonly boolean[],
  scores: readonly number[],
): Array<{ fpr: number; tpr: number; threshold: number }> {
  const nPos = positive.filter(Boolean).length;
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) return [];
  const order = [...scores.keys()].sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const points = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    const k = order[i] as number;
    if (positive[k]) tp++;
    else fp++;
    const next = order[i + 1];
    if (next === undefined || scores[next] !== scores[k])
      points.push({ fpr: fp / nNeg, tpr: tp / nPos, threshold: scores[k] as number });
  }
  return points;
}
