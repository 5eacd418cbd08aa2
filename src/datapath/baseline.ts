/**
 * The baseline twin: the same packets with no probes. Each CPU is then a plain FIFO queue
 * with a finite receive ring, so it needs no event list: a Lindley recursion over the same
 * arrival, RSS and service draws the traced run uses (common random numbers), keeping the
 * departure times of the packets in the system to decide drops exactly.
 */
import { makeSampler } from '../distributions/sampler.js';
import type { Sampler, UniformSource } from '../distributions/types.js';
import type { Scenario } from '../model/scenario.js';
import { Streams } from '../engine/rng.js';
import { DepartureBook } from './departures.js';
import { LogLinearHistogram } from '../metrics/histogram.js';
import { ArrivalSource, DEFAULT_PACKET_BYTES } from './traffic.js';

export interface TwinOutcome {
  latency: LogLinearHistogram;
  /** Departures in (warmup, duration]. */
  delivered: number;
  /** Departures by the end, warm-up included (the count no traced run can exceed). */
  departed: number;
  /** Arrivals after warm-up that found the receive queue full. */
  rxDrops: number;
  /** Packets offered over the whole run (arrivals, or started packets under saturate). */
  packets: number;
}

export function serviceStreamName(cpu: number): string {
  return `service:cpu${cpu}`;
}

export function runBaseline(s: Scenario): TwinOutcome {
  return s.traffic.arrival === 'saturate' ? saturateBaseline(s) : openBaseline(s);
}

/**
 * The open-traffic twin as a recursion fed one arrival at a time: per CPU, the departure
 * times of the packets in its system, oldest first (circular), decide drops exactly. The
 * traced run feeds it the arrivals and service draws it makes anyway, so the two share them
 * (runScenario); runBaseline feeds it from its own replay of the same streams.
 */
export class LindleyTwin {
  readonly out: TwinOutcome = { latency: new LogLinearHistogram(), delivered: 0, departed: 0, rxDrops: 0, packets: 0 };
  private declare readonly warmup: number;
  private declare readonly duration: number;
  /** Per CPU, the departures of the packets in its system (waiting + the one in service). */
  private readonly book: DepartureBook;
  private declare readonly slots: number;

  private readonly service: Sampler;
  private readonly svcRng: UniformSource[];
  private declare readonly perByte: number;

  constructor(s: Scenario) {
    // Its own replay of the service streams: drawn in service order (accepted packets only),
    // so that where the traced run drops a different packet the two still pair the n-th
    // service of a CPU with the same draw (otherwise loss can show as a throughput gain).
    const streams = new Streams(s.seed);
    this.service = makeSampler(s.datapath.service);
    this.perByte = s.datapath.perByte ?? 0;
    this.svcRng = Array.from({ length: s.cpus }, (_, c) => streams.get(serviceStreamName(c)));
    this.warmup = s.traffic.warmup;
    this.duration = s.traffic.duration;
    this.slots = s.datapath.rxQueue + 1;
    this.book = new DepartureBook(s.cpus, this.slots);
  }

  /** A packet of `bytes` arrives at t on CPU c; if accepted, its service is the CPU's next draw plus the per-byte term. */
  offer(t: number, c: number, bytes: number): void {
    const out = this.out;
    out.packets++;
    // Packets that left by t free their slots (a departure at t leaves before the arrival).
    if (this.book.leaveBy(c, t) >= this.slots) {
      if (t >= this.warmup) out.rxDrops++;
      return;
    }
    const last = this.book.lastDep[c];
    const dep = (t > last ? t : last) + this.service.sample(this.svcRng[c]) + this.perByte * bytes;
    this.book.add(c, dep);
    if (dep <= this.duration) {
      out.departed++;
      if (dep > this.warmup) out.delivered++;
      if (t >= this.warmup) out.latency.record(dep - t);
    }
  }
}

function openBaseline(s: Scenario): TwinOutcome {
  const streams = new Streams(s.seed);
  const src = new ArrivalSource(s.traffic, s.cpus, streams);
  const twin = new LindleyTwin(s);
  while (src.time !== Infinity) {
    twin.offer(src.time, src.cpu, src.bytes);
    src.advance();
  }
  return twin.out;
}

/** A flat-out sender per CPU: the next packet starts when the previous one is done. */
function saturateBaseline(s: Scenario): TwinOutcome {
  const streams = new Streams(s.seed);
  const service = makeSampler(s.datapath.service);
  const { warmup, duration } = s.traffic;
  const out: TwinOutcome = { latency: new LogLinearHistogram(), delivered: 0, departed: 0, rxDrops: 0, packets: 0 };
  const extra = (s.datapath.perByte ?? 0) * (s.traffic.packetSize ?? DEFAULT_PACKET_BYTES);
  for (let c = 0; c < s.cpus; c++) {
    const rng = streams.get(serviceStreamName(c));
    let t = 0;
    for (;;) {
      const svc = service.sample(rng) + extra;
      out.packets++;
      const dep = t + svc;
      if (dep > duration) break;
      out.departed++;
      if (dep > warmup) out.delivered++;
      if (t >= warmup) out.latency.record(svc);
      t = dep;
    }
  }
  return out;
}
