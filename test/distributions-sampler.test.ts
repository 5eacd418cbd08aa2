/**
 * Samplers against the analytic distribution.
 *
 * Goodness of fit: Pearson's chi-squared on 20 equiprobable bins of the probability integral
 * transform F(X) (F the exact CDF from src/distributions/cdf.ts), n = 50,000 seeded draws, rejected
 * above the 0.999 quantile of chi-squared with 19 degrees of freedom (43.82). Discrete
 * (empirical) distributions use one bin per value. Power checks below show the same test
 * rejects a sampler whose mean is 10% off or whose cv is 10% off.
 */
import { describe, expect, it } from 'vitest';
import { distCdf } from '../src/distributions/cdf.js';
import { distMean, makeSampler, scaleDist, standardExponential, standardNormal } from '../src/distributions/sampler.js';
import { gammaP, normalCdf, normalQuantile } from '../src/math/special.js';
import type { Dist, Sampler, UniformSource } from '../src/distributions/types.js';
import { Streams } from '../src/engine/rng.js';

const N = 50_000;
const BINS = 20;
const streams = new Streams(20240601);

/**
 * The p-quantile of chi-squared with `df` degrees of freedom, exactly: its CDF is
 * P(df/2, x/2) (regularized lower incomplete gamma), inverted by bisection.
 */
function chiSquaredQuantile(df: number, p: number): number {
  let lo = 0;
  let hi = df + 20 * Math.sqrt(2 * df) + 50;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (gammaP(df / 2, mid / 2) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Wilson & Hilferty (1931), "The distribution of chi-square", PNAS 17(12):684-688:
 * (X/df)^(1/3) is nearly normal with mean 1 - 2/(9 df) and variance 2/(9 df).
 */
function wilsonHilferty(df: number, p: number): number {
  const v = 2 / (9 * df);
  return df * (1 - v + normalQuantile(p) * Math.sqrt(v)) ** 3;
}

const CRITICAL_19 = chiSquaredQuantile(BINS - 1, 0.999);

function draw(sampler: Sampler, rng: UniformSource, n = N): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = sampler.sample(rng);
  return xs;
}

/** Pearson's statistic of F(x) over BINS equiprobable bins (continuous F). */
function pitChiSquared(xs: Float64Array, d: Dist): number {
  const counts = new Float64Array(BINS);
  for (const x of xs) {
    const u = distCdf(d, x);
    counts[Math.min(BINS - 1, Math.floor(u * BINS))]++;
  }
  const expected = xs.length / BINS;
  let stat = 0;
  for (const c of counts) stat += (c - expected) ** 2 / expected;
  return stat;
}

/** Pearson's statistic for a discrete distribution over `values` with probabilities `probs`. */
function discreteChiSquared(xs: Float64Array, values: number[], probs: number[]): number {
  const counts = new Float64Array(values.length);
  for (const x of xs) {
    const i = values.indexOf(x);
    if (i < 0) throw new Error(`sampled ${x}, not one of the values`);
    counts[i]++;
  }
  let stat = 0;
  probs.forEach((p, i) => {
    const e = xs.length * p;
    stat += (counts[i] - e) ** 2 / e;
  });
  return stat;
}

/** Sample mean, sd and standard errors of the mean and of the cv (delta method, 4th moment). */
function sampleStats(xs: Float64Array) {
  const n = xs.length;
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d2 = (x - mean) ** 2;
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  const sd = Math.sqrt(m2);
  const cv = sd / mean;
  const seMean = sd / Math.sqrt(n);
  const seVar = Math.sqrt(Math.max(0, m4 - m2 * m2) / n);
  const seCv = cv * Math.sqrt((seVar / (2 * m2)) ** 2 + (seMean / mean) ** 2);
  return { mean, sd, cv, seMean, seCv };
}

const CONTINUOUS: [string, Dist][] = [
  ['uniform 50-100ns', { kind: 'uniform', min: 50, max: 100 }],
  ['uniform 0-1us', { kind: 'uniform', min: 0, max: 1000 }],
  ['exponential mean 1us', { kind: 'exponential', mean: 1000 }],
  ['normal 800/100 (truncation negligible)', { kind: 'normal', mean: 800, sd: 100 }],
  ['normal 100/300 (heavily truncated)', { kind: 'normal', mean: 100, sd: 300 }],
  ['normal 0/50 (half-normal)', { kind: 'normal', mean: 0, sd: 50 }],
  ['lognormal 800ns cv 0.3', { kind: 'lognormal', mean: 800, cv: 0.3 }],
  ['lognormal 4us cv 2', { kind: 'lognormal', mean: 4000, cv: 2 }],
  ['gamma cv 0.3 (shape 11.1)', { kind: 'gamma', mean: 800, cv: 0.3 }],
  ['gamma cv 1 (shape 1, exponential)', { kind: 'gamma', mean: 1000, cv: 1 }],
  ['gamma cv 2 (shape 0.25, boost)', { kind: 'gamma', mean: 1000, cv: 2 }],
  ['gamma cv 0.05 (shape 400)', { kind: 'gamma', mean: 500, cv: 0.05 }],
];

describe('chi-squared critical value', () => {
  it('matches published tables (NIST/SEMATECH e-Handbook 1.3.6.7.4; Abramowitz & Stegun 26.8)', () => {
    expect(chiSquaredQuantile(1, 0.999)).toBeCloseTo(10.828, 3);
    expect(chiSquaredQuantile(2, 0.999)).toBeCloseTo(13.816, 3);
    expect(chiSquaredQuantile(9, 0.999)).toBeCloseTo(27.877, 3);
    expect(CRITICAL_19).toBeCloseTo(43.820, 3);
    expect(chiSquaredQuantile(19, 0.95)).toBeCloseTo(30.144, 3);
  });
  it('agrees with the Wilson-Hilferty approximation to within 1% (df >= 9)', () => {
    for (const df of [9, 19, 49, 199]) {
      const exact = chiSquaredQuantile(df, 0.999);
      expect(Math.abs(wilsonHilferty(df, 0.999) - exact) / exact).toBeLessThan(0.01);
    }
  });
});

describe('goodness of fit: every kind matches its analytic CDF', () => {
  it.each(CONTINUOUS)('%s', (name, d) => {
    const xs = draw(makeSampler(d), streams.get(`gof/${name}`));
    expect(pitChiSquared(xs, d)).toBeLessThan(CRITICAL_19);
  });

  it('empirical, equally likely values', () => {
    const values = [500, 800, 1200, 2000, 5000];
    const xs = draw(makeSampler({ kind: 'empirical', values }), streams.get('gof/empirical'));
    const crit = chiSquaredQuantile(values.length - 1, 0.999);
    expect(discreteChiSquared(xs, values, values.map(() => 1 / values.length))).toBeLessThan(crit);
  });

  it('empirical, weighted (alias table), including a zero weight and a dominant value', () => {
    const values = [100, 200, 300, 400, 500, 600, 700];
    const weights = [1, 2, 0, 30, 0.5, 5, 11.5];
    const total = weights.reduce((a, b) => a + b, 0);
    const xs = draw(makeSampler({ kind: 'empirical', values, weights }), streams.get('gof/empirical-weighted'));
    expect(xs.includes(300)).toBe(false);
    const kept = values.filter((_, i) => weights[i] > 0);
    const probs = weights.filter((w) => w > 0).map((w) => w / total);
    expect(discreteChiSquared(xs, kept, probs)).toBeLessThan(chiSquaredQuantile(kept.length - 1, 0.999));
  });

  it('empirical, 1000 values with random weights', () => {
    const rng = streams.get('gof/empirical-weights-setup');
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const weights = values.map(() => rng.double());
    const total = weights.reduce((a, b) => a + b, 0);
    const xs = draw(makeSampler({ kind: 'empirical', values, weights }), streams.get('gof/empirical-1000'), 200_000);
    // Group into 20 bins of 50 consecutive values to keep expected counts large.
    const counts = new Float64Array(20);
    for (const x of xs) counts[Math.floor(x / 50)]++;
    let stat = 0;
    for (let b = 0; b < 20; b++) {
      let p = 0;
      for (let i = b * 50; i < (b + 1) * 50; i++) p += weights[i] / total;
      stat += (counts[b] - xs.length * p) ** 2 / (xs.length * p);
    }
    expect(stat).toBeLessThan(CRITICAL_19);
  });

  it('constant and degenerate cases draw the exact value', () => {
    const rng = streams.get('gof/degenerate');
    const cases: [Dist, number][] = [
      [{ kind: 'const', value: 500 }, 500],
      [{ kind: 'uniform', min: 70, max: 70 }, 70],
      [{ kind: 'normal', mean: 300, sd: 0 }, 300],
      [{ kind: 'lognormal', mean: 800, cv: 0 }, 800],
      [{ kind: 'gamma', mean: 900, cv: 0 }, 900],
      [{ kind: 'empirical', values: [42] }, 42],
      [{ kind: 'empirical', values: [1, 2, 3], weights: [0, 5, 0] }, 2],
    ];
    for (const [d, v] of cases) {
      const s = makeSampler(d);
      expect(s.mean).toBe(v);
      expect(s.cv).toBe(0);
      for (let i = 0; i < 100; i++) expect(s.sample(rng)).toBe(v);
    }
  });
});

describe('power: the same test rejects a wrong sampler', () => {
  // Draws from `d`, tested against a distribution whose mean or cv is 10% off.
  const perturbations: [string, Dist, Dist][] = [];
  for (const [name, d] of CONTINUOUS) {
    if (d.kind === 'normal' && d.mean === 0) continue; // scaled below instead
    perturbations.push([`${name}, mean +10%`, d, scaleDist(d, 1.1)]);
    if (d.kind === 'lognormal' || d.kind === 'gamma') perturbations.push([`${name}, cv +10%`, d, { ...d, cv: d.cv * 1.1 }]);
    if (d.kind === 'normal') perturbations.push([`${name}, sd +10%`, d, { ...d, sd: d.sd * 1.1 }]);
  }
  perturbations.push(['half-normal, sd +10%', { kind: 'normal', mean: 0, sd: 50 }, { kind: 'normal', mean: 0, sd: 55 }]);
  // Typical implementation slips, expressed as the distribution they would actually produce:
  const s2 = Math.log1p(0.3 ** 2);
  perturbations.push([
    'lognormal without the -sigma^2/2 correction',
    { kind: 'lognormal', mean: 800 * Math.exp(s2 / 2), cv: 0.3 },
    { kind: 'lognormal', mean: 800, cv: 0.3 },
  ]);
  perturbations.push([
    'gamma shape 0.25 drawn without the boost (shape 1.25, same scale)',
    { kind: 'gamma', mean: 1.25 * 4000, cv: 1 / Math.sqrt(1.25) },
    { kind: 'gamma', mean: 1000, cv: 2 },
  ]);
  perturbations.push([
    'normal not truncated (clamped at 0 instead of redrawn) is rejected through its atom at 0',
    { kind: 'normal', mean: 100, sd: 300 },
    { kind: 'normal', mean: 100, sd: 300 },
  ]);

  it.each(perturbations.slice(0, -1))('%s', (_name, drawFrom, testAgainst) => {
    const xs = draw(makeSampler(drawFrom), streams.get(`power/${_name}`));
    expect(pitChiSquared(xs, testAgainst)).toBeGreaterThan(CRITICAL_19);
  });

  it('normal clamped at 0 instead of redrawn', () => {
    // Emulates the slip: draw untruncated, clamp negatives to 0, test against the truncated CDF.
    const d: Dist = { kind: 'normal', mean: 100, sd: 300 };
    const rng = streams.get('power/clamped-normal');
    const xs = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const z = Math.sqrt(-2 * Math.log(1 - rng.double())) * Math.cos(2 * Math.PI * rng.double());
      xs[i] = Math.max(0, 100 + 300 * z);
    }
    expect(pitChiSquared(xs, d)).toBeGreaterThan(CRITICAL_19);
  });

  it('empirical with the weights ignored', () => {
    const values = [100, 200, 300];
    const xs = draw(makeSampler({ kind: 'empirical', values }), streams.get('power/empirical'));
    expect(discreteChiSquared(xs, values, [0.3, 0.3, 0.4])).toBeGreaterThan(chiSquaredQuantile(2, 0.999));
  });
});

describe('mean and cv: analytic values, and the sample within its confidence interval', () => {
  const halfNormalMean = 50 * Math.sqrt(2 / Math.PI);
  const halfNormalCv = Math.sqrt(Math.PI / 2 - 1);
  // Truncated normal moments by direct numerical integration (Simpson), independent of the
  // inverse-Mills-ratio formula in the code.
  function truncatedNormalByQuadrature(mu: number, sd: number) {
    const f = (x: number) => Math.exp(-0.5 * ((x - mu) / sd) ** 2);
    const hi = mu + 12 * sd;
    const steps = 200_000;
    const h = hi / steps;
    let z = 0;
    let m1 = 0;
    let m2 = 0;
    for (let i = 0; i <= steps; i++) {
      const x = i * h;
      const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
      const fx = f(x) * w;
      z += fx;
      m1 += fx * x;
      m2 += fx * x * x;
    }
    const mean = m1 / z;
    return { mean, cv: Math.sqrt(m2 / z - mean * mean) / mean };
  }
  const heavy = truncatedNormalByQuadrature(100, 300);

  const analytic: [string, Dist, number, number][] = [
    ['uniform 50-100', { kind: 'uniform', min: 50, max: 100 }, 75, 50 / Math.sqrt(12) / 75],
    ['exponential', { kind: 'exponential', mean: 1000 }, 1000, 1],
    ['normal 800/100', { kind: 'normal', mean: 800, sd: 100 }, 800, 0.125],
    ['half-normal sd 50', { kind: 'normal', mean: 0, sd: 50 }, halfNormalMean, halfNormalCv],
    ['normal 100/300 truncated', { kind: 'normal', mean: 100, sd: 300 }, heavy.mean, heavy.cv],
    ['lognormal', { kind: 'lognormal', mean: 800, cv: 0.3 }, 800, 0.3],
    ['lognormal cv 1', { kind: 'lognormal', mean: 4000, cv: 1 }, 4000, 1],
    ['gamma', { kind: 'gamma', mean: 800, cv: 0.3 }, 800, 0.3],
    ['gamma cv 2', { kind: 'gamma', mean: 1000, cv: 2 }, 1000, 2],
    // values 1,2,3 weights 1,2,7: mean 2.6, variance (1.6^2 + 2*0.6^2 + 7*0.4^2)/10 = 0.44
    ['empirical weighted', { kind: 'empirical', values: [1, 2, 3], weights: [1, 2, 7] }, 2.6, Math.sqrt(0.44) / 2.6],
  ];

  it.each(analytic)('%s', (name, d, mean, cv) => {
    const s = makeSampler(d);
    expect(s.mean).toBeCloseTo(mean, 6);
    expect(s.cv).toBeCloseTo(cv, 6);
    expect(s.mean).toBe(distMean(d));
    const st = sampleStats(draw(s, streams.get(`moments/${name}`), 200_000));
    expect(Math.abs(st.mean - mean)).toBeLessThan(5 * st.seMean);
    expect(Math.abs(st.cv - cv)).toBeLessThan(5 * st.seCv);
  });
});

describe('samplers keep no state between calls', () => {
  it.each(CONTINUOUS)('%s: interleaving two streams gives each its own sequence', (name, d) => {
    const s = makeSampler(d);
    const alone = draw(s, streams.get(`state/${name}/a`), 1000);
    const a = streams.get(`state/${name}/a`);
    const b = streams.get(`state/${name}/b`);
    for (let i = 0; i < 1000; i++) {
      expect(s.sample(a)).toBe(alone[i]);
      s.sample(b);
    }
  });

  it('rejects invalid distributions built in code', () => {
    expect(() => makeSampler({ kind: 'lognormal', mean: 0, cv: 1 })).toThrow(/lognormal mean must be > 0/);
    expect(() => makeSampler({ kind: 'uniform', min: 5, max: 1 })).toThrow(/min <= max/);
    expect(() => makeSampler({ kind: 'empirical', values: [] })).toThrow(/at least one value/);
    expect(() => makeSampler({ kind: 'empirical', values: [1], weights: [1, 2] })).toThrow(/1 values but 2 weights/);
    expect(() => makeSampler({ kind: 'normal', mean: 1, sd: NaN })).toThrow(/sd must be finite/);
    expect(() => makeSampler({ kind: 'const', value: -1 })).toThrow(/>= 0/);
  });
});

describe('standard normal (ziggurat): the tails the 20-bin test cannot see', () => {
  it('P(|Z| > 2), P(|Z| > 3) and P(|Z| > 3.7) (the tail algorithm beyond 3.44) within 4 standard errors', () => {
    const rng = streams.get('ziggurat-tails');
    const n = 2_000_000;
    const cuts = [2, 3, 3.7];
    const over = [0, 0, 0];
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const z = standardNormal(rng);
      sum += z;
      sumSq += z * z;
      const a = Math.abs(z);
      for (let k = 0; k < cuts.length; k++) if (a > cuts[k]) over[k]++;
    }
    cuts.forEach((c, k) => {
      const p = 2 * (1 - normalCdf(c));
      expect(Math.abs(over[k] / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    });
    expect(Math.abs(sum / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});

describe('standard exponential (ziggurat): the tail', () => {
  it('P(X > 1), P(X > 4) and P(X > 7.8) (the tail beyond 7.7) within 4 standard errors; mean 1', () => {
    const rng = streams.get('ziggurat-exp-tails');
    const n = 2_000_000;
    const cuts = [1, 4, 7.8];
    const over = [0, 0, 0];
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = standardExponential(rng);
      sum += x;
      for (let k = 0; k < cuts.length; k++) if (x > cuts[k]) over[k]++;
    }
    cuts.forEach((c, k) => {
      const p = Math.exp(-c);
      expect(Math.abs(over[k] / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    });
    expect(Math.abs(sum / n - 1)).toBeLessThan(4 / Math.sqrt(n));
  });
});
