/** `bpfsim estimate [MODEL]`: the seed's static arithmetic for a model, no simulation. */
import type { Command } from 'commander';
import { loadModel } from '../model/load.js';
import { estimateStatic } from '../analysis/estimate.js';
import { formatEstimate, staticRating } from '../report/estimate.js';
import { addModelOptions, loaderOptions, type ModelOptions } from './options.js';
import { terminalColor } from './outputs.js';

export function registerEstimate(program: Command): void {
  addModelOptions(
    program
      .command('estimate')
      .description('the static estimate of a model: CPU = rate x cost, memory, log size, impact grade')
      .argument('[model]', 'model file (YAML or JSON); the built-in default model when omitted'),
  )
    .option('--json', 'print the estimate as JSON')
    .action((model: string | undefined, o: ModelOptions & { json?: boolean }) => {
      const { scenario, catalog } = loadModel(loaderOptions(model, o));
      const est = estimateStatic(scenario, catalog);
      if (o.json) {
        const out = { ...est, rating: staticRating(scenario, est) };
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      } else {
        process.stdout.write(formatEstimate(scenario, est, terminalColor()));
      }
    });
}
