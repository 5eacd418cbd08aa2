/**
 * Ringbuf reserve-lock contention against the shape of the kernel's multi-producer benchmark
 * (selftests bench_ringbufs, rb-libbpf, Xeon E5-2680 v4, 2020): total throughput halves from one
 * producer to two, then keeps falling slowly, by a constant time per doubling of the producers.
 */
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.js';
import { runScenario } from '../src/simulation/simulate.js';

/** Total M records/s by producers (the benchmark's rows). */
const XEON: Record<number, number> = { 1: 10.916, 2: 4.931, 4: 3.926, 16: 2.604, 52: 2.074 };

function totalRate(cpus: number): number {
  const model = `
name: ringbuf contention, ${cpus} producers
kernel: "5.15"
cpus: ${cpus}
seed: 5
traffic: { arrival: saturate, duration: 12ms, warmup: 2ms }
datapath: { service: 20ns, rxQueue: 16 }
probes:
  - name: p
    attach: fentry
    program:
      - submit: { bytes: 8 }
output: { type: ringbuf, size: 4MiB, notify: none }
consumer: { runtime: libbpf, callback: 0ns, loop: busy, logBytes: 0, stalls: none }
costs:
  consumer.libbpf.read: 0ns
  consumer.libbpf.decode: 0ns
  consumer.libbpf.log: 0ns
`;
  const loaded = loadModel({ text: model, file: '<contention>' });
  const r = runScenario(loaded.scenario, loaded.catalog);
  expect(r.events.lostPct).toBe(0);
  return r.events.submitted / 0.01 / 1e6;
}

describe('ringbuf reserve-lock contention', () => {
  it('total throughput falls like the benchmark: about half at 2 producers, then slowly by doubling', () => {
    const sim: Record<number, number> = {};
    for (const n of [1, 2, 4, 16, 52]) sim[n] = totalRate(n);
    // One producer is limited by its own path, not the lock: well above the contended rates.
    expect(sim[1] / sim[2]).toBeGreaterThan(1.8);
    // Past two, each step down, and each ratio to the 2-producer rate within 25% of the benchmark's.
    for (const [a, b] of [[2, 4], [4, 16], [16, 52]]) expect(sim[b]).toBeLessThan(sim[a]);
    for (const n of [4, 16, 52]) {
      const want = XEON[n] / XEON[2];
      const got = sim[n] / sim[2];
      expect(Math.abs(got / want - 1), `${n} producers: ${got.toFixed(2)} of the 2-producer rate, benchmark ${want.toFixed(2)}`).toBeLessThan(0.25);
    }
    // And the contended rates are of the benchmark's magnitude (2-5 M records/s).
    expect(sim[2]).toBeGreaterThan(2.5);
    expect(sim[52]).toBeGreaterThan(1);
    expect(sim[52]).toBeLessThan(3);
  });
});
