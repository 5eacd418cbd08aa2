import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { Streams, streamSeed, Xoshiro128 } from '../src/engine/rng.js';
import type { UniformSource } from '../src/distributions/types.js';

function take(rng: UniformSource, n: number): number[] {
  return Array.from({ length: n }, () => rng.double());
}

/** Pearson correlation of two equal-length sequences. */
function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('Streams: determinism', () => {
  it('the same seed and name give the same sequence, from any Streams instance', () => {
    const a = take(new Streams(42).get('arrivals'), 1000);
    const b = take(new Streams(42).get('arrivals'), 1000);
    expect(a).toEqual(b);
  });

  it('get() twice with one name returns a fresh generator replaying the stream from its start', () => {
    const streams = new Streams(7);
    const first = streams.get('service');
    const head = take(first, 10);
    take(first, 500); // advance the first one further
    const second = streams.get('service');
    expect(second).not.toBe(first);
    expect(take(second, 10)).toEqual(head);
  });

  it('is pinned: the seed derivation and generator do not change between versions', () => {
    // Same seed, same model, same result across releases: these are the first draws of
    // xoshiro128** seeded through seedrandom xor4096 from "bpfsim:1:service" and "bpfsim:42:arrivals".
    expect(take(new Streams(1).get('service'), 3)).toEqual([0.18147464818247183, 0.32939389906504335, 0.6867465748880889]);
    expect(take(new Streams(42).get('arrivals'), 2)).toEqual([0.5123972509744761, 0.39287436079143756]);
    expect(streamSeed(1, 'service')).toBe('bpfsim:1:service');
    // The state is seedrandom xor4096's first four 32-bit outputs for the seed string.
    const init = seedrandom.xor4096('bpfsim:1:service');
    const state = [init.int32(), init.int32(), init.int32(), init.int32()] as const;
    expect(take(new Xoshiro128(...state), 3)).toEqual(take(new Streams(1).get('service'), 3));
  });
});

describe('Xoshiro128 (xoshiro128**)', () => {
  it('reproduces the reference C implementation (Blackman & Vigna, xoshiro128starstar.c)', () => {
    // Outputs of the reference code from state {1, 2, 3, 4}, and the 1001st output from the
    // state {0x9e3779b9, 0x7f4a7c15, 0xf39cc060, 0x5ced2c16} (computed with the C code).
    const g = new Xoshiro128(1, 2, 3, 4);
    expect(Array.from({ length: 8 }, () => g.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849,
    ]);
    const h = new Xoshiro128(0x9e3779b9, 0x7f4a7c15, 0xf39cc060, 0x5ced2c16);
    for (let i = 0; i < 1000; i++) h.nextUint32();
    expect(h.nextUint32()).toBe(2492647126);
  });

  it('builds doubles from 27 + 26 bits of two consecutive outputs', () => {
    const a = new Xoshiro128(5, 6, 7, 8);
    const b = new Xoshiro128(5, 6, 7, 8);
    for (let i = 0; i < 100; i++) {
      const hi = a.nextUint32() >>> 5;
      const lo = a.nextUint32() >>> 6;
      expect(b.double()).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
    }
  });

  it('rejects the all-zero state (it would output zeros forever)', () => {
    expect(() => new Xoshiro128(0, 0, 0, 0)).toThrow(RangeError);
  });
});

describe('Streams: independence', () => {
  it('different names and different seeds give different sequences', () => {
    const base = take(new Streams(1).get('cpu0'), 100);
    expect(take(new Streams(1).get('cpu1'), 100)).not.toEqual(base);
    expect(take(new Streams(2).get('cpu0'), 100)).not.toEqual(base);
    // "1" + "1:x" must not collide with "11" + ":x"-like concatenations
    expect(take(new Streams(11).get('x'), 10)).not.toEqual(take(new Streams(1).get('1:x'), 10));
  });

  it('adding a stream, or drawing from another, does not change a stream', () => {
    const alone = take(new Streams(5).get('service'), 2000);
    const streams = new Streams(5);
    const extra = streams.get('a-new-probe');
    const arrivals = streams.get('arrivals');
    const service = streams.get('service');
    const interleaved: number[] = [];
    for (let i = 0; i < 2000; i++) {
      extra.double();
      if (i % 3 === 0) arrivals.double();
      interleaved.push(service.double());
    }
    expect(interleaved).toEqual(alone);
  });

  it('neighbouring names are uncorrelated (|r| below 4 standard errors)', () => {
    const n = 20000;
    const streams = new Streams(3);
    const names = ['cpu0', 'cpu1', 'cpu2', 'service', 'service2'];
    const seqs = names.map((name) => take(streams.get(name), n));
    for (let i = 0; i < seqs.length; i++) {
      for (let j = i + 1; j < seqs.length; j++) {
        expect(Math.abs(correlation(seqs[i], seqs[j]))).toBeLessThan(4 / Math.sqrt(n));
      }
    }
    // and within a stream, consecutive draws are uncorrelated
    const s = seqs[0];
    expect(Math.abs(correlation(s.slice(0, -1), s.slice(1)))).toBeLessThan(4 / Math.sqrt(n));
  });
});

describe('Streams: values', () => {
  it('lie in [0, 1), are uniform (chi-squared, 20 bins, 0.999) and use more than 32 bits', () => {
    const rng = new Streams(9).get('values');
    const n = 100_000;
    const counts = new Array(20).fill(0);
    let fineBits = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.double();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      counts[Math.floor(u * 20)]++;
      if (!Number.isInteger(u * 2 ** 32)) fineBits++;
    }
    const e = n / 20;
    const stat = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(stat).toBeLessThan(43.82); // chi-squared 0.999 quantile, 19 df (see dist-sampler.test.ts)
    expect(fineBits).toBeGreaterThan(n * 0.99); // 53-bit doubles, not 32-bit values
  });

  it('rejects master seeds that are not integers >= 0', () => {
    expect(() => new Streams(-1)).toThrow(RangeError);
    expect(() => new Streams(1.5)).toThrow(/integer >= 0/);
    expect(() => new Streams(NaN)).toThrow(RangeError);
    expect(() => new Streams(2 ** 60)).toThrow(RangeError);
    expect(new Streams(0).masterSeed).toBe(0);
  });
});
