/**
 * Little's law for the output rings: the time-weighted ring occupancy (bytes, from the level
 * bookkeeping at each reserve and release) against the byte throughput times the mean residence
 * of a record (from each record's own submit and consume times), both from the same run; the
 * same for the consumer backlog in records. Readers that free space per record (ringbuf, BCC's
 * perf reader) hold a record's bytes exactly from its submit to its consumption, so the law
 * applies to bytes with the event delay as the residence. Random arrivals, consumer costs and
 * wake-up latencies keep the occupancy moving; the ring is large enough never to drop.
 */
import type { Scenario } from '../model/scenario.js';
import type { TracedRun } from '../datapath/traced.js';
import { perfRecordBytes, ringbufRecordBytes } from '../records/sizes.js';
import { replicatedCase, type Measure, type ValidationCase } from './case.js';
import { constant, consumer, exponential, perfOutput, probe, queueScenario, ringbufOutput, submit } from './scenarios.js';

const PAYLOAD = 64;
const WARMUP = 2e6; // ns: the rings are never empty for long, so the window starts mid-flight

const windowNs = (s: Scenario) => s.traffic.duration - s.traffic.warmup;

function littleMeasures(recordBytes: number): Measure[] {
  return [
    {
      quantity: 'Little: ring bytes vs bytes/s × residence',
      unit: 'bytes',
      expected: (run, s) => (run.eventDelay.sum * recordBytes) / windowNs(s),
      measure: (run, s) => run.ringLevels.reduce((sum, lv) => sum + lv.mean(s.traffic.duration), 0),
    },
    {
      quantity: 'Little: backlog vs records/s × residence',
      unit: 'count',
      expected: (run, s) => run.eventDelay.sum / windowNs(s),
      measure: (run, s) => run.backlog.mean(s.traffic.duration),
    },
  ];
}

/** A lossy run would mix LOST records and dropped events into the occupancy: not this case. */
function lossless(run: TracedRun): void {
  if (run.counters.lostTotal > 0) throw new Error(`validation case invalid: ${run.counters.lostTotal} events lost`);
}

const SIZES = { quick: { replications: 10, packets: 200_000 }, full: { replications: 20, packets: 500_000 } };

/** One Little's-law case: 2 CPUs, Poisson packets each submitting one PAYLOAD event into `output`. */
function littleCase(c: {
  id: string;
  title: string;
  rate: number;
  output: NonNullable<Parameters<typeof queueScenario>[0]['output']>;
  consumer: NonNullable<Parameters<typeof queueScenario>[0]['consumer']>;
  recordBytes: number;
}): ValidationCase {
  return replicatedCase({
    id: c.id,
    title: c.title,
    sizes: SIZES,
    build: (seed, packets) =>
      queueScenario({
        seed,
        cpus: 2,
        service: exponential(1000),
        traffic: { arrival: 'poisson', rate: c.rate, duration: WARMUP + (packets / c.rate) * 1e9, warmup: WARMUP },
        probes: [probe([submit(PAYLOAD, constant(50))])],
        output: c.output,
        consumer: c.consumer,
      }),
    measures: littleMeasures(c.recordBytes),
    checkSample: lossless,
  });
}

export function ringbufLittleCase(): ValidationCase {
  return littleCase({
    id: 'little-ringbuf',
    title: "Little's law, ringbuf (2 CPUs, adaptive wake-ups)",
    rate: 400_000,
    output: ringbufOutput({
      size: 1 << 20,
      wakeup: { producer: constant(300), producerNoWaiter: constant(50), latency: exponential(3000) },
      lock: { hold: constant(20), handoff: constant(50) },
    }),
    consumer: consumer(exponential(1200), { reader: 'ringbuf', pollCost: constant(300), wakeCost: constant(1000) }),
    recordBytes: ringbufRecordBytes(PAYLOAD),
  });
}

export function perfLittleCase(): ValidationCase {
  return littleCase({
    id: 'little-perf',
    title: "Little's law, perf buffer (2 CPUs, BCC reader, wake-up every 4)",
    rate: 300_000,
    output: perfOutput({
      pageCnt: 64,
      wakeupEvents: 4,
      wakeup: { producer: constant(300), producerNoWaiter: constant(50), latency: exponential(2000) },
    }),
    consumer: consumer(exponential(1500), {
      reader: 'perf-per-record',
      pollTimeout: 1e6,
      pollCost: constant(300),
      wakeCost: constant(1000),
    }),
    recordBytes: perfRecordBytes(PAYLOAD),
  });
}

export function ringCases(): ValidationCase[] {
  return [ringbufLittleCase(), perfLittleCase()];
}
