/**
 * Bounded user-space stages behind the reader (Tetragon's --rb-queue-size channel, Tracee's
 * pipeline): each stage is a FIFO queue of `capacity` waiting events served one at a time by its
 * own thread at `cost` per event; an event that finds the queue full is dropped and counted by
 * that stage (Tetragon: `select { case ch <- ev: default: queueLost.Inc() }`). A stage's output
 * feeds the next one.
 *
 * The stages run on threads of their own and never push back on the reader, so their timing
 * follows from the reader's hand-off times alone: a Lindley recursion per stage, with the
 * departure times of the events still in it kept in a ring (none kept when unbounded).
 */
import type { Sampler, UniformSource } from '../distributions/types.js';
import { makeSampler } from '../distributions/sampler.js';
import type { PipelineStage } from '../model/scenario.js';

export interface StageCounters {
  /** Events handed to the stage (post warm-up: `measured`). */
  offered: number;
  dropped: number;
  delivered: number;
  /** Most events waiting at once (whole run). */
  maxWaiting: number;
  /** The stage thread's busy time inside the measured window, ns. */
  busyNs: number;
}

class Stage {
  readonly counters: StageCounters = { offered: 0, dropped: 0, delivered: 0, maxWaiting: 0, busyNs: 0 };
  private readonly cost: Sampler;
  /** Departure times of the events in the stage, oldest first (circular); null when unbounded. */
  private readonly deps: Float64Array | null;
  private head = 0;
  private count = 0;
  /** Unbounded stage: events in it are not tracked, only the last departure. */
  private lastDep = 0;

  constructor(readonly spec: PipelineStage, private readonly rng: UniformSource, private readonly from: number, private readonly to: number) {
    this.cost = makeSampler(spec.cost);
    // capacity waiting + the one in service
    this.deps = Number.isFinite(spec.capacity) ? new Float64Array(spec.capacity + 1) : null;
  }

  /** An event arrives at t; returns its departure time, or -1 when the queue is full. */
  offer(t: number, measured: boolean): number {
    const k = this.counters;
    if (measured) k.offered++;
    const deps = this.deps;
    if (deps === null) {
      const start = this.lastDep > t ? this.lastDep : t;
      this.lastDep = start + this.cost.sample(this.rng);
      this.busy(start, this.lastDep);
      if (measured) k.delivered++;
      return this.lastDep;
    }
    while (this.count > 0 && deps[this.head] <= t) {
      this.head = this.head + 1 === deps.length ? 0 : this.head + 1;
      this.count--;
    }
    // Waiting = in the stage less the one in service.
    if (this.count > 0 && this.count - 1 >= this.spec.capacity) {
      if (measured) k.dropped++;
      return -1;
    }
    const last = this.count > 0 ? deps[(this.head + this.count - 1) % deps.length] : t;
    const start = last > t ? last : t;
    const dep = start + this.cost.sample(this.rng);
    deps[(this.head + this.count) % deps.length] = dep;
    this.count++;
    if (this.count - 1 > k.maxWaiting) k.maxWaiting = this.count - 1;
    this.busy(start, dep);
    if (measured) k.delivered++;
    return dep;
  }

  /** The thread serves an event over [a, b): its part inside the measured window. */
  private busy(a: number, b: number): void {
    const lo = a > this.from ? a : this.from;
    const hi = b < this.to ? b : this.to;
    if (hi > lo) this.counters.busyNs += hi - lo;
  }
}

export class Pipeline {
  readonly stages: Stage[];

  /** Busy time is measured over [from, to) (warm-up to end, ns). */
  constructor(specs: readonly PipelineStage[], rng: UniformSource, from: number, to: number) {
    this.stages = specs.map((s) => new Stage(s, rng, from, to));
  }

  get empty(): boolean {
    return this.stages.length === 0;
  }

  /** The reader hands `events` events over at t, the last `measured` of them after warm-up. */
  handOff(t: number, events: number, measured: number): void {
    for (let e = 0; e < events; e++) {
      const m = e >= events - measured;
      let at = t;
      for (let i = 0; i < this.stages.length && at >= 0; i++) at = this.stages[i].offer(at, m);
    }
  }
}
