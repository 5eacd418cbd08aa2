/**
 * "Every figure" of a Result as a flat map of dotted paths to numbers, the unit that sweeps,
 * compares, sizing and merges aggregate over replications. One function, used by all of them,
 * so a figure has the same name everywhere (`events.lostPct`, `latency.traced.p99`,
 * `occupancy.rings[0].highWaterBytes`, `cpu.kernelPctPerCpu[1]`).
 */
import type { Result } from '../result.js';
import { WARNING_CODES } from '../analysis/warnings.js';

/** Dotted path -> value, in the Result's own key order. */
export type Figures = Record<string, number>;

/**
 * Subtrees that are not figures: time series and histograms (arrays of samples, not
 * summaries), the format version, and the seed (it differs per replication by construction).
 */
const SKIPPED = new Set(['version', 'meta.seed', 'latency.histograms']);
const SKIPPED_KEYS = new Set(['series']);

/** The figures a table shows when the user names none. */
export const HEADLINE_FIGURES = [
  'events.lostPct',
  'cpu.kernelPctMean',
  'cpu.consumerPct',
  'latency.traced.p99',
  'latency.inflation.meanPct',
  'throughput.lossPct',
  'memory.total.maxBytes',
] as const;

/**
 * Flattens the numeric leaves of a Result (or any plain object) into dotted paths. A Result's
 * warnings become one figure per code, 1 when the run gave it and 0 when not, so that over
 * replications `warnings.<code>` is the share of runs that gave it.
 */
export function flattenFigures(result: Result | Record<string, unknown>): Figures {
  const out: Figures = {};
  walk(result, '', out);
  const warnings = (result as { warnings?: unknown }).warnings;
  if (Array.isArray(warnings)) {
    const given = new Set(warnings.map((w) => (typeof w === 'object' && w !== null ? (w as { code?: unknown }).code : undefined)));
    for (const code of WARNING_CODES) out[`warnings.${code}`] = given.has(code) ? 1 : 0;
  }
  return out;
}

function walk(node: unknown, path: string, out: Figures): void {
  if (typeof node === 'number') {
    out[path] = node;
    return;
  }
  if (typeof node !== 'object' || node === null) return; // strings and booleans are not figures
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) walk(node[i], `${path}[${i}]`, out);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (SKIPPED_KEYS.has(key)) continue;
    const child = path === '' ? key : `${path}.${key}`;
    if (SKIPPED.has(child)) continue;
    walk(value, child, out);
  }
}
