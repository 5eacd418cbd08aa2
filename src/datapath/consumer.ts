/**
 * The user-space consumer thread: sleeps in poll until a wake-up or its timeout, then drains
 * records with the reader semantics of its flavour (reference §1.7, §2.5):
 *  - perf-per-record (BCC Python): polls all per-CPU fds (readiness flags consumed by the
 *    poll), drains each ready ring while data keeps arriving, frees space after every record;
 *  - perf-batch (libbpf): snapshots each ready ring's head, frees that ring's space only after
 *    the whole batch;
 *  - ringbuf: level-triggered readiness, drains while data arrives, frees per record.
 * Each activity is one busy chunk of known length; the host schedules its end, accounts CPU
 * time and, for a consumer sharing data-path CPU 0, pre-empts packet processing there.
 */
import type { Sampler, UniformSource } from '../distributions/types.js';
import { makeSampler } from '../distributions/sampler.js';
import type { Consumer as ConsumerSpec } from '../model/scenario.js';
import { REC_LOST, type Ring } from './ring.js';

export const C_SLEEP = 0;
export const C_WAKING = 1;
export const C_BUSY = 2;

// What the current busy chunk is.
const A_POLL = 0;
const A_WAKE = 1;
const A_RECORD = 2;
const A_AGGREGATE = 3;

/** What the consumer needs from the simulation around it. */
export interface ConsumerHost {
  /** Schedule the consumer's next event (chunk end, wake, timeout) with an epoch tag. */
  scheduleConsumer(t: number, epoch: number): void;
  /** The consumer is busy on its CPU over [t, t + d). */
  consumerBusy(t: number, d: number): void;
  /** Ring r released bytes at t (producers blocked on it may resume). */
  released(r: number, bytes: number, t: number): void;
  /** A record was fully processed at t; its events were generated from genFirst to genLast. */
  recordDone(kind: number, events: number, measured: number, genFirst: number, genLast: number, cpu: number, t: number): void;
}

export class ConsumerThread {
  state = C_SLEEP;
  /** Incremented to invalidate a pending timeout or chunk event. */
  epoch = 0;
  /** Time of the event scheduled last (a chunk's end, the end of a wake-up, a poll timeout). */
  nextAt = 0;
  // Counters (whole run): the host copies what it reports.
  wakes = 0;
  timeouts = 0;
  aggregateReads = 0;

  private activity = A_POLL;
  private readonly rng: UniformSource;
  private readonly latencyRng: UniformSource;
  private readonly poll: Sampler;
  private readonly wakeCost: Sampler;
  private readonly read: Sampler;
  private readonly decode: Sampler;
  private readonly callback: Sampler;
  private readonly log: Sampler;
  private readonly lostCost: Sampler;
  private readonly aggPerEntry: Sampler;
  private readonly perRecordFree: boolean;
  private readonly perf: boolean;
  private declare readonly aggregateEntries: number;
  // Drain cursor over the ready rings.
  private readonly readyList: Int32Array;
  private readyN = 0;
  private readyPos = 0;
  private batchLeft = 0;
  private batchBytes = 0;
  // The record being processed (taken off its ring's FIFO, bytes still reserved).
  private cur = { ring: -1, kind: 0, bytes: 0, events: 0, measured: 0, genFirst: 0, genTime: 0, cpu: 0 };
  private aggregatePending = false;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly rings: Ring[],
    private readonly wakeLatency: Sampler,
    aggregateEntries: number,
    private readonly host: ConsumerHost,
    rng: UniformSource,
    latencyRng: UniformSource,
  ) {
    this.aggregateEntries = aggregateEntries;
    this.rng = rng;
    this.latencyRng = latencyRng;
    this.poll = makeSampler(spec.pollCost);
    this.wakeCost = makeSampler(spec.wakeCost);
    this.read = makeSampler(spec.perEvent.read);
    this.decode = makeSampler(spec.perEvent.decode);
    this.callback = makeSampler(spec.perEvent.callback);
    this.log = makeSampler(spec.perEvent.log);
    this.lostCost = makeSampler(spec.lostCost);
    this.aggPerEntry = makeSampler(spec.aggregateRead.perEntry);
    this.perf = spec.reader !== 'ringbuf';
    this.perRecordFree = spec.reader !== 'perf-batch';
    this.readyList = new Int32Array(rings.length);
  }

  /** The thread starts by calling poll at time 0. */
  start(t: number): void {
    this.startPoll(t);
  }

  /** Events in the record being processed (not in a ring's FIFO, not yet consumed). */
  inProcess(): { events: number; measured: number } {
    return this.state === C_BUSY && this.activity === A_RECORD && this.cur.kind !== REC_LOST
      ? { events: this.cur.events, measured: this.cur.measured }
      : { events: 0, measured: 0 };
  }

  /** A producer's wake-up signal reached the thread. Returns true if it was asleep. */
  signal(t: number): boolean {
    if (this.state !== C_SLEEP) return false;
    this.state = C_WAKING;
    this.epoch++;
    this.activity = A_WAKE;
    this.nextAt = t + this.wakeLatency.sample(this.latencyRng);
    this.host.scheduleConsumer(this.nextAt, this.epoch);
    return true;
  }

  /**
   * True when the thread will not touch any ring before time t: it is busy or waking, and the
   * end of that (fixed: a signal does not shorten it) comes after t. A sleeping thread can be
   * woken at any moment.
   */
  quietUntilAfter(t: number): boolean {
    return this.state !== C_SLEEP && this.nextAt > t;
  }

  /** The periodic read of aggregation maps is due. */
  aggregateDue(t: number): void {
    this.aggregatePending = true;
    if (this.state === C_SLEEP) {
      this.epoch++; // the tool's own timer ends the wait
      this.runAggregate(t);
    }
  }

  /** The event scheduled by this thread fired (chunk end, wake or timeout). */
  onEvent(t: number): void {
    if (this.state === C_SLEEP) {
      // Poll timeout: return from the syscall and poll again (level-triggered ringbuf finds data).
      this.timeouts++;
      this.busy(t, this.wakeCost.sample(this.rng), A_POLL);
      return;
    }
    if (this.state === C_WAKING) {
      this.wakes++;
      this.busy(t, this.wakeCost.sample(this.rng), A_POLL);
      return;
    }
    switch (this.activity) {
      case A_POLL:
        this.evaluatePoll(t);
        break;
      case A_RECORD:
        this.finishRecord(t);
        break;
      case A_AGGREGATE:
        this.startPoll(t);
        break;
    }
  }

  private startPoll(t: number): void {
    if (this.aggregatePending) {
      this.runAggregate(t);
      return;
    }
    this.busy(t, this.poll.sample(this.rng), A_POLL);
  }

  /** poll() returns: which rings are ready now? */
  private evaluatePoll(t: number): void {
    this.readyN = 0;
    this.readyPos = 0;
    this.batchLeft = 0;
    if (this.perf) {
      for (let r = 0; r < this.rings.length; r++) {
        const ring = this.rings[r];
        if (ring.ready) {
          ring.ready = false; // perf_poll consumes the flag (edge-like readiness)
          this.readyList[this.readyN++] = r;
        }
      }
    } else if (this.rings[0].count > 0) {
      this.readyList[this.readyN++] = 0; // ringbuf: readable while data is there
    }
    if (this.readyN > 0) {
      this.nextRecord(t);
      return;
    }
    this.sleep(t);
  }

  private sleep(t: number): void {
    this.state = C_SLEEP;
    this.epoch++;
    if (this.spec.pollTimeout !== Infinity) this.host.scheduleConsumer(t + this.spec.pollTimeout, this.epoch);
  }

  private nextRecord(t: number): void {
    while (this.readyPos < this.readyN) {
      const r = this.readyList[this.readyPos];
      const ring = this.rings[r];
      if (!this.perRecordFree) {
        // libbpf perf: the batch is what data_head showed when this ring's turn began.
        if (this.batchLeft === 0 && this.batchBytes === 0) this.batchLeft = ring.count;
        if (this.batchLeft > 0) {
          this.takeRecord(r, t);
          return;
        }
        if (this.batchBytes > 0) {
          const bytes = this.batchBytes;
          this.batchBytes = 0;
          ring.release(bytes);
          this.host.released(r, bytes, t);
        }
      } else if (ring.count > 0) {
        this.takeRecord(r, t);
        return;
      }
      this.readyPos++;
    }
    this.startPoll(t);
  }

  private takeRecord(r: number, t: number): void {
    const ring = this.rings[r];
    const c = this.cur;
    c.ring = r;
    c.kind = ring.headKind;
    c.bytes = ring.headBytes;
    c.events = ring.headEvents;
    c.measured = ring.headMeasured;
    c.genTime = ring.headGenTime;
    c.genFirst = ring.headGenFirst;
    c.cpu = ring.headCpu;
    ring.shift();
    if (!this.perRecordFree) this.batchLeft--;
    let cost: number;
    if (c.kind === REC_LOST) {
      cost = this.lostCost.sample(this.rng);
    } else {
      // A batch record carries several events, each read, decoded, handled and logged.
      cost = 0;
      const rng = this.rng;
      for (let e = c.events; e > 0; e--) {
        cost += this.read.sample(rng) + this.decode.sample(rng) + this.callback.sample(rng) + this.log.sample(rng);
      }
    }
    this.busy(t, cost, A_RECORD);
  }

  private finishRecord(t: number): void {
    const c = this.cur;
    this.host.recordDone(c.kind, c.events, c.measured, c.genFirst, c.genTime, c.cpu, t);
    if (this.perRecordFree) {
      this.rings[c.ring].release(c.bytes);
      this.host.released(c.ring, c.bytes, t);
    } else {
      this.batchBytes += c.bytes;
    }
    this.activity = A_POLL; // no record in process until the next is taken
    this.nextRecord(t);
  }

  private runAggregate(t: number): void {
    this.aggregatePending = false;
    this.aggregateReads++;
    const n = this.aggregateEntries;
    let cost = 0;
    if (n > 64) {
      cost = n * this.aggPerEntry.mean; // a sum of many per-entry draws is its mean (law of large numbers)
    } else {
      for (let e = n; e > 0; e--) cost += this.aggPerEntry.sample(this.rng);
    }
    this.busy(t, cost, A_AGGREGATE);
  }

  private busy(t: number, d: number, activity: number): void {
    this.state = C_BUSY;
    this.activity = activity;
    this.epoch++;
    this.host.consumerBusy(t, d);
    this.nextAt = t + d;
    this.host.scheduleConsumer(this.nextAt, this.epoch);
  }
}
