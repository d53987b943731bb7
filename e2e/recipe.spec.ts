import { expect, test } from '@playwright/test';
import { serveHubModel } from './fixtures';

// The learning rate and epochs follow the model (core/train/recipe.ts) until the user sets them.
test('the settings follow the model — from scratch, then a small pretrained BERT — except what the user set', async ({
  page,
}) => {
  await serveHubModel(page, 'tabtune-test/tiny-bert', 'st-gelu');
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  const note = page.getByTestId('recipe-note');
  await expect(note).toContainText('From scratch: learning rate 1e-3 and 4 epochs');
  await expect(page.getByLabel('Learning rate')).toHaveValue('0.001');
  await expect(page.getByLabel('Epochs')).toHaveValue('4');

  await page.getByLabel('Epochs').fill('2'); // the user's own: kept from now on
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(note).toContainText('A small pretrained BERT (hidden size');
  await expect(note).toContainText('Your own epochs stay as you set them.');
  await expect(page.getByLabel('Learning rate')).toHaveValue('0.0001');
  await expect(page.getByLabel('Epochs')).toHaveValue('2');
});

test('the learning-rate finder plots loss against rate and offers its suggestion, which the user can take', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await serveHubModel(page, 'tabtune-test/tiny-bert', 'st-gelu');
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu');
  await page.getByLabel('Hugging Face model id').fill('tabtune-test/tiny-bert');
  await page.getByRole('button', { name: 'Load from Hugging Face' }).click();
  await expect(page.getByLabel('Learning rate')).toHaveValue('0.0001');
  await page.getByLabel('Batch size').fill('8');
  await page.getByLabel('Max length (tokens)', { exact: true }).fill('24');
  await page.getByLabel('Finder steps').fill('30');
  await page.getByRole('button', { name: 'Find learning rate' }).click();
  const finder = page.getByLabel('Learning-rate finder');
  await expect(finder).toHaveAttribute('data-points', /^([6-9]|[1-3]\d)$/, { timeout: 150_000 });
  const suggestion = page.getByLabel('Learning-rate suggestion');
  await expect(suggestion).toContainText(/falls longest from|never fell/, { timeout: 150_000 });
  await expect(page.getByRole('button', { name: 'Start training' })).toBeEnabled();

  // The weights are put back (lrFinder.test.ts checks every tensor); here the suggestion is the user's to take.
  await expect(suggestion).toContainText('falls longest from');
  const value = await finder.getAttribute('data-suggestion');
  await suggestion.getByRole('button', { name: /^Use / }).click();
  await expect(page.getByLabel('Learning rate')).toHaveValue(String(Number(value)));
  await expect(page.getByTestId('recipe-note')).toContainText('Your own learning rate stay');
});
