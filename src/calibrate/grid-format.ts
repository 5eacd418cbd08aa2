/**
 * The validation grid's outputs: the text report (cells sorted by largest error, each with
 * its figures, real and simulated mean +- 95% CI, and a verdict; then the total), CSV (one
 * row per cell and figure), JSON, and the HTML report with one simulated-vs-real chart per
 * figure (a point per cell, the y = x line, the 25% and 2x bands).
 */
import { renderHtmlReport, type HtmlSection } from '../report/html-page.js';
import { COLORS, topLevel, type VlSpec } from '../report/chart-style.js';
import { csvCell, csvNumber } from '../report/csv-cell.js';
import { FIGURES, type CellComparison, type Estimate, type FigureComparison, type GridComparison } from './grid-compare.js';

function num(v: number, unit: string): string {
  if (!Number.isFinite(v)) return String(v);
  if (unit === '%') return `${v.toFixed(1)}%`;
  const a = Math.abs(v);
  if (unit === 'ns') return a >= 1e6 ? `${(v / 1e6).toFixed(2)} ms` : a >= 1e4 ? `${(v / 1e3).toFixed(1)} us` : `${v.toFixed(0)} ns`;
  return a >= 1e6 ? `${(v / 1e6).toFixed(2)}M/s` : a >= 1e4 ? `${(v / 1e3).toFixed(1)}k/s` : `${v.toFixed(a >= 100 ? 0 : 1)}/s`;
}

function est(e: Estimate, unit: string): string {
  return e.n >= 2 ? `${num(e.mean, unit)} ± ${num(e.ci, unit).replace(/\/s$/, '')}` : num(e.mean, unit);
}

export function comparisonText(f: FigureComparison): string {
  if (f.diffPp !== undefined) return `${f.diffPp >= 0 ? '+' : ''}${f.diffPp.toFixed(1)} pp`;
  return `${f.ratio.toFixed(2)}x`;
}

const csvRow = (cells: readonly (string | number)[]): string =>
  cells.map((c) => (typeof c === 'number' ? csvNumber(c) : csvCell(c))).join(',');

function pad(rows: string[][], right: number[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd());
}

function cellHeader(c: CellComparison): string {
  const flags = [c.busy ? `BUSY: ${c.busy}` : '', c.notModelled.length ? `not modelled: ${c.notModelled.join(', ')}` : ''].filter(Boolean);
  return `${c.name}: ${c.verdict} (largest error ${c.factor.toFixed(2)}x)${flags.length ? ` [${flags.join('; ')}]` : ''}`;
}

export function totalLine(g: GridComparison): string {
  const t = g.totals;
  const busy = t.busy ? `; ${t.busy} measured on a busy host (marked)` : '';
  return `${t.within25}/${t.cells} cells within 25%, ${t.within2x}/${t.cells} within 2x, ${t.off} off${busy}`;
}

/** The report as lines: every cell (worst first) with its figures, then the sorted summary and total. */
export function gridText(g: GridComparison, header: string[]): string[] {
  const lines = [...header, ''];
  for (const c of g.cells) {
    lines.push(cellHeader(c));
    const rows = [['  figure', 'real (mean ± 95% CI)', 'simulated', 'sim vs real', 'verdict']];
    for (const f of c.figures) {
      rows.push([`  ${f.label}${f.inVerdict ? '' : ' (not in verdict)'}`, est(f.real, f.unit), est(f.sim, f.unit), comparisonText(f), f.verdict]);
    }
    lines.push(...pad(rows, [1, 2, 3]), '');
  }
  lines.push('summary, largest error first (the worst figure of each cell):');
  const rows = [['  cell', 'verdict', 'error', 'worst figure', 'real', 'simulated']];
  for (const c of g.cells) {
    const w = c.figures.filter((f) => f.inVerdict).sort((a, b) => b.factor - a.factor)[0];
    rows.push([`  ${c.name}${c.busy ? ' (busy)' : ''}`, c.verdict, `${c.factor.toFixed(2)}x`, w?.label ?? '-', w ? num(w.real.mean, w.unit) : '-', w ? num(w.sim.mean, w.unit) : '-']);
  }
  lines.push(...pad(rows, [2, 4, 5]), '', totalLine(g));
  return lines;
}

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
