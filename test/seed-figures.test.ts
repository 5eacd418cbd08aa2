/**
 * The seed's worked figures, reproduced by the static estimator from the `seed` catalog.
 * Sizes: the seed writes "MB"/"KB"; most of its figures are binary (MiB/KiB): 80 x 32 KB =
 * 2.5 MB only in MiB. Where a figure is decimal the test says so.
 */
import { describe, expect, it } from 'vitest';
import { estimateStatic } from '../src/analysis/estimate.js';
import { mapMemory } from '../src/analysis/memory.js';
import { loadCatalog } from '../src/model/catalog.js';
import type { MapSpec } from '../src/model/scenario.js';
import { filter, ns, op, perfOutput, probe, scenario, submit } from './estimate-fixture.js';

const seed = loadCatalog('seed');
const MiB = 1024 * 1024;
const KiB = 1024;

/** The seed's examples count the submit and user work only: a probe with no dispatch cost. */
const free = { entry: ns(0), exit: ns(0) };

/** The seed's "Userspace: 10K x 3 us": one lump per event. */
const threeMicros = { read: ns(0), decode: ns(0), callback: ns(3000), log: ns(0) };

function map(name: string, type: MapSpec['type'], key: number, value: number, maxEntries: number, fill = 1): MapSpec {
  return { name, type, key, value, maxEntries, fill };
}

describe('seed CPU arithmetic (seed §Userspace 程序资源开销 B, §数据路径性能影响 C)', () => {
  it('10K events/s: 0.5% kernel + 3% user = 3.5% CPU', () => {
    const s = scenario(seed, {
      rate: 10_000,
      probes: [probe(seed, 'tracepoint', [submit(seed, 'perf_buffer', 128)], free)],
      perEvent: threeMicros,
    });
    const { cpu } = estimateStatic(s, seed);
    expect(cpu.eventRate).toBe(10_000);
    // 128-byte events cost 500 ns in the seed's size table, wake-up included.
    expect(cpu.submitPct).toBeCloseTo(0.5, 12);
    expect(cpu.probePct).toBe(0);
    expect(cpu.kernelPctSum).toBeCloseTo(0.5, 12);
    expect(cpu.consumerDemandPct).toBeCloseTo(3, 12);
    expect(cpu.totalDemandPct).toBeCloseTo(3.5, 12);
  });

  it('1M PPS x 500 ns = 50% CPU (every packet submits)', () => {
    const s = scenario(seed, {
      rate: 1_000_000,
      probes: [probe(seed, 'kprobe', [submit(seed, 'perf_buffer', 128)])],
    });
    const { cpu } = estimateStatic(s, seed);
    expect(cpu.eventRate).toBe(1_000_000);
    expect(cpu.submitPct).toBeCloseTo(50, 10);
    // The probe itself comes on top: kprobe 30-50 ns + exit 15-40 ns = 67.5 ns mean per packet.
    expect(cpu.probePct).toBeCloseTo(6.75, 10);
    expect(cpu.kernelPctSum).toBeCloseTo(56.75, 10);
  });

  it('case 1: 1.2M PPS with 33 ns of eBPF per packet is 4% of a CPU (833 ns budget x 4%)', () => {
    const s = scenario(seed, {
      rate: 1_200_000,
      // "Probe 进入/退出 ~25 ns" + "业务逻辑 ~8 ns"
      probes: [probe(seed, 'tracepoint', [op('logic', ns(8))], { entry: ns(25), exit: ns(0) })],
    });
    const { cpu } = estimateStatic(s, seed);
    expect(cpu.perPacketNs).toBe(33);
    expect(cpu.kernelPctSum).toBeCloseTo(3.96, 10);
    expect(Math.round(cpu.kernelPctSum)).toBe(4);
  });

  it('early return: 99% of packets pay the 20 ns check, 1% the 740 ns path: ~27 ns, 27x less', () => {
    const path = [op('parse_packet', ns(100)), op('lookup_connection', ns(80)), op('update_stats', ns(60)), submit(seed, 'perf_buffer', 128)];
    const naive = scenario(seed, { probes: [probe(seed, 'tc', path, free)] });
    const early = scenario(seed, { probes: [probe(seed, 'tc', [op('quick_filter', ns(20)), filter(0.01), ...path], free)] });
    const naiveNs = estimateStatic(naive, seed).cpu.perPacketNs;
    const earlyNs = estimateStatic(early, seed).cpu.perPacketNs;
    expect(naiveNs).toBe(740);
    // The seed writes 0.99 x 20 + 0.01 x 740 = 27.2; the check also runs on the 1% that pass,
    // so the estimator charges 20 + 0.01 x 740 = 27.4. Both are "27 ns".
    expect(earlyNs).toBeCloseTo(27.4, 10);
    expect(Math.round(earlyNs)).toBe(27);
    expect(Math.round(naiveNs / earlyNs)).toBe(27);
  });

  it('batching 64 events per submit: 100K events/s goes from 5% to 0.3% CPU', () => {
    const single = scenario(seed, { probes: [probe(seed, 'kprobe', [submit(seed, 'perf_buffer', 128)], free)] });
    // The seed charges its 64-event submit 2000 ns ("2000 ns 一次") and nothing per batch add.
    const batched = scenario(seed, {
      probes: [probe(seed, 'kprobe', [submit(seed, 'perf_buffer', 128, { batch: 64, cost: ns(2000) })], free)],
    });
    const a = estimateStatic(single, seed).cpu;
    const b = estimateStatic(batched, seed).cpu;
    expect(a.submitPct).toBeCloseTo(5, 10);
    expect(b.eventRate).toBe(100_000);
    expect(b.recordRate).toBeCloseTo(1562.5, 10); // "1.5K 批量提交/s"
    expect(b.submitPct).toBeCloseTo(0.3125, 10);
    expect(b.submitPct.toFixed(1)).toBe('0.3');
    // 16x (the seed rounds to 1.5K submits and 0.3%, hence its "17 倍").
    expect(a.submitPct / b.submitPct).toBeCloseTo(16, 10);
  });
});

describe('seed memory arithmetic (seed §Userspace 程序资源开销 2, §内存占用预估)', () => {
  // The seed's examples are 4.x figures (its HASH overhead is the 4.x 32 B).
  const KERNEL_4 = 4;

  it('80-CPU PERCPU_HASH of 10240 x (16+64+32) B = 88 MB (87.5 MiB), 44 MB at 50% fill', () => {
    const m = mapMemory(map('stats', 'percpu_hash', 16, 64, 10240, 0.5), seed, KERNEL_4, 80);
    expect(m.maxBytes).toBe(80 * 10240 * 112);
    expect(m.maxBytes).toBe(91_750_400);
    expect(m.maxBytes / MiB).toBeCloseTo(87.5, 12);
    expect(Math.round(m.maxBytes / MiB)).toBe(88);
    expect(m.typicalBytes / MiB).toBeCloseTo(43.75, 12); // "实际填充 50%：44 MB"
  });

  it('the same map as a plain HASH is 10240 x 112 B = 1.1 MB', () => {
    const m = mapMemory(map('stats', 'hash', 16, 64, 10240), seed, KERNEL_4, 80);
    expect(m.maxBytes).toBe(1_146_880);
    expect((m.maxBytes / MiB).toFixed(1)).toBe('1.1');
  });

  it('connections HASH: 10240 x (8 + 16 + 32) B = 10240 x 56 B = 560 KB (KiB)', () => {
    const m = mapMemory(map('connections', 'hash', 8, 16, 10240), seed, KERNEL_4, 80);
    expect(m.maxBytes).toBe(10240 * 56);
    expect(m.maxBytes / KiB).toBe(560);
  });

  it('5.x kernels pay the seed\'s 40 B overhead instead: 10240 x 64 B', () => {
    const m = mapMemory(map('connections', 'hash', 8, 16, 10240), seed, 5, 80);
    expect(m.maxBytes).toBe(10240 * 64);
  });

  it('PERCPU_ARRAY of 256 u64 on 80 CPUs: 80 x 256 x 8 B = 163 KB (decimal; 160 KiB)', () => {
    const m = mapMemory(map('stats', 'percpu_array', 4, 8, 256, 0.1), seed, KERNEL_4, 80);
    expect(m.maxBytes).toBe(163_840);
    expect(Math.floor(m.maxBytes / 1000)).toBe(163);
    // Arrays are preallocated: typical = max whatever the fill.
    expect(m.typicalBytes).toBe(m.maxBytes);
  });

  it('perf buffer on 80 CPUs: 8 pages = 2.5 MB, 128 pages = 40 MB (MiB)', () => {
    const host = { cpus: 4, hostCpus: 80 };
    const small = estimateStatic(scenario(seed, { ...host, output: perfOutput(seed, { pageCnt: 8 }) }), seed).memory;
    const large = estimateStatic(scenario(seed, { ...host, output: perfOutput(seed, { pageCnt: 128 }) }), seed).memory;
    expect(small.buffers).toBe(80 * 8 * 4096);
    expect(small.buffers / MiB).toBe(2.5);
    expect(large.buffers / MiB).toBe(40);
  });

  it('the complex network monitor totals ~73 MB (seed §内存占用预估 实际预估示例)', () => {
    const programs = Array.from({ length: 5 }, () => probe(seed, 'kprobe', []));
    const s = scenario(seed, {
      kernel: '4.19.90-openeuler',
      hostCpus: 80,
      probes: programs,
      output: perfOutput(seed, { pageCnt: 8 }),
      maps: [
        map('connections', 'hash', 8, 16, 10240),
        map('stats', 'percpu_array', 4, 8, 256),
        // "histogram (HASH): 256 x 16B"
        map('histogram', 'histogram', 8, 8, 256),
      ],
    });
    const m = estimateStatic(s, seed).memory;
    expect(m.base).toBe(60 * MiB);
    expect(m.maps.map((x) => x.maxBytes)).toEqual([560 * KiB, 160 * KiB, 4 * KiB]);
    expect(m.buffers).toBe(2.5 * MiB);
    expect(m.jit).toBe(150 * KiB); // 5 x 30 KB
    expect(m.other).toBe(10 * MiB);
    expect(m.total.maxBytes).toBe(60 * MiB + 724 * KiB + 2.5 * MiB + 150 * KiB + 10 * MiB);
    expect(m.total.maxBytes / MiB).toBeCloseTo(73.35, 2);
    expect(Math.round(m.total.maxBytes / MiB)).toBe(73);
  });

  it('the seed\'s 147 MB RSS decomposition: a 64-page perf buffer on 80 CPUs is its 20 MB', () => {
    const m = estimateStatic(scenario(seed, { hostCpus: 80, output: perfOutput(seed, { pageCnt: 64 }) }), seed).memory;
    expect(m.buffers / MiB).toBe(20); // "80 x 256 KB = 20 MB"
  });
});

describe('seed log arithmetic (seed §Userspace 程序资源开销 3 Log Size)', () => {
  it('100 events/s x 227 B for 2 minutes is the measured 2.66 MB log', () => {
    const s = scenario(seed, {
      rate: 100,
      probes: [probe(seed, 'tracepoint', [submit(seed, 'perf_buffer', 128)])],
      logBytes: 227,
    });
    const { log } = estimateStatic(s, seed);
    expect(log.eventsPerSec).toBe(100);
    expect(log.bytesPerSec).toBe(22_700);
    const twoMinutes = log.bytesPerSec * 120;
    expect(twoMinutes).toBe(2_724_000);
    // The seed divides 2.66 "MB" by 12,000 events to get 227 B: its MB here is 1000 x 1024 B.
    expect(twoMinutes / 1_024_000).toBeCloseTo(2.66, 2);
  });
});
