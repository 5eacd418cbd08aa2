/**
 * Human formatting of figures for the experiment tables: the unit follows from the figure's
 * name (Result key conventions: ...Pct in %, latency and ...Ns in ns, ...Bytes and memory in
 * bytes, ...Pps in packets/s), a CI as "mean ± half-width", a ratio as "17x lower".
 */
import { formatBytes, formatByteRate, formatCount, formatNs, formatPct, formatPps, formatRate, sig3 } from '../units/format.js';
import { renderTextTable } from './text-table.js';
import type { Cell, SummaryTable } from './summary-tables.js';
import type { Estimate, FigureCI } from '../whatif/aggregate.js';
import { figureUnit, type FigureUnit } from './figure-labels.js';

export { figureUnit };

type Unit = FigureUnit;

/** One value of a figure in its unit: "0.104%", "1.23 µs", "32 KiB", "400 kpps". */
export function formatFigure(path: string, v: number): string {
  switch (figureUnit(path)) {
    case 'pct':
      return formatPct(v);
    case 'ns':
      return formatNs(v);
    case 'nsPerSec':
      return `${formatNs(v)}/s`;
    case 'bytes':
      return formatBytes(v);
    case 'bytesPerSec':
      return formatByteRate(v);
    case 'pps':
      return formatPps(v);
    case 'perSec':
      return formatRate(v);
    case 'count':
      return Math.abs(v) >= 1000 ? formatCount(v) : sig3(v);
  }
}

/** "0.104% ± 0.012%"; a single replication shows the value alone. */
export function formatCI(path: string, ci: FigureCI | undefined): string {
  if (!ci) return 'n/a';
  const mean = formatFigure(path, ci.mean);
  return Number.isFinite(ci.halfWidth) ? `${mean} ± ${formatFigure(path, ci.halfWidth)}` : mean;
}

/**
 * A ratio variant/base as a gain: "17x lower [14x, 21x]", "2.1x higher [1.9x, 2.3x]",
 * "same" when the interval holds 1. Bounds that cross zero are unbounded ("∞").
 */
export function formatRatio(r: Estimate): string {
  const fmt = (x: number) => (Number.isFinite(x) ? `${sig3(x)}x` : '∞');
  if (r.lo <= 1 && r.hi >= 1 && Number.isFinite(r.lo) && Number.isFinite(r.hi)) return `x${sig3(r.value)} (no clear change) [${sig3(r.lo)}, ${sig3(r.hi)}]`;
  if (!Number.isFinite(r.hi - r.lo)) return `x${sig3(r.value)}`;
  if (r.value < 1) {
    const lo = r.hi > 0 ? 1 / r.hi : Infinity;
    const hi = r.lo > 0 ? 1 / r.lo : Infinity;
    return r.value > 0 ? `${fmt(1 / r.value)} lower [${fmt(lo)}, ${fmt(hi)}]` : 'to zero';
  }
  return `${fmt(r.value)} higher [${fmt(r.lo)}, ${fmt(r.hi)}]`;
}

/** A plain text table with the report's renderer (padded columns, optional colour). */
export function textTable(heading: string, columns: string[], rows: Cell[][], notes: string[] = [], color = false): string {
  // renderTextTable reads heading, columns, rows and notes; the key only names summary tables.
  const table: SummaryTable = { key: 'events', heading, columns, rows, notes };
  return renderTextTable(table, color) + '\n';
}
