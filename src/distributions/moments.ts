/**
 * Analytic moments of a Dist (mean, sd, cv), its validity rules and exact scaling.
 * The samplers take their `mean` / `cv` from here, so the two can never disagree.
 */
import type { Dist } from './types.js';
import { normalCdf, normalPdf } from '../math/special.js';

/**
 * Moments of a normal(mean, sd) truncated below at 0. With alpha = -mean/sd and
 * lambda = phi(alpha) / (1 - Phi(alpha)) (the inverse Mills ratio):
 * E = mean + sd*lambda, Var = sd^2 (1 + alpha*lambda - lambda^2).
 */
export function truncatedNormalMoments(mean: number, sd: number): { mean: number; sd: number } {
  if (sd === 0) return { mean, sd: 0 };
  const alpha = -mean / sd;
  const kept = normalCdf(-alpha); // 1 - Phi(alpha), computed without cancellation
  const lambda = normalPdf(alpha) / kept;
  const variance = sd * sd * (1 + alpha * lambda - lambda * lambda);
  return { mean: mean + sd * lambda, sd: Math.sqrt(Math.max(0, variance)) };
}

function weightedMoments(values: readonly number[], weights?: readonly number[]): { mean: number; sd: number } {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights ? weights[i] : 1;
    total += w;
    sum += w * values[i];
  }
  const mean = sum / total;
  let sq = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights ? weights[i] : 1;
    sq += w * (values[i] - mean) ** 2;
  }
  return { mean, sd: Math.sqrt(sq / total) };
}

/** Mean and standard deviation, analytic. */
export function distMoments(d: Dist): { mean: number; sd: number } {
  switch (d.kind) {
    case 'const':
      return { mean: d.value, sd: 0 };
    case 'uniform':
      return { mean: (d.min + d.max) / 2, sd: (d.max - d.min) / Math.sqrt(12) };
    case 'exponential':
      return { mean: d.mean, sd: d.mean };
    case 'normal':
      return truncatedNormalMoments(d.mean, d.sd);
    case 'lognormal':
    case 'gamma':
      return { mean: d.mean, sd: d.mean * d.cv };
    case 'empirical':
      return weightedMoments(d.values, d.weights);
  }
}

/** The mean (for `normal`, the mean after truncation at 0). */
export function distMean(d: Dist): number {
  return distMoments(d).mean;
}

/** Coefficient of variation sd / mean; 0 when the distribution is a point (mean 0 included). */
export function distCv(d: Dist): number {
  const { mean, sd } = distMoments(d);
  return sd === 0 ? 0 : sd / mean;
}

/** Sum of the means (the mean cost of a sequence of independent steps). */
export function sumMean(...dists: Dist[]): number {
  let total = 0;
  for (const d of dists) total += distMean(d);
  return total;
}

/**
 * The distribution of k * X for k >= 0 (e.g. the interpreter factor on a program's cost).
 * Every kind is closed under scaling; k = 0 gives the constant 0.
 */
export function scaleDist(d: Dist, k: number): Dist {
  if (!(k >= 0 && Number.isFinite(k))) throw new RangeError(`scaleDist: factor must be finite and >= 0, got ${k}`);
  if (k === 0) return { kind: 'const', value: 0 };
  switch (d.kind) {
    case 'const':
      return { kind: 'const', value: d.value * k };
    case 'uniform':
      return { kind: 'uniform', min: d.min * k, max: d.max * k };
    case 'exponential':
      return { kind: 'exponential', mean: d.mean * k };
    case 'normal':
      // Truncation at 0 commutes with scaling by k > 0.
      return { kind: 'normal', mean: d.mean * k, sd: d.sd * k };
    case 'lognormal':
      return { kind: 'lognormal', mean: d.mean * k, cv: d.cv };
    case 'gamma':
      return { kind: 'gamma', mean: d.mean * k, cv: d.cv };
    case 'empirical':
      return d.weights
        ? { kind: 'empirical', values: d.values.map((v) => v * k), weights: d.weights.slice() }
        : { kind: 'empirical', values: d.values.map((v) => v * k) };
  }
}

const nonNeg = (x: number): boolean => Number.isFinite(x) && x >= 0;
const positive = (x: number): boolean => Number.isFinite(x) && x > 0;

/** What is wrong with a Dist built in code (undefined if valid). Parsed Dists are always valid. */
export function distProblem(d: Dist): string | undefined {
  switch (d.kind) {
    case 'const':
      return nonNeg(d.value) ? undefined : `constant value must be finite and >= 0, got ${d.value}`;
    case 'uniform':
      if (!nonNeg(d.min) || !nonNeg(d.max)) return `uniform bounds must be finite and >= 0, got ${d.min}-${d.max}`;
      return d.min <= d.max ? undefined : `uniform needs min <= max, got ${d.min}-${d.max}`;
    case 'exponential':
      return positive(d.mean) ? undefined : `exponential mean must be > 0, got ${d.mean}`;
    case 'normal':
      if (!nonNeg(d.mean)) return `normal mean must be finite and >= 0, got ${d.mean}`;
      return nonNeg(d.sd) ? undefined : `normal sd must be finite and >= 0, got ${d.sd}`;
    case 'lognormal':
    case 'gamma':
      if (!positive(d.mean)) return `${d.kind} mean must be > 0, got ${d.mean}`;
      return nonNeg(d.cv) ? undefined : `${d.kind} cv must be finite and >= 0, got ${d.cv}`;
    case 'empirical': {
      if (d.values.length === 0) return 'empirical needs at least one value';
      if (!d.values.every(nonNeg)) return 'empirical values must be finite and >= 0';
      if (!d.weights) return undefined;
      if (d.weights.length !== d.values.length) return `empirical has ${d.values.length} values but ${d.weights.length} weights`;
      if (!d.weights.every(nonNeg)) return 'empirical weights must be finite and >= 0';
      return d.weights.some((w) => w > 0) ? undefined : 'empirical weights must not all be 0';
    }
  }
}
