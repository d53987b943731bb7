/**
 * Symmetric int8 quantization, one scale per row of a [rows, cols] matrix: q = round(w / s) with
 * s = max |w| of the row / 127, so w ≈ q · s within s / 2. A row of zeros gets s = 1 (q = 0 is exact).
 */
export function quantizeRows(
  data: Float32Array,
  rows: number,
  cols: number,
): { q: Int8Array; scales: Float32Array } {
  if (data.length !== rows * cols)
    throw new Error(`quantizeRows: ${data.length} values for ${rows} × ${cols}`);
  const q = new Int8Array(data.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(data[r * cols + c]!));
    // The scale as it is stored (float32), so that q · s is what a reader computes; a row too small for a normal
    // float32 scale (all |w| < 1e-28, zero to every purpose) is stored as zeros with scale 1.
    const stored = Math.fround(max / 127);
    const s = stored >= 1e-30 ? stored : 1;
    scales[r] = s;
    for (let c = 0; c < cols; c++)
      q[r * cols + c] = Math.max(-127, Math.min(127, Math.round(data[r * cols + c]! / s)));
  }
  return { q, scales };
}

/** [rows, cols] → [cols, rows]. */
export function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}
