// Understanding the segments: names from the RFM map, sentences that quote their numbers,
// churn risk and lifetime value per segment, and the recency × frequency grid.
import { mkdir } from 'node:fs/promises';
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
