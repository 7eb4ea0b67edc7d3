// Choosing the method and the number of segments: Auto by default with the comparison
// and its sentence; every method runs from the page; settings are checked beside the field.
import { readFile, mkdir } from 'node:fs/promises';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;

/** Three well-separated groups of 40 customers and two far-off customers. */
function groups() {
  let csv = 'customer_id,spend,visits\n';
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 4;
  const centres = [[20, 3], [120, 12], [60, 30]];
  for (let i = 0; i < 120; i++) {
    const [s, v] = centres[i % 3];
    csv += `C${i},${(s + noise()).toFixed(2)},${(v + noise() / 2).toFixed(2)}\n`;
  }
  csv += 'X1,900,2\nX2,5,95\n';
  return csv;
}

test('Auto compares numbers of segments and explains the choice', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await expect(page.getByTestId('k-input-auto')).toBeChecked();
  await expect(page.getByTestId('k-input')).toBeDisabled();
  await expect(page.locator('#algorithm-kmeans')).toBeChecked();
  await app.run();
  const sentence = page.getByTestId('recommendation');
  await expect(sentence).toContainText(/^k = \d+: /);
  const k = Number((await sentence.innerText()).match(/^k = (\d+)/)[1]);
  await expect(app.segmentRows()).toHaveCount(k);
  await page.getByText('How each number of segments scored').click();
  await expect(page.getByTestId('sweep-row')).toHaveCount(9);
  await expect(page.locator('[data-testid=sweep-row][aria-current=true]')).toContainText(String(k));
  await mkdir(shots, { recursive: true });
  await page.locator('#segment').screenshot({ path: `${shots}11-segment-auto.png` });
});

test('every method runs from the page; DBSCAN outliers and mixture probabilities reach the export', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.upload('groups.csv', groups());
  await expect(page.getByTestId('customer-count')).toHaveText('122 customers');

  // DBSCAN: no k; outliers are segment -1.
  await page.locator('#algorithm-dbscan').check();
  await expect(page.getByTestId('k-input')).toHaveCount(0);
  await app.run();
  await expect(page.getByTestId('headline')).toContainText('3 segments and 2 outliers');
  await expect(page.getByTestId('headline')).toContainText('found by DBSCAN');
  await expect(app.segmentRows().last()).toContainText('Outliers');
  await page.locator('#explore').screenshot({ path: `${shots}12-dbscan-results.png` });
  let text = await readFile(await (await app.exportLabels()).path(), 'utf8');
  expect(text).toContain('X1,-1,Outliers');

  // A bad eps is explained beside the field and blocks Run.
  await page.getByTestId('eps-input-auto').uncheck();
  await page.getByTestId('eps-input').fill('-1');
  await expect(page.locator('#eps-input-help')).toContainText('positive number');
  await expect(page.getByTestId('run')).toBeDisabled();
  await page.locator('#segment').screenshot({ path: `${shots}13-dbscan-bad-eps.png` });
  await page.getByTestId('eps-input-auto').check();

  // Gaussian mixture with a fixed k: the export carries probabilities.
  await page.locator('#algorithm-gmm').check();
  await page.getByTestId('covariance-select').selectOption('diagonal');
  await page.getByTestId('k-input-auto').uncheck();
  await page.getByTestId('k-input').fill('3');
  await app.run();
  await expect(page.getByTestId('headline')).toContainText('probability');
  text = await readFile(await (await app.exportLabels()).path(), 'utf8');
  expect(text.split('\n')[0]).toBe('customer_id,segment,segment_name,probability');

  // Hierarchical and k-prototypes.
  await page.locator('#algorithm-hierarchical').check();
  await page.getByTestId('linkage-select').selectOption('average');
  await app.run();
  await expect(page.getByTestId('headline')).toContainText('found by Hierarchical');
  await expect(app.segmentRows()).toHaveCount(3);
  await page.locator('#algorithm-kprototypes').check();
  await app.run();
  await expect(page.getByTestId('headline')).toContainText('found by k-prototypes');
  await page.locator('#segment').screenshot({ path: `${shots}14-segment-methods.png` });
});
