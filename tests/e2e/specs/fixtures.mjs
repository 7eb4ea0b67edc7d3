// Shared fixtures: every test fails on a console error (a Content-Security-Policy violation
// is one), an uncaught exception (in the page or its worker), and on any request that is not
// a GET of one of the app's own static files, or that carries a body. Every test is thus a
// request audit of what it does.
import { readdirSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';

/** The app's own files: everything the static build holds. */
const appFiles = new Set(readdirSync(process.env.SEGMENTA_DIST || '../../dist'));

/** What is wrong with `request`, if anything. */
export function auditRequest(request, baseURL) {
  const url = new URL(request.url());
  const method = request.method();
  if (request.postDataBuffer()) return `request with a body: ${method} ${url.href}`;
  if (url.protocol === 'blob:' || url.protocol === 'data:') {
    return method === 'GET' ? null : `${method} request to ${url.protocol} URL`;
  }
  const base = new URL(baseURL);
  if (url.origin !== base.origin) return `request to another host: ${method} ${url.href}`;
  if (method !== 'GET') return `${method} request: only GETs of the app's own files are allowed (${url.href})`;
  const file = url.pathname.startsWith(base.pathname) ? url.pathname.slice(base.pathname.length) : null;
  if (file === null || (file !== '' && !appFiles.has(file))) {
    return `request for something that is not one of the app's files: ${url.href}`;
  }
  return null;
}

export const test = base.extend({
  guard: [
    async ({ page, context, baseURL }, use) => {
      const problems = [];
      context.on('request', (request) => {
        const problem = auditRequest(request, baseURL);
        if (problem) problems.push(problem);
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
    // The page groups thousands (1,234.5 in en-US, the tests' locale).
    return Number((await this.page.getByTestId(`metric-${name}`).innerText()).replaceAll(',', ''));
  }
  async exportLabels() {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId('export-labels').click()]);
    return download;
  }
  error() {
    return this.page.getByTestId('error');
  }
}

/** A customer list of three plain groups (low, middle and high spenders), 90 customers. */
export function threeGroups() {
  const rows = ['customer_id,spend,visits'];
  for (let i = 0; i < 90; i += 1) {
    const group = i % 3;
    rows.push(`C${i + 1},${20 + group * 200 + (i % 7) * 3},${2 + group * 10 + (i % 5)}`);
  }
  return `${rows.join('\n')}\n`;
}
