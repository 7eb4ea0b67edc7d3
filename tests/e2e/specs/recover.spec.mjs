// If the worker dies, the page says so, starts a new one and gives it back the files and
// choices, so nothing the user loaded is lost.
import { test, expect, SegmentaPage, threeGroups as customers } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;

test('a worker that dies is replaced, and the files, choices and segments come back', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new SegmentaPage(page);
  await app.open();
  await app.upload('shop_customers.csv', customers());
  await page.getByTestId('k-input-auto').uncheck();
  await page.getByTestId('k-input').fill('3');
  await app.run();
  const before = await app.segmentRows().allInnerTexts();

  // An uncaught error in the worker, as a crash would raise.
  const [worker] = page.workers();
  await worker.evaluate(() => setTimeout(() => { throw new Error('simulated crash'); }, 0));

  await expect(page.getByTestId('notice')).toContainText('The background worker stopped unexpectedly');
  await expect(page.getByTestId('notice')).toContainText('Segmenta started a new one and is reading your files again, with your choices.');
  await expect(page.getByTestId('file-card')).toHaveCount(1);
  await expect(app.segmentRows()).toHaveCount(3, { timeout: 60_000 });
  expect(await app.segmentRows().allInnerTexts()).toEqual(before);
  await expect(page.getByTestId('k-input')).toHaveValue('3');
  await page.screenshot({ path: `${shots}39-worker-restarted.png` });

  // The new worker works: an export downloads.
  const download = await app.exportLabels();
  expect(download.suggestedFilename()).toBe('shop_customers_segments.csv');
});
