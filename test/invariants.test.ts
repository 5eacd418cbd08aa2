/**
 * Invariants checked on every run (packets and events conserved, ring bytes within capacity,
 * clock monotone, no negative durations, no negative levels): each is broken on purpose here and
 * must be caught with its details; correct runs of many kinds must pass them. Tampering goes
 * through a TracedRun subclass swapped in under runScenario, so the checks are shown where they
 * really run.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TracedRun as TracedRunType } from '../src/datapath/traced.js';

// Hooks the tampered TracedRun calls; reset before each test.
const hooks = vi.hoisted(() => ({
  afterRun: (_run: unknown) => {},
  releasedFactor: 1,
  buggyWarmupReset: false,
}));

vi.mock('../src/datapath/traced.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../src/datapath/traced.js')>();
  class TamperedRun extends mod.TracedRun {
    override run(): void {
      super.run();
      hooks.afterRun(this);
    }
    override released(r: number, bytes: number, t: number): void {
      super.released(r, bytes * hooks.releasedFactor, t);
    }
  }
  if (hooks.buggyWarmupReset) throw new Error('set buggyWarmupReset per test, not at import');
  // The classic warm-up bug: reset the level to 0 instead of re-basing it at its value.
  const proto = TamperedRun.prototype as unknown as { startMeasuring(t: number): void };
  const original = (mod.TracedRun.prototype as unknown as { startMeasuring(t: number): void }).startMeasuring;
  proto.startMeasuring = function (this: TracedRunType, t: number) {
    if (!hooks.buggyWarmupReset) return original.call(this, t);
    for (const lv of this.ringLevels) lv.restart(t, 0);
  };
  return { ...mod, TracedRun: TamperedRun };
});

const { TracedRun } = await import('../src/datapath/traced.js');
const { runScenario } = await import('../src/simulation/simulate.js');
const { checkInvariants, InvariantError } = await import('../src/datapath/invariants.js');
const { loadCatalog } = await import('../src/model/catalog.js');
const { consumer, exp, ns, perfOutput, probe, ringbufOutput, scenario, submitStep } = await import('./helpers/scenario.js');

const catalog = loadCatalog('default');

beforeEach(() => {
  hooks.afterRun = () => {};
  hooks.releasedFactor = 1;
  hooks.buggyWarmupReset = false;
});

/** Runs fn, expecting an InvariantError for `law`; returns it for more checks. */
function caught(fn: () => unknown, law: string): InstanceType<typeof InvariantError> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvariantError);
    const err = e as InstanceType<typeof InvariantError>;
    expect(err.law).toBe(law);
    expect(err.message).not.toContain('\n');
    return err;
  }
  throw new Error(`expected the invariant "${law}" to be violated`);
}

/** A lossy perf run with events in every state at the end (buffer, consumer, in service). */
const lossy = () =>
  scenario({
    cpus: 2,
    traffic: { arrival: 'poisson', rate: 300_000, duration: 10e6, warmup: 1e6, rss: 'random' },
    datapath: { service: exp(2000), rxQueue: 64 },
    probes: [probe([submitStep(128)])],
    output: perfOutput({ pageCnt: 1 }),
    consumer: consumer({}, 8000),
  });

describe('checkInvariants on hand-made totals', () => {
  const good = {
    packets: 100,
    departed: 90,
    dropped: 7,
    inFlight: 3,
    generated: 50,
    consumed: 30,
    lost: 10,
    inBuffer: 5,
    inProcess: 1,
    inService: 2,
    pendingBatch: 2,
    maxRingBytes: 4088,
    ringLimit: 4088,
    minRingBytes: 0,
    baselineDeparted: 90,
    kernelNsPerCpu: [1e8, 2e8],
    consumerNs: 5e8,
    windowNs: 1e9,
  };

  it('consistent totals pass', () => {
    expect(() => checkInvariants(good)).not.toThrow();
  });

  it('each law, broken by one unit, names itself and shows the numbers', () => {
    let e = caught(() => checkInvariants({ ...good, departed: 91 }), 'packets = delivered + dropped + in flight');
    expect(e.details).toEqual({ packets: 100, delivered: 91, dropped: 7, inFlight: 3 });
    expect(e.message).toContain('packets=100, delivered=91, dropped=7, inFlight=3');
    e = caught(() => checkInvariants({ ...good, inFlight: 2 }), 'packets = delivered + dropped + in flight');
    e = caught(() => checkInvariants({ ...good, lost: 11 }), 'events = consumed + lost + in buffer');
    expect(e.details.generated).toBe(50);
    expect(e.details.lost).toBe(11);
    caught(() => checkInvariants({ ...good, pendingBatch: 1 }), 'events = consumed + lost + in buffer');
    e = caught(() => checkInvariants({ ...good, maxRingBytes: 4096 }), 'ring bytes within capacity');
    expect(e.details).toMatchObject({ maxRingBytes: 4096, usableCapacity: 4088 });
    caught(() => checkInvariants({ ...good, minRingBytes: -8 }), 'ring bytes within capacity');
    // Services are paired by order and the traced one adds its probes: it cannot depart more.
    e = caught(() => checkInvariants({ ...good, baselineDeparted: 89 }), 'traced departures <= baseline departures');
    expect(e.details).toEqual({ traced: 90, baseline: 89 });
    // A CPU cannot spend more than the window on the tool, nor the consumer more than its CPU's time.
    e = caught(() => checkInvariants({ ...good, kernelNsPerCpu: [1e8, 1.001e9] }), 'kernel time per CPU within the window');
    expect(e.details).toMatchObject({ cpu: 1, windowNs: 1e9 });
    caught(() => checkInvariants({ ...good, consumerNs: 1.01e9 }), 'consumer time within the window');
  });
});

describe('runScenario checks every run', () => {
  it('correct runs of many kinds pass (drops, losses, ringbuf lock, block, batch, sampling, shared consumer, saturate)', () => {
    const variants = [
      lossy(),
      scenario({ ...lossy(), output: ringbufOutput({ size: 8192 }), consumer: consumer({ reader: 'ringbuf' }, 8000) }),
      scenario({ ...lossy(), output: perfOutput({ pageCnt: 1, onFull: 'block' }) }),
      scenario({ ...lossy(), consumer: consumer({ reader: 'perf-batch', cpu: 'shared', pollTimeout: 1e5 }, 3000) }),
      scenario({ ...lossy(), probes: [probe([submitStep(64, { batch: 8, flushTimeout: 20_000 })])] }),
      scenario({ ...lossy(), probes: [probe([{ kind: 'filter', pass: 0.5 }, submitStep(64, { sample: 3 })], { hitsPerPacket: 1.5 })] }),
      scenario({
        ...lossy(),
        traffic: { arrival: 'saturate', rate: 0, duration: 2e6, warmup: 1e5, rss: 'random' },
      }),
      scenario({
        ...lossy(),
        traffic: { arrival: 'bursty', rate: 300_000, duration: 5e6, warmup: 1e5, rss: 'roundrobin', burst: { onRate: 1e6, offRate: 1e4, onMean: 1e5, offMean: 2e5 } },
      }),
    ];
    for (const s of variants) expect(() => runScenario(s, catalog)).not.toThrow();
  });

  it('a packet lost from the books is caught', () => {
    hooks.afterRun = (run) => {
      (run as TracedRunType).counters.departedTotal -= 1;
    };
    const e = caught(() => runScenario(lossy(), catalog), 'packets = delivered + dropped + in flight');
    expect(e.details.packets).toBeGreaterThan(0);
  });

  it('an event counted twice is caught', () => {
    hooks.afterRun = (run) => {
      (run as TracedRunType).counters.consumedTotal += 1;
    };
    caught(() => runScenario(lossy(), catalog), 'events = consumed + lost + in buffer');
  });

  it('an event lost from the books is caught', () => {
    hooks.afterRun = (run) => {
      (run as TracedRunType).counters.lostTotal -= 1;
    };
    caught(() => runScenario(lossy(), catalog), 'events = consumed + lost + in buffer');
  });

  it('a ring that overflowed its usable capacity is caught', () => {
    hooks.afterRun = (run) => {
      const ring = (run as TracedRunType).rings[1];
      ring.peak = ring.capacity; // the last 8 bytes can never be used
    };
    const e = caught(() => runScenario(lossy(), catalog), 'ring bytes within capacity');
    expect(e.details).toMatchObject({ maxRingBytes: 4096, usableCapacity: 4088 });
  });

  it('a ring that released more than it held is caught as it happens (negative level)', () => {
    hooks.releasedFactor = 2;
    expect(() => runScenario(lossy(), catalog)).toThrow(/level must be finite and >= 0/);
  });
});

describe('run-time guards', () => {
  // Samplers refuse negative costs, so a broken one is swapped into a built run by hand.
  const broken = (value: number) => ({ sample: () => value, mean: value, cv: 0 });
  // The private fields a test swaps (plain properties at run time).
  type Tamperable = { run(): void; service: unknown; consumer: Record<string, unknown> };
  const built = (s: ReturnType<typeof scenario>) => new TracedRun(s) as unknown as Tamperable;

  it('the first line of defence: a negative cost is refused when the samplers are built', () => {
    expect(() => new TracedRun(scenario({ datapath: { service: ns(-100), rxQueue: 10 } }))).toThrow(/invalid distribution/);
  });

  it('no negative durations: a service cost below zero stops the run with the CPU and time', () => {
    const run = built(scenario({ datapath: { service: exp(1000), rxQueue: 10 } }));
    run.service = broken(-100);
    const e = caught(() => run.run(), 'no negative durations');
    expect(e.details).toMatchObject({ cpu: 0, duration: -100 });
  });

  it('no negative (or NaN) durations on the consumer side, nor NaN on a CPU', () => {
    const run = built(lossy());
    run.consumer.poll = broken(-1);
    caught(() => run.run(), 'no negative durations');
    const nan = built(scenario({ datapath: { service: exp(1000), rxQueue: 10 } }));
    nan.service = broken(Number.NaN);
    caught(() => nan.run(), 'no negative durations');
  });

  it('clock monotone: an event scheduled in the past is caught when it pops', () => {
    // A negative wake-up latency schedules the consumer before "now".
    const run = built(lossy());
    run.consumer.wakeLatency = broken(-5000);
    const e = caught(() => run.run(), 'clock monotone');
    expect(e.details.eventTime).toBeLessThan(e.details.now);
  });

  it('clock monotone: arrivals out of order are caught', () => {
    const s = scenario({
      traffic: { arrival: 'trace', rate: 1000, duration: 1e6, warmup: 0, rss: 'random', times: [0, 5000, 3000, 9000] },
    });
    const e = caught(() => new TracedRun(s).run(), 'clock monotone');
    expect(e.details).toMatchObject({ now: 5000, eventTime: 3000 });
  });
});

describe('warm-up re-bases levels at their current value', () => {
  // One packet per us, each submits a 72 B ringbuf record; the consumer only polls, every 1 ms,
  // and drains at once (zero costs). The ring is a sawtooth: 72 B x (packets since the last poll).
  // Warm-up ends mid-cycle at 2.5 ms with 500 records (36000 B) in the ring.
  const sawtooth = () =>
    scenario({
      traffic: { arrival: 'constant', rate: 1e6, duration: 10e6, warmup: 2.5e6, rss: 'random' },
      datapath: { service: ns(200), rxQueue: 16 },
      probes: [probe([submitStep(64, { cost: ns(0) })], { entry: ns(0), exit: ns(0) })],
      // A poll timeout wakes the reader through the same path as a wake-up: no latency here.
      output: ringbufOutput({ size: 1 << 20, notify: 'none', lock: { hold: ns(0), handoff: ns(0) }, wakeup: { producer: ns(0), producerNoWaiter: ns(0), latency: ns(0) } }),
      consumer: consumer({ reader: 'ringbuf', pollTimeout: 1e6, pollCost: ns(0), wakeCost: ns(0) }, 0),
    });

  it('the time-weighted mean after warm-up is the exact sawtooth average, the max the exact peak', () => {
    const run = new TracedRun(sawtooth());
    run.run();
    // Within a cycle the ring holds 72 (floor(u / 1 us) + 1) bytes at u in [0, 1 ms): mean 72 x 500.5.
    // The window is half a cycle from u = 0.5 ms (mean 72 x 750.5) then 7 whole cycles.
    const expected = (72 * (0.5 * 750.5 + 7 * 500.5)) / 7.5;
    expect(run.ringLevels[0].mean(10e6)).toBeCloseTo(expected, 6);
    expect(run.backlog.mean(10e6)).toBeCloseTo(expected / 72, 9);
    expect(run.ringLevels[0].max).toBe(72 * 1000);
    expect(run.counters.lostTotal).toBe(0);
  });

  it('resetting the level to zero at warm-up instead (the INET #549 bug) is caught: the level goes negative', () => {
    hooks.buggyWarmupReset = true;
    expect(() => new TracedRun(sawtooth()).run()).toThrow(/level must be finite and >= 0, got -/);
  });
});
