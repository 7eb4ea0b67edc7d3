// Understanding the segments: names from the RFM map, sentences that quote their numbers,
// churn risk and lifetime value per segment, and the recency × frequency grid.
import { mkdir, readFile } from 'node:fs/promises';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const RFM_NAMES = /^(Champions|Loyal customers|Potential loyalists|New customers|Promising|Need attention|About to sleep|At risk|Can't lose them|Hibernating|Lost)\b/;

test('segments are named and explained in numbers a marketer can check', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await app.run();
  const cards = page.getByTestId('segment-card');
  const n = await cards.count();
  expect(n).toBeGreaterThan(1);
  const names = [];
  for (let i = 0; i < n; i++) {
    const card = cards.nth(i);
    const name = await card.locator('h3').innerText();
    expect(name).toMatch(RFM_NAMES);
    names.push(name);
    // The first sentence gives the average RFM scores; the others quote the segment's
    // number and everyone's.
    const sentences = card.locator('.seg-description li');
    await expect(sentences.first()).toContainText(/^Average scores \(1–5\): recency \d\.\d, frequency \d\.\d, monetary \d\.\d: /);
    expect(await sentences.count()).toBeGreaterThan(1);
    await expect(sentences.nth(1)).toContainText(/\d/);
    await expect(card.locator('.seg-action')).toContainText(/^Usual next step: /);
    await expect(card.getByTestId('segment-value')).toContainText(/^[\d.]+% likely still active · [\d.]+% at risk · expected value [\d,.]+ per customer over 365 days$/);
  }
  expect(new Set(names).size).toBe(n);
  await mkdir(shots, { recursive: true });
  await page.locator('.seg-cards').screenshot({ path: `${shots}22-segment-cards.png` });

  const lifetime = page.getByTestId('lifetime');
  await expect(lifetime).toContainText('How these are estimated');
  await expect(lifetime.locator('tbody tr')).toHaveCount(n);
  await expect(lifetime.locator('tfoot')).toContainText('All customers');
  await expect(page.getByTestId('lifetime-warnings')).toContainText('correlation');
  await lifetime.screenshot({ path: `${shots}23-lifetime.png` });

  const grid = page.getByTestId('chart-rfm-grid');
  await expect(grid.getByTestId('rfm-cell')).toHaveCount(25);
  await expect(grid.getByTestId('rfm-cell').first().locator('title')).toContainText(/^Recency 1 · frequency 1: Lost — \d+ customers, value /);
  const before = await grid.locator('svg').innerHTML();
  await grid.getByRole('button', { name: 'Total spent' }).click();
  await expect(grid.getByRole('button', { name: 'Total spent' })).toHaveAttribute('aria-pressed', 'true');
  expect(await grid.locator('svg').innerHTML()).not.toBe(before);
  await grid.screenshot({ path: `${shots}24-rfm-grid.png` });

  // Fairness: pick the country column; shares per segment, flags in sentences.
  const fairness = page.getByTestId('fairness');
  await fairness.getByTestId('fairness-column').selectOption({ label: 'country' });
  await expect(fairness.locator('tbody tr')).toHaveCount(n);
  await expect(fairness.locator('thead th')).toContainText(['Segment', 'United Kingdom']);
  await expect(page.getByTestId('fairness-summary')).toContainText(/within 0\.8–1\.25×|× its share of all customers/);
  await fairness.screenshot({ path: `${shots}25-fairness.png` });
});

test('a segment can be renamed, and any customer explained, with the names in every file', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await app.run();
  const card = page.getByTestId('segment-card').nth(1);
  const original = await card.locator('h3').innerText();

  // Rename: Escape leaves the name, Enter keeps the new one.
  await card.getByTestId('segment-rename').click();
  await card.getByTestId('segment-name-input').fill('Nope');
  await card.getByTestId('segment-name-input').press('Escape');
  await expect(card.locator('h3')).toHaveText(original);
  // What the map shows (here one segment alone) stays as it was through a rename.
  const entry = page.locator('.customer-map .legend-entry').nth(1);
  await entry.click();
  await expect(entry).toHaveAttribute('aria-pressed', 'true');
  // So do the panels opened and the views chosen elsewhere in the results.
  const params = page.locator('details.model-params');
  await params.locator('summary').click();
  await page.getByTestId('show-medians').click();
  const byValue = page.getByTestId('chart-rfm-grid').locator('.legend-entry', { hasText: 'Total spent' });
  await byValue.click();
  await page.getByTestId('fairness-column').selectOption({ label: 'country' });
  await card.getByTestId('segment-rename').click();
  await card.getByTestId('segment-name-input').fill('Spring sale regulars');
  await card.getByTestId('segment-name-input').press('Enter');
  await expect(page.getByTestId('segment-card').nth(1).locator('h3')).toHaveText('Spring sale regulars');
  await expect(entry).toContainText('Spring sale regulars');
  await expect(entry).toHaveAttribute('aria-pressed', 'true');
  await expect(params).toHaveJSProperty('open', true);
  await expect(page.getByTestId('show-medians')).toHaveAttribute('aria-pressed', 'true');
  await expect(byValue).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('fairness-column').locator('option:checked')).toHaveText('country');
  await expect(page.getByTestId('fairness').locator('tbody')).toContainText('Spring sale regulars');
  await page.getByRole('button', { name: 'Averages', exact: true }).click();
  await entry.click();
  await expect(entry).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('segment-row').nth(1)).toContainText('Spring sale regulars');
  await expect(page.getByTestId('segment-card').nth(1).getByTestId('segment-name-reset')).toContainText(`Suggested: ${original}`);
  // A name another segment has is refused with a sentence.
  const first = await page.getByTestId('segment-card').nth(0).locator('h3').innerText();
  await page.getByTestId('segment-card').nth(2).getByTestId('segment-rename').click();
  await page.getByTestId('segment-card').nth(2).getByTestId('segment-name-input').fill(first);
  await page.getByTestId('segment-card').nth(2).getByTestId('segment-name-input').press('Enter');
  await expect(app.error()).toContainText(`Two segments would both be called “${first}”`);

  // The labelled export and the recipe carry the new name.
  const labels = await readFile(await (await app.exportLabels()).path(), 'utf8');
  expect(labels).toContain(',1,Spring sale regulars,');
  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-recipe').click()]);
  const recipe = JSON.parse(await readFile(await saved.path(), 'utf8'));
  expect(recipe.names).toEqual({ 1: 'Spring sale regulars' });

  // Why is this customer here? Typed id, then unknown id.
  const id = labels.split('\n').find((l) => l.includes(',1,Spring sale regulars')).split(',')[0];
  await page.getByTestId('why-input').fill(id);
  await page.getByTestId('why-submit').click();
  const why = page.getByTestId('why');
  await expect(why).toContainText(`${id} · Spring sale regulars`);
  await expect(why.locator('.why-verdict p')).toContainText(/“Spring sale regulars”/);
  await expect(why.locator('tbody tr').first()).toBeVisible();
  expect(await why.locator('tbody tr').count()).toBeLessThanOrEqual(3);
  await expect(why.locator('thead')).toContainText('Typical of Spring sale regulars');
  await mkdir(shots, { recursive: true });
  await page.locator('.why-panel').screenshot({ path: `${shots}26-why-here.png` });
  await page.getByTestId('segment-card').nth(1).screenshot({ path: `${shots}27-renamed-card.png` });

  // Clicking a customer on the map explains them.
  const map = page.getByTestId('scatter');
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  let explained = false;
  for (const [fx, fy] of [[0.5, 0.5], [0.4, 0.5], [0.6, 0.5], [0.5, 0.4], [0.5, 0.6], [0.3, 0.3], [0.7, 0.7]]) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    try {
      await expect(page.getByTestId('why-input')).not.toHaveValue(id, { timeout: 1500 });
      explained = true;
      break;
    } catch {
      // No customer under this spot; try the next one.
    }
  }
  expect(explained).toBe(true);
  await expect(why).toBeVisible();

  await page.getByTestId('why-input').fill('nobody');
  await page.getByTestId('why-submit').click();
  await expect(page.getByTestId('why-message')).toHaveText('No customer has the customer_id “nobody”. Check the spelling, or pick a customer on the map.');

  // Medians instead of averages.
  const cell = page.getByTestId('segment-row').first().locator('td').nth(1);
  const mean = await cell.innerText();
  await page.getByTestId('show-medians').click();
  await expect(page.getByTestId('show-medians')).toHaveAttribute('aria-pressed', 'true');
  await expect(cell).not.toHaveText(mean);
});
