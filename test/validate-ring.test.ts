/**
 * The validation suite's output-ring cases (Little's law for ring bytes and backlog) and the
 * wake-up sweeps (the law t(N) = c_rec + c_notify/N, and the kernel benchmark's shape), as
 * `bpfsim selftest --quick` runs them.
 */
import { describe, expect, it } from 'vitest';
import { ringCases } from '../src/validate/ring-cases.js';
import { wakeupCases } from '../src/validate/wakeup-cases.js';
import { contentionCase, contentionRate, contentionScenario } from '../src/validate/contention-cases.js';
import { probeCostCase } from '../src/validate/probe-cost-cases.js';
import type { ValidationRow } from '../src/validate/case.js';
import { selectCases, validationCases } from '../src/validate/index.js';

const describeRow = (r: ValidationRow) =>
  `${r.caseTitle}: ${r.quantity}: expected ${r.expected}, simulated ${r.simulated} [${r.lo}, ${r.hi}] ±${r.allowance}`;

describe('validation: rings and wake-ups (quick profile)', () => {
  for (const c of [...ringCases(), ...wakeupCases(), contentionCase(), probeCostCase()]) {
    it(c.title, () => {
      const rows = c.run('quick');
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.pass, describeRow(r)).toBe(true);
    }, 60_000);
  }

  it('the wake-up sweep checks the law, not just the fit: throughput saturates near 1/c_rec', () => {
    const rows = wakeupCases()[0].run('quick');
    const at = (n: number) => rows.find((r) => r.quantity === `records/s at N=${n}`)!.simulated;
    expect(at(10) / at(1)).toBeGreaterThan(5);
    expect(at(3000) / at(100)).toBeLessThan(1.08);
  });
});

describe("ringbuf 'data' notification (the kernel benchmark's sampled mode)", () => {
  it('wakes once per N records of unread data, so the sweep is the same law as perf wakeup_events', () => {
    const rows = wakeupCases().find((c) => c.id === 'wakeup-b2b-ringbuf')!.run('quick');
    const at = (n: number) => rows.find((r) => r.quantity === `records/s at N=${n} vs bench`)!.simulated;
    // t(N) = c_rec + c_notify / N with c_rec = 46 ns, c_notify = 858 ns
    expect(at(1)).toBeCloseTo(1e9 / (46.11 + 858.1), -4);
    expect(at(10)).toBeCloseTo(1e9 / (46.11 + 85.81), -5);
    expect(at(3000) / at(500)).toBeLessThan(1.04);
  });
});

describe('ringbuf reserve-lock contention', () => {
  it('follows hold + handoff + b log2(N/2) per record, and needs the growth term to follow the curve', () => {
    // 230 ns per record at 2 producers, +56 ns per doubling
    expect(contentionRate(contentionScenario(2))).toBeCloseTo(1e9 / 230, -4);
    expect(contentionRate(contentionScenario(16))).toBeCloseTo(1e9 / (230 + 56 * 3), -4);
    // a constant hand-off stays at ~4.35 M/s: more than 2x the benchmark's 2.07 at 52 producers
    expect(contentionRate(contentionScenario(52, 0)) / 2.074e6).toBeGreaterThan(2);
  });
});

describe('the case list', () => {
  it('has unique ids, and --case selects by substring', () => {
    const ids = validationCases().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(selectCases('mm1-').map((c) => c.id)).toEqual(['mm1-0.5', 'mm1-0.8', 'mm1-0.95']);
    expect(selectCases('no such case')).toEqual([]);
  });
});
