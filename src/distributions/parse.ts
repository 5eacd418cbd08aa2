/**
 * Distributions as users write them (values in ns):
 *   500 | "500ns"                          constant
 *   "50-100ns" | "50ns-1us"                uniform
 *   { dist: constant, value }              also { dist: uniform, min, max }, { dist: exponential, mean },
 *   { dist: normal, mean, sd }             (truncated at 0), { dist: lognormal | gamma, mean, cv },
 *   { dist: empirical, values, weights? }
 * The one-key form `{ lognormal: { mean, cv } }` is accepted too. Errors say what was expected,
 * what was found and how to fix it; the failure's `path` points inside the object.
 */
import type { Dist } from './types.js';
import { distMean } from './moments.js';
import { formatDuration } from '../units/format.js';
import {
  type ParseFailure,
  type Parsed,
  fail,
  ok,
  parseCount,
  parseDuration,
  parseDurationText,
  showValue,
  under,
} from '../units/parse.js';

export const DIST_EXPECTED = 'a duration such as "50ns" or "50-100ns", or { dist: lognormal, mean, cv }';

const KIND_NAMES = ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'gamma', 'empirical'] as const;
type KindName = (typeof KIND_NAMES)[number];
const KIND_ALIASES: Record<string, KindName> = { const: 'constant', exp: 'exponential' };

/** Fields each kind takes (besides `dist`), required ones first. */
const FIELDS: Record<KindName, { required: string[]; optional: string[] }> = {
  constant: { required: ['value'], optional: [] },
  uniform: { required: ['min', 'max'], optional: [] },
  exponential: { required: ['mean'], optional: [] },
  normal: { required: ['mean', 'sd'], optional: [] },
  lognormal: { required: ['mean', 'cv'], optional: [] },
  gamma: { required: ['mean', 'cv'], optional: [] },
  empirical: { required: ['values'], optional: ['weights'] },
};

/** Hints for field names people commonly reach for, by kind. */
function synonymHint(kind: KindName, key: string): string | undefined {
  const k = key.toLowerCase();
  const spread = ['sd', 'std', 'stdev', 'stddev', 'sigma', 'variance', 'var'];
  if ((kind === 'lognormal' || kind === 'gamma') && spread.includes(k)) {
    return `${kind} takes its spread as cv = sd / mean (e.g. mean: 800ns, cv: 0.3)`;
  }
  if (kind === 'lognormal' && k === 'mu') return 'lognormal takes its own mean and cv, not mu/sigma';
  if (kind === 'gamma' && ['shape', 'scale', 'alpha', 'beta', 'k', 'theta', 'rate'].includes(k)) {
    return 'gamma takes mean and cv (shape = 1/cv^2, scale = mean * cv^2)';
  }
  if (kind === 'normal' && spread.includes(k)) return 'did you mean "sd"?';
  if (kind === 'normal' && k === 'cv') return 'normal takes sd (a duration); sd = cv * mean';
  if (kind === 'normal' && k === 'mu') return 'did you mean "mean"?';
  if (kind === 'exponential' && ['rate', 'lambda'].includes(k)) return 'exponential takes its mean (= 1 / rate), a duration';
  if (kind === 'uniform' && ['lo', 'low', 'from', 'a', 'lower'].includes(k)) return 'did you mean "min"?';
  if (kind === 'uniform' && ['hi', 'high', 'to', 'b', 'upper'].includes(k)) return 'did you mean "max"?';
  if (kind === 'constant' && ['mean', 'v', 'val'].includes(k)) return 'did you mean "value"?';
  if (kind === 'empirical' && ['samples', 'data', 'points', 'value'].includes(k)) return 'did you mean "values"?';
  return undefined;
}

/** Edit distance, for did-you-mean hints. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/** The candidate closest to `word` if it is close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(w, c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  const allowed = w.length <= 3 ? 1 : 2;
  return bestDistance <= allowed || (best !== undefined && best.startsWith(w) && w.length >= 3) ? best : undefined;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const NUM = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const RANGE_RE = new RegExp(`^(${NUM})\\s*([a-zA-Zµμ]*)\\s*-\\s*(${NUM})\\s*([a-zA-Zµμ]*)$`);

/** "50-100ns", "50ns-1us", "1-2 ms": uniform. Undefined if the text is not a range at all. */
function parseRange(text: string, input: unknown): Parsed<Dist> | undefined {
  const m = RANGE_RE.exec(text.trim());
  if (!m) return undefined;
  const [, loNum, loUnitWritten, hiNum, hiUnit] = m;
  const rangeExpected = 'a range such as "50-100ns" or "50ns-1us"';
  if (hiUnit === '') {
    const hint = loUnitWritten === '' ? 'add a unit: ns, us, ms, s ("50-100ns")' : `add a unit after ${hiNum} too`;
    return fail(rangeExpected, input, hint);
  }
  const lo = parseDurationText(loNum + (loUnitWritten || hiUnit), input);
  const hi = parseDurationText(hiNum + hiUnit, input);
  if (!lo.ok) return { ...lo, expected: rangeExpected };
  if (!hi.ok) return { ...hi, expected: rangeExpected };
  if (lo.value > hi.value) {
    const swapped = `${hiNum}${hiUnit}-${loNum}${loUnitWritten || hiUnit}`;
    return fail('a range "min-max" with min <= max', input, `did you mean "${swapped}"?`);
  }
  return ok({ kind: 'uniform', min: lo.value, max: hi.value });
}

function parseDistText(input: string): Parsed<Dist> {
  const single = parseDuration(input);
  if (single.ok) return ok({ kind: 'const', value: single.value });
  const range = parseRange(input, input);
  if (range) return range;
  if (input.trim().startsWith('-')) return single; // "durations cannot be negative"
  return { ...single, expected: DIST_EXPECTED };
}

/** A required or optional field that is a duration; `positive` also rejects 0. */
function durationField(obj: Record<string, unknown>, key: string, what: string, positive = false): Parsed<number> {
  const raw = obj[key];
  if (raw === undefined) return under(key, fail(`${what} (a duration such as "800ns")`, raw));
  const parsed = parseDuration(raw);
  if (!parsed.ok) return under(key, { ...parsed, expected: `${what}: ${parsed.expected}` });
  if (positive && parsed.value <= 0) return under(key, fail(`${what} > 0`, raw));
  return parsed;
}

function cvField(obj: Record<string, unknown>, kind: string): Parsed<number> {
  const raw = obj.cv;
  const expected = 'a coefficient of variation cv = sd / mean, a number >= 0 such as 0.3';
  if (raw === undefined) return under('cv', fail(expected, raw, `${kind} needs mean and cv`));
  const parsed = parseCount(raw, { min: 0 });
  if (!parsed.ok) {
    const hint = typeof raw === 'string' && /[a-zµμ]s$/i.test(raw.trim()) ? 'cv has no unit: it is sd / mean' : parsed.hint;
    return under('cv', hint === undefined ? fail(expected, raw) : fail(expected, raw, hint));
  }
  return parsed;
}

function parseEmpirical(obj: Record<string, unknown>): Parsed<Dist> {
  const rawValues = obj.values;
  if (!Array.isArray(rawValues) || rawValues.length === 0) {
    return under('values', fail('a non-empty list of durations such as [500ns, 800ns, 2us]', rawValues));
  }
  const values: number[] = [];
  for (let i = 0; i < rawValues.length; i++) {
    const v = parseDuration(rawValues[i]);
    if (!v.ok) return under('values', under(i, v));
    values.push(v.value);
  }
  const rawWeights = obj.weights;
  if (rawWeights === undefined) return ok({ kind: 'empirical', values });
  if (!Array.isArray(rawWeights) || rawWeights.length !== values.length) {
    const found = Array.isArray(rawWeights) ? `${rawWeights.length} weights` : showValue(rawWeights);
    return {
      ok: false,
      expected: `a list of ${values.length} weights, one per value`,
      found,
      hint: 'leave out weights for equally likely values',
      path: ['weights'],
    };
  }
  const weights: number[] = [];
  for (let i = 0; i < rawWeights.length; i++) {
    const w = parseCount(rawWeights[i], { min: 0 });
    if (!w.ok) return under('weights', under(i, { ...w, expected: 'a weight, a number >= 0' }));
    weights.push(w.value);
  }
  if (!weights.some((w) => w > 0)) {
    return under('weights', fail('weights with a positive sum', rawWeights, 'at least one weight must be > 0'));
  }
  return ok({ kind: 'empirical', values, weights });
}

/** An unknown field: reported at the object (the key itself is the problem). */
function unknownKeyFailure(kind: KindName, key: string): ParseFailure {
  const { required, optional } = FIELDS[kind];
  const allowed = [...required, ...optional];
  const guess = closest(key, allowed);
  const hint = synonymHint(kind, key) ?? (guess !== undefined ? `did you mean "${guess}"?` : undefined);
  const expected = `only the fields of ${kind}: ${['dist', ...allowed].join(', ')}`;
  const failure: ParseFailure = { ok: false, expected, found: `field ${JSON.stringify(key)}` };
  return hint === undefined ? failure : { ...failure, hint };
}

function parseDistFields(kind: KindName, obj: Record<string, unknown>): Parsed<Dist> {
  const { required, optional } = FIELDS[kind];
  for (const key of Object.keys(obj)) {
    if (key !== 'dist' && !required.includes(key) && !optional.includes(key)) return unknownKeyFailure(kind, key);
  }
  switch (kind) {
    case 'constant': {
      const value = durationField(obj, 'value', 'the constant value');
      return value.ok ? ok({ kind: 'const', value: value.value }) : value;
    }
    case 'uniform': {
      const min = durationField(obj, 'min', 'the minimum');
      if (!min.ok) return min;
      const max = durationField(obj, 'max', 'the maximum');
      if (!max.ok) return max;
      if (min.value > max.value) {
        return under('max', fail(`a maximum >= min (${formatDuration(min.value)})`, obj.max, 'swap min and max'));
      }
      return ok({ kind: 'uniform', min: min.value, max: max.value });
    }
    case 'exponential': {
      const mean = durationField(obj, 'mean', 'the mean', true);
      return mean.ok ? ok({ kind: 'exponential', mean: mean.value }) : mean;
    }
    case 'normal': {
      const mean = durationField(obj, 'mean', 'the mean (before truncation at 0)');
      if (!mean.ok) return mean;
      const sd = durationField(obj, 'sd', 'the standard deviation');
      if (!sd.ok) return sd;
      return ok({ kind: 'normal', mean: mean.value, sd: sd.value });
    }
    case 'lognormal':
    case 'gamma': {
      const mean = durationField(obj, 'mean', 'the mean', true);
      if (!mean.ok) return mean;
      const cv = cvField(obj, kind);
      if (!cv.ok) return cv;
      return ok({ kind, mean: mean.value, cv: cv.value });
    }
    case 'empirical':
      return parseEmpirical(obj);
  }
}

function resolveKind(raw: unknown): Parsed<KindName> {
  const expected = `dist: one of ${KIND_NAMES.join(', ')}`;
  if (typeof raw !== 'string') return under('dist', fail(expected, raw));
  const name = raw.trim().toLowerCase();
  if ((KIND_NAMES as readonly string[]).includes(name)) return ok(name as KindName);
  const alias = KIND_ALIASES[name];
  if (alias) return ok(alias);
  const guess = closest(name, KIND_NAMES);
  const hint =
    guess !== undefined
      ? `did you mean "${guess}"?`
      : name === 'poisson'
        ? 'Poisson arrivals have exponential gaps: use dist: exponential'
        : name === 'fixed' || name === 'deterministic'
          ? 'use dist: constant'
          : undefined;
  return under('dist', hint === undefined ? fail(expected, raw) : fail(expected, raw, hint));
}

function parseDistObject(obj: Record<string, unknown>): Parsed<Dist> {
  if (!('dist' in obj)) {
    const keys = Object.keys(obj);
    // One-key form: { lognormal: { mean, cv } }.
    if (keys.length === 1 && isRecord(obj[keys[0]])) {
      const kind = resolveKind(keys[0]);
      if (kind.ok) {
        const inner = obj[keys[0]] as Record<string, unknown>;
        const parsed = parseDistFields(kind.value, inner);
        return parsed.ok ? parsed : under(keys[0], parsed);
      }
    }
    const hint = 'kind' in obj || 'type' in obj
      ? 'name the kind with "dist:", e.g. { dist: lognormal, mean: 800ns, cv: 0.3 }'
      : 'an object needs "dist:", e.g. { dist: lognormal, mean: 800ns, cv: 0.3 }';
    return fail(DIST_EXPECTED, obj, hint);
  }
  const kind = resolveKind(obj.dist);
  if (!kind.ok) return kind;
  return parseDistFields(kind.value, obj);
}

/** Parses a distribution of durations (ns). See the module comment for the accepted forms. */
export function parseDist(input: unknown): Parsed<Dist> {
  if (typeof input === 'number') {
    const d = parseDuration(input);
    if (!d.ok) return Number.isNaN(input) || input === Infinity ? { ...d, expected: DIST_EXPECTED } : d;
    return ok({ kind: 'const', value: d.value });
  }
  if (typeof input === 'string') return parseDistText(input);
  if (isRecord(input)) return parseDistObject(input);
  if (Array.isArray(input)) {
    return fail(DIST_EXPECTED, input, 'for observed values write { dist: empirical, values: [...] }');
  }
  return fail(DIST_EXPECTED, input);
}

// ---- formatting -------------------------------------------------------------------------

/** 3 significant digits without trailing zeros: 0.3 -> "0.3", 0.125 -> "0.125". */
function shortNumber(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** Splits "1.24 µs" into its number and unit. */
function splitUnit(text: string): [string, string] {
  const i = text.lastIndexOf(' ');
  return [text.slice(0, i), text.slice(i + 1)];
}

/**
 * A compact human form: "500 ns", "50-100 ns", "50 ns-1.00 µs", "exponential(mean 1.00 µs)",
 * "normal(mean 800 ns, sd 100 ns)", "lognormal(mean 800 ns, cv 0.3)",
 * "empirical(3 values, mean 1.10 µs)". Constants and ranges parse back with parseDist.
 */
export function formatDist(d: Dist): string {
  switch (d.kind) {
    case 'const':
      return formatDuration(d.value);
    case 'uniform': {
      const [loNum, loUnit] = splitUnit(formatDuration(d.min));
      const [hiNum, hiUnit] = splitUnit(formatDuration(d.max));
      return loUnit === hiUnit ? `${loNum}-${hiNum} ${hiUnit}` : `${loNum} ${loUnit}-${hiNum} ${hiUnit}`;
    }
    case 'exponential':
      return `exponential(mean ${formatDuration(d.mean)})`;
    case 'normal':
      return `normal(mean ${formatDuration(d.mean)}, sd ${formatDuration(d.sd)})`;
    case 'lognormal':
    case 'gamma':
      return `${d.kind}(mean ${formatDuration(d.mean)}, cv ${shortNumber(d.cv)})`;
    case 'empirical': {
      const n = d.values.length;
      const weighted = d.weights ? ', weighted' : '';
      return `empirical(${n} value${n === 1 ? '' : 's'}${weighted}, mean ${formatDuration(distMean(d))})`;
    }
  }
}
