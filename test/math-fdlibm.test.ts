/**
 * The simulation's own exp, log, log1p, expm1 (fdlibm ports): within an ulp of the engine's Math,
 * exact at the special values, and the only transcendental functions the simulation core calls,
 * so that a run gives the same bits in Node and in a browser (whose Math may round differently).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exp, expm1, log, log1p, powInt, powPositive } from '../src/math/fdlibm.js';

/** Distance in units in the last place (same sign, finite). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  return Number(buf.getBigInt64(0) - buf.getBigInt64(8)) * Math.sign(a || 1);
}

function* samples(n: number, gen: (u: number) => number): Generator<number> {
  let s = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    yield gen((s >>> 0) / 2 ** 32);
  }
}

describe('fdlibm ports', () => {
  const cases: [string, (x: number) => number, (x: number) => number, (u: number) => number][] = [
    ['exp', exp, Math.exp, (u) => (u - 0.5) * 1400],
    ['exp near 0', exp, Math.exp, (u) => (u - 0.5) * 1e-6],
    ['log', log, Math.log, (u) => Math.exp((u - 0.5) * 1400)],
    ['log of a uniform', log, Math.log, (u) => u],
    ['log near 1', log, Math.log, (u) => 1 + (u - 0.5) * 1e-4],
    ['log1p', log1p, Math.log1p, (u) => u * 3 - 0.99],
    ['log1p near 0', log1p, Math.log1p, (u) => (u - 0.5) * 1e-9],
    ['expm1', expm1, Math.expm1, (u) => (u - 0.5) * 80],
    ['expm1 near 0', expm1, Math.expm1, (u) => (u - 0.5) * 1e-5],
  ];
  for (const [name, f, ref, gen] of cases) {
    it(`${name}: within 1 ulp of Math`, () => {
      let worst = 0;
      for (const x of samples(50_000, gen)) worst = Math.max(worst, Math.abs(ulps(f(x), ref(x))));
      expect(worst).toBeLessThanOrEqual(1);
    });
  }

  it('special values', () => {
    expect([exp(0), exp(-Infinity), exp(Infinity), exp(1000), exp(-1000), exp(1)]).toEqual([1, 0, Infinity, Infinity, 0, Math.E]);
    expect(exp(NaN)).toBeNaN();
    expect([log(1), log(0), log(-0), log(Infinity), log(Math.E)]).toEqual([0, -Infinity, -Infinity, Infinity, 1]);
    expect(log(-1)).toBeNaN();
    expect(log(5e-324)).toBeCloseTo(-744.4400719213812, 12);
    expect([log1p(0), log1p(-1), expm1(0), expm1(-Infinity), expm1(-100)]).toEqual([0, -Infinity, 0, -1, -1]);
    expect(Object.is(log1p(-0), -0) && Object.is(expm1(-0), -0)).toBe(true);
    expect(powPositive(2, 10)).toBeCloseTo(1024, 9);
    expect([powInt(0.5, 10), powInt(3, 0), powInt(3, 5)]).toEqual([2 ** -10, 1, 243]);
    expect(powInt(0.9, 25)).toBeCloseTo(0.9 ** 25, 14);
  });
});

describe('the simulation core calls no engine transcendental', () => {
  const ROOT = join(import.meta.dirname, '..', 'src');
  const CORE = ['engine', 'distributions', 'datapath', 'simulation', 'analysis', 'metrics', 'math', 'model', 'records'];
  /**
   * Exact wherever they run: log2 sizing a buffer or checking a power of two, integer powers of
   * two, BigInt powers (a capture's timestamp unit). lnGamma's reflection (sin) serves only the analytic side, never a Result.
   */
  const ALLOWED = [/Math\.log2\(/, /\b2 \*\* /, /\d+n \*\* BigInt\(/, /Math\.sin\(Math\.PI \* x\)/];

  function files(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  }

  it('Math.exp, log, pow, sin, ... and ** only through src/math/fdlibm.ts', () => {
    const found: string[] = [];
    for (const f of CORE.flatMap((d) => files(join(ROOT, d)))) {
      if (f.endsWith('fdlibm.ts')) continue;
      readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        // Code only: no comments, no string literals.
        const code = line.replace(/\/\*.*?(\*\/|$)/g, '').replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '').replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
        const hit = /Math\.(exp|log|log1p|expm1|log2|log10|pow|sin|cos|tan|atan2?|cbrt|hypot|sinh|cosh|tanh|asin|acos)\(|\*\*\s*[^\d\s(]/.test(code);
        if (hit && !ALLOWED.some((a) => a.test(code))) found.push(`${f.slice(ROOT.length + 1)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
