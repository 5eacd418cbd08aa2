/**
 * The validation grid's files: CSV (one row per cell and figure), JSON, and the HTML report
 * with one simulated-vs-real chart per figure (a point per cell, the y = x line, the 25% and 2x
 * bands).
 */
import { renderHtmlReport, type HtmlSection } from './html-page.js';
import { COLORS, topLevel, type VlSpec } from './chart-style.js';
import { csvCell, csvNumber } from './csv-cell.js';
import { FIGURES, type GridComparison } from '../calibrate/grid-compare.js';
import { comparisonText, est, totalLine } from '../calibrate/grid-text.js';

const csvRow = (cells: readonly (string | number)[]): string =>
  cells.map((c) => (typeof c === 'number' ? csvNumber(c) : csvCell(c))).join(',');

export const CSV_COLUMNS = ['cell', 'busy', 'cell_verdict', 'figure', 'unit', 'in_verdict', 'real_n', 'real_mean', 'real_ci95',
  'sim_n', 'sim_mean', 'sim_ci95', 'ratio', 'diff_pp', 'factor', 'verdict'] as const;

export function gridCsv(g: GridComparison): string {
  const out = [csvRow([...CSV_COLUMNS])];
  for (const c of g.cells) {
    for (const f of c.figures) {
      out.push(csvRow([c.name, c.busy ? 'yes' : 'no', c.verdict, f.key, f.unit, f.inVerdict ? 'yes' : 'no', f.real.n, f.real.mean, f.real.ci,
        f.sim.n, f.sim.mean, f.sim.ci, f.ratio, f.diffPp ?? '', f.factor, f.verdict]));
    }
  }
  return `${out.join('\n')}\n`;
}

export function gridJson(g: GridComparison, meta: Record<string, unknown>): string {
  return `${JSON.stringify({ meta, totals: g.totals, cells: g.cells }, null, 2)}\n`;
}

const VERDICT_COLORS = { domain: ['within 25%', 'within 2x', 'off'], range: ['#2ca02c', COLORS.simulated, COLORS.loss] };

/** Simulated against real for one figure: a point per cell, y = x, the 25% and 2x bands. */
export function figureChart(g: GridComparison, key: string): VlSpec | undefined {
  const def = FIGURES.find((f) => f.key === key)!;
  const pts = g.cells.flatMap((c) => {
    const f = c.figures.find((x) => x.key === key);
    return f ? [{ cell: c.name, real: f.real.mean, sim: f.sim.mean, verdict: f.verdict, busy: c.busy ? 'busy host' : 'quiet' }] : [];
  });
  if (pts.length === 0) return undefined;
  const loss = def.unit === '%';
  // log axes need positive values: a figure's floor stands in for 0 (the comparison adds it too)
  const floor = Math.max(def.floor, 1);
  const v = (x: number): number => (loss ? x : Math.max(x, floor));
  const data = pts.map((p) => ({ ...p, x: v(p.real), y: v(p.sim) }));
  const lo = loss ? 0 : Math.min(...data.flatMap((d) => [d.x, d.y])) / 1.5;
  const hi = loss ? 100 : Math.max(...data.flatMap((d) => [d.x, d.y])) * 1.5;
  const steps = 40;
  const band = Array.from({ length: steps + 1 }, (_, i) => {
    const x = loss ? lo + ((hi - lo) * i) / steps : lo * (hi / lo) ** (i / steps);
    return loss
      ? { x, y: x, lo25: Math.max(0, x - 5), hi25: Math.min(100, x + 5), lo2: Math.max(0, x - 10), hi2: Math.min(100, x + 10) }
      : { x, y: x, lo25: x / 1.25, hi25: x * 1.25, lo2: x / 2, hi2: x * 2 };
  });
  const scale = loss ? { domain: [0, 100] } : { type: 'log', domain: [lo, hi] };
  const unit = loss ? '%' : def.unit;
  const axis = loss ? {} : { axis: { format: '~s' } };
  const x = { field: 'x', type: 'quantitative', scale, title: `real (${unit})`, ...axis };
  const y = { field: 'y', type: 'quantitative', scale, title: `simulated (${unit})`, ...axis };
  return topLevel(`${def.label}: simulated against real`, loss
    ? 'one point per cell (mean of the repetitions); bands: within 5 and 10 percentage points'
    : `one point per cell (mean of the repetitions); bands: within 25% and 2x; values under ${floor} ${unit} drawn at ${floor}`, {
    width: 420,
    height: 420,
    layer: [
      { data: { values: band }, mark: { type: 'area', opacity: 0.25, color: COLORS.band, clip: true }, encoding: { x, y: { ...y, field: 'lo2' }, y2: { field: 'hi2' } } },
      { data: { values: band }, mark: { type: 'area', opacity: 0.45, color: COLORS.band, clip: true }, encoding: { x, y: { ...y, field: 'lo25' }, y2: { field: 'hi25' } } },
      { data: { values: band }, mark: { type: 'line', color: COLORS.capacity, strokeDash: [4, 3], clip: true }, encoding: { x, y } },
      {
        data: { values: data },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x, y,
          color: { field: 'verdict', type: 'nominal', scale: VERDICT_COLORS, title: 'verdict' },
          shape: { field: 'busy', type: 'nominal', title: 'host', scale: { domain: ['quiet', 'busy host'], range: ['circle', 'cross'] } },
          tooltip: [{ field: 'cell' }, { field: 'real', format: '.4~g' }, { field: 'sim', format: '.4~g' }, { field: 'verdict' }],
        },
      },
    ],
  });
}

export async function gridHtml(g: GridComparison, title: string, notes: string[], meta: Record<string, unknown>): Promise<string> {
  const charts = FIGURES.flatMap((f) => {
    const spec = figureChart(g, f.key);
    return spec ? [{ name: `figure ${f.key}`, spec }] : [];
  });
  const sections: HtmlSection[] = [
    {
      heading: 'Summary',
      notes: [totalLine(g), ...notes],
      table: {
        columns: ['cell', 'verdict', 'largest error', 'host', 'not modelled'],
        rows: g.cells.map((c) => [c.name, c.verdict, `${c.factor.toFixed(2)}x`, c.busy ? `busy: ${c.busy}` : 'quiet', c.notModelled.join(', ') || '-']),
      },
    },
    { heading: 'Simulated against real', charts },
    {
      heading: 'Every figure',
      table: {
        columns: ['cell', 'figure', 'real (mean ± 95% CI)', 'simulated', 'sim vs real', 'verdict'],
        rows: g.cells.flatMap((c) => c.figures.map((f) => [c.name, f.label, est(f.real, f.unit), est(f.sim, f.unit), comparisonText(f), f.verdict])),
      },
    },
  ];
  return renderHtmlReport({ title, sections, meta });
}
