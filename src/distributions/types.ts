import type { UniformSource } from '../engine/rng.js';

/**
 * A resolved probability distribution over non-negative numbers (durations in ns, mostly).
 * Plain data: a Scenario carries these, samplers are built from them (see ./sampler.ts).
 */
export type Dist =
  | { kind: 'const'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exponential'; mean: number }
  /** Normal truncated at 0 (redrawn while negative). */
  | { kind: 'normal'; mean: number; sd: number }
  /** Lognormal given by its own mean and coefficient of variation (not by mu/sigma). */
  | { kind: 'lognormal'; mean: number; cv: number }
  /** Gamma given by its mean and coefficient of variation (shape = 1/cv^2). */
  | { kind: 'gamma'; mean: number; cv: number }
  /** Resampling of observed values, with optional weights (same length). */
  | { kind: 'empirical'; values: number[]; weights?: number[] };

// The RNG's interface lives beside the RNG; samplers draw from it.
export type { UniformSource };

/** Draws from one distribution. Built once per scenario, called in the hot loop. */
export interface Sampler {
  sample(rng: UniformSource): number;
  readonly mean: number;
  /** Coefficient of variation (sd / mean); 0 for a constant. */
  readonly cv: number;
}
