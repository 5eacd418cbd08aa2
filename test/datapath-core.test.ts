/**
 * The simulation core against what it must mean: the engine equals the Lindley recursion,
 * M/M/1, exact record sizes and ring capacity, losses, blocking, filters.
 */
import { describe, expect, it } from 'vitest';
import { TracedRun } from '../src/datapath/traced.js';
import { runBaseline } from '../src/datapath/baseline.js';
import { runScenario } from '../src/simulation/simulate.js';
import { loadCatalog } from '../src/model/catalog.js';
import { perfRecordBytes, ringbufRecordBytes, recordsThatFit } from '../src/records/sizes.js';
import { meanCI } from '../src/metrics/ci.js';
import { consumer, exp, ns, perfOutput, probe, ringbufOutput, scenario, submitStep } from './helpers/scenario.js';

function traced(s: ReturnType<typeof scenario>) {
  const run = new TracedRun(s);
  run.run();
  return run;
}

describe('engine vs Lindley recursion', () => {
  it('with no probes the event-driven run equals the baseline twin exactly, drops included', () => {
    for (const rxQueue of [1_000_000, 3]) {
      const s = scenario({
        cpus: 3,
        traffic: { arrival: 'poisson', rate: 500_000, duration: 20e6, warmup: 1e6, rss: 'random' },
        datapath: { service: exp(5000), rxQueue },
      });
      const base = runBaseline(s);
      const run = traced(s);
      expect(run.counters.packets).toBe(base.packets);
      expect(run.counters.delivered).toBe(base.delivered);
      expect(run.counters.rxDrops).toBe(base.rxDrops);
      expect(run.latency.toData()).toEqual(base.latency.toData());
      expect(run.latency.mean).toBe(base.latency.mean);
      expect(run.latency.max).toBe(base.latency.max);
      if (rxQueue === 3) expect(base.rxDrops).toBeGreaterThan(0);
    }
  });

  it('the same under saturate (closed loop per CPU)', () => {
    const s = scenario({
      cpus: 2,
      traffic: { arrival: 'saturate', rate: 0, duration: 5e6, warmup: 1e5, rss: 'random' },
      datapath: { service: { kind: 'lognormal', mean: 800, cv: 0.5 }, rxQueue: 16 },
    });
    const base = runBaseline(s);
    const run = traced(s);
    expect(run.counters.delivered).toBe(base.delivered);
    expect(run.latency.toData()).toEqual(base.latency.toData());
    // Capacity: one packet per mean service time per CPU.
    expect(base.delivered / ((5e6 - 1e5) / 1e9)).toBeCloseTo(2 / 800e-9, -5);
  });

  it('the twin fed by the traced run (runScenario) equals the separate replay (runBaseline) exactly', () => {
    const s = scenario({
      cpus: 3,
      traffic: { arrival: 'poisson', rate: 900_000, duration: 20e6, warmup: 1e6, rss: 'random' },
      datapath: { service: { kind: 'lognormal', mean: 2500, cv: 0.5 }, rxQueue: 8 },
      probes: [probe([submitStep(64)])],
      output: perfOutput({ pageCnt: 1 }),
      consumer: consumer({}, 4000),
    });
    const replay = runBaseline(s);
    const r = runScenario(s, loadCatalog('default'));
    expect(r.latency.histograms.baseline).toEqual(replay.latency.toData());
    expect(r.latency.baseline.mean).toBe(replay.latency.mean);
    expect(r.throughput.baseline.delivered).toBe(replay.delivered);
    expect(r.throughput.baseline.rxDrops).toBe(replay.rxDrops);
    expect(replay.rxDrops).toBeGreaterThan(0);
    expect(r.meta.packets.baseline).toBe(replay.packets);
  });

  it('M/M/1 at rho = 0.8: mean sojourn 1/(mu - lambda) inside the 95% CI over replications', () => {
    const lambda = 160_000; // per s
    const meanS = 5000; // ns -> mu = 200k/s, rho = 0.8
    const expected = 1e9 / (1e9 / meanS - lambda); // 25 us
    const means: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const s = scenario({
        seed,
        traffic: { arrival: 'poisson', rate: lambda, duration: 500e6, warmup: 25e6, rss: 'random' },
        datapath: { service: exp(meanS), rxQueue: 10_000_000 },
      });
      means.push(traced(s).latency.mean);
    }
    const ci = meanCI(means);
    expect(Math.abs(ci.mean - expected)).toBeLessThan(ci.halfWidth);
    expect(ci.halfWidth / expected).toBeLessThan(0.05);
  });
});

describe('record sizes and ring capacity', () => {
  it('perf and ringbuf record sizes match the kernel formulas (reference §1.3 table)', () => {
    const table: [number, number, number][] = [
      [8, 24, 16],
      [16, 32, 24],
      [32, 48, 40],
      [64, 80, 72],
      [88, 104, 96],
      [256, 272, 264],
      [4096, 4112, 4104],
    ];
    for (const [s, perf, rb] of table) {
      expect(perfRecordBytes(s)).toBe(perf);
      expect(ringbufRecordBytes(s)).toBe(rb);
    }
    expect(recordsThatFit(8 * 4096, 24)).toBe(1365);
    expect(recordsThatFit(8 * 4096, 80)).toBe(409);
    expect(recordsThatFit(8 * 4096, 104)).toBe(315);
    expect(recordsThatFit(256 * 1024, 96)).toBe(2730);
  });

  for (const [name, output, rec] of [
    ['perf buffer, 2 pages, 88 B', perfOutput({ pageCnt: 2, wakeupEvents: 1e9, watermarkBytes: Infinity }), perfRecordBytes(88)],
    ['ringbuf 16 KiB, 88 B', ringbufOutput({ size: 16384, notify: 'none' }), ringbufRecordBytes(88)],
  ] as const) {
    it(`${name}: holds exactly floor((D-8)/rec) events before the first loss`, () => {
      // A consumer that never wakes: the ring only fills.
      const s = scenario({
        traffic: { arrival: 'constant', rate: 100_000, duration: 10e6, warmup: 0, rss: 'random' },
        datapath: { service: ns(1000), rxQueue: 100 },
        probes: [probe([submitStep(88)])],
        output,
        // poll costs nothing, so the thread is asleep before the first record lands
        consumer: consumer({ reader: output.type === 'ringbuf' ? 'ringbuf' : 'perf-per-record', pollTimeout: Infinity, pollCost: ns(0) }),
      });
      const run = traced(s);
      const cap = output.type === 'ringbuf' ? output.size : output.pageCnt * output.pageSize;
      const fit = Math.floor((cap - 8) / rec);
      expect(run.counters.submitted).toBe(fit);
      expect(run.rings[0].peak).toBe(fit * rec);
      const inService = run.eventsInService().events;
      expect(run.counters.lostTotal).toBe(run.planner.counters.generated[0] - fit - inService);
      expect(run.ringLevels[0].max).toBe(fit * rec);
    });
  }
});

describe('losses, blocking and wake-ups', () => {
  const lossy = (perEventNs: number, onFull: 'drop' | 'block' = 'drop') =>
    scenario({
      cpus: 2,
      traffic: { arrival: 'poisson', rate: 200_000, duration: 50e6, warmup: 2e6, rss: 'random' },
      datapath: { service: exp(2000), rxQueue: 100_000 },
      probes: [probe([submitStep(128)])],
      output: perfOutput({ pageCnt: 2, onFull }),
      consumer: consumer({}, perEventNs),
    });

  it('a consumer slower than the event rate loses events; a fast one loses none', () => {
    const slow = traced(lossy(10_000)); // 100k events/s capacity < 200k/s
    const fast = traced(lossy(500));
    const slowLost = slow.counters.lostTotal / (slow.planner.counters.generated[0] + slow.planner.counters.generated[1]);
    expect(slowLost).toBeGreaterThan(0.4); // at least 1 - 100k/200k of them
    expect(fast.counters.lostTotal).toBe(0);
    // perf reports its drops late, as LOST records (reference §1.5)
    expect(slow.counters.lostReportedTotal).toBeGreaterThan(0);
    expect(slow.counters.lostReportedTotal).toBeLessThanOrEqual(slow.counters.lostTotal);
  });

  it('drops settled at service start (ring sure to be full) equal drops played as submit events, exactly', () => {
    // Probe and submit costs are constants here (their streams are shared by the CPUs, so their
    // draw order would differ): the only difference between the two is when a drop is computed.
    const s = scenario({
      cpus: 3,
      traffic: { arrival: 'poisson', rate: 600_000, duration: 30e6, warmup: 2e6, rss: 'random' },
      datapath: { service: { kind: 'lognormal', mean: 1500, cv: 0.5 }, rxQueue: 64 },
      probes: [probe([{ kind: 'op', name: 'x', cost: ns(120), count: 2 }, submitStep(100)])],
      output: perfOutput({ pageCnt: 1 }),
      consumer: consumer({}, 12_000),
    });
    const settled = traced(s);
    const played = new TracedRun(s);
    (played as unknown as { settleDrops: boolean }).settleDrops = false;
    played.run();
    expect(settled.counters.lostTotal).toBeGreaterThan(0.3 * settled.planner.counters.generated.reduce((a, b) => a + b, 0));
    expect(settled.counters.eventsProcessed).toBeLessThan(played.counters.eventsProcessed);
    expect({ ...settled.counters, eventsProcessed: 0 }).toEqual({ ...played.counters, eventsProcessed: 0 });
    expect(settled.latency.toData()).toEqual(played.latency.toData());
    expect(settled.eventDelay.toData()).toEqual(played.eventDelay.toData());
    expect(settled.ringSeries.map((x) => x.toData())).toEqual(played.ringSeries.map((x) => x.toData()));
    expect(settled.ringLevels.map((x) => [x.max, x.mean(30e6)])).toEqual(played.ringLevels.map((x) => [x.max, x.mean(30e6)]));
  });

  it('onFull: block loses nothing and inflates latency instead', () => {
    const drop = traced(lossy(10_000, 'drop'));
    const block = traced(lossy(10_000, 'block'));
    expect(block.counters.lostTotal).toBe(0);
    expect(block.latency.mean).toBeGreaterThan(5 * drop.latency.mean);
  });

  it('adaptive ringbuf: a consumer that keeps up is woken often and slows the producer; one that falls behind is not', () => {
    const run = (perEventNs: number) =>
      traced(
        scenario({
          cpus: 1,
          traffic: { arrival: 'saturate', rate: 0, duration: 20e6, warmup: 1e6, rss: 'random' },
          datapath: { service: ns(500), rxQueue: 16 },
          probes: [probe([submitStep(64)])],
          output: ringbufOutput({
            size: 64 * 1024,
            wakeup: { producer: ns(3000), producerNoWaiter: ns(50), latency: ns(1000) },
          }),
          consumer: consumer({ reader: 'ringbuf', wakeCost: ns(500), pollCost: ns(200) }, perEventNs),
        }),
      );
    const keepsUp = run(100);
    const behind = run(50_000);
    expect(keepsUp.consumer.wakes).toBeGreaterThan(20 * Math.max(1, behind.consumer.wakes));
    expect(keepsUp.counters.lostTotal).toBe(0);
    expect(behind.counters.lostTotal).toBeGreaterThan(0);
    // The producer (saturating its CPU) completes more packets when the consumer lags.
    expect(behind.counters.delivered).toBeGreaterThan(1.5 * keepsUp.counters.delivered);
  });

  it('under saturate, per-event perf wake-ups cap the producer at 1/(service + probe + wake-up)', () => {
    const wake = 2000;
    const s = scenario({
      cpus: 1,
      traffic: { arrival: 'saturate', rate: 0, duration: 20e6, warmup: 1e6, rss: 'random' },
      datapath: { service: ns(500), rxQueue: 16 },
      probes: [probe([submitStep(64)])], // entry 30 + exit 10 + submit 50
      output: perfOutput({ pageCnt: 64, wakeupEvents: 1, wakeup: { producer: ns(wake), producerNoWaiter: ns(wake), latency: ns(500) } }),
      consumer: consumer({}, 100),
    });
    const run = traced(s);
    const perPacket = 500 + 30 + 10 + 50 + wake;
    const rate = run.counters.delivered / 19e-3;
    expect(rate).toBeCloseTo(1e9 / perPacket, -3);
    expect(run.counters.lostTotal).toBe(0);
  });
});

describe('program costs', () => {
  it('a filter with pass probability p cuts the mean program cost as the arithmetic says', () => {
    const p = 0.1;
    const s = scenario({
      traffic: { arrival: 'poisson', rate: 50_000, duration: 200e6, warmup: 0, rss: 'random' },
      datapath: { service: ns(1000), rxQueue: 1000 },
      probes: [
        probe(
          [
            { kind: 'op', name: 'pre', cost: ns(20), count: 1 },
            { kind: 'filter', pass: p },
            { kind: 'op', name: 'post', cost: ns(700), count: 1 },
          ],
          { entry: ns(0), exit: ns(0) },
        ),
      ],
    });
    const run = traced(s);
    const perPacket = run.counters.kernelNs[0] / run.counters.packets;
    const expected = 20 + p * 700; // 90 ns
    // Binomial sd of the pass count: sqrt(n p (1-p)) * 700 / n
    const sd = (Math.sqrt(run.counters.packets * p * (1 - p)) * 700) / run.counters.packets;
    expect(Math.abs(perPacket - expected)).toBeLessThan(4 * sd);
  });
});

describe('determinism', () => {
  it('same seed, same counters; another seed differs', () => {
    const mk = (seed: number) =>
      scenario({ seed, cpus: 2, probes: [probe([submitStep(64)])], output: perfOutput({ pageCnt: 1 }), consumer: consumer({}, 8000) });
    const a = traced(mk(3));
    const b = traced(mk(3));
    const c = traced(mk(4));
    expect(a.counters).toEqual(b.counters);
    expect(a.latency.toData()).toEqual(b.latency.toData());
    expect(a.counters).not.toEqual(c.counters);
  });
});
