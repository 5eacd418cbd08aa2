/**
 * Experiments: experiments/<name>.yaml -> runs (through src/whatif) -> findings, charts, report.
 *
 *   const exp = loadExperiment(experimentPath('early-return'), { quick: true });
 *   const done = await runExperiment(exp, createExecutor(2));
 *   await writeExperiment('out/early-return', exp, done.result, done.charts);
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ModelError, didYouMeanHint } from '../model/errors.js';
import type { NamedChart } from '../report/render.js';
import type { Executor } from '../whatif/pool.js';
import type { RunOptions } from '../whatif/replicate.js';
import { buildCharts } from './charts.js';
import { executeExperiment, type RunOutcome } from './execute.js';
import { evaluateFinding } from './findings.js';
import type { Experiment } from './load.js';
import { assembleResult, type ExperimentResult } from './result.js';

export { loadExperiment, parseExperiment, type Experiment } from './load.js';
export { writeExperiment, summaryText, findingsText } from './output.js';
export type { ExperimentResult } from './result.js';
export type { FindingResult, FindingData } from './findings.js';

/** The package root: two levels up from src/experiments and from dist/experiments. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the shipped experiments live. */
export const EXPERIMENTS_DIR = resolvePath(PACKAGE_ROOT, 'experiments');

export interface ExperimentEntry {
  name: string;
  file: string;
  title: string;
}

/** The shipped experiments, by name. */
export function listExperiments(dir = EXPERIMENTS_DIR): ExperimentEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => extname(f) === '.yaml')
    .sort()
    .map((f) => {
      const file = resolvePath(dir, f);
      let title = '';
      try {
        const doc = parse(readFileSync(file, 'utf8')) as { title?: unknown } | null;
        if (doc && typeof doc.title === 'string') title = doc.title;
      } catch {
        title = '(unreadable)';
      }
      return { name: f.slice(0, -'.yaml'.length), file, title };
    });
}

/** A shipped experiment's name, or a path to an experiment file. Throws ModelError. */
export function experimentPath(nameOrPath: string, dir = EXPERIMENTS_DIR): string {
  const looksLikePath = /[/\\]/.test(nameOrPath) || /\.(ya?ml|json)$/.test(nameOrPath);
  if (looksLikePath) return resolvePath(nameOrPath);
  const entries = listExperiments(dir);
  const entry = entries.find((e) => e.name === nameOrPath);
  if (entry) return entry.file;
  const names = entries.map((e) => e.name);
  throw new ModelError([
    { file: 'bpfsim experiment', path: '', expected: `an experiment name (${names.join(', ')}) or an experiment file`, found: JSON.stringify(nameOrPath), hint: didYouMeanHint(nameOrPath, names, false) ?? 'bpfsim experiment --list shows them' },
  ]);
}

export interface ExperimentRun {
  result: ExperimentResult;
  charts: NamedChart[];
  runs: RunOutcome[];
  interrupted: boolean;
}

/** Runs an experiment's runs, then computes its findings and charts. */
export async function runExperiment(exp: Experiment, exec: Executor, opts: RunOptions = {}): Promise<ExperimentRun> {
  const { runs, interrupted } = await executeExperiment(exp, exec, opts);
  const byName = new Map(runs.map((r) => [r.name, r]));
  const findings = exp.def.findings.map((f) => evaluateFinding(f, byName));
  const charts = buildCharts(exp.def.charts, byName);
  return { result: assembleResult(exp, runs, findings, !interrupted), charts, runs, interrupted };
}

/** Runs (replications x points) an experiment plans: for the progress bar and worker count. */
export function plannedRuns(exp: Experiment): number {
  let n = 0;
  for (const r of exp.runs) {
    if (r.kind === 'points') n += r.points.length * r.replications;
    else if (r.kind === 'sweep') n += r.vary.reduce((k, v) => k * v.values.length, 1) * r.replications;
  }
  return n;
}
