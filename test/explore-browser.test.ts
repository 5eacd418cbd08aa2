/**
 * The explore page in real headless Chromium: served by `bpfsim explore` and opened from the
 * `--html` file on disk, a page_cnt change made with the keyboard re-runs the model in the
 * page's worker, and the Result JSON it downloads is byte for byte `bpfsim run MODEL --set
 * output.pageCnt=N --json`. Also: no request leaves the page, no console error, every view draws,
 * and the time of a 0.2 s re-run in the page is printed (measured, not asserted; `npm run bench`
 * reports it too). Skips only when /usr/bin/chromium is absent.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.warn(`explore-browser: skipped, ${CHROMIUM} not found (apt-get install -y chromium)`);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/bpfsim.js');
const MODEL = 'models/default.yaml';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function cliJson(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, 'run', ...args, '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`bpfsim run failed: ${r.stderr}`);
  return r.stdout;
}

/** Opens the page and records what it asks the network for and what it reports as errors. */
async function open(browser: Browser, url: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const errors: string[] = [];
  const requests: string[] = [];
  const own = url.split('#')[0];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (u.split('#')[0] !== own && !u.startsWith('blob:')) requests.push(u);
  });
  await page.goto(url);
  return { page, errors, requests };
}

/** Completed main runs so far. */
const runs = (page: Page) => page.evaluate(() => Number(document.body.dataset.runs ?? 0));

/** Waits for a completed run of exactly these overrides. */
async function runOf(page: Page, set: string[], after: number): Promise<void> {
  await page.waitForFunction(
    ([want, n]) => Number(document.body.dataset.runs ?? 0) > (n as number) && document.body.dataset.set === want,
    [set.join('\n'), after] as const,
    { timeout: 90_000 },
  );
}

/** Moves the page_cnt slider with the keyboard, one option per key press, up to `value`. */
async function pageCntTo(page: Page, value: string): Promise<void> {
  const values = (await page.getAttribute('#knob-pageCnt', 'data-values'))!.split(',');
  const from = Number(await page.inputValue('#knob-pageCnt'));
  const to = values.indexOf(value);
  expect(to).toBeGreaterThanOrEqual(0);
  await page.focus('#knob-pageCnt');
  for (let i = from; i !== to; i += Math.sign(to - from)) await page.keyboard.press(to > from ? 'ArrowRight' : 'ArrowLeft');
}

async function downloadedResult(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  expect(download.suggestedFilename()).toBe('result.json');
  return readFileSync((await download.path())!, 'utf8');
}

describe.skipIf(!present)('explore page in headless Chromium', () => {
  let browser: Browser;
  let server: ChildProcess;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bpfsim-explore-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    server = spawn(process.execPath, [BIN, 'explore', MODEL, '--no-open', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (c) => {
        out += c;
        const m = /^bpfsim explore: (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(out);
        if (m) resolve(m[1]);
      });
      server.on('exit', (code) => reject(new Error(`bpfsim explore exited ${code}`)));
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('served: page_cnt moved with the keyboard, the downloaded Result equals bpfsim run --set output.pageCnt=64 --json', async () => {
    // Two replications: the background runs must not disturb the main run's Result.
    const { page, errors, requests } = await open(browser, `${url}#reps=2`);
    await runOf(page, [], 0);
    expect(await downloadedResult(page)).toBe(cliJson([MODEL]));
    const before = await runs(page);
    await pageCntTo(page, '64');
    await runOf(page, ['output.pageCnt=64'], before);
    const json = await downloadedResult(page);
    expect(json).toBe(cliJson([MODEL, '--set', 'output.pageCnt=64']));
    // The state is in the URL and in the command the page offers.
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain('set=output.pageCnt=64');
    expect(await page.inputValue('#cli')).toBe(`bpfsim run ${MODEL} --set output.pageCnt=64 --json`);
    // A link with that state opens the same model.
    const again = await open(browser, page.url());
    await runOf(again.page, ['output.pageCnt=64'], 0);
    expect(await downloadedResult(again.page)).toBe(json);
    expect([...errors, ...again.errors]).toEqual([]);
    expect([...requests, ...again.requests]).toEqual([]);
    await again.page.close();
    await page.close();
  }, 180_000);

  it('--html file opened from disk: the same, offline, and a 0.2 s re-run measured', async () => {
    const file = join(dir, 'explore.html');
    const w = spawnSync(process.execPath, [BIN, 'explore', MODEL, '--html', file], { cwd: ROOT, encoding: 'utf8' });
    expect(w.status, w.stderr).toBe(0);
    const { page, errors, requests } = await open(browser, `${pathToFileURL(file).href}#reps=1`);
    await runOf(page, [], 0);
    let before = await runs(page);
    await pageCntTo(page, '16');
    await runOf(page, ['output.pageCnt=16'], before);
    expect(await downloadedResult(page)).toBe(cliJson([MODEL, '--set', 'output.pageCnt=16']));

    // The default model at 0.2 s simulated: how long a re-run takes in the page.
    before = await runs(page);
    const t0 = Date.now();
    await page.evaluate(() => {
      const el = document.getElementById('knob-duration') as HTMLInputElement;
      el.value = String(el.dataset.values!.split(',').indexOf('200ms'));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await runOf(page, ['output.pageCnt=16', 'traffic.duration=200ms'], before);
    const wall = Date.now() - t0;
    const inPage = await page.evaluate(() => [Number(document.body.dataset.lastRunMs), Number(document.body.dataset.lastSimMs)]);
    console.log(`explore-browser: default model, 0.2 s simulated: ${inPage[0].toFixed(0)} ms in the page (simulation ${inPage[1].toFixed(0)} ms in the worker); ${wall} ms from the change to the result, with the 200 ms debounce`);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 180_000);

  it('every view draws its charts', async () => {
    const state = 'set=traffic.duration%3D100ms&reps=2&sweep.reps=1&sweep.from=4&sweep.to=16&sens.reps=1&sens.knobs=pageCnt,callback&cheap.max=4';
    const { page, errors } = await open(browser, `${url}#${state}`);
    await runOf(page, ['traffic.duration=100ms'], 0);
    const charts: Record<string, string[]> = { overview: ['loss', 'cpu-memory'], buffers: ['occupancy'], latency: ['latency'], sweep: ['sweep'], sensitivity: ['sensitivity'], cheapest: ['cheapest'] };
    for (const [view, names] of Object.entries(charts)) {
      await page.click(`nav.tabs button[data-view=${view}]`);
      if (['sweep', 'sensitivity', 'cheapest'].includes(view)) await page.waitForSelector(`#${view}-progress[data-done=true]`, { timeout: 90_000 });
      for (const name of names) {
        await page.waitForSelector(`#chart-${name} svg`, { timeout: 30_000 });
        const marks = await page.locator(`#chart-${name} svg .mark-rect path, #chart-${name} svg .mark-line path, #chart-${name} svg .mark-symbol path, #chart-${name} svg .mark-area path`).count();
        expect(marks, `${view}: ${name} draws marks`).toBeGreaterThan(0);
      }
    }
    expect(await page.locator('#sweep-table tbody tr').count()).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
