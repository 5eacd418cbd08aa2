/**
 * Packet arrivals for open traffic (poisson, constant, bursty on/off MMPP, trace replay) and
 * their spread over CPUs (RSS). The traced run and its baseline twin each build their own
 * ArrivalSource from the same named streams, so both see exactly the same packets.
 * `saturate` has no arrivals: each CPU starts its next packet when the last one is done.
 */
import type { UniformSource } from '../dist/types.js';
import type { Traffic } from '../model/scenario.js';
import type { Streams } from '../engine/rng.js';

export class ArrivalSource {
  /** Time of the next arrival (Infinity when none is left before the end of the run). */
  time = 0;
  /** CPU the next arrival is steered to. */
  cpu = 0;

  private readonly arrivals: UniformSource;
  private readonly rss: UniformSource;
  private readonly burstRng: UniformSource;
  private rrNext = 0;
  // bursty: current state and when it ends
  private on = true;
  private stateEnd = 0;
  private traceIndex = 0;

  constructor(
    private readonly traffic: Traffic,
    private readonly cpus: number,
    streams: Streams,
  ) {
    this.arrivals = streams.get('arrivals');
    this.rss = streams.get('rss');
    this.burstRng = streams.get('burst');
    if (traffic.arrival === 'bursty') {
      this.stateEnd = this.exp(this.burstRng, traffic.burst!.onMean);
    }
    this.time = this.first();
    this.cpu = this.steer();
  }

  /** Moves to the following arrival. */
  advance(): void {
    this.time = this.following(this.time);
    this.cpu = this.steer();
  }

  private first(): number {
    const tr = this.traffic;
    if (tr.arrival === 'trace') return this.traceAt(0);
    if (tr.arrival === 'constant') return 0;
    return this.following(0);
  }

  private following(t: number): number {
    const tr = this.traffic;
    let next: number;
    switch (tr.arrival) {
      case 'poisson':
        next = t + this.exp(this.arrivals, 1e9 / tr.rate);
        break;
      case 'constant':
        next = t + 1e9 / tr.rate;
        break;
      case 'bursty':
        next = this.nextBursty(t);
        break;
      case 'trace':
        next = this.traceAt(++this.traceIndex);
        break;
      default:
        next = Infinity;
    }
    return next > tr.duration ? Infinity : next;
  }

  /** MMPP(2): Poisson at the current state's rate; exponential state sojourns (memoryless). */
  private nextBursty(t: number): number {
    const b = this.traffic.burst!;
    for (;;) {
      const rate = this.on ? b.onRate : b.offRate;
      const cand = rate > 0 ? t + this.exp(this.arrivals, 1e9 / rate) : Infinity;
      if (cand <= this.stateEnd) return cand;
      // No arrival before the state ends: restart from the switch (valid by memorylessness).
      t = this.stateEnd;
      if (t > this.traffic.duration) return Infinity;
      this.on = !this.on;
      this.stateEnd = t + this.exp(this.burstRng, this.on ? b.onMean : b.offMean);
    }
  }

  private traceAt(i: number): number {
    const times = this.traffic.times!;
    return i < times.length ? times[i] : Infinity;
  }

  private steer(): number {
    if (this.cpus === 1) return 0;
    if (this.traffic.rss === 'roundrobin') {
      const c = this.rrNext;
      this.rrNext = (c + 1) % this.cpus;
      return c;
    }
    return Math.floor(this.rss.double() * this.cpus);
  }

  private exp(rng: UniformSource, mean: number): number {
    return -mean * Math.log(1 - rng.double());
  }
}
