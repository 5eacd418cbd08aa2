/**
 * Hand-built Scenarios for tests of the simulation core, independent of the model loader and
 * the catalog: every cost is stated here, so a test's expectation follows from its own numbers.
 */
import type { Dist } from '../../src/distributions/types.js';
import type { Consumer, Output, Probe, Scenario, Step } from '../../src/model/scenario.js';
import { perfOutput as basePerfOutput, ringbufOutput as baseRingbufOutput } from '../../src/validate/scenarios.js';

export const ns = (value: number): Dist => ({ kind: 'const', value });
export const zero = ns(0);
export const exp = (mean: number): Dist => ({ kind: 'exponential', mean });

/** The validation builders' outputs, with the non-zero costs these tests assume. */
const testCosts = {
  failedCost: ns(20),
  wakeup: { producer: ns(400), producerNoWaiter: ns(100), latency: ns(2000) },
};

export function perfOutput(over: Partial<Extract<Output, { type: 'perf_buffer' }>> = {}): Output {
  return basePerfOutput({ ...testCosts, ...over });
}

export function ringbufOutput(over: Partial<Extract<Output, { type: 'ringbuf' }>> = {}): Output {
  return baseRingbufOutput({ ...testCosts, size: 256 * 1024, lock: { hold: ns(20), handoff: ns(100) }, ...over });
}

export function consumer(over: Partial<Consumer> = {}, perEventNs = 2000): Consumer {
  return {
    runtime: 'bcc-python',
    reader: 'perf-per-record',
    cpu: 'dedicated',
    pollTimeout: Infinity,
    pollCost: ns(500),
    wakeCost: ns(1000),
    perEvent: { read: ns(perEventNs / 4), decode: ns(perEventNs / 4), callback: ns(perEventNs / 4), log: ns(perEventNs / 4) },
    lostCost: ns(1000),
    logBytes: 100,
    aggregateRead: { interval: 1e9, perEntry: ns(100), entries: 0, logBytesPerRead: 1000 },
    ...over,
  };
}

export function submitStep(bytes: number, over: Partial<Extract<Step, { kind: 'submit' }>> = {}): Step {
  return { kind: 'submit', bytes, sample: 1, batch: 1, flushTimeout: Infinity, cost: ns(50), batchAddCost: ns(10), ...over };
}

export function probe(program: Step[], over: Partial<Probe> = {}): Probe {
  return { name: 'p', attach: 'kprobe', entry: ns(30), exit: ns(10), hitsPerPacket: 1, program, ...over };
}

export function scenario(over: Partial<Scenario> = {}): Scenario {
  const duration = over.traffic?.duration ?? 100e6;
  return {
    name: 'test',
    seed: 7,
    kernel: { version: '5.15', major: 5, minor: 15, patch: 0 },
    cpus: 1,
    traffic: { arrival: 'poisson', rate: 100_000, duration, warmup: duration / 20, rss: 'random' },
    datapath: { service: exp(5000), rxQueue: 1_000_000 },
    probes: [],
    jit: true,
    output: perfOutput(),
    consumer: consumer(),
    maps: [],
    memory: { base: 60e6, jitPerProgram: 30_000, other: 10e6, hostCpus: 1 },
    interval: duration / 50,
    catalog: 'test',
    ...over,
  };
}
