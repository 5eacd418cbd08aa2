/**
 * A sweep result as a terminal table, CSV (one row per point and figure: tidy, every figure),
 * JSON, and a chart of one figure against the first numeric --vary.
 */
import { sweepChart } from './charts-experiment.js';
import type { VlSpec } from './chart-style.js';
import { parseBytes, parseDuration, parseRate } from '../units/parse.js';
import { formatCI, textTable } from './figure-format.js';
import { csvCell, csvNumber } from './csv-cell.js';
import type { SweepResult } from '../whatif/sweep.js';

/** Stable JSON: the same result gives the same bytes (Infinity, for n = 1, becomes null). */
export function sweepJson(result: SweepResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}


/** point, one column per --vary path, figure, mean, lo, hi, half_width, n. */
export function sweepCsv(result: SweepResult): string {
  const paths = result.vary.map((v) => v.path);
  const lines = [['point', ...paths, 'figure', 'mean', 'lo', 'hi', 'half_width', 'n'].map(csvCell).join(',')];
  for (const p of result.points) {
    const head = [String(p.index), ...paths.map((path) => csvCell(p.values[path]))];
    for (const [figure, ci] of Object.entries(p.figures)) {
      lines.push([...head, csvCell(figure), csvNumber(ci.mean), csvNumber(ci.lo), csvNumber(ci.hi), csvNumber(ci.halfWidth), String(ci.n)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * One row per point: the --vary values, n, then each named figure as mean ± half-width. With no
 * --vary (a replicated run) the one point is shown as a column, a figure per row.
 */
export function sweepTable(result: SweepResult, figures: readonly string[], color = false): string {
  const notes = [`mean ± half-width of the ${Math.round(result.confidence * 100)}% confidence interval (Student t over n replications)`];
  if (result.points.some((p) => p.capped)) notes.push(`${result.vary.length ? 'n!: ' : ''}the precision goal was not reached within --max-replications`);
  if (!result.complete) notes.push('interrupted: some points have fewer replications than planned');
  if (result.vary.length === 0) {
    const p = result.points[0];
    return textTable(`Replicated run: ${result.model}`, ['', `n = ${p.n}`], figures.map((f) => [f, formatCI(f, p.figures[f])]), notes, color);
  }
  const paths = result.vary.map((v) => v.path);
  const rows = result.points.map((p) => [
    ...paths.map((path) => p.values[path]),
    p.capped ? { text: `${p.n}!`, tone: 'warn' as const } : String(p.n),
    ...figures.map((f) => formatCI(f, p.figures[f])),
  ]);
  return textTable(`Sweep: ${result.model}`, [...paths, 'n', ...figures], rows, notes, color);
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
 * The figure against the first --vary whose values are all numeric, one line per combination of
 * the other --vary values. Undefined when no --vary is numeric.
 */
export function sweepChartSpec(result: SweepResult, figure: string): VlSpec | undefined {
  const x = result.vary.find((v) => v.values.every((s) => numericValue(s) !== undefined));
  if (!x) return undefined;
  const others = result.vary.filter((v) => v !== x).map((v) => v.path);
  const rows = result.points.map((p) => {
    const ci = p.figures[figure];
    return {
      x: numericValue(p.values[x.path])!,
      series: others.map((o) => `${o}=${p.values[o]}`).join(' ') || null,
      y: ci?.mean ?? null,
      lo: ci && Number.isFinite(ci.lo) ? ci.lo : null,
      hi: ci && Number.isFinite(ci.hi) ? ci.hi : null,
    };
  });
  const xs = rows.map((r) => r.x).filter((v) => v > 0);
  const xLog = xs.length === rows.length && Math.max(...xs) / Math.min(...xs) >= 16;
  return sweepChart(rows, 'x', 'y', others.length ? 'series' : undefined, {
    title: `${figure} vs ${x.path}`,
    xTitle: x.path,
    yTitle: figure,
    xLog,
    lo: 'lo',
    hi: 'hi',
  });
}
