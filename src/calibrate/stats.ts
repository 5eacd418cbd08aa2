/**
 * Small statistics for calibration samples: quantiles, moments, a least-squares line, and the
 * two ways a set of samples becomes a catalog distribution.
 */
import type { Dist } from '../distributions/types.js';

/** Linear-interpolated quantile (type 7, as R and numpy by default) of unsorted values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n - 1). 0 for fewer than two values. */
export function sd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (values.length - 1));
}

/** Ordinary least squares y = intercept + slope * x. */
export function fitLine(points: readonly (readonly [number, number])[]): { intercept: number; slope: number } {
  const n = points.length;
  if (n < 2) throw new Error('a line needs two points');
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
  }
  if (sxx === 0) throw new Error('a line needs two distinct x values');
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

export interface Summary {
  n: number;
  mean: number;
  sd: number;
  min: number;
  p10: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    n: values.length,
    mean: mean(values),
    sd: sd(values),
    min: Math.min(...values),
    p10: quantile(values, 0.1),
    p50: quantile(values, 0.5),
    p90: quantile(values, 0.9),
    p99: quantile(values, 0.99),
    max: Math.max(...values),
  };
}

/**
 * Repetition means (each the average of many calls) become uniform over their [p10, p90],
 * clamped at 0 (a difference of two timings can dip below zero when the cost is under the
 * timer's resolution). Equal ends give a constant.
 */
export function spreadOfMeans(values: readonly number[]): Dist {
  const lo = Math.max(0, quantile(values, 0.1));
  const hi = Math.max(0, quantile(values, 0.9));
  return lo === hi ? { kind: 'const', value: lo } : { kind: 'uniform', min: lo, max: hi };
}

/**
 * Per-event samples (one wake-up each) become a lognormal with their mean and coefficient of
 * variation, computed over the values up to the 99th percentile so that a rare preemption of
 * the measuring thread does not set the tail.
 */
export function perEventDist(values: readonly number[]): Dist {
  const cut = quantile(values, 0.99);
  const kept = values.filter((v) => v <= cut && v >= 0);
  const m = mean(kept);
  if (!(m > 0)) return { kind: 'const', value: 0 };
  const cv = sd(kept) / m;
  return cv === 0 ? { kind: 'const', value: m } : { kind: 'lognormal', mean: m, cv };
}
