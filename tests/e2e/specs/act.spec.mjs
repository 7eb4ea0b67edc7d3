// Taking segments to other tools: CRM and email imports, hashed ad audiences, one list per
// segment, and spreadsheet safety for hostile cells.
import { readFile } from 'node:fs/promises';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;

/** The file names in a zip archive, from its central directory. */
function zipNames(buffer) {
  const names = [];
  for (let i = 0; i + 46 <= buffer.length; i++) {
    if (buffer.readUInt32LE(i) === 0x02014b50) {
      const length = buffer.readUInt16LE(i + 28);
      names.push(buffer.subarray(i + 46, i + 46 + length).toString('utf8'));
      i += 45 + length;
    }
  }
  return names;
}

async function download(page, click) {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

test('each preset downloads with its tool’s columns, and one list per segment', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await app.run();
  const n = await app.segmentRows().count();
  const customers = 2000;

  const expected = {
    mailchimp: 'Email Address,First Name,Last Name,Phone Number,Tags',
    hubspot: 'Email,First Name,Last Name,Phone Number,Segment',
    klaviyo: 'Email,Phone Number,First Name,Last Name,Segment',
  };
  for (const [preset, header] of Object.entries(expected)) {
    await page.getByTestId('export-preset').selectOption(preset);
    const file = await download(page, () => page.getByTestId('export-preset-download').click());
    expect(file.name).toBe(`sample_orders_${preset}.csv`);
    const lines = file.bytes.toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(header);
    expect(lines.length).toBe(customers + 1);
    expect(lines[1]).toMatch(/@example\.com/);
  }

  await page.getByTestId('export-preset').selectOption('ads-hashed');
  await expect(page.getByTestId('export-country-code')).toBeVisible();
  const ads = await download(page, () => page.getByTestId('export-preset-download').click());
  expect(ads.name).toBe('sample_orders_ad_audiences.zip');
  expect(ads.bytes.subarray(0, 2).toString()).toBe('PK');
  expect(zipNames(ads.bytes)).toHaveLength(n);
  expect(ads.bytes.includes(Buffer.from('@example.com'))).toBe(false);
  expect(ads.bytes.toString('latin1')).toMatch(/Email,Phone,First Name,Last Name\n[0-9a-f]{64},,[0-9a-f]{64},\n/);

  let lists = await download(page, () => page.getByTestId('export-lists').click());
  expect(lists.name).toBe('sample_orders_segments.zip');
  expect(zipNames(lists.bytes)).toHaveLength(n);
  expect(lists.bytes.includes(Buffer.from('@example.com'))).toBe(false);

  // Contact details go back into the labelled CSV and the lists only when ticked.
  const attach = page.getByTestId('attach-column');
  await expect(attach).toHaveCount(2);
  await expect(page.getByTestId('attach-columns')).toContainText('email');
  await page.locator('[data-testid=attach-column][value=email]').check();
  const labelled = await download(page, () => page.getByTestId('export-labels').click());
  const rows = labelled.bytes.toString('utf8').trimEnd().split('\n');
  expect(rows[0]).toMatch(/^customer_id,segment,segment_name,.*,email$/);
  expect(rows.length).toBe(customers + 1);
  expect(rows[1]).toMatch(/@example\.com$/);
  lists = await download(page, () => page.getByTestId('export-lists').click());
  expect(lists.bytes.includes(Buffer.from('@example.com'))).toBe(true);
  await page.locator('#act').screenshot({ path: `${shots}28-act-exports.png` });

  // The printable report: self-contained, with the segments and a model card.
  const report = await download(page, () => page.getByTestId('export-report').click());
  expect(report.name).toBe('sample_orders_report.html');
  const html = report.bytes.toString('utf8');
  expect(html).not.toContain('<script');
  for (const heading of ['The segments', 'How the segments were found', 'Quality', 'Model card']) {
    expect(html).toContain(`<h2>${heading}</h2>`);
  }
  expect(html).toContain('All processing happened in this browser');
  expect((html.match(/<section class="card">/g) || []).length).toBe(n);
  const view = await page.context().newPage();
  await view.setContent(html);
  await view.screenshot({ path: `${shots}30-report.png`, fullPage: true });
  await view.close();
});

test('hostile cells cannot run as formulas in any export', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  let csv = 'customer_id,email,first_name,spend,visits\n';
  for (let i = 0; i < 30; i++) {
    const email = i === 0 ? '"=HYPERLINK(""http://evil.example"",""click"")"' : i === 1 ? '+1+1' : `c${i}@example.com`;
    const name = i === 2 ? '@SUM(A1:A9)' : 'Ann';
    csv += `C${i},${email},${name},${i % 2 ? 400 + i : 20 + i},${i % 2 ? 15 : 2}\n`;
  }
  await app.upload('hostile.csv', csv);
  await expect(page.getByTestId('preview')).toBeVisible();
  await app.run();
  await page.getByTestId('export-preset').selectOption('mailchimp');
  const file = await download(page, () => page.getByTestId('export-preset-download').click());
  const lines = file.bytes.toString('utf8').trimEnd().split('\n');
  expect(lines[1]).toMatch(/^"'=HYPERLINK\(/);
  expect(lines[2]).toMatch(/^'\+1\+1,Ann,/);
  expect(lines[3]).toMatch(/^c2@example\.com,'@SUM\(A1:A9\),/);
  expect(lines.length).toBe(31);
});
