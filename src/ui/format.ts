/** Display helpers; pure and tested. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** "12.5 MB of 17.6 MB (71%)", or "3.0 MB" when the size is unknown. */
export function formatProgress(loaded: number, total: number | null): string {
  if (total === null || total <= 0) return formatBytes(loaded);
  return `${formatBytes(loaded)} of ${formatBytes(total)} (${Math.floor((100 * loaded) / total)}%)`;
}

/**
 * What the user must do before a saved run can go on: load its model again (required), or its data file (the
 * Worker checks the rows by fingerprint, so a file of another name that holds the same rows is accepted). Pure.
 */
export function savedRunAdvice(
  saved: { dataFile: string; baseModel: string },
  loadedFile: string | null,
  loadedModel: string | null,
): { text: string; blocking: boolean } | null {
  if (saved.baseModel !== 'scratch' && loadedModel !== saved.baseModel)
    return {
      text: `Load ${saved.baseModel} in step 2 (the model this run fine-tunes) to resume it.`,
      blocking: true,
    };
  if (loadedFile === null)
    return {
      text: `Load ${saved.dataFile} in step 1 (the file this run was trained on) to resume it.`,
      blocking: true,
    };
  if (loadedFile !== saved.dataFile)
    return {
      text: `The loaded file is ${loadedFile}; this run was trained on ${saved.dataFile}. Load that file in step 1 — a file with other rows is refused.`,
      blocking: false,
    };
  return null;
}

/** Rows above which the Data step suggests training on part of the file. */
export const LARGE_FILE_ROWS = 50_000;

/**
 * For a file larger than a tab trains through in reasonable time, and no row limit set: a line that says so and
 * offers the limit. Null otherwise. Pure.
 */
export function largeFileAdvice(rows: number, limited: boolean): string | null {
  if (rows <= LARGE_FILE_ROWS || limited) return null;
  return `This file has ${rows.toLocaleString('en-US')} rows. Fine-tuning in a tab runs at tens of examples a second at best, so one pass over all of them takes hours: consider training on a random sample first (below).`;
}
