// Browser benchmarks: the real app in headless Chromium, timed by the worker itself.
// Usage: node bench/browser.mjs <dist dir> <csv file> [runs]
// Prints one JSON object per workload: {"workload", "seconds" (best of runs), "runs", ...}.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';

const [dist, csv, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 3);
const port = 8199;
const server = spawn(process.execPath, [new URL('../server.mjs', import.meta.url).pathname, String(port)], {
  env: { ...process.env, SEGMENTA_DIST: dist },
  stdio: 'ignore',
});
await new Promise((r) => setTimeout(r, 500));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

function emit(workload, seconds, extra = {}) {
  console.log(JSON.stringify({ workload, seconds: Math.round(seconds * 10000) / 10000, runs, ...extra }));
}

try {
  const bytes = (await stat(csv)).size;
  const times = [];
  const memories = [];
  const waits = [];
  for (let i = 0; i < runs; i++) {
    // A fresh page each run, so memory is measured from a clean worker.
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/segmenta/`);
    await page.getByTestId('file-input').setInputFiles(csv);
    const card = page.getByTestId('file-card');
    await card.waitFor({ timeout: 600_000 });
    times.push(Number(await card.getAttribute('data-read-ms')) / 1000);
    memories.push(Number(await card.getAttribute('data-memory-bytes')));
    waits.push(Number(await card.getAttribute('data-wait-ms')) / 1000);
    await page.close();
  }
  const best = times.indexOf(Math.min(...times));
  emit('csv_parse_browser', times[best], { bytes, peak_wasm_memory_bytes: Math.max(...memories), waiting_for_file_seconds: waits[best], all: times });
} finally {
  await browser.close();
  server.kill();
}
