/**
 * Machine-readable outputs of a run: the occupancy time series as CSV and the Result as stable
 * JSON (same Result in, same bytes out).
 */
import type { Result } from '../result.js';
import { csvRow } from './csv-cell.js';

export const TIME_SERIES_COLUMNS = ['t_ns', 'ring', 'mean_bytes', 'max_bytes', 'fill_pct', 'lost'] as const;

/**
 * The occupancy series: one row per interval per ring, time-major (all rings of an interval, then
 * the next interval). fill_pct is the interval's mean bytes as % of the ring's capacity.
 */
export function timeSeriesCsv(result: Result): string {
  const rows: string[] = [TIME_SERIES_COLUMNS.join(',')];
  const rings = result.occupancy.rings;
  const intervals = Math.max(0, ...rings.map((r) => r.series.t.length));
  for (let i = 0; i < intervals; i++) {
    for (const ring of rings) {
      const s = ring.series;
      if (i >= s.t.length) continue;
      const fill = ring.capacityBytes > 0 ? Math.round((s.meanBytes[i] / ring.capacityBytes) * 1e6) / 1e4 : 0;
      rows.push(csvRow([s.t[i], ring.name, s.meanBytes[i], s.maxBytes[i], fill, s.lost[i]]));
    }
  }
  return rows.join('\n') + '\n';
}

/** Top-level sections in the order DESIGN.md lists them; unknown keys follow in their own order. */
const SECTION_ORDER = [
  'version',
  'latency',
  'throughput',
  'events',
  'occupancy',
  'cpu',
  'memory',
  'log',
  'rating',
  'warnings',
  'meta',
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isPrimitive = (v: unknown): boolean => v === null || typeof v !== 'object';

/**
 * 2-space JSON like JSON.stringify(x, null, 2), except that arrays of numbers/strings stay on one
 * line (a time series is then one line, not thousands). Non-finite numbers become null, as in
 * JSON.stringify.
 */
function stringify(value: unknown, indent: string): string {
  if (value === undefined || typeof value === 'function') return 'null';
  if (isPrimitive(value)) return JSON.stringify(value) ?? 'null';
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPrimitive)) return `[${value.map((v) => stringify(v, inner)).join(', ')}]`;
    return `[\n${value.map((v) => inner + stringify(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && typeof v !== 'function',
  );
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringify(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** The Result as stable JSON with a trailing newline. */
export function resultJson(result: Result): string {
  const source = result as unknown as Record<string, Json>;
  const ordered: Record<string, Json> = {};
  for (const k of SECTION_ORDER) if (k in source) ordered[k] = source[k];
  for (const k of Object.keys(source)) if (!(k in ordered)) ordered[k] = source[k];
  return stringify(ordered, '') + '\n';
}
