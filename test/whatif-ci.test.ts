/**
 * Replications and their confidence intervals: per-figure aggregation, the paired change of a
 * variant (difference and ratio), the precision rule, and coverage: the CI over replications
 * of an M/M/1 queue covers the analytic mean sojourn 1/(mu - lambda) in at least 90 of 100
 * independently seeded trials.
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { meanCI } from '../src/metrics/ci.js';
import { loadModelObject, parseModelText } from '../src/model/load.js';
import { aggregateFigures, pairedChange } from '../src/whatif/aggregate.js';
import { InlineExecutor } from '../src/whatif/pool.js';
import { nextCount, replicationSeed, runReplications, type PointJob } from '../src/whatif/replicate.js';

describe('aggregation over replications', () => {
  it('gives each figure the Student-t CI of its values, skipping non-finite ones', () => {
    const samples = [
      { a: 1, b: 10, c: NaN },
      { a: 2, b: 12, c: NaN },
      { a: 4, b: 11, c: 5 },
    ];
    const agg = aggregateFigures(samples);
    const a = meanCI([1, 2, 4]);
    expect(agg.a).toEqual({ mean: a.mean, lo: a.lo, hi: a.hi, halfWidth: a.halfWidth, n: 3 });
    expect(agg.b.mean).toBe(11);
    expect(agg.c).toEqual({ mean: 5, lo: -Infinity, hi: Infinity, halfWidth: Infinity, n: 1 });
  });

  it('pairs a variant with its base: the difference by a paired t interval', () => {
    const base = [10, 12, 9, 14, 11];
    const variant = [7, 9.5, 6, 10.5, 8];
    const c = pairedChange(base, variant)!;
    const d = meanCI(variant.map((v, i) => v - base[i]));
    expect(c.delta).toEqual({ value: d.mean, lo: d.lo, hi: d.hi });
    expect(c.n).toBe(5);
  });

  it('a variant that is exactly k times its base has ratio k with no width', () => {
    const base = [3, 5, 4, 8];
    const c = pairedChange(base, base.map((b) => b / 64))!;
    expect(c.ratio!.value).toBeCloseTo(1 / 64, 15);
    expect(c.ratio!.hi - c.ratio!.lo).toBeLessThan(1e-15);
  });

  it('the delta-method ratio interval covers the true ratio of means in >= 90% of trials', () => {
    const rng = seedrandom('ratio-coverage');
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    let covered = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const base: number[] = [];
      const variant: number[] = [];
      for (let i = 0; i < 10; i++) {
        const common = normal();
        base.push(20 + 2 * common + 0.5 * normal());
        variant.push(5 + 0.5 * common + 0.3 * normal()); // E[v]/E[b] = 0.25
      }
      const r = pairedChange(base, variant)!.ratio!;
      if (r.lo <= 0.25 && 0.25 <= r.hi) covered++;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.9);
  });

  it('no ratio when the base mean is 0; the difference still', () => {
    const c = pairedChange([0, 0, 0], [1, 2, 3])!;
    expect(c.ratio).toBeUndefined();
    expect(c.delta.value).toBe(2);
  });
});

describe('replication plan', () => {
  it('seeds replication r with S + r', () => {
    expect([0, 1, 2].map((r) => replicationSeed(41, r))).toEqual([41, 42, 43]);
  });

  it('the next round aims at (worst/target)^2 x n, at least one more, at most double, within the cap', () => {
    const goal = { target: 0.05, figures: ['x'], maxReplications: 40 };
    expect(nextCount(5, 0.06, goal)).toBe(8); // 5 x 1.44 = 7.2 -> 8
    expect(nextCount(5, 0.051, goal)).toBe(6);
    expect(nextCount(5, 0.5, goal)).toBe(10);
    expect(nextCount(30, 0.5, goal)).toBe(40);
    expect(nextCount(5, Infinity, goal)).toBe(10);
  });
});

// M/M/1: one CPU, Poisson arrivals at lambda, exponential service of mean 1/mu, no probes.
const LAMBDA = 500_000; // per s
const MEAN_SERVICE_NS = 1000; // mu = 1e6 per s, rho = 0.5
const ANALYTIC_SOJOURN_NS = 1e9 / (1e9 / MEAN_SERVICE_NS - LAMBDA); // 2000 ns
const mm1 = parseModelText(
  `
name: M/M/1
cpus: 1
traffic: { arrival: poisson, rate: ${LAMBDA}, duration: 20ms, warmup: 2ms }
datapath: { service: { dist: exponential, mean: ${MEAN_SERVICE_NS}ns }, rxQueue: 1000000 }
`,
  '<mm1>',
);

describe('coverage', () => {
  it('95% CIs over 5 replications cover the analytic M/M/1 mean sojourn in >= 90 of 100 trials', async () => {
    const trials = 100;
    const replications = 5;
    // Trial t replicates with seeds 1000 t .. 1000 t + 4: no seed is shared between trials.
    const { scenario, catalog } = loadModelObject(mm1, '<mm1>');
    const jobs: PointJob[] = Array.from({ length: trials }, (_, t) => ({ task: { scenario, catalog }, seed: 1000 * t, group: t }));
    const outcome = await runReplications(jobs, { replications }, new InlineExecutor());
    let covered = 0;
    for (const runs of outcome.runs) {
      expect(runs.map((r) => r.seed)).toEqual([0, 1, 2, 3, 4].map((r) => runs[0].seed + r));
      const ci = aggregateFigures(runs.map((r) => r.figures))['latency.traced.mean'];
      expect(ci.n).toBe(replications);
      if (ci.lo <= ANALYTIC_SOJOURN_NS && ANALYTIC_SOJOURN_NS <= ci.hi) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(90);
    // and the intervals are informative, not trivially wide
    const widths = outcome.runs.map((runs) => aggregateFigures(runs.map((r) => r.figures))['latency.traced.mean'].halfWidth / ANALYTIC_SOJOURN_NS);
    expect(Math.max(...widths)).toBeLessThan(0.2);
  }, 120_000);
});
