/**
 * The static estimator beyond the seed's worked figures: wake-ups charged apart (default
 * profile), ringbuf handoffs, program structure (filters, sampling, loops), saturation,
 * aggregation, and the kernel map layout against the measured memlock of reference §5.
 */
import { describe, expect, it } from 'vitest';
import { distMean } from '../src/distributions/moments.js';
import { estimateStatic } from '../src/analysis/estimate.js';
import { perfRecordBytes } from '../src/records/sizes.js';
import { mapMemory } from '../src/analysis/memory.js';
import { loadCatalog } from '../src/model/catalog.js';
import type { MapSpec } from '../src/model/scenario.js';
import { aggregate, filter, ns, op, perfOutput, probe, ringbufOutput, scenario, submit } from './estimate-fixture.js';

const def = loadCatalog('default');
const seed = loadCatalog('seed');
const free = { entry: ns(0), exit: ns(0) };
const mean = distMean;

describe('wake-ups (default profile: charged apart from the submit)', () => {
  const py = def.consumer['bcc-python'];
  const perEvent = mean(py.read) + mean(py.decode) + mean(py.callback.medium) + mean(py.log);

  it('perf buffer, wakeupEvents 1: a signal per record; those finding the reader asleep cost the full share', () => {
    const s = scenario(def, { rate: 10_000, probes: [probe(def, 'kprobe', [submit(def, 'perf_buffer', 128)], free)] });
    const { cpu } = estimateStatic(s, def);
    const rho = (10_000 * perEvent) / 1e9;
    const w = def.wakeup.perf_buffer;
    expect(cpu.wakeupRate).toBe(10_000);
    const producer = 10_000 * ((1 - rho) * mean(w.producer) + rho * mean(w.producerNoWaiter));
    expect(cpu.submitPct).toBeCloseTo((10_000 * 113 + producer) / 1e7, 10); // 128 B row: 82-144 ns
    const consumer = 10_000 * perEvent + 10_000 * (1 - rho) * (mean(py.wakeCost) + mean(py.pollCost));
    expect(cpu.consumerDemandPct).toBeCloseTo(consumer / 1e7, 10);
    // The wake-up, not the copy, is most of the kernel-side output cost (reference §0).
    expect(producer).toBeGreaterThan(10_000 * 113);
  });

  it('perf buffer, wakeupEvents 64: a signal every 64 records unless the watermark comes first', () => {
    const probes = [probe(def, 'kprobe', [submit(def, 'perf_buffer', 128)], free)];
    const every64 = estimateStatic(scenario(def, { rate: 10_000, probes, output: perfOutput(def, { wakeupEvents: 64 }) }), def).cpu;
    expect(every64.wakeupRate).toBeCloseTo(10_000 / 64, 10);
    // 1 page per CPU: watermark 2 KiB, a 128-byte event takes 8 + round_up(132, 8) = 144 B.
    expect(perfRecordBytes(128)).toBe(144);
    const tiny = estimateStatic(scenario(def, { rate: 10_000, probes, output: perfOutput(def, { pageCnt: 1, wakeupEvents: 64 }) }), def).cpu;
    expect(tiny.wakeupRate).toBeCloseTo((10_000 * 144) / 2048, 10);
  });

  it('ringbuf adaptive signals only when the reader has caught up; force signals every record; none never', () => {
    const probes = [probe(def, 'kprobe', [submit(def, 'ringbuf', 128)], free)];
    const rho = (50_000 * perEvent) / 1e9;
    const adaptive = estimateStatic(scenario(def, { rate: 50_000, cpus: 1, probes, output: ringbufOutput(def) }), def).cpu;
    const force = estimateStatic(scenario(def, { rate: 50_000, cpus: 1, probes, output: ringbufOutput(def, { notify: 'force' }) }), def).cpu;
    const none = estimateStatic(scenario(def, { rate: 50_000, cpus: 1, probes, output: ringbufOutput(def, { notify: 'none' }) }), def).cpu;
    expect(adaptive.wakeupRate).toBeCloseTo(50_000 * (1 - rho), 8);
    expect(force.wakeupRate).toBe(50_000);
    expect(none.wakeupRate).toBe(0);
    expect(none.submitPct).toBeCloseTo((50_000 * 69.5) / 1e7, 10); // 128 B row: 52-87 ns
    expect(force.submitPct).toBeGreaterThan(adaptive.submitPct);
  });

  it('a saturated reader is never asleep: no wake-ups from an adaptive ringbuf', () => {
    const probes = [probe(def, 'kprobe', [submit(def, 'ringbuf', 64)], free)];
    const { cpu } = estimateStatic(scenario(def, { rate: 1_000_000, cpus: 1, probes, output: ringbufOutput(def) }), def);
    expect(cpu.consumerDemandPct).toBeGreaterThanOrEqual(100);
    expect(cpu.wakeupRate).toBe(0);
  });

  it('the seed profile charges nothing for wake-ups: its submit already includes them', () => {
    const s = scenario(seed, { rate: 10_000, probes: [probe(seed, 'kprobe', [submit(seed, 'perf_buffer', 128)], free)] });
    const { cpu } = estimateStatic(s, seed);
    expect(cpu.wakeupRate).toBe(10_000);
    expect(cpu.submitPct).toBeCloseTo(0.5, 12);
  });

  it('an idle reader with a finite poll timeout pays a poll per timeout', () => {
    const lib = def.consumer.libbpf;
    const s = scenario(def, { runtime: 'libbpf', pollTimeout: 100e6, probes: [] });
    expect(estimateStatic(s, def).cpu.consumerDemandPct).toBeCloseTo((10 * mean(lib.pollCost)) / 1e7, 12);
    const forever = scenario(def, { runtime: 'libbpf', probes: [] });
    expect(estimateStatic(forever, def).cpu.consumerDemandPct).toBe(0);
  });
});

describe('ringbuf lock handoffs', () => {
  it('records from other CPUs pay the handoff with probability (cpus - 1) / cpus', () => {
    const probes = [probe(def, 'kprobe', [submit(def, 'ringbuf', 64)], free)];
    const one = estimateStatic(scenario(def, { rate: 100_000, cpus: 1, probes, output: ringbufOutput(def, { notify: 'none' }) }), def).cpu;
    const four = estimateStatic(scenario(def, { rate: 100_000, cpus: 4, probes, output: ringbufOutput(def, { notify: 'none' }) }), def).cpu;
    const handoff = mean(def.ringbufLock.handoff);
    expect((four.submitPct - one.submitPct) * 1e7).toBeCloseTo(100_000 * 0.75 * handoff, 6);
  });

  it('perf buffers are per CPU: no handoff', () => {
    const probes = [probe(def, 'kprobe', [submit(def, 'perf_buffer', 64)], free)];
    const one = estimateStatic(scenario(def, { rate: 100_000, cpus: 1, probes }), def).cpu;
    const four = estimateStatic(scenario(def, { rate: 100_000, cpus: 4, probes }), def).cpu;
    expect(four.submitPct).toBeCloseTo(one.submitPct, 12);
  });
});

describe('program structure', () => {
  it('steps after a filter run for the passing fraction only', () => {
    const s = scenario(seed, { rate: 1000, probes: [probe(seed, 'kprobe', [op('a', ns(10)), filter(0.25), op('b', ns(100), 2)], free)] });
    expect(estimateStatic(s, seed).cpu.perPacketNs).toBeCloseTo(10 + 0.25 * 200, 12);
  });

  it('sampling keeps 1 in N events; hits it skips return after the decision', () => {
    const s = scenario(seed, {
      rate: 100_000,
      probes: [probe(seed, 'kprobe', [submit(seed, 'perf_buffer', 128, { sample: 100 }), op('after', ns(50))], free)],
    });
    const { cpu } = estimateStatic(s, seed);
    expect(cpu.eventRate).toBeCloseTo(1000, 10);
    expect(cpu.perPacketNs).toBeCloseTo((500 + 50) / 100, 12);
  });

  it('loops repeat their body; a filter inside ends the program (iteration k runs with q^k)', () => {
    const body = [op('step', ns(10)), filter(0.5)];
    const s = scenario(seed, { probes: [probe(seed, 'kprobe', [{ kind: 'loop', count: 3, body }, op('tail', ns(100))], free)] });
    // 10 x (1 + 0.5 + 0.25) + 100 x 0.125
    expect(estimateStatic(s, seed).cpu.perPacketNs).toBeCloseTo(17.5 + 12.5, 12);
    const plain = scenario(seed, { probes: [probe(seed, 'kprobe', [{ kind: 'loop', count: 8, body: [op('step', ns(10))] }], free)] });
    expect(estimateStatic(plain, seed).cpu.perPacketNs).toBe(80);
  });

  it('fractional hits per packet scale every part of the probe', () => {
    const s = scenario(seed, { rate: 100_000, probes: [probe(seed, 'kprobe', [submit(seed, 'perf_buffer', 128)], { hitsPerPacket: 0.5 })] });
    const { cpu } = estimateStatic(s, seed);
    expect(cpu.eventRate).toBe(50_000);
    expect(cpu.perPacketNs).toBeCloseTo(0.5 * (40 + 27.5 + 500), 12);
  });

  it('probe and submit parts add up to the kernel total, and the total adds the consumer', () => {
    const s = scenario(def, { probes: [probe(def, 'fentry', [op('x', ns(30)), submit(def, 'perf_buffer', 256, { batch: 4 })])] });
    const { cpu } = estimateStatic(s, def);
    expect(cpu.kernelPctSum).toBeCloseTo(cpu.probePct + cpu.submitPct, 12);
    expect(cpu.totalDemandPct).toBeCloseTo(cpu.kernelPctSum + cpu.consumerDemandPct, 12);
    expect(cpu.recordRate).toBeCloseTo(cpu.eventRate / 4, 10);
    expect(cpu.perPacketNs * 100_000 / 1e7).toBeCloseTo(cpu.kernelPctSum, 10);
  });

  it('batches pay the batch add per event and one submit of N x bytes per record', () => {
    const s = scenario(def, { rate: 64_000, probes: [probe(def, 'kprobe', [submit(def, 'perf_buffer', 16, { batch: 64 })], free)], output: perfOutput(def, { wakeupEvents: 1 }) });
    const { cpu } = estimateStatic(s, def);
    // 1024-byte records: the 1024 B row, 342-404 ns.
    const noWake = 1000 * 373 + 64_000 * mean(def.submit.batchAdd);
    expect(cpu.recordRate).toBe(1000);
    expect(cpu.submitPct * 1e7).toBeGreaterThan(noWake);
    expect(cpu.submitPct * 1e7).toBeLessThan(noWake + 1000 * mean(def.wakeup.perf_buffer.producer) + 1e-6);
  });
});

describe('saturated traffic', () => {
  it('runs each CPU flat out: rate = CPUs / (baseline service + added cost)', () => {
    const s = scenario(seed, { arrival: 'saturate', cpus: 4, service: ns(800), probes: [probe(seed, 'kprobe', [op('x', ns(200))], free)] });
    const { cpu } = estimateStatic(s, seed);
    expect(cpu.perPacketNs).toBe(200);
    // 4 CPUs x 1e9 / 1000 ns = 4M packets/s; the probe takes 20% of each CPU: 80% of one CPU.
    expect(cpu.kernelPctSum).toBeCloseTo(80, 9);
  });

  it('includes wake-up costs in the per-packet cost that sets the rate', () => {
    const probes = [probe(def, 'kprobe', [submit(def, 'perf_buffer', 64)], free)];
    const s = scenario(def, { arrival: 'saturate', cpus: 2, service: ns(1000), probes });
    const { cpu } = estimateStatic(s, def);
    const rate = (2 * 1e9) / (1000 + cpu.perPacketNs);
    expect(cpu.eventRate).toBeCloseTo(rate, 3);
    expect(cpu.perPacketNs).toBeGreaterThan(93); // 64 B row mean, plus the wake-up share
  });
});

describe('aggregation', () => {
  const stats: MapSpec = { name: 'stats', type: 'percpu_array', key: 4, value: 8, maxEntries: 1000, fill: 0.5 };

  it('user space reads the aggregated map every interval: entries x per-entry cost', () => {
    const s = scenario(def, { maps: [stats], probes: [probe(def, 'tracepoint', [aggregate(def, stats)], free)] });
    s.consumer.aggregateRead = { interval: 1e9, perEntry: ns(2000), entries: 500, logBytesPerRead: 5000 };
    const { cpu, log } = estimateStatic(s, def);
    expect(cpu.eventRate).toBe(0);
    expect(cpu.consumerDemandPct).toBeCloseTo((500 * 2000) / 1e7, 12);
    expect(log.bytesPerSec).toBe(5000);
    expect(cpu.perPacketNs).toBe(mean(def.maps.percpu_array!.update));
  });

  it('no aggregate step: no periodic read', () => {
    const s = scenario(def, { maps: [stats] });
    s.consumer.aggregateRead = { interval: 1e9, perEntry: ns(2000), entries: 0, logBytesPerRead: 5000 };
    const { cpu, log } = estimateStatic(s, def);
    expect(cpu.consumerDemandPct).toBe(0);
    expect(log.bytesPerSec).toBe(0);
  });
});

describe('kernel map layout (default profile) against reference §5 measured memlock', () => {
  // The reference's hashtab table was measured on 1,048,576 entries; the per-CPU row pins the
  // host at 32 CPUs ((897,582,080 - 16 MiB buckets - 72 B x n) / (24 B x n) = 32).
  const n = 1_048_576;
  const cpus = 32;
  const m = (type: MapSpec['type'], key: number, value: number, maxEntries = n) =>
    mapMemory({ name: 'm', type, key, value, maxEntries, fill: 0.3 }, def, 6, cpus);

  it('hash, key 4 value 4: 83,889,408 B (80 B per entry)', () => {
    expect(m('hash', 4, 4).maxBytes / 83_889_408).toBeCloseTo(1, 4);
  });

  it('hash, key 16 value 24: 109,056,000 B', () => {
    expect(m('hash', 16, 24).maxBytes / 109_056_000).toBeCloseTo(1, 4);
  });

  it('percpu_hash, key 16 value 24: 897,582,080 B', () => {
    expect(m('percpu_hash', 16, 24).maxBytes / 897_582_080).toBeCloseTo(1, 5);
  });

  it('prog_array of 65536 entries: 524,608 B (reference §5.2)', () => {
    expect(m('prog_array', 4, 4, 65536).maxBytes / 524_608).toBeCloseTo(1, 2);
  });

  it('preallocated maps are full from the start; the seed formulas fill hash maps', () => {
    expect(m('hash', 4, 4).typicalBytes).toBe(m('hash', 4, 4).maxBytes);
    const seedHash = mapMemory({ name: 'm', type: 'hash', key: 4, value: 4, maxEntries: 1000, fill: 0.3 }, seed, 5, cpus);
    expect(seedHash.typicalBytes).toBeCloseTo(0.3 * seedHash.maxBytes, 9);
  });

  it('perf buffers count their metadata page in default, not in seed', () => {
    const d = estimateStatic(scenario(def, { hostCpus: 64 }), def).memory.buffers;
    expect(d).toBe(64 * 9 * 4096); // reference §1.1: 64 CPUs, BCC default = 2.25 MiB
    const r = estimateStatic(scenario(def, { output: ringbufOutput(def) }), def).memory.buffers;
    expect(r).toBe(256 * 1024 + 3 * 4096);
  });
});
