/**
 * Determinism: the same seed and model give byte-identical result JSON across runs, across
 * processes, whatever else ran before in the process, and whether runs go inline or to worker
 * threads (--jobs). Another seed gives another result (so these checks can fail).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { loadModel, loadModelObject, DEFAULT_MODEL_PATH } from '../src/model/load.js';
import { loadCatalog } from '../src/model/catalog.js';
import { runScenario } from '../src/simulation/simulate.js';
import { resultJson } from '../src/report/csv.js';
import { createExecutor } from '../src/whatif/pool.js';
import type { RunTask } from '../src/whatif/task.js';
import { fingerprintScenarios } from '../src/validate/fingerprint.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const catalog = loadCatalog('default');

/** The built-in default model, shortened. */
function defaultModel(seed?: number) {
  return loadModel({ duration: '30ms', set: ['traffic.warmup=5ms'], seed });
}

const jsonOf = (seed?: number) => {
  const m = defaultModel(seed);
  return resultJson(runScenario(m.scenario, m.catalog));
};

describe('same seed, same model, same bytes', () => {
  it('the default model twice in one process: identical JSON; another seed: different', () => {
    const a = jsonOf();
    expect(jsonOf()).toBe(a);
    expect(jsonOf(12345)).not.toBe(a);
    // Nothing time- or host-dependent in the result.
    expect(a).not.toMatch(/wall|elapsed|hostname|pid/i);
  });

  it('no state leaks between runs: A, then B, then A again gives the first A', () => {
    const runs = fingerprintScenarios().map((f) => f.scenario);
    const first = runs.map((s) => resultJson(runScenario(s, catalog)));
    const again = [...runs].reverse().map((s) => resultJson(runScenario(s, catalog))).reverse();
    expect(again).toEqual(first);
  });

  it('across --jobs: inline and a pool of two worker threads give identical figures per seed', async () => {
    const model = parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8')) as Record<string, unknown>;
    const { scenario, catalog: costs } = loadModelObject(model, DEFAULT_MODEL_PATH, { set: ['traffic.warmup=2ms'], duration: '10ms' });
    const tasks: RunTask[] = [1, 2, 3, 4].map((seed) => ({ scenario, catalog: costs, seed }));
    const runAll = async (jobs: number) => {
      const exec = createExecutor(jobs);
      try {
        return await Promise.all(tasks.map((t) => exec.run(t)));
      } finally {
        await exec.close();
      }
    };
    const inline = await runAll(1);
    const pooled = await runAll(2);
    expect(JSON.stringify(pooled)).toBe(JSON.stringify(inline));
    expect(inline[0]).not.toEqual(inline[1]); // the seeds do differ
  }, 60_000);

  it('the built CLI prints byte-identical --json in separate processes', () => {
    const bin = `${ROOT}bin/bpfsim.js`;
    expect(existsSync(`${ROOT}dist/cli/main.js`), 'dist/ is missing: run `npm run build` first').toBe(true);
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'run', '--json', '--duration', '30ms', '--set', 'traffic.warmup=5ms', ...args], { encoding: 'utf8', timeout: 60_000 });
    const a = run();
    const b = run();
    expect(a.status, a.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(run('--seed', '2').stdout).not.toBe(a.stdout);
  }, 60_000);
});
