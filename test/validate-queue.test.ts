/**
 * The validation suite's queueing cases, as `bpfsim selftest --quick` runs them: every row must
 * pass (expected value inside the 99.9% CI over replications). A sensitivity check shows the
 * intervals are narrow enough to tell service-time variance apart.
 */
import { describe, expect, it } from 'vitest';
import { queueCases } from '../src/validate/queue-cases.js';
import { replicatedCase, type ValidationRow } from '../src/validate/case.js';
import { queueScenario } from '../src/validate/scenarios.js';
import { pkSojourn } from '../src/validate/queueing.js';

const describeRow = (r: ValidationRow) =>
  `${r.caseTitle}: ${r.quantity}: expected ${r.expected}, simulated ${r.simulated} [${r.lo}, ${r.hi}] ±${r.allowance}`;

describe('validation: the data path as a queue (quick profile)', () => {
  for (const c of queueCases()) {
    it(c.title, () => {
      const rows = c.run('quick');
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.pass, describeRow(r)).toBe(true);
    }, 60_000);
  }
});

describe('validation has power', () => {
  it('gamma cv 0.5 at rho 0.9 is told apart from M/D/1 (cv 0) and M/M/1 (cv 1) by the same CI test', () => {
    const rho = 0.9;
    const rate = rho * 1e6;
    const judge = (cv: number) =>
      replicatedCase({
        id: 'power',
        title: 'power',
        sizes: { quick: { replications: 10, packets: 300_000 }, full: { replications: 10, packets: 300_000 } },
        build: (seed, packets) =>
          queueScenario({
            seed,
            service: { kind: 'gamma', mean: 1000, cv: 0.5 },
            traffic: { arrival: 'poisson', rate, duration: 5e6 + (packets / rate) * 1e9, warmup: 5e6 },
          }),
        measures: [{ quantity: 'W', unit: 'ns', expected: pkSojourn(rate / 1e9, 1000, cv), measure: (run) => run.latency.mean }],
      }).run('quick')[0];
    expect(judge(0.5).pass).toBe(true);
    expect(judge(0).pass).toBe(false);
    expect(judge(1).pass).toBe(false);
  }, 60_000);
});
