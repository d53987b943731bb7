import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { shortRun } from './backendRun';
import { downloadWeights } from './fixtures';

/*
 * The downloaded zip serves a web page as it is: its ONNX model, run by ONNX Runtime Web on WebAssembly from this
 * site's own files (onnx.html), scores the held-out texts as the studio scored them — nothing fetched from elsewhere.
 */
test("the downloaded zip's ONNX model scores in ONNX Runtime Web as the studio does, offline", async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  const elsewhere: string[] = [];
  page.on('request', (r) => {
    if (
      !r.url().startsWith('http://127.0.0.1:4173/') &&
      !r.url().startsWith('blob:') &&
      !r.url().startsWith('data:')
    )
      elsewhere.push(r.url());
  });
  const csv = await shortRun(page, info, 'wasm', 100, 71);

  // The studio's own scores of the held-out rows, at full precision.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download predictions (CSV)' }).click(),
  ]);
  const predictionsPath = info.outputPath('predictions.csv');
  await download.saveAs(predictionsPath);
  const parse = <T>(path: string) =>
    Papa.parse<T>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
  const studio = parse<{ line: string; score: string }>(predictionsPath).slice(0, 8);
  expect(studio.length).toBe(8);
  // The run reads each review with its customer as the second text (the studio's guess): the same pairs, by line.
  const source = parse<{ review: string; customer: string }>(csv);
  const pairs = studio.map((r) => source[Number(r.line) - 2]!);

  // The Export panel says how to use it in a page.
  await page.getByText('Use the model in a web page (transformers.js)').click();
  await expect(page.getByLabel('transformers.js code')).toContainText(
    "AutoModelForSequenceClassification.from_pretrained('tabtune-model', { dtype: 'q8' })",
  );
  const { zipPath, files } = await downloadWeights(page, info);
  const config = JSON.parse(new TextDecoder().decode(files['tabtune-model/config.json']));
  expect(config.tabtune.text_pair_column).toBe('customer');
  for (const f of ['onnx/model.onnx', 'onnx/model_quantized.onnx'])
    expect(files[`tabtune-model/${f}`]?.length ?? 0).toBeGreaterThan(10_000);

  const scores = async (variant: string) => {
    await page.getByLabel('Model file').selectOption(variant);
    await page.getByRole('button', { name: 'Score' }).click();
    const out = page.getByLabel('Scores');
    await expect(out).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
    const text = (await out.textContent()) ?? '';
    expect(text).not.toMatch(/^error/);
    return (JSON.parse(text) as { scores: Array<{ score: number }> }).scores.map((s) => s.score);
  };
  await page.goto('/onnx.html');
  await page.getByLabel('Model zip').setInputFiles(zipPath);
  await page.getByLabel('Texts').fill(pairs.map((p) => `${p.review}\t${p.customer}`).join('\n'));
  const float = await scores('model.onnx');
  float.forEach((s, i) => expect(Math.abs(s - Number(studio[i]!.score))).toBeLessThan(1e-4));
  const int8 = await scores('model_quantized.onnx');
  int8.forEach((s, i) => expect(Math.abs(s - float[i]!)).toBeLessThan(0.25));
  await page.screenshot({ path: info.outputPath('onnx-page.png'), fullPage: true });
  expect(elsewhere).toEqual([]);
});
