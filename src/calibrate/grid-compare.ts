/**
 * Real against simulated, per cell of the validation grid: each figure's mean and 95% CI on
 * both sides (the real repetitions; one simulated replication per repetition, with that
 * run's own bare call cost and its own seed), the comparison as a ratio (percentage points
 * for loss), and a verdict per figure and per cell: within 25%, within 2x, or off.
 *
 * Error factor: max(sim/real, real/sim), computed on values with a small floor added (a
 * figure that is ~0 on both sides agrees). Loss also counts as agreeing by distance in
 * percentage points: 5 pp scores like 25%, 10 pp like 2x (a loss of 2% against 4% is not
 * "2x off" in any sense a user cares about).
 */
import type { Result } from '../result.js';
import type { ValidateRecord } from './records.js';
import { busyReason } from './quiet.js';
import { setupOf, simulateRun, type CellModelOptions } from './grid-model.js';
import { mean, sd } from './stats.js';

export type Verdict = 'within 25%' | 'within 2x' | 'off';

export interface FigureDef {
  key: string;
  label: string;
  unit: '/s' | '%' | 'ns';
  /** Added to both sides before the ratio. */
  floor: number;
  /** Counts in the cell's verdict. */
  verdict: boolean;
  real: (r: ValidateRecord) => number | undefined;
  sim: (res: Result, r: ValidateRecord) => number | undefined;
}

/** The measured window (after warm-up): throughput and CPU figures are over it. */
const simSeconds = (res: Result): number => Math.max(1e-9, (res.meta.simulatedNs - res.meta.warmupNs) / 1e9);
/** The whole run: the reader's wake-up counters count from its start. */
const wholeSeconds = (res: Result): number => Math.max(1e-9, res.meta.simulatedNs / 1e9);
const realSeconds = (r: ValidateRecord): number => Math.max(1e-9, r.traced.ns / 1e9);

export const FIGURES: readonly FigureDef[] = [
  {
    key: 'callRate', label: 'call rate', unit: '/s', floor: 0, verdict: true,
    real: (r) => r.traced.rate,
    sim: (res) => res.throughput.traced.deliveredPps,
  },
  {
    key: 'lossPct', label: 'events lost', unit: '%', floor: 0.5, verdict: true,
    real: (r) => (r.events.hits > 0 ? (100 * r.events.failed) / r.events.hits : 0),
    sim: (res) => res.events.lostPct,
  },
  {
    // a sleep of the reader that ended (woken, timed out, or slept its interval): what the
    // kernel counts as a voluntary context switch of the reader thread
    key: 'sleepsEnded', label: 'reader sleeps ended', unit: '/s', floor: 50, verdict: true,
    real: (r) => r.consumer.voluntarySwitches / realSeconds(r),
    sim: (res) => res.events.wakeups.sleepsEnded / wholeSeconds(res),
  },
  {
    // what tools report as wake-ups: poll calls that returned data
    key: 'pollsWithData', label: 'polls with data', unit: '/s', floor: 50, verdict: true,
    real: (r) => (r.consumer.pollsWithData === undefined ? undefined : r.consumer.pollsWithData / realSeconds(r)),
    sim: (res) => res.events.wakeups.pollsWithData / wholeSeconds(res),
  },
  {
    key: 'readerCpuPerEvent', label: 'reader CPU per event', unit: 'ns', floor: 50, verdict: true,
    real: (r) => r.consumer.cpuPerEventNs,
    sim: (res) => (res.events.consumed > 0 ? (res.cpu.consumerNsPerSec * simSeconds(res)) / res.events.consumed : 0),
  },
  {
    key: 'latencyP50', label: 'delivery latency p50', unit: 'ns', floor: 2000, verdict: true,
    real: (r) => r.latency?.p50Ns,
    sim: (res) => res.latency.eventDelay.p50 ?? undefined,
  },
  {
    // the tail on a shared VM is set by host preemptions the model is not told about: shown,
    // judged per figure, but not part of the cell's verdict
    key: 'latencyP99', label: 'delivery latency p99', unit: 'ns', floor: 2000, verdict: false,
    real: (r) => r.latency?.p99Ns,
    sim: (res) => res.latency.eventDelay.p99 ?? undefined,
  },
];

/** Two-sided 95% Student t quantiles by degrees of freedom (1..30); normal beyond. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export interface Estimate {
  n: number;
  mean: number;
  /** Half-width of the 95% CI of the mean (0 with one value). */
  ci: number;
  values: number[];
}

export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  const m = n ? mean(values) : NaN;
  const t = n >= 2 ? (T95[n - 2] ?? 1.96) : 0;
  return { n, mean: m, ci: n >= 2 ? (t * sd(values)) / Math.sqrt(n) : 0, values: [...values] };
}

export interface FigureComparison {
  key: string;
  label: string;
  unit: string;
  inVerdict: boolean;
  real: Estimate;
  sim: Estimate;
  /** sim / real (floors added). */
  ratio: number;
  /** sim - real, percentage points (loss only). */
  diffPp?: number;
  /** >= 1; the error the verdict is based on. */
  factor: number;
  verdict: Verdict;
}

export interface CellComparison {
  name: string;
  setup: ReturnType<typeof setupOf>;
  figures: FigureComparison[];
  /** Worst verdict over the figures that count. */
  verdict: Verdict;
  /** Largest error factor over the figures that count. */
  factor: number;
  /** Why some repetitions were measured on a busy host (undefined: all quiet). */
  busy?: string;
  busyRuns: number;
  notModelled: string[];
}

export function verdictOf(factor: number): Verdict {
  return factor <= 1.25 + 1e-9 ? 'within 25%' : factor <= 2 + 1e-9 ? 'within 2x' : 'off';
}

/** Distance in percentage points as an error factor: 5 pp ~ 1.25, 10 pp ~ 2. */
export function ppFactor(d: number): number {
  const a = Math.abs(d);
  return a <= 5 ? 1 + a / 20 : 1.25 + (a - 5) * 0.15;
}

export function compareFigure(def: FigureDef, real: Estimate, sim: Estimate): FigureComparison {
  const ratio = (sim.mean + def.floor) / (real.mean + def.floor);
  let factor = ratio > 0 && Number.isFinite(ratio) ? Math.max(ratio, 1 / ratio) : Infinity;
  let diffPp: number | undefined;
  if (def.unit === '%') {
    diffPp = sim.mean - real.mean;
    factor = Math.min(factor, ppFactor(diffPp));
  }
  return {
    key: def.key, label: def.label, unit: def.unit, inVerdict: def.verdict, real, sim, ratio,
    ...(diffPp !== undefined ? { diffPp } : {}), factor, verdict: verdictOf(factor),
  };
}

const ORDER: Verdict[] = ['within 25%', 'within 2x', 'off'];

export interface CompareOptions extends CellModelOptions {
  /** Figures (keys) that count in a cell's verdict; default: those marked `verdict`. */
  figures?: readonly string[];
}

/** One cell: its repetitions, each simulated once (seed = repetition number). */
export function compareCell(runs: readonly ValidateRecord[], o: CompareOptions): CellComparison {
  const sims = runs.map((r, i) => simulateRun(r, o, i + 1));
  const figures: FigureComparison[] = [];
  for (const def of FIGURES) {
    const real = runs.map((r) => def.real(r));
    const sim = sims.map((s, i) => def.sim(s.result, runs[i]));
    if (real.some((v) => v === undefined) || sim.some((v) => v === undefined)) continue;
    const f = compareFigure(def, estimate(real as number[]), estimate(sim as number[]));
    figures.push(o.figures ? { ...f, inVerdict: o.figures.includes(def.key) } : f);
  }
  const counted = figures.filter((f) => f.inVerdict);
  const factor = Math.max(1, ...counted.map((f) => f.factor));
  const reasons = runs.map(busyReason);
  const busyRuns = reasons.filter((x) => x !== undefined).length;
  return {
    name: runs[0].name,
    setup: setupOf(runs[0]),
    figures,
    verdict: counted.reduce<Verdict>((w, f) => (ORDER.indexOf(f.verdict) > ORDER.indexOf(w) ? f.verdict : w), 'within 25%'),
    factor,
    ...(busyRuns > 0 ? { busy: `${busyRuns}/${runs.length} runs on a busy host (${reasons.find((x) => x)})` } : {}),
    busyRuns,
    notModelled: [...new Set(sims.flatMap((s) => s.notModelled))],
  };
}

/** Groups recorded runs by cell, in the order cells first appear. */
export function groupRuns(records: readonly ValidateRecord[]): ValidateRecord[][] {
  const by = new Map<string, ValidateRecord[]>();
  for (const r of records) {
    const list = by.get(r.name) ?? [];
    list.push(r);
    by.set(r.name, list);
  }
  return [...by.values()];
}

export interface GridComparison {
  cells: CellComparison[];
  totals: { cells: number; within25: number; within2x: number; off: number; busy: number };
}

export function compareGrid(records: readonly ValidateRecord[], o: CompareOptions): GridComparison {
  const cells = groupRuns(records).map((runs) => compareCell(runs, o));
  cells.sort((a, b) => b.factor - a.factor || a.name.localeCompare(b.name));
  return {
    cells,
    totals: {
      cells: cells.length,
      within25: cells.filter((c) => c.verdict === 'within 25%').length,
      within2x: cells.filter((c) => c.verdict !== 'off').length,
      off: cells.filter((c) => c.verdict === 'off').length,
      busy: cells.filter((c) => c.busy).length,
    },
  };
}

/** "25%" -> 1.25, "2x" -> 2, "1.5" -> 1.5; undefined when not a tolerance. */
export function parseTolerance(text: string): number | undefined {
  const t = text.trim();
  let m = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (m) return 1 + Number(m[1]) / 100;
  m = /^(\d+(?:\.\d+)?)\s*x?$/.exec(t);
  if (m && Number(m[1]) >= 1) return Number(m[1]);
  return undefined;
}

/** Cells whose error is above the tolerance factor: those measured on a quiet host, or all. */
export function outsideTolerance(g: GridComparison, factor: number, includeBusy = false): CellComparison[] {
  return g.cells.filter((c) => (includeBusy || !c.busy) && c.factor > factor + 1e-9);
}
