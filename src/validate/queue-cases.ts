/**
 * The data path with no probes is one FIFO server per CPU with a receive queue: the validation
 * cases that compare it with queueing theory (M/M/1, M/D/1, M/G/1 by Pollaczek-Khinchine,
 * M/M/1/K and M/D/1/K loss, several CPUs under RSS, bursty MMPP arrivals, Little's law).
 * Service times have mean 1 us throughout, so a rate of rho M packets/s per CPU is load rho.
 */
import type { Dist } from '../distributions/types.js';
import type { Scenario } from '../model/scenario.js';
import type { TracedRun } from '../datapath/traced.js';
import { LogLinearHistogram } from '../metrics/histogram.js';
import { replicatedCase, type Measure, type Size, type ValidationCase } from './case.js';
import { constant, exponential, queueScenario, UNBOUNDED_RX_QUEUE } from './scenarios.js';
import { md1kBlocking, mm1, mm1kBlocking, mm1kInSystem, mmppMeanRate, pkSojourn } from './queueing.js';

const MEAN_SERVICE = 1000; // ns
const MU = 1 / MEAN_SERVICE; // per ns

/** The measured window after warm-up, ns. */
const windowNs = (s: Scenario) => s.traffic.duration - s.traffic.warmup;

// ---- what a run is asked -----------------------------------------------------------------

const sojournMean = (expected: number): Measure => ({
  quantity: 'mean sojourn W',
  unit: 'ns',
  expected,
  measure: (run) => run.latency.mean,
});

const sojournP99 = (expected: number): Measure => ({
  quantity: 'p99 sojourn',
  unit: 'ns',
  expected,
  measure: (run) => run.latency.quantile(0.99),
  resolution: {
    rel: HISTOGRAM_RESOLUTION,
    why: `the histogram bucket half-width (${(HISTOGRAM_RESOLUTION * 100).toFixed(2)}%)`,
  },
});

const pWait = (expected: number): Measure => ({
  quantity: 'P(wait)',
  unit: 'fraction',
  expected,
  measure: (run) => run.counters.queued / run.counters.arrivals,
});

const inSystem = (expected: number): Measure => ({
  quantity: 'mean in system L',
  unit: 'count',
  expected,
  measure: (run, s) => run.inSystem.mean(s.traffic.duration),
});

/**
 * Little's law for the packet queues: the time-weighted number in the system over the window
 * against throughput x mean sojourn of the packets that arrived and left inside it, both from
 * the same run. lambda W = (completed / window) x (sum of their sojourns / completed) = sum of
 * sojourns / window. The number in the system is kept as the sum of each packet's stay clipped
 * to the window (departures are not events), so the two sides differ only by the packets
 * present at the window's edges: the row checks that every stay is counted once, the L row
 * beside it checks the level against theory.
 */
const littleQueue: Measure = {
  quantity: "Little: L vs λ·W",
  unit: 'count',
  expected: (run, s) => run.latency.sum / windowNs(s),
  measure: (run, s) => run.inSystem.mean(s.traffic.duration),
};

const blocking = (expected: number): Measure => ({
  quantity: 'P(block) = drop fraction',
  unit: 'fraction',
  expected,
  measure: (run) => run.counters.rxDrops / run.counters.arrivals,
});

const arrivalRate = (expectedPerSecond: number): Measure => ({
  quantity: 'arrival rate',
  unit: 'per-second',
  expected: expectedPerSecond,
  measure: (run, s) => (run.counters.arrivals / windowNs(s)) * 1e9,
});

/** A latency histogram's bucket midpoint is within 2^-(subBucketBits + 1) of any value in it. */
const HISTOGRAM_RESOLUTION = 2 ** -(new LogLinearHistogram().subBucketBits + 1);

/** An "unbounded" queue must not have dropped, or the run is not a sample of the infinite queue. */
function noDrops(run: TracedRun): void {
  if (run.counters.droppedTotal > 0) {
    throw new Error(`validation case invalid: ${run.counters.droppedTotal} drops from a receive queue of ${UNBOUNDED_RX_QUEUE}`);
  }
}

/**
 * Warm-up: 20 relaxation times of the M/G/1 queue, E[S](1 + cs^2)/2 / (1 - sqrt(rho))^2 (the
 * heavy-traffic time scale; Whitt), so that the empty start leaves no visible bias.
 */
function warmupFor(rho: number, cv: number): number {
  return (20 * MEAN_SERVICE * (1 + cv * cv)) / 2 / (1 - Math.sqrt(rho)) ** 2;
}

/** 10 replications of `quickPackets` each (quick); 20 of 2.5 times as many (full). */
function sizes(quickPackets: number): Record<'quick' | 'full', Size> {
  return { quick: { replications: 10, packets: quickPackets }, full: { replications: 20, packets: 2.5 * quickPackets } };
}

// ---- the cases ---------------------------------------------------------------------------

interface Mg1 {
  id: string;
  title: string;
  service: Dist;
  cv: number;
  rho: number;
  cpus?: number;
  sizes: Record<'quick' | 'full', Size>;
  measures: Measure[];
}

function mg1Case(c: Mg1): ValidationCase {
  const cpus = c.cpus ?? 1;
  const rate = c.rho * MU * 1e9 * cpus; // packets/s over all CPUs
  const warmup = warmupFor(c.rho, c.cv);
  return replicatedCase({
    id: c.id,
    title: c.title,
    sizes: c.sizes,
    build: (seed, packets) =>
      queueScenario({
        seed,
        cpus,
        service: c.service,
        traffic: { arrival: 'poisson', rate, duration: warmup + (packets / rate) * 1e9, warmup },
      }),
    measures: c.measures,
    checkSample: noDrops,
  });
}

function mm1Case(rho: number, s: Record<'quick' | 'full', Size>): ValidationCase {
  const q = mm1(rho * MU, MU);
  return mg1Case({
    id: `mm1-${rho}`,
    title: `M/M/1, rho ${rho}`,
    service: exponential(MEAN_SERVICE),
    cv: 1,
    rho,
    sizes: s,
    measures: [sojournMean(q.sojourn), sojournP99(q.sojournQuantile(0.99)), pWait(q.pWait), inSystem(q.inSystem), littleQueue],
  });
}

function pkCase(id: string, title: string, service: Dist, cv: number, rho: number, s: Record<'quick' | 'full', Size>): ValidationCase {
  return mg1Case({
    id,
    title,
    service,
    cv,
    rho,
    sizes: s,
    measures: [sojournMean(pkSojourn(rho * MU, MEAN_SERVICE, cv)), pWait(rho)],
  });
}

/** M/G/1/K: receive queue K - 1 (the packet in service has left the ring). */
function lossCase(kind: 'M' | 'D', rho: number, K: number, s: Record<'quick' | 'full', Size>): ValidationCase {
  const rate = rho * MU * 1e9;
  const warmup = 200 * K * MEAN_SERVICE;
  const measures = kind === 'M' ? [blocking(mm1kBlocking(rho, K)), inSystem(mm1kInSystem(rho, K)), littleQueue] : [blocking(md1kBlocking(rho, K))];
  return replicatedCase({
    id: `m${kind.toLowerCase()}1k-${rho}-${K}`,
    title: `M/${kind}/1/K, rho ${rho}, K ${K}`,
    sizes: s,
    build: (seed, packets) =>
      queueScenario({
        seed,
        service: kind === 'M' ? exponential(MEAN_SERVICE) : constant(MEAN_SERVICE),
        rxQueue: K - 1,
        traffic: { arrival: 'poisson', rate, duration: warmup + (packets / rate) * 1e9, warmup },
      }),
    measures,
  });
}

/** Two-state MMPP: bursts above capacity, quiet spells well below; mean load 0.45. */
function burstyCase(s: Record<'quick' | 'full', Size>): ValidationCase {
  const burst = { onRate: 1.5e6, offRate: 0.1e6, onMean: 50_000, offMean: 150_000 };
  const rate = mmppMeanRate(burst);
  const warmup = 50 * (burst.onMean + burst.offMean);
  return replicatedCase({
    id: 'mmpp',
    title: 'bursty on/off (MMPP-2) into M/1',
    sizes: s,
    build: (seed, packets) =>
      queueScenario({
        seed,
        service: exponential(MEAN_SERVICE),
        traffic: { arrival: 'bursty', rate, burst, duration: warmup + (packets / rate) * 1e9, warmup },
      }),
    measures: [arrivalRate(rate), littleQueue],
    checkSample: noDrops,
  });
}

export function queueCases(): ValidationCase[] {
  const mm1Total = mm1(0.8 * MU, MU);
  return [
    mm1Case(0.5, sizes(200_000)),
    mm1Case(0.8, sizes(500_000)),
    mm1Case(0.95, sizes(1_000_000)),
    pkCase('md1-0.9', 'M/D/1, rho 0.9', constant(MEAN_SERVICE), 0, 0.9, sizes(500_000)),
    pkCase('md1-0.95', 'M/D/1, rho 0.95', constant(MEAN_SERVICE), 0, 0.95, sizes(1_000_000)),
    pkCase('mg1-lognormal-0.5', 'M/G/1 lognormal cv 0.5, rho 0.8', { kind: 'lognormal', mean: MEAN_SERVICE, cv: 0.5 }, 0.5, 0.8, sizes(500_000)),
    pkCase('mg1-lognormal-1.5', 'M/G/1 lognormal cv 1.5, rho 0.7', { kind: 'lognormal', mean: MEAN_SERVICE, cv: 1.5 }, 1.5, 0.7, sizes(500_000)),
    pkCase('mg1-gamma-0.5', 'M/G/1 gamma cv 0.5, rho 0.9', { kind: 'gamma', mean: MEAN_SERVICE, cv: 0.5 }, 0.5, 0.9, sizes(500_000)),
    pkCase('mg1-gamma-2', 'M/G/1 gamma cv 2, rho 0.6', { kind: 'gamma', mean: MEAN_SERVICE, cv: 2 }, 2, 0.6, sizes(500_000)),
    lossCase('M', 0.9, 10, sizes(200_000)),
    lossCase('M', 1.2, 10, sizes(200_000)),
    lossCase('D', 0.9, 10, sizes(200_000)),
    lossCase('D', 1.2, 20, sizes(200_000)),
    mg1Case({
      id: 'rss-4cpu',
      title: '4 CPUs, random RSS: M/M/1 at lambda/4 each',
      service: exponential(MEAN_SERVICE),
      cv: 1,
      rho: 0.8,
      cpus: 4,
      sizes: sizes(800_000),
      measures: [sojournMean(mm1Total.sojourn), pWait(mm1Total.pWait), inSystem(4 * mm1Total.inSystem), littleQueue],
    }),
    burstyCase(sizes(300_000)),
  ];
}
