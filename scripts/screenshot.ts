// npm run screenshot — the README's pictures of the studio: the built app in headless Chromium at 1400 × 900, the
// sample data, "from scratch": a run under way with its charts drawn (docs/studio.png), and the same run at its end,
// the results' verdict and the download beside the folded steps (docs/studio-results.png).
//   npm run screenshot
import { CHROMIUM_ARGS } from '../e2e/chromium';
import { studioBrowser } from './studioBrowser';

const studio = await studioBrowser(4177, CHROMIUM_ARGS);
const page = await studio.browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(`${studio.base}/`);
await page.getByLabel('Backend for training').selectOption('wasm'); // no probe: the run starts at once
await page.getByText('from scratch (offline').click();
await page.getByRole('button', { name: 'Start training' }).click({ timeout: 120_000 });
// A few evaluations in, so the loss and AUC charts have lines.
await page
  .getByLabel('Training status')
  .filter({ hasText: /Step (1[5-9]|[2-9]\d)/ })
  .waitFor({ timeout: 600_000 });
await page.getByRole('button', { name: 'Pause' }).click();
await page.waitForTimeout(500);
await page.screenshot({ path: 'docs/studio.png' });
await page.getByRole('button', { name: 'Resume' }).click();
await page
  .getByLabel('Run outcome')
  .filter({ hasText: /Training completed|Early stopping/ })
  .waitFor({
    timeout: 900_000,
  });
// The page's top after the run: the steps folded to their lines beside the verdict, the metrics and the download.
await page.evaluate(() => window.scrollTo(0, 0));
await page.waitForTimeout(500);
await page.screenshot({ path: 'docs/studio-results.png' });
await studio.close();
process.stdout.write('docs/studio.png\ndocs/studio-results.png\n');
