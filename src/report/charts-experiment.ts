/**
 * Vega-lite specs for experiments over many runs: loss vs buffer size, what-if comparisons, the
 * static estimate's CPU line against simulated points, and a generic sweep. Pure functions of the rows given.
 */
import { COLORS, HEIGHT, topLevel, WIDTH, type VlSpec } from './chart-style.js';
import { byteUnit } from '../units/format.js';
import { BYTES_LABEL_EXPR, powersOfTwo } from './figure-labels.js';

export interface LossVsSizePoint {
  /** Numeric size (pages or bytes): orders the x axis. */
  size: number;
  /** As the user writes it: "8", "256KiB". */
  sizeLabel: string;
  lossPct: number;
  /** Confidence interval of lossPct, when replicated. */
  lo?: number;
  hi?: number;
  memoryBytes?: number;
}

export interface LossVsSizeOptions {
  title?: string;
  subtitle?: string;
  /** e.g. "perf buffer pages per CPU (pageCnt)" or "ringbuf size". */
  xTitle?: string;
  /** Sizes are bytes: ticks read "256 KiB". */
  bytes?: boolean;
  /** Draws a dashed rule at an acceptable loss, e.g. 0.1 (%). */
  targetLossPct?: number;
  /** Confidence level of lo/hi, for the subtitle (e.g. 0.95). */
  confidence?: number;
}

const hasCi = (p: { lo?: number; hi?: number }) => Number.isFinite(p.lo) && Number.isFinite(p.hi);

/**
 * Loss % against buffer size (powers of two on a log2 axis whose ticks are the sizes run), with
 * its confidence band clipped to 0-100%; when memory is known, a second panel below shows
 * memory per size.
 */
export function lossVsSizeChart(points: LossVsSizePoint[], opts: LossVsSizeOptions = {}): VlSpec {
  const sorted = [...points].sort((a, b) => a.size - b.size);
  const sizes = sorted.map((p) => p.size);
  const withMemory = sorted.filter((p) => Number.isFinite(p.memoryBytes));
  const { unit, scale } = byteUnit(Math.max(1, ...withMemory.map((p) => p.memoryBytes!)));
  const clip = (v: number | undefined) => (v === undefined ? null : Math.min(100, Math.max(0, v)));
  const values = sorted.map((p) => ({
    size: p.size,
    sizeLabel: p.sizeLabel,
    lossPct: p.lossPct,
    lo: hasCi(p) ? clip(p.lo) : null,
    hi: hasCi(p) ? clip(p.hi) : null,
    memoryBytes: p.memoryBytes ?? null,
    memory: p.memoryBytes !== undefined ? p.memoryBytes / scale : null,
  }));
  const axis = opts.bytes ? { values: sizes, labelExpr: BYTES_LABEL_EXPR, labelOverlap: 'greedy' } : { values: sizes, format: '~g', labelOverlap: 'greedy' };
  const x = {
    field: 'size',
    type: 'quantitative',
    title: opts.xTitle ?? 'buffer size',
    scale: powersOfTwo(sizes) ? { type: 'log', base: 2, nice: false } : sizes[0] > 0 ? { type: 'log', nice: false } : { zero: false },
    axis,
  };
  const lossLayers: VlSpec[] = [];
  if (sorted.some(hasCi)) {
    lossLayers.push({
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'area', color: COLORS.band, opacity: 0.45 },
      encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
    });
  }
  lossLayers.push({
    mark: { type: 'line', color: COLORS.traced, strokeWidth: 2, point: { color: COLORS.traced, size: 40 } },
    encoding: {
      x,
      y: { field: 'lossPct', type: 'quantitative', title: 'events lost (%)', axis: { format: '~r' } },
      tooltip: [{ field: 'sizeLabel', title: 'size' }, { field: 'lossPct', title: 'lost %', format: '.3~r' }],
    },
  });
  if (opts.targetLossPct !== undefined) {
    const target = [{ target: opts.targetLossPct, label: `target ${opts.targetLossPct}%` }];
    lossLayers.push(
      { data: { values: target }, mark: { type: 'rule', strokeDash: [6, 4], color: COLORS.capacity }, encoding: { y: { field: 'target', type: 'quantitative' } } },
      {
        data: { values: target },
        mark: { type: 'text', align: 'right', dy: -7, color: COLORS.capacity, fontSize: 11 },
        encoding: { y: { field: 'target', type: 'quantitative' }, x: { value: WIDTH }, text: { field: 'label' } },
      },
    );
  }
  const lossPanel: VlSpec = { width: WIDTH, height: HEIGHT, layer: lossLayers };
  const subtitle = [
    opts.subtitle,
    sorted.some(hasCi) ? `band: ${Math.round((opts.confidence ?? 0.95) * 100)}% confidence interval over replications` : undefined,
  ].filter((t): t is string => t !== undefined);
  const title = opts.title ?? 'Event loss vs buffer size';
  if (withMemory.length === 0) return topLevel(title, subtitle.length ? subtitle : undefined, { data: { values }, ...lossPanel });
  const memoryPanel: VlSpec = {
    width: WIDTH,
    height: 110,
    transform: [{ filter: 'isValid(datum.memory)' }],
    mark: { type: 'line', color: COLORS.baseline, strokeWidth: 2, point: { color: COLORS.baseline, size: 40 } },
    encoding: { x, y: { field: 'memory', type: 'quantitative', title: `memory (${unit})`, axis: { format: '~r' } } },
  };
  return topLevel(title, subtitle.length ? subtitle : undefined, { data: { values }, vconcat: [lossPanel, memoryPanel], resolve: { scale: { x: 'shared' } } });
}

export interface CompareRow {
  variant: string;
  metric: string;
  value: number;
  lo?: number;
  hi?: number;
}

/** What-if comparison: one small panel per metric (own scale), a bar per variant, error bars. */
export function compareBarsChart(rows: CompareRow[], opts: { title?: string; columns?: number } = {}): VlSpec {
  const variants = [...new Set(rows.map((r) => r.variant))];
  const metrics = [...new Set(rows.map((r) => r.metric))];
  const values = rows.map((r) => ({ ...r, lo: hasCi(r) ? r.lo : null, hi: hasCi(r) ? r.hi : null }));
  const x = { field: 'variant', type: 'nominal', sort: variants, title: null, axis: { labelAngle: -30, labelLimit: 140 } };
  const y = { field: 'value', type: 'quantitative', title: null };
  return topLevel(
    opts.title ?? 'What-if comparison',
    rows.some(hasCi) ? 'error bars: confidence interval over replications' : undefined,
    {
      data: { values },
      facet: { field: 'metric', type: 'nominal', sort: metrics, title: null },
      columns: opts.columns ?? Math.min(3, metrics.length),
      spec: {
        width: 200,
        height: 160,
        layer: [
          {
            mark: { type: 'bar', opacity: 0.85 },
            encoding: { x, y, color: { field: 'variant', type: 'nominal', sort: variants, legend: null } },
          },
          {
            transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
            mark: { type: 'errorbar', ticks: true, color: '#333333' },
            encoding: { x, y: { field: 'lo', type: 'quantitative', title: null }, y2: { field: 'hi' } },
          },
          {
            // The value sits above the error bar's upper cap, where there is one.
            transform: [{ calculate: 'isValid(datum.hi) ? max(datum.value, datum.hi) : datum.value', as: 'label_y' }],
            mark: { type: 'text', dy: -7, fontSize: 10, color: '#333333' },
            encoding: {
              x,
              y: { field: 'label_y', type: 'quantitative', title: null },
              text: { field: 'value', type: 'quantitative', format: '.3~r' },
            },
          },
        ],
      },
      resolve: { scale: { y: 'independent' } },
    },
  );
}

export interface CpuRatePoint {
  /** Events per second. */
  rate: number;
  /** The static estimate at this rate, % of one CPU. */
  staticPct: number;
  /** The simulation's figure, when there is one at this rate. */
  simPct?: number;
  label?: string;
}

const STATIC_SERIES = 'static estimate (rate × cost)';
const SIM_SERIES = 'simulated';

/** The static CPU = rate x cost line on log-log axes, simulated points beside it, a rule at one CPU. */
export function cpuVsRateChart(points: CpuRatePoint[], opts: { title?: string; yTitle?: string } = {}): VlSpec {
  const sorted = [...points].sort((a, b) => a.rate - b.rate);
  const values = [
    ...sorted
      .filter((p) => p.rate > 0 && p.staticPct > 0)
      .map((p) => ({ rate: p.rate, pct: p.staticPct, series: STATIC_SERIES, label: null as string | null })),
    ...sorted
      .filter((p) => p.rate > 0 && p.simPct !== undefined && p.simPct > 0)
      .map((p) => ({ rate: p.rate, pct: p.simPct!, series: SIM_SERIES, label: p.label ?? null })),
  ];
  const x = { field: 'rate', type: 'quantitative', title: 'events per second (log)', scale: { type: 'log' }, axis: { format: '~s' } };
  const y = { field: 'pct', type: 'quantitative', title: opts.yTitle ?? 'CPU, % of one CPU (log)', scale: { type: 'log' } };
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: [STATIC_SERIES, SIM_SERIES], range: [COLORS.staticLine, COLORS.simulated] },
  };
  return topLevel(opts.title ?? 'CPU cost vs event rate', 'dashed: one full CPU (100%)', {
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    layer: [
      { transform: [{ filter: `datum.series === '${STATIC_SERIES}'` }], mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
      {
        transform: [{ filter: `datum.series === '${SIM_SERIES}'` }],
        mark: { type: 'point', filled: true, size: 90 },
        encoding: { x, y, color, shape: { value: 'diamond' } },
      },
      {
        transform: [{ filter: `datum.series === '${SIM_SERIES}' && isValid(datum.label)` }],
        mark: { type: 'text', align: 'left', dx: 8, dy: -4, fontSize: 11 },
        encoding: { x, y, text: { field: 'label' } },
      },
      {
        data: { values: [{ pct: 100 }] },
        mark: { type: 'rule', strokeDash: [6, 4], color: COLORS.capacity },
        encoding: { y: { field: 'pct', type: 'quantitative' } },
      },
    ],
  });
}

export interface SweepOptions {
  title?: string;
  subtitle?: string;
  xTitle?: string;
  yTitle?: string;
  xLog?: boolean;
  yLog?: boolean;
  /** An x scale and axis of its own (e.g. log2 with the swept values as ticks); overrides xLog. */
  xAxis?: { scale: object; axis: object };
  /** d3 format of the y tick labels. */
  yFormat?: string;
  /** Fields holding a confidence interval of y, drawn as a band. */
  lo?: string;
  hi?: string;
  /** A field naming why a point should not be read at face value (null: nothing); such points are marked. */
  flag?: string;
}

/** A parameter sweep: y against x as lines with points, one line per value of `color`. */
export function sweepChart(
  rows: Record<string, string | number | null>[],
  x: string,
  y: string,
  color?: string,
  opts: SweepOptions = {},
): VlSpec {
  const xEnc = opts.xAxis
    ? { field: x, type: 'quantitative', title: opts.xTitle ?? x, ...opts.xAxis }
    : { field: x, type: 'quantitative', title: opts.xTitle ?? x, scale: opts.xLog ? { type: 'log' } : { zero: false } };
  const yEnc = {
    field: y,
    type: 'quantitative',
    title: opts.yTitle ?? y,
    scale: opts.yLog ? { type: 'log' } : {},
    ...(opts.yFormat ? { axis: { format: opts.yFormat } } : {}),
  };
  const colorEnc = color ? { color: { field: color, type: 'nominal', title: null } } : {};
  const layers: VlSpec[] = [];
  if (opts.lo && opts.hi) {
    layers.push({
      transform: [{ filter: `isValid(datum[${JSON.stringify(opts.lo)}]) && isValid(datum[${JSON.stringify(opts.hi)}])` }],
      mark: { type: 'area', opacity: 0.2 },
      encoding: { x: xEnc, y: { field: opts.lo, type: 'quantitative' }, y2: { field: opts.hi }, ...colorEnc },
    });
  }
  layers.push({ mark: { type: 'line', strokeWidth: 2, point: { size: 36 } }, encoding: { x: xEnc, y: yEnc, ...colorEnc } });
  const flagged = opts.flag ? rows.filter((r) => r[opts.flag!] !== null && r[opts.flag!] !== undefined) : [];
  if (opts.flag && flagged.length > 0) {
    layers.push({
      transform: [{ filter: `isValid(datum[${JSON.stringify(opts.flag)}])` }],
      mark: { type: 'point', size: 160, filled: true, color: COLORS.loss },
      encoding: {
        x: xEnc,
        y: yEnc,
        shape: { field: opts.flag, type: 'nominal', title: 'flagged', legend: { symbolFillColor: COLORS.loss, symbolStrokeColor: COLORS.loss } },
      },
    });
  }
  const subtitle = [opts.subtitle, flagged.length > 0 ? 'red marks: flagged points, not to be read at face value (see the legend)' : undefined].filter(
    (x): x is string => x !== undefined,
  );
  return topLevel(opts.title ?? `${opts.yTitle ?? y} vs ${opts.xTitle ?? x}`, subtitle.length ? subtitle : undefined, {
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    layer: layers,
  });
}
