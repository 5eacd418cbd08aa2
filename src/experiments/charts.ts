/**
 * An experiment's charts as vega-lite specs, from its chart definitions and run outcomes, with
 * the report layer's chart builders (sweepChart, lossVsSizeChart, compareBarsChart).
 */
import { compareBarsChart, lossVsSizeChart, sweepChart, type CompareRow, type LossVsSizePoint } from '../report/charts-experiment.js';
import type { VlSpec } from '../report/chart-style.js';
import type { NamedChart } from '../report/render.js';
import { numericValue } from '../report/sweep-report.js';
import { figureAxis, figureBounds, figureWords, powersOfTwo, sweepScale, varyWords } from '../report/figure-labels.js';
import type { RunOutcome } from './execute.js';
import { shortPath } from './findings.js';
import { findPoint, matchingGrid } from './points.js';
import { columnFigure, columnTitle, type ChartDef } from './schema.js';

type SweepOutcome = Extract<RunOutcome, { kind: 'sweep' }>;

/** The chart specs; a chart whose run has no data here (a reduced form) is left out. */
export function buildCharts(defs: readonly ChartDef[], runs: ReadonlyMap<string, RunOutcome>): NamedChart[] {
  const out: NamedChart[] = [];
  for (const def of defs) {
    const run = runs.get(def.run)!;
    const spec = def.type === 'bars' ? barsChart(def, run) : run.kind === 'sweep' ? (def.type === 'line' ? lineChart(def, run) : lossChart(def, run)) : undefined;
    if (spec) out.push({ name: def.name, spec });
  }
  return out;
}

/** The sweep's points on one line: those matching `at` (and the series value), sorted by x. */
function linePoints(run: SweepOutcome, x: string, at: Record<string, string | number>) {
  const paths = run.result.vary.map((v) => v.path);
  return matchingGrid(run.grid, paths, at)
    .map((g) => ({ x: g.values[paths.indexOf(x)], point: run.result.points[g.index], values: g.values }))
    .sort((a, b) => (numericValue(a.x) ?? 0) - (numericValue(b.x) ?? 0));
}

function lineChart(def: Extract<ChartDef, { type: 'line' }>, run: SweepOutcome): VlSpec | undefined {
  const seriesValues = def.series !== undefined ? run.result.vary.find((v) => v.path === def.series)!.values : [undefined];
  const rows: Record<string, string | number | null>[] = [];
  // The CI band stays within what the figure can take (a loss is never below 0%).
  const [min, max] = figureBounds(def.y);
  const clip = (v: number) => (Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : null);
  for (const s of seriesValues) {
    const at = { ...(def.at ?? {}), ...(s !== undefined ? { [def.series!]: s } : {}) };
    for (const p of linePoints(run, def.x, at)) {
      const ci = p.point.figures[def.y];
      const xv = numericValue(p.x);
      if (!ci || xv === undefined) continue;
      rows.push({
        x: xv,
        y: ci.mean,
        lo: clip(ci.lo),
        hi: clip(ci.hi),
        series: s === undefined ? 'simulated' : (def.seriesLabels?.[s] ?? `${shortPath(def.series!)}=${s}`),
      });
    }
  }
  if (rows.length === 0) return undefined;
  for (const ref of def.reference ?? []) {
    for (const [x, y] of ref.points) rows.push({ x, y, lo: null, hi: null, series: ref.series });
  }
  const withSeries = def.series !== undefined || (def.reference?.length ?? 0) > 0;
  const xs = rows.map((r) => r.x as number);
  // Swept powers of two (page counts, batch sizes) on a log2 axis whose ticks are the values run.
  const log2 = def.xLog && powersOfTwo(xs);
  const spec = sweepChart(rows, 'x', 'y', withSeries ? 'series' : undefined, {
    title: def.title ?? `${figureWords(def.y)} vs ${varyWords(def.x)}`,
    xTitle: def.xTitle ?? varyWords(def.x),
    yTitle: def.yTitle ?? figureAxis(def.y, []).title,
    xLog: def.xLog,
    ...(log2 ? { xAxis: sweepScale(xs, '~g') } : {}),
    yLog: def.yLog,
    lo: 'lo',
    hi: 'hi',
  });
  if (def.xLog) fitLogX(spec, xs);
  return spec;
}

/**
 * A log x scale "nice"-rounds out to whole decades, which can leave half the plot empty (1..256
 * drawn to 1000): pin the domain to the data's extent instead.
 */
function fitLogX(spec: VlSpec, xs: number[]): void {
  const positive = xs.filter((x) => x > 0);
  if (positive.length === 0) return;
  const domain = [Math.min(...positive), Math.max(...positive)];
  for (const layer of (spec.layer as VlSpec[] | undefined) ?? []) {
    const x = (layer.encoding as { x?: { scale?: Record<string, unknown> } } | undefined)?.x;
    if (x) x.scale = { ...(x.scale ?? {}), domain, nice: false };
  }
}

function lossChart(def: Extract<ChartDef, { type: 'loss' }>, run: SweepOutcome): VlSpec | undefined {
  const points: LossVsSizePoint[] = [];
  for (const p of linePoints(run, def.x, def.at ?? {})) {
    const ci = p.point.figures[def.y];
    const size = numericValue(p.x);
    if (!ci || size === undefined) continue;
    const memory = def.memory !== undefined ? p.point.figures[def.memory]?.mean : undefined;
    points.push({
      size,
      sizeLabel: p.x,
      lossPct: ci.mean,
      ...(Number.isFinite(ci.lo) && Number.isFinite(ci.hi) ? { lo: ci.lo, hi: ci.hi } : {}),
      ...(memory !== undefined ? { memoryBytes: memory } : {}),
    });
  }
  if (points.length === 0) return undefined;
  return lossVsSizeChart(points, {
    ...(def.title !== undefined ? { title: def.title } : {}),
    xTitle: def.xTitle ?? varyWords(def.x),
    bytes: points.every((p) => /[KMG]?i?B$/.test(p.sizeLabel.trim())),
    ...(def.target !== undefined ? { targetLossPct: def.target } : {}),
    confidence: run.result.confidence,
  });
}

function barsChart(def: Extract<ChartDef, { type: 'bars' }>, run: RunOutcome): VlSpec | undefined {
  if (run.kind === 'reject') return undefined;
  const refs = def.points ?? (run.kind === 'points' ? run.names : run.grid.map((g) => Object.fromEntries(run.result.vary.map((v, i) => [v.path, g.values[i]]))));
  const rows: CompareRow[] = [];
  for (const f of def.figures) {
    for (const ref of refs) {
      const p = findPoint(run, ref);
      const ci = p?.figures[columnFigure(f)];
      if (!p || !ci) continue;
      const variant = typeof ref === 'string' ? ref : Object.values(ref).map(String).join(' ');
      rows.push({ variant, metric: columnTitle(f), value: ci.mean, ...(Number.isFinite(ci.halfWidth) ? { lo: ci.lo, hi: ci.hi } : {}) });
    }
  }
  if (rows.length === 0) return undefined;
  const spec = compareBarsChart(rows, { ...(def.title !== undefined ? { title: def.title } : {}), ...(def.columns !== undefined ? { columns: def.columns } : {}) });
  // The facet's inner spec holds the panel size.
  if (def.width !== undefined && typeof spec.spec === 'object' && spec.spec !== null) (spec.spec as VlSpec).width = def.width;
  return spec;
}
