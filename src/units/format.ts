/**
 * Human units for reports: times given in ns, sizes in bytes, rates per second, percentages 0-100.
 * Three significant digits are enough to read a table and keep columns narrow.
 */

/** A number with about three significant digits, no exponent, thousands not grouped. */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '-∞' : 'n/a';
  if (x === 0) return '0';
  // Round first, then pick decimals from the rounded value: 99.97 gives "100", not "100.0".
  const r = Number(x.toPrecision(3));
  const decimals = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(r))));
  return r.toFixed(Math.min(decimals, 12));
}

/** Shown for a figure that was not measured (null in JSON). */
export const NOT_MEASURED = 'n/a';

/** ns -> "850 ns", "1.23 µs", "45.6 ms", "1.20 s"; null -> "n/a". */
export function formatNs(ns: number | null): string {
  if (ns === null) return NOT_MEASURED;
  if (!Number.isFinite(ns)) return sig3(ns);
  const a = Math.abs(Number(ns.toPrecision(3))); // 999.7 ns is 1.00 µs
  if (a < 1e3) return `${sig3(ns)} ns`;
  if (a < 1e6) return `${sig3(ns / 1e3)} µs`;
  if (a < 1e9) return `${sig3(ns / 1e6)} ms`;
  return `${sig3(ns / 1e9)} s`;
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

/** bytes -> "512 B", "32.0 KiB", "70.7 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return sig3(bytes);
  const { unit, scale } = byteUnit(bytes);
  return scale === 1 ? `${Math.round(bytes)} B` : `${sig3(bytes / scale)} ${unit}`;
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
