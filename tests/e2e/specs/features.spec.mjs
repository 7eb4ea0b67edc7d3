// From order logs and several files to one customer profile: roles, joins, the analysis
// date, preparation, and recipes.
import { readFile, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const retail = new URL('../../../../shared/datasets/online_retail.csv', import.meta.url).pathname;

test('the sample order log and customer list become one row per customer', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await expect(page.getByTestId('file-role').first()).toHaveText('Order log · the customers come from here');
  await expect(page.getByTestId('file-role').nth(1)).toHaveText('Customer list · joined to the customers');
  await expect(page.getByTestId('data-notes')).toContainText('sample_customers.csv: 2,000 customers matched; 0 in sample_orders.csv have no row here, 0 here match no customer.');
  const recency = page.locator('[data-testid=feature]', { has: page.locator('[data-name=recency_days]') });
  await expect(recency).toContainText('Days since the last order');
  await expect(page.locator('[data-name=recency_days]')).toBeChecked();
  const monetary = page.locator('[data-testid=feature]', { has: page.locator('[data-name=monetary_total]') });
  await expect(monetary.locator('.prep summary')).toContainText('log');
  await page.locator('#understand').screenshot({ path: `${shots}08-understand-sample.png` });
  await page.locator('#features').screenshot({ path: `${shots}09-features-sample.png` });

  // An earlier analysis date: customers who joined later drop out.
  await page.getByTestId('as-of').fill('2025-01-01');
  await page.getByTestId('as-of').dispatchEvent('change');
  await expect(page.getByTestId('customer-count')).not.toHaveText('2,000 customers');
  await page.getByTestId('as-of').fill('');
  await page.getByTestId('as-of').dispatchEvent('change');
  await expect(page.getByTestId('customer-count')).toHaveText('2,000 customers');

  // The customer list can be left out.
  await page.getByTestId('file-tab').nth(1).click();
  await page.getByTestId('file-shape').selectOption('ignore');
  await expect(page.getByTestId('file-role').nth(1)).toHaveText('Not used');
  await expect(page.locator('[data-name=email_open_rate]')).toHaveCount(0);
  await page.getByTestId('file-shape').selectOption('customers');
  await expect(page.locator('[data-name=email_open_rate]')).toBeChecked();

  // Save the recipe; load it back with 3 segments.
  await app.run();
  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-recipe').click()]);
  expect(saved.suggestedFilename()).toBe('segmenta-recipe.json');
  const recipe = JSON.parse(await readFile(await saved.path(), 'utf8'));
  expect(recipe.version).toBe(5);
  // Saved after a run, it holds the fitted segments for `segmenta apply`.
  expect(recipe.model.model.algorithm).toBe('kmeans');
  expect(recipe.model.names.length).toBeGreaterThan(1);
  expect(recipe.model.model.model.labels).toEqual([]);
  expect(recipe.clustering).toMatchObject({ algorithm: 'kmeans', k: 'auto' });
  expect(recipe.data.files.map((f) => f.shape)).toEqual(['orders', 'customers']);
  expect(recipe.features.map((f) => f.name)).toContain('recency_days');
  expect(JSON.stringify(recipe)).not.toContain('@example.com');
  recipe.clustering.k = 3;
  const path = join(tmpdir(), 'segmenta-recipe-3.json');
  await writeFile(path, JSON.stringify(recipe));
  await page.getByTestId('load-recipe').setInputFiles(path);
  await expect(page.getByTestId('k-input')).toHaveValue('3');
  await expect(page.getByTestId('k-input-auto')).not.toBeChecked();
  await app.run();
  await expect(app.segmentRows()).toHaveCount(3);
});

test('Online Retail: 4,372 customers, with every cleaning rule counted on the page', async ({ page }) => {
  test.skip(!(await stat(retail).catch(() => null)), 'the shared Online Retail dataset is not on this machine');
  test.setTimeout(300_000);
  const app = new SegmentaPage(page);
  await app.open();
  await page.getByTestId('file-input').setInputFiles(retail);
  await expect(page.getByTestId('customer-count')).toHaveText('4,372 customers', { timeout: 120_000 });
  const notes = page.getByTestId('data-notes');
  await expect(notes).toContainText('5,268 exact duplicate rows were removed.');
  await expect(notes).toContainText('135,037 rows without a customer id were left out.');
  await expect(notes).toContainText('8,872 cancelled or returned lines');
  await expect(notes).toContainText('40 lines with a price of zero were left out.');
  await page.locator('#understand').screenshot({ path: `${shots}10-online-retail.png` });
  await app.run();
  expect(await app.segmentRows().count()).toBeGreaterThanOrEqual(2);
});
