/**
 * The experiment result (experiment.json) and the tables of its runs, as plain data that the
 * terminal summary and the HTML report both render. Deterministic: the same experiment and
 * seeds give the same bytes (wall time is kept out).
 */
import { formatChange } from '../report/compare-report.js';
import type { CompareResult } from '../whatif/compare.js';
import type { SweepResult } from '../whatif/sweep.js';
import type { RejectOutcome, RunOutcome } from './execute.js';
import type { FindingResult } from './findings.js';
import type { Experiment } from './load.js';
import { columnFigure, columnTitle, type FigureColumn } from './schema.js';
import { formatEstimate } from './format.js';

export const EXPERIMENT_FORMAT_VERSION = 1;

export type RunResult =
  | { kind: 'sweep'; description?: string; result: SweepResult }
  | { kind: 'points'; description?: string; base?: string; result: CompareResult }
  | { kind: 'reject'; description?: string; rejects: RejectOutcome[] };

export interface ExperimentResult {
  kind: 'bpfsim-experiment';
  version: number;
  name: string;
  title: string;
  question: string;
  claim: string;
  /** The command that produced it. */
  command: string;
  quick: boolean;
  replications: number;
  /** false when interrupted: some points have fewer replications than planned. */
  complete: boolean;
  runs: Record<string, RunResult>;
  findings: FindingResult[];
}

export function experimentCommand(exp: Experiment): string {
  return `bpfsim experiment ${exp.name}${exp.quick ? ' --quick' : ''}`;
}

export function assembleResult(exp: Experiment, runs: RunOutcome[], findings: FindingResult[], complete: boolean): ExperimentResult {
  const out: Record<string, RunResult> = {};
  for (const [i, r] of runs.entries()) {
    const def = exp.runs[i];
    const description = def.description !== undefined ? { description: def.description } : {};
    if (r.kind === 'sweep') out[r.name] = { kind: 'sweep', ...description, result: r.result };
    else if (r.kind === 'points') out[r.name] = { kind: 'points', ...description, ...(def.kind === 'points' && def.base ? { base: def.base } : {}), result: r.result };
    else out[r.name] = { kind: 'reject', ...description, rejects: r.rejects };
  }
  return {
    kind: 'bpfsim-experiment',
    version: EXPERIMENT_FORMAT_VERSION,
    name: exp.name,
    title: exp.def.title,
    question: exp.def.question.trim(),
    claim: exp.def.claim.trim(),
    command: experimentCommand(exp),
    quick: exp.quick,
    replications: exp.replications,
    complete,
    runs: out,
    findings,
  };
}

export function resultJson(result: ExperimentResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

/** A run's table: headings and text cells (the terminal and the HTML page render the same). */
export interface RunTable {
  heading: string;
  columns: string[];
  rows: string[][];
  notes: string[];
}

export function runTable(name: string, run: RunResult, show: readonly FigureColumn[]): RunTable {
  if (run.kind === 'reject') {
    return {
      heading: `Run ${name}: models the kernel rules refuse`,
      columns: ['model', 'loader says'],
      rows: run.rejects.map((r) => [r.name, r.problems.length ? r.problems.join(' | ') : 'accepted']),
      notes: run.description ? [run.description.trim()] : [],
    };
  }
  const confidence = `mean ± half-width of the 95% CI over ${run.kind === 'sweep' ? 'n' : run.result.n} replications`;
  if (run.kind === 'sweep') {
    const paths = run.result.vary.map((v) => v.path);
    return {
      heading: `Run ${name}: sweep of ${paths.join(' x ')}`,
      columns: [...pathLabels(paths), 'n', ...show.map(columnTitle)],
      rows: run.result.points.map((p) => [...paths.map((path) => p.values[path]), String(p.n), ...show.map((c) => formatEstimate(columnFigure(c), p.figures[columnFigure(c)]))]),
      notes: [...(run.description ? [run.description.trim()] : []), confidence],
    };
  }
  const variants = run.result.variants;
  const columns = ['figure', ...variants.flatMap((v) => (v.changes ? [v.name, `vs ${run.base}`] : [v.name]))];
  const rows = show.map((c) => {
    const f = columnFigure(c);
    return [columnTitle(c), ...variants.flatMap((v) => (v.changes ? [formatEstimate(f, v.figures[f]), formatChange(f, v.changes[f])] : [formatEstimate(f, v.figures[f])]))];
  });
  const notes = [...(run.description ? [run.description.trim()] : []), `${confidence}; all points ran with seeds ${seedList(run.result.seeds)} (common random numbers)`];
  if (run.base) notes.push(`"vs ${run.base}": ratio of means with its paired CI (delta method), or the paired difference`);
  return { heading: `Run ${name}: ${variants.map((v) => v.name).join(', ')}`, columns, rows, notes };
}

function seedList(seeds: number[]): string {
  if (seeds.length > 2 && seeds.every((s, i) => s === seeds[0] + i)) return `${seeds[0]}..${seeds.at(-1)}`;
  return seeds.join(', ');
}

/** Column names for sweep paths: the last segment ("pageCnt"), the full path where two clash. */
export function pathLabels(paths: readonly string[]): string[] {
  const short = paths.map((p) => p.split('.').pop() ?? p);
  return paths.map((p, i) => (short.indexOf(short[i]) !== short.lastIndexOf(short[i]) ? p : short[i]));
}
