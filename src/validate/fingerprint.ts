/**
 * Event-trace fingerprints (as OMNeT++'s fingerprint tests do): a hash of the time, kind and CPU
 * of the first events a seeded traced run processes. Any change of behaviour, however small
 * (an extra random draw, a reordered tie, a cost off by one ulp), changes the hash; a pure
 * refactoring does not. The pinned values live in test/fingerprint.test.ts.
 */
import type { Scenario } from '../model/scenario.js';
import { TracedRun } from '../datapath/traced.js';
import { constant, consumer, exponential, perfOutput, probe, queueScenario, ringbufOutput, submit } from './scenarios.js';

/** Hash checkpoints: after this many events (a late divergence still shows in the last one). */
export const FINGERPRINT_CHECKPOINTS = [1_000, 20_000] as const;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Fixed little-endian encoding, so the hash is the same on any host.
const scratch = new DataView(new ArrayBuffer(16));

/** FNV-1a (32-bit) over the first `bytes` of the scratch buffer, continuing from h. */
function fnv1a(h: number, bytes: number): number {
  for (let i = 0; i < bytes; i++) h = Math.imul(h ^ scratch.getUint8(i), FNV_PRIME);
  return h >>> 0;
}

export interface Fingerprint {
  /** Hex hash at each checkpoint (of FINGERPRINT_CHECKPOINTS) the run reached. */
  hashes: string[];
  /** Events the whole run processed (arrivals included). */
  events: number;
}

/** Runs the scenario and fingerprints its event trace. */
export function fingerprint(s: Scenario): Fingerprint {
  let h = FNV_OFFSET;
  let n = 0;
  const hashes: string[] = [];
  const last = FINGERPRINT_CHECKPOINTS[FINGERPRINT_CHECKPOINTS.length - 1];
  const run = new TracedRun(s, {
    trace: (t, kind, cpu) => {
      if (n < last) {
        scratch.setFloat64(0, t, true);
        scratch.setInt32(8, kind, true);
        scratch.setInt32(12, cpu, true);
        h = fnv1a(h, 16);
      }
      n++;
      if ((FINGERPRINT_CHECKPOINTS as readonly number[]).includes(n)) hashes.push(h.toString(16).padStart(8, '0'));
    },
  });
  run.run();
  return { hashes, events: n };
}

/**
 * The fingerprinted runs: together they reach every part of the traced run (drops and losses,
 * LOST records, the ringbuf lock and adaptive wake-ups, blocking, batching, sampling, filters,
 * a shared consumer, poll timeouts, bursty and saturate traffic).
 */
export function fingerprintScenarios(): { id: string; scenario: Scenario }[] {
  const lognormal = { kind: 'lognormal', mean: 800, cv: 0.3 } as const;
  return [
    {
      id: 'perf-lossy-4cpu',
      scenario: queueScenario({
        seed: 11,
        cpus: 4,
        service: lognormal,
        rxQueue: 64,
        traffic: { arrival: 'poisson', rate: 2_000_000, duration: 8e6, warmup: 5e5 },
        probes: [
          probe([
            { kind: 'op', name: 'lookup', cost: { kind: 'uniform', min: 30, max: 60 }, count: 1 },
            { kind: 'filter', pass: 0.7 },
            submit(128, constant(80)),
          ]),
        ],
        output: perfOutput({ pageCnt: 2, wakeup: { producer: constant(700), producerNoWaiter: constant(60), latency: exponential(3000) } }),
        consumer: consumer(exponential(3000), { runtime: 'bcc-python', reader: 'perf-per-record', wakeCost: constant(1500), pollCost: constant(400), lostCost: constant(900) }),
      }),
    },
    {
      id: 'ringbuf-lock-8cpu',
      scenario: queueScenario({
        seed: 12,
        cpus: 8,
        service: exponential(2000),
        traffic: { arrival: 'bursty', rate: 2_000_000, duration: 5e6, warmup: 2e5, burst: { onRate: 6e6, offRate: 5e5, onMean: 5e4, offMean: 1.5e5 } },
        probes: [probe([submit(64, constant(40))])],
        output: ringbufOutput({
          size: 64 * 1024,
          wakeup: { producer: constant(500), producerNoWaiter: constant(40), latency: exponential(2000) },
          lock: { hold: constant(25), handoff: exponential(80) },
        }),
        consumer: consumer({ kind: 'gamma', mean: 400, cv: 0.5 }, { reader: 'ringbuf', wakeCost: constant(800), pollCost: constant(300), pollTimeout: 1e5 }),
      }),
    },
    {
      id: 'saturate-shared-batch',
      scenario: queueScenario({
        seed: 13,
        cpus: 2,
        service: constant(600),
        traffic: { arrival: 'saturate', rate: 0, duration: 2e7, warmup: 1e5 },
        probes: [
          probe([
            { kind: 'submit', bytes: 32, sample: 4, batch: 8, flushTimeout: 5e4, cost: constant(60), batchAddCost: constant(15) },
          ]),
        ],
        output: perfOutput({ pageCnt: 4, wakeupEvents: 16, wakeup: { producer: constant(900), producerNoWaiter: constant(50), latency: constant(1500) } }),
        consumer: consumer(exponential(200), { reader: 'perf-batch', cpu: 'shared', wakeCost: constant(700), pollCost: constant(250), pollTimeout: 2e5 }),
        // A closed-loop sender is a task: the shared reader takes turns with it.
        context: 'task',
      }),
    },
    {
      id: 'perf-block',
      scenario: queueScenario({
        seed: 14,
        cpus: 2,
        service: { kind: 'gamma', mean: 1500, cv: 1.5 },
        rxQueue: 256,
        traffic: { arrival: 'poisson', rate: 800_000, duration: 15e6, warmup: 4e5 },
        probes: [probe([submit(200, constant(100))])],
        output: perfOutput({ pageCnt: 1, onFull: 'block', wakeup: { producer: constant(600), producerNoWaiter: constant(60), latency: constant(2500) } }),
        consumer: consumer(exponential(2500), { wakeCost: constant(1000), pollCost: constant(300) }),
      }),
    },
  ];
}
