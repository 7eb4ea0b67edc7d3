// Numbers and dates on screen follow the browser's language; files for other programs
// stay machine-readable whatever the language.
import { readFile } from 'node:fs/promises';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;

test.use({ locale: 'nl-NL' });

test('in nl-NL the page writes 2.000 and 0,41, while the labelled CSV keeps 0.4123', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new SegmentaPage(page);
  await app.open();
  expect(await page.evaluate(() => navigator.language)).toBe('nl-NL');
  await app.loadSample();
  await expect(page.getByTestId('customer-count')).toHaveText('2.000 customers');
  await expect(page.getByTestId('file-card').nth(1)).toContainText('2.000 rows');
  await app.run();

  // Scores with a decimal comma, thousands with a dot.
  await expect(page.getByTestId('metric-silhouette')).toHaveText(/^0,\d{3}$/);
  await expect(page.getByTestId('metric-calinski-harabasz')).toHaveText(/^[\d.]+,\d$/);
  // Sentences made in the worker follow too: "1,6× the average" becomes "1,6×".
  const cards = (await page.getByTestId('segment-card').allInnerTexts()).join('\n');
  expect(cards).toMatch(/\d,\d×/);
  expect(cards).not.toMatch(/\d\.\d×/);
  await page.locator('#explore').screenshot({ path: `${shots}37-locale-nl.png` });

  // The export is for other programs: decimal points, no grouping.
  const text = await readFile(await (await app.exportLabels()).path(), 'utf8');
  const first = text.split('\n')[1].split(',');
  expect(first[7]).toMatch(/^\d\.\d{4}$/); // churn_risk
  expect(first[8]).toMatch(/^\d+(\.\d+)?$/); // clv
  expect(text.split('\n').length).toBe(1 + 2000 + 1);
});
