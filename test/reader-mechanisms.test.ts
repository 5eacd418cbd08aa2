/**
 * The reader's mechanisms against what they mean: the share of a CPU the scheduler gives a
 * reader, irq_work coalescing (never more than one pending wake-up per buffer), and stalls
 * against M/G/1 theory with server vacations.
 */
import { describe, expect, it } from 'vitest';
import { TracedRun } from '../src/datapath/traced.js';
import { runScenario } from '../src/simulation/simulate.js';
import { loadCatalog } from '../src/model/catalog.js';
import { mg1kBlocking } from '../src/validate/queueing.js';
import type { SchedParams } from '../src/model/scenario.js';
import { consumer, exp, ns, perfOutput, probe, ringbufOutput, scenario, submitStep } from './helpers/scenario.js';

const sched = (over: Partial<SchedParams> = {}): SchedParams => ({
  contextSwitch: ns(0),
  slice: 1e6,
  wakePreempt: 'immediate',
  idleAfter: Infinity,
  idleExit: ns(0),
  ...over,
});

describe('the reader as a scheduled task', () => {
  // A flat-out producer on CPU 0 running as a task, one event per call, and a reader on the same
  // CPU that can never catch up (50 us per event): both always runnable, so they alternate slices.
  const shared = (over: Partial<SchedParams> = {}, hostLoad = 0) =>
    scenario({
      traffic: { arrival: 'saturate', rate: 0, duration: 400e6, warmup: 20e6, rss: 'random' },
      datapath: { service: ns(2000), rxQueue: 16, context: 'task' },
      probes: [probe([submitStep(64)])],
      output: ringbufOutput({ size: 64 * 1024 }),
      consumer: consumer({ reader: 'ringbuf', cpu: 'shared', sched: sched(over), hostLoad }, 50_000),
    });

  it('at zero load a shared reader and a task producer each get half the CPU (fair slices)', () => {
    const r = runScenario(shared(), loadCatalog('default'));
    expect(r.cpu.consumerPct).toBeGreaterThan(48);
    expect(r.cpu.consumerPct).toBeLessThan(52);
    // The producer runs the other half: half its baseline call rate.
    const share = r.throughput.traced.delivered / r.throughput.baseline.delivered;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.52);
  });

  it('context switches take their time from the reader: slice / (slice + slice + 2 switches)', () => {
    const r = runScenario(shared({ contextSwitch: ns(100e3) }), loadCatalog('default'));
    const expected = (1e6 / (2e6 + 2 * 100e3)) * 100; // 45.5%
    expect(r.cpu.consumerPct).toBeGreaterThan(expected - 2);
    expect(r.cpu.consumerPct).toBeLessThan(expected + 2);
    expect(r.cpu.consumerSwitches).toBeGreaterThan(0);
  });

  it('with softirq packet work on its CPU, a shared reader runs only in the gaps', () => {
    // 60% of CPU 0 is packet work that pre-empts the reader; the reader (never caught up) gets the rest.
    const s = scenario({
      traffic: { arrival: 'constant', rate: 300_000, duration: 200e6, warmup: 10e6, rss: 'random' },
      datapath: { service: ns(2000), rxQueue: 1024, context: 'softirq' },
      probes: [probe([submitStep(64)], { entry: ns(0), exit: ns(0) })],
      output: ringbufOutput({ size: 64 * 1024 }),
      consumer: consumer({ reader: 'ringbuf', cpu: 'shared', sched: sched() }, 50_000),
    });
    const r = runScenario(s, loadCatalog('default'));
    // Packets are never delayed by the reader: the traced latency is the bare service plus the probe.
    expect(r.latency.traced.p99).toBeLessThan(3000);
    const packetShare = (300_000 * (2000 + 50 + 400)) / 1e9; // service, submit, a wake-up at most
    expect(r.cpu.consumerPct).toBeLessThan((1 - 0.6) * 100 + 1);
    expect(r.cpu.consumerPct).toBeGreaterThan((1 - packetShare) * 100 - 2);
  });

  it('other load on a dedicated reader CPU takes its share: a saturated reader keeps 1 / (1 + load) of it', () => {
    for (const load of [0.3, 0.6]) {
      const s = scenario({
        traffic: { arrival: 'saturate', rate: 0, duration: 400e6, warmup: 20e6, rss: 'random' },
        datapath: { service: ns(2000), rxQueue: 16 },
        probes: [probe([submitStep(64)])],
        output: ringbufOutput({ size: 64 * 1024 }),
        consumer: consumer({ reader: 'ringbuf', sched: sched(), hostLoad: load }, 50_000),
      });
      const r = runScenario(s, loadCatalog('default'));
      const expected = 100 / (1 + load);
      expect(Math.abs(r.cpu.consumerPct - expected), `load ${load}: ${r.cpu.consumerPct}`).toBeLessThan(3);
    }
  });

  it('on EEVDF (6.6+) a woken reader waits for the running task\'s slice, on CFS it pre-empts at once', () => {
    // A paced producer task on CPU 0 (busy 1 us of every 2 us: always runnable in effect) and a fast
    // reader sharing it: every wake-up meets the producer running.
    const mk = (wakePreempt: SchedParams['wakePreempt']) =>
      scenario({
        traffic: { arrival: 'saturate', rate: 0, duration: 200e6, warmup: 10e6, rss: 'random' },
        datapath: { service: ns(1000), rxQueue: 16, context: 'task' },
        probes: [probe([submitStep(64, { sample: 1000 })])],
        output: ringbufOutput({ size: 1 << 20, wakeup: { producer: ns(0), producerNoWaiter: ns(0), latency: ns(0) } }),
        consumer: consumer({ reader: 'ringbuf', cpu: 'shared', sched: sched({ wakePreempt }), pollCost: ns(0), wakeCost: ns(0) }, 100),
      });
    const cfs = runScenario(mk('immediate'), loadCatalog('default'));
    const eevdf = runScenario(mk('slice-end'), loadCatalog('default'));
    expect(cfs.latency.eventDelay.mean).toBeLessThan(5e3);
    // Half a 1 ms slice on average.
    expect(eevdf.latency.eventDelay.mean).toBeGreaterThan(0.4e6);
    expect(eevdf.latency.eventDelay.mean).toBeLessThan(0.6e6);
  });
});

describe('wake-up coalescing', () => {
  it('a request while the irq_work is pending is folded into it: at most one pending per buffer', () => {
    // 4 CPUs, each submitting every 1 us into its own perf ring with wakeup_events 1; the irq_work
    // runs 50 us after it is queued. One pending per fd means at most one irq_work per 50 us per ring.
    const window = 50e6;
    const s = scenario({
      cpus: 4,
      traffic: { arrival: 'saturate', rate: 0, duration: window + 1e6, warmup: 1e6, rss: 'random' },
      datapath: { service: ns(1000), rxQueue: 16 },
      probes: [probe([submitStep(8)], { entry: ns(0), exit: ns(0) })],
      output: perfOutput({ pageCnt: 64, wakeup: { producer: ns(0), producerNoWaiter: ns(0), coalesced: ns(0), pending: ns(50e3), latency: ns(1000) } }),
      consumer: consumer({}, 10),
    });
    const r = runScenario(s, loadCatalog('default'));
    const w = r.events.wakeups;
    expect(w.coalesced + w.irqWorks).toBe(w.signalled);
    const maxRuns = 4 * (window / 50e3 + 1);
    expect(w.irqWorks).toBeLessThanOrEqual(maxRuns);
    // ... and with a request every 1 us, each ring's next irq_work is queued within ~1 us of the last run.
    expect(w.irqWorks).toBeGreaterThan(0.95 * 4 * (window / 51e3));
    expect(w.coalesced).toBeGreaterThan(0.9 * w.signalled);
  });

  it('coalesced requests cost the producer only the coalesced cost', () => {
    const mk = (pending: number) =>
      scenario({
        traffic: { arrival: 'saturate', rate: 0, duration: 20e6, warmup: 1e6, rss: 'random' },
        datapath: { service: ns(1000), rxQueue: 16 },
        probes: [probe([submitStep(8)], { entry: ns(0), exit: ns(0) })],
        output: perfOutput({ pageCnt: 64, wakeup: { producer: ns(5000), producerNoWaiter: ns(5000), coalesced: ns(10), pending: ns(pending), latency: ns(1000) } }),
        consumer: consumer({}, 10),
      });
    const none = runScenario(mk(0), loadCatalog('default'));
    const coalescing = runScenario(mk(100e3), loadCatalog('default'));
    // Without a window every call pays 5 us: ~1/(1 + 0.05 + 5) us; with it ~1/(1.06 us).
    expect(none.throughput.traced.deliveredPps).toBeLessThan(170e3);
    expect(coalescing.throughput.traced.deliveredPps).toBeGreaterThan(850e3);
  });
});

describe('reader stalls against M/G/1 with vacations', () => {
  // Poisson events into a ringbuf read by a busy-loop reader (no wake-up latency): per record S,
  // and after each record, with probability q, a pause V. A pause after a service delays the next
  // start exactly as if it were part of that service, so the waiting time is Pollaczek-Khinchine
  // with S' = S + V Bernoulli(q) (a generalized-vacation M/G/1), and the delay is W_q + S.
  const S = 2000;
  const V = 100_000;
  const every = 100; // events between pauses, mean
  const q = 1 - Math.exp(-1 / every); // the reader draws the gap as 1 + floor(Exp(every))
  const lambda = 250_000 / 1e9; // per ns
  const mk = (size: number, seed: number) =>
    scenario({
      seed,
      traffic: { arrival: 'poisson', rate: 250_000, duration: 400e6, warmup: 20e6, rss: 'random' },
      datapath: { service: ns(0), rxQueue: 1 << 20 },
      probes: [probe([submitStep(64, { cost: ns(0) })], { entry: ns(0), exit: ns(0) })],
      output: ringbufOutput({ size, notify: 'none', lock: { hold: ns(0), handoff: ns(0) } }),
      consumer: consumer({ reader: 'ringbuf', loop: 'busy', pollCost: ns(0), stalls: { every, pause: ns(V), sinkEvery: 0, sinkPause: ns(0) } }, S),
    });

  it('the mean delay of an event is Pollaczek-Khinchine with the pauses folded into the service', () => {
    const es = S + q * V;
    const es2 = S * S + q * (2 * S * V + V * V);
    const rho = lambda * es;
    expect(rho).toBeLessThan(0.9);
    const expected = (lambda * es2) / (2 * (1 - rho)) + S;
    const means = [1, 2, 3, 4, 5].map((seed) => runScenario(mk(1 << 24, seed), loadCatalog('default')).latency.eventDelay.mean ?? NaN);
    const m = means.reduce((a, b) => a + b, 0) / means.length;
    const sd = Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / (means.length - 1));
    expect(Math.abs(m - expected), `simulated ${m.toFixed(0)} ns, theory ${expected.toFixed(0)} ns (sd ${sd.toFixed(0)})`).toBeLessThan(Math.max(4 * sd, 0.03 * expected));
  });

  it('in a finite ring the loss lies between M/G/1/K and M/G/1/(K+1) with that service', () => {
    // 2 KiB ring of 72-byte records: K = 28 records. While a record is handled it holds its slot
    // (K - 1 can wait, as in M/G/1/K); during a pause after it, K can wait (as in M/G/1/(K+1)).
    const K = Math.floor((2048 - 8) / 72);
    const poisson = (m: number, k: number) => {
      let p = Math.exp(-m);
      for (let i = 1; i <= k; i++) p *= m / i;
      return p;
    };
    const a = (k: number) => (1 - q) * poisson(lambda * S, k) + q * poisson(lambda * (S + V), k);
    const rho = lambda * (S + q * V);
    const upper = mg1kBlocking(a, rho, K) * 100;
    const lower = mg1kBlocking(a, rho, K + 1) * 100;
    const losses = [1, 2, 3].map((seed) => runScenario(mk(2048, seed), loadCatalog('default')).events.lostPct);
    const m = losses.reduce((x, y) => x + y, 0) / losses.length;
    expect(lower).toBeGreaterThan(1); // the pauses do cause loss
    expect(m, `loss ${m.toFixed(2)}% vs [${lower.toFixed(2)}, ${upper.toFixed(2)}]`).toBeGreaterThan(lower * 0.97);
    expect(m).toBeLessThan(upper * 1.03);
    // Without pauses the same ring loses almost nothing (rho = 0.5, K = 28).
    expect(mg1kBlocking((k) => poisson(lambda * S, k), lambda * S, K)).toBeLessThan(1e-6);
  });

  it('losses during pauses are booked as stalled', () => {
    const r = runScenario(mk(2048, 9), loadCatalog('default'));
    const c = r.events.lossCauses;
    expect(c.stalled + c.asleep + c.preempted + c.busyBehind).toBeCloseTo(r.events.lost, 6);
    expect(c.stalled / r.events.lost).toBeGreaterThan(0.5);
  });
});
