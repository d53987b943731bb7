import { readFileSync, readdirSync } from 'node:fs';
import type { Page } from '@playwright/test';

const models = new URL('../test-fixtures/models/', import.meta.url).pathname;

export function readGolden(name: string) {
  return JSON.parse(readFileSync(`${models}${name}/golden.json`, 'utf8'));
}
export function readInputs() {
  return JSON.parse(readFileSync(`${models}inputs.json`, 'utf8'));
}

/**
 * Answers https://huggingface.co/{modelId}/resolve/{rev}/{file} from a test checkpoint on disk, 404
 * for files it lacks (as the Hub does), and records every request the page makes.
 */
export async function serveHubModel(page: Page, modelId: string, fixture: string) {
  const files = new Set(readdirSync(`${models}${fixture}`).filter((f) => f !== 'golden.json'));
  const requested: string[] = [];
  await page.route(`https://huggingface.co/${modelId}/resolve/**`, async (route) => {
    const url = new URL(route.request().url());
    requested.push(url.pathname);
    const file = url.pathname.split('/').pop() as string;
    if (!files.has(file))
      return route.fulfill({
        status: 404,
        body: 'Entry not found',
        headers: { 'access-control-allow-origin': '*' },
      });
    return route.fulfill({
      status: 200,
      body: readFileSync(`${models}${fixture}/${file}`),
      headers: { 'access-control-allow-origin': '*', 'content-type': 'application/octet-stream' },
    });
  });
  return requested;
}
