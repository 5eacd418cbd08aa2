import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HISTOGRAM_RANGE_MAX, LogLinearHistogram } from '../src/metrics/histogram.js';

/** Repeatable uniform source (LCG), so failures can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
}

/** Nearest-rank quantile of sorted data: the ceil(q n)-th smallest. */
function nearestRank(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

describe('LogLinearHistogram buckets', () => {
  it('covers 0 .. 1e15 with the midpoint of every value`s bucket within 1% of the value', () => {
    const h = new LogLinearHistogram();
    expect(HISTOGRAM_RANGE_MAX).toBeGreaterThanOrEqual(1e15);
    const u = lcg(1);
    let worst = 0;
    let outside = 0;
    for (let k = 0; k < 200_000; k++) {
      // Log-uniform over [1, 1e15] so every octave is hit.
      const v = Math.exp(u() * Math.log(1e15));
      const i = h.bucketIndex(v);
      const lower = h.bucketLower(i);
      const upper = h.bucketUpper(i);
      if (!(lower <= v && v < upper)) outside++;
      const mid = (lower + upper) / 2;
      worst = Math.max(worst, Math.abs(mid - v) / v);
    }
    expect(outside).toBe(0);
    expect(worst).toBeLessThanOrEqual(0.01);
    // The stated bound for 7 sub-bucket bits is 2^-8.
    expect(worst).toBeLessThanOrEqual(2 ** -8);
    expect(h.bucketIndex(1e15)).toBeLessThan(h.bucketCount - 1);
  });

  it('puts exact powers of two and values just below them in the right buckets', () => {
    const h = new LogLinearHistogram(7);
    for (let e = 0; e < 50; e++) {
      const p = 2 ** e;
      expect(h.bucketLower(h.bucketIndex(p))).toBe(p);
      const below = p * (1 - 2 ** -52);
      if (e > 0) expect(h.bucketUpper(h.bucketIndex(below))).toBe(p);
    }
  });

  it('sends values below 1 to the first linear bucket [0, 1)', () => {
    const h = new LogLinearHistogram();
    for (const v of [0, 1e-9, 0.5, 0.999999]) expect(h.bucketIndex(v)).toBe(0);
    expect(h.bucketIndex(1)).toBe(1);
    expect([h.bucketLower(0), h.bucketUpper(0)]).toEqual([0, 1]);
  });

  it('bucket bounds tile the range with no gaps (property, any sub-bucket bits)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1e15, noNaN: true }), (bits, v) => {
        const h = new LogLinearHistogram(bits);
        const i = h.bucketIndex(v);
        expect(h.bucketLower(i)).toBeLessThanOrEqual(v);
        expect(v).toBeLessThan(h.bucketUpper(i));
        if (i > 0) expect(h.bucketUpper(i - 1)).toBe(h.bucketLower(i));
        if (v >= 1) expect((h.bucketUpper(i) - h.bucketLower(i)) / h.bucketLower(i)).toBeLessThanOrEqual(2 ** -bits);
      }),
    );
  });

  it('rejects bad sub-bucket bits', () => {
    expect(() => new LogLinearHistogram(0)).toThrow(/subBucketBits must be an integer 1..16, got 0/);
    expect(() => new LogLinearHistogram(17)).toThrow(/got 17/);
    expect(() => new LogLinearHistogram(2.5)).toThrow(/got 2.5/);
  });
});

describe('LogLinearHistogram statistics', () => {
  it('reports quantiles of known data within the relative-error bound', () => {
    const h = new LogLinearHistogram();
    const values: number[] = [];
    for (let v = 1; v <= 100_000; v++) {
      h.record(v);
      values.push(v);
    }
    for (const q of [0.01, 0.25, 0.5, 0.9, 0.99, 0.999]) {
      const exact = nearestRank(values, q);
      expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThanOrEqual(2 ** -8);
    }
    expect(h.quantile(0.5)).not.toBe(h.quantile(0.9));
  });

  it('reports quantiles of skewed random data within 1% of the nearest-rank quantile', () => {
    const u = lcg(7);
    const h = new LogLinearHistogram();
    const values: number[] = [];
    for (let k = 0; k < 50_000; k++) {
      // Lognormal-ish latencies around 10 us with a heavy tail.
      const z = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
      const v = 10_000 * Math.exp(1.2 * z);
      h.record(v);
      values.push(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.001, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999]) {
      const exact = nearestRank(values, q);
      expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.01);
    }
  });

  it('keeps count, mean, min and max exact', () => {
    const h = new LogLinearHistogram();
    const xs = [3.25, 1_000_000.5, 17, 0.25, 42_000, 999.999];
    for (const x of xs) h.record(x);
    expect(h.count).toBe(xs.length);
    expect(h.min).toBe(0.25);
    expect(h.max).toBe(1_000_000.5);
    expect(h.mean).toBe(xs.reduce((a, b) => a + b, 0) / xs.length);
    expect(h.quantile(0)).toBe(0.25);
    expect(h.quantile(1)).toBe(1_000_000.5);
  });

  it('keeps the mean exact over many records where naive summation drifts', () => {
    const h = new LogLinearHistogram();
    // 1e6 copies of 0.1 after one huge value: naive float summation loses the small ones.
    h.record(1e16);
    for (let k = 0; k < 1_000_000; k++) h.record(0.1);
    expect(h.mean * h.count).toBeCloseTo(1e16 + 100_000, 0);
    expect(h.sum).toBe(1e16 + 100_000);
  });

  it('clamps quantiles to [min, max]', () => {
    const h = new LogLinearHistogram();
    h.record(1000.3);
    expect(h.quantile(0.5)).toBe(1000.3);
    h.record(1000.4);
    for (const q of [0.01, 0.5, 0.99]) {
      expect(h.quantile(q)).toBeGreaterThanOrEqual(1000.3);
      expect(h.quantile(q)).toBeLessThanOrEqual(1000.4);
    }
  });

  it('recordN(v, n) equals n calls of record(v)', () => {
    const a = new LogLinearHistogram();
    const b = new LogLinearHistogram();
    a.recordN(250, 1000);
    a.recordN(9e6, 3);
    a.recordN(5, 0);
    for (let k = 0; k < 1000; k++) b.record(250);
    for (let k = 0; k < 3; k++) b.record(9e6);
    expect(a.stats()).toEqual(b.stats());
    expect(a.toData()).toEqual(b.toData());
    expect(a.min).toBe(250);
  });

  it('merge equals recording everything into one histogram', () => {
    const u = lcg(3);
    const a = new LogLinearHistogram();
    const b = new LogLinearHistogram();
    const all = new LogLinearHistogram();
    for (let k = 0; k < 20_000; k++) {
      const v = Math.floor(-Math.log(u()) * 5_000);
      (k % 3 === 0 ? a : b).record(v);
      all.record(v);
    }
    b.record(12e9);
    all.record(12e9);
    a.merge(b);
    expect(a.count).toBe(all.count);
    expect(a.min).toBe(all.min);
    expect(a.max).toBe(all.max);
    expect(a.mean).toBeCloseTo(all.mean, 9);
    expect(a.toData()).toEqual(all.toData());
    for (const q of [0.1, 0.5, 0.9, 0.999]) expect(a.quantile(q)).toBe(all.quantile(q));
    // Merging an empty histogram changes nothing.
    a.merge(new LogLinearHistogram());
    expect(a.toData()).toEqual(all.toData());
    expect(() => a.merge(new LogLinearHistogram(5))).toThrow(/subBucketBits differ \(7 vs 5\)/);
  });

  it('stats() is all zeros when empty, and after reset()', () => {
    const zeros = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const h = new LogLinearHistogram();
    expect(h.stats()).toEqual(zeros);
    expect(h.toData()).toEqual({ lower: [], upper: [], count: [] });
    h.record(5);
    h.record(5000);
    h.reset();
    expect(h.stats()).toEqual(zeros);
    expect(h.min).toBe(0);
    expect(h.toData().count).toEqual([]);
    h.record(7);
    expect(h.stats()).toMatchObject({ count: 1, mean: 7, p50: 7, max: 7 });
  });

  it('stats() gives the Result percentiles in order', () => {
    const h = new LogLinearHistogram();
    for (let v = 1; v <= 10_000; v++) h.record(v);
    const s = h.stats();
    expect(s.count).toBe(10_000);
    expect(s.mean).toBe(5000.5);
    expect(s.max).toBe(10_000);
    expect(Math.abs(s.p50 - 5000) / 5000).toBeLessThan(0.01);
    expect(Math.abs(s.p90 - 9000) / 9000).toBeLessThan(0.01);
    expect(Math.abs(s.p99 - 9900) / 9900).toBeLessThan(0.01);
    expect(Math.abs(s.p999 - 9990) / 9990).toBeLessThan(0.01);
  });

  it('toData() lists the non-empty buckets in order, counts summing to count', () => {
    const h = new LogLinearHistogram();
    h.recordN(0.5, 2);
    h.recordN(100, 5);
    h.record(100.2); // same bucket as 100 (width 0.5 at 64..128)
    h.recordN(1e6, 4);
    const d = h.toData();
    expect(d.count).toEqual([2, 6, 4]);
    expect(d.lower[0]).toBe(0);
    expect(d.upper[0]).toBe(1);
    expect(d.lower[1]).toBe(100);
    expect(d.upper[1]).toBe(100.5);
    for (let i = 1; i < d.lower.length; i++) expect(d.lower[i]).toBeGreaterThanOrEqual(d.upper[i - 1]);
  });

  it('values beyond the range go to the top bucket, with exact max and mean', () => {
    const h = new LogLinearHistogram();
    h.record(1e17);
    h.record(10);
    expect(h.max).toBe(1e17);
    expect(h.mean).toBe((1e17 + 10) / 2);
    expect(h.quantile(0.99)).toBeLessThanOrEqual(1e17);
    const d = h.toData();
    expect(d.upper[d.upper.length - 1]).toBe(1e17);
  });

  it('rejects negative, NaN and infinite values and negative counts', () => {
    const h = new LogLinearHistogram();
    expect(() => h.record(-1)).toThrow(/must be finite and >= 0, got -1/);
    expect(() => h.record(NaN)).toThrow(/got NaN/);
    expect(() => h.record(Infinity)).toThrow(/got Infinity/);
    expect(() => h.recordN(5, -2)).toThrow(/count must be >= 0, got -2/);
    expect(() => h.quantile(1.5)).toThrow(/q must be in \[0, 1\], got 1.5/);
    expect(h.count).toBe(0);
  });

  it('memory does not grow with the number of records', () => {
    const one = new LogLinearHistogram();
    one.record(123);
    const many = new LogLinearHistogram();
    const u = lcg(11);
    for (let k = 0; k < 1_000_000; k++) many.record(u() * 1e12);
    expect(many.count).toBe(1_000_000);
    expect(many.byteLength).toBe(one.byteLength);
    expect(many.bucketCount).toBe(one.bucketCount);
    // 1 + 50 octaves x 128 sub-buckets of float64.
    expect(one.byteLength).toBe((1 + 50 * 128) * 8);
  });
});
