/**
 * Replications: N independent seeds per point, or as many as it takes (in rounds, up to a cap)
 * for the named figures' CIs to reach a relative half-width. Runs go to an Executor; results
 * are keyed by (point, replication) and kept in replication order, so neither the number of
 * workers nor the order in which runs finish changes anything.
 *
 * Seeds: replication r of a point whose model seed is S runs with master seed S + r. Every
 * point and every variant therefore sees the same replication seeds, and since the simulation's
 * random streams are named, the same arrivals and service draws: common random numbers.
 */
import { aggregateFigure, relativeHalfWidth } from './aggregate.js';
import type { Figures } from './figures.js';
import { StoppedError, type Executor } from './pool.js';
import type { PointTask, RunTask } from './task.js';

import { replicationSeed } from './seeds.js';

export { replicationSeed };

export interface PrecisionGoal {
  /** Relative half-width to reach, e.g. 0.05 for 5%. */
  target: number;
  /** The figures that must reach it. */
  figures: string[];
  /** Never more replications than this. */
  maxReplications: number;
}

export interface ReplicationPlan {
  /** Replications to start with (the count, when there is no precision goal). */
  replications: number;
  precision?: PrecisionGoal;
}

export interface PointJob {
  /** The run of this point, but for the seed. */
  task: PointTask;
  /** The point's model seed (after --seed / --set): replication r runs with seed + r. */
  seed: number;
  /**
   * Points of one group always have the same replications (a compare's base and variants, so
   * that they stay paired); the precision goal must hold for all of them.
   */
  group: number;
}

export interface Replication {
  rep: number;
  seed: number;
  figures: Figures;
}

export interface ReplicationOutcome {
  /** Per point, the finished replications in replication order. */
  runs: Replication[][];
  /** Stopped by the signal before everything ran. */
  interrupted: boolean;
  /** Per group: the precision goal was not reached within maxReplications. */
  capped: boolean[];
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called after each finished run with (finished, planned so far). */
  onProgress?: (done: number, total: number) => void;
}

interface Unit {
  point: number;
  rep: number;
  task: RunTask;
}

/** Runs the plan for every point. Rejects with the first run's error (a bad model, a fault). */
export async function runReplications(points: PointJob[], plan: ReplicationPlan, exec: Executor, opts: RunOptions = {}): Promise<ReplicationOutcome> {
  if (!Number.isInteger(plan.replications) || plan.replications < 1) {
    throw new RangeError(`replications must be an integer >= 1, got ${plan.replications}`);
  }
  const groups = [...new Set(points.map((p) => p.group))].sort((a, b) => a - b);
  const results: (Figures | undefined)[][] = points.map(() => []);
  const count = new Map<number, number>(groups.map((g) => [g, 0]));
  const capped = new Map<number, boolean>(groups.map((g) => [g, false]));
  let done = 0;
  let total = 0;

  const schedule = (g: number, upTo: number): Unit[] => {
    const from = count.get(g)!;
    count.set(g, upTo);
    const units: Unit[] = [];
    // Replication-major: every point gets replication 0 before any gets replication 1, so an
    // interrupted run still has something for every point.
    for (let rep = from; rep < upTo; rep++) {
      points.forEach((p, point) => {
        if (p.group === g) units.push({ point, rep, task: { ...p.task, seed: replicationSeed(p.seed, rep) } });
      });
    }
    return units;
  };

  let round = groups.flatMap((g) => schedule(g, plan.replications)).sort(unitOrder);
  let interrupted = false;
  while (round.length > 0) {
    total += round.length;
    opts.onProgress?.(done, total);
    interrupted = await runUnits(round, exec, opts.signal, (u, figures) => {
      results[u.point][u.rep] = figures;
      done++;
      opts.onProgress?.(done, total);
    });
    if (interrupted || !plan.precision) break;
    const goal = plan.precision;
    round = [];
    for (const g of groups) {
      const n = count.get(g)!;
      const worst = Math.max(
        0,
        ...points.flatMap((p, i) => (p.group === g ? goal.figures.map((f) => relativeHalfWidth(aggregateFigure(finished(results[i]), f))) : [])),
      );
      if (worst <= goal.target) continue;
      if (n >= goal.maxReplications) {
        capped.set(g, true);
        continue;
      }
      round.push(...schedule(g, nextCount(n, worst, goal)));
    }
    round.sort(unitOrder);
  }
  return {
    runs: results.map((rs, i) => rs.flatMap((figures, rep) => (figures ? [{ rep, seed: replicationSeed(points[i].seed, rep), figures }] : []))),
    interrupted,
    capped: groups.map((g) => capped.get(g)!),
  };
}

function finished(rs: (Figures | undefined)[]): Figures[] {
  return rs.filter((f): f is Figures => f !== undefined);
}

function unitOrder(a: Unit, b: Unit): number {
  return a.rep - b.rep || a.point - b.point;
}

/**
 * How many replications the next round brings a group to: the half-width shrinks as 1/sqrt(n),
 * so (worst / target)^2 x n is the estimate; at least one more, at most double (the estimate is
 * noisy at small n), never over the cap.
 */
export function nextCount(n: number, worst: number, goal: PrecisionGoal): number {
  const estimate = Number.isFinite(worst) ? Math.ceil(n * (worst / goal.target) ** 2) : 2 * n;
  return Math.min(goal.maxReplications, Math.max(n + 1, Math.min(2 * n, estimate)));
}

/**
 * Runs units with up to exec.size in flight. Returns true when stopped by the signal; rejects
 * with the first failure (after stopping the rest).
 */
async function runUnits(units: Unit[], exec: Executor, signal: AbortSignal | undefined, onDone: (u: Unit, f: Figures) => void): Promise<boolean> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const stop = () => void exec.close();
  signal?.addEventListener('abort', stop, { once: true });
  const lane = async () => {
    while (next < units.length && !failure && !signal?.aborted) {
      const u = units[next++];
      try {
        onDone(u, await exec.run(u.task));
      } catch (error) {
        if (error instanceof StoppedError || signal?.aborted) return;
        failure ??= { error };
        await exec.close();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(exec.size, units.length) }, lane));
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  if (failure) throw failure.error;
  return signal?.aborted === true;
}
