import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/tools/chromium.mjs';

// Browser tests run Debian's Chromium against the release build in dist/, served on
// 127.0.0.1 together with local map tiles and test feeds: nothing leaves the machine.
const PORT = Number(process.env.AM_TEST_PORT ?? 4173);

const chromium = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };

export default defineConfig({
  testDir: 'tests/browser',
  outputDir: 'target/playwright-output',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'target/playwright-results.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    launchOptions: chromium,
    serviceWorkers: 'block',
    trace: 'off',
  },
  projects: [
    {
      name: 'phone',
      use: { ...devices['Pixel 7'], viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, launchOptions: chromium },
    },
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, launchOptions: chromium },
    },
  ],
  webServer: [
    {
      command: `node tests/tools/serve.mjs --port ${PORT}`,
      url: `http://127.0.0.1:${PORT}/index.html`,
      reuseExistingServer: false,
      timeout: 20_000,
    },
    {
      // Partner pages for the embed tests, on another origin.
      command: `node tests/tools/serve.mjs --port ${PORT + 1} --root tests/fixtures/host --app http://127.0.0.1:${PORT}/`,
      url: `http://127.0.0.1:${PORT + 1}/iframe.html`,
      reuseExistingServer: false,
      timeout: 20_000,
    },
  ],
});
