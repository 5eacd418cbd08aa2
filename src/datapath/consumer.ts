/**
 * The user-space consumer thread: sleeps in poll until a wake-up or its timeout, then drains
 * records with the reader semantics of its flavour (reference §1.7, §2.5):
 *  - perf-per-record (BCC Python): polls all per-CPU fds (readiness flags consumed by the
 *    poll), drains each ready ring while data keeps arriving, frees space after every record;
 *  - perf-batch (libbpf): snapshots each ready ring's head, frees that ring's space only after
 *    the whole batch;
 *  - ringbuf: level-triggered readiness, drains while data arrives, frees per record.
 * Each activity is one busy chunk of known length; the host places it on the reader's CPU
 * (which it may have to wait for: other tasks, the data path), schedules its end and accounts
 * CPU time. The loop (consumer.loop) is poll (sleep in poll until a wake-up or the timeout),
 * consume-sleep (consume every ring, then sleep a fixed interval: wake-ups find no sleeper) or
 * busy (consume in a loop, never sleeping). The reader stalls now and then (consumer.stalls): a
 * pause of its runtime (a garbage collector: on its CPU) every so many events, and a blocking
 * write every so many log bytes (off its CPU).
 */
import type { Sampler, UniformSource } from '../distributions/types.js';
import { makeSampler } from '../distributions/sampler.js';
import type { Consumer as ConsumerSpec } from '../model/scenario.js';
import { REC_LOST, type Ring } from './ring.js';
import * as fd from '../math/fdlibm.js';

export const C_SLEEP = 0; // asleep in poll: a wake-up wakes it
export const C_WAKING = 1;
export const C_BUSY = 2;
export const C_NAP = 3; // consume-sleep: asleep on a timer, deaf to wake-ups
export const C_SPIN = 4; // busy loop with nothing to read: on its CPU, sees data at once

// What the current busy chunk is.
const A_POLL = 0;
const A_WAKE = 1;
const A_RECORD = 2;
const A_AGGREGATE = 3;
const A_STALL = 4; // a runtime pause (on CPU)
const A_BLOCKED = 5; // a blocking log write (off CPU)

/** What the reader was doing when an event was lost (Result events.lossCauses, in this order). */
export const LOSS_CAUSES = ['asleep', 'stalled', 'preempted', 'busyBehind'] as const;
export const LOSS_ASLEEP = 0;
export const LOSS_STALLED = 1;
export const LOSS_PREEMPTED = 2;
export const LOSS_BUSY = 3;

/** What the consumer needs from the simulation around it. */
export interface ConsumerHost {
  /** Schedule the consumer's next event (chunk end, wake, timeout) with an epoch tag. */
  scheduleConsumer(t: number, epoch: number): void;
  /**
   * A chunk of d ns of reader work is ready at t (`woken`: the reader just became runnable):
   * where it starts on the reader's CPU (>= t).
   */
  placeChunk(t: number, d: number, woken: boolean): number;
  /** The consumer is busy on its CPU over [t, t + d). */
  consumerBusy(t: number, d: number): void;
  /** The reader left its CPU (sleeps or blocks). */
  readerLeft(t: number): void;
  /** The reader is blocked in a write over [t, t + d) (off its CPU, not handling records). */
  consumerBlocked(t: number, d: number): void;
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
  /** Start of the current chunk on the CPU (after any wait for it). */
  chunkStart = 0;
  // Counters (whole run): the host copies what it reports.
  wakes = 0;
  timeouts = 0;
  aggregateReads = 0;
  /** Polls (or consume passes) that found data ready. */
  pollsWithData = 0;
  /** Sleeps that ended (a wake-up, a poll timeout, the end of a consume-sleep interval). */
  sleepsEnded = 0;
  /** Runtime pauses and blocking log writes. */
  stalls = 0;

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
  private readonly idleExit: Sampler | null;
  private declare readonly idleAfter: number;
  private readonly loop: 'poll' | 'consume-sleep' | 'busy';
  private declare readonly sleepInterval: number;
  // Stalls: events to the next runtime pause, log bytes to the next blocking write.
  private readonly stallPause: Sampler | null;
  private readonly sinkPause: Sampler | null;
  private declare readonly stallEvery: number;
  private declare readonly sinkEvery: number;
  private declare readonly logBytes: number;
  private declare toStall: number;
  private declare toSinkBlock: number;
  /** When the current sleep began (wake latency grows after a long idle). */
  private declare sleptAt: number;
  /** The next chunk follows a wake-up (the scheduler may let it pre-empt). */
  private woken = false;
  /** The wake-up in progress is a timer's (poll timeout, consume-sleep), not a producer's. */
  private timerWake = false;
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
    this.idleExit = spec.sched ? makeSampler(spec.sched.idleExit) : null;
    this.idleAfter = spec.sched ? spec.sched.idleAfter : Infinity;
    this.loop = spec.loop ?? 'poll';
    this.sleepInterval = spec.sleepInterval ?? 0;
    const st = spec.stalls;
    this.stallEvery = st && st.every > 0 ? st.every : 0;
    this.sinkEvery = st && st.sinkEvery > 0 && spec.logBytes > 0 ? st.sinkEvery : 0;
    this.stallPause = this.stallEvery > 0 ? makeSampler(st!.pause) : null;
    this.sinkPause = this.sinkEvery > 0 ? makeSampler(st!.sinkPause) : null;
    this.logBytes = spec.logBytes;
    this.toStall = this.stallEvery > 0 ? this.nextStallGap() : Infinity;
    this.toSinkBlock = this.sinkEvery > 0 ? this.sinkEvery : Infinity;
    this.sleptAt = 0;
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
    this.nextAt = t + this.wakeLatency.sample(this.latencyRng) + this.idleExitAt(t);
    this.host.scheduleConsumer(this.nextAt, this.epoch);
    return true;
  }

  /** True while the reader sleeps in poll (a wake-up would find a sleeper). */
  asleep(): boolean {
    return this.state === C_SLEEP;
  }

  /** Busy loop: a record was just written; a spinning reader sees it at once. */
  dataArrived(t: number): void {
    if (this.state !== C_SPIN) return;
    this.host.consumerBusy(this.sleptAt, t - this.sleptAt); // the spinning was CPU time
    this.epoch++;
    this.evaluatePoll(t);
  }

  /**
   * Softirq work on the reader's CPU over [s, s + d) pre-empts the chunk it overlaps: the
   * chunk ends d later (or starts when the work ends).
   */
  preemptedBy(s: number, d: number): void {
    if (this.state !== C_BUSY || this.activity === A_BLOCKED || d <= 0) return;
    let push = 0;
    if (s >= this.chunkStart && s < this.nextAt) push = d;
    else if (s < this.chunkStart && s + d > this.chunkStart) push = s + d - this.chunkStart;
    if (push <= 0) return;
    if (s < this.chunkStart) this.chunkStart = s + d;
    this.nextAt += push;
    this.epoch++;
    this.host.scheduleConsumer(this.nextAt, this.epoch);
  }

  /** What the reader is doing at t, as a loss cause (LOSS_*). */
  lossCause(t: number): number {
    const st = this.state;
    if (st === C_SLEEP || st === C_WAKING || st === C_NAP) return LOSS_ASLEEP;
    if (st === C_BUSY) {
      if (this.activity === A_STALL || this.activity === A_BLOCKED) return LOSS_STALLED;
      if (t < this.chunkStart) return LOSS_PREEMPTED;
    }
    return LOSS_BUSY;
  }

  /** Extra wake-up latency when the sleep since sleptAt outlasted the shallow idle states. */
  private idleExitAt(t: number): number {
    return this.idleExit !== null && t - this.sleptAt > this.idleAfter ? this.idleExit.sample(this.latencyRng) : 0;
  }

  private nextStallGap(): number {
    // Exponential with mean stallEvery events (at least one event between pauses).
    return 1 + Math.floor(-fd.log(1 - this.rng.double()) * this.stallEvery);
  }

  /**
   * True when the thread will not touch any ring before time t: it is busy or waking, and the
   * end of that (fixed: a signal does not shorten it) comes after t. A sleeping thread can be
   * woken at any moment.
   */
  quietUntilAfter(t: number): boolean {
    return this.state !== C_SLEEP && this.state !== C_SPIN && this.nextAt > t;
  }

  /** The periodic read of aggregation maps is due. */
  aggregateDue(t: number): void {
    this.aggregatePending = true;
    if (this.state === C_SLEEP || this.state === C_SPIN) {
      if (this.state === C_SPIN) this.host.consumerBusy(this.sleptAt, t - this.sleptAt);
      this.epoch++; // the tool's own timer ends the wait
      this.sleepsEnded++;
      this.woken = true;
      this.runAggregate(t);
    }
  }

  /** The event scheduled by this thread fired (chunk end, wake or timeout). */
  onEvent(t: number): void {
    if (this.state === C_SLEEP || this.state === C_NAP) {
      // Poll timeout (or the end of a consume-sleep interval): the timer's wake-up, then
      // return from the syscall and look again (a level-triggered ringbuf finds data).
      if (this.state === C_SLEEP) this.timeouts++;
      this.timerWake = true;
      this.state = C_WAKING;
      this.activity = A_WAKE;
      this.epoch++;
      this.nextAt = t + this.wakeLatency.sample(this.latencyRng) + this.idleExitAt(t);
      this.host.scheduleConsumer(this.nextAt, this.epoch);
      return;
    }
    if (this.state === C_WAKING) {
      this.sleepsEnded++;
      if (!this.timerWake) this.wakes++;
      this.timerWake = false;
      this.woken = true;
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
      case A_STALL:
        this.nextRecord(t);
        break;
      case A_BLOCKED:
        this.woken = true; // the write returned: runnable again
        this.nextRecord(t);
        break;
    }
  }

  private startPoll(t: number): void {
    if (this.aggregatePending) {
      this.runAggregate(t);
      return;
    }
    // consume-sleep and busy loops call *_consume(): no poll syscall.
    this.busy(t, this.loop === 'poll' ? this.poll.sample(this.rng) : 0, A_POLL);
  }

  /** poll() returns: which rings are ready now? */
  private evaluatePoll(t: number): void {
    this.readyN = 0;
    this.readyPos = 0;
    this.batchLeft = 0;
    if (this.loop !== 'poll') {
      // *_consume() walks every ring, ready or not.
      for (let r = 0; r < this.rings.length; r++) {
        const ring = this.rings[r];
        ring.ready = false;
        if (ring.count > 0 || (!this.perRecordFree && ring.used > 0)) this.readyList[this.readyN++] = r;
      }
    } else if (this.perf) {
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
      this.pollsWithData++;
      this.nextRecord(t);
      return;
    }
    this.sleep(t);
  }

  private sleep(t: number): void {
    this.epoch++;
    this.sleptAt = t;
    if (this.loop === 'busy') {
      this.state = C_SPIN; // stays on its CPU; dataArrived ends the spin
      return;
    }
    this.host.readerLeft(t);
    if (this.loop === 'consume-sleep') {
      this.state = C_NAP;
      this.nextAt = t + this.sleepInterval;
      this.host.scheduleConsumer(this.nextAt, this.epoch);
      return;
    }
    this.state = C_SLEEP;
    if (this.spec.pollTimeout !== Infinity) {
      this.nextAt = t + this.spec.pollTimeout;
      this.host.scheduleConsumer(this.nextAt, this.epoch);
    }
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
    // A consume pass is one walk over the rings; then the loop sleeps (or spins).
    if (this.loop !== 'poll' && !this.aggregatePending) {
      this.sleep(t);
      return;
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
    if (c.kind !== REC_LOST && this.stalled(t, c.events)) return;
    this.nextRecord(t);
  }

  /** Counts handled events toward the next pause; starts one when due. */
  private stalled(t: number, events: number): boolean {
    if (this.stallPause !== null) {
      this.toStall -= events;
      if (this.toStall <= 0) {
        this.toStall = this.nextStallGap();
        this.stalls++;
        this.busy(t, this.stallPause.sample(this.rng), A_STALL); // the collector runs on the CPU
        return true;
      }
    }
    if (this.sinkPause !== null) {
      this.toSinkBlock -= events * this.logBytes;
      if (this.toSinkBlock <= 0) {
        this.toSinkBlock += this.sinkEvery;
        this.stalls++;
        // write() blocks: the reader is off its CPU until the sink drains.
        this.state = C_BUSY;
        this.activity = A_BLOCKED;
        this.epoch++;
        this.host.readerLeft(t);
        this.chunkStart = t;
        const pause = this.sinkPause.sample(this.rng);
        this.host.consumerBlocked(t, pause);
        this.nextAt = t + pause;
        this.host.scheduleConsumer(this.nextAt, this.epoch);
        return true;
      }
    }
    return false;
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
    const start = this.host.placeChunk(t, d, this.woken);
    this.woken = false;
    this.chunkStart = start;
    this.host.consumerBusy(start, d);
    this.nextAt = start + d;
    this.host.scheduleConsumer(this.nextAt, this.epoch);
  }
}
