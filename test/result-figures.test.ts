/**
 * The Result's figures mean what their names say: rates over the measured window, no figure
 * for what was not measured, no throughput gained by adding probes, no CPU busier than its time.
 * Each case is stated in its own numbers (hand-built Scenarios, every cost given here).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/simulation/simulate.js';
import { loadModel } from '../src/model/load.js';
import { loadCatalog } from '../src/model/catalog.js';
import type { Step } from '../src/model/scenario.js';
import { formatSummary } from '../src/report/summary.js';
import { consumer, exp, ns, perfOutput, probe, ringbufOutput, scenario, submitStep } from './helpers/scenario.js';

const catalog = loadCatalog('default');
const op = (cost: number): Step => ({ kind: 'op', name: 'work', cost: ns(cost), count: 1 });

describe('log rate', () => {
  it('is the measured window’s bytes over the measured window, aggregate reads after warm-up only', () => {
    // Reads of the aggregation map every 7 ms over 100 ms: at 7, 14, ..., 98 ms. After the 30 ms
    // warm-up: 35, 42, ..., 98 ms, 10 reads of 1000 bytes in 70 ms.
    const s = scenario({
      traffic: { arrival: 'poisson', rate: 10_000, duration: 100e6, warmup: 30e6, rss: 'random' },
      probes: [probe([{ kind: 'aggregate', map: 'm', cost: ns(50) }])],
      consumer: consumer({ aggregateRead: { interval: 7e6, perEntry: ns(100), entries: 10, logBytesPerRead: 1000 } }),
    });
    const r = runScenario(s, catalog);
    expect(r.log.events).toBe(0);
    expect(r.log.bytes).toBe(10 * 1000);
    expect(r.log.bytesPerSec).toBeCloseTo(10_000 / 0.07, 6);
  });

  it('per-event lines: bytes / (duration - warm-up), not / duration', () => {
    const s = scenario({
      traffic: { arrival: 'poisson', rate: 20_000, duration: 100e6, warmup: 50e6, rss: 'random' },
      probes: [probe([submitStep(64)])],
      consumer: consumer({ logBytes: 100 }, 1000),
    });
    const r = runScenario(s, catalog);
    expect(r.log.events).toBeGreaterThan(500);
    expect(r.log.bytesPerSec).toBeCloseTo((r.log.events * 100) / 0.05, 6);
  });
});

describe('nothing measured is n/a, never 0 and never a grade', () => {
  // One flat-out CPU whose probe takes 10 ms per packet: no traced packet ends in a 5 ms run.
  const s = scenario({
    traffic: { arrival: 'saturate', rate: 0, duration: 5e6, warmup: 0.5e6, rss: 'random' },
    datapath: { service: ns(1000), rxQueue: 16 },
    probes: [probe([op(10e6)])],
  });
  const r = runScenario(s, catalog);

  it('traced latency, its change and the rating are null in JSON', () => {
    expect(r.latency.traced.count).toBe(0);
    expect(r.latency.traced.mean).toBeNull();
    expect(r.latency.traced.p99).toBeNull();
    expect(r.latency.inflation).toEqual({ meanPct: null, p99Pct: null });
    expect(r.rating.grade).toBeNull();
    expect(r.rating.latencyPct).toBeNull();
    expect(r.rating.reason).toMatch(/^not graded/);
    // The baseline did deliver: the loss is measured, and total.
    expect(r.throughput.lossPct).toBe(100);
    const json = JSON.parse(JSON.stringify(r));
    expect(json.latency.traced.mean).toBeNull();
    expect(json.rating.grade).toBeNull();
  });

  it('says so with a warning, and the summary shows n/a where the numbers would be', () => {
    expect(r.warnings.map((w) => w.code)).toContain('no-traced-packets');
    const text = formatSummary(r);
    expect(text).toMatch(/^\s+mean\s+1\.00 µs\s+n\/a\s+n\/a\s*$/m);
    expect(text).toContain("n/a: no traced packet completed in the measured window");
    expect(text).toMatch(/^Rating  n\/a \(not graded\)/m);
    expect(text).not.toMatch(/excellent|latency -100%/);
  });
});

describe('no CPU time beyond the window, no throughput gained by tracing', () => {
  it('a CPU spinning on the ringbuf lock while its program runs on is not busier than 100%', () => {
    // Two flat-out CPUs; the reserve lock is held 1 ms, so CPU 1 spins ~1 ms at the start while
    // the program after its submit (10 ms) runs past the end. Counted at the packet's start, the
    // program's time overlapped the spin and the submit: more "kernel time" than the 5 ms window.
    const s = scenario({
      cpus: 2,
      traffic: { arrival: 'saturate', rate: 0, duration: 5e6, warmup: 0, rss: 'random' },
      datapath: { service: ns(1000), rxQueue: 16 },
      probes: [probe([submitStep(64), op(10e6)])],
      output: ringbufOutput({ lock: { hold: ns(1e6), handoff: ns(0) } }),
    });
    const r = runScenario(s, catalog);
    for (const pct of r.cpu.kernelPctPerCpu) expect(pct).toBeLessThanOrEqual(100 + 1e-9);
    expect(r.cpu.kernelPctSum).toBeCloseTo(r.cpu.kernelPctPerCpu[0] + r.cpu.kernelPctPerCpu[1], 9);
  });

  it('an overloaded CPU that drops packets delivers no more traced than baseline', () => {
    // Heavy overload, 4 receive slots, exponential service: the two runs drop different packets.
    // Drawn per arrival, the service times they then served differed, and the traced run could
    // deliver 3x the baseline; drawn in service order, the n-th service is paired with the same draw.
    const s = scenario({
      cpus: 2,
      traffic: { arrival: 'poisson', rate: 1e8, duration: 5e6, warmup: 4.75e6, rss: 'random' },
      datapath: { service: exp(50_000), rxQueue: 4 },
      probes: [probe([op(30)])],
    });
    for (let seed = 1; seed <= 20; seed++) {
      const r = runScenario({ ...s, seed }, catalog);
      expect(r.throughput.lossPct).not.toBeNull();
      expect(r.throughput.lossPct!).toBeGreaterThanOrEqual(0);
    }
  });

  it('generated models: loss in [0, 100], each CPU within its time, header and reason agree (fast-check)', () => {
    const model = fc.record({
      cpus: fc.integer({ min: 1, max: 4 }),
      saturate: fc.boolean(),
      rate: fc.integer({ min: 10_000, max: 50_000_000 }),
      durationUs: fc.integer({ min: 100, max: 3000 }),
      warmupFrac: fc.double({ min: 0, max: 0.95, noNaN: true }),
      serviceNs: fc.integer({ min: 100, max: 100_000 }),
      random: fc.boolean(),
      rxQueue: fc.integer({ min: 1, max: 64 }),
      before: fc.integer({ min: 0, max: 50_000 }),
      after: fc.integer({ min: 0, max: 200_000 }),
      ringbuf: fc.boolean(),
      block: fc.boolean(),
      lockNs: fc.integer({ min: 10, max: 100_000 }),
      perEventNs: fc.integer({ min: 100, max: 100_000 }),
      shared: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(model, (m) => {
        const duration = m.durationUs * 1000;
        const onFull = m.block ? 'block' : 'drop';
        const s = scenario({
          cpus: m.cpus,
          seed: m.seed,
          traffic: { arrival: m.saturate ? 'saturate' : 'poisson', rate: m.rate, duration, warmup: Math.floor(duration * m.warmupFrac), rss: 'random' },
          datapath: { service: m.random ? exp(m.serviceNs) : ns(m.serviceNs), rxQueue: m.rxQueue },
          probes: [probe([op(m.before), submitStep(64), op(m.after)])],
          output: m.ringbuf
            ? ringbufOutput({ size: 8192, onFull, lock: { hold: ns(m.lockNs), handoff: ns(m.lockNs / 10) } })
            : perfOutput({ pageCnt: 1, onFull }),
          consumer: consumer({ cpu: m.shared ? 'shared' : 'dedicated' }, m.perEventNs),
          interval: duration / 10,
        });
        const r = runScenario(s, catalog); // the invariants run inside: they must hold
        const loss = r.throughput.lossPct;
        if (loss !== null) expect(loss >= 0 && loss <= 100).toBe(true);
        for (const pct of r.cpu.kernelPctPerCpu) expect(pct).toBeLessThanOrEqual(100 + 1e-6);
        expect(r.cpu.consumerPct).toBeLessThanOrEqual(100 + 1e-6);
        // The rating's header and its reason state the same changes.
        if (r.rating.grade !== null) {
          expect(r.rating.throughputPct).toBe(loss);
          expect(r.rating.reason).toContain(`throughput ${loss! > 0 ? '-' : '+'}${loss!.toFixed(2)}%`);
        }
      }),
      { numRuns: 150, seed: 42 },
    );
  });
});

describe('a BCC reader that starves rings is named, with what to change', () => {
  it('trace_conntrack: cpu0 read, cpu1-3 never; a libbpf reader reads them all', () => {
    const run = (set: string[]) => {
      const l = loadModel({ file: 'models/tools/trace_conntrack.yaml', set: ['traffic.duration=60ms', 'traffic.warmup=5ms', ...set] });
      return runScenario(l.scenario, l.catalog);
    };
    const bcc = run([]);
    expect(bcc.events.perCpu.filter((c) => c.consumed === 0).map((c) => c.cpu)).toEqual([1, 2, 3]);
    const w = bcc.warnings.find((x) => x.code === 'reader-starves-rings')!;
    expect(w.text).toContain('cpu1, cpu2, cpu3');
    expect(w.text).toContain('libbpf reader');
    const libbpf = run(['consumer.runtime=libbpf']);
    expect(libbpf.events.perCpu.every((c) => c.consumed > 0)).toBe(true);
    expect(libbpf.warnings.map((x) => x.code)).not.toContain('reader-starves-rings');
  });
});
