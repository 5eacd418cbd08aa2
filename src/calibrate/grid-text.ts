/**
 * The validation grid as text: the cells sorted by largest error, each with its figures (real
 * and simulated mean +- 95% CI, the comparison, a verdict), then the summary and the total.
 */
import type { CellComparison, Estimate, FigureComparison, GridComparison } from './grid-compare.js';

export function num(v: number, unit: string): string {
  if (!Number.isFinite(v)) return String(v);
  if (unit === '%') return `${v.toFixed(1)}%`;
  const a = Math.abs(v);
  if (unit === 'ns') return a >= 1e6 ? `${(v / 1e6).toFixed(2)} ms` : a >= 1e4 ? `${(v / 1e3).toFixed(1)} us` : `${v.toFixed(0)} ns`;
  return a >= 1e6 ? `${(v / 1e6).toFixed(2)}M/s` : a >= 1e4 ? `${(v / 1e3).toFixed(1)}k/s` : `${v.toFixed(a >= 100 ? 0 : 1)}/s`;
}

export function est(e: Estimate, unit: string): string {
  return e.n >= 2 ? `${num(e.mean, unit)} ± ${num(e.ci, unit).replace(/\/s$/, '')}` : num(e.mean, unit);
}

export function comparisonText(f: FigureComparison): string {
  if (f.diffPp !== undefined) return `${f.diffPp >= 0 ? '+' : ''}${f.diffPp.toFixed(1)} pp`;
  return `${f.ratio.toFixed(2)}x`;
}

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

