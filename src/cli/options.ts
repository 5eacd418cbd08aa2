/** Options shared by the commands that load a model. */
import type { Command } from 'commander';
import { UsageError } from './errors.js';

export interface ModelOptions {
  set: string[];
  catalog?: string;
  seed?: string;
  duration?: string;
  force?: boolean;
}

export function addModelOptions(cmd: Command): Command {
  return cmd
    .option('--set <path=value>', 'override a model field, e.g. output.pageCnt=64 (repeatable)', collect, [])
    .option('--catalog <name|file>', 'cost catalog: default, static, or a catalog YAML file')
    .option('--seed <n>', 'master seed (overrides the model)')
    .option('--duration <time>', 'simulated time, e.g. 2s (overrides the model)')
    .option('--force', 'run even a model that would simulate a huge number of packets');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The loader options from parsed CLI options. */
export function loaderOptions(file: string | undefined, o: ModelOptions) {
  let seed: number | undefined;
  if (o.seed !== undefined) {
    seed = Number(o.seed);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed: expected an integer >= 0, got "${o.seed}"`);
  }
  return { file, set: o.set, catalog: o.catalog, seed, duration: o.duration, force: o.force };
}
