/**
 * Samplers: built once per scenario, `sample(rng)` called in the hot loop. No allocation per
 * call and no state carried between calls (no cached spare normal), so a sampler may be shared
 * by several streams and each stream's sequence depends only on its own draws.
 *
 * Every kind is one class, `DistSampler`, with the kind as a number and its parameters in
 * fields, and one switch in `sample`: a call site then always sees the same class and V8 can
 * inline the draw (a class per kind made the planner's and consumer's call sites megamorphic).
 */
import type { Dist, Sampler, UniformSource } from './types.js';
import { distMoments, distProblem } from './moments.js';
import * as fd from '../math/fdlibm.js';

export { distMean, distCv, distMoments, scaleDist, sumMean, distProblem } from './moments.js';

// ---- standard normal: the ziggurat ----------------------------------------------------------

/**
 * The ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat Method for Generating Random
 * Variables", J. Stat. Softw. 5(8)) with 128 layers, in Doornik's form for floating-point
 * uniforms (Doornik 2005, "An Improved Ziggurat Method to Generate Normal Random Samples").
 * ZIG_X[i] are the layers' right edges (ZIG_X[0] the base strip's equivalent width, ZIG_X[128] = 0),
 * ZIG_RATIO[i] = ZIG_X[i + 1] / ZIG_X[i]: a point below it lies inside the curve for sure.
 */
const ZIG_LAYERS = 128;
const ZIG_R = 3.442619855899; // right edge of the base layer (the tail starts here)
const ZIG_V = 9.91256303526217e-3; // area of each layer
const ZIG_X = new Float64Array(ZIG_LAYERS + 1);
const ZIG_RATIO = new Float64Array(ZIG_LAYERS);
{
  let f = fd.exp(-0.5 * ZIG_R * ZIG_R);
  ZIG_X[0] = ZIG_V / f;
  ZIG_X[1] = ZIG_R;
  ZIG_X[ZIG_LAYERS] = 0;
  for (let i = 2; i < ZIG_LAYERS; i++) {
    ZIG_X[i] = Math.sqrt(-2 * fd.log(ZIG_V / ZIG_X[i - 1] + f));
    f = fd.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  for (let i = 0; i < ZIG_LAYERS; i++) ZIG_RATIO[i] = ZIG_X[i + 1] / ZIG_X[i];
}

/**
 * One standard normal variate. Each try takes one 53-bit uniform: its top 7 bits pick the
 * layer, the remaining 46 (independent of them) give a uniform in [-1, 1) across it. About 99%
 * of tries end at the first comparison; the rest test the wedge or draw from the tail
 * (Marsaglia 1964) with fresh uniforms.
 */
export function standardNormal(rng: UniformSource): number {
  for (;;) {
    const w = rng.double() * ZIG_LAYERS;
    const i = w | 0;
    const u = 2 * (w - i) - 1;
    if (Math.abs(u) < ZIG_RATIO[i]) return u * ZIG_X[i];
    if (i === 0) {
      // The tail beyond ZIG_R.
      let x: number;
      let y: number;
      do {
        x = fd.log(1 - rng.double()) / ZIG_R;
        y = fd.log(1 - rng.double());
      } while (-2 * y < x * x);
      return u < 0 ? x - ZIG_R : ZIG_R - x;
    }
    // The wedge between the layer's inner rectangle and the curve.
    const x = u * ZIG_X[i];
    const f0 = fd.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x));
    const f1 = fd.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x));
    if (f1 + rng.double() * (f0 - f1) < 1) return x;
  }
}

// ---- standard exponential: the ziggurat ----------------------------------------------------

/**
 * The exponential ziggurat of the same paper (Marsaglia & Tsang 2000) with 256 layers: EXP_X[i]
 * are the layers' right edges (EXP_X[0] the base strip's equivalent width, EXP_X[256] = 0),
 * EXP_F[i] = exp(-EXP_X[i]). It replaces the inverse CDF's logarithm on about 99% of draws.
 */
const EXP_LAYERS = 256;
const EXP_R = 7.69711747013104972; // where the tail starts
const EXP_V = 3.949659822581572e-3; // area of each layer
const EXP_X = new Float64Array(EXP_LAYERS + 1);
const EXP_F = new Float64Array(EXP_LAYERS + 1);
const EXP_RATIO = new Float64Array(EXP_LAYERS);
{
  EXP_X[0] = EXP_V / fd.exp(-EXP_R);
  EXP_X[1] = EXP_R;
  for (let i = 2; i < EXP_LAYERS; i++) EXP_X[i] = -fd.log(EXP_V / EXP_X[i - 1] + fd.exp(-EXP_X[i - 1]));
  EXP_X[EXP_LAYERS] = 0;
  for (let i = 0; i <= EXP_LAYERS; i++) EXP_F[i] = fd.exp(-EXP_X[i]);
  for (let i = 0; i < EXP_LAYERS; i++) EXP_RATIO[i] = EXP_X[i + 1] / EXP_X[i];
}

/**
 * One standard exponential variate (mean 1). A try takes one 53-bit uniform: the top 8 bits
 * pick the layer, the other 45 give the position across it; the wedge test and the tail
 * (memoryless: EXP_R plus a fresh exponential) take more uniforms.
 */
export function standardExponential(rng: UniformSource): number {
  for (;;) {
    const w = rng.double() * EXP_LAYERS;
    const i = w | 0;
    const u = w - i;
    if (u < EXP_RATIO[i]) return u * EXP_X[i];
    if (i === 0) return EXP_R - fd.log(1 - rng.double());
    const x = u * EXP_X[i];
    if (EXP_F[i] + rng.double() * (EXP_F[i + 1] - EXP_F[i]) < fd.exp(-x)) return x;
  }
}

// ---- samplers ------------------------------------------------------------------------------

const K_CONST = 0;
const K_UNIFORM = 1;
const K_EXPONENTIAL = 2;
const K_NORMAL = 3;
const K_LOGNORMAL = 4;
const K_GAMMA = 5;
const K_EMPIRICAL = 6;

const NO_VALUES = new Float64Array(0);
const NO_ALIAS = new Int32Array(0);

/**
 * What each kind keeps in a, b, c (and d, e for gamma):
 *  - const: a = value
 *  - uniform: a = min, b = max - min
 *  - exponential: a = mean (mean x a standard exponential by the ziggurat)
 *  - normal, truncated at 0 by redrawing negatives (mean >= 0: at least half accepted): a = mean, b = sd
 *  - lognormal: exp(a + b Z) with b^2 = ln(1 + cv^2), a = ln(mean) - b^2 / 2
 *  - gamma (shape 1/cv^2, scale mean cv^2) by Marsaglia & Tsang (2000), "A simple method for
 *    generating gamma variables", ACM TOMS 26(3); shape < 1 draws with shape + 1 and multiplies
 *    by U^(1/shape) (their boost): a = d, b = c, c = scale, d = 1/shape, e = 1 when boosted
 *  - empirical, by Walker's alias method (Vose's construction): O(1) per draw, one uniform
 *    split into a column index and a coin: values, prob, alias; a = number of values
 */
class DistSampler implements Sampler {
  // `declare` numeric fields are set in the constructor only (no ES2022 field definition as
  // undefined first, after which V8 would keep each float as a separate heap number).
  declare readonly mean: number;
  declare readonly cv: number;
  private declare readonly kind: number;
  private declare readonly a: number;
  private declare readonly b: number;
  private declare readonly c: number;
  private declare readonly d: number;
  private declare readonly e: number;
  private readonly values: Float64Array;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(
    dist: Dist,
    kind: number,
    a: number,
    b = 0,
    c = 0,
    d = 0,
    e = 0,
    values = NO_VALUES,
    prob = NO_VALUES,
    alias = NO_ALIAS,
  ) {
    const { mean, sd } = distMoments(dist);
    this.mean = mean;
    this.cv = sd === 0 ? 0 : sd / mean;
    this.kind = kind;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.e = e;
    this.values = values;
    this.prob = prob;
    this.alias = alias;
  }

  sample(rng: UniformSource): number {
    // Kept small so that V8 inlines it at the call site; the costlier kinds are one call further.
    const k = this.kind;
    if (k === K_UNIFORM) return this.a + this.b * rng.double();
    if (k === K_CONST) return this.a;
    if (k === K_EXPONENTIAL) return this.a * standardExponential(rng);
    return this.other(rng);
  }

  private other(rng: UniformSource): number {
    if (this.kind === K_LOGNORMAL) return fd.exp(this.a + this.b * standardNormal(rng));
    if (this.kind === K_NORMAL) {
      for (;;) {
        const x = this.a + this.b * standardNormal(rng);
        if (x >= 0) return x;
      }
    }
    return this.kind === K_GAMMA ? this.gamma(rng) : this.empirical(rng);
  }

  private gamma(rng: UniformSource): number {
    const d = this.a;
    let x: number;
    for (;;) {
      const z = standardNormal(rng);
      let v = 1 + this.b * z;
      if (v <= 0) continue;
      v = v * v * v;
      const u = rng.double();
      const z2 = z * z;
      if (u < 1 - 0.0331 * z2 * z2 || fd.log(u) < 0.5 * z2 + d * (1 - v + fd.log(v))) {
        x = d * v;
        break;
      }
    }
    if (this.e === 1) x *= fd.powPositive(1 - rng.double(), this.d);
    return x * this.c;
  }

  private empirical(rng: UniformSource): number {
    const n = this.a;
    const u = rng.double() * n;
    let i = Math.floor(u);
    if (i >= n) i = n - 1; // u * n may round up to n
    return u - i < this.prob[i] ? this.values[i] : this.values[this.alias[i]];
  }
}

/** A point mass, whatever Dist it came from (cv = 0, sd = 0, min = max, one value). */
function constant(value: number): Sampler {
  return new DistSampler({ kind: 'const', value }, K_CONST, value);
}

function gammaSampler(dist: Extract<Dist, { kind: 'gamma' }>): Sampler {
  const shape = 1 / (dist.cv * dist.cv);
  const boost = shape < 1;
  const d = (boost ? shape + 1 : shape) - 1 / 3;
  return new DistSampler(dist, K_GAMMA, d, 1 / Math.sqrt(9 * d), dist.mean / shape, 1 / shape, boost ? 1 : 0);
}

function empiricalSampler(dist: Extract<Dist, { kind: 'empirical' }>): Sampler {
  const n = dist.values.length;
  const values = Float64Array.from(dist.values);
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
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
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  // Leftovers are 1 up to rounding.
  for (const i of large) { prob[i] = 1; alias[i] = i; }
  for (const i of small) { prob[i] = 1; alias[i] = i; }
  return new DistSampler(dist, K_EMPIRICAL, n, 0, 0, 0, 0, values, prob, alias);
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
      return constant(d.value);
    case 'uniform':
      return d.min === d.max ? constant(d.min) : new DistSampler(d, K_UNIFORM, d.min, d.max - d.min);
    case 'exponential':
      return new DistSampler(d, K_EXPONENTIAL, d.mean);
    case 'normal':
      return d.sd === 0 ? constant(d.mean) : new DistSampler(d, K_NORMAL, d.mean, d.sd);
    case 'lognormal': {
      if (d.cv === 0) return constant(d.mean);
      const s2 = fd.log1p(d.cv * d.cv);
      return new DistSampler(d, K_LOGNORMAL, fd.log(d.mean) - s2 / 2, Math.sqrt(s2));
    }
    case 'gamma':
      return d.cv === 0 ? constant(d.mean) : gammaSampler(d);
    case 'empirical':
      return d.values.length === 1 ? constant(d.values[0]) : empiricalSampler(d);
  }
}
