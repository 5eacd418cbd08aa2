/**
 * Samplers: one small class per kind, built once per scenario, `sample(rng)` called in the hot
 * loop. No allocation per call and no state carried between calls (no cached spare normal),
 * so a sampler may be shared by several streams and each stream's sequence depends only on
 * its own draws.
 */
import type { Dist, Sampler, UniformSource } from './types.js';
import { distMoments, distProblem } from './moments.js';

export { distMean, distCv, distMoments, scaleDist, sumMean, distProblem } from './moments.js';

const TWO_PI = 2 * Math.PI;

/**
 * One standard normal variate by Box-Muller from two fresh uniforms; the sine twin is
 * discarded on purpose (caching it would couple consecutive calls).
 */
export function standardNormal(rng: UniformSource): number {
  const u1 = rng.double();
  const u2 = rng.double();
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(TWO_PI * u2); // 1 - u1 in (0, 1]
}

abstract class BaseSampler implements Sampler {
  readonly mean: number;
  readonly cv: number;
  constructor(d: Dist) {
    const { mean, sd } = distMoments(d);
    this.mean = mean;
    this.cv = sd === 0 ? 0 : sd / mean;
  }
  abstract sample(rng: UniformSource): number;
}

class ConstSampler extends BaseSampler {
  constructor(private readonly value: number) {
    super({ kind: 'const', value });
  }
  sample(_rng: UniformSource): number {
    return this.value;
  }
}

class UniformSampler extends BaseSampler {
  private readonly min: number;
  private readonly width: number;
  constructor(d: Extract<Dist, { kind: 'uniform' }>) {
    super(d);
    this.min = d.min;
    this.width = d.max - d.min;
  }
  sample(rng: UniformSource): number {
    return this.min + this.width * rng.double();
  }
}

/** Inverse CDF: -mean ln(1 - U). */
class ExponentialSampler extends BaseSampler {
  private readonly scale: number;
  constructor(d: Extract<Dist, { kind: 'exponential' }>) {
    super(d);
    this.scale = d.mean;
  }
  sample(rng: UniformSource): number {
    return -this.scale * Math.log(1 - rng.double());
  }
}

/** Normal(mean, sd) truncated at 0 by redrawing negatives (mean >= 0: at least half accepted). */
class TruncatedNormalSampler extends BaseSampler {
  private readonly mu: number;
  private readonly sd: number;
  constructor(d: Extract<Dist, { kind: 'normal' }>) {
    super(d);
    this.mu = d.mean;
    this.sd = d.sd;
  }
  sample(rng: UniformSource): number {
    for (;;) {
      const x = this.mu + this.sd * standardNormal(rng);
      if (x >= 0) return x;
    }
  }
}

/** exp(mu + sigma Z) with sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2. */
class LognormalSampler extends BaseSampler {
  private readonly mu: number;
  private readonly sigma: number;
  constructor(d: Extract<Dist, { kind: 'lognormal' }>) {
    super(d);
    const s2 = Math.log1p(d.cv * d.cv);
    this.sigma = Math.sqrt(s2);
    this.mu = Math.log(d.mean) - s2 / 2;
  }
  sample(rng: UniformSource): number {
    return Math.exp(this.mu + this.sigma * standardNormal(rng));
  }
}

/**
 * Gamma(shape 1/cv^2, scale mean cv^2) by Marsaglia & Tsang (2000), "A simple method for
 * generating gamma variables", ACM TOMS 26(3). Shape < 1: draw with shape + 1 and multiply by
 * U^(1/shape) (their boost).
 */
class GammaSampler extends BaseSampler {
  private readonly d: number;
  private readonly c: number;
  private readonly scale: number;
  private readonly boost: boolean;
  private readonly invShape: number;
  constructor(dist: Extract<Dist, { kind: 'gamma' }>) {
    super(dist);
    const shape = 1 / (dist.cv * dist.cv);
    this.scale = dist.mean / shape;
    this.boost = shape < 1;
    this.invShape = 1 / shape;
    this.d = (this.boost ? shape + 1 : shape) - 1 / 3;
    this.c = 1 / Math.sqrt(9 * this.d);
  }
  sample(rng: UniformSource): number {
    const d = this.d;
    let x: number;
    for (;;) {
      const z = standardNormal(rng);
      let v = 1 + this.c * z;
      if (v <= 0) continue;
      v = v * v * v;
      const u = rng.double();
      const z2 = z * z;
      if (u < 1 - 0.0331 * z2 * z2 || Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) {
        x = d * v;
        break;
      }
    }
    if (this.boost) x *= Math.pow(1 - rng.double(), this.invShape);
    return x * this.scale;
  }
}

/**
 * Weighted resampling by Walker's alias method (Vose's construction): O(1) per draw, one
 * uniform split into a column index and a coin.
 */
class EmpiricalSampler extends BaseSampler {
  private readonly values: Float64Array;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  private readonly n: number;
  constructor(dist: Extract<Dist, { kind: 'empirical' }>) {
    super(dist);
    const n = dist.values.length;
    this.n = n;
    this.values = Float64Array.from(dist.values);
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const weights = dist.weights ?? dist.values.map(() => 1);
    let total = 0;
    for (const w of weights) total += w;
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    // Leftovers are 1 up to rounding.
    for (const i of large) { this.prob[i] = 1; this.alias[i] = i; }
    for (const i of small) { this.prob[i] = 1; this.alias[i] = i; }
  }
  sample(rng: UniformSource): number {
    const u = rng.double() * this.n;
    let i = Math.floor(u);
    if (i >= this.n) i = this.n - 1; // u * n may round up to n
    return u - i < this.prob[i] ? this.values[i] : this.values[this.alias[i]];
  }
}

/**
 * Builds the sampler of a Dist. Degenerate cases (cv = 0, sd = 0) become constants. Throws a
 * RangeError for an invalid Dist (an internal fault: parsed Dists are valid).
 */
export function makeSampler(d: Dist): Sampler {
  const problem = distProblem(d);
  if (problem !== undefined) throw new RangeError(`invalid distribution: ${problem}`);
  switch (d.kind) {
    case 'const':
      return new ConstSampler(d.value);
    case 'uniform':
      return d.min === d.max ? new ConstSampler(d.min) : new UniformSampler(d);
    case 'exponential':
      return new ExponentialSampler(d);
    case 'normal':
      return d.sd === 0 ? new ConstSampler(d.mean) : new TruncatedNormalSampler(d);
    case 'lognormal':
      return d.cv === 0 ? new ConstSampler(d.mean) : new LognormalSampler(d);
    case 'gamma':
      return d.cv === 0 ? new ConstSampler(d.mean) : new GammaSampler(d);
    case 'empirical':
      return d.values.length === 1 ? new ConstSampler(d.values[0]) : new EmpiricalSampler(d);
  }
}
