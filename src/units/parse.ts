/**
 * Units of the model format: durations (ns), timeouts, rates (packets/s), sizes (bytes) and
 * counts, parsed from a number or a string with a unit (format.ts writes them back).
 *
 * Parsers never throw: they return a `Parsed` value whose failure side says what was expected,
 * what was found and (often) a hint, so that the loader can print one line per problem.
 * No Node-only API here (the engine must run in a browser).
 */

/**
 * The outcome of parsing one field. On failure, `path` (optional) locates the problem inside
 * the parsed value (e.g. `['mean']` for a distribution object, `['values', 2]` for a list item);
 * the caller prefixes its own field path.
 */
export type Parsed<T> =
  | { ok: true; value: T }
  | { ok: false; expected: string; found: string; hint?: string; path?: (string | number)[] };

export type ParseFailure = Extract<Parsed<unknown>, { ok: false }>;

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail(expected: string, input: unknown, hint?: string): ParseFailure {
  return hint === undefined
    ? { ok: false, expected, found: showValue(input) }
    : { ok: false, expected, found: showValue(input), hint };
}

/** Prefixes a failure's path with `prefix` (for nested values). */
export function under(prefix: string | number, failure: ParseFailure): ParseFailure {
  return { ...failure, path: [prefix, ...(failure.path ?? [])] };
}

/** Joins a base field path and a failure's inner path: `probes[0].cost` + `['mean']`. */
export function joinPath(base: string, inner: (string | number)[] | undefined): string {
  let out = base;
  for (const part of inner ?? []) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

/** How a found value is shown in an error: strings quoted, missing values as "nothing". */
export function showValue(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (typeof input === 'string') return JSON.stringify(excerpt(input));
  if (typeof input === 'number') return Number.isNaN(input) ? 'NaN' : String(input);
  if (typeof input === 'bigint' || typeof input === 'boolean') return String(input);
  if (input === null) return 'null';
  let text: string;
  try {
    text = JSON.stringify(input) ?? String(input);
  } catch {
    text = String(input);
  }
  return excerpt(text, 60);
}

/**
 * A short, single-line excerpt of a value a user wrote, for a problem line: a value may be the
 * contents of a file the model points at, which an error must never print.
 */
export function excerpt(text: string, max = 40): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

// A non-negative decimal number as written in a model (sign handled by the callers so that a
// negative value gets its own message).
const NUM = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9 };
const DURATION_RE = new RegExp(`^(${NUM})\\s*([a-zA-Zµμ]*)$`);
const DURATION_UNIT_HINT = 'add a unit: ns, us, ms, s';
const DURATION_EXPECTED = 'a duration such as "500ns"';

/** Parses a non-negative duration string body (no sign) into ns, or explains why not. */
export function parseDurationText(text: string, input: unknown = text): Parsed<number> {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return fail(DURATION_EXPECTED, input, 'write a number and a unit: ns, us, ms, s ("1.5us")');
  const magnitude = Number(m[1]);
  const unit = m[2];
  if (unit === '') {
    if (magnitude === 0) return ok(0);
    return fail(DURATION_EXPECTED, input, DURATION_UNIT_HINT);
  }
  const factor = DURATION_UNITS[unit] ?? DURATION_UNITS[unit.toLowerCase()];
  if (factor === undefined) {
    const hint = /^(m|min|mins|minutes?|h|hours?)$/i.test(unit)
      ? `"${unit}" is not a unit here; use s (e.g. "60s")`
      : `unknown unit "${unit}"; use ns, us (or µs), ms, s`;
    return fail(DURATION_EXPECTED, input, hint);
  }
  const ns = magnitude * factor;
  if (!Number.isFinite(ns)) return fail('a finite duration', input);
  return ok(ns);
}

/** A duration in ns: a number (ns) or a string with a unit ("500ns", "1.5us", "2ms", "1s"). */
export function parseDuration(input: unknown): Parsed<number> {
  if (typeof input === 'number') {
    if (Number.isNaN(input)) return fail(DURATION_EXPECTED, input);
    if (input < 0) return fail('a duration >= 0', input, 'durations cannot be negative');
    if (!Number.isFinite(input)) return fail('a finite duration', input);
    return ok(input);
  }
  if (typeof input === 'string') {
    const text = input.trim();
    if (text.startsWith('-')) return fail('a duration >= 0', input, 'durations cannot be negative');
    return parseDurationText(text, input);
  }
  return fail(DURATION_EXPECTED, input);
}

const FOREVER_WORDS = new Set(['-1', 'infinite', 'infinity', 'inf', 'forever', 'never']);

/** A timeout in ns: like a duration, but -1, "-1", "infinite", "forever" mean Infinity. */
export function parseTimeout(input: unknown): Parsed<number> {
  if (input === -1 || input === Infinity) return ok(Infinity);
  if (typeof input === 'string' && FOREVER_WORDS.has(input.trim().toLowerCase())) return ok(Infinity);
  const parsed = parseDuration(input);
  if (parsed.ok) return parsed;
  return {
    ...parsed,
    expected: 'a timeout such as "100ms", or -1 / "infinite" for forever',
  };
}

const RATE_EXPECTED = 'a rate in packets/s such as 400000, "400k" or "1.2 Mpps"';
const RATE_PREFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };
const RATE_RE = new RegExp(`^(${NUM})\\s*([a-zA-Z]?)\\s*(pps|/s)?$`);

/** A packet rate in packets/s (> 0): 400000, "400k", "1.2M", "400kpps", "1.2 Mpps", "1G". */
export function parseRate(input: unknown): Parsed<number> {
  let pps: number;
  if (typeof input === 'number') {
    pps = input;
  } else if (typeof input === 'string') {
    const text = input.trim();
    if (text.startsWith('-')) return fail(RATE_EXPECTED, input, 'a rate must be > 0');
    const m = RATE_RE.exec(text);
    if (!m) return fail(RATE_EXPECTED, input, 'write a number with an optional k, M or G prefix and "pps"');
    const factor = RATE_PREFIX[m[2]];
    if (factor === undefined) {
      const hint = m[2] === 'm' ? 'use M for million (m would mean milli)' : `unknown prefix "${m[2]}"; use k, M or G`;
      return fail(RATE_EXPECTED, input, hint);
    }
    pps = Number(m[1]) * factor;
  } else {
    return fail(RATE_EXPECTED, input);
  }
  if (Number.isNaN(pps) || !Number.isFinite(pps)) return fail(RATE_EXPECTED, input);
  if (pps <= 0) return fail('a rate > 0', input, 'for no traffic leave out the probe or use arrival: saturate');
  return ok(pps);
}

/**
 * The page size where no catalog gives one (x86-64's PAGE_SIZE, and the shipped catalogs'):
 * "pages" in a size, the JSON Schema export. A loaded model uses its catalog's pageSize.
 */
export const DEFAULT_PAGE_SIZE = 4096;

const BYTES_EXPECTED = 'a size in bytes such as 4096, "256KiB", "1MiB" or "4KB"';
const BYTE_UNITS: Record<string, number> = {
  '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};
const BYTES_RE = new RegExp(`^(${NUM})\\s*([a-zA-Z]*)$`);

/** Rounds values that are integers up to floating-point noise ("1.1KB" = 1100.0000000000002). */
function nearInteger(x: number): number | undefined {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-9 * Math.max(1, Math.abs(x)) ? r : undefined;
}

/**
 * A size in whole bytes (>= 0): 4096, "128B", "4KB"/"1MB" (1000-based), "256KiB"/"1MiB"/"1GiB"
 * (1024-based), "8 pages" (x pageSize, default DEFAULT_PAGE_SIZE). A fractional multiple of a larger unit
 * ("1.23 KiB") is rounded to the nearest byte; a fractional number of bytes is rejected.
 */
export function parseBytes(input: unknown, opts: { pageSize?: number } = {}): Parsed<number> {
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  let magnitude: number;
  let factor = 1;
  if (typeof input === 'number') {
    magnitude = input;
  } else if (typeof input === 'string') {
    const text = input.trim();
    if (text.startsWith('-')) return fail('a size >= 0', input, 'sizes cannot be negative');
    const m = BYTES_RE.exec(text);
    if (!m) return fail(BYTES_EXPECTED, input, 'write a number and a unit: B, KB, MB, GB, KiB, MiB, GiB or pages');
    const unit = m[2].toLowerCase();
    const unitFactor = unit === 'page' || unit === 'pages' ? pageSize : BYTE_UNITS[unit];
    if (unitFactor === undefined) {
      const hint = unit === 'k' || unit === 'm' || unit === 'g'
        ? `write "${m[1]}${m[2].toUpperCase()}iB" (1024-based) or "${m[1]}${m[2].toUpperCase()}B" (1000-based)`
        : `unknown unit "${m[2]}"; use B, KB, MB, GB (1000-based), KiB, MiB, GiB (1024-based) or pages`;
      return fail(BYTES_EXPECTED, input, hint);
    }
    magnitude = Number(m[1]);
    factor = unitFactor;
  } else {
    return fail(BYTES_EXPECTED, input);
  }
  const bytes = magnitude * factor;
  if (Number.isNaN(bytes) || !Number.isFinite(bytes)) return fail(BYTES_EXPECTED, input);
  if (bytes < 0) return fail('a size >= 0', input, 'sizes cannot be negative');
  const whole = nearInteger(bytes);
  if (whole !== undefined) return ok(whole);
  // "1.23 KiB" (as formatBytes prints it) means about that many bytes: round. A fractional
  // number of plain bytes is a mistake.
  if (factor >= 1000) return ok(Math.round(bytes));
  return fail('a whole number of bytes', input, `${bytes} is not a whole number of bytes`);
}

const COUNT_PREFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };
const COUNT_RE = new RegExp(`^(${NUM})\\s*([a-zA-Z]?)$`);

/**
 * A plain number, optionally with a k/M/G suffix ("10k" entries). `min` defaults to 0;
 * `integer` (default false) requires a whole number.
 */
export function parseCount(input: unknown, opts: { min?: number; integer?: boolean } = {}): Parsed<number> {
  const min = opts.min ?? 0;
  const integer = opts.integer ?? false;
  const expected = integer ? 'a whole number such as 1024 or "10k"' : 'a number such as 0.5, 1024 or "10k"';
  let value: number;
  if (typeof input === 'number') {
    value = input;
  } else if (typeof input === 'string') {
    const text = input.trim();
    const negative = text.startsWith('-');
    const m = COUNT_RE.exec(negative ? text.slice(1).trim() : text);
    if (!m) return fail(expected, input);
    const factor = COUNT_PREFIX[m[2]];
    if (factor === undefined) {
      const hint = m[2] === 'm' ? 'use M for million' : `unknown suffix "${m[2]}"; use k, M or G`;
      return fail(expected, input, hint);
    }
    value = (negative ? -1 : 1) * Number(m[1]) * factor;
  } else {
    return fail(expected, input);
  }
  if (Number.isNaN(value) || !Number.isFinite(value)) return fail(expected, input);
  if (integer) {
    const whole = nearInteger(value);
    if (whole === undefined) return fail(expected, input, 'use a whole number');
    value = whole;
  }
  if (value < min) return fail(`${integer ? 'a whole number' : 'a number'} >= ${min}`, input);
  return ok(value);
}
