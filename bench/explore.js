/**
 * The explore page's re-run time: the default model at 0.2 s simulated, re-run in headless
 * Chromium after a page_cnt change, measured by the page itself (from the worker request to the
 * Result back in the page, without the 200 ms debounce), beside the same run in this Node
 * process. Fastest of a few re-runs after the first. Skipped without /usr/bin/chromium.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadModel } from '../dist/model/load.js';
import { runScenario } from '../dist/simulation/simulate.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export async function runExplore(reruns = 5) {
  if (!existsSync(CHROMIUM)) return { skipped: `${CHROMIUM} not found` };
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-bench-'));
  const file = join(dir, 'explore.html');
  const w = spawnSync(process.execPath, [join(ROOT, 'bin/bpfsim.js'), 'explore', '--html', file], { encoding: 'utf8' });
  if (w.status !== 0) throw new Error(`bpfsim explore --html failed: ${w.stderr}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${pathToFileURL(file).href}#reps=1&set=traffic.duration%3D200ms`);
    const page_ = [];
    const sim = [];
    for (let i = 0; i <= reruns; i++) {
      await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) === n, i + 1, { timeout: 60_000 });
      if (i > 0) {
        page_.push(await page.evaluate(() => Number(document.body.dataset.lastRunMs)));
        sim.push(await page.evaluate(() => Number(document.body.dataset.lastSimMs)));
      }
      if (i === reruns) break;
      // Alternate page_cnt between 8 and 16: a new model each time.
      await page.evaluate((v) => {
        const el = document.getElementById('knob-pageCnt');
        el.value = String(el.dataset.values.split(',').indexOf(v));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }, i % 2 === 0 ? '16' : '8');
    }
    // The same runs in this process, after two to warm V8 up (the page's worker had its first run).
    const node = [];
    for (let i = -1; i < reruns + 1; i++) {
      const t0 = performance.now();
      const loaded = loadModel({ set: ['traffic.duration=200ms', `output.pageCnt=${i % 2 === 0 ? 16 : 8}`] });
      runScenario(loaded.scenario, loaded.catalog);
      if (i > 0) node.push(performance.now() - t0);
    }
    return { pageMs: Math.min(...page_), simMs: Math.min(...sim), nodeMs: Math.min(...node), runs: reruns };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
