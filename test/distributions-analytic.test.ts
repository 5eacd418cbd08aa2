/** Special functions, CDFs, moments and scaling: the analytic side the samplers are judged by. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distCdf } from '../src/distributions/cdf.js';
import { distCv, distMean, distProblem, scaleDist, sumMean, truncatedNormalMoments } from '../src/distributions/moments.js';
import { erfc, gammaP, lnGamma, normalCdf, normalQuantile } from '../src/math/special.js';
import type { Dist } from '../src/distributions/types.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('special functions against tabulated values', () => {
  it.each([
    // erfc values from Abramowitz & Stegun table 7.1 / high-precision references
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [1.5, 0.033894853524689274],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
    [5, 1.5374597944280349e-12],
    [10, 2.088487583762545e-45],
    [-1, 1.8427007929497148],
  ])('erfc(%d)', (x, want) => {
    expect(rel(erfc(x), want)).toBeLessThan(1e-12);
  });

  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.999, 3.090232306167814],
    [0.001, -3.090232306167814],
    [0.02, -2.053748910631823], // lower-tail branch of the approximation
    [1e-10, -6.361340902404056],
  ])('normalQuantile(%d)', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 11);
  });

  it('normalQuantile inverts normalCdf', () => {
    // Above z = 5 the probability itself (1 - 3e-7) no longer carries 7 digits of z.
    fc.assert(
      fc.property(fc.double({ min: -8, max: 5, noNaN: true }), (z) => {
        expect(normalQuantile(normalCdf(z))).toBeCloseTo(z, 7);
      }),
    );
  });

  it.each([
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [1, 0],
    [2, 0],
    [10, Math.log(362880)],
    [0.1, Math.log(9.513507698668732)],
  ])('lnGamma(%d)', (x, want) => {
    expect(lnGamma(x)).toBeCloseTo(want, 11);
  });

  it('lnGamma follows the recurrence Gamma(x + 1) = x Gamma(x) far out', () => {
    let lnG = Math.log(Math.sqrt(Math.PI)); // Gamma(0.5)
    for (let k = 0; k < 100; k++) lnG += Math.log(k + 0.5);
    expect(rel(lnGamma(100.5), lnG)).toBeLessThan(1e-13);
  });

  it('gammaP has the closed forms it should', () => {
    for (const x of [0.01, 0.3, 1, 2.5, 7, 30]) {
      expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 13); // exponential
      expect(gammaP(0.5, x)).toBeCloseTo(1 - erfc(Math.sqrt(x)), 12); // chi-squared with 1 df
      expect(gammaP(2, x)).toBeCloseTo(1 - Math.exp(-x) * (1 + x), 13); // Erlang-2
    }
    expect(gammaP(3, 0)).toBe(0);
    expect(gammaP(3, Infinity)).toBe(1);
  });
});

describe('distCdf', () => {
  const kinds: Dist[] = [
    { kind: 'uniform', min: 50, max: 100 },
    { kind: 'exponential', mean: 1000 },
    { kind: 'normal', mean: 100, sd: 300 },
    { kind: 'lognormal', mean: 800, cv: 0.3 },
    { kind: 'gamma', mean: 1000, cv: 2 },
    { kind: 'gamma', mean: 800, cv: 0.3 },
    { kind: 'empirical', values: [1, 5, 9], weights: [1, 1, 2] },
  ];

  it.each(kinds)('%j is a CDF: 0 below 0, nondecreasing, 1 far out', (d) => {
    expect(distCdf(d, -1)).toBe(0);
    let prev = 0;
    for (let x = 0; x < 20 * distMean(d); x += distMean(d) / 50) {
      const f = distCdf(d, x);
      expect(f).toBeGreaterThanOrEqual(prev - 1e-15);
      expect(f).toBeLessThanOrEqual(1);
      prev = f;
    }
    expect(distCdf(d, 1e3 * distMean(d))).toBeCloseTo(1, 9);
  });

  it('has the closed forms at chosen points', () => {
    expect(distCdf({ kind: 'uniform', min: 50, max: 100 }, 60)).toBeCloseTo(0.2, 15);
    expect(distCdf({ kind: 'exponential', mean: 1000 }, 1000)).toBeCloseTo(1 - Math.exp(-1), 15);
    // median of a lognormal is exp(mu) = mean / sqrt(1 + cv^2)
    expect(distCdf({ kind: 'lognormal', mean: 800, cv: 0.3 }, 800 / Math.sqrt(1.09))).toBeCloseTo(0.5, 13);
    // truncated normal: P(X <= mu) = (0.5 - Phi(-mu/sd)) / (1 - Phi(-mu/sd))
    const cut = normalCdf(-1 / 3);
    expect(distCdf({ kind: 'normal', mean: 100, sd: 300 }, 100)).toBeCloseTo((0.5 - cut) / (1 - cut), 13);
    // half-normal: P(X <= sd) = 2 Phi(1) - 1
    expect(distCdf({ kind: 'normal', mean: 0, sd: 50 }, 50)).toBeCloseTo(2 * normalCdf(1) - 1, 13);
    // gamma with cv 1 is exponential
    expect(distCdf({ kind: 'gamma', mean: 1000, cv: 1 }, 700)).toBeCloseTo(1 - Math.exp(-0.7), 13);
    expect(distCdf({ kind: 'empirical', values: [1, 5, 9], weights: [1, 1, 2] }, 5)).toBe(0.5);
    expect(distCdf({ kind: 'const', value: 5 }, 4.999)).toBe(0);
    expect(distCdf({ kind: 'const', value: 5 }, 5)).toBe(1);
  });
});

describe('moments', () => {
  it('truncated normal: the Mills-ratio formula meets its limits', () => {
    // no truncation to speak of
    const far = truncatedNormalMoments(800, 100);
    expect(far.mean).toBeCloseTo(800, 9);
    expect(far.sd).toBeCloseTo(100, 9);
    // half-normal
    const half = truncatedNormalMoments(0, 1);
    expect(half.mean).toBeCloseTo(Math.sqrt(2 / Math.PI), 14);
    expect(half.sd).toBeCloseTo(Math.sqrt(1 - 2 / Math.PI), 14);
    // extreme ratios stay finite
    const extreme = truncatedNormalMoments(1e6, 1);
    expect(extreme).toEqual({ mean: 1e6, sd: 1 });
  });

  it('cv is 0 for point masses, including at 0', () => {
    expect(distCv({ kind: 'const', value: 0 })).toBe(0);
    expect(distCv({ kind: 'uniform', min: 0, max: 0 })).toBe(0);
    expect(distCv({ kind: 'empirical', values: [0, 0] })).toBe(0);
    expect(distCv({ kind: 'exponential', mean: 5 })).toBe(1);
  });

  it('sumMean adds means', () => {
    expect(sumMean({ kind: 'const', value: 5 }, { kind: 'uniform', min: 10, max: 20 }, { kind: 'lognormal', mean: 100, cv: 2 })).toBe(120);
    expect(sumMean()).toBe(0);
  });
});

describe('scaleDist', () => {
  const kinds: Dist[] = [
    { kind: 'const', value: 500 },
    { kind: 'uniform', min: 50, max: 100 },
    { kind: 'exponential', mean: 1000 },
    { kind: 'normal', mean: 100, sd: 300 },
    { kind: 'lognormal', mean: 800, cv: 0.3 },
    { kind: 'gamma', mean: 1000, cv: 2 },
    { kind: 'empirical', values: [1, 5, 9], weights: [1, 1, 2] },
    { kind: 'empirical', values: [1, 5, 9] },
  ];

  it.each(kinds)('%j scales exactly: mean x k, cv kept, F_kX(k x) = F_X(x)', (d) => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (k, t) => {
        const scaled = scaleDist(d, k);
        expect(rel(distMean(scaled), k * distMean(d))).toBeLessThan(1e-12);
        expect(distCv(scaled)).toBeCloseTo(distCv(d), 10);
        const x = t * distMean(d);
        expect(distCdf(scaled, k * x)).toBeCloseTo(distCdf(d, x), 10);
        expect(distProblem(scaled)).toBeUndefined();
      }),
    );
  });

  it('scaling by 0 gives the constant 0, and the input is not modified', () => {
    const d: Dist = { kind: 'empirical', values: [1, 2], weights: [1, 3] };
    expect(scaleDist(d, 0)).toEqual({ kind: 'const', value: 0 });
    scaleDist(d, 7);
    expect(d).toEqual({ kind: 'empirical', values: [1, 2], weights: [1, 3] });
  });

  it('rejects negative or non-finite factors', () => {
    expect(() => scaleDist({ kind: 'const', value: 1 }, -1)).toThrow(RangeError);
    expect(() => scaleDist({ kind: 'const', value: 1 }, Infinity)).toThrow(RangeError);
    expect(() => scaleDist({ kind: 'const', value: 1 }, NaN)).toThrow(RangeError);
  });
});
