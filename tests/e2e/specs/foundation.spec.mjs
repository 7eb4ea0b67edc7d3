// The first slice end to end: sample → run → results → export, and errors as sentences.
import { readFile, mkdir } from 'node:fs/promises';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;

test('sample data: segments, scores and a labelled export with every customer', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: `${shots}01-start.png`, fullPage: true });

  await app.loadSample();
  await expect(page.getByTestId('file-card')).toHaveCount(2);
  await expect(page.getByTestId('file-card').nth(1)).toContainText('sample_customers.csv');
  await expect(page.getByTestId('file-card').nth(1)).toContainText('2,000 rows');
  await expect(page.getByTestId('customer-count')).toHaveText('2,000 customers');
  await page.screenshot({ path: `${shots}02-loaded.png`, fullPage: true });

  await app.run();
  expect(await app.segmentRows().count()).toBeGreaterThanOrEqual(2);
  const silhouette = await app.metric('silhouette');
  const ch = await app.metric('calinski-harabasz');
  const db = await app.metric('davies-bouldin');
  expect(silhouette).toBeGreaterThan(0);
  expect(silhouette).toBeLessThanOrEqual(1);
  expect(ch).toBeGreaterThan(0);
  expect(db).toBeGreaterThan(0);
  await page.screenshot({ path: `${shots}03-results.png`, fullPage: true });
  await page.locator('#explore').screenshot({ path: `${shots}04-results-section.png` });

  const download = await app.exportLabels();
  expect(download.suggestedFilename()).toBe('sample_orders_segments.csv');
  const text = await readFile(await download.path(), 'utf8');
  const lines = text.trimEnd().split('\n');
  // An order log: RFM scores, churn risk and lifetime value come along.
  expect(lines[0]).toBe('customer_id,segment,segment_name,r_score,f_score,m_score,rfm_segment,churn_risk,clv,at_risk');
  expect(lines.length).toBe(1 + 2000);
  const segments = new Set(lines.slice(1).map((l) => l.split(',')[1]));
  expect(segments.size).toBe(await app.segmentRows().count());
});

test('errors are plain sentences and the app stays usable', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();

  // An Excel workbook renamed to .csv.
  await app.upload('customers.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]));
  await expect(app.error()).toContainText('customers.csv: This looks like an Excel workbook');
  await page.screenshot({ path: `${shots}05-error-binary.png` });

  // A file without numbers to segment on; then it is removed again.
  await app.upload('names.csv', 'name,city\nAnn,Paris\nBob,Rome\nCem,Oslo\n');
  await expect(app.error()).toContainText('no numeric columns');
  await expect(page.getByTestId('run')).toBeDisabled();
  await page.getByTestId('remove-file').click();
  await expect(page.getByTestId('file-card')).toHaveCount(0);

  // More segments than customers: the field says so and Run waits.
  await app.upload('tiny.csv', 'customer_id,spend,visits\nA,10,1\nB,20,2\nC,30,3\n');
  await page.getByTestId('k-input-auto').uncheck();
  await page.getByTestId('k-input').fill('5');
  await expect(page.locator('#k-input-help')).toHaveText('There are only 3 customers, so choose at most 3 segments.');
  await expect(page.getByTestId('run')).toBeDisabled();
  await page.screenshot({ path: `${shots}06-error-k.png`, fullPage: true });

  // Still usable: fix k and segment.
  await page.getByTestId('k-input').fill('2');
  await app.run();
  await expect(app.segmentRows()).toHaveCount(2);
});
