/**
 * The static estimate: the seed's arithmetic on a resolved Scenario, no simulation.
 *
 *   event rate  = packets/s x hits per packet x pass fraction of the filters before the
 *                 submit x 1/sample            (seed §数据路径性能影响 C 提交频率的临界点)
 *   record rate = event rate / batch           (seed §性能优化建议 批量提交)
 *   CPU         = event rate x (kernel submit + user-space processing)
 *                                              (seed §Userspace 程序资源开销 B 总开销公式)
 * plus what the seed leaves implicit: every packet that hits a probe pays its entry, exit and
 * program steps (probePct), and, where the catalog charges wake-ups apart from the submit
 * (the default profile), the producer's and consumer's shares of each wake-up.
 *
 * Expected values only: losses, queueing for the ringbuf lock and the feedback between
 * wake-ups and consumer speed are the simulation's job. The wake-up count is a first-order
 * estimate: the consumer is idle a fraction 1 - rho of the time (rho = its utilisation from
 * per-event work), and an event arriving then finds it asleep.
 * No Node-only API here.
 */
import { distMean } from '../distributions/moments.js';
import type { Catalog } from '../model/catalog-types.js';
import type { Scenario, Step } from '../model/scenario.js';
import type { MemoryBreakdown, StaticEstimate } from '../result.js';
import { perfRecordBytes, ringbufRecordBytes } from '../records/sizes.js';
import { memoryBreakdown } from './memory.js';
import * as fd from '../math/fdlibm.js';

/** Expected per-hit quantities of a program (or part of one), entered with probability 1. */
interface ProgramTotals {
  /** Program steps other than output: ops, helper calls, map updates, aggregation (ns). */
  opsNs: number;
  /** Events generated (reaching the output). */
  events: number;
  /** Records written into the buffer (a batch is one record). */
  records: number;
  /** Submit and batch-add cost (ns). */
  outputNs: number;
  /** Payload bytes written (sum over records of bytes x batch). */
  payloadBytes: number;
  /** Ring bytes written, with record headers and alignment (reference §1.3, §2.2). */
  ringBytes: number;
}

const zero = (): ProgramTotals => ({ opsNs: 0, events: 0, records: 0, outputNs: 0, payloadBytes: 0, ringBytes: 0 });

function addScaled(into: ProgramTotals, t: ProgramTotals, k: number): void {
  into.opsNs += k * t.opsNs;
  into.events += k * t.events;
  into.records += k * t.records;
  into.outputNs += k * t.outputNs;
  into.payloadBytes += k * t.payloadBytes;
  into.ringBytes += k * t.ringBytes;
}

/** Bytes a record of `payload` bytes takes in the ring (reference §1.3 perf, §2.2 ringbuf). */
function ringRecordBytes(type: 'perf_buffer' | 'ringbuf', payload: number): number {
  return type === 'perf_buffer' ? perfRecordBytes(payload) : ringbufRecordBytes(payload);
}

/**
 * Walks program steps entered with probability 1; returns the expected totals per entry and
 * the probability of reaching the end. A filter is an early return from the whole program, so
 * in a loop iteration k runs with probability q^k (q: the body's pass-through probability).
 */
function walk(steps: readonly Step[], output: 'perf_buffer' | 'ringbuf', aggregated: Set<string>): { totals: ProgramTotals; pass: number } {
  const totals = zero();
  let p = 1;
  for (const step of steps) {
    switch (step.kind) {
      case 'op':
        totals.opsNs += p * step.count * distMean(step.cost);
        break;
      case 'filter':
        p *= step.pass;
        break;
      case 'aggregate':
        totals.opsNs += p * distMean(step.cost);
        aggregated.add(step.map);
        break;
      case 'submit': {
        const events = p / step.sample;
        const records = events / step.batch;
        const payload = step.bytes * step.batch;
        totals.events += events;
        totals.records += records;
        totals.outputNs += records * distMean(step.cost) + (step.batch > 1 ? events * distMean(step.batchAddCost) : 0);
        totals.payloadBytes += records * payload;
        totals.ringBytes += records * ringRecordBytes(output, payload);
        // Hits the sampler skips return right after the sampling decision.
        p = events;
        break;
      }
      case 'loop': {
        const body = walk(step.body, output, aggregated);
        const q = body.pass;
        const iterations = q === 1 ? step.count : (1 - fd.powInt(q, step.count)) / (1 - q);
        addScaled(totals, body.totals, p * iterations);
        p *= fd.powInt(q, step.count);
        break;
      }
    }
  }
  return { totals, pass: p };
}

export interface StaticResult {
  cpu: StaticEstimate;
  memory: MemoryBreakdown;
  log: { eventsPerSec: number; bytesPerSec: number };
}

/** Mean cost of one event in the consumer: read + decode + callback + log. */
function consumerPerEventNs(s: Scenario): number {
  const e = s.consumer.perEvent;
  return distMean(e.read) + distMean(e.decode) + distMean(e.callback) + distMean(e.log);
}

/**
 * Packets per second reaching the probes. Open arrivals: the offered rate. `saturate`: each
 * CPU runs flat out, so the rate is CPUs / (baseline service + added kernel cost per packet).
 */
function packetRate(s: Scenario, addedPerPacketNs: number): number {
  if (s.traffic.arrival !== 'saturate') return s.traffic.rate;
  return (s.cpus * 1e9) / (distMean(s.datapath.service) + addedPerPacketNs);
}

/** The seed's static CPU, memory and log arithmetic for a scenario (see module comment). */
export function estimateStatic(s: Scenario, catalog: Catalog): StaticResult {
  const out = s.output;
  const aggregated = new Set<string>();

  // Per packet: probe dispatch + program steps, and the output part.
  let probeNs = 0;
  let outputNs = 0;
  let events = 0;
  let records = 0;
  let ringBytes = 0;
  for (const probe of s.probes) {
    const { totals } = walk(probe.program, out.type, aggregated);
    const h = probe.hitsPerPacket;
    probeNs += h * (distMean(probe.entry) + distMean(probe.exit) + totals.opsNs);
    outputNs += h * totals.outputNs;
    events += h * totals.events;
    records += h * totals.records;
    ringBytes += h * totals.ringBytes;
  }

  // Consumer utilisation from per-event work and aggregation reads (before wake-ups).
  const perEventNs = consumerPerEventNs(s);
  const aggregateNsPerSec = aggregateReadNsPerSec(s);
  const utilisation = (rate: number): number => Math.min(1, (rate * events * perEventNs + aggregateNsPerSec) / 1e9);

  // Wake-up signals and their costs per record, which depend on the packet rate through rho;
  // for saturate the rate depends on them in turn: iterate to the fixed point.
  let rate = packetRate(s, probeNs + outputNs);
  let wake = wakeups(s, rate * records, rate * ringBytes, utilisation(rate));
  for (let i = 0; i < 50 && s.traffic.arrival === 'saturate'; i++) {
    const perPacket = probeNs + outputNs + (rate > 0 ? (wake.producerNsPerSec + wake.handoffNsPerSec) / rate : 0);
    const next = packetRate(s, perPacket);
    if (Math.abs(next - rate) <= 1e-9 * rate) break;
    rate = next;
    wake = wakeups(s, rate * records, rate * ringBytes, utilisation(rate));
  }

  const eventRate = rate * events;
  const recordRate = rate * records;
  const probeNsPerSec = rate * probeNs;
  const submitNsPerSec = rate * outputNs + wake.producerNsPerSec + wake.handoffNsPerSec;
  const consumerNsPerSec = eventRate * perEventNs + aggregateNsPerSec + wake.consumerNsPerSec;
  const pct = (nsPerSec: number): number => nsPerSec / 1e7; // ns per second -> % of one CPU

  const cpu: StaticEstimate = {
    eventRate,
    kernelPctSum: pct(probeNsPerSec + submitNsPerSec),
    consumerDemandPct: pct(consumerNsPerSec),
    totalDemandPct: pct(probeNsPerSec + submitNsPerSec + consumerNsPerSec),
    perPacketNs: rate > 0 ? (probeNsPerSec + submitNsPerSec) / rate : probeNs + outputNs,
    probePct: pct(probeNsPerSec),
    submitPct: pct(submitNsPerSec),
    recordRate,
    wakeupRate: wake.signalsPerSec,
  };

  const readsPerSec = aggregated.size > 0 ? 1e9 / s.consumer.aggregateRead.interval : 0;
  const log = {
    eventsPerSec: eventRate,
    bytesPerSec: eventRate * s.consumer.logBytes + readsPerSec * s.consumer.aggregateRead.logBytesPerRead,
  };
  return { cpu, memory: memoryBreakdown(s, catalog), log };
}

/** User-space time per second spent reading aggregation maps (the resolved entries per pass). */
function aggregateReadNsPerSec(s: Scenario): number {
  const read = s.consumer.aggregateRead;
  if (read.entries === 0) return 0;
  return (1e9 / read.interval) * read.entries * distMean(read.perEntry);
}

interface WakeupEstimate {
  signalsPerSec: number;
  producerNsPerSec: number;
  consumerNsPerSec: number;
  /** ringbuf: lock handoffs between CPUs. */
  handoffNsPerSec: number;
}

/**
 * Wake-ups per second and their cost. perf buffer: a signal every wakeupEvents records or
 * every watermark bytes, whichever comes first (reference §1.6); it finds the consumer asleep
 * with probability 1 - rho. ringbuf adaptive: a commit signals only when the consumer has
 * caught up (reference §2.4), taken as asleep, probability 1 - rho; force: every record;
 * none: never. Poll timeouts fire when no wake-up comes within the timeout.
 */
function wakeups(s: Scenario, recordsPerSec: number, ringBytesPerSec: number, rho: number): WakeupEstimate {
  const out = s.output;
  const idle = 1 - rho;
  const w = out.wakeup;
  let signals: number;
  let asleep: number; // signals that find the consumer asleep
  if (out.type === 'perf_buffer') {
    signals = Math.max(recordsPerSec / out.wakeupEvents, ringBytesPerSec / out.watermarkBytes);
    asleep = signals * idle;
  } else if (out.notify === 'adaptive') {
    signals = recordsPerSec * idle;
    asleep = signals;
  } else if (out.notify === 'force') {
    signals = recordsPerSec;
    asleep = signals * idle;
  } else if (out.notify === 'data' && out.wakeupBytes) {
    signals = ringBytesPerSec / out.wakeupBytes;
    asleep = signals * idle;
  } else {
    signals = 0;
    asleep = 0;
  }
  const producerNsPerSec = asleep * distMean(w.producer) + (signals - asleep) * distMean(w.producerNoWaiter);
  const c = s.consumer;
  const wakeNs = distMean(c.wakeCost) + distMean(c.pollCost);
  // Timeouts: the consumer sleeps a fraction `idle` of each second; a timeout fires when the
  // wake-ups that end its sleeps (a Poisson stream at asleep / idle per second of sleep) leave
  // a gap longer than the timeout.
  let timeouts = 0;
  if (Number.isFinite(c.pollTimeout) && c.pollTimeout > 0 && idle > 0) {
    const wakeRateAsleep = asleep / idle;
    timeouts = (idle * 1e9) / c.pollTimeout * fd.exp(-wakeRateAsleep * c.pollTimeout / 1e9);
  }
  const consumerNsPerSec = asleep * wakeNs + timeouts * distMean(c.pollCost);
  let handoffNsPerSec = 0;
  if (out.type === 'ringbuf' && s.cpus > 1) {
    // With records spread evenly over the CPUs, the previous holder was another CPU with
    // probability (cpus - 1) / cpus. Waiting for the lock is left to the simulation.
    handoffNsPerSec = recordsPerSec * ((s.cpus - 1) / s.cpus) * distMean(out.lock.handoff);
  }
  return { signalsPerSec: signals, producerNsPerSec, consumerNsPerSec, handoffNsPerSec };
}
