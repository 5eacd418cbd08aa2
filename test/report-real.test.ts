/**
 * The renderers on real simulator Results (the built-in default model, short runs): the tables,
 * CSV, JSON, chart data and HTML agree with the Result they were given.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/simulation/simulate.js';
import { loadModel } from '../src/model/load.js';
import { latencyChart, occupancyChart } from '../src/report/charts.js';
import { resultJson, timeSeriesCsv } from '../src/report/csv.js';
import { runReport } from '../src/report/html.js';
import { renderSvg } from '../src/report/render.js';
import { formatSummary } from '../src/report/summary.js';
import type { Result } from '../src/result.js';

const runs: Record<string, Result> = {};
function run(name: 'perf' | 'ringbuf'): Result {
  const set = name === 'ringbuf' ? ['output.type=ringbuf', 'output.size=256KiB'] : [];
  runs[name] ??= (() => {
    const loaded = loadModel({ duration: '150ms', set });
    return runScenario(loaded.scenario, loaded.catalog);
  })();
  return runs[name];
}

describe.each(['perf', 'ringbuf'] as const)('renderers on a real %s run', (kind) => {
  it('summary: every figure is a number, none is NaN or undefined', () => {
    const text = formatSummary(run(kind));
    expect(text).not.toMatch(/NaN|undefined|null|Infinity/);
    expect(text).toContain(run(kind).meta.model);
  });

  it('CSV and chart data: one row per interval per ring, losses summing to the events lost', () => {
    const r = run(kind);
    const rows = r.occupancy.rings.reduce((a, x) => a + x.series.t.length, 0);
    expect(timeSeriesCsv(r).trimEnd().split('\n')).toHaveLength(rows + 1);
    const spec = occupancyChart(r) as { data: { values: { lost: number; max_bytes: number }[] } };
    expect(spec.data.values).toHaveLength(rows);
    // The series cover the measured window: their losses are the run's losses.
    expect(spec.data.values.reduce((a, x) => a + x.lost, 0)).toBe(r.events.lost);
    const hw = Math.max(...r.occupancy.rings.map((x) => x.highWaterBytes));
    expect(Math.max(...spec.data.values.map((x) => x.max_bytes))).toBe(hw);
  });

  it('latency CDF ends at 1 for both variants', () => {
    const rows = (latencyChart(run(kind)) as { data: { values: { variant: string; cdf: number }[] } }).data.values;
    for (const v of ['baseline', 'traced']) expect(rows.filter((x) => x.variant === v).at(-1)!.cdf).toBe(1);
  });

  it('JSON round-trips; the SVGs and the HTML report render', async () => {
    const r = run(kind);
    expect(JSON.parse(resultJson(r))).toEqual(JSON.parse(JSON.stringify(r)));
    expect(await renderSvg(occupancyChart(r))).toContain('simulated time (ms)');
    const html = await runReport(r, 'name: default\n');
    expect(html).toContain('id="chart-occupancy"');
    expect(html).toContain('id="chart-latency"');
  });
});
