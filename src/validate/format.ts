/**
 * The selftest table, one line per row, in fixed-width columns so that rows can be printed as
 * each case finishes: quantity, expected, simulated, its confidence interval (or the allowance
 * of a deterministic row), the error, and ok / FAIL.
 */
import { paint } from '../report/text-table.js';
import { CI_LEVEL, type Profile, type Unit, type ValidationRow } from './case.js';
import { sigDigits } from '../units/format.js';

const W = { quantity: 44, expected: 12, simulated: 12, interval: 36, error: 10 };

/** Four significant digits: expected and simulated values are compared closer than a report's three. */
const sig4 = (x: number): string => sigDigits(x, 4);

const SCALES: Record<Unit, [number, string][]> = {
  ns: [
    [1e9, 's'],
    [1e6, 'ms'],
    [1e3, 'µs'],
    [1, 'ns'],
  ],
  'per-second': [
    [1e9, 'G/s'],
    [1e6, 'M/s'],
    [1e3, 'k/s'],
    [1, '/s'],
  ],
  bytes: [[1, 'B']],
  count: [[1, '']],
  integer: [[1, '']],
  fraction: [[1, '']],
};

/** The scale that suits `ref` for a unit, so a row's numbers share one unit. */
function scaleFor(unit: Unit, ref: number): [number, string] {
  const scales = SCALES[unit];
  return scales.find(([k]) => Math.abs(ref) >= k) ?? scales[scales.length - 1];
}

function formatIn(x: number, [k, name]: [number, string], unit: Unit): string {
  if (unit === 'integer') return Number.isInteger(x) ? String(x) : sig4(x);
  return name ? `${sig4(x / k)} ${name}` : sig4(x / k);
}

function formatError(pct: number): string {
  if (!Number.isFinite(pct)) return 'n/a';
  // Below 1e-9 % the difference is float rounding in a deterministic row.
  const a = Math.abs(pct) < 1e-9 ? 0 : Math.abs(pct);
  const body = a === 0 ? '0' : a < 1 ? a.toPrecision(2) : a.toFixed(2);
  return a === 0 ? '0%' : `${pct < 0 ? '-' : '+'}${body}%`;
}

const pad = (s: string, w: number, left = false) => {
  const fill = ' '.repeat(Math.max(0, w - [...s].length));
  return left ? s + fill : fill + s;
};

export function formatTableHeader(profile: Profile, color: boolean): string {
  const cols =
    pad('', W.quantity, true) +
    pad('expected', W.expected) +
    pad('simulated', W.simulated) +
    pad(`${CI_LEVEL * 100}% CI / allowance`, W.interval) +
    pad('error', W.error) +
    '  result';
  return `bpfsim selftest (${profile}): the simulator against queueing theory and the kernel's wake-up benchmark\n` + paint(cols, 'dim', color);
}

/** One row; `heading` prints the case title above it (first row of a case). */
export function formatRowLine(r: ValidationRow, color: boolean, heading: boolean): string {
  const scale = scaleFor(r.unit, r.expected !== 0 ? r.expected : r.simulated);
  const deterministic = r.replications === 1;
  // The allowance gets its own scale: it is usually far smaller than the value.
  const allowance = `±${formatIn(r.allowance, scaleFor(r.unit, r.allowance), r.unit)}`;
  const interval = deterministic
    ? allowance
    : `[${formatIn(r.lo, scale, r.unit)}, ${formatIn(r.hi, scale, r.unit)}]` + (r.allowance > 0 ? ` ${allowance}` : '');
  const line =
    pad(`  ${r.quantity}`, W.quantity, true) +
    pad(formatIn(r.expected, scale, r.unit), W.expected) +
    pad(formatIn(r.simulated, scale, r.unit), W.simulated) +
    pad(interval, W.interval) +
    pad(formatError(r.errorPct), W.error) +
    '  ' +
    (r.pass ? paint('ok', 'good', color) : paint('FAIL', 'bad', color));
  return heading ? `${paint(r.caseTitle, 'bold', color)}\n${line}` : line;
}

export function formatTableLegend(rows: ValidationRow[], packets: number, seconds: number, color: boolean): string {
  const failed = rows.filter((r) => !r.pass).length;
  const reps = [...new Set(rows.filter((r) => r.replications > 1).map((r) => r.replications))].join('/') || 'n';
  const lines = [
    `Replicated rows pass when the expected value lies inside the ${CI_LEVEL * 100}% Student-t confidence interval of the`,
    `simulated mean over ${reps} independent replications (seeds 1..n); p99 rows also allow the histogram's bucket`,
    `half-width. "Little" rows take the expected side from the same runs. Sweep rows are single deterministic runs held`,
    `to the stated allowance (window edges; for the benchmark, 3x its scatter about its own best curve).`,
  ];
  const summary = failed === 0 ? paint(`all ${rows.length} rows pass`, 'good', color) : paint(`${failed} of ${rows.length} rows FAIL`, 'bad', color);
  return `${paint(lines.join('\n'), 'dim', color)}\n${summary} (${(packets / 1e6).toFixed(1)} M packets simulated in ${seconds.toFixed(1)} s)`;
}
