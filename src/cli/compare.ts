/**
 * `bpfsim compare [MODEL] [VARIANT.yaml...] --what-if W`: the base model beside its variants,
 * run with common random numbers, gains as ratios with CIs.
 */
import type { Command } from 'commander';
import { loadModel } from '../model/load.js';
import { ModelError, type Problem } from '../model/errors.js';
import { emitOutput, modelAsRun } from './outputs.js';
import { baseModel } from '../whatif/base.js';
import { runCompare, type CompareSpec, type VariantSpec } from '../whatif/compare.js';
import { compareChartSpec, compareCsv, compareJson, compareTable, compareTableData } from '../report/compare-report.js';
import { HEADLINE_FIGURES } from '../whatif/figures.js';
import {
  addOutputOptions, addReplicationOptions, checkPlanBudget, jobsOption, parseFigureList, replicationPlan,
  type OutputOptions, type ReplicationOptions,
} from './whatif-options.js';
import { checkFigures, figureNames } from '../whatif/figure-names.js';
import { runSession } from './session.js';
import { parseWhatIf, WHATIF_HELP } from '../whatif/whatifs.js';
import { UsageError } from './errors.js';
import { addModelOptions, loaderOptions, type ModelOptions } from './options.js';

interface CompareOptions extends ModelOptions, ReplicationOptions, OutputOptions {
  whatIf: string[];
}

const PRECISION_DEFAULT = ['events.lostPct', 'cpu.kernelPctMean'];

export function registerCompare(program: Command): void {
  const cmd = program
    .command('compare')
    .description('compare a model with what-if variants under common random numbers (same seeds, same arrivals)')
    .argument('[model]', 'base model file; the built-in default model when omitted')
    .argument('[variants...]', 'variant model files (complete models; run with the base\'s seeds)')
    .option('--what-if <change>', `a built-in variant of the base (repeatable; combine with +): ${WHATIF_HELP}`, collect, []);
  addModelOptions(cmd);
  addReplicationOptions(cmd, PRECISION_DEFAULT.join(','));
  addOutputOptions(cmd).action(async (model: string | undefined, files: string[], o: CompareOptions) => {
    const loaded = loadModel(loaderOptions(model, o));
    const base = baseModel(loaded, o);
    const variants: VariantSpec[] = [];
    for (const file of files) {
      const v = loadModel(loaderOptions(file, o));
      variants.push({ name: file, model: v.raw, file: v.source });
    }
    const problems: Problem[] = [];
    for (const text of o.whatIf) {
      try {
        const w = parseWhatIf(text);
        variants.push({ name: w.label, model: w.apply(base.model), file: base.file });
      } catch (e) {
        if (!(e instanceof ModelError)) throw e;
        problems.push(...e.problems);
      }
    }
    if (problems.length) throw new ModelError(problems);
    if (variants.length === 0) throw new UsageError('compare: expected at least one variant: a --what-if (e.g. --what-if batch=64) or a variant model file');
    const names = new Set<string>();
    for (const v of variants) {
      if (names.has(v.name)) throw new UsageError(`compare: variant "${v.name}" given twice`);
      names.add(v.name);
    }
    const spec: CompareSpec = { base, variants, plan: replicationPlan(o, PRECISION_DEFAULT) };
    const metrics = parseFigureList(o.metric) ?? [...HEADLINE_FIGURES];
    const known = figureNames({ scenario: loaded.scenario, catalog: loaded.catalog });
    checkFigures(metrics, known, '--metric');
    if (spec.plan.precision) checkFigures(spec.plan.precision.figures, known, '--precision-on');

    // The variants' runs are as long as the base's but for what the change does to the rate.
    checkPlanBudget(Array(variants.length + 1).fill(loaded.scenario), spec.plan, o.force);
    const planned = (variants.length + 1) * spec.plan.replications;
    const { value: result, interrupted, exitCode } = await runSession({ jobs: jobsOption(o), planned, label: 'compare' }, (exec, run) => runCompare(spec, exec, run));
    await emitOutput(
      {
        name: 'compare',
        title: `Compare: ${result.model}`,
        json: compareJson(result),
        csv: compareCsv(result),
        text: (color) => compareTable(result, metrics, color),
        tables: [compareTableData(result, metrics)],
        charts: chartOf(compareChartSpec(result, metrics)),
        modelText: modelAsRun(loaded),
      },
      o,
    );
    if (interrupted) process.exitCode = exitCode;
  });
}

function chartOf(spec: object | undefined): { name: string; spec: object }[] {
  return spec ? [{ name: 'compare', spec }] : [];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
