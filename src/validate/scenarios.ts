/**
 * Hand-built Scenarios for the validation cases. They bypass the model loader and the catalog
 * so that each case's analytic value follows from numbers stated in the case itself: a queue
 * case has no probes (the data path is then a plain FIFO queue per CPU); a tracing case states
 * every cost it uses.
 */
import type { Dist } from '../distributions/types.js';
import type { Consumer, Output, Probe, Scenario, Step, Traffic } from '../model/scenario.js';
import { DEFAULT_PAGE_SIZE } from '../units/parse.js';

export const constant = (value: number): Dist => ({ kind: 'const', value });
export const exponential = (mean: number): Dist => ({ kind: 'exponential', mean });
const NONE = constant(0);

/**
 * A receive queue long enough to stand for an infinite one in a stable queue: the cases assert
 * that it never overflows (a run that drops would be an invalid sample, not a result).
 */
export const UNBOUNDED_RX_QUEUE = 1 << 16;

export interface QueueSpec {
  seed: number;
  cpus?: number;
  service: Dist;
  /** Packets that may wait per CPU (K - 1 for an M/G/1/K). */
  rxQueue?: number;
  traffic: Pick<Traffic, 'arrival' | 'rate' | 'duration' | 'warmup'> & Partial<Traffic>;
  probes?: Probe[];
  output?: Output;
  consumer?: Consumer;
  /** The data path's context on its CPUs [softirq]; a shared reader competes with a task fairly. */
  context?: 'softirq' | 'task';
}

/** The page size these cases state (x86-64's, as the shipped catalogs). */
export const CASE_PAGE_SIZE = DEFAULT_PAGE_SIZE;

/** A perf buffer output with every cost given (defaults are inert: nothing here submits). */
export function perfOutput(over: Partial<Extract<Output, { type: 'perf_buffer' }>> = {}): Output {
  const pageCnt = over.pageCnt ?? 8;
  const pageSize = over.pageSize ?? CASE_PAGE_SIZE;
  return {
    type: 'perf_buffer',
    pageCnt,
    pageSize,
    wakeupEvents: 1,
    watermarkBytes: (pageCnt * pageSize) / 2,
    onFull: 'drop',
    failedCost: NONE,
    wakeup: { producer: NONE, producerNoWaiter: NONE, latency: NONE },
    ...over,
    ringBytes: pageCnt * pageSize,
  };
}

export function ringbufOutput(over: Partial<Extract<Output, { type: 'ringbuf' }>> = {}): Output {
  const size = over.size ?? 1 << 20;
  return {
    type: 'ringbuf',
    size,
    ringBytes: size,
    pageSize: CASE_PAGE_SIZE,
    notify: 'adaptive',
    onFull: 'drop',
    failedCost: NONE,
    wakeup: { producer: NONE, producerNoWaiter: NONE, latency: NONE },
    lock: { hold: NONE, handoff: NONE },
    ...over,
  };
}

/** A consumer whose per-event work is `perEvent` (all of it in the callback). */
export function consumer(perEvent: Dist, over: Partial<Consumer> = {}): Consumer {
  return {
    runtime: 'libbpf',
    reader: 'perf-per-record',
    cpu: 'dedicated',
    pollTimeout: Infinity,
    pollCost: NONE,
    wakeCost: NONE,
    perEvent: { read: NONE, decode: NONE, callback: perEvent, log: NONE },
    lostCost: NONE,
    logBytes: 0,
    aggregateRead: { interval: Infinity, perEntry: NONE, entries: 0, logBytesPerRead: 0 },
    ...over,
  };
}

/** A probe that costs nothing by itself and runs `program` once per packet. */
export function probe(program: Step[]): Probe {
  return { name: 'validate', attach: 'kprobe', entry: NONE, exit: NONE, hitsPerPacket: 1, program };
}

/** One event of `bytes` per hit, submitted at a transport cost `cost`. */
export function submit(bytes: number, cost: Dist = NONE): Step {
  return { kind: 'submit', bytes, sample: 1, batch: 1, flushTimeout: Infinity, cost, batchAddCost: NONE };
}

export function queueScenario(q: QueueSpec): Scenario {
  const { duration } = q.traffic;
  return {
    name: 'validate',
    seed: q.seed,
    kernel: { version: '6.1', major: 6, minor: 1, patch: 0 },
    cpus: q.cpus ?? 1,
    traffic: { rss: 'random', ...q.traffic },
    datapath: { service: q.service, rxQueue: q.rxQueue ?? UNBOUNDED_RX_QUEUE, context: q.context ?? 'softirq' },
    probes: q.probes ?? [],
    jit: true,
    output: q.output ?? perfOutput(),
    consumer: q.consumer ?? consumer(NONE),
    maps: [],
    memory: { base: 0, jitPerProgram: 0, other: 0, hostCpus: q.cpus ?? 1 },
    // Only a handful of series intervals: the cases read whole-window statistics.
    interval: duration / 10,
    catalog: 'validate',
  };
}
