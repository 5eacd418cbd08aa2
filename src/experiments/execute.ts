/**
 * Running an experiment: every run's models become replicated jobs (src/whatif: prepareJobs,
 * expandGrid, runReplications on one executor, so the workers stay busy across runs), derived
 * figures are added per replication, and each run is aggregated: a sweep into the whatif
 * SweepResult, a points run into a CompareResult (paired changes against its base).
 */
import { loadModelObject } from '../model/load.js';
import { ModelError, formatProblem, type Problem } from '../model/errors.js';
import { aggregateFigures, CONFIDENCE, pairedChange, type PairedChange } from '../whatif/aggregate.js';
import { prepareJobs, type BaseModel } from '../whatif/base.js';
import { COMPARE_FORMAT_VERSION, type CompareResult } from '../whatif/compare.js';
import type { Figures } from '../whatif/figures.js';
import { expandGrid, type GridPoint } from '../whatif/grid.js';
import { checkFigures, figureNames } from '../whatif/figure-names.js';
import type { Executor } from '../whatif/pool.js';
import { runReplications, type PointJob, type Replication, type RunOptions } from '../whatif/replicate.js';
import { assembleSweep, type SweepResult, type SweepSpec } from '../whatif/sweep.js';
import { addDerived } from './derived.js';
import { references } from './expr.js';
import type { Experiment, ResolvedPoint, ResolvedRun } from './load.js';
import { columnFigure } from './schema.js';

export interface RejectOutcome {
  name: string;
  /** The loader's problem lines; empty when the model was (unexpectedly) accepted. */
  problems: string[];
}

/** A run's outcome: aggregated (what is written) and the replications (for paired findings). */
export type RunOutcome =
  | { kind: 'sweep'; name: string; result: SweepResult; grid: GridPoint[]; runs: Replication[][] }
  | { kind: 'points'; name: string; result: CompareResult; names: string[]; runs: Replication[][] }
  | { kind: 'reject'; name: string; rejects: RejectOutcome[] };

export interface ExecuteOutcome {
  runs: RunOutcome[];
  /** Stopped (Ctrl-C) before every replication ran. */
  interrupted: boolean;
}

interface Planned {
  run: ResolvedRun;
  jobs: PointJob[];
  grid?: GridPoint[];
  base?: BaseModel;
}

/** Says which run and point a model problem came from. */
function inRun(run: ResolvedRun, exp: Experiment, point?: string): (p: Problem) => Problem {
  return (p) => ({ ...p, file: `${p.file} (experiment ${exp.file}, run ${run.name}${point ? `, point ${point}` : ''})` });
}

function planSweep(run: Extract<ResolvedRun, { kind: 'sweep' }>, exp: Experiment, group: number): Planned {
  const grid = expandGrid(run.vary);
  const base: BaseModel = { model: run.source.model, file: run.source.file };
  const { jobs } = prepareJobs(
    base,
    grid.map((g, i) => ({ model: run.source.model, set: [...run.source.set, ...g.set], group: group + i, relabel: inRun(run, exp, g.label) })),
  );
  return { run, jobs, grid, base };
}

function planPoints(run: Extract<ResolvedRun, { kind: 'points' }>, exp: Experiment, group: number): Planned {
  const jobs = run.points.flatMap(
    (p) => prepareJobs({ model: p.model, file: p.file }, [{ model: p.model, set: p.set, group, relabel: inRun(run, exp, p.name) }]).jobs,
  );
  // Common random numbers: every point runs with the first point's seeds, as compare does.
  for (const j of jobs) j.seed = jobs[0].seed;
  return { run, jobs };
}

/** Loads every model of every run (no simulation): all problems at once, before any run starts. */
function plan(exp: Experiment): Planned[] {
  const problems: Problem[] = [];
  const planned: Planned[] = [];
  // Group numbers only need to differ between runs (and between a sweep's points).
  let group = 0;
  for (const run of exp.runs) {
    try {
      const p = run.kind === 'sweep' ? planSweep(run, exp, group) : run.kind === 'points' ? planPoints(run, exp, group) : { run, jobs: [] };
      planned.push(p);
      group += Math.max(1, p.jobs.length);
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new ModelError(problems);
  checkRunFigures(exp, planned);
  return planned;
}

/**
 * Figure names (shown, charted, used in findings and expressions) must exist: checked on 1 ms
 * dry runs of the run's models (names depend on CPUs and rings, so every point counts), so a
 * typo fails before minutes of simulation.
 */
function checkRunFigures(exp: Experiment, planned: Planned[]): void {
  const problems: Problem[] = [];
  for (const { run, jobs } of planned) {
    if (jobs.length === 0) continue;
    const known: Figures = Object.assign({}, ...jobs.map((j) => figureNames(j.task)));
    const names = new Set<string>();
    for (const d of run.derived) {
      for (const r of references(d.expr)) if (!Object.hasOwn(known, r.figure)) names.add(r.figure);
      known[d.name] = 0;
    }
    for (const c of run.show) names.add(columnFigure(c));
    for (const c of exp.def.charts.filter((c) => c.run === run.name)) {
      if (c.type === 'bars') c.figures.forEach((f) => names.add(columnFigure(f)));
      else {
        names.add(c.y);
        if (c.type === 'loss' && c.memory !== undefined) names.add(c.memory);
      }
    }
    for (const f of exp.def.findings) {
      const k = f.value ?? f.ratio ?? f.threshold ?? f.rank;
      if (k && k.run === run.name) names.add(k.figure);
      if (f.table && f.table.run === run.name) f.table.columns.forEach((c) => names.add(columnFigure(c)));
    }
    try {
      checkFigures([...names], known, `${exp.file} (run ${run.name})`);
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw new ModelError(problems);
}

/** Runs every run of the experiment on `exec`. Throws ModelError for a bad model or figure. */
export async function executeExperiment(exp: Experiment, exec: Executor, opts: RunOptions = {}): Promise<ExecuteOutcome> {
  const planned = plan(exp);
  // One runReplications per replication count (runs may ask for more than the experiment's).
  const reps = new Map<Planned, Replication[][]>();
  let interrupted = false;
  for (const n of [...new Set(planned.map((p) => p.run.replications))]) {
    const batch = planned.filter((p) => p.run.replications === n && p.jobs.length > 0);
    if (batch.length === 0 || interrupted) continue;
    const outcome = await runReplications(batch.flatMap((p) => p.jobs), { replications: n }, exec, opts);
    interrupted = outcome.interrupted;
    let offset = 0;
    for (const p of batch) {
      reps.set(p, outcome.runs.slice(offset, offset + p.jobs.length));
      offset += p.jobs.length;
    }
  }
  const runs = planned.map((p) => assemble(p, reps.get(p) ?? p.jobs.map(() => []), !interrupted, exp.name));
  return { runs, interrupted };
}

function assemble(p: Planned, reps: Replication[][], complete: boolean, experiment: string): RunOutcome {
  const run = p.run;
  if (run.kind === 'reject') return { kind: 'reject', name: run.name, rejects: run.points.map(rejectOutcome) };
  if (run.kind === 'sweep') {
    // Sweep points have no names to refer to: derived figures see their own point only.
    for (const rs of reps) for (const r of rs) addDerived(new Map([['', r.figures]]), run.derived);
    const spec: SweepSpec = { base: p.base!, vary: run.vary, plan: { replications: run.replications } };
    const points = p.grid!.map((g, i) => ({ index: g.index, capped: false, runs: reps[i] }));
    return { kind: 'sweep', name: run.name, result: assembleSweep(spec, p.grid!, points, complete), grid: p.grid!, runs: reps };
  }
  const names = run.points.map((pt) => pt.name);
  const paired = keepCommonReplications(reps);
  for (let r = 0; r < (paired[0]?.length ?? 0); r++) {
    addDerived(new Map(names.map((n, i) => [n, paired[i][r].figures])), run.derived);
  }
  return { kind: 'points', name: run.name, result: compareResult(run, paired, complete, experiment), names, runs: paired };
}

/** Replications every point finished (an interrupted run may leave some points behind). */
function keepCommonReplications(reps: Replication[][]): Replication[][] {
  if (reps.length === 0) return reps;
  const common = reps.map((rs) => new Set(rs.map((r) => r.rep))).reduce((a, b) => new Set([...a].filter((x) => b.has(x))));
  return reps.map((rs) => rs.filter((r) => common.has(r.rep)));
}

function compareResult(run: Extract<ResolvedRun, { kind: 'points' }>, reps: Replication[][], complete: boolean, experiment: string): CompareResult {
  const baseIndex = run.base !== undefined ? run.points.findIndex((p) => p.name === run.base) : -1;
  return {
    kind: 'bpfsim-compare',
    version: COMPARE_FORMAT_VERSION,
    model: `${experiment}: ${run.name}`,
    confidence: CONFIDENCE,
    n: reps[0]?.length ?? 0,
    seeds: (reps[0] ?? []).map((r) => r.seed),
    capped: false,
    complete,
    variants: run.points.map((pt, i) => ({
      name: pt.name,
      source: pt.file,
      figures: aggregateFigures(reps[i].map((r) => r.figures)),
      ...(baseIndex >= 0 && i !== baseIndex ? { changes: changes(reps[baseIndex], reps[i]) } : {}),
    })),
  };
}

function changes(base: Replication[], variant: Replication[]): Record<string, PairedChange> {
  const out: Record<string, PairedChange> = {};
  for (const path of Object.keys(variant[0]?.figures ?? {})) {
    const c = pairedChange(
      base.map((r) => r.figures[path] ?? NaN),
      variant.map((r) => r.figures[path] ?? NaN),
    );
    if (c) out[path] = c;
  }
  return out;
}

function rejectOutcome(p: ResolvedPoint): RejectOutcome {
  try {
    loadModelObject(p.model, p.file, { set: p.set });
    return { name: p.name, problems: [] };
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    return { name: p.name, problems: e.problems.map(formatProblem) };
  }
}
