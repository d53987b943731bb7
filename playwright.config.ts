import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium';

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: 'http://127.0.0.1:4173',
    headless: true,
    screenshot: 'only-on-failure',
    // The suite tests runs on WebGPU (rendered on SwiftShader): each test's browser remembers WebGPU as chosen by
    // hand, as a person's choice in the backend select is remembered. backends.spec.ts starts from the default,
    // measured, and runs on every backend.
    storageState: {
      cookies: [],
      origins: [
        { origin: 'http://127.0.0.1:4173', localStorage: [{ name: 'tabtune.backend', value: 'webgpu' }] },
      ],
    },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: 'npx vite preview --host 127.0.0.1 --port 4173 --strictPort',
    url: 'http://127.0.0.1:4173',
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
