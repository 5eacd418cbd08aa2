/**
 * Vega-lite specs for one run: buffer occupancy over time and the latency distribution. Pure
 * functions of the Result; the data is inlined (`data.values`) so a spec renders on its own.
 */
import type { Result } from '../result.js';
import { histogramCdf, type CdfPoint } from './cdf.js';
import { COLORS, HEIGHT, topLevel, WIDTH, type VlSpec } from './chart-style.js';
import { byteUnit, formatBytes, formatCount } from '../units/format.js';

/** Rings drawn one colour each up to this many; beyond, the chart shows max and mean over rings. */
export const MAX_RINGS_COLORED = 8;

/** Tableau 10 without its reds, which mean loss here. */
const RING_COLORS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#72b7b2', '#eeca3b', '#9d755d', '#bab0ac'];

export interface OccupancyRow {
  /** Interval start and end, ms. */
  t_ms: number;
  t_end_ms: number;
  ring: string;
  mean_bytes: number;
  max_bytes: number;
  /** The same in the chart's display unit (KiB, MiB, ...). */
  mean: number;
  max: number;
  fill_pct: number;
  lost: number;
  /** The ring's index: wider lines (the first rings) are drawn first, underneath. */
  ring_order: number;
}

/** One row per interval per ring, with the display unit chosen from the largest capacity. */
export function occupancyRows(result: Result): { rows: OccupancyRow[]; unit: string; scale: number } {
  const { rings, intervalNs } = result.occupancy;
  const { unit, scale } = byteUnit(Math.max(1, ...rings.map((r) => r.capacityBytes)));
  const rows: OccupancyRow[] = [];
  for (const [k, ring] of rings.entries()) {
    const s = ring.series;
    for (let i = 0; i < s.t.length; i++) {
      rows.push({
        t_ms: s.t[i] / 1e6,
        t_end_ms: (s.t[i] + intervalNs) / 1e6,
        ring: ring.name,
        mean_bytes: s.meanBytes[i],
        max_bytes: s.maxBytes[i],
        mean: s.meanBytes[i] / scale,
        max: s.maxBytes[i] / scale,
        fill_pct: ring.capacityBytes > 0 ? (s.meanBytes[i] / ring.capacityBytes) * 100 : 0,
        lost: s.lost[i],
        ring_order: k,
      });
    }
  }
  return { rows, unit, scale };
}

const X_TIME = { field: 't_ms', type: 'quantitative', title: 'simulated time (ms)' };

/** Dash patterns per ring: lines that lie on top of one another (full rings) stay apart. */
const RING_DASHES = [[1, 0], [8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 5], [12, 6], [6, 2, 2, 2]];

/**
 * Per ring: interval max as a band above the mean line. Each ring has its colour and its dash
 * pattern, and the first rings are drawn wider underneath, so rings whose lines coincide (all
 * full, all empty) still show each of their colours.
 */
function perRingLayers(yTitle: string, ringNames: string[]): VlSpec[] {
  // The layers share the legend, drawn as line strokes.
  const color = {
    field: 'ring',
    type: 'nominal',
    title: 'ring',
    sort: ringNames,
    scale: { range: RING_COLORS },
    legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 },
  };
  const n = ringNames.length;
  // Same field as the colour: one legend whose symbols show colour and dash together.
  const strokeDash = { field: 'ring', type: 'nominal', sort: ringNames, scale: { range: RING_DASHES.slice(0, Math.max(1, n)) } };
  const strokeWidth = {
    field: 'ring',
    type: 'nominal',
    sort: ringNames,
    scale: { range: ringNames.map((_, i) => 1.5 + 1.2 * (n - 1 - i)) },
  };
  return [
    {
      mark: { type: 'area', opacity: 0.18 },
      encoding: {
        x: X_TIME,
        y: { field: 'mean', type: 'quantitative', title: yTitle },
        y2: { field: 'max' },
        color,
      },
    },
    {
      mark: { type: 'line' },
      encoding: {
        x: X_TIME,
        y: { field: 'mean', type: 'quantitative', title: yTitle },
        color,
        strokeDash,
        strokeWidth,
        order: { field: 'ring_order', type: 'quantitative' },
      },
    },
  ];
}

/** Many rings: max over rings and mean over rings per interval, two lines. */
function overRingsLayers(yTitle: string, rings: number): VlSpec[] {
  const maxLabel = `max over ${rings} rings`;
  const meanLabel = `mean over ${rings} rings`;
  return [
    {
      transform: [
        { aggregate: [{ op: 'max', field: 'max', as: 'max_all' }, { op: 'mean', field: 'mean', as: 'mean_all' }], groupby: ['t_ms'] },
        { fold: ['max_all', 'mean_all'], as: ['stat', 'value'] },
        { calculate: `datum.stat === 'max_all' ? '${maxLabel}' : '${meanLabel}'`, as: 'series' },
      ],
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: X_TIME,
        y: { field: 'value', type: 'quantitative', title: yTitle },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain: [maxLabel, meanLabel], range: [COLORS.traced, COLORS.baseline] },
        },
      },
    },
  ];
}

/**
 * Bytes occupied over time, per ring: interval mean (line) and max (band), a dashed rule at each
 * distinct capacity, and events lost per interval as red bars on a second (right) axis.
 */
export function occupancyChart(result: Result): VlSpec {
  const { rows, unit, scale } = occupancyRows(result);
  const rings = result.occupancy.rings;
  const yTitle = `bytes occupied (${unit})`;
  const capacities = [...new Set(rings.map((r) => r.capacityBytes))].map((c) => ({
    capacity_bytes: c,
    capacity: c / scale,
    label: `capacity ${formatBytes(c)}`,
  }));
  const occupancy: VlSpec[] =
    rings.length <= MAX_RINGS_COLORED ? perRingLayers(yTitle, rings.map((r) => r.name)) : overRingsLayers(yTitle, rings.length);
  const capacityLayers: VlSpec[] = [
    {
      data: { values: capacities },
      mark: { type: 'rule', strokeDash: [6, 4], color: COLORS.capacity },
      encoding: { y: { field: 'capacity', type: 'quantitative' } },
    },
    {
      data: { values: capacities },
      mark: { type: 'text', align: 'left', dx: 4, dy: -7, color: COLORS.capacity, fontSize: 11 },
      encoding: { y: { field: 'capacity', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
    },
  ];
  const totalLost = result.events.lost;
  const subtitle = [
    `line: mean per ${formatInterval(result.occupancy.intervalNs)} interval; ` +
      (rings.length <= MAX_RINGS_COLORED ? 'band: up to the interval maximum; ' : '') +
      'dashed: capacity',
    totalLost > 0 ? `below: events lost per interval, ${formatCount(totalLost)} in all` : 'no events lost',
  ];
  // The y axis runs to the capacity: the question is how close to it the fill comes.
  const ringsPanel: VlSpec = {
    width: WIDTH,
    height: HEIGHT,
    layer: [...occupancy, ...capacityLayers],
  };
  if (totalLost === 0) return topLevel('Output buffer occupancy', subtitle, { data: { values: rows }, ...ringsPanel });
  // Losses in a panel of their own below, on an axis fitted to their counts.
  const lossPanel: VlSpec = {
    width: WIDTH,
    height: 110,
    transform: [
      { aggregate: [{ op: 'sum', field: 'lost', as: 'lost_all' }], groupby: ['t_ms', 't_end_ms'] },
      { filter: 'datum.lost_all > 0' },
    ],
    // A rect from 0 to the count, spanning its interval (a bar with x2 would lie on its side).
    mark: { type: 'rect', color: COLORS.loss, opacity: 0.7 },
    encoding: {
      x: X_TIME,
      x2: { field: 't_end_ms' },
      y2: { datum: 0 },
      y: { field: 'lost_all', type: 'quantitative', title: 'events lost', axis: { titleColor: COLORS.loss, format: ',d' } },
    },
  };
  return topLevel('Output buffer occupancy', subtitle, {
    data: { values: rows },
    vconcat: [ringsPanel, lossPanel],
    resolve: { scale: { x: 'shared' } },
  });
}

function formatInterval(ns: number): string {
  return ns >= 1e6 ? `${ns / 1e6} ms` : `${ns / 1e3} µs`;
}

export interface LatencyCdfRow {
  variant: 'baseline' | 'traced';
  latency_ns: number;
  latency_us: number;
  cdf: number;
  /** 1 - cdf: the share of packets slower than this. */
  tail: number;
}

/** Points per variant at most: more add bytes to the page, not detail a reader can see. */
export const MAX_CDF_POINTS = 240;

/**
 * Keeps points at least a fixed ratio apart along the log x axis (always the first and last):
 * each kept point is exact, only the interpolation between them is coarser.
 */
function thinLog(points: CdfPoint[], max: number): CdfPoint[] {
  if (points.length <= max) return points;
  const first = points[0].x;
  const last = points[points.length - 1].x;
  const step = Math.pow(last / first, 1 / (max - 1));
  const kept = [points[0]];
  for (let i = 1; i < points.length - 1; i++) {
    if (points[i].x >= kept[kept.length - 1].x * step) kept.push(points[i]);
  }
  kept.push(points[points.length - 1]);
  return kept;
}

export function latencyCdfRows(result: Result): LatencyCdfRow[] {
  const rows: LatencyCdfRow[] = [];
  for (const variant of ['baseline', 'traced'] as const) {
    for (const p of thinLog(histogramCdf(result.latency.histograms[variant]), MAX_CDF_POINTS)) {
      rows.push({ variant, latency_ns: p.x, latency_us: p.x / 1e3, cdf: p.cdf, tail: 1 - p.cdf });
    }
  }
  return rows;
}

/** CDF of per-packet latency, baseline vs traced (log x), beside the tail (1 - CDF, log y). */
export function latencyChart(result: Result): VlSpec {
  const color = {
    field: 'variant',
    type: 'nominal',
    title: null,
    scale: { domain: ['baseline', 'traced'], range: [COLORS.baseline, COLORS.traced] },
  };
  const x = { field: 'latency_us', type: 'quantitative', title: 'latency (µs, log scale)', scale: { type: 'log' } };
  const { inflation } = result.latency;
  return topLevel(
    'Packet latency: baseline vs traced',
    `mean ${signed(inflation.meanPct)}, p99 ${signed(inflation.p99Pct)} with the tool`,
    {
      data: { values: latencyCdfRows(result) },
      hconcat: [
        {
          width: 300,
          height: 240,
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x,
            y: { field: 'cdf', type: 'quantitative', title: 'CDF: share of packets ≤ x', scale: { domain: [0, 1] } },
            color,
          },
        },
        {
          width: 300,
          height: 240,
          transform: [{ filter: 'datum.tail > 0' }],
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x,
            y: { field: 'tail', type: 'quantitative', title: 'tail: share of packets > x (log)', scale: { type: 'log' } },
            color,
          },
        },
      ],
    },
  );
}

function signed(pct: number | null): string {
  if (pct === null) return 'n/a';
  const r = Math.abs(pct) >= 10 ? pct.toFixed(0) : pct.toFixed(1);
  return `${pct >= 0 ? '+' : ''}${r}%`;
}
