/**
 * Sweep output a user reads: chart axes in words with units (not field paths), powers of two on
 * a log2 axis with the swept values as ticks, no chart for a figure that only moves within its
 * confidence interval, and points whose consumer was saturated or whose run was too short
 * flagged in the table, the CSV and the chart. Hand-built results: every number is stated here.
 */
import { describe, expect, it } from 'vitest';
import { sweepChartSpec, sweepCsv, sweepIsNoise, sweepTable } from '../src/report/sweep-report.js';
import { figureAxis, figureWords, powersOfTwo, sweepScale, varyWords } from '../src/report/figure-labels.js';
import type { FigureCI } from '../src/whatif/aggregate.js';
import type { SweepResult } from '../src/whatif/sweep.js';

type Spec = Record<string, any>;

const ci = (mean: number, half: number): FigureCI => ({ mean, lo: mean - half, hi: mean + half, halfWidth: half, n: 3 });

/** pageCnt 1..64: loss falls from 40% to 0; p99 latency in ns; the smallest two saturated, 64 still filling. */
function sweep(): SweepResult {
  const pages = [1, 2, 4, 8, 16, 32, 64];
  return {
    kind: 'bpfsim-sweep',
    version: 1,
    model: 'tracer',
    source: 'm.yaml',
    vary: [{ path: 'output.pageCnt', values: pages.map(String) }],
    replications: { initial: 3, precision: null },
    confidence: 0.95,
    complete: true,
    points: pages.map((p, i) => ({
      index: i,
      values: { 'output.pageCnt': String(p) },
      label: `output.pageCnt=${p}`,
      n: 3,
      capped: false,
      figures: {
        'events.lostPct': ci(40 / p - 0.6, 5),
        'latency.traced.p99': ci(2000 + 100 * i, 50),
        'memory.total.maxBytes': ci(70e6, 0),
        'cpu.consumerPct': ci(50 + i, 30),
        'warnings.consumer-saturated': ci(i < 2 ? 1 : 0, 0),
        'warnings.not-steady-state': ci(p === 64 ? 1 / 3 : 0, 0.5),
      },
    })),
  };
}

describe('sweep chart axes in words', () => {
  it('names figures and swept fields in words, with units', () => {
    expect(figureWords('events.lostPct')).toBe('events lost');
    expect(figureWords('latency.traced.p999')).toBe('traced latency p99.9');
    expect(figureAxis('latency.traced.p99', [2000, 2600]).title).toBe('traced latency p99 (µs)');
    expect(figureAxis('memory.total.maxBytes', [70e6]).title).toBe('memory, max (MiB)');
    expect(figureAxis('cpu.consumerPct', [50]).title).toBe('consumer CPU (% of one CPU)');
    expect(varyWords('output.pageCnt')).toBe('perf buffer pages per CPU (output.pageCnt)');
  });

  it('puts powers of two on a log2 axis whose ticks are the swept values', () => {
    expect(powersOfTwo([1, 2, 4, 64])).toBe(true);
    expect(powersOfTwo([1, 3, 4])).toBe(false);
    expect(sweepScale([1, 2, 4, 8], '~g')).toEqual({ scale: { type: 'log', base: 2 }, axis: { values: [1, 2, 4, 8], format: '~g', labelOverlap: 'greedy' } });
    expect((sweepScale([10, 100, 1000], '~s').scale as { type: string }).type).toBe('log');
  });

  it('draws the chart in those words, the y values in the unit of the title, the CI clipped to 0-100%', () => {
    const spec = sweepChartSpec(sweep(), 'latency.traced.p99') as Spec;
    const line = spec.layer.find((l: Spec) => l.mark.type === 'line');
    expect(line.encoding.x.title).toBe('perf buffer pages per CPU (output.pageCnt)');
    expect(line.encoding.x.scale).toEqual({ type: 'log', base: 2 });
    expect(line.encoding.y.title).toBe('traced latency p99 (µs)');
    expect(spec.data.values[0].y).toBeCloseTo(2.0, 12);
    expect(JSON.stringify(spec)).not.toContain('latency.traced.p99');
    const loss = sweepChartSpec(sweep(), 'events.lostPct') as Spec;
    for (const row of loss.data.values) {
      expect(row.lo).toBeGreaterThanOrEqual(0);
      expect(row.hi).toBeLessThanOrEqual(100);
    }
  });

  it('draws no chart for a figure that is constant or moves only within its CI', () => {
    const r = sweep();
    expect(sweepIsNoise(r, 'memory.total.maxBytes')).toBe(true);
    expect(sweepChartSpec(r, 'memory.total.maxBytes')).toBeUndefined();
    // 50..56% with ±30 half-widths: every mean is inside every other point's interval.
    expect(sweepIsNoise(r, 'cpu.consumerPct')).toBe(true);
    expect(sweepIsNoise(r, 'events.lostPct')).toBe(false);
    expect(sweepChartSpec(r, 'events.lostPct')).toBeDefined();
  });
});

describe('flagged sweep points', () => {
  it('are flagged in the table, with what the flag means', () => {
    const text = sweepTable(sweep(), ['events.lostPct']);
    const rows = text.split('\n');
    expect(rows.find((l) => /^\s+1\s/.test(l))).toMatch(/consumer saturated\s*$/);
    expect(rows.find((l) => /^\s+8\s/.test(l))).not.toMatch(/consumer saturated|too short/);
    expect(rows.find((l) => /^\s+64\s/.test(l))).toMatch(/run too short\s*$/);
    expect(text).toContain('consumer saturated: the reader is busy all the time');
    expect(text).toContain('run too short: the buffer was still filling at the end');
  });

  it('carry their flags in every CSV row', () => {
    const csv = sweepCsv(sweep()).trim().split('\n');
    expect(csv[0].split(',').at(-1)).toBe('flags');
    expect(csv.filter((l) => l.startsWith('0,1,')).every((l) => l.endsWith(',consumer saturated'))).toBe(true);
    expect(csv.filter((l) => l.startsWith('3,8,')).every((l) => l.endsWith(','))).toBe(true);
    expect(csv.filter((l) => l.startsWith('6,64,')).every((l) => l.endsWith(',run too short'))).toBe(true);
  });

  it('are marked in the chart, with a legend naming the flag', () => {
    const spec = sweepChartSpec(sweep(), 'events.lostPct') as Spec;
    const marks = spec.layer.find((l: Spec) => l.encoding?.shape?.field === 'flag');
    expect(marks).toBeDefined();
    const flagged = spec.data.values.filter((r: Spec) => r.flag !== null).map((r: Spec) => [r.x, r.flag]);
    expect(flagged).toEqual([
      [1, 'consumer saturated'],
      [2, 'consumer saturated'],
      [64, 'run too short'],
    ]);
  });
});
