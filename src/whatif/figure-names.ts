/**
 * Figure names checked before a long experiment starts: a name the user asks for (--metric,
 * --precision-on, an experiment's figures) must be a figure of the model's runs.
 */
import { ModelError, didYouMeanHint } from '../model/errors.js';
import type { Figures } from './figures.js';
import { runTask, type PointTask } from './task.js';

/**
 * The figure names a model's runs have, from a 1 ms dry run (names depend on the model's
 * CPUs and rings, not on how long it runs): checked before a long experiment starts.
 */
export function figureNames(task: PointTask): Figures {
  const s = task.scenario;
  const short = { ...s, traffic: { ...s.traffic, duration: 1e6, warmup: 0 }, interval: 1e5 };
  return runTask({ scenario: short, catalog: task.catalog, seed: 0 });
}
/** Throws for names that are not figures of `known`, with a did-you-mean hint. */
export function checkFigures(names: readonly string[], known: Record<string, unknown>, option: string): void {
  const all = Object.keys(known);
  const problems = names
    .filter((n) => !Object.hasOwn(known, n))
    .map((n) => ({
      file: option, path: '', expected: 'a figure of the Result such as events.lostPct or latency.traced.p99', found: JSON.stringify(n),
      hint: didYouMeanHint(n, all, false) ?? 'figures are dotted paths of bpfsim run --json (numbers only)',
    }));
  if (problems.length) throw new ModelError(problems);
}
