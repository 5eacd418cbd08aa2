/**
 * One output ring (a perf buffer's per-CPU ring, or the shared BPF ringbuf): byte accounting
 * and the FIFO of records waiting for the consumer. Records are kept in growable parallel
 * typed arrays (a circular buffer), so a record costs no allocation.
 */
import { RING_UNUSABLE_BYTES } from '../records/sizes.js';

/** Record kinds. A LOST record reports perf drops in-band (reference §1.5). */
export const REC_SAMPLE = 0;
export const REC_LOST = 1;

export class Ring {
  /** Data bytes of the ring (D). */
  declare readonly capacity: number;
  /** Bytes reserved and not yet released by the consumer. */
  used = 0;
  /** Records not yet processed by the consumer. */
  count = 0;
  /** Highest `used` over the whole run (for the capacity invariant). */
  peak = 0;

  // Per-record fields, circular.
  private head = 0;
  private declare cap: number;
  private bytes: Float64Array;
  private events: Int32Array;
  private measured: Int32Array;
  private genTime: Float64Array;
  /** A batch record's first event's generation time (genTime is its last event's). */
  private genFirst: Float64Array;
  private cpu: Int32Array;
  private kind: Uint8Array;

  // perf only: drops not yet reported (rb->lost), split by whether they count after warm-up.
  lostPending = 0;
  lostPendingMeasured = 0;
  // perf wake-up bookkeeping: samples and bytes since the last wake-up.
  eventsSinceWake = 0;
  bytesSinceWake = 0;
  /** perf: the fd's readiness flag (rb->poll), set by a wake-up, consumed by poll. */
  ready = false;
  /** The buffer's irq_work is queued and has not run: further wake-up requests fold into it. */
  irqPending = false;

  constructor(capacity: number, initialRecords = 256) {
    // A power of two, so that indices wrap with a mask.
    initialRecords = 1 << Math.ceil(Math.log2(Math.max(2, initialRecords)));
    this.capacity = capacity;
    this.cap = initialRecords;
    this.bytes = new Float64Array(initialRecords);
    this.events = new Int32Array(initialRecords);
    this.measured = new Int32Array(initialRecords);
    this.genTime = new Float64Array(initialRecords);
    this.genFirst = new Float64Array(initialRecords);
    this.cpu = new Int32Array(initialRecords);
    this.kind = new Uint8Array(initialRecords);
  }

  /** True when a record of `bytes` can be reserved now. */
  fits(bytes: number): boolean {
    return this.used + bytes <= this.capacity - RING_UNUSABLE_BYTES;
  }

  /** genFirst..genTime: the generation times of the record's first and last event. */
  push(bytes: number, events: number, measured: number, genFirst: number, genTime: number, cpu: number, kind: number): void {
    if (this.count === this.cap) this.grow();
    const i = (this.head + this.count) & (this.cap - 1);
    this.bytes[i] = bytes;
    this.events[i] = events;
    this.measured[i] = measured;
    this.genTime[i] = genTime;
    this.genFirst[i] = genFirst;
    this.cpu[i] = cpu;
    this.kind[i] = kind;
    this.count++;
    this.used += bytes;
    if (this.used > this.peak) this.peak = this.used;
  }

  // Accessors of the oldest unprocessed record.
  get headBytes(): number {
    return this.bytes[this.head];
  }
  get headEvents(): number {
    return this.events[this.head];
  }
  get headMeasured(): number {
    return this.measured[this.head];
  }
  get headGenTime(): number {
    return this.genTime[this.head];
  }
  get headGenFirst(): number {
    return this.genFirst[this.head];
  }
  get headCpu(): number {
    return this.cpu[this.head];
  }
  get headKind(): number {
    return this.kind[this.head];
  }

  /** Takes the oldest record off the FIFO; its bytes stay reserved until release(). */
  shift(): void {
    this.head = (this.head + 1) & (this.cap - 1);
    this.count--;
  }

  /** The consumer gives bytes back (per record, or per batch for libbpf's perf reader). */
  release(bytes: number): void {
    this.used -= bytes;
  }

  /** Events and post-warm-up events in the sample records not yet processed (LOST records carry drop counts, not events). */
  pendingEvents(): { events: number; measured: number } {
    let events = 0;
    let measured = 0;
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & (this.cap - 1);
      if (this.kind[i] !== REC_SAMPLE) continue;
      events += this.events[i];
      measured += this.measured[i];
    }
    return { events, measured };
  }

  private grow(): void {
    const cap = this.cap * 2;
    const order = (x: Float64Array | Int32Array | Uint8Array, y: Float64Array | Int32Array | Uint8Array) => {
      for (let k = 0; k < this.count; k++) y[k] = x[(this.head + k) & (this.cap - 1)];
      return y;
    };
    this.bytes = order(this.bytes, new Float64Array(cap)) as Float64Array;
    this.events = order(this.events, new Int32Array(cap)) as Int32Array;
    this.measured = order(this.measured, new Int32Array(cap)) as Int32Array;
    this.genTime = order(this.genTime, new Float64Array(cap)) as Float64Array;
    this.genFirst = order(this.genFirst, new Float64Array(cap)) as Float64Array;
    this.cpu = order(this.cpu, new Int32Array(cap)) as Int32Array;
    this.kind = order(this.kind, new Uint8Array(cap)) as Uint8Array;
    this.head = 0;
    this.cap = cap;
  }
}
