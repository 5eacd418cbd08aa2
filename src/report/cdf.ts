/**
 * The cumulative distribution of a compact latency histogram, assuming values spread uniformly
 * within each bucket (so the CDF is linear inside a bucket and flat across empty gaps).
 */
import type { HistogramData } from '../result.js';

export interface CdfPoint {
  /** Latency, ns. */
  x: number;
  /** Fraction of values <= x, 0..1. */
  cdf: number;
}

export function histogramCdf(h: HistogramData): CdfPoint[] {
  const n = h.count.length;
  const total = h.count.reduce((a, b) => a + b, 0);
  if (n === 0 || total <= 0) return [];
  const points: CdfPoint[] = [];
  // A log axis cannot show 0: a first bucket starting at 0 begins at its upper bound instead.
  if (h.lower[0] > 0) points.push({ x: h.lower[0], cdf: 0 });
  let cum = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && h.lower[i] > h.upper[i - 1]) points.push({ x: h.lower[i], cdf: cum / total });
    cum += h.count[i];
    // The last point is exactly 1 whatever the rounding of the running sum.
    points.push({ x: h.upper[i], cdf: i === n - 1 ? 1 : cum / total });
  }
  return points;
}
