/**
 * Human units, the one family of formatters for reports, tables, charts and error messages:
 * times given in ns, sizes in bytes, rates per second, percentages 0-100. Three significant
 * digits are enough to read a table and keep columns narrow; whole numbers of a unit print as
 * integers ("32 KiB", "50 ns"). Durations, sizes and packet rates parse back with parse.ts.
 */

/** A number with about `digits` significant digits, no exponent, thousands not grouped. */
export function sigDigits(x: number, digits: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '-∞' : 'n/a';
  if (x === 0) return '0';
  // Round first, then pick decimals from the rounded value: 99.97 gives "100", not "100.0".
  const r = Number(x.toPrecision(digits));
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(r))));
  return r.toFixed(Math.min(decimals, 12));
}

/** About three significant digits: enough to read a table, narrow columns. */
export function sig3(x: number): string {
  return sigDigits(x, 3);
}

/** Shown for a figure that was not measured (null in JSON). */
export const NOT_MEASURED = 'n/a';

/**
 * Formats `value` with the largest unit (factor <= |value|) from an ascending list, so that
 * the printed number lies in [1, base) after rounding; 3 significant digits. Whole numbers of the
 * base unit ("50 ns", "128 B"), or of any unit with `exactIntegers` ("32 KiB"), print as integers.
 */
function scaled(value: number, units: readonly (readonly [number, string])[], exactIntegers = false): string {
  if (value === 0) return `0 ${units[0][1]}`;
  const abs = Math.abs(value);
  let i = 0;
  while (i + 1 < units.length && abs >= units[i + 1][0]) i++;
  // Rounding can carry into the next unit (999.7 ns -> "1000 ns" -> "1.00 µs").
  if (i + 1 < units.length && Number(sig3(abs / units[i][0])) >= units[i + 1][0] / units[i][0]) i++;
  const inUnit = value / units[i][0];
  const text = (exactIntegers || i === 0) && Number.isInteger(inUnit) ? String(inUnit) : sig3(inUnit);
  return `${text} ${units[i][1]}`;
}

const TIME_UNITS = [[1, 'ns'], [1e3, 'µs'], [1e6, 'ms'], [1e9, 's']] as const;
const SIZE_UNITS = [[1, 'B'], [1024, 'KiB'], [1024 ** 2, 'MiB'], [1024 ** 3, 'GiB'], [1024 ** 4, 'TiB']] as const;

/** ns -> "850 ns", "1.23 µs", "45.6 ms", "1.20 s"; null -> "n/a". */
export function formatNs(ns: number | null): string {
  if (ns === null) return NOT_MEASURED;
  if (!Number.isFinite(ns)) return sig3(ns);
  return scaled(ns, TIME_UNITS);
}

/**
 * A duration as a model would write it, for messages about a model: as formatNs, but Infinity
 * is "forever" (a timeout), and beyond 1000 s whole seconds. Parses back with parseDuration.
 */
export function formatDuration(ns: number): string {
  if (ns === Infinity) return 'forever';
  if (Number.isNaN(ns)) return 'NaN';
  if (Math.abs(ns) >= 1e12) return `${Math.round(ns / 1e9)} s`;
  return scaled(ns, TIME_UNITS);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** The binary unit that suits a byte count: its name and its size in bytes. */
export function byteUnit(bytes: number): { unit: string; scale: number } {
  let i = 0;
  let a = Math.abs(bytes);
  while (a >= 1024 && i < BYTE_UNITS.length - 1) {
    a /= 1024;
    i++;
  }
  return { unit: BYTE_UNITS[i], scale: 1024 ** i };
}

/** bytes -> "512 B", "32 KiB", "31.9 KiB", "70.7 MiB" (1024-based). Parses back with parseBytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return sig3(bytes);
  return scaled(bytes, SIZE_UNITS, true);
}

/** A per-second rate with a decimal prefix: "400 kpps", "1.20 Mpps", "5.00 k/s". */
export function formatRate(perSec: number, unit = '/s'): string {
  if (!Number.isFinite(perSec)) return sig3(perSec);
  const a = Math.abs(Number(perSec.toPrecision(3)));
  if (a >= 1e9) return `${sig3(perSec / 1e9)} G${unit}`;
  if (a >= 1e6) return `${sig3(perSec / 1e6)} M${unit}`;
  if (a >= 1e3) return `${sig3(perSec / 1e3)} k${unit}`;
  return `${sig3(perSec)} ${unit}`;
}

/** Packets per second: "950 pps", "400 kpps", "1.20 Mpps". Parses back with parseRate. */
export const formatPps = (pps: number): string => formatRate(pps, 'pps');

/** A rate of things per second in words: "352 k events/s", "16.7 events/s". */
export function formatPerSec(perSec: number, noun: string): string {
  const [num, prefix] = formatRate(perSec, '').split(' ');
  return `${num} ${prefix ? `${prefix} ` : ''}${noun}/s`;
}

/** bytes/s -> "76.2 MiB/s". */
export function formatByteRate(bytesPerSec: number): string {
  return `${formatBytes(bytesPerSec)}/s`;
}

/** An integer count with thin grouping: 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return sig3(n);
  return Math.round(n).toLocaleString('en-US');
}

/** A percentage 0-100: "11.9%", "0.0974%", "0%". */
export function formatPct(pct: number | null): string {
  if (pct === null) return NOT_MEASURED;
  return `${sig3(pct)}%`;
}

/** A signed change in percent: "+90.4%", "-0.10%", "±0%". */
export function formatDeltaPct(pct: number | null): string {
  if (pct === null) return NOT_MEASURED;
  if (pct === 0) return '±0%';
  return `${pct > 0 ? '+' : ''}${sig3(pct)}%`;
}

/** part of whole as a percentage, 0 when whole is 0. */
export function pctOf(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

/** A CPU demand in % of one CPU, as the CPUs it needs: "45.0% (needs 0.45 CPU)", "1310% (needs 13.1 CPUs)". */
export function formatCpuDemand(pct: number): string {
  const cpus = pct / 100;
  return `${formatPct(pct)} (needs ${sig3(cpus)} CPU${cpus === 1 ? '' : 's'})`;
}

/** 3 significant digits; exponent notation ("6.00e8") from 10 000 up: sizes of work and limits. */
export function bigNumber(x: number): string {
  if (x >= 1e4) return x.toExponential(2).replace('e+', 'e');
  return String(Number(x.toPrecision(3)));
}
