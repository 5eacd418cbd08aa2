/**
 * `sweep`: a model over the grid of --vary values, each point replicated, every figure
 * aggregated with its CI. The result depends only on the spec and the runs (never on the number
 * of workers, the shard split or wall time), so a sharded-and-merged sweep is the same object.
 */
import type { Problem } from '../model/errors.js';
import { aggregateFigures, CONFIDENCE, type FigureCIs } from './aggregate.js';
import { prepareJobs, modelName, type BaseModel } from './base.js';
import { expandGrid, type GridPoint, type Vary } from './grid.js';
import type { Executor } from './pool.js';
import { runReplications, type PointJob, type ReplicationPlan, type Replication, type RunOptions } from './replicate.js';

export const SWEEP_FORMAT_VERSION = 1;

export interface SweepSpec {
  base: BaseModel;
  vary: Vary[];
  plan: ReplicationPlan;
}

export interface SweepPoint {
  index: number;
  /** --vary path -> value, in --vary order. */
  values: Record<string, string>;
  label: string;
  /** Replications that finished. */
  n: number;
  /** The precision goal was not met within the cap. */
  capped: boolean;
  figures: FigureCIs;
}

export interface SweepResult {
  kind: 'bpfsim-sweep';
  version: number;
  model: string;
  source: string;
  vary: Vary[];
  replications: { initial: number; precision: ReplicationPlan['precision'] | null };
  confidence: number;
  /** false when interrupted: some points have fewer replications than planned. */
  complete: boolean;
  points: SweepPoint[];
}

/** The finished runs of one point (what a part file stores). */
export interface PointRuns {
  index: number;
  capped: boolean;
  runs: Replication[];
}

/** The grid and, for each point, the job that runs it. Throws ModelError for a bad point. */
export function sweepJobs(spec: SweepSpec): { grid: GridPoint[]; jobs: PointJob[] } {
  const grid = expandGrid(spec.vary);
  const varyPaths = spec.vary.map((v) => v.path);
  const fromVary = (p: Problem): Problem =>
    p.file === '--set' && varyPaths.some((v) => p.path === v || p.path.startsWith(`${v}.`) || p.path.startsWith(`${v}[`)) ? { ...p, file: '--vary' } : p;
  const { jobs } = prepareJobs(
    spec.base,
    grid.map((g, i) => ({ model: spec.base.model, set: g.set, group: i, relabel: fromVary })),
  );
  return { grid, jobs };
}

/** Runs the points `only` selects (all by default: a shard passes its share). */
export async function runSweepPoints(
  spec: SweepSpec,
  exec: Executor,
  opts: RunOptions & { only?: (index: number) => boolean } = {},
): Promise<{ grid: GridPoint[]; points: PointRuns[]; interrupted: boolean }> {
  const { grid, jobs } = sweepJobs(spec);
  const chosen = grid.map((g) => g.index).filter((i) => opts.only?.(i) ?? true);
  const outcome = await runReplications(
    chosen.map((i) => jobs[i]),
    spec.plan,
    exec,
    opts,
  );
  const groups = [...new Set(chosen)].sort((a, b) => a - b);
  const points = chosen.map((index, k) => ({ index, capped: outcome.capped[groups.indexOf(index)] ?? false, runs: outcome.runs[k] }));
  return { grid, points, interrupted: outcome.interrupted };
}

/** The sweep result from runs (from one process, or merged from part files). */
export function assembleSweep(spec: SweepSpec, grid: GridPoint[], points: PointRuns[], complete: boolean): SweepResult {
  const byIndex = new Map(points.map((p) => [p.index, p]));
  return {
    kind: 'bpfsim-sweep',
    version: SWEEP_FORMAT_VERSION,
    model: modelName(spec.base),
    source: spec.base.file,
    vary: spec.vary,
    replications: { initial: spec.plan.replications, precision: spec.plan.precision ?? null },
    confidence: CONFIDENCE,
    complete,
    points: grid.map((g) => {
      const p = byIndex.get(g.index);
      const runs = p?.runs ?? [];
      return {
        index: g.index,
        values: Object.fromEntries(spec.vary.map((v, i) => [v.path, g.values[i]])),
        label: g.label,
        n: runs.length,
        capped: p?.capped ?? false,
        figures: aggregateFigures(runs.map((r) => r.figures)),
      };
    }),
  };
}

/** The whole sweep in this process. */
export async function runSweep(spec: SweepSpec, exec: Executor, opts: RunOptions = {}): Promise<SweepResult> {
  const { grid, points, interrupted } = await runSweepPoints(spec, exec, opts);
  return assembleSweep(spec, grid, points, !interrupted);
}
