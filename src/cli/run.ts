/** `bpfsim run [MODEL]`: the command and its options; the work is in run-action.ts, loaded when it runs. */
import type { Command } from 'commander';
import { addModelOptions } from './options.js';
import type { RunOptions } from './run-action.js';

export function registerRun(program: Command): void {
  addModelOptions(
    program
      .command('run')
      .description('simulate a model (the built-in default model when none is given) and report')
      .argument('[model]', 'model file (YAML or JSON)'),
  )
    .option('--json', 'print the Result as JSON (stable keys) instead of the summary')
    .option('--csv', 'print the occupancy time series as CSV instead of the summary')
    .option('--out <dir>', 'write result.json, timeseries.csv and summary.txt into DIR')
    .option('--report <file.html>', 'write a self-contained HTML report')
    .option('--chart <dir>', 'write the charts as vega-lite JSON, SVG and PNG into DIR')
    .option('--replications <n>', 'run N independent seeds (S, S+1, ...): every figure as mean and 95% CI (as `bpfsim sweep` without --vary)')
    .option('--precision <rel>', 'with replications: add them until the CI half-width is below this fraction, e.g. 5%')
    .option('--precision-on <figures>', 'figures the precision goal applies to [events.lostPct,cpu.kernelPctMean]')
    .option('--max-replications <n>', 'cap on replications under --precision [50]')
    .option('--jobs <n>', 'with replications: parallel runs [all cores]')
    .option('--metric <figures>', 'with replications: figures to show, comma-separated')
    .action(async (model: string | undefined, o: RunOptions) => (await import('./run-action.js')).runAction(model, o));
}
