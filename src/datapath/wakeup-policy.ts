/**
 * When a buffer asks to wake its reader, and what a request costs the producer.
 *
 * Perf buffer: every `wakeupEvents` samples and whenever more than the watermark was written
 * since the last wake-up. Ringbuf: adaptive (only when the committing record sits at the
 * reader's position), forced, or never. A request marks the fd ready (perf's rb->poll) and
 * queues the buffer's irq_work, unless that is still pending: irq_work_queue() is then a no-op
 * and the request costs almost nothing (at most one pending wake-up per perf fd or ringbuf).
 * The irq_work's handler wakes the reader when it runs, `pending` later; the producer pays the
 * self-IPI and, if the reader sleeps, its wake-up.
 */
import type { Sampler, UniformSource } from '../distributions/types.js';
import { makeSampler } from '../distributions/sampler.js';
import type { Output } from '../model/scenario.js';
import type { Ring } from './ring.js';

/** The reader, as a wake-up sees it. */
export interface WakeTarget {
  /** Wakes the reader if it sleeps in poll; true if it did. */
  signal(t: number): boolean;
  asleep(): boolean;
}

/** Where a deferred irq_work is scheduled to run (ring index, time). */
export type IrqWorkScheduler = (r: number, at: number) => void;

export class WakeupPolicy {
  /** Wake-up requests (whole run). */
  requests = 0;
  /** Of those, folded into a pending irq_work. */
  coalesced = 0;
  /** irq_works queued (each runs once). */
  irqWorks = 0;
  private readonly mode: 'perf' | 'adaptive' | 'force' | 'none' | 'data';
  private declare readonly wakeupEvents: number;
  private declare readonly watermark: number;
  private readonly producer: Sampler;
  private readonly noWaiter: Sampler;
  private readonly coalescedCost: Sampler | null;
  private readonly pending: Sampler | null;

  constructor(
    out: Output,
    private readonly reader: WakeTarget,
    private readonly schedule: IrqWorkScheduler,
    private readonly rng: UniformSource,
  ) {
    if (out.type === 'perf_buffer') {
      this.mode = 'perf';
      this.wakeupEvents = out.wakeupEvents;
      this.watermark = out.watermarkBytes;
    } else {
      this.mode = out.notify;
      this.wakeupEvents = 0;
      this.watermark = out.notify === 'data' ? (out.wakeupBytes ?? 0) : Infinity;
    }
    this.producer = makeSampler(out.wakeup.producer);
    this.noWaiter = makeSampler(out.wakeup.producerNoWaiter);
    this.coalescedCost = out.wakeup.coalesced ? makeSampler(out.wakeup.coalesced) : null;
    this.pending = out.wakeup.pending ? makeSampler(out.wakeup.pending) : null;
  }

  /** A record of `bytes` was committed into `ring` (wasEmpty: the reader had caught up): wake? */
  shouldWake(ring: Ring, bytes: number, wasEmpty: boolean): boolean {
    switch (this.mode) {
      case 'perf':
        ring.eventsSinceWake++;
        ring.bytesSinceWake += bytes;
        return ring.eventsSinceWake >= this.wakeupEvents || ring.bytesSinceWake > this.watermark;
      case 'adaptive':
        return wasEmpty; // the committing record sits at the consumer's position
      case 'force':
        return true;
      case 'data':
        return ring.used >= this.watermark; // unread bytes, this record included
      default:
        return false;
    }
  }

  /** A wake-up request on ring r at t; returns the producer's cost. */
  request(r: number, ring: Ring, t: number): number {
    ring.eventsSinceWake = 0;
    ring.bytesSinceWake = 0;
    ring.ready = true;
    this.requests++;
    const rng = this.rng;
    if (ring.irqPending) {
      this.coalesced++;
      return this.coalescedCost === null ? 0 : this.coalescedCost.sample(rng);
    }
    this.irqWorks++;
    const delay = this.pending === null ? 0 : this.pending.sample(rng);
    if (delay <= 0) return this.reader.signal(t) ? this.producer.sample(rng) : this.noWaiter.sample(rng);
    ring.irqPending = true;
    this.schedule(r, t + delay);
    // The cost is charged to this submit, judged by whether the reader sleeps now.
    return this.reader.asleep() ? this.producer.sample(rng) : this.noWaiter.sample(rng);
  }

  /** Ring r's irq_work runs: it wakes the reader if it sleeps in poll. */
  irqWorkRuns(ring: Ring, t: number): void {
    ring.irqPending = false;
    this.reader.signal(t);
  }

  /** A producer blocked for room kicks the reader (onFull: block), counted as a request. */
  kick(t: number): void {
    if (this.reader.signal(t)) this.requests++;
  }
}
