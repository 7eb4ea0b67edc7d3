// Keeping segments current: a recipe saved in the page sorts next month's customers into
// the same segments, in the page and with `segmenta apply`, with the same result; and
// last month's labelled CSV shows who moved.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const cli = process.env.SEGMENTA_CLI ?? new URL('../../../target/debug/segmenta', import.meta.url).pathname;

/** Rows of a CSV file as objects (quoted cells with commas and doubled quotes allowed). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])));
}

/** Saves the download `click` starts as `name` in the test's folder. */
async function download(page, click, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(dir, name);
  await file.saveAs(path);
  return path;
}

let dir;

test('a recipe saved in the page sorts next month’s customers as segmenta apply does, and shows who moved', async ({ page }) => {
  test.setTimeout(240_000);
  dir = await mkdtemp(join(tmpdir(), 'segmenta-keep-'));
  const app = new SegmentaPage(page);

  // Month one: the sample data, segmented and renamed, then the recipe and labels saved.
  await app.open();
  await app.loadSample();
  await app.run();
  await page.getByTestId('segment-rename').first().click();
  await page.getByTestId('segment-name-input').fill('Our best');
  await page.getByTestId('segment-name-input').press('Enter');
  await expect(page.getByTestId('segment-card').first()).toContainText('Our best');
  const recipePath = await download(page, () => page.getByTestId('save-recipe').click(), 'recipe.json');
  const previousPath = await download(page, () => page.getByTestId('export-labels').click(), 'month1_labels.csv');
  const recipe = JSON.parse(await readFile(recipePath, 'utf8'));
  expect(recipe.model.names[0]).toBe('Our best');

  // Month two: 2,200 customers (the first 2,000 with the same ids), written by the CLI.
  const month = join(dir, 'month2');
  execFileSync(cli, ['sample', '--out-dir', month, '--customers', '2200', '--seed', '8'], { stdio: 'pipe' });
  const files = [join(month, 'sample_orders.csv'), join(month, 'sample_customers.csv')];

  // In the page: the new files, then the recipe; step 4 offers its saved segments.
  await app.open();
  await page.getByTestId('file-input').setInputFiles(files);
  await expect(page.getByTestId('customer-count')).toHaveText('2,200 customers');
  await page.getByTestId('segment-load-recipe').setInputFiles(recipePath);
  const saved = page.getByTestId('saved-segments');
  await expect(saved).toContainText('made by k-means from 2,000 customers');
  await expect(saved).toContainText('“Our best”');
  await expect(page.getByTestId('run')).toHaveText('Find new segments');
  await saved.screenshot({ path: `${shots}31-saved-segments.png` });
  await page.getByTestId('apply-saved').click();
  const kept = page.getByTestId('kept-panel');
  await expect(kept).toBeVisible();
  await expect(page.getByTestId('headline')).toContainText('among 2,200 customers');
  await expect(page.getByTestId('headline')).toContainText('not fitted again');
  await expect(page.getByTestId('segment-card').first()).toContainText('Our best');
  await expect(page.getByTestId('kept-size-row')).toHaveCount(recipe.model.names.length);
  await expect(page.getByTestId('drift-row')).toHaveCount(recipe.model.baseline.length);
  await expect(page.getByTestId('drift-verdict')).not.toBeEmpty();

  // Last month's labelled CSV: who moved, summing to every customer of this month.
  await page.getByTestId('migration-file').setInputFiles(previousPath);
  await expect(page.getByTestId('migration-sentences')).toContainText('New since last time: 200 customers.');
  await expect(page.getByTestId('migration-total')).toHaveAttribute('data-customers', '2200');
  const moved = await page.getByTestId('migration-row').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
  );
  const sum = (await page.getByTestId('migration-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.customers)))).reduce((a, b) => a + b, 0);
  expect(sum).toBe(2200);
  await expect(page.getByTestId('chart-migration').locator('path.flow-band')).toHaveCount(moved.length);
  await kept.screenshot({ path: `${shots}32-kept-segments.png` });
  await kept.locator('summary').click();
  const pageMigration = await download(page, () => page.getByTestId('migration-download').click(), 'page_migration.csv');
  const pageLabels = parseCsv(await readFile(await download(page, () => page.getByTestId('export-labels').click(), 'month2_labels.csv'), 'utf8'));

  // The CLI, with the same recipe and files: the same segment for every customer.
  const cliLabels = join(dir, 'cli_labels.csv');
  const cliMigration = join(dir, 'cli_migration.csv');
  execFileSync(cli, ['apply', '--recipe', recipePath, '--labels', cliLabels, '--previous', previousPath, '--migration', cliMigration, ...files], { stdio: 'pipe' });
  const fromCli = parseCsv(await readFile(cliLabels, 'utf8'));
  expect(pageLabels.length).toBe(2200);
  const assignment = (rows) => rows.map((r) => `${r.customer_id}:${r.segment}:${r.segment_name}`);
  expect(assignment(pageLabels)).toEqual(assignment(fromCli));
  const cliMoves = parseCsv(await readFile(cliMigration, 'utf8')).map((m) => [m.from, m.to, m.customers]);
  expect(moved.map(([from, to, n]) => [from, to, n.replace(/,/g, '')])).toEqual(cliMoves);
  expect(await readFile(pageMigration, 'utf8')).toBe(await readFile(cliMigration, 'utf8'));
});
