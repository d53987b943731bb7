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
