/** A compare result as a terminal table, CSV (one row per variant and figure), JSON and a bar chart. */
import { compareBarsChart, type CompareRow } from './charts-experiment.js';
import type { VlSpec } from './chart-style.js';
import type { PairedChange } from '../whatif/aggregate.js';
import { formatCI, formatFigure, formatRatio, textTable } from './figure-format.js';
import type { CompareResult } from '../whatif/compare.js';
import { FLAG_NOTES, pointFlags } from '../whatif/flags.js';
import { figureAxis } from './figure-labels.js';
import type { Cell } from './summary-tables.js';
import { csvCell, csvNumber } from './csv-cell.js';

export function compareJson(result: CompareResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

/** variant, figure, mean, lo, hi, half_width, n, then the paired change against the base. */
export function compareCsv(result: CompareResult): string {
  const lines = [['variant', 'figure', 'mean', 'lo', 'hi', 'half_width', 'n', 'ratio', 'ratio_lo', 'ratio_hi', 'delta', 'delta_lo', 'delta_hi'].join(',')];
  for (const v of result.variants) {
    for (const [figure, ci] of Object.entries(v.figures)) {
      const c = v.changes?.[figure];
      lines.push(
        [
          csvCell(v.name), csvCell(figure), csvNumber(ci.mean), csvNumber(ci.lo), csvNumber(ci.hi), csvNumber(ci.halfWidth), String(ci.n),
          csvNumber(c?.ratio?.value), csvNumber(c?.ratio?.lo), csvNumber(c?.ratio?.hi),
          csvNumber(c?.delta.value), csvNumber(c?.delta.lo), csvNumber(c?.delta.hi),
        ].join(','),
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** "17x lower [14x, 21x]" when a ratio is defined, else the difference "+1.20 µs [0.9, 1.5]". */
export function formatChange(figure: string, c: PairedChange | undefined): string {
  if (!c) return 'n/a';
  if (c.ratio && c.delta.value !== 0) return formatRatio(c.ratio);
  const d = c.delta;
  if (d.value === 0 && d.lo === 0 && d.hi === 0) return 'same';
  const sign = d.value > 0 ? '+' : '';
  return Number.isFinite(d.hi - d.lo)
    ? `${sign}${formatFigure(figure, d.value)} [${formatFigure(figure, d.lo)}, ${formatFigure(figure, d.hi)}]`
    : `${sign}${formatFigure(figure, d.value)}`;
}

/** A table as data: the terminal renders it as text, the HTML report as a table. */
export interface TableData {
  heading: string;
  columns: string[];
  rows: Cell[][];
  notes: string[];
}

/** Rows: figures; columns: the base, then per variant its value and its change against the base. */
export function compareTableData(result: CompareResult, figures: readonly string[]): TableData {
  const [base, ...variants] = result.variants;
  const columns = ['', 'base', ...variants.flatMap((v) => [v.name, 'vs base'])];
  const rows = figures.map((f) => [f, formatCI(f, base.figures[f]), ...variants.flatMap((v) => [formatCI(f, v.figures[f]), formatChange(f, v.changes?.[f])])]);
  const notes = [
    `n = ${result.n} replications per variant, seeds ${seedRange(result.seeds)} shared by all (common random numbers)`,
    `mean ± half-width of the ${Math.round(result.confidence * 100)}% CI; "vs base": ratio of means with its CI (paired, delta method), or the paired difference`,
  ];
  if (result.capped) notes.push('the precision goal was not reached within --max-replications');
  if (!result.complete) notes.push('interrupted: fewer replications than planned');
  const flags = result.variants.map((v) => ({ name: v.name, flags: pointFlags(v.figures) })).filter((v) => v.flags.length > 0);
  for (const v of flags) notes.push(`${v.name}: ${v.flags.map((f) => FLAG_NOTES[f]).join('; ')}`);
  return { heading: `Compare: ${result.model}`, columns, rows, notes };
}

export function compareTable(result: CompareResult, figures: readonly string[], color = false): string {
  const t = compareTableData(result, figures);
  return textTable(t.heading, t.columns, t.rows, t.notes, color);
}

function seedRange(seeds: number[]): string {
  if (seeds.length === 0) return '(none)';
  const contiguous = seeds.every((s, i) => s === seeds[0] + i);
  return contiguous && seeds.length > 2 ? `${seeds[0]}..${seeds[seeds.length - 1]}` : seeds.join(', ');
}

/** True when no variant differs from the base beyond its paired confidence interval. */
function compareIsNoise(result: CompareResult, figure: string): boolean {
  const changes = result.variants.slice(1).map((v) => v.changes?.[figure]);
  return changes.every((c) => !c || (Number.isFinite(c.delta.lo) && Number.isFinite(c.delta.hi) && c.delta.lo <= 0 && c.delta.hi >= 0));
}

/**
 * One small panel per figure, titled in words with its unit, a bar per variant with its CI. A
 * figure that is 0 in every variant, or where no variant differs from the base beyond its paired
 * confidence interval, has nothing to show and gets no panel; the table still shows it.
 */
export function compareChartSpec(result: CompareResult, figures: readonly string[]): VlSpec | undefined {
  const rows: CompareRow[] = [];
  for (const f of figures) {
    if (result.variants.every((v) => (v.figures[f]?.mean ?? 0) === 0 && (v.figures[f]?.hi ?? 0) === 0)) continue;
    if (result.variants.length > 1 && compareIsNoise(result, f)) continue;
    const axis = figureAxis(f, result.variants.map((v) => v.figures[f]?.mean ?? 0));
    for (const v of result.variants) {
      const ci = v.figures[f];
      if (!ci) continue;
      const d = axis.divisor;
      rows.push({ variant: v.name, metric: axis.title, value: ci.mean / d, ...(Number.isFinite(ci.halfWidth) ? { lo: ci.lo / d, hi: ci.hi / d } : {}) });
    }
  }
  return rows.length ? compareBarsChart(rows, { title: `What-if comparison: ${result.model}` }) : undefined;
}
