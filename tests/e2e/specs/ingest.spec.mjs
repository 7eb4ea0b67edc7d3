// Reading real-world exports: European CSV in Latin-1, reading settings, cancelling.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const cli = process.env.SEGMENTA_CLI ?? new URL('../../../target/debug/segmenta', import.meta.url).pathname;

/** A German shop export: semicolons, decimal commas, thousands dots, Latin-1 text. */
const EUROPEAN = [
  'Kunde;Umsatz;Bestellungen;Letzter Kauf;Stadt;Gutschein',
  'K001;1.234,56;12;01.12.2010;Köln;£ 12,50',
  'K002;987,10;7;13.12.2010;Zürich;£ 5,00',
  'K003;45,00;1;02.01.2011;Malmö;-',
  'K004;2.500,00;20;24.12.2010;Genève;£ 7,25',
].join('\r\n') + '\r\n';

/** What the chip of the preview's column `n` says the column holds. */
function kindShown(page, n) {
  return page.locator(`[data-testid=preview] thead th:nth-child(${n}) [data-testid=column-kind] option:checked`);
}

function cell(page, row, column) {
  return page.locator(`[data-testid=preview] tbody tr:nth-child(${row}) td:nth-child(${column})`);
}

test('a semicolon, decimal-comma, Latin-1 export shows the right numbers', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.upload('kunden.csv', Buffer.from(EUROPEAN, 'latin1'));
  const card = page.getByTestId('file-card');
  await expect(card).toContainText('4 rows · 6 columns');
  await expect(card).toContainText('Windows-1252 (Latin-1) · semicolon-separated · decimal comma');
  await expect(cell(page, 1, 2)).toHaveText('1234.56');
  await expect(cell(page, 4, 2)).toHaveText('2500');
  await expect(cell(page, 2, 4)).toHaveText('2010-12-13');
  await expect(cell(page, 1, 5)).toHaveText('Köln');
  await expect(cell(page, 3, 5)).toHaveText('Malmö');
  await expect(cell(page, 1, 6)).toHaveText('12.5');
  await expect(cell(page, 3, 6)).toHaveText('—');
  await page.locator('details.reading-options summary').click();
  await mkdir(shots, { recursive: true });
  await page.locator('#understand').screenshot({ path: `${shots}07-european-file.png` });

  // Forcing the wrong delimiter re-reads the file; automatic brings it back.
  await page.getByTestId('read-delimiter').selectOption('comma');
  await expect(card).toContainText('comma-separated');
  await expect(card).not.toContainText('6 columns');
  await page.getByTestId('read-delimiter').selectOption('auto');
  await expect(card).toContainText('6 columns');
  await expect(cell(page, 1, 2)).toHaveText('1234.56');

  // Reading decimals the other way changes the numbers, as the user asked.
  await page.getByTestId('read-decimal').selectOption('point');
  await expect(cell(page, 2, 2)).not.toHaveText('987.1');
  await page.getByTestId('read-decimal').selectOption('auto');
  await expect(cell(page, 2, 2)).toHaveText('987.1');

  // A word for missing values.
  await page.getByTestId('read-missing').fill('Malmö');
  await page.getByTestId('read-missing').press('Tab');
  await expect(cell(page, 3, 5)).toHaveText('—');
});

test('a column that turns to words after the first 64 KB is read again as text', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  const lines = ['id,amount,visits'];
  for (let i = 0; lines.join('\n').length < 90_000; i++) lines.push(`${i},${(i % 100) + 0.5},${i % 7}`);
  lines.push('999999,not given,3');
  await app.upload('shifty.csv', lines.join('\n') + '\n');
  const card = page.getByTestId('file-card');
  await expect(card).toContainText(`${(lines.length - 1).toLocaleString('en-US')} rows · 3 columns`);
  await expect(kindShown(page, 2)).not.toHaveText(/number/);
  await expect(page.locator('[data-testid=preview] tbody tr:first-child td:nth-child(2)')).toHaveText('0.5');
});

test('cancelling a large file keeps what was loaded before', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await expect(page.getByTestId('file-card')).toHaveCount(2);

  // About 120 MB: long enough to cancel while it is being read.
  const path = join(tmpdir(), 'segmenta-large.csv');
  const lines = ['customer_id,spend,visits,days'];
  for (let i = 0; i < 4_000_000; i++) lines.push(`C${i},${(i % 997) * 1.25},${i % 31},${i % 365}`);
  await writeFile(path, lines.join('\n') + '\n');
  await page.getByTestId('file-input').setInputFiles(path);
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await expect(page.getByTestId('file-card')).toHaveCount(2);
  await expect(page.getByTestId('file-card').nth(1)).toContainText('sample_customers.csv');
  await expect(app.error()).toHaveCount(0);

  // Still usable.
  await app.run();
  expect(await app.segmentRows().count()).toBeGreaterThanOrEqual(2);
});

/** The file card's problems as `{row, message}`, in order. */
async function cardProblems(card) {
  const items = await card.locator('details.problems li').allTextContents();
  return items.map((text) => {
    const m = /^Row ([\d,]+) \(line [\d,]+\): (.*)$/s.exec(text);
    return { row: Number(m[1].replaceAll(',', '')), message: m[2] };
  });
}

/** What `segmenta inspect` reads in `path`. */
function inspect(path) {
  return JSON.parse(execFileSync(cli, ['inspect', path], { maxBuffer: 64 << 20 }).toString());
}

/** Order lines of a webshop, `n` of them, with odd rows where `odd(i)` says. */
function orderLines(n, odd = () => null) {
  const lines = [];
  for (let i = 0; i < n; i++) {
    lines.push(odd(i) ?? `C${i % 5000},${((i * 37) % 10007) / 100},${i % 13},"gift, wrapped ${i % 3}"`);
  }
  return lines;
}

test('a large file is read in parts by several workers, with the same rows and problems as the CLI', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  const n = 600_000;
  // Short rows near the start, the middle and the end; a word in a number column only
  // in the second half (the helper reading it finds out, and the file is read again).
  const odd = (i) =>
    i === 10 || i === n / 2 + 3 || i === n - 5 ? `C${i},1.5` : i === n - 1000 ? `C${i},2.5,none,"x"` : null;
  const path = join(tmpdir(), 'segmenta-parts.csv');
  await writeFile(path, ['customer,spend,visits,note', ...orderLines(n, odd)].join('\n') + '\n');
  await page.getByTestId('file-input').setInputFiles(path);
  const card = page.getByTestId('file-card');
  await expect(card).toHaveCount(1, { timeout: 60_000 });
  const want = inspect(path);
  await expect(card).toContainText(`${want.rows.toLocaleString('en-US')} rows · 4 columns`);
  expect(Number(await card.getAttribute('data-read-parts'))).toBeGreaterThan(1);
  expect(await cardProblems(card)).toEqual(want.problems.map(({ row, message }) => ({ row, message })));
  expect(want.columns.find((c) => c.name === 'visits').kind).not.toBe('integer');
  await expect(kindShown(page, 3)).not.toHaveText(/number/);
});

test('a cut inside a quoted line break reads the file again in one go', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  // The halves are the same size, so the cut between them falls inside the long note.
  const half = orderLines(300_000);
  const note = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
  const text = ['customer,spend,visits,note', ...half, `C1,1.5,2,"${note}"`, ...half].join('\n') + '\n';
  const path = join(tmpdir(), 'segmenta-quoted-cut.csv');
  await writeFile(path, text);
  await page.getByTestId('file-input').setInputFiles(path);
  const card = page.getByTestId('file-card');
  await expect(card).toHaveCount(1, { timeout: 60_000 });
  const want = inspect(path);
  await expect(card).toContainText(`${want.rows.toLocaleString('en-US')} rows · 4 columns`);
  expect(Number(await card.getAttribute('data-read-parts'))).toBe(1);
  await expect(card).toContainText('Read without problems');
});

test('a column’s kind is corrected in place, and the recipe reads the file the same way again', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  const rows = ['customer_id,spend,visits,store,notes'];
  for (let i = 0; i < 60; i++) {
    const spend = i === 5 ? 'twelve' : String(20 + (i % 3) * 80 + (i % 7));
    rows.push(`C${i},${spend},${2 + (i % 3) * 5},${(i % 3) + 1},Called on day ${i}`);
  }
  const csv = rows.join('\n') + '\n';
  await app.upload('customers.csv', csv);
  const kind = (column) => page.locator(`[data-testid=column-kind][data-column=${column}]`);
  const header = (n) => page.locator(`[data-testid=preview] thead th:nth-child(${n})`);
  await expect(kind('spend').locator('option:checked')).not.toHaveText(/number/);

  // One word in a column of numbers: read it as numbers, and the word is counted.
  await kind('spend').selectOption('number');
  await expect(kind('spend')).toHaveValue('number');
  await expect(page.getByTestId('column-note')).toHaveText('1 cell of “spend” is not a number; it counts as missing.');
  await expect(header(2)).toContainText('1 missing');
  await expect(page.locator('[data-testid=preview] tbody tr:nth-child(6) td:nth-child(2)')).toHaveText('—');
  await expect(kindShown(page, 4)).toHaveText('category');
  await kind('store').selectOption('id');
  await expect(kind('store')).toHaveValue('id');
  await expect(kindShown(page, 4)).toHaveText('id');
  await kind('visits').selectOption('personal');
  await expect(kind('visits')).toHaveValue('personal');
  await expect(kind('visits')).toHaveClass(/pii/);
  await expect(page.locator('[data-name=visits]')).toHaveCount(0);
  await expect(page.locator('[data-name=spend]')).toHaveCount(1);
  await mkdir(shots, { recursive: true });
  await page.locator('#understand').screenshot({ path: `${shots}08-column-kinds.png` });

  // The recipe keeps the choices, and reads the file the same way in a new session.
  await app.run();
  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-recipe').click()]);
  const recipe = JSON.parse(await readFile(await saved.path(), 'utf8'));
  expect(recipe.data.files[0].reading).toEqual({ columns: { spend: 'number', store: 'id', visits: 'personal' } });
  const path = join(tmpdir(), 'segmenta-recipe-kinds.json');
  await writeFile(path, JSON.stringify(recipe));
  await page.reload();
  await expect(page.getByTestId('load-sample')).toBeVisible();
  if (await page.getByTestId('file-card').count()) await page.getByTestId('remove-file').first().click();
  await expect(page.getByTestId('file-card')).toHaveCount(0);
  await app.upload('customers.csv', csv);
  await expect(kind('spend')).toHaveValue('');
  await page.getByTestId('segment-load-recipe').setInputFiles(path);
  await expect(kind('spend')).toHaveValue('number');
  await expect(kind('visits')).toHaveValue('personal');

  // Going back to what Segmenta read.
  await kind('spend').selectOption('');
  await expect(kind('spend')).toHaveValue('');
  await expect(page.getByTestId('column-note')).toHaveCount(0);
});
