/**
 * End to end in a real browser: write the HTML report of a run, open it in headless Debian
 * Chromium, and check that it loads with no console error and no network request, and that every
 * chart region of the screenshot holds drawn pixels (not a blank box). Skips only when
 * /usr/bin/chromium is absent (CI installs the Debian package `chromium`).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../src/report/html.js';
import { loadFixture } from './fixtures/results.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.warn(`e2e-browser: skipped, ${CHROMIUM} not found (apt-get install -y chromium)`);

/** The flags of reference/toolchain.md: no sandbox (root), no GPU, nothing phoning home. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Share of pixels in a box of the screenshot that are not near-white. */
function inkedShare(img: PNG, box: { x: number; y: number; width: number; height: number }): number {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(img.height, Math.ceil(box.y + box.height));
  let inked = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * 4;
      if (img.data[i] < 235 || img.data[i + 1] < 235 || img.data[i + 2] < 235) inked++;
    }
  }
  return inked / Math.max(1, (x1 - x0) * (y1 - y0));
}

describe.skipIf(!present)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bpfsim-e2e-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads with no console error or request and draws every chart', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, await runReport(loadFixture('perf-4cpu-lossy'), 'name: conntrack tracer, per-packet events\n'));
    const url = pathToFileURL(file).href;

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });

    expect(await page.title()).toBe('bpfsim report: conntrack tracer, per-packet events');
    const figures = page.locator('figure.chart');
    expect(await figures.count()).toBe(3);
    // The axis titles are real text in the page, not only pixels.
    expect(await page.locator('#chart-occupancy svg text', { hasText: 'simulated time (ms)' }).count()).toBeGreaterThanOrEqual(1);

    const shot = PNG.sync.read(await page.screenshot({ fullPage: true }));
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    // Screenshot pixels per CSS pixel (1 unless the device scale factor changes).
    const ratio = shot.width / pageWidth;
    for (const name of ['latency', 'occupancy', 'cpu-vs-rate']) {
      const fig = page.locator(`#chart-${name}`);
      const box = (await fig.boundingBox())!;
      expect(box.width, `${name} width`).toBeGreaterThan(400);
      expect(box.height, `${name} height`).toBeGreaterThan(200);
      // boundingBox is relative to the viewport; the full-page shot starts at the top of the page.
      const scrollY = await page.evaluate(() => window.scrollY);
      const inked = inkedShare(shot, { x: box.x * ratio, y: (box.y + scrollY) * ratio, width: box.width * ratio, height: box.height * ratio });
      expect(inked, `${name}: share of drawn pixels`).toBeGreaterThan(0.03);
    }
    // A blank region really counts as blank: the empty margin right of the centred page.
    const main = (await page.locator('main').boundingBox())!;
    expect(inkedShare(shot, { x: (main.x + main.width + 2) * ratio, y: 0, width: 20, height: 400 })).toBeLessThan(0.01);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);
});
