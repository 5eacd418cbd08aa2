import { describe, expect, it } from 'vitest';
import { lnGamma, meanCI, regularizedBeta, relHalfWidth, studentT, studentTUpperTail } from '../src/metrics/ci.js';

describe('studentT quantile', () => {
  it.each([
    [1, 0.975, 12.7062],
    [9, 0.975, 2.2622],
    [30, 0.975, 2.0423],
    [5, 0.995, 4.0321],
    [2, 0.95, 2.9200],
    [10, 0.9, 1.3722],
    [120, 0.975, 1.9799],
  ])('t(df=%d, p=%d) = %d (printed tables, 4 decimals)', (df, p, expected) => {
    expect(Math.abs(studentT(df, p) - expected)).toBeLessThan(1e-4);
  });

  it('df = 1 is the Cauchy quantile tan(pi (p - 1/2))', () => {
    for (const p of [0.51, 0.6, 0.75, 0.9, 0.99, 0.999]) {
      const exact = Math.tan(Math.PI * (p - 0.5));
      expect(Math.abs(studentT(1, p) - exact) / exact).toBeLessThan(1e-8);
    }
  });

  it('df = 2 has the closed form (2p - 1) / sqrt(2 p (1 - p))', () => {
    for (const p of [0.55, 0.8, 0.95, 0.995, 0.9999]) {
      const exact = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
      expect(Math.abs(studentT(2, p) - exact) / exact).toBeLessThan(1e-8);
    }
  });

  it('tends to the normal quantile for large df', () => {
    expect(Math.abs(studentT(1e7, 0.975) - 1.959963985)).toBeLessThan(1e-5);
    expect(Math.abs(studentT(1e7, 0.995) - 2.575829304)).toBeLessThan(1e-5);
  });

  it('is antisymmetric around 0.5 and increasing in p', () => {
    expect(studentT(7, 0.5)).toBe(0);
    for (const df of [1, 3, 7.5, 40]) {
      expect(studentT(df, 0.1)).toBeCloseTo(-studentT(df, 0.9), 12);
      let prev = -Infinity;
      for (let p = 0.01; p < 1; p += 0.01) {
        const t = studentT(df, p);
        expect(t).toBeGreaterThan(prev);
        prev = t;
      }
    }
  });

  it('inverts the upper tail', () => {
    for (const df of [1, 4, 25]) {
      for (const p of [0.6, 0.9, 0.999]) expect(studentTUpperTail(studentT(df, p), df)).toBeCloseTo(1 - p, 12);
    }
  });

  it('rejects df <= 0 and p outside (0, 1)', () => {
    expect(() => studentT(0, 0.9)).toThrow(/df must be > 0/);
    expect(() => studentT(3, 1)).toThrow(/p must be in/);
    expect(() => studentT(3, 0)).toThrow(/p must be in/);
    expect(() => studentT(3, NaN)).toThrow(/p must be in/);
  });
});

describe('special functions', () => {
  it('lnGamma matches factorials and Gamma(1/2) = sqrt(pi)', () => {
    let fact = 1;
    for (let n = 1; n <= 20; n++) {
      expect(lnGamma(n + 1)).toBeCloseTo(Math.log((fact *= n)), 10);
    }
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('I_x(1, 1) = x, I_x(a, 1) = x^a, and I_x(a, b) = 1 - I_{1-x}(b, a)', () => {
    for (const x of [0.01, 0.3, 0.5, 0.9]) {
      expect(regularizedBeta(x, 1, 1)).toBeCloseTo(x, 12);
      expect(regularizedBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 12);
      expect(regularizedBeta(x, 2.5, 7)).toBeCloseTo(1 - regularizedBeta(1 - x, 7, 2.5), 12);
    }
  });
});

describe('meanCI', () => {
  it('computes mean, sample sd and the t half-width by hand', () => {
    const xs = [10, 12, 9, 11, 13, 8, 10, 12, 11, 14];
    const n = xs.length;
    const m = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1));
    const hw = (2.262157 * sd) / Math.sqrt(n);
    const ci = meanCI(xs);
    expect(ci.n).toBe(10);
    expect(ci.mean).toBeCloseTo(m, 12);
    expect(ci.sd).toBeCloseTo(sd, 12);
    expect(ci.halfWidth).toBeCloseTo(hw, 5);
    expect(ci.lo).toBeCloseTo(m - ci.halfWidth, 12);
    expect(ci.hi).toBeCloseTo(m + ci.halfWidth, 12);
    expect(relHalfWidth(ci)).toBeCloseTo(ci.halfWidth / m, 12);
  });

  it('a higher level gives a wider interval', () => {
    const xs = [1, 2, 3, 4, 5];
    expect(meanCI(xs, 0.99).halfWidth).toBeGreaterThan(meanCI(xs, 0.95).halfWidth);
    expect(meanCI(xs, 0.95).halfWidth).toBeGreaterThan(meanCI(xs, 0.9).halfWidth);
  });

  it('covers the true mean about `level` of the time (normal samples, n = 5)', () => {
    // Deterministic LCG + Box-Muller so the test is repeatable.
    let state = 12345;
    const u = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
    const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    let covered = 0;
    const trials = 4000;
    for (let k = 0; k < trials; k++) {
      const ci = meanCI(Array.from({ length: 5 }, () => 3 + 2 * normal()));
      if (ci.lo <= 3 && 3 <= ci.hi) covered++;
    }
    // Binomial sd at 0.95 over 4000 trials is 0.0034: allow 4 sd.
    expect(Math.abs(covered / trials - 0.95)).toBeLessThan(0.014);
  });

  it('one replication gives an unbounded interval; constant data a zero one', () => {
    const one = meanCI([7]);
    expect(one).toMatchObject({ mean: 7, n: 1, halfWidth: Infinity, lo: -Infinity, hi: Infinity });
    expect(relHalfWidth(one)).toBe(Infinity);
    const flat = meanCI([4, 4, 4]);
    expect(flat.halfWidth).toBe(0);
    expect(relHalfWidth(flat)).toBe(0);
    expect(relHalfWidth(meanCI([-1, 1]))).toBe(Infinity);
  });

  it('rejects empty input, non-finite values and bad levels, naming the index', () => {
    expect(() => meanCI([])).toThrow(/no values/);
    expect(() => meanCI([1, NaN, 3])).toThrow(/xs\[1\] must be a finite number, got NaN/);
    expect(() => meanCI([1, 2], 1)).toThrow(/level must be in/);
  });
});
