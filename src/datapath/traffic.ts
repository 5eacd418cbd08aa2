/**
 * Packet arrivals for open traffic (poisson, constant, bursty on/off MMPP, trace replay) and
 * their spread over CPUs (RSS). The traced run and its baseline twin each build their own
 * ArrivalSource from the same named streams, so both see exactly the same packets.
 * `saturate` has no arrivals: each CPU starts its next packet when the last one is done.
 *
 * advance() runs once per packet: the arrival kind is a number decided once, and the Poisson
 * gap is drawn inline (it is the common case).
 */
import type { UniformSource } from '../distributions/types.js';
import type { Traffic } from '../model/scenario.js';
import type { Streams } from '../engine/rng.js';
import { standardExponential } from '../distributions/sampler.js';

const POISSON = 0;
const CONSTANT = 1;
const BURSTY = 2;
const TRACE = 3;
const NONE = 4;

function arrivalKind(t: Traffic): number {
  switch (t.arrival) {
    case 'poisson':
      return POISSON;
    case 'constant':
      return CONSTANT;
    case 'bursty':
      return BURSTY;
    case 'trace':
      return TRACE;
    default:
      return NONE;
  }
}

export class ArrivalSource {
  /** Time of the next arrival (Infinity when none is left before the end of the run). */
  time = 0;
  /** CPU the next arrival is steered to. */
  cpu = 0;
  /** Size of the next arrival on the wire, bytes (the trace's, else traffic.packetSize). */
  bytes = 0;

  private declare readonly cpus: number;
  private declare readonly kind: number;
  /** poisson, constant: mean gap between arrivals, ns. */
  private declare readonly gap: number;
  private declare readonly end: number;
  private readonly roundRobin: boolean;
  private readonly arrivals: UniformSource;
  private readonly rss: UniformSource;
  private readonly burstRng: UniformSource;
  private rrNext = 0;
  // bursty: current state and when it ends
  private on = true;
  private stateEnd = 0;
  private traceIndex = 0;
  /** trace: packets in one pass, the replay period (0: once), and the current pass's start. */
  private declare readonly traceLength: number;
  private declare readonly period: number;
  private passStart = 0;
  private readonly sizes: readonly number[] | undefined;
  private readonly cpuOf: readonly number[] | undefined;

  constructor(
    private readonly traffic: Traffic,
    cpus: number,
    streams: Streams,
  ) {
    this.cpus = cpus;
    this.kind = arrivalKind(traffic);
    this.gap = 1e9 / traffic.rate;
    this.end = traffic.duration;
    this.roundRobin = traffic.rss === 'roundrobin';
    this.traceLength = traffic.times?.length ?? 0;
    this.period = traffic.period ?? 0;
    this.sizes = traffic.sizes;
    this.cpuOf = traffic.cpuOf;
    this.bytes = traffic.packetSize ?? DEFAULT_PACKET_BYTES;
    this.arrivals = streams.get('arrivals');
    this.rss = streams.get('rss');
    this.burstRng = streams.get('burst');
    if (this.kind === BURSTY) {
      this.stateEnd = exp(this.burstRng, traffic.burst!.onMean);
    }
    this.time = this.first();
    this.cpu = this.steer();
    if (this.sizes !== undefined) this.bytes = this.sizes[0];
  }

  /** Moves to the following arrival. */
  advance(): void {
    const next = this.kind === POISSON ? this.time + exp(this.arrivals, this.gap) : this.following(this.time);
    this.time = next > this.end ? Infinity : next;
    this.cpu = this.steer();
    if (this.sizes !== undefined) this.bytes = this.sizes[this.traceIndex];
  }

  private first(): number {
    if (this.kind === TRACE) return this.cut(this.traceAt(0));
    if (this.kind === CONSTANT) return 0;
    if (this.kind === POISSON) return this.cut(exp(this.arrivals, this.gap));
    return this.cut(this.following(0));
  }

  private cut(t: number): number {
    return t > this.end ? Infinity : t;
  }

  /** The arrival after t, for every kind but poisson. */
  private following(t: number): number {
    switch (this.kind) {
      case CONSTANT:
        return t + this.gap;
      case BURSTY:
        return this.nextBursty(t);
      case TRACE:
        return this.traceAt(++this.traceIndex);
      default:
        return Infinity;
    }
  }

  /** MMPP(2): Poisson at the current state's rate; exponential state sojourns (memoryless). */
  private nextBursty(t: number): number {
    const b = this.traffic.burst!;
    for (;;) {
      const rate = this.on ? b.onRate : b.offRate;
      const cand = rate > 0 ? t + exp(this.arrivals, 1e9 / rate) : Infinity;
      if (cand <= this.stateEnd) return cand;
      // No arrival before the state ends: restart from the switch (valid by memorylessness).
      t = this.stateEnd;
      if (t > this.end) return Infinity;
      this.on = !this.on;
      this.stateEnd = t + exp(this.burstRng, this.on ? b.onMean : b.offMean);
    }
  }

  /** The time of trace packet i of this pass; past the end, the next pass's first (loop) or none. */
  private traceAt(i: number): number {
    const times = this.traffic.times!;
    if (i < this.traceLength) return this.passStart + times[i];
    if (this.period === 0) return Infinity;
    this.traceIndex = 0;
    this.passStart += this.period;
    return this.passStart + times[0];
  }

  private steer(): number {
    if (this.cpuOf !== undefined) return this.cpuOf[this.traceIndex];
    if (this.cpus === 1) return 0;
    if (this.roundRobin) {
      const c = this.rrNext;
      this.rrNext = c + 1 === this.cpus ? 0 : c + 1;
      return c;
    }
    return Math.floor(this.rss.double() * this.cpus);
  }
}

/** Bytes per packet when neither the trace nor the model gives one (a minimum Ethernet frame). */
export const DEFAULT_PACKET_BYTES = 64;

/** An exponential gap of the given mean (ziggurat: no logarithm on most draws). */
function exp(rng: UniformSource, mean: number): number {
  return mean * standardExponential(rng);
}
