import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatBytes, formatDuration, formatPps } from '../src/units/format.js';
import {
  joinPath,
  parseBytes,
  parseCount,
  parseDuration,
  parseRate,
  parseTimeout,
  showValue,
  type Parsed,
} from '../src/units/parse.js';

function value<T>(p: Parsed<T>): T {
  if (!p.ok) throw new Error(`expected success, got: expected ${p.expected}, found ${p.found}, hint ${p.hint}`);
  return p.value;
}

function failure<T>(p: Parsed<T>) {
  if (p.ok) throw new Error(`expected a failure, got ${JSON.stringify(p.value)}`);
  return p;
}

describe('parseDuration', () => {
  it.each([
    [0, 0],
    [750, 750],
    [0.5, 0.5],
    ['0', 0],
    ['500ns', 500],
    ['500 ns', 500],
    ['1.5us', 1500],
    ['1.5µs', 1500], // U+00B5 micro sign
    ['1.5μs', 1500], // U+03BC Greek mu
    ['2ms', 2e6],
    ['1s', 1e9],
    ['.5s', 5e8],
    ['1e3ns', 1000],
    ['1e-3ms', 1000],
    [' 20 us ', 20000],
    ['3MS', 3e6], // units are case-insensitive (no ambiguity for durations)
  ])('%j -> %d ns', (input, ns) => {
    expect(value(parseDuration(input))).toBeCloseTo(ns, 9);
  });

  it('asks for a unit on a bare number string', () => {
    const f = failure(parseDuration('500'));
    expect(f.expected).toBe('a duration such as "500ns"');
    expect(f.found).toBe('"500"');
    expect(f.hint).toBe('add a unit: ns, us, ms, s');
  });

  it.each([
    [-1, 'a duration >= 0', 'durations cannot be negative'],
    ['-5ns', 'a duration >= 0', 'durations cannot be negative'],
    [NaN, 'a duration such as "500ns"', undefined],
    [Infinity, 'a finite duration', undefined],
    ['fast', 'a duration such as "500ns"', 'write a number and a unit: ns, us, ms, s ("1.5us")'],
    ['5 minutes', 'a duration such as "500ns"', '"minutes" is not a unit here; use s (e.g. "60s")'],
    ['5m', 'a duration such as "500ns"', '"m" is not a unit here; use s (e.g. "60s")'],
    ['5 ps', 'a duration such as "500ns"', 'unknown unit "ps"; use ns, us (or µs), ms, s'],
    ['1e400s', 'a finite duration', undefined],
    [true, 'a duration such as "500ns"', undefined],
    [null, 'a duration such as "500ns"', undefined],
    [undefined, 'a duration such as "500ns"', undefined],
  ])('rejects %j', (input, expected, hint) => {
    const f = failure(parseDuration(input));
    expect(f.expected).toBe(expected);
    expect(f.hint).toBe(hint);
  });

  it('shows what was found, quoting strings and naming missing values', () => {
    expect(failure(parseDuration('fast')).found).toBe('"fast"');
    expect(failure(parseDuration(-3)).found).toBe('-3');
    expect(failure(parseDuration(undefined)).found).toBe('nothing');
    expect(failure(parseDuration({ a: 1 })).found).toBe('{"a":1}');
  });
});

describe('parseTimeout', () => {
  it.each([-1, '-1', 'infinite', 'forever', 'Infinity', 'never', Infinity])('%j is forever', (input) => {
    expect(value(parseTimeout(input))).toBe(Infinity);
  });
  it('takes durations like parseDuration', () => {
    expect(value(parseTimeout('100ms'))).toBe(1e8);
    expect(value(parseTimeout(0))).toBe(0);
  });
  it('rejects other negatives and words with a timeout message', () => {
    for (const input of [-2, '-5ms', 'soon']) {
      expect(failure(parseTimeout(input)).expected).toBe('a timeout such as "100ms", or -1 / "infinite" for forever');
    }
  });
  it('parseDuration itself does not take forever', () => {
    expect(parseDuration('forever').ok).toBe(false);
    expect(parseDuration(-1).ok).toBe(false);
  });
});

describe('parseRate', () => {
  it.each([
    [400000, 400000],
    [0.5, 0.5],
    ['400k', 400000],
    ['400K', 400000],
    ['1.2M', 1.2e6],
    ['400kpps', 400000],
    ['1.2 Mpps', 1.2e6],
    ['1G', 1e9],
    ['950pps', 950],
    ['950', 950],
    ['10k/s', 1e4],
  ])('%j -> %d pps', (input, pps) => {
    expect(value(parseRate(input))).toBeCloseTo(pps, 6);
  });

  it.each([
    [0, 'a rate > 0', 'for no traffic leave out the probe or use arrival: saturate'],
    ['0k', 'a rate > 0', 'for no traffic leave out the probe or use arrival: saturate'],
    [-5, 'a rate > 0', 'for no traffic leave out the probe or use arrival: saturate'],
    ['-5k', 'a rate in packets/s such as 400000, "400k" or "1.2 Mpps"', 'a rate must be > 0'],
    ['1.2m', 'a rate in packets/s such as 400000, "400k" or "1.2 Mpps"', 'use M for million (m would mean milli)'],
    ['3x', 'a rate in packets/s such as 400000, "400k" or "1.2 Mpps"', 'unknown prefix "x"; use k, M or G'],
    ['lots', 'a rate in packets/s such as 400000, "400k" or "1.2 Mpps"', 'write a number with an optional k, M or G prefix and "pps"'],
    [Infinity, 'a rate in packets/s such as 400000, "400k" or "1.2 Mpps"', undefined],
    [NaN, 'a rate in packets/s such as 400000, "400k" or "1.2 Mpps"', undefined],
  ])('rejects %j', (input, expected, hint) => {
    const f = failure(parseRate(input));
    expect(f.expected).toBe(expected);
    expect(f.hint).toBe(hint);
  });
});

describe('parseBytes', () => {
  it.each([
    [4096, 4096],
    [0, 0],
    ['128B', 128],
    ['128', 128],
    ['4KB', 4000],
    ['1MB', 1e6],
    ['1GB', 1e9],
    ['256KiB', 262144],
    ['1MiB', 1048576],
    ['1GiB', 1073741824],
    ['1.5KiB', 1536],
    ['1.1KB', 1100], // 1.1 * 1000 = 1100.0000000000002 in floating point
    ['8 pages', 32768],
    ['1 page', 4096],
    ['16 KiB', 16384],
    ['1.23 KiB', 1260], // as formatBytes prints it: rounded to the nearest byte
  ])('%j -> %d bytes', (input, bytes) => {
    expect(value(parseBytes(input))).toBe(bytes);
  });

  it('counts pages with the given page size', () => {
    expect(value(parseBytes('8 pages', { pageSize: 65536 }))).toBe(524288);
  });

  it.each([
    [-1, 'a size >= 0', 'sizes cannot be negative'],
    ['-4KiB', 'a size >= 0', 'sizes cannot be negative'],
    [1.5, 'a whole number of bytes', '1.5 is not a whole number of bytes'],
    ['1.5B', 'a whole number of bytes', '1.5 is not a whole number of bytes'],
    ['256k', 'a size in bytes such as 4096, "256KiB", "1MiB" or "4KB"', 'write "256KiB" (1024-based) or "256KB" (1000-based)'],
    ['4 blocks', 'a size in bytes such as 4096, "256KiB", "1MiB" or "4KB"',
      'unknown unit "blocks"; use B, KB, MB, GB (1000-based), KiB, MiB, GiB (1024-based) or pages'],
    ['big', 'a size in bytes such as 4096, "256KiB", "1MiB" or "4KB"',
      'write a number and a unit: B, KB, MB, GB, KiB, MiB, GiB or pages'],
    [[1], 'a size in bytes such as 4096, "256KiB", "1MiB" or "4KB"', undefined],
  ])('rejects %j', (input, expected, hint) => {
    const f = failure(parseBytes(input));
    expect(f.expected).toBe(expected);
    expect(f.hint).toBe(hint);
  });
});

describe('parseCount', () => {
  it.each([
    [10, {}, 10],
    ['10k', {}, 10000],
    ['1.5M', { integer: true }, 1.5e6],
    ['2G', {}, 2e9],
    ['0.25', {}, 0.25],
    ['-3', { min: -10 }, -3],
    [1, { min: 1, integer: true }, 1],
  ])('%j %j -> %d', (input, opts, n) => {
    expect(value(parseCount(input, opts))).toBe(n);
  });

  it('rejects values below min, fractions where integers are needed, and words', () => {
    expect(failure(parseCount(-1)).expected).toBe('a number >= 0');
    expect(failure(parseCount(0, { min: 1, integer: true })).expected).toBe('a whole number >= 1');
    const frac = failure(parseCount(2.5, { integer: true }));
    expect(frac.expected).toBe('a whole number such as 1024 or "10k"');
    expect(frac.hint).toBe('use a whole number');
    expect(failure(parseCount('many')).expected).toBe('a number such as 0.5, 1024 or "10k"');
    expect(failure(parseCount('3m')).hint).toBe('use M for million');
    expect(failure(parseCount(NaN)).ok).toBe(false);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0 ns'],
    [50, '50 ns'],
    [812, '812 ns'],
    [812.4, '812 ns'],
    [0.5, '0.500 ns'],
    [1240, '1.24 µs'],
    [999.7, '1.00 µs'], // rounding carries into the next unit
    [3.5e6, '3.50 ms'],
    [1e9, '1.00 s'],
    [42.5e9, '42.5 s'],
    [Infinity, 'forever'],
  ])('formatDuration(%d) = %s', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });

  it.each([
    [0, '0 B'],
    [128, '128 B'],
    [32768, '32 KiB'],
    [2.5 * 1048576, '2.50 MiB'],
    [262144, '256 KiB'],
    [1536, '1.50 KiB'],
    [1073741824, '1 GiB'],
  ])('formatBytes(%d) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [950, '950 pps'],
    [4e5, '400 kpps'],
    [1.2e6, '1.20 Mpps'],
    [999_999, '1.00 Mpps'],
    [2e9, '2.00 Gpps'],
  ])('formatPps(%d) = %s', (pps, text) => {
    expect(formatPps(pps)).toBe(text);
  });

});

describe('round trips through format', () => {
  // Three significant digits: the parsed value is within half a unit of the third digit.
  const within3Digits = (back: number, x: number) => expect(Math.abs(back - x)).toBeLessThanOrEqual(x * 5e-3 + 1e-12);

  it('durations', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e11, noNaN: true }), (ns) => {
        within3Digits(value(parseDuration(formatDuration(ns))), ns);
      }),
    );
    expect(value(parseTimeout(formatDuration(Infinity)))).toBe(Infinity);
  });

  it('rates', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e10, noNaN: true }), (pps) => {
        within3Digits(value(parseRate(formatPps(pps))), pps);
      }),
    );
  });

  it('sizes (whole units exactly, others to 3 digits and the nearest byte)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), (bytes) => {
        const back = value(parseBytes(formatBytes(bytes)));
        expect(Math.abs(back - bytes)).toBeLessThanOrEqual(bytes * 5e-3 + 0.5);
      }),
    );
    for (const exact of [0, 100, 4096, 262144, 1048576, 3 * 1073741824]) {
      expect(value(parseBytes(formatBytes(exact)))).toBe(exact);
    }
  });
});

describe('error helpers', () => {
  it('joinPath builds field paths', () => {
    expect(joinPath('probes[0].cost', ['values', 2])).toBe('probes[0].cost.values[2]');
    expect(joinPath('', ['mean'])).toBe('mean');
    expect(joinPath('service', undefined)).toBe('service');
  });
  it('showValue truncates long values', () => {
    const shown = showValue({ values: Array.from({ length: 100 }, (_, i) => i) });
    expect(shown.length).toBe(60);
    expect(shown.endsWith('...')).toBe(true);
  });
});
