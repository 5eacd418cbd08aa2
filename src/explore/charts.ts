/**
 * Vega-lite specs of the explore page's own views; the views it shares with the static report
 * (occupancy, latency CDF, sweeps, comparisons) use the report's specs (src/report). Pure
 * functions of the numbers given, in the report's style.
 */
import type { Result } from '../result.js';
import { COLORS, HEIGHT, topLevel, WIDTH, type VlSpec } from '../report/chart-style.js';
import { byteUnit } from '../units/format.js';

/** A figure with its confidence interval over replications (lo/hi undefined with one run). */
export interface FigureBar {
  label: string;
  value: number;
  lo?: number;
  hi?: number;
}

const finite = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);

function ciRows(bars: FigureBar[]) {
  return bars.map((b) => ({ label: b.label, value: b.value, lo: finite(b.lo) && finite(b.hi) ? b.lo : null, hi: finite(b.lo) && finite(b.hi) ? b.hi : null }));
}

/** Shares in % (events lost, throughput lost, reader busy, ...) as bars on 0-100 with CI error bars. */
export function lossUtilisationChart(bars: FigureBar[], replications: number): VlSpec {
  // Rows in the order given (an explicit sort list conflicts with the error bars' own domain).
  const y = { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 260 } };
  const x = { field: 'value', type: 'quantitative', title: '% (events, packets, or one CPU)', scale: { domain: [0, 100] } };
  return topLevel(
    'Loss and reader utilisation',
    replications > 1 ? `mean of ${replications} replications; error bars: 95% confidence interval` : 'one run (replications follow in the background)',
    {
      width: WIDTH,
      height: 26 * bars.length,
      data: { values: ciRows(bars) },
      layer: [
        { mark: { type: 'bar', color: COLORS.baseline, opacity: 0.85 }, encoding: { y, x } },
        {
          transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
          mark: { type: 'errorbar', ticks: true, color: '#333333' },
          encoding: { y, x: { field: 'lo', type: 'quantitative', title: null }, x2: { field: 'hi' } },
        },
        {
          transform: [{ calculate: "format(datum.value, '.3~r') + '%'", as: 'text' }],
          mark: { type: 'text', align: 'left', dx: 6, fontSize: 11, color: '#333333' },
          encoding: { y, x: { field: 'value', type: 'quantitative' }, text: { field: 'text' } },
        },
      ],
    },
  );
}

/** The memory parts, in the order of the breakdown (no red: red means loss). */
const MEMORY_COLORS = ['#4c78a8', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2'];

/** Kernel overhead per data-path CPU beside the reader, and memory by part (max and typical). */
export function cpuMemoryChart(result: Result): VlSpec {
  const cpuRows = [
    ...result.cpu.kernelPctPerCpu.map((pct, i) => ({ who: `cpu${i} (probes)`, pct, kind: 'kernel, on the data path' })),
    { who: 'reader', pct: result.cpu.consumerPct, kind: 'reader (user space)' },
  ];
  const m = result.memory;
  const parts: [string, number, number][] = [
    ['base (reader process)', m.base, m.base],
    ['maps', m.mapsMaxBytes, m.mapsTypicalBytes],
    ['buffers', m.buffers, m.buffers],
    ['JIT images', m.jit, m.jit],
    ['other', m.other, m.other],
  ];
  const { unit, scale } = byteUnit(Math.max(1, m.total.maxBytes));
  const memRows = parts.flatMap(([part, max, typical]) => [
    { figure: 'max', part, value: max / scale },
    { figure: 'typical', part, value: typical / scale },
  ]);
  return topLevel('CPU and memory', 'CPU: % of one CPU over the measured window; memory: the tool\'s breakdown', {
    hconcat: [
      {
        width: 300,
        height: Math.max(80, 22 * cpuRows.length),
        data: { values: cpuRows },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'who', type: 'nominal', sort: cpuRows.map((r) => r.who), title: null },
          x: { field: 'pct', type: 'quantitative', title: '% of one CPU' },
          color: { field: 'kind', type: 'nominal', title: null, scale: { range: [COLORS.traced, COLORS.simulated] } },
        },
      },
      {
        width: 260,
        height: 70,
        data: { values: memRows },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'figure', type: 'nominal', title: null, sort: ['max', 'typical'] },
          x: { field: 'value', type: 'quantitative', title: `memory (${unit})`, stack: 'zero' },
          color: { field: 'part', type: 'nominal', title: null, sort: parts.map((p) => p[0]), scale: { range: MEMORY_COLORS }, legend: { columns: 2, orient: 'bottom' } },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  });
}

export interface TornadoRow {
  /** The knob. */
  knob: string;
  /** The figure one step down and one step up (the option values in the labels). */
  low?: { label: string; value: number };
  high?: { label: string; value: number };
}

/**
 * Sensitivity: for each knob, the figure one option below and one above the current setting,
 * as bars from the current value, knobs sorted by how far they move it.
 */
export function tornadoChart(rows: TornadoRow[], base: number, figureTitle: string): VlSpec {
  const span = (r: TornadoRow) => Math.max(Math.abs((r.low?.value ?? base) - base), Math.abs((r.high?.value ?? base) - base));
  const sorted = [...rows].sort((a, b) => span(b) - span(a));
  const values = sorted.flatMap((r) =>
    (['low', 'high'] as const).flatMap((side) => {
      const s = r[side];
      return s ? [{ knob: r.knob, side: side === 'low' ? 'one step down' : 'one step up', value: s.value, base, setting: s.label }] : [];
    }),
  );
  const y = { field: 'knob', type: 'nominal', sort: sorted.map((r) => r.knob), title: null, axis: { labelLimit: 240 } };
  const x = { field: 'value', type: 'quantitative', title: figureTitle };
  return topLevel(`Sensitivity: what moves ${figureTitle}`, 'bars from the current setting to one option down / up; labels: the setting tried', {
    width: WIDTH,
    height: Math.max(60, 34 * sorted.length),
    data: { values },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.85, height: 14 },
        encoding: {
          y,
          yOffset: { field: 'side', sort: ['one step down', 'one step up'] },
          x,
          x2: { field: 'base' },
          color: { field: 'side', type: 'nominal', title: null, sort: ['one step down', 'one step up'], scale: { range: [COLORS.baseline, COLORS.simulated] } },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#333333' },
        encoding: { y, yOffset: { field: 'side', sort: ['one step down', 'one step up'] }, x, text: { field: 'setting' } },
      },
      {
        data: { values: [{ base }] },
        mark: { type: 'rule', color: COLORS.capacity, strokeDash: [6, 4] },
        encoding: { x: { field: 'base', type: 'quantitative' } },
      },
    ],
  });
}

export interface CandidatePoint {
  /** The setting, e.g. "pageCnt=64 wakeupEvents=8". */
  label: string;
  cost: number;
  lossPct: number;
  inflationPct: number;
  feasible: boolean;
  best: boolean;
}

/** The settings tried: cost against loss, those meeting both limits apart, the cheapest marked. */
export function cheapestChart(points: CandidatePoint[], limits: { lossPct: number; inflationPct: number }, costTitle: string, costIsBytes: boolean): VlSpec {
  const { unit, scale } = costIsBytes ? byteUnit(Math.max(1, ...points.filter((p) => Number.isFinite(p.cost)).map((p) => p.cost))) : { unit: '%', scale: 1 };
  // Drawn in this order: settings over a limit first, the cheapest within limits on top.
  const rank = (p: CandidatePoint) => (p.best ? 2 : p.feasible ? 1 : 0);
  const shown = points.filter((p) => Number.isFinite(p.cost) && Number.isFinite(p.lossPct)).sort((a, b) => rank(a) - rank(b));
  const values = shown.map((p) => ({
    ...p,
    costShown: p.cost / scale,
    verdict: p.best ? 'cheapest within limits' : p.feasible ? 'within limits' : 'over a limit',
  }));
  const x = { field: 'costShown', type: 'quantitative', title: `${costTitle} (${unit}${costIsBytes ? ', log' : ''})`, scale: costIsBytes ? { type: 'log' } : { zero: true } };
  const y = { field: 'lossPct', type: 'quantitative', title: 'events lost (%)' };
  return topLevel('Cheapest setting', `limits: events lost < ${limits.lossPct}%, mean latency inflation < ${limits.inflationPct}%`, {
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 70, opacity: 0.8 },
        encoding: {
          x,
          y,
          color: {
            field: 'verdict',
            type: 'nominal',
            title: null,
            scale: { domain: ['cheapest within limits', 'within limits', 'over a limit'], range: ['#2e7d32', COLORS.baseline, '#bbbbbb'] },
          },
          tooltip: [{ field: 'label' }, { field: 'lossPct', format: '.3~r' }, { field: 'inflationPct', format: '.3~r' }, { field: 'costShown', format: '.4~r' }],
        },
      },
      // The label only when there is a cheapest (an empty layer would leave its scales without data).
      ...(shown.some((p) => p.best)
        ? [{ transform: [{ filter: 'datum.best' }], mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 11, color: '#2e7d32' }, encoding: { x, y, text: { field: 'label' } } }]
        : []),
      {
        data: { values: [{ limit: limits.lossPct }] },
        mark: { type: 'rule', strokeDash: [6, 4], color: COLORS.loss },
        encoding: { y: { field: 'limit', type: 'quantitative' } },
      },
    ],
  });
}
