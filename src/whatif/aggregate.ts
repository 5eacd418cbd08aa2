/**
 * Replications -> means with Student-t confidence intervals, one per figure; and the paired
 * comparison of a variant with its base over common random numbers (replication r of both ran
 * with the same seed): the difference by a paired t interval, the ratio of means by the delta
 * method over the pairs.
 */
import { meanCI, relHalfWidth, studentT } from '../metrics/ci.js';
import type { Figures } from './figures.js';

export const CONFIDENCE = 0.95;

/** A figure over replications. halfWidth is Infinity (null in JSON) with one replication. */
export interface FigureCI {
  mean: number;
  lo: number;
  hi: number;
  halfWidth: number;
  /** Replications with a finite value of this figure. */
  n: number;
}

export type FigureCIs = Record<string, FigureCI>;

/** The values of every figure, over replications in the given order (non-finite values left out). */
export function figureColumns(samples: readonly Figures[]): Map<string, number[]> {
  const columns = new Map<string, number[]>();
  for (const figures of samples) {
    for (const [path, value] of Object.entries(figures)) {
      let col = columns.get(path);
      if (!col) columns.set(path, (col = []));
      if (Number.isFinite(value)) col.push(value);
    }
  }
  return columns;
}

/** Mean and CI of every figure over replications; figures never finite are left out. */
export function aggregateFigures(samples: readonly Figures[], level = CONFIDENCE): FigureCIs {
  const out: FigureCIs = {};
  for (const [path, values] of figureColumns(samples)) {
    if (values.length > 0) out[path] = figureCI(values, level);
  }
  return out;
}

function figureCI(values: number[], level: number): FigureCI {
  const ci = meanCI(values, level);
  return { mean: ci.mean, lo: ci.lo, hi: ci.hi, halfWidth: ci.halfWidth, n: ci.n };
}

/** One figure over replications; undefined when no replication has a finite value. */
export function aggregateFigure(samples: readonly Figures[], path: string, level = CONFIDENCE): FigureCI | undefined {
  const values = samples.map((f) => f[path]).filter((v) => v !== undefined && Number.isFinite(v));
  return values.length > 0 ? figureCI(values, level) : undefined;
}

/** Relative half-width of a figure (0 when every replication agreed). */
export function relativeHalfWidth(ci: FigureCI | undefined): number {
  return ci ? relHalfWidth(ci) : Infinity;
}

/** An interval estimate of a derived quantity. */
export interface Estimate {
  value: number;
  lo: number;
  hi: number;
}

export interface PairedChange {
  /** variant - base, paired t interval. */
  delta: Estimate;
  /** mean(variant) / mean(base), delta-method interval; absent when the base mean is 0. */
  ratio?: Estimate;
  n: number;
}

/**
 * Paired change of one figure. `base[i]` and `variant[i]` must come from the same seed. The
 * ratio of means R = mean(v)/mean(b) has, to first order, the variance of mean(v - R b) / mean(b)
 * (the delta method, as for a ratio estimator); with common random numbers v and b are
 * positively correlated, which is what makes this interval narrow.
 */
export function pairedChange(base: readonly number[], variant: readonly number[], level = CONFIDENCE): PairedChange | undefined {
  if (base.length !== variant.length) throw new RangeError(`pairedChange: ${base.length} base vs ${variant.length} variant replications`);
  const n = base.length;
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(base[i]) && Number.isFinite(variant[i])) pairs.push([base[i], variant[i]]);
  if (pairs.length === 0) return undefined;
  const m = pairs.length;
  const d = meanCI(pairs.map(([b, v]) => v - b), level);
  const delta = { value: d.mean, lo: d.lo, hi: d.hi };
  const mb = pairs.reduce((s, [b]) => s + b, 0) / m;
  const mv = pairs.reduce((s, [, v]) => s + v, 0) / m;
  if (mb === 0) return { delta, n: m };
  const r = mv / mb;
  let half = Infinity;
  if (m > 1) {
    const resid = pairs.map(([b, v]) => v - r * b); // mean exactly 0
    const sd = Math.sqrt(resid.reduce((s, x) => s + x * x, 0) / (m - 1));
    half = (studentT(m - 1, (1 + level) / 2) * sd) / (Math.sqrt(m) * Math.abs(mb));
  }
  return { delta, ratio: { value: r, lo: r - half, hi: r + half }, n: m };
}
