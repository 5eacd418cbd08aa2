/**
 * One run as the explore page makes it: model text + overrides + seed -> Result JSON and figures,
 * through the same loader, simulation and JSON writer as `bpfsim run --json`. Host-free: the
 * worker calls it with the built-in catalogs embedded as data, tests call it in Node.
 */
import { runScenario } from '../simulation/simulate.js';
import type { Catalog } from '../model/catalog-types.js';
import { CatalogError } from '../model/catalog-overrides.js';
import { formatProblem, ModelError } from '../model/errors.js';
import { NO_FILES } from '../model/files.js';
import { loadModelText, type LoadEnv } from '../model/load-core.js';
import { resultJson } from '../report/csv.js';
import { flattenFigures } from '../whatif/figures.js';
import type { RunRequest, RunResponse } from './protocol.js';

/** Catalogs by name, as data: the page has no file system to read catalog files from. */
export function embeddedEnv(catalogs: Readonly<Record<string, Catalog>>): LoadEnv {
  return {
    catalog(ref) {
      const found = Object.hasOwn(catalogs, ref) ? catalogs[ref] : undefined;
      if (found) return structuredClone(found);
      throw new CatalogError([
        {
          file: ref,
          path: '',
          expected: `a built-in catalog (${Object.keys(catalogs).join(', ')})`,
          found: 'a catalog file, which the page cannot read',
          hint: 'run the model with `bpfsim run` to use a catalog file',
        },
      ]);
    },
    files: NO_FILES,
  };
}

export function runModel(env: LoadEnv, req: RunRequest, now: () => number): RunResponse {
  const t0 = now();
  try {
    const loaded = loadModelText(env, req.text, req.file, { set: req.set, ...(req.seed !== undefined ? { seed: req.seed } : {}) });
    const result = runScenario(loaded.scenario, loaded.catalog);
    const figures = flattenFigures(result);
    return { id: req.id, ok: true, figures, ms: now() - t0, ...(req.full ? { json: resultJson(result) } : {}) };
  } catch (e) {
    if (e instanceof ModelError) return { id: req.id, ok: false, problems: e.problems.map(formatProblem), internal: false };
    return { id: req.id, ok: false, problems: [`internal error: ${e instanceof Error ? e.message : String(e)}`], internal: true };
  }
}
