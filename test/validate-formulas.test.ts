/**
 * The analytic side of the validation suite against the reference's test vectors
 * (reference/ebpf-datapath-facts.md §7), and the judging of rows (a row can fail).
 */
import { describe, expect, it } from 'vitest';
import {
  fitLine,
  md1kBlocking,
  mg1kBlocking,
  mm1,
  mm1kBlocking,
  mm1kInSystem,
  mmppMeanRate,
  pkSojourn,
  wakeupLaw,
} from '../src/validate/queueing.js';
import { deterministicRow } from '../src/validate/case.js';
import { benchScatter, PB_CUSTOM_SWEEP, XEON_C_NOTIFY, XEON_C_REC } from '../src/validate/wakeup-cases.js';
import { formatRowLine } from '../src/validate/format.js';

describe('queueing formulas (reference §7 test vectors)', () => {
  it('M/M/1 at lambda 0.9, mu 1: L 9, W 10, P(wait) 0.9; sojourn quantile is exponential', () => {
    const q = mm1(0.9, 1);
    expect(q.inSystem).toBeCloseTo(9, 12);
    expect(q.sojourn).toBeCloseTo(10, 12);
    expect(q.pWait).toBe(0.9);
    expect(q.sojournQuantile(0.99)).toBeCloseTo(10 * Math.log(100), 10);
    // P(T > t99) = e^{-(mu - lambda) t99} = 1%
    expect(Math.exp(-0.1 * q.sojournQuantile(0.99))).toBeCloseTo(0.01, 12);
    expect(() => mm1(1, 1)).toThrow(RangeError);
  });

  it('Pollaczek-Khinchine: M/D/1 at rho 0.9 gives W 5.5 (half the M/M/1 wait), cv 1 gives M/M/1', () => {
    expect(pkSojourn(0.9, 1, 0)).toBeCloseTo(5.5, 12);
    expect(pkSojourn(0.9, 1, 1)).toBeCloseTo(mm1(0.9, 1).sojourn, 12);
    // Lq = rho^2 (1 + cs^2) / (2 (1 - rho)) through Little: Lq = lambda Wq
    const lambda = 0.7;
    const wq = pkSojourn(lambda, 1, 1.5) - 1;
    expect(lambda * wq).toBeCloseTo((0.49 * (1 + 2.25)) / (2 * 0.3), 12);
  });

  it('M/M/1/K blocking: the reference vectors at rho 0.9 and 1.2', () => {
    const cases: [number, number, number][] = [
      [0.9, 1, 0.473684],
      [0.9, 2, 0.298893],
      [0.9, 5, 0.126023],
      [0.9, 10, 0.050814],
      [0.9, 20, 0.013651],
      [1.2, 10, 0.192586],
      [1.2, 20, 0.17037],
    ];
    for (const [rho, K, p] of cases) expect(mm1kBlocking(rho, K)).toBeCloseTo(p, 6);
    expect(mm1kBlocking(1, 4)).toBe(0.2);
  });

  it('M/M/1/K mean in system: agrees with sum n p_n, and Little with W = L / lambda_eff', () => {
    for (const [rho, K] of [
      [0.9, 10],
      [1.2, 10],
      [0.5, 3],
    ]) {
      let L = 0;
      let norm = 0;
      for (let n = 0; n <= K; n++) {
        L += n * rho ** n;
        norm += rho ** n;
      }
      expect(mm1kInSystem(rho, K)).toBeCloseTo(L / norm, 12);
    }
    expect(mm1kInSystem(1, 6)).toBe(3);
  });

  it('M/D/1/K blocking by the embedded chain: the reference vectors', () => {
    const cases: [number, number, number][] = [
      [0.9, 1, 0.473684],
      [0.9, 2, 0.234637],
      [0.9, 5, 0.064362],
      [0.9, 10, 0.016632],
      [0.9, 20, 0.001853],
      [1.2, 10, 0.170911],
      [1.2, 20, 0.166763],
    ];
    for (const [rho, K, p] of cases) expect(md1kBlocking(rho, K)).toBeCloseTo(p, 6);
    // As K grows in overload the loss tends to 1 - 1/rho.
    expect(md1kBlocking(1.2, 200)).toBeCloseTo(1 - 1 / 1.2, 9);
  });

  it('the embedded chain with exponential service reproduces the M/M/1/K closed form exactly', () => {
    for (const rho of [0.3, 0.9, 1.2]) {
      // Arrivals during an exponential service: geometric, a_k = (1/(1+rho)) (rho/(1+rho))^k.
      const a = (k: number) => (1 / (1 + rho)) * (rho / (1 + rho)) ** k;
      for (const K of [1, 2, 5, 10, 20]) expect(mg1kBlocking(a, rho, K)).toBeCloseTo(mm1kBlocking(rho, K), 12);
    }
  });

  it('MMPP mean rate is the sojourn-weighted mean; the wake-up law and its least-squares fit', () => {
    expect(mmppMeanRate({ onRate: 1.5e6, offRate: 0.1e6, onMean: 50, offMean: 150 })).toBeCloseTo(450_000, 6);
    expect(mmppMeanRate({ onRate: 7, offRate: 7, onMean: 1, offMean: 9 })).toBe(7);
    expect(wakeupLaw(100, 900, 1)).toBe(1000);
    expect(wakeupLaw(100, 900, 300)).toBe(103);
    const ns = [1, 5, 10, 100, 1000];
    const fit = fitLine(
      ns.map((n) => 1 / n),
      ns.map((n) => wakeupLaw(104, 862, n)),
    );
    expect(fit.a).toBeCloseTo(104, 10);
    expect(fit.b).toBeCloseTo(862, 10);
    // The weights reproduce the coefficients from any y (they are what the error bounds use).
    const y = [3, 1, 4, 1, 5];
    const again = fitLine([0, 1, 2, 3, 4], y);
    expect(again.wa.reduce((s, w, i) => s + w * y[i], 0)).toBeCloseTo(again.a, 12);
    expect(again.wb.reduce((s, w, i) => s + w * y[i], 0)).toBeCloseTo(again.b, 12);
    expect(() => fitLine([1, 1], [2, 3])).toThrow(RangeError);
  });

  it('the benchmark figures the back-to-back case uses are the reference §3.1/§3.3 ones', () => {
    expect(PB_CUSTOM_SWEEP.map((p) => p.n)).toEqual([1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 3000]);
    expect(XEON_C_REC).toBeCloseTo(104.4, 1); // 1 / 9.575 M/s
    expect(XEON_C_REC + XEON_C_NOTIFY).toBeCloseTo(966, 0); // pb at N = 1 (§3.3)
    // The benchmark sits within a few percent of a t = a + b/N curve (§3.3's fit).
    expect(benchScatter()).toBeGreaterThan(0.005);
    expect(benchScatter()).toBeLessThan(0.03);
  });
});

describe('judging a row', () => {
  const c = { id: 'x', title: 'x' };
  it('passes inside the allowance and fails outside it, either side', () => {
    expect(deterministicRow(c, { quantity: 'q', unit: 'ns' }, 100, 100.9, 1, '').pass).toBe(true);
    expect(deterministicRow(c, { quantity: 'q', unit: 'ns' }, 100, 98.9, 1, '').pass).toBe(false);
    expect(deterministicRow(c, { quantity: 'q', unit: 'ns' }, 100, 101.1, 1, '').pass).toBe(false);
    const r = deterministicRow(c, { quantity: 'q', unit: 'ns' }, 200, 210, 0, '');
    expect(r.errorPct).toBeCloseTo(5, 12);
    expect(formatRowLine(r, false, false)).toMatch(/\+5\.00%\s+FAIL$/);
    expect(formatRowLine({ ...r, simulated: 200, lo: 200, hi: 200, errorPct: 0, pass: true }, false, true)).toMatch(/^x\n.*ok$/);
  });
});
