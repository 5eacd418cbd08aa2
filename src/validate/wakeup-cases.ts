/**
 * The wake-up path against the shape of the kernel's ring-buffer benchmark (reference §3.1,
 * RB-bench-2020 sample-rate sweep; §3.3): a notification every N records costs c_notify once per
 * N records, so the time per record is t(N) = c_rec + c_notify / N and throughput 1/t(N) rises
 * with N and saturates at 1/c_rec. Two cases, both deterministic (constant costs, saturate
 * traffic, a perf buffer with wakeupEvents = N, so one run per N and no replications):
 *
 *  - producer side: a dedicated consumer, the producer pays c_notify per wake-up. The fitted
 *    c_notify and c_rec must equal the configured ones, and the rate must rise at every step.
 *  - back-to-back on one CPU, the benchmark's own setting: the consumer shares CPU 0 with the
 *    producer, so each record costs producer + consumer work and each wake-up the producer's
 *    share plus the consumer's wake and poll. Configured with the costs the reference derives
 *    from the Xeon pb-custom sweep (§3.3), the simulated rates are set beside the measured ones.
 *
 * The ringbuf sweep of the benchmark uses forced/suppressed notifications by available data,
 * which the model's ringbuf (adaptive | force | none) does not express, so only perf is checked.
 */
import type { Scenario } from '../model/scenario.js';
import { TracedRun } from '../datapath/traced.js';
import { deterministicRow, type Profile, type ValidationCase, type ValidationRow } from './case.js';
import { constant, consumer, perfOutput, probe, queueScenario, ringbufOutput, submit } from './scenarios.js';
import { ringbufRecordBytes } from '../records/sizes.js';
import { fitLine, wakeupLaw } from './queueing.js';

/** RB-bench-2020, Xeon E5-2680 v4, back-to-back sample-rate sweep, pb-custom (M records/s). */
export const PB_CUSTOM_SWEEP: ReadonlyArray<{ n: number; mPerSec: number }> = [
  { n: 1, mPerSec: 1.035 },
  { n: 5, mPerSec: 3.476 },
  { n: 10, mPerSec: 5.094 },
  { n: 25, mPerSec: 7.118 },
  { n: 50, mPerSec: 8.169 },
  { n: 100, mPerSec: 8.887 },
  { n: 250, mPerSec: 9.18 },
  { n: 500, mPerSec: 9.353 },
  { n: 1000, mPerSec: 9.411 },
  { n: 2000, mPerSec: 9.464 },
  { n: 3000, mPerSec: 9.575 },
];

/** The same benchmark and machine, rb-custom: ringbuf notified once N records' worth of data waits. */
export const RB_CUSTOM_SWEEP: ReadonlyArray<{ n: number; mPerSec: number }> = [
  { n: 1, mPerSec: 1.106 },
  { n: 5, mPerSec: 4.746 },
  { n: 10, mPerSec: 7.706 },
  { n: 25, mPerSec: 12.893 },
  { n: 50, mPerSec: 15.961 },
  { n: 100, mPerSec: 18.203 },
  { n: 250, mPerSec: 19.962 },
  { n: 500, mPerSec: 20.881 },
  { n: 1000, mPerSec: 21.317 },
  { n: 2000, mPerSec: 21.331 },
  { n: 3000, mPerSec: 21.688 },
];

/** Reference §3.3 for that machine: c_rec = 1 / 9.575 M/s; c_notify = 966 ns at N=1 less c_rec. */
export const XEON_C_REC = 1e3 / 9.575;
export const XEON_C_NOTIFY = 1e3 / 1.035 - XEON_C_REC;

const PAYLOAD = 8; // bytes, as in the benchmark (24 B perf records)
const PAGE_CNT = 128; // 512 KiB per CPU, as in the benchmark
const WARMUP = 1e6; // ns
/**
 * Simulated window per point: a whole number of wake-up cycles (N records each) of at least
 * 10 ms. If the simulation follows the law, it is periodic with period N t(N), so such a window
 * holds exactly k N records, give or take the one cut at the boundary.
 */
function windowFor(n: number, tPerRecord: number): number {
  const period = n * tPerRecord;
  return period * Math.ceil(10e6 / period);
}

interface SweepSpec {
  n: number;
  /** perf: wakeup_events = N; ringbuf: a wake-up forced once N records' bytes wait (the benchmark's sampling). */
  buffer?: 'perf' | 'ringbuf';
  /** Producer's own time per record (the whole service of one packet but the wake-up). */
  producerRec: number;
  /** Producer's share of one wake-up. */
  producerWake: number;
  shared: boolean;
  consumerRec: number;
  consumerWake: number;
  consumerPoll: number;
  window: number;
}

function sweepScenario(p: SweepSpec): Scenario {
  const wake = constant(p.producerWake);
  const wakeup = { producer: wake, producerNoWaiter: wake, latency: constant(0) };
  const rb = p.buffer === 'ringbuf';
  return queueScenario({
    seed: 1,
    // The benchmark's producer is a syscall loop: a task, which the woken reader pre-empts.
    context: 'task',
    service: constant(p.producerRec),
    traffic: { arrival: 'saturate', rate: 0, duration: WARMUP + p.window, warmup: WARMUP },
    probes: [probe([submit(PAYLOAD)])],
    output: rb
      ? ringbufOutput({ size: PAGE_CNT * 4096, notify: 'data', wakeupBytes: p.n * ringbufRecordBytes(PAYLOAD), wakeup })
      : perfOutput({ pageCnt: PAGE_CNT, wakeupEvents: p.n, wakeup }),
    consumer: consumer(constant(p.consumerRec), {
      reader: rb ? 'ringbuf' : 'perf-per-record',
      cpu: p.shared ? 'shared' : 'dedicated',
      wakeCost: constant(p.consumerWake),
      pollCost: constant(p.consumerPoll),
    }),
  });
}

/**
 * Simulated time per record at one point, and the bound on its error: the window holds whole
 * cycles, so the record count is off only by a record at either end that rounding puts on the
 * other side of the boundary: at most two, so t is off by at most 2 t^2 / (window - 2 t).
 */
function measurePoint(p: SweepSpec): { t: number; bound: number; lost: number } {
  const s = sweepScenario(p);
  const run = new TracedRun(s);
  run.run();
  const t = p.window / run.counters.delivered;
  return { t, bound: (2 * t * t) / (p.window - 2 * t), lost: run.counters.lostTotal };
}

const PRODUCER_SIDE = { cRec: XEON_C_REC, cNotify: XEON_C_NOTIFY };
const PRODUCER_NS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 3000];

/** Splits of c_rec and c_notify between producer and consumer for the back-to-back case. */
const B2B = {
  producerRec: 60,
  consumerRec: XEON_C_REC - 60,
  producerWake: 400,
  consumerWake: 362,
  consumerPoll: XEON_C_NOTIFY - 400 - 362,
};

function sweepRows(
  c: Pick<ValidationCase, 'id' | 'title'>,
  ns: number[],
  spec: (n: number, window: number) => SweepSpec,
  cRec: number,
  cNotify: number,
): { rows: ValidationRow[]; points: { n: number; t: number; bound: number }[] } {
  const points = ns.map((n) => {
    const window = windowFor(n, wakeupLaw(cRec, cNotify, n));
    const m = measurePoint(spec(n, window));
    if (m.lost > 0) throw new Error(`validation case invalid: ${c.id} lost ${m.lost} events at N=${n}`);
    return { n, ...m };
  });
  const fit = fitLine(
    points.map((p) => 1 / p.n),
    points.map((p) => p.t),
  );
  // a and b are linear in the t's: their error is at most sum |weight| x bound.
  const boundA = fit.wa.reduce((s, w, i) => s + Math.abs(w) * points[i].bound, 0);
  const boundB = fit.wb.reduce((s, w, i) => s + Math.abs(w) * points[i].bound, 0);
  let rises = 0;
  for (let i = 1; i < points.length; i++) if (1 / points[i].t > 1 / points[i - 1].t) rises++;
  const edge = 'bound from the window edges (whole cycles in the window, a record cut at each end)';
  const rows = [
    deterministicRow(c, { quantity: 'fitted c_notify', unit: 'ns' }, cNotify, fit.b, boundB, `least squares of t(N) = c_rec + c_notify/N over N = ${ns[0]}..${ns[ns.length - 1]}; within the ${edge}`),
    deterministicRow(c, { quantity: 'fitted c_rec', unit: 'ns' }, cRec, fit.a, boundA, `as above`),
    deterministicRow(c, { quantity: `steps where throughput rises (of ${points.length - 1})`, unit: 'integer' }, points.length - 1, rises, 0, 'every larger N is faster'),
  ];
  return { rows, points };
}

export function producerSweepCase(): ValidationCase {
  const c = { id: 'wakeup-producer', title: 'perf wake-up every N records, producer side (dedicated consumer)' };
  const { cRec, cNotify } = PRODUCER_SIDE;
  return {
    ...c,
    packets: () => PRODUCER_NS.reduce((s, n) => s + windowFor(n, wakeupLaw(cRec, cNotify, n)) / wakeupLaw(cRec, cNotify, n), 0),
    run(_profile: Profile) {
      const spec = (n: number, window: number): SweepSpec => ({
        n,
        producerRec: cRec,
        producerWake: cNotify,
        shared: false,
        // A fast consumer that keeps up at every N (so no event is lost).
        consumerRec: 20,
        consumerWake: 100,
        consumerPoll: 50,
        window,
      });
      const { rows, points } = sweepRows(c, PRODUCER_NS, spec, cRec, cNotify);
      const perN = points
        .filter((p) => [1, 10, 100, 3000].includes(p.n))
        .map((p) =>
          deterministicRow(
            c,
            { quantity: `records/s at N=${p.n}`, unit: 'per-second' },
            1e9 / wakeupLaw(cRec, cNotify, p.n),
            1e9 / p.t,
            (1e9 / (p.t - p.bound)) - 1e9 / p.t,
            `1/(c_rec + c_notify/N), within the window-edge bound (a record at each end)`,
          ),
        );
      return [...perN, ...rows];
    },
  };
}

interface BenchSweep {
  id: string;
  title: string;
  buffer: 'perf' | 'ringbuf';
  points: ReadonlyArray<{ n: number; mPerSec: number }>;
}

/**
 * A back-to-back sweep against the benchmark: c_rec from its largest N, c_notify from N = 1
 * (the law t(N) = c_rec + c_notify/N), split between producer and consumer as B2B does (in back-to-back only the
 * sums matter), and every point held to three times the benchmark's scatter about its own curve.
 */
function benchSweepCase(b: BenchSweep): ValidationCase {
  const c = { id: b.id, title: b.title };
  const ns = b.points.map((p) => p.n);
  const last = b.points[b.points.length - 1];
  const cRec = 1e3 / last.mPerSec;
  const cNotify = 1e3 / b.points[0].mPerSec - cRec;
  // ringbuf: c_rec (46 ns) split evenly; the wake-up as for perf, the poll taking the rest
  const split = b.buffer === 'perf'
    ? B2B
    : { producerRec: cRec / 2, consumerRec: cRec / 2, producerWake: 400, consumerWake: 362, consumerPoll: cNotify - 400 - 362 };
  return {
    ...c,
    packets: () => ns.reduce((s, n) => s + windowFor(n, wakeupLaw(cRec, cNotify, n)) / wakeupLaw(cRec, cNotify, n), 0),
    run(_profile: Profile) {
      const spec = (n: number, window: number): SweepSpec => ({ n, buffer: b.buffer, shared: true, window, ...split });
      const { rows, points } = sweepRows(c, ns, spec, cRec, cNotify);
      const scatter = benchScatter(b.points);
      const vsBench = points.map((p, i) => {
        const bench = b.points[i].mPerSec * 1e6;
        return deterministicRow(
          c,
          { quantity: `records/s at N=${p.n} vs bench`, unit: 'per-second' },
          bench,
          1e9 / p.t,
          3 * scatter * bench,
          `within 3x the benchmark's rms scatter (${(scatter * 100).toFixed(1)}%) about its own best t(N) = a + b/N curve`,
        );
      });
      return [...rows, ...vsBench];
    },
  };
}

export function backToBackCase(): ValidationCase {
  return benchSweepCase({
    id: 'wakeup-b2b',
    title: 'perf wake-up sweep back-to-back on one CPU vs RB-bench-2020 pb-custom (Xeon)',
    buffer: 'perf',
    points: PB_CUSTOM_SWEEP,
  });
}

export function ringbufBackToBackCase(): ValidationCase {
  return benchSweepCase({
    id: 'wakeup-b2b-ringbuf',
    title: 'ringbuf sampled notification sweep back-to-back on one CPU vs bench_ringbufs rb-custom (Xeon)',
    buffer: 'ringbuf',
    points: RB_CUSTOM_SWEEP,
  });
}

/**
 * The benchmark's relative rms scatter about the least-squares curve of the same shape: how far
 * its points sit from any smooth t(N) = a + b/N, i.e. its noise at this shape. The simulation is
 * held to three times that.
 */
export function benchScatter(points: ReadonlyArray<{ n: number; mPerSec: number }> = PB_CUSTOM_SWEEP): number {
  const x = points.map((p) => 1 / p.n);
  const t = points.map((p) => 1e3 / p.mPerSec);
  const fit = fitLine(x, t);
  const sq = t.reduce((s, ti, i) => s + ((fit.a + fit.b * x[i] - ti) / ti) ** 2, 0);
  return Math.sqrt(sq / (t.length - 2));
}

export function wakeupCases(): ValidationCase[] {
  return [producerSweepCase(), backToBackCase(), ringbufBackToBackCase()];
}
