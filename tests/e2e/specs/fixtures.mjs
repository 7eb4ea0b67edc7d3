// Shared fixtures: every test fails on a console error, an uncaught exception (in the page
// or its worker) or any request to a host other than the local test server.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  guard: [
    async ({ page, context, baseURL }, use) => {
      const origin = new URL(baseURL).origin;
      const problems = [];
      context.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) {
          problems.push(`request to another host: ${request.method()} ${url}`);
        }
      });
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('worker', (worker) => {
        worker.on('console', (msg) => {
          if (msg.type() === 'error') problems.push(`worker console error: ${msg.text()}`);
        });
      });
      await use(problems);
      expect(problems, problems.join('\n')).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The Segmenta page, driven through its stable `data-testid` hooks. */
export class SegmentaPage {
  constructor(page) {
    this.page = page;
  }
  async open() {
    await this.page.goto('./');
    await expect(this.page.getByTestId('load-sample')).toBeVisible();
  }
  async loadSample() {
    await this.page.getByTestId('load-sample').click();
    await expect(this.page.getByTestId('preview')).toBeVisible();
  }
  async upload(name, contents, mimeType = 'text/csv') {
    await this.page.getByTestId('file-input').setInputFiles({ name, mimeType, buffer: Buffer.from(contents) });
  }
  async run() {
    await this.page.getByTestId('run').click();
    await expect(this.page.getByTestId('segment-row').first()).toBeVisible();
  }
  segmentRows() {
    return this.page.getByTestId('segment-row');
  }
  async metric(name) {
    return Number(await this.page.getByTestId(`metric-${name}`).innerText());
  }
  async exportLabels() {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId('export-labels').click()]);
    return download;
  }
  error() {
    return this.page.getByTestId('error');
  }
}
