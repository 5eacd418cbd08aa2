/**
 * `bpfsim size [MODEL] --target-loss 0.1%`: the smallest perf buffer pageCnt or ringbuf size
 * that keeps lost events under the target, or why no size can.
 */
import type { Command } from 'commander';
import { loadModel } from '../model/load.js';
import { emitOutput, modelAsRun, type OutputFlags } from './outputs.js';
import { baseModel } from '../whatif/base.js';
import {
  addReplicationOptions, checkPlanBudget, jobsOption, parsePercent, replicationPlan, type ReplicationOptions,
} from './whatif-options.js';
import { runSession } from './session.js';
import { LOSS_FIGURE, parseSizeBound, runSize, type SizeSpec } from '../whatif/size.js';

/** Sizes a search may run: a bisection over powers of two (at most ~31) and the answer's neighbours. */
const SIZE_POINTS_AT_MOST = 34;
import { sizeChartSpec, sizeCsv, sizeJson, sizeText } from '../report/size-report.js';
import { UsageError } from './errors.js';
import { addModelOptions, loaderOptions, type ModelOptions } from './options.js';

interface SizeOptions extends ModelOptions, ReplicationOptions, OutputFlags {
  targetLoss?: string;
  min?: string;
  max?: string;
}

export function registerSize(program: Command): void {
  const cmd = program
    .command('size')
    .description('find the smallest perf buffer pageCnt (or ringbuf size) that keeps lost events under a target')
    .argument('[model]', 'model file; the built-in default model when omitted')
    .option('--target-loss <pct>', 'acceptable lost events, in percent (e.g. 0.1%); judged at the upper end of the 95% CI')
    .option('--min <size>', 'smallest size to consider: pages for a perf buffer (1), a size for a ringbuf (one page)')
    .option('--max <size>', 'largest size to consider: pages (16384) or a ringbuf size (1GiB)');
  addModelOptions(cmd);
  addReplicationOptions(cmd, LOSS_FIGURE)
    .option('--json', 'print the result as JSON')
    .option('--csv', 'print the loss curve as CSV')
    .option('--out <dir>', 'write size.json, size.csv and size.txt into DIR')
    .option('--chart <dir>', 'write the loss-vs-size chart into DIR')
    .option('--report <file.html>', 'write a self-contained HTML report')
    .action(async (model: string | undefined, o: SizeOptions) => {
      if (o.targetLoss === undefined) throw new UsageError('size: expected --target-loss, e.g. --target-loss 0.1%');
      const loaded = loadModel(loaderOptions(model, o));
      const kind = loaded.scenario.output.type;
      const pageSize = loaded.scenario.output.pageSize;
      const spec: SizeSpec = {
        base: baseModel(loaded, o),
        targetLossPct: parsePercent(o.targetLoss, '--target-loss'),
        plan: replicationPlan(o, [LOSS_FIGURE]),
        ...(o.min !== undefined ? { min: parseSizeBound(o.min, kind, pageSize, '--min') } : {}),
        ...(o.max !== undefined ? { max: parseSizeBound(o.max, kind, pageSize, '--max') } : {}),
      };
      checkPlanBudget(Array(SIZE_POINTS_AT_MOST).fill(loaded.scenario), spec.plan, o.force);
      const { value: result, interrupted, exitCode } = await runSession({ jobs: jobsOption(o), planned: 2 * spec.plan.replications, label: 'size' }, (exec, run) =>
        runSize(spec, loaded, exec, run),
      );
      const chart = sizeChartSpec(result);
      await emitOutput(
        {
          name: 'size',
          title: `Buffer size: ${loaded.scenario.name}`,
          json: sizeJson(result),
          csv: sizeCsv(result),
          text: (color) => sizeText(result, color),
          charts: chart ? [{ name: 'size', spec: chart }] : [],
          modelText: modelAsRun(loaded),
        },
        o,
      );
      if (interrupted) process.exitCode = exitCode;
    });
}
