import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { preview } from 'vite';
import { CHROMIUM_PATH } from '../e2e/chromium';

/**
 * The built studio served on `port` (built first if dist/ lacks it) and Debian's Chromium with `args`, for the scripts
 * that drive its pages (bench, gpu-report, probe-cost); `close` ends both.
 */
export async function studioBrowser(port: number, args: string[]) {
  if (!existsSync('dist/index.html') || !existsSync('dist/bench.html'))
    execSync('npx vite build', { stdio: 'inherit' });
  const server = await preview({
    preview: { port, strictPort: true, host: '127.0.0.1' },
    logLevel: 'silent',
  });
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args, headless: true });
  return {
    browser,
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      await browser.close();
      await new Promise<void>((r) => server.httpServer.close(() => r()));
    },
  };
}
