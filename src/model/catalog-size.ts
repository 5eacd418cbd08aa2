/**
 * Submit cost by payload size (a catalog size table): linear interpolation of the distribution's
 * parameters between the two rows around the size.
 *
 * - Rows of constants and uniform ranges mix: a constant c is the range c-c. For uniform rows
 *   min and max are interpolated separately; other kinds interpolate their own parameters
 *   (exponential: mean; normal: mean, sd; lognormal and gamma: mean, cv; empirical: each value,
 *   with the same weights).
 * - Below the smallest row the smallest row applies (clamped): small records cost what the
 *   smallest measured one costs, the per-record overhead dominates.
 * - Beyond the largest row the parameters grow linearly per byte at the slope of the last two
 *   rows, since the copy cost keeps growing with size; parameters are kept >= 0.
 * No Node-only API here.
 */
import type { Dist } from '../distributions/types.js';
import type { SizeTable } from './catalog-types.js';

type Family = 'range' | 'exponential' | 'normal' | 'lognormal' | 'gamma' | 'empirical';

function family(d: Dist): Family {
  return d.kind === 'const' || d.kind === 'uniform' ? 'range' : d.kind;
}

function params(d: Dist): number[] {
  switch (d.kind) {
    case 'const':
      return [d.value, d.value];
    case 'uniform':
      return [d.min, d.max];
    case 'exponential':
      return [d.mean];
    case 'normal':
      return [d.mean, d.sd];
    case 'lognormal':
    case 'gamma':
      return [d.mean, d.cv];
    case 'empirical':
      return d.values.slice();
  }
}

function build(template: Dist, p: number[]): Dist {
  const q = p.map((x) => Math.max(0, x));
  switch (template.kind) {
    case 'const':
    case 'uniform': {
      const min = Math.min(q[0], q[1]);
      return min === q[1] ? { kind: 'const', value: min } : { kind: 'uniform', min, max: q[1] };
    }
    case 'exponential':
      return q[0] > 0 ? { kind: 'exponential', mean: q[0] } : { kind: 'const', value: 0 };
    case 'normal':
      return { kind: 'normal', mean: q[0], sd: q[1] };
    case 'lognormal':
    case 'gamma':
      return q[0] > 0 ? { kind: template.kind, mean: q[0], cv: q[1] } : { kind: 'const', value: 0 };
    case 'empirical':
      return template.weights ? { kind: 'empirical', values: q, weights: template.weights.slice() } : { kind: 'empirical', values: q };
  }
}

/** Why two rows cannot be interpolated (undefined when they can). */
function pairProblem(a: Dist, b: Dist): string | undefined {
  if (family(a) !== family(b)) return `rows of one kind (constants and ranges mix; got ${a.kind} and ${b.kind})`;
  if (a.kind === 'empirical' && b.kind === 'empirical') {
    if (a.values.length !== b.values.length) return 'empirical rows with the same number of values';
    const wa = a.weights ?? [];
    const wb = b.weights ?? [];
    if (wa.length !== wb.length || wa.some((w, i) => w !== wb[i])) return 'empirical rows with the same weights';
  }
  return undefined;
}

/** What is wrong with a size table, as "expected ..." text (undefined when usable). */
export function sizeTableProblem(table: SizeTable): string | undefined {
  if (!table || !Array.isArray(table.bytes) || table.bytes.length === 0) return 'at least one row keyed by payload size (e.g. 128)';
  if (table.bytes.length !== table.cost.length) return 'one cost per row';
  for (let i = 1; i < table.bytes.length; i++) {
    if (!(table.bytes[i] > table.bytes[i - 1])) return 'rows with distinct payload sizes';
    const p = pairProblem(table.cost[i - 1], table.cost[i]);
    if (p) return p;
  }
  return undefined;
}

/** The cost of submitting a record of `bytes` payload, from the table (see module comment). */
export function sizeCost(table: SizeTable, bytes: number): Dist {
  const n = table.bytes.length;
  if (n === 0) throw new RangeError('sizeCost: empty size table');
  if (n === 1 || bytes <= table.bytes[0]) return table.cost[0];
  let hi = 1;
  while (hi < n - 1 && table.bytes[hi] < bytes) hi++;
  const lo = hi - 1;
  const b0 = table.bytes[lo];
  const b1 = table.bytes[hi];
  if (bytes === b1) return table.cost[hi];
  const t = (bytes - b0) / (b1 - b0);
  const p0 = params(table.cost[lo]);
  const p1 = params(table.cost[hi]);
  const p = p0.map((x, i) => x + t * (p1[i] - x));
  // A constant between two constants stays a constant.
  const template = table.cost[lo].kind === 'const' && table.cost[hi].kind === 'const' ? table.cost[lo] : table.cost[hi];
  return build(template, p);
}
