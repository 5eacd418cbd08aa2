/**
 * Confidence intervals for the mean of independent replications (Student t).
 *
 * studentT inverts the t distribution's upper tail, Q(t) = 1/2 * I_{df/(df+t^2)}(df/2, 1/2)
 * (Abramowitz & Stegun 26.7.1 with 26.5.27), by bracketing and bisection. The regularized
 * incomplete beta I_x(a, b) is evaluated by its continued fraction with the modified Lentz
 * method, and ln Gamma by the Lanczos approximation (g = 7, 9 terms); both as in Numerical
 * Recipes, 3rd ed., sections 6.1 and 6.4. Bisection runs to float precision, so the quantile is
 * as accurate as I_x (about 1e-10 relative), far inside the 1e-4 needed; non-integer df work.
 */
import { deviation, mean } from 'd3-array';
import { lnGamma } from '../math/special.js';
import * as fd from '../math/fdlibm.js';

export { lnGamma };

/** Continued fraction for I_x(a, b), modified Lentz (Numerical Recipes betacf). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const EPS = 1e-15;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  throw new Error(`incomplete beta: continued fraction did not converge (x=${x}, a=${a}, b=${b})`);
}

/** Regularized incomplete beta I_x(a, b), 0 <= x <= 1, a, b > 0. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * fd.log(x) + b * fd.log1p(-x);
  const front = fd.exp(lnFront);
  // The continued fraction converges fast only below the mean a/(a+b): use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Upper tail P(T > t) of Student's t with df degrees of freedom, t >= 0. */
export function studentTUpperTail(t: number, df: number): number {
  return 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** The p-quantile of Student's t distribution with df > 0 degrees of freedom, 0 < p < 1. */
export function studentT(df: number, p: number): number {
  if (!(df > 0)) throw new RangeError(`studentT: df must be > 0, got ${df}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`studentT: p must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentT(df, 1 - p);
  const tail = 1 - p;
  let lo = 0;
  let hi = 1;
  while (studentTUpperTail(hi, df) > tail) {
    lo = hi;
    hi *= 2;
  }
  // Bisect until the bracket stops shrinking in float64.
  for (let i = 0; i < 2000; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (studentTUpperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

export interface MeanCI {
  mean: number;
  /** t(df = n-1, (1+level)/2) * sd / sqrt(n); Infinity when n = 1. */
  halfWidth: number;
  lo: number;
  hi: number;
  n: number;
  /** Sample standard deviation (n-1 denominator); NaN when n = 1. */
  sd: number;
}

/** Student-t confidence interval for the mean of xs (independent replications). */
export function meanCI(xs: number[], level = 0.95): MeanCI {
  if (!(level > 0 && level < 1)) throw new RangeError(`meanCI: level must be in (0, 1), got ${level}`);
  const n = xs.length;
  if (n === 0) throw new RangeError('meanCI: no values; expected at least one replication');
  for (let i = 0; i < n; i++) {
    // d3's mean skips NaN and null silently; a non-finite replication is a bug upstream.
    if (!Number.isFinite(xs[i])) throw new RangeError(`meanCI: xs[${i}] must be a finite number, got ${xs[i]}`);
  }
  const m = mean(xs) as number;
  if (n === 1) return { mean: m, halfWidth: Infinity, lo: -Infinity, hi: Infinity, n, sd: NaN };
  const sd = deviation(xs) as number;
  const halfWidth = (studentT(n - 1, (1 + level) / 2) * sd) / Math.sqrt(n);
  return { mean: m, halfWidth, lo: m - halfWidth, hi: m + halfWidth, n, sd };
}

/** Half-width relative to |mean| (the usual stopping rule); Infinity for a zero mean with spread. */
export function relHalfWidth(ci: Pick<MeanCI, 'mean' | 'halfWidth'>): number {
  if (ci.halfWidth === 0) return 0;
  return ci.halfWidth / Math.abs(ci.mean);
}
