// Rule segments with live counts, campaign priority, and the labelled CSV that carries them.
import { readFile } from 'node:fs/promises';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;

test('a rule segment counts live, priorities pick one campaign per customer, and the CSV has both', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await app.run();
  const panel = page.getByTestId('campaigns');
  await panel.getByTestId('rule-add').click();
  const rule = panel.getByTestId('rule-segment').first();
  await expect(rule.getByTestId('rule-name')).toHaveValue('Win back');
  const count = rule.getByTestId('rule-count');
  await expect(count).toHaveText(/^[\d,]+ customers$/);
  const before = Number((await count.innerText()).replace(/\D/g, ''));
  await rule.getByTestId('rule-days').fill('180');
  await rule.getByTestId('rule-days').press('Enter');
  await expect(count).not.toHaveText(`${before.toLocaleString('en-GB')} customers`);
  const after = Number((await count.innerText()).replace(/\D/g, ''));
  expect(after).toBeLessThan(before);

  // Add a second condition: and spent at least 500.
  await rule.getByTestId('rule-add-condition').click();
  const second = rule.getByTestId('rule-condition').nth(1);
  await second.getByLabel('Column').selectOption({ value: 'monetary_total' });
  await second.getByLabel('Comparison').selectOption('at least');
  await second.getByLabel('Value').fill('500');
  await second.getByLabel('Value').press('Enter');
  await expect(count).not.toHaveText(`${after.toLocaleString('en-GB')} customers`);
  const both = Number((await count.innerText()).replace(/\D/g, ''));
  expect(both).toBeLessThan(after);

  // The rule segment is listed first in the priority; move it to the end.
  const items = panel.getByTestId('priority-item');
  await expect(items.first()).toContainText('Win back');
  const n = await items.count();
  for (let i = 0; i < n - 1; i++) {
    await items.nth(i).getByRole('button', { name: 'Move Win back down' }).click();
  }
  await expect(items.last()).toContainText('Win back');
  await expect(items.last()).toContainText('0 customers get this campaign');
  await panel.screenshot({ path: `${shots}29-campaigns.png` });

  // Back to first: every member gets it.
  for (let i = n - 1; i > 0; i--) {
    await items.nth(i).getByRole('button', { name: 'Move Win back up' }).click();
  }
  await expect(items.first()).toContainText(`${both.toLocaleString('en-GB')} customers get this campaign`);

  const labels = (await readFile(await (await app.exportLabels()).path(), 'utf8')).trimEnd().split('\n');
  expect(labels[0]).toBe('customer_id,segment,segment_name,r_score,f_score,m_score,rfm_segment,churn_risk,clv,at_risk,Win back,primary_campaign');
  expect(labels.length).toBe(2001);
  const members = labels.slice(1).filter((l) => l.includes(',yes,Win back'));
  expect(members.length).toBe(both);
  expect(labels.slice(1).every((l) => !l.endsWith(','))).toBe(true);

  // The recipe keeps the rule and the priority.
  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-recipe').click()]);
  const recipe = JSON.parse(await readFile(await saved.path(), 'utf8'));
  expect(recipe.rules).toEqual([{ name: 'Win back', rule: { all: [{ no_purchase_in_days: 180 }, { column: 'monetary_total', op: '>=', value: 500 }] } }]);
  expect(recipe.priority[0]).toBe('Win back');

  // A second rule segment: Champions (by RFM) who never bought Gifts.
  await panel.getByTestId('rule-add').click();
  const other = panel.getByTestId('rule-segment').nth(1);
  const first = other.getByTestId('rule-condition').first();
  await first.getByLabel('Kind of condition').selectOption('rfm');
  await first.getByLabel('RFM segment').selectOption('Champions');
  const champions = Number((await other.getByTestId('rule-count').innerText()).replace(/\D/g, ''));
  expect(champions).toBeGreaterThan(0);
  await other.getByTestId('rule-add-condition').click();
  const never = other.getByTestId('rule-condition').nth(1);
  await never.getByLabel('Kind of condition').selectOption('not_bought');
  await never.getByLabel('Category').selectOption('gifts');
  await expect(other.getByTestId('rule-count')).not.toHaveText(`${champions.toLocaleString('en-GB')} customers`);
  const [again] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-recipe').click()]);
  const rules = JSON.parse(await readFile(await again.path(), 'utf8')).rules;
  expect(rules[1].rule).toEqual({ all: [{ rfm_segment: 'Champions' }, { not: { bought_category: 'gifts' } }] });

  // A third: a range and a group — spent 500 to 5,000, and either bought in the last 30
  // days or opens at least half the emails.
  await panel.getByTestId('rule-add').click();
  const warm = panel.getByTestId('rule-segment').nth(2);
  await warm.getByTestId('rule-name').fill('Warm big spenders');
  await warm.getByTestId('rule-name').press('Enter');
  const range = warm.getByTestId('rule-condition').first();
  await range.getByTestId('rule-kind').selectOption('between');
  await range.getByLabel('Column').selectOption({ value: 'monetary_total' });
  await range.getByTestId('rule-min').fill('500');
  await range.getByTestId('rule-min').press('Enter');
  await range.getByTestId('rule-max').fill('5000');
  await range.getByTestId('rule-max').press('Enter');
  const warmCount = warm.getByTestId('rule-count');
  await expect(warmCount).toHaveText(/^[\d,]+ customers$/);
  const inRange = Number((await warmCount.innerText()).replace(/\D/g, ''));
  expect(inRange).toBeGreaterThan(0);
  await warm.getByTestId('rule-add-condition').click();
  await warm.getByTestId('rule-condition').nth(1).getByTestId('rule-kind').selectOption('group');
  const group = warm.getByTestId('rule-group');
  const recent = group.getByTestId('rule-condition').first();
  await recent.getByLabel('Column').selectOption({ value: 'recency_days' });
  await recent.getByLabel('Comparison').selectOption('at most');
  await recent.getByLabel('Value').fill('30');
  await recent.getByLabel('Value').press('Enter');
  await group.getByTestId('rule-group-add').click();
  const opens = group.getByTestId('rule-condition').nth(1);
  await opens.getByLabel('Column').selectOption({ value: 'email_open_rate' });
  await opens.getByLabel('Value').fill('0.5');
  await opens.getByLabel('Value').press('Enter');
  await expect(warmCount).not.toHaveText(`${inRange.toLocaleString('en-GB')} customers`);
  const warmBoth = Number((await warmCount.innerText()).replace(/\D/g, ''));
  expect(warmBoth).toBeLessThan(inRange);
  await warm.screenshot({ path: `${shots}33-rule-group.png` });
  const [third] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-recipe').click()]);
  const warmRule = JSON.parse(await readFile(await third.path(), 'utf8')).rules[2];
  expect(warmRule).toEqual({
    name: 'Warm big spenders',
    rule: {
      all: [
        { column: 'monetary_total', min: 500, max: 5000 },
        { any: [{ column: 'recency_days', op: '<=', value: 30 }, { column: 'email_open_rate', op: '>=', value: 0.5 }] },
      ],
    },
  });
});
