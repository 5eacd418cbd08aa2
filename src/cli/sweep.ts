/**
 * `bpfsim sweep [MODEL] --vary PATH=V1,V2,...`: the model over a grid of values, replicated,
 * every figure with its CI; `--shard I/N` runs one share and writes a part file for `merge`.
 */
import type { Command } from 'commander';
import { loadModel } from '../model/load.js';
import type { NamedChart } from '../report/render.js';
import { emitOutput, modelAsRun } from './outputs.js';
import { checkOutputPaths, writeOutputFile } from './output-paths.js';
import { baseModel } from '../whatif/base.js';
import { HEADLINE_FIGURES } from '../whatif/figures.js';
import { parseVary } from '../whatif/grid.js';
import {
  addOutputOptions, addReplicationOptions, checkPlanBudget, jobsOption, parseFigureList, replicationPlan,
  type OutputOptions, type ReplicationOptions,
} from './whatif-options.js';
import { checkFigures, figureNames } from '../whatif/figure-names.js';
import { runSession } from './session.js';
import { inShard, makePart, parseShard, partJson } from '../whatif/shard.js';
import { runSweep, runSweepPoints, sweepJobs, type SweepResult, type SweepSpec } from '../whatif/sweep.js';
import { sweepChartSpec, sweepCsv, sweepJson, sweepTable, sweepTableData } from '../report/sweep-report.js';
import { addModelOptions, loaderOptions, type ModelOptions } from './options.js';

export interface SweepOptions extends ModelOptions, ReplicationOptions, OutputOptions {
  vary: string[];
  shard?: string;
  part?: string;
}

const PRECISION_DEFAULT = ['events.lostPct', 'cpu.kernelPctMean'];

export function registerSweep(program: Command): void {
  const cmd = program
    .command('sweep')
    .description('run a model over a grid of parameter values, every figure with a confidence interval')
    .argument('[model]', 'model file (YAML or JSON); the built-in default model when omitted')
    .option('--vary <path=values>', 'a field and its values: 8,16,32 or ranges 8..256x2, 1..4, 0.1..0.5+0.1 (repeatable: the grid of all combinations)', collect, []);
  addModelOptions(cmd);
  addReplicationOptions(cmd, PRECISION_DEFAULT.join(','));
  addOutputOptions(cmd)
    .option('--shard <I/N>', 'run only share I of N (0-based) and write a part file; combine with bpfsim merge')
    .option('--part <file>', 'part file to write with --shard [sweep.part-I-of-N.json]')
    .action(sweepAction);
}

/** The sweep command's work; `bpfsim run --replications N` is a sweep with no --vary. */
export async function sweepAction(model: string | undefined, o: SweepOptions): Promise<void> {
  const loaded = loadModel(loaderOptions(model, o));
  const spec: SweepSpec = { base: baseModel(loaded, o), vary: o.vary.map(parseVary), plan: replicationPlan(o, PRECISION_DEFAULT) };
  const { jobs } = sweepJobs(spec); // every point checked before anything runs
  checkPlanBudget(jobs.map((j) => j.task.scenario), spec.plan, o.force);
  const metrics = parseFigureList(o.metric) ?? [...HEADLINE_FIGURES];
  const known = figureNames(jobs[0].task);
  checkFigures(metrics, known, '--metric');
  if (spec.plan.precision) checkFigures(spec.plan.precision.figures, known, '--precision-on');
  const jobCount = jobsOption(o);

  if (o.shard !== undefined) {
    const shard = parseShard(o.shard);
    const file = o.part ?? `sweep.part-${shard.index}-of-${shard.count}.json`;
    checkOutputPaths('sweep', { part: file }); // the default name too, before the work
    const mine = jobs.filter((_, i) => inShard(shard, i)).length;
    const { value, interrupted, exitCode } = await runSession({ jobs: jobCount, planned: mine * spec.plan.replications, label: `shard ${shard.index}/${shard.count}` }, (exec, run) =>
      runSweepPoints(spec, exec, { ...run, only: (i) => inShard(shard, i) }),
    );
    writeOutputFile(file, partJson(makePart(spec, shard, value.points, !value.interrupted && !interrupted)));
    process.stderr.write(`bpfsim: shard ${shard.index}/${shard.count}: ${value.points.length} of ${jobs.length} points -> ${file}\n`);
    if (interrupted) process.exitCode = exitCode;
    return;
  }

  const { value, interrupted, exitCode } = await runSession({ jobs: jobCount, planned: jobs.length * spec.plan.replications, label: 'sweep' }, (exec, run) => runSweep(spec, exec, run));
  await writeSweepOutputs(value, o, metrics, modelAsRun(loaded));
  if (interrupted) process.exitCode = exitCode;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A figure name as a file stem. */
export function chartName(prefix: string, figure: string): string {
  return `${prefix}-${figure.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** Prints and writes a sweep result (shared with merge, so both give the same files). */
export async function writeSweepOutputs(result: SweepResult, o: OutputOptions, metrics: readonly string[], modelText?: string): Promise<void> {
  const charts: NamedChart[] = [];
  for (const m of metrics) {
    const spec = sweepChartSpec(result, m);
    if (spec) charts.push({ name: chartName('sweep', m), spec });
  }
  await emitOutput(
    {
      name: 'sweep',
      title: `${result.vary.length ? 'Sweep' : 'Replicated run'}: ${result.model}`,
      json: sweepJson(result),
      csv: sweepCsv(result),
      text: (color) => sweepTable(result, metrics, color),
      tables: [sweepTableData(result, metrics)],
      charts,
      modelText,
    },
    o,
  );
}
