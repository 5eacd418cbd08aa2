/**
 * Special functions for the analytic side of the distributions: the normal CDF (truncated
 * normal moments, lognormal CDF), its inverse, ln Gamma and the regularized incomplete gamma
 * function (gamma CDF, chi-squared critical values). Called at construction or in tests,
 * never per sample; all accurate to ~1e-14 or better over the ranges used.
 */
import * as fd from './fdlibm.js';

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const TINY = 1e-300;

/**
 * Complementary error function. |x| < 2: the everywhere-positive series
 * erf(x) = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (1*3*...*(2n+1)) (no cancellation);
 * x >= 2: the Laplace continued fraction erfc(x) = e^{-x^2}/sqrt(pi) / (x + 1/2/(x + 1/(x + 3/2/(x + ...)))),
 * evaluated with the modified Lentz method.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / SQRT_PI) * fd.exp(-x * x) * sum;
  }
  if (x > 27) return 0; // e^{-x^2} underflows
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    if (d === 0) d = TINY;
    c = x + a / c;
    if (c === 0) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return fd.exp(-x * x) / (SQRT_PI * f);
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return fd.exp(-0.5 * z * z) / SQRT_2PI;
}

/** Standard normal CDF, accurate in both tails (uses erfc, not 1 - erf). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT_2);
}

// Acklam's rational approximation of the normal quantile (relative error < 1.15e-9),
// refined below by one Halley step against normalCdf to full double precision.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Inverse of the standard normal CDF, p in (0, 1). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * fd.log(p));
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * fd.log(1 - p));
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  // Halley step; the upper tail works on the complement to keep precision.
  const e = p > 0.5 ? -(0.5 * erfc(x / SQRT_2) - (1 - p)) : 0.5 * erfc(-x / SQRT_2) - p;
  const u = e * SQRT_2PI * fd.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

// Lanczos approximation, g = 7, 9 coefficients (relative error ~1e-15).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0. */
export function lnGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
    return fd.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * fd.log(2 * Math.PI) + (z + 0.5) * fd.log(t) - t + fd.log(sum);
}

/**
 * Regularized lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a): the CDF at x of a
 * gamma distribution with shape a and scale 1. Series for x < a + 1, else the continued
 * fraction for Q = 1 - P (Numerical Recipes, section 6.2).
 */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  const lnPrefix = a * fd.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return Math.min(1, sum * fd.exp(lnPrefix));
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 10000; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.max(0, 1 - fd.exp(lnPrefix) * h);
}
