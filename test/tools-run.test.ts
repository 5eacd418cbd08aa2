/**
 * Every shipped model runs end to end (load, resolve, simulate, invariants, Result) on a short
 * simulated span, and its Result is internally consistent.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.js';
import { runScenario } from '../src/simulation/simulate.js';

const models = ['models/default.yaml', ...readdirSync('models/tools').filter((f) => f.endsWith('.yaml')).map((f) => `models/tools/${f}`)];

describe.each(models)('%s', (file) => {
  it('runs with its invariants holding, and its figures add up', () => {
    const { scenario, catalog } = loadModel({ file, duration: '30ms', set: ['traffic.warmup=3ms'] });
    const r = runScenario(scenario, catalog);
    const e = r.events;
    // Post-warm-up event fates add up (the whole-run law is checked inside runScenario).
    expect(e.consumed + e.lost + e.inBuffer + e.pendingBatch).toBe(e.generated);
    expect(e.lostPct).toBeGreaterThanOrEqual(0);
    expect(e.lostPct).toBeLessThanOrEqual(100);
    expect(e.perCpu.reduce((a, c) => a + c.generated, 0)).toBe(e.generated);
    // Counts share the post-warm-up window: an output call carries at least one event, and a
    // record written is a call that succeeded (slack: packets in service at the warm-up edge).
    expect(e.submitCalls).toBeLessThanOrEqual(e.generated + scenario.cpus);
    expect(e.submitted).toBeLessThanOrEqual(e.submitCalls);
    expect(r.throughput.traced.delivered).toBeLessThanOrEqual(r.throughput.baseline.delivered + scenario.cpus);
    expect(r.latency.traced.count).toBeGreaterThan(0);
    // Probes only add work: the traced latency of every packet is at least its baseline.
    expect(r.latency.traced.p50).toBeGreaterThanOrEqual(r.latency.baseline.p50! * 0.99);
    for (const ring of r.occupancy.rings) expect(ring.highWaterBytes).toBeLessThanOrEqual(ring.capacityBytes - 8);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
