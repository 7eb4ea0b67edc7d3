// Playwright drives the system Chromium (Debian's `chromium` package): downloading
// Playwright's own browser does not work on these machines. The site under test is the
// same static build `cargo xtask dist` makes, served under a sub-path to prove that
// hosting at e.g. https://host/segmenta/ works.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.SEGMENTA_E2E_PORT || 8099);

export default defineConfig({
  testDir: './specs',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}/segmenta/`,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `node server.mjs ${port}`,
    url: `http://127.0.0.1:${port}/segmenta/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
