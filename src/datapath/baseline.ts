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
import { LogLinearHistogram } from '../metrics/histogram.js';
import { ArrivalSource } from './traffic.js';

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
  /** Waiting + the one in service. */
  private declare readonly slots: number;
  private readonly deps: Float64Array;
  private readonly head: Int32Array;
  private readonly count: Int32Array;
  private readonly lastDep: Float64Array;

  private readonly service: Sampler;
  private readonly svcRng: UniformSource[];

  constructor(s: Scenario) {
    // Its own replay of the service streams: drawn in service order (accepted packets only),
    // so that where the traced run drops a different packet the two still pair the n-th
    // service of a CPU with the same draw (otherwise loss can show as a throughput gain).
    const streams = new Streams(s.seed);
    this.service = makeSampler(s.datapath.service);
    this.svcRng = Array.from({ length: s.cpus }, (_, c) => streams.get(serviceStreamName(c)));
    this.warmup = s.traffic.warmup;
    this.duration = s.traffic.duration;
    this.slots = s.datapath.rxQueue + 1;
    this.deps = new Float64Array(s.cpus * this.slots);
    this.head = new Int32Array(s.cpus);
    this.count = new Int32Array(s.cpus);
    this.lastDep = new Float64Array(s.cpus);
  }

  /** A packet arrives at t on CPU c; if it is accepted its service time is the CPU's next draw. */
  offer(t: number, c: number): void {
    const out = this.out;
    out.packets++;
    const slots = this.slots;
    const base = c * slots;
    // Packets that left by t free their slots (a departure at t leaves before the arrival).
    let h = this.head[c];
    let n = this.count[c];
    while (n > 0 && this.deps[base + h] <= t) {
      h = h + 1 === slots ? 0 : h + 1;
      n--;
    }
    this.head[c] = h;
    if (n >= slots) {
      this.count[c] = n;
      if (t >= this.warmup) out.rxDrops++;
      return;
    }
    const last = this.lastDep[c];
    const dep = (t > last ? t : last) + this.service.sample(this.svcRng[c]);
    this.lastDep[c] = dep;
    const q = h + n;
    this.deps[base + (q >= slots ? q - slots : q)] = dep;
    this.count[c] = n + 1;
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
    twin.offer(src.time, src.cpu);
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
  for (let c = 0; c < s.cpus; c++) {
    const rng = streams.get(serviceStreamName(c));
    let t = 0;
    for (;;) {
      const svc = service.sample(rng);
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
