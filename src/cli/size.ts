/**
 * `bpfsim size [MODEL] --target-loss 0.1%`: the smallest perf buffer pageCnt or ringbuf size
 * that keeps lost events under the target, or why no size can.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadModel } from '../model/load.js';
import { writeCharts } from '../report/render.js';
import { baseModel } from '../whatif/base.js';
import {
  addReplicationOptions, jobsOption, parsePercent, replicationPlan, type ReplicationOptions,
} from '../whatif/options.js';
import { runSession } from '../whatif/session.js';
import { LOSS_FIGURE, parseSizeBound, runSize, type SizeSpec } from '../whatif/size.js';
import { sizeChartSpec, sizeCsv, sizeJson, sizeText } from '../whatif/size-report.js';
import { UsageError } from './errors.js';
import { addModelOptions, loaderOptions, type ModelOptions } from './options.js';

interface SizeOptions extends ModelOptions, ReplicationOptions {
  targetLoss?: string;
  min?: string;
  max?: string;
  json?: boolean;
  csv?: boolean;
  out?: string;
  chart?: string;
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
      const { value: result, interrupted } = await runSession({ jobs: jobsOption(o), planned: 2 * spec.plan.replications, label: 'size' }, (exec, run) =>
        runSize(spec, loaded, exec, run),
      );
      const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
      if (o.json) process.stdout.write(sizeJson(result));
      else if (o.csv) process.stdout.write(sizeCsv(result));
      else process.stdout.write(sizeText(result, color));
      if (o.out) {
        mkdirSync(o.out, { recursive: true });
        writeFileSync(join(o.out, 'size.json'), sizeJson(result));
        writeFileSync(join(o.out, 'size.csv'), sizeCsv(result));
        writeFileSync(join(o.out, 'size.txt'), sizeText(result, false));
      }
      const chart = sizeChartSpec(result);
      if (o.chart && chart) await writeCharts(o.chart, [{ name: 'size', spec: chart }]);
      if (interrupted) process.exitCode = 130;
    });
}
