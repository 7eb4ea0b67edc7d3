// Keeping work on this device is opt-in: by default nothing is stored; when asked, the
// next visit offers to continue where the user left off; "Forget everything on this
// device" removes it all.
import { test, expect, SegmentaPage, threeGroups as customers } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;

/** What this site has stored in the browser. */
function stored(page) {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    local: Object.keys(localStorage),
    caches: await caches.keys(),
  }));
}

test('nothing is stored unless asked; kept work continues on the next visit; forgetting removes it all', async ({ page }) => {
  test.setTimeout(180_000);
  const app = new SegmentaPage(page);
  await app.open();
  await app.upload('shop_customers.csv', customers());
  await expect(page.getByTestId('customer-count')).toHaveText('90 customers');
  await page.getByTestId('k-input-auto').uncheck();
  await page.getByTestId('k-input').fill('3');
  await app.run();
  await expect(app.segmentRows()).toHaveCount(3);

  // A whole session without opting in stores nothing.
  let now = await stored(page);
  expect(now.databases).toEqual([]);
  expect(now.local).toEqual([]);

  // Opting in keeps the choices and the file at once.
  await page.getByTestId('privacy-badge').click();
  await expect(page.getByTestId('keep-nothing')).toBeChecked();
  await page.getByTestId('keep-files').check();
  await expect(page.getByTestId('keep-note')).toHaveText('Your choices and files are kept on this device from now on.');
  await expect(page.getByTestId('site-footer')).toContainText('You asked it to keep your work on this device');
  await expect.poll(async () => (await stored(page)).databases).toEqual(['segmenta']);
  await page.getByTestId('privacy-panel').screenshot({ path: `${shots}35-privacy-keep.png` });
  await page.getByTestId('privacy-badge').click();

  // A new name is kept too.
  const card = page.getByTestId('segment-card').nth(0);
  await card.getByTestId('segment-rename').click();
  await card.getByTestId('segment-name-input').fill('Best customers');
  await card.getByTestId('segment-name-input').press('Enter');
  await expect(card.locator('h3')).toHaveText('Best customers');
  // The renamed segmentation is shown again at once: the table never goes missing.
  const sizes = await app.segmentRows().allInnerTexts();
  expect(sizes).toHaveLength(3);
  await page.waitForTimeout(500);

  // The next visit offers to continue, and continuing lands on the same segments.
  await page.reload();
  await expect(page.getByTestId('resume')).toBeVisible();
  await expect(page.getByTestId('resume-what')).toContainText('your choices and 1 file (shop_customers.csv)');
  await expect(page.getByTestId('file-card')).toHaveCount(0);
  await page.locator('#load').screenshot({ path: `${shots}36-resume.png` });
  await page.getByTestId('resume-continue').click();
  await expect(page.getByTestId('resume')).toHaveCount(0);
  await expect(app.segmentRows()).toHaveCount(3, { timeout: 60_000 });
  expect(await app.segmentRows().allInnerTexts()).toEqual(sizes);
  await expect(page.getByTestId('segment-card').nth(0).locator('h3')).toHaveText('Best customers');
  await expect(page.getByTestId('k-input')).toHaveValue('3');

  // Forgetting removes the kept work, the setting and the offline copy.
  await page.getByTestId('privacy-badge').click();
  await page.getByTestId('forget-everything').click();
  await expect(page.getByTestId('keep-note')).toContainText('Segmenta has nothing stored on this device any more');
  await expect(page.getByTestId('keep-nothing')).toBeChecked();
  now = await stored(page);
  expect(now.databases).toEqual([]);
  expect(now.local).toEqual([]);
  expect(now.caches).toEqual([]);
  await page.reload();
  await expect(page.getByTestId('load-sample')).toBeVisible();
  await page.waitForTimeout(500);
  await expect(page.getByTestId('resume')).toHaveCount(0);
});

test('keeping only the choices keeps no customer data, and they fill in once files are loaded', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new SegmentaPage(page);
  await app.open();
  await page.getByTestId('privacy-badge').click();
  await page.getByTestId('keep-choices').check();
  await page.getByTestId('privacy-badge').click();
  await app.upload('shop_customers.csv', customers());
  const idKind = page.locator('[data-testid=column-kind][data-column=customer_id]');
  await idKind.selectOption('text');
  await expect(idKind).toHaveValue('text');
  await page.getByTestId('k-input-auto').uncheck();
  await page.getByTestId('k-input').fill('4');
  await app.run();
  await expect(app.segmentRows()).toHaveCount(4);
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Promise((resolve) => {
            const open = indexedDB.open('segmenta');
            open.onsuccess = () => {
              const get = open.result.transaction('work').objectStore('work').getAllKeys();
              get.onsuccess = () => {
                resolve(get.result.sort());
                open.result.close();
              };
            };
          }),
      ),
    )
    .toEqual(['recipe', 'saved_at']);

  await page.reload();
  await expect(page.getByTestId('resume-what')).toContainText('your choices (columns, features, settings and segment names; no customer data)');
  await page.getByTestId('resume-continue').click();
  await expect(page.getByTestId('resume')).toHaveCount(0);
  await app.upload('shop_customers.csv', customers());
  await expect(page.getByTestId('k-input')).toHaveValue('4');
  // The file is read the way it was read last time.
  await expect(idKind).toHaveValue('text');
});
