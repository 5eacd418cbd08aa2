/**
 * A sweep result as a terminal table, CSV (one row per point and figure: tidy, every figure),
 * JSON, and a chart of one figure against the first numeric --vary.
 */
import { sweepChart } from './charts-experiment.js';
import type { VlSpec } from './chart-style.js';
import { parseBytes, parseDuration, parseRate } from '../units/parse.js';
import { formatCI, textTable } from './figure-format.js';
import type { Cell } from './summary-tables.js';
import type { TableData } from './compare-report.js';
import { csvCell, csvNumber } from './csv-cell.js';
import type { SweepResult } from '../whatif/sweep.js';
import { FLAG_NOTES, pointFlags } from '../whatif/flags.js';
import { axisScale, figureAxis, figureBounds, figureWords, sweepScale, varyAxisTitle, varyWords } from './figure-labels.js';

/** Stable JSON: the same result gives the same bytes (Infinity, for n = 1, becomes null). */
export function sweepJson(result: SweepResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}


/** point, one column per --vary path, figure, mean, lo, hi, half_width, n, flags ("consumer saturated; run too short"). */
export function sweepCsv(result: SweepResult): string {
  const paths = result.vary.map((v) => v.path);
  const lines = [['point', ...paths, 'figure', 'mean', 'lo', 'hi', 'half_width', 'n', 'flags'].map(csvCell).join(',')];
  for (const p of result.points) {
    const head = [String(p.index), ...paths.map((path) => csvCell(p.values[path]))];
    const flags = csvCell(pointFlags(p.figures).join('; '));
    for (const [figure, ci] of Object.entries(p.figures)) {
      lines.push([...head, csvCell(figure), csvNumber(ci.mean), csvNumber(ci.lo), csvNumber(ci.hi), csvNumber(ci.halfWidth), String(ci.n), flags].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * One row per point: the --vary values, n, then each named figure as mean ± half-width, and the
 * point's flags when any point has one. With no --vary (a replicated run) the one point is shown
 * as a column, a figure per row.
 */
export function sweepTable(result: SweepResult, figures: readonly string[], color = false): string {
  const t = sweepTableData(result, figures);
  return textTable(t.heading, t.columns, t.rows, t.notes, color);
}

/** The same table as data (the HTML report renders it as a table). */
export function sweepTableData(result: SweepResult, figures: readonly string[]): TableData {
  const notes = [`mean ± half-width of the ${Math.round(result.confidence * 100)}% confidence interval (Student t over n replications)`];
  if (result.points.some((p) => p.capped)) notes.push(`${result.vary.length ? 'n!: ' : ''}the precision goal was not reached within --max-replications`);
  if (!result.complete) notes.push('interrupted: some points have fewer replications than planned');
  const flags = result.points.map((p) => pointFlags(p.figures));
  for (const f of new Set(flags.flat())) notes.push(FLAG_NOTES[f]);
  if (result.vary.length === 0) {
    const p = result.points[0];
    const rows: Cell[][] = figures.map((f) => [f, formatCI(f, p.figures[f])]);
    if (flags[0].length) rows.push(['flags', { text: flags[0].join('; '), tone: 'warn' as const }]);
    return { heading: `Replicated run: ${result.model}`, columns: ['', `n = ${p.n}`], rows, notes };
  }
  const paths = result.vary.map((v) => v.path);
  const flagged = flags.some((f) => f.length > 0);
  const rows = result.points.map((p, i) => [
    ...paths.map((path) => p.values[path]),
    p.capped ? { text: `${p.n}!`, tone: 'warn' as const } : String(p.n),
    ...figures.map((f) => formatCI(f, p.figures[f])),
    ...(flagged ? [flags[i].length ? { text: flags[i].join('; '), tone: 'warn' as const } : ''] : []),
  ]);
  return { heading: `Sweep: ${result.model}`, columns: [...paths, 'n', ...figures, ...(flagged ? ['flags'] : [])], rows, notes };
}

/** A --vary value as a number for a chart axis ("100k" -> 1e5, "1us" -> 1000, "4KiB" -> 4096). */
export function numericValue(text: string): number | undefined {
  const n = Number(text);
  if (text.trim() !== '' && Number.isFinite(n)) return n;
  for (const parse of [parseDuration, parseBytes, parseRate]) {
    const r = parse(text);
    if (r.ok) return r.value;
  }
  return undefined;
}

/**
 * True when a figure tells nothing across the sweep: every point's mean lies within every other
 * point's confidence interval (or all are equal), so a chart would draw noise.
 */
export function sweepIsNoise(result: SweepResult, figure: string): boolean {
  const cis = result.points.map((p) => p.figures[figure]).filter((ci) => ci !== undefined);
  if (cis.length < 2) return true;
  const means = cis.map((ci) => ci.mean);
  if (Math.max(...means) === Math.min(...means)) return true;
  if (!cis.every((ci) => Number.isFinite(ci.halfWidth))) return false;
  return cis.every((a) => cis.every((b) => a.mean >= b.lo && a.mean <= b.hi));
}

/**
 * The figure against the first --vary whose values are all numeric, one line per combination of
 * the other --vary values; flagged points (saturated consumer, run too short) marked. Axes in
 * words with units, powers of two on a log2 scale. Undefined when no --vary is numeric or the
 * figure does not change beyond its confidence interval.
 */
export function sweepChartSpec(result: SweepResult, figure: string): VlSpec | undefined {
  const x = result.vary.find((v) => v.values.every((s) => numericValue(s) !== undefined));
  if (!x || sweepIsNoise(result, figure)) return undefined;
  const others = result.vary.filter((v) => v !== x).map((v) => v.path);
  const xKind = x.path === 'traffic.rate' ? 'pps' : varyUnit(x.values);
  const xScale = axisScale(xKind, x.values.map((v) => numericValue(v)!));
  const yAxis = figureAxis(figure, result.points.map((p) => p.figures[figure]?.mean ?? 0));
  const [min, max] = figureBounds(figure);
  const rows = result.points.map((p) => {
    const ci = p.figures[figure];
    const y = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) / yAxis.divisor : null);
    return {
      x: numericValue(p.values[x.path])! / xScale.divisor,
      series: others.map((o) => `${o}=${p.values[o]}`).join(' ') || null,
      y: y(ci?.mean),
      lo: y(ci?.lo),
      hi: y(ci?.hi),
      flag: pointFlags(p.figures).join('; ') || null,
    };
  });
  const xWords = varyWords(x.path);
  return sweepChart(rows, 'x', 'y', others.length ? 'series' : undefined, {
    title: `${figureWords(figure)} vs ${xWords.replace(/ \(.*\)$/, '')}`,
    subtitle: result.model,
    xTitle: varyAxisTitle(x.path, xScale),
    yTitle: yAxis.title,
    xAxis: sweepScale(rows.map((r) => r.x), xScale.format),
    yFormat: yAxis.format,
    lo: 'lo',
    hi: 'hi',
    flag: 'flag',
  });
}

/** What unit the swept values are in, from how they are written ("4KiB", "1us", "100k"). */
function varyUnit(values: string[]): 'bytes' | 'ns' | 'count' {
  if (values.every((v) => /[kKMG]?i?B$/.test(v.trim()))) return 'bytes';
  if (values.every((v) => /\d\s*(ns|us|µs|ms|s)$/.test(v.trim()))) return 'ns';
  return 'count';
}
