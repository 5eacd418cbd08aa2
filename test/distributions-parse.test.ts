import { describe, expect, it } from 'vitest';
import { DIST_EXPECTED, formatDist, parseDist } from '../src/distributions/parse.js';
import type { Dist } from '../src/distributions/types.js';
import type { Parsed } from '../src/units/parse.js';

function value(p: Parsed<Dist>): Dist {
  if (!p.ok) throw new Error(`expected success, got: expected ${p.expected}, found ${p.found}, hint ${p.hint}`);
  return p.value;
}

function failure(p: Parsed<Dist>) {
  if (p.ok) throw new Error(`expected a failure, got ${JSON.stringify(p.value)}`);
  return p;
}

describe('parseDist: accepted forms', () => {
  it.each<[unknown, Dist]>([
    [500, { kind: 'const', value: 500 }],
    [0, { kind: 'const', value: 0 }],
    ['500ns', { kind: 'const', value: 500 }],
    ['1.5us', { kind: 'const', value: 1500 }],
    ['1e-3ms', { kind: 'const', value: 1000 }], // the exponent's minus is not a range
    ['50-100ns', { kind: 'uniform', min: 50, max: 100 }],
    ['50 - 100 ns', { kind: 'uniform', min: 50, max: 100 }],
    ['50ns-1us', { kind: 'uniform', min: 50, max: 1000 }],
    ['1-2ms', { kind: 'uniform', min: 1e6, max: 2e6 }],
    ['0.5-1.5µs', { kind: 'uniform', min: 500, max: 1500 }],
    ['100-100ns', { kind: 'uniform', min: 100, max: 100 }],
    [{ dist: 'constant', value: '2us' }, { kind: 'const', value: 2000 }],
    [{ dist: 'const', value: 7 }, { kind: 'const', value: 7 }],
    [{ dist: 'uniform', min: '50ns', max: '1us' }, { kind: 'uniform', min: 50, max: 1000 }],
    [{ dist: 'exponential', mean: '1us' }, { kind: 'exponential', mean: 1000 }],
    [{ dist: 'exp', mean: 10 }, { kind: 'exponential', mean: 10 }],
    [{ dist: 'normal', mean: '800ns', sd: '100ns' }, { kind: 'normal', mean: 800, sd: 100 }],
    [{ dist: 'normal', mean: 0, sd: 5 }, { kind: 'normal', mean: 0, sd: 5 }],
    [{ dist: 'lognormal', mean: '800ns', cv: 0.3 }, { kind: 'lognormal', mean: 800, cv: 0.3 }],
    [{ dist: 'LogNormal', mean: 800, cv: '0.3' }, { kind: 'lognormal', mean: 800, cv: 0.3 }],
    [{ dist: 'gamma', mean: '4us', cv: 0.5 }, { kind: 'gamma', mean: 4000, cv: 0.5 }],
    [{ dist: 'gamma', mean: '4us', cv: 0 }, { kind: 'gamma', mean: 4000, cv: 0 }],
    [{ dist: 'empirical', values: ['500ns', 800, '2us'] }, { kind: 'empirical', values: [500, 800, 2000] }],
    [
      { dist: 'empirical', values: [1, 2], weights: [3, 0] },
      { kind: 'empirical', values: [1, 2], weights: [3, 0] },
    ],
    [{ lognormal: { mean: '1us', cv: 0.3 } }, { kind: 'lognormal', mean: 1000, cv: 0.3 }],
    [{ uniform: { min: 1, max: 2 } }, { kind: 'uniform', min: 1, max: 2 }],
  ])('%j', (input, dist) => {
    expect(value(parseDist(input))).toEqual(dist);
  });
});

describe('parseDist: rejected forms say what, where and how to fix', () => {
  it.each<[unknown, { expected?: string; found?: string; hint?: string; path?: (string | number)[] }]>([
    ['fast', { expected: DIST_EXPECTED, found: '"fast"', hint: 'write a number and a unit: ns, us, ms, s ("1.5us")' }],
    ['500', { expected: DIST_EXPECTED, found: '"500"', hint: 'add a unit: ns, us, ms, s' }],
    ['-5ns', { expected: 'a duration >= 0', hint: 'durations cannot be negative' }],
    [-5, { expected: 'a duration >= 0', found: '-5', hint: 'durations cannot be negative' }],
    [NaN, { expected: DIST_EXPECTED, found: 'NaN' }],
    [Infinity, { expected: DIST_EXPECTED }],
    [true, { expected: DIST_EXPECTED, found: 'true' }],
    [null, { expected: DIST_EXPECTED, found: 'null' }],
    [undefined, { expected: DIST_EXPECTED, found: 'nothing' }],
    [[1, 2], { expected: DIST_EXPECTED, hint: 'for observed values write { dist: empirical, values: [...] }' }],
    ['50-100', { expected: 'a range such as "50-100ns" or "50ns-1us"', hint: 'add a unit: ns, us, ms, s ("50-100ns")' }],
    ['50ns-100', { expected: 'a range such as "50-100ns" or "50ns-1us"', hint: 'add a unit after 100 too' }],
    ['50-100xs', { expected: 'a range such as "50-100ns" or "50ns-1us"', hint: 'unknown unit "xs"; use ns, us (or µs), ms, s' }],
    ['100-50ns', { expected: 'a range "min-max" with min <= max', found: '"100-50ns"', hint: 'did you mean "50ns-100ns"?' }],
    ['2us-500ns', { expected: 'a range "min-max" with min <= max', hint: 'did you mean "500ns-2us"?' }],
    [{ mean: 5 }, { expected: DIST_EXPECTED, hint: 'an object needs "dist:", e.g. { dist: lognormal, mean: 800ns, cv: 0.3 }' }],
    [{ kind: 'lognormal', mean: 5, cv: 1 }, { expected: DIST_EXPECTED, hint: 'name the kind with "dist:", e.g. { dist: lognormal, mean: 800ns, cv: 0.3 }' }],
    [{ dist: 'lognorml', mean: 5, cv: 1 }, { expected: 'dist: one of constant, uniform, exponential, normal, lognormal, gamma, empirical', found: '"lognorml"', hint: 'did you mean "lognormal"?', path: ['dist'] }],
    [{ dist: 'poisson', mean: 5 }, { hint: 'Poisson arrivals have exponential gaps: use dist: exponential', path: ['dist'] }],
    [{ dist: 'fixed', value: 5 }, { hint: 'use dist: constant', path: ['dist'] }],
    [{ dist: 'weibull', mean: 5 }, { found: '"weibull"', hint: undefined, path: ['dist'] }],
    [{ dist: 3 }, { found: '3', path: ['dist'] }],
    // unknown fields, with did-you-mean
    [{ dist: 'lognormal', mean: '800ns', sd: '100ns' }, { expected: 'only the fields of lognormal: dist, mean, cv', found: 'field "sd"', hint: 'lognormal takes its spread as cv = sd / mean (e.g. mean: 800ns, cv: 0.3)' }],
    [{ dist: 'lognormal', mean: 800, cv: 0.3, mu: 1 }, { hint: 'lognormal takes its own mean and cv, not mu/sigma' }],
    [{ dist: 'gamma', shape: 2, scale: 3 }, { expected: 'only the fields of gamma: dist, mean, cv', hint: 'gamma takes mean and cv (shape = 1/cv^2, scale = mean * cv^2)' }],
    [{ dist: 'gamma', mean: 800, cv: 0.3, cvv: 1 }, { found: 'field "cvv"', hint: 'did you mean "cv"?' }],
    [{ dist: 'normal', mean: 800, stdev: 100 }, { hint: 'did you mean "sd"?' }],
    [{ dist: 'normal', mean: 800, cv: 0.1 }, { hint: 'normal takes sd (a duration); sd = cv * mean' }],
    [{ dist: 'exponential', rate: 1e6 }, { hint: 'exponential takes its mean (= 1 / rate), a duration' }],
    [{ dist: 'exponential', maen: '1us' }, { hint: 'did you mean "mean"?' }],
    [{ dist: 'uniform', lo: 1, hi: 2 }, { hint: 'did you mean "min"?' }],
    [{ dist: 'constant', mean: 5 }, { hint: 'did you mean "value"?' }],
    [{ dist: 'empirical', samples: [1] }, { hint: 'did you mean "values"?' }],
    [{ dist: 'uniform', min: 1, max: 2, color: 'red' }, { expected: 'only the fields of uniform: dist, min, max', hint: undefined }],
    // missing and invalid parameters
    [{ dist: 'lognormal', cv: 0.3 }, { expected: 'the mean (a duration such as "800ns")', found: 'nothing', path: ['mean'] }],
    [{ dist: 'lognormal', mean: 800 }, { expected: 'a coefficient of variation cv = sd / mean, a number >= 0 such as 0.3', found: 'nothing', hint: 'lognormal needs mean and cv', path: ['cv'] }],
    [{ dist: 'lognormal', mean: 0, cv: 0.3 }, { expected: 'the mean > 0', found: '0', path: ['mean'] }],
    [{ dist: 'gamma', mean: 800, cv: -0.3 }, { expected: 'a coefficient of variation cv = sd / mean, a number >= 0 such as 0.3', found: '-0.3', path: ['cv'] }],
    [{ dist: 'gamma', mean: 800, cv: '30ns' }, { hint: 'cv has no unit: it is sd / mean', path: ['cv'] }],
    [{ dist: 'exponential', mean: 0 }, { expected: 'the mean > 0', path: ['mean'] }],
    [{ dist: 'exponential', mean: 'slow' }, { expected: 'the mean: a duration such as "500ns"', found: '"slow"', path: ['mean'] }],
    [{ dist: 'normal', mean: 800, sd: -1 }, { expected: 'the standard deviation: a duration >= 0', path: ['sd'] }],
    [{ dist: 'normal', mean: -800, sd: 1 }, { expected: 'the mean (before truncation at 0): a duration >= 0', path: ['mean'] }],
    [{ dist: 'normal', mean: 800 }, { expected: 'the standard deviation (a duration such as "800ns")', path: ['sd'] }],
    [{ dist: 'uniform', min: '2us', max: '1us' }, { expected: 'a maximum >= min (2.00 µs)', found: '"1us"', hint: 'swap min and max', path: ['max'] }],
    [{ dist: 'uniform', min: 5 }, { found: 'nothing', path: ['max'] }],
    [{ dist: 'constant' }, { expected: 'the constant value (a duration such as "800ns")', path: ['value'] }],
    [{ dist: 'empirical', values: [] }, { expected: 'a non-empty list of durations such as [500ns, 800ns, 2us]', found: '[]', path: ['values'] }],
    [{ dist: 'empirical' }, { found: 'nothing', path: ['values'] }],
    [{ dist: 'empirical', values: [1, 'x', 3] }, { found: '"x"', path: ['values', 1] }],
    [{ dist: 'empirical', values: [1, 2], weights: [1] }, { expected: 'a list of 2 weights, one per value', found: '1 weights', path: ['weights'] }],
    [{ dist: 'empirical', values: [1, 2], weights: [1, -1] }, { expected: 'a weight, a number >= 0', found: '-1', path: ['weights', 1] }],
    [{ dist: 'empirical', values: [1, 2], weights: [0, 0] }, { expected: 'weights with a positive sum', hint: 'at least one weight must be > 0', path: ['weights'] }],
    [{ dist: 'empirical', values: [1, 2], weights: 'equal' }, { found: '"equal"', path: ['weights'] }],
    [{ lognormal: { mean: 800, sd: 1 } }, { hint: 'lognormal takes its spread as cv = sd / mean (e.g. mean: 800ns, cv: 0.3)', path: ['lognormal'] }],
    [{ lognormal: { mean: 800 } }, { path: ['lognormal', 'cv'] }],
  ])('%j', (input, want) => {
    const f = failure(parseDist(input));
    if ('expected' in want) expect(f.expected).toBe(want.expected);
    if ('found' in want) expect(f.found).toBe(want.found);
    if ('hint' in want) expect(f.hint).toBe(want.hint);
    if ('path' in want) expect(f.path).toEqual(want.path);
    // Every failure is printable as one line.
    expect(`${f.expected} ${f.found} ${f.hint ?? ''}`).not.toMatch(/\n/);
  });
});

describe('formatDist', () => {
  it.each<[Dist, string]>([
    [{ kind: 'const', value: 500 }, '500 ns'],
    [{ kind: 'uniform', min: 50, max: 100 }, '50-100 ns'],
    [{ kind: 'uniform', min: 50, max: 1000 }, '50 ns-1.00 µs'],
    [{ kind: 'uniform', min: 1e6, max: 2.5e6 }, '1.00-2.50 ms'],
    [{ kind: 'exponential', mean: 1000 }, 'exponential(mean 1.00 µs)'],
    [{ kind: 'normal', mean: 800, sd: 100 }, 'normal(mean 800 ns, sd 100 ns)'],
    [{ kind: 'lognormal', mean: 800, cv: 0.3 }, 'lognormal(mean 800 ns, cv 0.3)'],
    [{ kind: 'gamma', mean: 4000, cv: 0.125 }, 'gamma(mean 4.00 µs, cv 0.125)'],
    [{ kind: 'empirical', values: [500, 800, 2000] }, 'empirical(3 values, mean 1.10 µs)'],
    [{ kind: 'empirical', values: [100, 200], weights: [3, 1] }, 'empirical(2 values, weighted, mean 125 ns)'],
  ])('%j -> %s', (d, text) => {
    expect(formatDist(d)).toBe(text);
  });

  it('constants and ranges parse back to the same distribution', () => {
    const cases: Dist[] = [
      { kind: 'const', value: 500 },
      { kind: 'const', value: 2.5e6 },
      { kind: 'uniform', min: 50, max: 100 },
      { kind: 'uniform', min: 50, max: 1000 },
      { kind: 'uniform', min: 1e6, max: 2.5e6 },
      { kind: 'uniform', min: 0, max: 20 },
    ];
    for (const d of cases) expect(value(parseDist(formatDist(d)))).toEqual(d);
  });
});
