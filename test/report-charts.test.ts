import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { histogramCdf } from '../src/report/cdf.js';
import { latencyChart, MAX_CDF_POINTS, MAX_RINGS_COLORED, occupancyChart } from '../src/report/charts.js';
import { compareBarsChart, cpuVsRateChart, lossVsSizeChart, sweepChart } from '../src/report/charts-experiment.js';
import { runCpuPoints } from '../src/report/run-report.js';
import { runFacts } from '../src/report/facts.js';
import { FIXTURES, loadFixture } from './fixtures/results.js';

type Row = Record<string, unknown>;
type Spec = Record<string, any>;

const values = (spec: Spec): Row[] => spec.data.values;

/** Every layer of a spec, depth first (layer, vconcat, hconcat, facet spec). */
function layers(spec: Spec): Spec[] {
  const kids: Spec[] = [...(spec.layer ?? []), ...(spec.vconcat ?? []), ...(spec.hconcat ?? []), ...(spec.spec ? [spec.spec] : [])];
  return [spec, ...kids.flatMap(layers)];
}

const markType = (l: Spec) => (typeof l.mark === 'string' ? l.mark : l.mark?.type);

describe('histogramCdf', () => {
  it('rises linearly through buckets, stays flat across gaps and ends at exactly 1', () => {
    const cdf = histogramCdf({ lower: [100, 200, 400], upper: [200, 300, 500], count: [1, 2, 1] });
    expect(cdf).toEqual([
      { x: 100, cdf: 0 },
      { x: 200, cdf: 0.25 },
      { x: 300, cdf: 0.75 },
      { x: 400, cdf: 0.75 },
      { x: 500, cdf: 1 },
    ]);
  });

  it('starts at the first upper bound when the first bucket begins at 0 (log axis)', () => {
    expect(histogramCdf({ lower: [0, 10], upper: [10, 20], count: [3, 1] })[0]).toEqual({ x: 10, cdf: 0.75 });
    expect(histogramCdf({ lower: [], upper: [], count: [] })).toEqual([]);
  });
});

describe('occupancyChart', () => {
  it('has one data row per interval per ring carrying the fixture’s numbers', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const spec = occupancyChart(r) as Spec;
    const rows = values(spec);
    const rings = r.occupancy.rings;
    expect(rows).toHaveLength(rings.length * rings[0].series.t.length);
    for (const ring of rings) {
      const mine = rows.filter((x) => x.ring === ring.name);
      expect(mine.map((x) => x.t_ms)).toEqual(ring.series.t.map((t) => t / 1e6));
      expect(mine.map((x) => x.mean_bytes)).toEqual(ring.series.meanBytes);
      expect(mine.map((x) => x.max_bytes)).toEqual(ring.series.maxBytes);
      expect(mine.map((x) => x.lost)).toEqual(ring.series.lost);
      // Display unit KiB for a 32 KiB ring.
      expect(mine.map((x) => x.mean)).toEqual(ring.series.meanBytes.map((b) => b / 1024));
      expect(mine.every((x) => (x.t_end_ms as number) - (x.t_ms as number) === r.occupancy.intervalNs / 1e6)).toBe(true);
    }
  });

  it('draws a rule at the capacity, and the loss per interval in a panel below on an axis fitted to it', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const spec = occupancyChart(r) as Spec;
    const rule = layers(spec).find((l) => markType(l) === 'rule')!;
    expect(rule.data.values).toEqual([{ capacity_bytes: 32768, capacity: 32, label: 'capacity 32 KiB' }]);
    expect(rule.data.values[0].capacity_bytes).toBe(r.occupancy.rings[0].capacityBytes);
    expect(spec.vconcat).toHaveLength(2);
    const loss = spec.vconcat[1];
    expect(markType(loss)).toBe('rect');
    expect(loss.encoding.y.field).toBe('lost_all');
    // Fitted to its data: no forced domain, and the x (time) axis shared with the fill above.
    expect(loss.encoding.y.scale).toBeUndefined();
    expect(spec.resolve.scale.x).toBe('shared');
  });

  it('keeps overlapping ring lines apart: a dash pattern and a width per ring, wider ones underneath', () => {
    const spec = occupancyChart(loadFixture('perf-4cpu-lossy')) as Spec;
    const line = layers(spec).find((l) => markType(l) === 'line' && l.encoding?.strokeDash)!;
    const dashes = line.encoding.strokeDash.scale.range as number[][];
    expect(new Set(dashes.map((d) => d.join(','))).size).toBe(4);
    const widths = line.encoding.strokeWidth.scale.range as number[];
    expect([...widths].sort((a, b) => b - a)).toEqual(widths);
    expect(line.encoding.order.field).toBe('ring_order');
  });

  it('has no loss layer when nothing was lost', () => {
    const spec = occupancyChart(loadFixture('ringbuf-2cpu-clean')) as Spec;
    expect(layers(spec).some((l) => l.encoding?.y?.field === 'lost_all')).toBe(false);
    expect(JSON.stringify(spec.title)).toContain('no events lost');
  });

  it(`colours up to ${MAX_RINGS_COLORED} rings and aggregates more into max and mean over rings`, () => {
    const few = occupancyChart(loadFixture('perf-4cpu-lossy')) as Spec;
    expect(layers(few).some((l) => l.encoding?.color?.field === 'ring')).toBe(true);
    const wide = loadFixture('perf-16cpu-wide');
    const many = occupancyChart(wide) as Spec;
    expect(layers(many).some((l) => l.encoding?.color?.field === 'ring')).toBe(false);
    const agg = layers(many).find((l) => l.transform?.[0]?.aggregate)!;
    expect(agg.transform[0].groupby).toEqual(['t_ms']);
    expect(agg.encoding.color.scale.domain).toEqual(['max over 16 rings', 'mean over 16 rings']);
    expect(values(many)).toHaveLength(16 * wide.occupancy.rings[0].series.t.length);
  });
});

describe('latencyChart', () => {
  it('holds a monotone CDF per variant that ends at 1, from the histograms', () => {
    for (const name of FIXTURES) {
      const r = loadFixture(name);
      const rows = values(latencyChart(r) as Spec);
      for (const variant of ['baseline', 'traced'] as const) {
        const mine = rows.filter((x) => x.variant === variant);
        const h = r.latency.histograms[variant];
        expect(mine.length).toBeGreaterThanOrEqual(h.count.length + 1);
        for (let i = 1; i < mine.length; i++) {
          expect(mine[i].latency_ns as number).toBeGreaterThanOrEqual(mine[i - 1].latency_ns as number);
          expect(mine[i].cdf as number).toBeGreaterThanOrEqual(mine[i - 1].cdf as number);
        }
        expect(mine[0].cdf).toBe(0);
        expect(mine[mine.length - 1].cdf).toBe(1);
        expect(mine[mine.length - 1].latency_ns).toBe(h.upper[h.upper.length - 1]);
        for (const x of mine) {
          expect(x.latency_us).toBeCloseTo((x.latency_ns as number) / 1e3, 9);
          expect(x.tail).toBeCloseTo(1 - (x.cdf as number), 12);
        }
      }
    }
  });

  it('matches the histogram’s median: the CDF crosses 0.5 near latency.p50', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const traced = values(latencyChart(r) as Spec).filter((x) => x.variant === 'traced');
    const i = traced.findIndex((x) => (x.cdf as number) >= 0.5);
    const [a, b] = [traced[i - 1], traced[i]] as { latency_ns: number; cdf: number }[];
    const x50 = a.latency_ns + ((0.5 - a.cdf) / (b.cdf - a.cdf)) * (b.latency_ns - a.latency_ns);
    expect(x50).toBeCloseTo(r.latency.traced.p50!, 0);
  });

  it('thins a fine histogram to at most MAX_CDF_POINTS exact points per variant', () => {
    const r = loadFixture('ringbuf-2cpu-clean');
    // 2,000 buckets of 1 ns from 500 ns, every count 1.
    const lower = Array.from({ length: 2000 }, (_, i) => 500 + i);
    r.latency.histograms.traced = { lower, upper: lower.map((x) => x + 1), count: lower.map(() => 1) };
    const traced = values(latencyChart(r) as Spec).filter((x) => x.variant === 'traced');
    expect(traced.length).toBeLessThanOrEqual(MAX_CDF_POINTS);
    expect(traced.length).toBeGreaterThan(MAX_CDF_POINTS / 2);
    expect(traced[0]).toMatchObject({ latency_ns: 500, cdf: 0 });
    expect(traced.at(-1)).toMatchObject({ latency_ns: 2500, cdf: 1 });
    // Each kept point is exact: uniform counts make the CDF (x - 500) / 2000.
    for (const x of traced) expect(x.cdf).toBeCloseTo(((x.latency_ns as number) - 500) / 2000, 12);
  });

  it('uses log x axes and a log tail panel', () => {
    const spec = latencyChart(loadFixture('perf-4cpu-lossy')) as Spec;
    expect(spec.hconcat).toHaveLength(2);
    for (const panel of spec.hconcat) expect(panel.encoding.x.scale.type).toBe('log');
    expect(spec.hconcat[1].encoding.y.scale.type).toBe('log');
  });
});

describe('experiment charts', () => {
  const points = [64, 8, 1, 16].map((p) => ({ size: p, sizeLabel: `${p}`, lossPct: 40 / p, lo: 32 / p, hi: 48 / p, memoryBytes: 4 * p * 4096 }));

  it('lossVsSizeChart orders sizes numerically, keeps the CI and adds a memory panel', () => {
    const spec = lossVsSizeChart(points, { xTitle: 'pageCnt', targetLossPct: 1 }) as Spec;
    expect(values(spec).map((x) => x.size)).toEqual([1, 8, 16, 64]);
    expect(values(spec).map((x) => [x.lossPct, x.lo, x.hi])).toEqual([1, 8, 16, 64].map((p) => [40 / p, 32 / p, 48 / p]));
    // 4 CPUs x 64 pages x 4 KiB = 1 MiB: the memory axis is in MiB.
    expect(values(spec).map((x) => x.memory)).toEqual([1, 8, 16, 64].map((p) => (4 * p * 4096) / 1048576));
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.vconcat[1].encoding.y.title).toBe('memory (MiB)');
    // Powers of two on a log2 axis whose ticks are the sizes run.
    const x = spec.vconcat[0].layer[1].encoding.x;
    expect(x.scale).toMatchObject({ type: 'log', base: 2 });
    expect(x.axis.values).toEqual([1, 8, 16, 64]);
    const target = layers(spec).find((l) => markType(l) === 'rule')!;
    expect(target.data.values[0].target).toBe(1);
    expect(layers(spec).some((l) => markType(l) === 'area' && l.encoding.y.field === 'lo')).toBe(true);
  });

  it('lossVsSizeChart clips the CI band to 0-100% and labels byte sizes in binary units', () => {
    const wide = points.map((p) => ({ ...p, lo: -20, hi: 130 }));
    const spec = lossVsSizeChart(wide, { bytes: true }) as Spec;
    for (const v of values(spec)) {
      expect(v.lo).toBe(0);
      expect(v.hi).toBe(100);
    }
    expect(spec.vconcat[0].layer[1].encoding.x.axis.labelExpr).toContain("' KiB'");
  });

  it('lossVsSizeChart without memory or CI is one panel without a band', () => {
    const spec = lossVsSizeChart(points.map(({ size, sizeLabel, lossPct }) => ({ size, sizeLabel, lossPct }))) as Spec;
    expect(spec.vconcat).toBeUndefined();
    expect(layers(spec).some((l) => markType(l) === 'area')).toBe(false);
  });

  it('compareBarsChart facets by metric with independent scales and error bars where given', () => {
    const rows = [
      { variant: 'perf 8', metric: 'lost %', value: 11.9, lo: 11.2, hi: 12.5 },
      { variant: 'ringbuf', metric: 'lost %', value: 0.4, lo: 0.2, hi: 0.6 },
      { variant: 'perf 8', metric: 'p99 µs', value: 8.5 },
      { variant: 'ringbuf', metric: 'p99 µs', value: 4.2 },
    ];
    const spec = compareBarsChart(rows) as Spec;
    expect(spec.facet.field).toBe('metric');
    expect(spec.resolve.scale.y).toBe('independent');
    expect(values(spec).map((x) => [x.variant, x.metric, x.value, x.lo, x.hi])).toEqual([
      ['perf 8', 'lost %', 11.9, 11.2, 12.5],
      ['ringbuf', 'lost %', 0.4, 0.2, 0.6],
      ['perf 8', 'p99 µs', 8.5, null, null],
      ['ringbuf', 'p99 µs', 4.2, null, null],
    ]);
    expect(layers(spec).some((l) => markType(l) === 'errorbar')).toBe(true);
  });

  it('cpuVsRateChart: the run’s static line is rate x a constant cost and passes through the estimate', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const pts = runCpuPoints(r);
    const perEvent = r.cpu.static.kernelPctSum / r.cpu.static.eventRate;
    for (const p of pts) expect(p.staticPct / p.rate).toBeCloseTo(perEvent, 15);
    expect(pts.some((p) => p.rate === r.cpu.static.eventRate && p.staticPct === r.cpu.static.kernelPctSum)).toBe(true);
    const sim = pts.filter((p) => p.simPct !== undefined);
    expect(sim).toHaveLength(1);
    expect(sim[0].rate).toBeCloseTo(runFacts(r).generatedPerSec, 6);
    expect(sim[0].simPct).toBeCloseTo(r.cpu.kernelNsPerSec / 1e7, 9);
    const spec = cpuVsRateChart(pts) as Spec;
    const rows = values(spec);
    expect(rows.filter((x) => x.series === 'simulated')).toHaveLength(1);
    expect(spec.layer[0].encoding.x.scale.type).toBe('log');
    expect(spec.layer[0].encoding.y.scale.type).toBe('log');
    expect(spec.layer[3].data.values).toEqual([{ pct: 100 }]);
  });

  it('cpuVsRateChart reproduces the seed’s table: 500 ns per event is 0.05% at 1K/s and 50% at 1M/s', () => {
    const seed = [1e3, 1e4, 1e5, 1e6, 1e7].map((rate) => ({ rate, staticPct: (rate * 500) / 1e7 }));
    const rows = values(cpuVsRateChart(seed) as Spec);
    expect(rows.map((x) => x.pct)).toEqual([0.05, 0.5, 5, 50, 500]);
  });

  it('sweepChart plots the named fields, one colour per group, optional CI band', () => {
    const rows = [1, 2, 3].flatMap((x) => ['a', 'b'].map((g) => ({ x, g, y: x * (g === 'a' ? 1 : 2), lo: x - 0.1, hi: x + 0.1 })));
    const spec = sweepChart(rows, 'x', 'y', 'g', { lo: 'lo', hi: 'hi', yLog: true }) as Spec;
    expect(values(spec)).toBe(rows);
    const line = spec.layer[1];
    expect([line.encoding.x.field, line.encoding.y.field, line.encoding.color.field]).toEqual(['x', 'y', 'g']);
    expect(line.encoding.y.scale.type).toBe('log');
    expect(spec.layer[0].encoding.y2.field).toBe('hi');
  });
});

describe('every spec compiles with vega-lite', () => {
  it('run charts for every fixture and the experiment charts', () => {
    const specs: object[] = [];
    for (const name of FIXTURES) specs.push(occupancyChart(loadFixture(name)), latencyChart(loadFixture(name)));
    specs.push(
      lossVsSizeChart([{ size: 1, sizeLabel: '1', lossPct: 3, lo: 2, hi: 4, memoryBytes: 4096 }], { targetLossPct: 0.1 }),
      compareBarsChart([{ variant: 'v', metric: 'm', value: 1, lo: 0.5, hi: 1.5 }]),
      cpuVsRateChart(runCpuPoints(loadFixture('ringbuf-2cpu-clean'))),
      sweepChart([{ x: 1, y: 2 }], 'x', 'y'),
    );
    for (const s of specs) expect(() => compile(s as TopLevelSpec)).not.toThrow();
  });
});
