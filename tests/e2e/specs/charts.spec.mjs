// Seeing the segments: the customer map draws every customer coloured by segment, says
// who is under the pointer, isolates a segment from the legend and downloads as PNG.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { test, expect, SegmentaPage } from './fixtures.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;

/** Share of canvas pixels that are not background. */
async function inked(canvas) {
  return canvas.evaluate((el) => {
    const { data } = el.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, el.width, el.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n / (el.width * el.height);
  });
}

test('the customer map shows every segment, who is where, and isolates a segment', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await app.run();
  const map = page.getByTestId('scatter');
  await expect(map).toBeVisible();
  await expect(map).toHaveAttribute('data-draw-ms', /\d/);
  const all = await inked(map);
  expect(all).toBeGreaterThan(0.01);
  await expect(page.locator('.customer-map .x-title')).toContainText(/^Axis 1 — mostly .+ \(\d+% of the differences\) →$/);
  await expect(page.locator('.customer-map .y-title')).toContainText(/^↑ Axis 2 — /);

  // Hovering a dot names the customer and their segment.
  const dot = await map.evaluate((el) => {
    const { data } = el.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, el.width, el.height);
    for (let i = 3; i < data.length; i += 4 * 97) {
      if (data[i] > 150) {
        const p = (i - 3) / 4;
        const ratio = el.width / el.clientWidth;
        return { x: (p % el.width) / ratio, y: Math.floor(p / el.width) / ratio };
      }
    }
    return null;
  });
  expect(dot).not.toBeNull();
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  await page.mouse.move(box.x + dot.x, box.y + dot.y);
  await expect(page.locator('.map-tip')).toBeVisible();
  const tip = await page.locator('.map-tip').innerText();
  expect(tip).toMatch(/^C\d+ · [^·]+ · [a-z ]+ [-\d.,]+, [a-z ]+ [-\d.,]+/);

  await mkdir(shots, { recursive: true });
  await page.locator('.customer-map').screenshot({ path: `${shots}15-customer-map.png` });

  // The legend isolates a segment: fewer dots, and the entry says it is pressed.
  const entry = page.locator('.customer-map .legend-entry').nth(1);
  await entry.click();
  await expect(entry).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => inked(map)).toBeLessThan(all);
  await page.locator('.customer-map').screenshot({ path: `${shots}16-customer-map-isolated.png` });
  await entry.click();
  await expect(entry).toHaveAttribute('aria-pressed', 'false');

  // Zoom in: fewer customers in sight, each spread further apart; drag to move; show all.
  const before = await map.getAttribute('data-draw-ms');
  await expect(page.getByTestId('map-reset')).toBeDisabled();
  await page.getByTestId('map-zoom-in').click();
  await page.getByTestId('map-zoom-in').click();
  await expect(page.getByTestId('map-reset')).toBeEnabled();
  const zoomed = await inked(map);
  expect(zoomed).not.toBeCloseTo(all, 3);
  const b = await map.boundingBox();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2 + 120, b.y + b.height / 2 + 40, { steps: 4 });
  await page.mouse.up();
  await expect.poll(() => inked(map)).not.toBeCloseTo(zoomed, 4);
  await page.locator('.customer-map').screenshot({ path: `${shots}16b-customer-map-zoomed.png` });
  await page.getByTestId('map-reset').click();
  await expect(page.getByTestId('map-reset')).toBeDisabled();
  await expect.poll(() => inked(map)).toBeCloseTo(all, 5);
  expect(before).toBeTruthy();

  // SVG download: one circle per customer, the legend, no page variables left.
  const [svgFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('map-svg').click()]);
  expect(svgFile.suggestedFilename()).toBe('customer_map.svg');
  const svg = await readFile(await svgFile.path(), 'utf8');
  expect(svg.match(/<circle/g).length).toBeGreaterThan(1500);
  expect(svg).toContain('Axis 1 — mostly');
  expect(svg).not.toContain('var(--');
  await writeFile(`${shots}21-customer-map-export.svg`, svg);

  // PNG download: a real PNG file.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('map-png').click()]);
  expect(download.suggestedFilename()).toBe('customer_map.png');
  const png = await readFile(await download.path());
  expect(png.subarray(1, 4).toString()).toBe('PNG');
});

test('the neighbour map (UMAP) takes shape on the same canvas, and the flat map comes back', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await app.run();
  const map = page.getByTestId('scatter');
  await expect(map).toHaveAttribute('data-draw-ms', /\d/);
  const flat = await map.evaluate((el) => el.toDataURL());
  await expect(page.getByTestId('map-flat')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('map-note')).toContainText('principal components');

  await page.getByTestId('map-neighbours').click();
  await expect(page.getByTestId('map-neighbours')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('map-note')).toContainText('The neighbour map (UMAP): each customer sits next to', { timeout: 60_000 });
  await expect(page.locator('.customer-map .x-title')).toHaveText('neighbour map, axis 1 (no units) →');
  expect(await inked(map)).toBeGreaterThan(0.01);
  expect(await map.evaluate((el) => el.toDataURL())).not.toBe(flat);
  await page.locator('.customer-map').screenshot({ path: `${shots}38-neighbour-map.png` });

  // Back to the flat map, exactly as it was; the neighbour map is kept for the next switch.
  await page.getByTestId('map-flat').click();
  await expect(page.getByTestId('map-note')).toContainText('principal components');
  await expect(page.locator('.customer-map .x-title')).toContainText(/^Axis 1 — mostly/);
  await expect.poll(() => map.evaluate((el) => el.toDataURL())).toBe(flat);
  await page.getByTestId('map-neighbours').click();
  await expect(page.getByTestId('map-note')).toContainText('The neighbour map (UMAP)');
});

test('sizes, profile and k comparison charts draw and download as SVG and PNG', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await app.run();
  await mkdir(shots, { recursive: true });
  const expected = { sizes: 'rect', profile: 'rect', sweep: 'path', silhouette: 'path', distributions: 'rect', 'rfm-grid': 'rect' };
  for (const [name, mark] of Object.entries(expected)) {
    const chart = page.getByTestId(`chart-${name}`);
    await expect(chart).toBeVisible();
    const marks = await chart.locator(`svg ${mark}`).count();
    expect(marks, `${name} has ${mark} marks`).toBeGreaterThan(2);
    const box = await chart.locator('svg').first().boundingBox();
    expect(box.width).toBeGreaterThan(150);
    expect(box.height).toBeGreaterThan(80);
    await chart.screenshot({ path: `${shots}18-chart-${name}.png` });
  }
  // Titles are SVG titles (hover text), not HTML ones.
  const ns = await page.getByTestId('chart-profile').locator('svg g title').first().evaluate((el) => el.namespaceURI);
  expect(ns).toBe('http://www.w3.org/2000/svg');

  const sizes = page.getByTestId('chart-sizes');
  const [svgFile] = await Promise.all([page.waitForEvent('download'), sizes.getByText('Download SVG').click()]);
  expect(svgFile.suggestedFilename()).toBe('segmenta_sizes.svg');
  const svg = await readFile(await svgFile.path(), 'utf8');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).not.toContain('var(--');
  expect(svg).toContain('#0072b2');
  const [pngFile] = await Promise.all([page.waitForEvent('download'), sizes.getByText('Download PNG').click()]);
  expect(pngFile.suggestedFilename()).toBe('segmenta_sizes.png');
  const png = await readFile(await pngFile.path());
  expect(png.subarray(1, 4).toString()).toBe('PNG');
});

test('DBSCAN shows the k-distance curve with the suggested distance', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await page.locator('#algorithm-dbscan').check();
  await app.run();
  const chart = page.getByTestId('chart-k-distance');
  await expect(chart).toBeVisible();
  await expect(chart).toContainText(/suggested eps \d+\.\d{3}/);
  await expect(chart.locator('svg path.line')).toHaveAttribute('d', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){50,}$/);
  await mkdir(shots, { recursive: true });
  await chart.screenshot({ path: `${shots}19-chart-k-distance.png` });
});

test('hierarchical clustering shows the top of the tree with the cut', async ({ page }) => {
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await page.locator('#algorithm-hierarchical').check();
  await app.run();
  const chart = page.getByTestId('chart-dendrogram');
  await expect(chart).toBeVisible();
  await expect(chart.locator('svg path.tree-link')).toHaveCount(29);
  await expect(chart.locator('svg g rect')).toHaveCount(30);
  await mkdir(shots, { recursive: true });
  await chart.screenshot({ path: `${shots}20-chart-dendrogram.png` });
});

test('the map reads on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const app = new SegmentaPage(page);
  await app.open();
  await app.loadSample();
  await app.run();
  await expect(page.getByTestId('scatter')).toBeVisible();
  await mkdir(shots, { recursive: true });
  await page.locator('.customer-map').screenshot({ path: `${shots}17-customer-map-phone.png` });
});
