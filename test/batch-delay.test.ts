/**
 * A batched event waits in its CPU's batch from its own generation until the batch is
 * submitted, then in the ring: its delay counts from its own generation, not from the flush.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/simulation/simulate.js';
import { loadCatalog } from '../src/model/catalog.js';
import { consumer, ns, probe, ringbufOutput, scenario, submitStep } from './helpers/scenario.js';

describe('event delay of batched submits', () => {
  it('a 10k/s stream batched by 64 waits ~31.5 inter-arrival gaps on average (3.15 ms), not the flush-to-read time', () => {
    const s = scenario({
      traffic: { arrival: 'constant', rate: 10_000, duration: 2e9, warmup: 0.1e9, rss: 'random' },
      datapath: { service: ns(1000), rxQueue: 1024 },
      probes: [probe([submitStep(64, { batch: 64 })])],
      output: ringbufOutput(),
      consumer: consumer({ reader: 'ringbuf' }, 200),
    });
    const r = runScenario(s, loadCatalog('default'));
    // Event j of a batch (0..63) was generated (63 - j) gaps of 100 us before the flush.
    const expected = (63 / 2) * 100e3;
    // Then the read-out: wake-up (2 us), wake cost (1 us), poll (0.5 us) and the record of 64
    // events at 200 ns each (12.8 us, all done when the record is).
    const readOut = 20e3;
    expect(r.latency.eventDelay.mean).toBeGreaterThan(expected);
    expect(r.latency.eventDelay.mean).toBeLessThan(expected + readOut);
    // The oldest event of a batch waited 63 gaps.
    expect(r.latency.eventDelay.max).toBeGreaterThan(63 * 100e3);
  });
});
