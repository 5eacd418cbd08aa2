/**
 * What a validation case is and how a replicated one is judged.
 *
 * A case yields rows: a quantity, its expected value (theory, or for Little's law the other side
 * of the law from the same runs), the simulated value and how the two compare. A replicated case
 * runs independent replications (seeds 1..n) of one Scenario builder, builds a Student-t
 * confidence interval of each simulated quantity over them, and passes a row when the expected
 * value lies inside the interval (widened only by a stated measurement resolution, such as the
 * histogram's bucket width for a quantile). The level is 99.9%: with fixed seeds a row is
 * deterministic, and at that level a correct simulator fails a given row by chance once in a
 * thousand seed sets, so a behaviour change that reshuffles the random numbers rarely trips a
 * row without a cause.
 */
import type { Scenario } from '../model/scenario.js';
import { TracedRun } from '../datapath/traced.js';
import { meanCI } from '../metrics/ci.js';

export const CI_LEVEL = 0.999;

export type Profile = 'full' | 'quick';
export const PROFILES: readonly Profile[] = ['full', 'quick'];

/** How a row's numbers are shown: ns, a fraction 0..1, a mean count, a whole number, bytes, or a rate per second. */
export type Unit = 'ns' | 'fraction' | 'count' | 'integer' | 'bytes' | 'per-second';

export interface ValidationRow {
  caseId: string;
  caseTitle: string;
  quantity: string;
  unit: Unit;
  /** Theory's value (or the law's other side, from the same runs). */
  expected: number;
  /** Mean over replications, or the single deterministic value. */
  simulated: number;
  /** Confidence interval of `simulated` (lo = hi = simulated for a deterministic case). */
  lo: number;
  hi: number;
  /** Absolute allowance beyond the interval, for a stated resolution (0 if none). */
  allowance: number;
  /** (simulated - expected) / expected, in percent. */
  errorPct: number;
  pass: boolean;
  replications: number;
  /** How the row is judged, in words. */
  method: string;
}

export interface ValidationCase {
  id: string;
  title: string;
  /** Approximate packets simulated by the case at a profile (to report the work done). */
  packets(profile: Profile): number;
  run(profile: Profile): ValidationRow[];
}

export interface Size {
  replications: number;
  /** Packets per replication (each case turns this into a duration at its rate). */
  packets: number;
}

export interface Measure {
  quantity: string;
  unit: Unit;
  /** The expected value: a constant from theory, or one computed from each run (Little's law). */
  expected: number | ((run: TracedRun, s: Scenario) => number);
  measure(run: TracedRun, s: Scenario): number;
  /** Allowance beyond the CI, relative to the expected value, and the reason for it. */
  resolution?: { rel: number; why: string };
}

export interface ReplicatedSpec {
  id: string;
  title: string;
  sizes: Record<Profile, Size>;
  build(seed: number, packets: number): Scenario;
  measures: Measure[];
  /** Throws if a run is not a valid sample of the case (an "unbounded" queue that overflowed). */
  checkSample?(run: TracedRun, s: Scenario): void;
}

export function replicatedCase(spec: ReplicatedSpec): ValidationCase {
  return {
    id: spec.id,
    title: spec.title,
    packets: (profile) => spec.sizes[profile].replications * spec.sizes[profile].packets,
    run(profile) {
      const { replications, packets } = spec.sizes[profile];
      const simulated = spec.measures.map(() => [] as number[]);
      const expected = spec.measures.map(() => [] as number[]);
      for (let seed = 1; seed <= replications; seed++) {
        const s = spec.build(seed, packets);
        const run = new TracedRun(s);
        run.run();
        spec.checkSample?.(run, s);
        spec.measures.forEach((m, i) => {
          simulated[i].push(m.measure(run, s));
          expected[i].push(typeof m.expected === 'number' ? m.expected : m.expected(run, s));
        });
      }
      return spec.measures.map((m, i) => {
        const ci = meanCI(simulated[i], CI_LEVEL);
        const exp = mean(expected[i]);
        const allowance = m.resolution ? m.resolution.rel * Math.abs(exp) : 0;
        const from = typeof m.expected === 'number' ? 'theory' : 'the same runs';
        const method =
          `expected (${from}) inside the ${CI_LEVEL * 100}% Student-t CI over ${replications} replications` +
          (m.resolution ? `, widened by ${m.resolution.why}` : '');
        return row(spec, m, exp, ci.mean, ci.lo, ci.hi, allowance, replications, method);
      });
    },
  };
}

/** A row for a deterministic figure: passes when within `allowance` of the expected value. */
export function deterministicRow(
  c: Pick<ValidationCase, 'id' | 'title'>,
  m: { quantity: string; unit: Unit },
  expected: number,
  simulated: number,
  allowance: number,
  method: string,
): ValidationRow {
  return row(c, m, expected, simulated, simulated, simulated, allowance, 1, method);
}

function row(
  c: Pick<ValidationCase, 'id' | 'title'>,
  m: { quantity: string; unit: Unit },
  expected: number,
  simulated: number,
  lo: number,
  hi: number,
  allowance: number,
  replications: number,
  method: string,
): ValidationRow {
  const pass = expected >= lo - allowance && expected <= hi + allowance;
  const errorPct = expected !== 0 ? ((simulated - expected) / Math.abs(expected)) * 100 : simulated === 0 ? 0 : Infinity;
  return {
    caseId: c.id,
    caseTitle: c.title,
    quantity: m.quantity,
    unit: m.unit,
    expected,
    simulated,
    lo,
    hi,
    allowance,
    errorPct,
    pass,
    replications,
    method,
  };
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
