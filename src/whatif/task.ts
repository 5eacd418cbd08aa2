/**
 * One unit of experiment work: a resolved Scenario, its catalog and a seed -> the figures of
 * one run. Plain data in, plain data out, so the same function runs inline and in a worker
 * thread. Models are loaded and checked once, up front (base.ts), never again per replication:
 * a worker runs simulations only.
 */
import type { Scenario } from '../model/scenario.js';
import type { Catalog } from '../model/catalog-types.js';
import { runScenario } from '../simulation/simulate.js';
import { flattenFigures, type Figures } from './figures.js';

/** A point's run but for the seed: the model as it will run, every cost resolved. */
export interface PointTask {
  scenario: Scenario;
  /** The catalog the scenario was resolved from (with the model's cost overrides), for the static estimate. */
  catalog: Catalog;
}

export interface RunTask extends PointTask {
  /** The master seed of this replication (replaces the scenario's). */
  seed: number;
}

/** Simulates and flattens. */
export function runTask(task: RunTask): Figures {
  return flattenFigures(runScenario({ ...task.scenario, seed: task.seed }, task.catalog));
}
