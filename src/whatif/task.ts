/**
 * One unit of experiment work: a model object, its overrides and a seed -> the figures of one
 * run. Plain data in, plain data out, so the same function runs inline and in a worker thread.
 */
import { loadModelObject } from '../model/load.js';
import { runScenario } from '../simulation/simulate.js';
import { flattenFigures, type Figures } from './figures.js';

export interface RunTask {
  /** The model as plain data (a parsed YAML file, possibly transformed by a what-if). */
  model: Record<string, unknown>;
  /** Labels problems and anchors relative paths (trace files, catalog files). */
  file: string;
  /** `path=value` assignments: the user's --set first, then the sweep point's own. */
  set: string[];
  catalog?: string;
  duration?: string;
  force?: boolean;
  /** The master seed of this replication (overrides the model's). */
  seed: number;
}

/** Loads, simulates and flattens. Throws ModelError for a bad model. */
export function runTask(task: RunTask): Figures {
  const loaded = loadModelObject(task.model, task.file, {
    set: task.set,
    catalog: task.catalog,
    duration: task.duration,
    force: task.force,
    seed: task.seed,
  });
  return flattenFigures(runScenario(loaded.scenario, loaded.catalog));
}
