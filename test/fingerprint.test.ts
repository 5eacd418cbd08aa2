/**
 * Fingerprint regression (as OMNeT++'s test/fingerprint): a hash of the time, kind and CPU of
 * the first 1,000 and 20,000 events of a few seeded traced runs. Any change of behaviour changes
 * them; a refactoring that keeps behaviour does not.
 *
 * When behaviour changes ON PURPOSE (a model fix, an optimisation that drops or reorders events,
 * a change of random-number use), update the pinned values: run
 *     npm run build && node bin/bpfsim.js selftest --fingerprints
 * paste the printed values below, and say in the commit message why behaviour changed. A change
 * you did not intend is a bug: find it before updating anything.
 */
import { describe, expect, it } from 'vitest';
import { fingerprint, fingerprintScenarios, FINGERPRINT_CHECKPOINTS } from '../src/validate/fingerprint.js';
import { TracedRun } from '../src/datapath/traced.js';

const PINNED: Record<string, string[]> = {
  'perf-lossy-4cpu': ['ca1c13f3', 'a1aaa7ab'],
  'ringbuf-lock-8cpu': ['830b18b0', '0f4c9b57'],
  'saturate-shared-batch': ['64da37c5', '84e932fe'],
  'perf-block': ['22f30ded', 'b896d9e1'],
};

describe('event-trace fingerprints', () => {
  const scenarios = fingerprintScenarios();

  it('every fingerprinted scenario is pinned', () => {
    expect(scenarios.map((x) => x.id).sort()).toEqual(Object.keys(PINNED).sort());
  });

  for (const { id, scenario } of scenarios) {
    it(`${id} matches its pinned hashes (first ${FINGERPRINT_CHECKPOINTS.join(' and ')} events)`, () => {
      const f = fingerprint(scenario);
      expect(f.hashes, `${id}: behaviour changed; if on purpose, update PINNED (see the comment at the top)`).toEqual(PINNED[id]);
    });
  }

  it('is sensitive: one more ns of one cost, or another seed, changes it', () => {
    const { scenario } = scenarios[0];
    const base = fingerprint(scenario).hashes;
    const reseeded = fingerprint({ ...scenario, seed: scenario.seed + 1 }).hashes;
    const costlier = fingerprint({
      ...scenario,
      datapath: { ...scenario.datapath, service: { kind: 'lognormal', mean: 801, cv: 0.3 } },
    }).hashes;
    expect(reseeded[0]).not.toBe(base[0]);
    expect(costlier[0]).not.toBe(base[0]);
  });

  it('the trace hook changes nothing: counters and histograms equal with and without it', () => {
    for (const { scenario } of scenarios) {
      const plain = new TracedRun(scenario);
      plain.run();
      let seen = 0;
      let lastT = -Infinity;
      let ordered = true;
      const traced = new TracedRun(scenario, {
        trace: (t) => {
          if (t < lastT) ordered = false;
          lastT = t;
          seen++;
        },
      });
      traced.run();
      expect(traced.counters).toEqual(plain.counters);
      expect(traced.latency.toData()).toEqual(plain.latency.toData());
      expect(traced.eventDelay.toData()).toEqual(plain.eventDelay.toData());
      expect(ordered).toBe(true);
      // Every popped event and every arrival is reported.
      const arrivals = scenario.traffic.arrival === 'saturate' ? 0 : traced.counters.packets;
      expect(seen).toBe(traced.counters.eventsProcessed + arrivals);
    }
  });
});
