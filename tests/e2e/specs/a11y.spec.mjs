// Accessibility: axe-core finds no serious or critical WCAG 2 A/AA violation on the page,
// before and after a full run, and the steps can be reached from the keyboard.
import { createRequire } from 'node:module';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// axe is injected as a script, which the page's own policy rightly forbids.
test.use({ bypassCSP: true });

/** Serious and critical WCAG 2 A/AA violations on the page as it is now. */
async function violations(page) {
  await page.addScriptTag({ path: axePath });
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return {
      passes: result.passes.length,
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      })),
    };
  });
  // axe really looked: dozens of rules apply to this page and pass.
  expect(found.passes).toBeGreaterThan(10);
  // Minor and moderate findings are printed, so they can be seen and fixed too.
  for (const v of found.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical')) {
    console.log(`axe (${v.impact}): ${v.id}: ${v.help} — ${v.nodes.join(', ')}`);
  }
  return found.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('no serious or critical accessibility violations from load to export', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new SegmentaPage(page);
  await app.open();
  expect(await violations(page)).toEqual([]);
  await app.loadSample();
  await app.run();
  await page.getByTestId('privacy-badge').click();
  expect(await violations(page)).toEqual([]);
});

test('the first step is reachable from the keyboard, and focus is visible', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await page.keyboard.press('Tab');
  await expect(page.locator('.skip-link')).toBeFocused();
  await page.keyboard.press('Tab');
  const focused = page.locator(':focus');
  await expect(focused).toBeVisible();
  const outline = await focused.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
});
