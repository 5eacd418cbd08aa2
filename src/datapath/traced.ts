/**
 * The traced run: the same packets as the baseline twin, now paying for the probes. Each CPU
 * is a FIFO server with a finite receive queue. A packet's probe work is planned when its
 * service starts (program.ts); the event list holds only what touches shared state: a submit
 * point, a ringbuf lock hand-over, the consumer's activities, warm-up and the aggregation
 * timer. Arrivals are merged in from the arrival source without going through the heap.
 *
 * Departures are not events (DESIGN: "schedule an event only where parts of the model
 * interact"). A packet with no submit point touches nothing shared, so its departure is known
 * when its service starts; a packet with submit points knows it at its last submit. Each CPU
 * then chains the next waiting packet Lindley-style, and keeps the departure times of the
 * packets still in its system so that an arrival sees the exact receive-queue occupancy (as the
 * baseline twin does). Only a CPU whose packets can be pre-empted after that point (CPU 0 when
 * the reader takes turns on it with a data path running as a task) keeps a departure event per
 * packet.
 *
 * A submit that is sure to find its perf ring full is no event either (surelyFull): the ring
 * can only fill further until the consumer's next release, so when that is later than the
 * submit point, the drop is settled when the service starts.
 */
import type { Sampler, UniformSource } from '../distributions/types.js';
import { makeSampler } from '../distributions/sampler.js';
import type { Scenario } from '../model/scenario.js';
import { EventHeap } from '../engine/heap.js';
import { Streams } from '../engine/rng.js';
import { LogLinearHistogram } from '../metrics/histogram.js';
import { TimeWeightedLevel } from '../metrics/level.js';
import { LevelSeries } from '../metrics/series.js';
import { StayArea } from '../metrics/stay-area.js';
import { ArrivalSource, DEFAULT_PACKET_BYTES } from './traffic.js';
import { serviceStreamName, type LindleyTwin } from './baseline.js';
import { PacketPlan, ProbePlanner } from './program.js';
import { Ring, REC_LOST, REC_SAMPLE } from './ring.js';
import { ConsumerThread, LOSS_CAUSES, type ConsumerHost } from './consumer.js';
import { ReaderCpu, type DatapathOnCpu } from './reader-cpu.js';
import { ReserveLock } from './reserve-lock.js';
import { BlockedProducers } from './blocked-producers.js';
import { WakeupPolicy } from './wakeup-policy.js';
import { DepartureBook } from './departures.js';
import { PERF_LOST_RECORD_BYTES, perfRecordBytes, ringbufRecordBytes } from '../records/sizes.js';
import { InvariantError } from './invariants.js';

// Event kinds (payload word a); word b is the owner's epoch.
const EV_PHASE = 0; // a CPU's current service phase ends (a submit point, or an eager departure): cpu in the high bits
const EV_LOCK = 1; // a CPU acquires the ringbuf lock
const EV_CONSUMER = 2;
const EV_WARMUP = 3;
const EV_AGGREGATE = 4;
/** Not a heap event: an arrival merged in from the arrival source (seen only by the trace hook). */
const EV_ARRIVAL = 5;
const EV_IRQWORK = 6; // a buffer's pending irq_work runs (ring index in the high bits)
const KIND_BITS = 3;
const KIND_MASK = (1 << KIND_BITS) - 1;

/** Names of the event kinds the trace hook reports, by kind number. */
export const TRACE_KINDS = ['phase', 'lock', 'consumer', 'warmup', 'aggregate', 'arrival', 'irqwork'] as const;

export interface TracedRunOptions {
  /**
   * Called for every event the run processes, in order: each arrival and each event popped from
   * the event list (stale ones included). `kind` indexes TRACE_KINDS; `cpu` is the data-path
   * CPU of arrivals, phase and lock events, -1 otherwise. For fingerprints and debugging; when
   * absent the run pays one null check per event.
   */
  trace?: (t: number, kind: number, cpu: number) => void;
  /**
   * The baseline twin to feed: each arrival with the service time drawn for it, so that the
   * twin shares the traced run's arrival, RSS and service draws instead of replaying them.
   */
  twin?: LindleyTwin;
}

// CPU states.
const IDLE = 0;
const RUNNING = 1; // in a timed phase; an EV_PHASE is pending
const SPINNING = 2; // waiting for the ringbuf lock; an EV_LOCK is pending
const BLOCKED = 3; // onFull: block, waiting for room in its ring

/** Whole-run and post-warm-up counters of the traced run (the Result is built from these). */
export class TracedCounters {
  packets = 0;
  delivered = 0;
  rxDrops = 0;
  departedTotal = 0;
  droppedTotal = 0;
  submitCalls = 0;
  submitted = 0;
  /** Post-warm-up lost events by what the reader was doing (LOSS_CAUSES order). */
  lostWhile = new Float64Array(LOSS_CAUSES.length);
  // Events by fate, whole run (for conservation) and measured (post-warm-up generation).
  lostTotal = 0;
  consumedTotal = 0;
  lostReportedTotal = 0;
  lost: Float64Array;
  consumed: Float64Array;
  lostReported = 0;
  logEvents = 0;
  kernelNs: Float64Array;
  consumerNs = 0;
  /** Reader time blocked in log writes (off its CPU), measured window. */
  consumerBlockedNs = 0;
  eventsProcessed = 0;
  /** Arrivals at or after warm-up (open traffic), dropped or not. */
  arrivals = 0;
  /** Of those, the ones that found their CPU busy and waited in the receive queue. */
  queued = 0;
  constructor(cpus: number) {
    this.lost = new Float64Array(cpus);
    this.consumed = new Float64Array(cpus);
    this.kernelNs = new Float64Array(cpus);
  }
}

export class TracedRun implements ConsumerHost, DatapathOnCpu {
  readonly counters: TracedCounters;
  readonly latency = new LogLinearHistogram();
  readonly eventDelay = new LogLinearHistogram();
  readonly rings: Ring[];
  readonly ringLevels: TimeWeightedLevel[];
  readonly ringSeries: LevelSeries[];
  readonly backlog = new TimeWeightedLevel();
  /** Packets in the system (waiting or in service, all CPUs), time-weighted after warm-up. */
  readonly inSystem: StayArea;
  readonly planner: ProbePlanner;
  readonly consumer: ConsumerThread;
  /** Activity counters as they stood at the end of warm-up. */
  private readonly atWarmup = measuredZero();

  private readonly heap = new EventHeap();
  private readonly arrivals: ArrivalSource | null;
  private readonly service: Sampler;
  private declare readonly perByte: number;
  /** saturate: every packet's size (there is no trace). */
  private declare readonly saturateBytes: number;
  private readonly svcRng: UniformSource[];
  private readonly submitRng: UniformSource;
  private readonly perf: boolean;
  private readonly block: boolean;
  private readonly recordBytes: (payload: number) => number;
  private readonly failedCost: Sampler;
  private readonly wakeups: WakeupPolicy;
  private readonly readerCpu: ReaderCpu;
  /** Ringbuf only: the reserve spinlock all CPUs share. */
  private readonly lock: ReserveLock | null;
  // `declare` numeric fields are set in the constructor only (no ES2022 field definition as
  // undefined first, after which V8 would keep each float as a separate heap number).
  /** The reader shares CPU 0 with a data path running as a task: it freezes that CPU while it runs. */
  private readonly taskShared: boolean;
  /** The reader shares CPU 0 with softirq packet work, which pre-empts it. */
  private readonly softirqShared: boolean;
  private declare readonly warmup: number;
  private declare readonly duration: number;
  private declare readonly aggregateInterval: number;

  // Per-CPU state.
  private readonly state: Uint8Array;
  private readonly epoch: Int32Array;
  private readonly phase: Int32Array;
  private readonly phaseEnd: Float64Array;
  private readonly curArrival: Float64Array;
  private readonly curBase: Float64Array;
  private readonly curStart: Float64Array;
  private readonly plans: PacketPlan[];
  private readonly qArr: Float64Array;
  private readonly qSvc: Float64Array;
  private readonly qHead: Int32Array;
  private readonly qCount: Int32Array;
  private declare readonly rxQueue: number;
  /** Per-CPU circular buffers hold rxQueue + 1 packets: the waiting ones and the one in service. */
  private declare readonly slots: number;
  /** Per CPU, the known departures of the packets in its system, and the last departure. */
  private readonly book: DepartureBook;
  /** 1: departures are computed (no event); 0: each departure is an event (CPU 0 under a shared consumer). */
  private readonly lazy: Uint8Array;
  /** False for a model with no probes: every packet's plan is then empty, and is never made. */
  private readonly probed: boolean;
  /** Drops can be settled at service start: perf buffer, onFull drop, a dedicated consumer. */
  private readonly settleDrops: boolean;
  /** Dynamic cost (lock hand-off) carried from the submit request to the submit. */
  private readonly carry: Float64Array;
  /** Producers waiting for room (onFull: block). */
  private readonly blocked: BlockedProducers;
  /** Shared consumer: CPU 0 makes no progress before this time. */
  private cpu0FrozenUntil = 0;
  /** Start of the reader's current (or next) chunk on CPU 0: CPU 0 is frozen over [from, until). */
  private cpu0FrozenFrom = 0;
  private now = 0;
  private readonly trace: ((t: number, kind: number, cpu: number) => void) | null;
  private readonly twin: LindleyTwin | null;

  constructor(
    private readonly s: Scenario,
    options: TracedRunOptions = {},
  ) {
    this.trace = options.trace ?? null;
    this.twin = options.twin ?? null;
    const streams = new Streams(s.seed);
    const { cpus } = s;
    this.warmup = s.traffic.warmup;
    this.duration = s.traffic.duration;
    this.counters = new TracedCounters(cpus);
    this.arrivals = s.traffic.arrival === 'saturate' ? null : new ArrivalSource(s.traffic, cpus, streams);
    this.service = makeSampler(s.datapath.service);
    this.perByte = s.datapath.perByte ?? 0;
    this.saturateBytes = s.traffic.packetSize ?? DEFAULT_PACKET_BYTES;
    this.svcRng = Array.from({ length: cpus }, (_, c) => streams.get(serviceStreamName(c)));
    this.submitRng = streams.get('submit');
    this.planner = new ProbePlanner(s, streams, this.warmup);

    const out = s.output;
    this.perf = out.type === 'perf_buffer';
    this.block = out.onFull === 'block';
    this.recordBytes = this.perf ? perfRecordBytes : ringbufRecordBytes;
    this.failedCost = makeSampler(out.failedCost);
    if (out.type === 'perf_buffer') {
      this.rings = Array.from({ length: cpus }, () => new Ring(out.ringBytes));
      this.lock = null;
    } else {
      this.rings = [new Ring(out.ringBytes)];
      this.lock = new ReserveLock(out.lock, cpus, this.submitRng);
    }
    const seriesEnd = this.duration;
    this.ringLevels = this.rings.map(() => new TimeWeightedLevel(0, 0));
    this.ringSeries = this.rings.map(() => new LevelSeries(this.warmup, s.interval, seriesEnd));
    this.blocked = new BlockedProducers(this.rings.length, cpus);

    const context = s.datapath.context ?? 'softirq';
    this.taskShared = s.consumer.cpu === 'shared' && context === 'task';
    this.softirqShared = s.consumer.cpu === 'shared' && context === 'softirq';
    this.readerCpu = new ReaderCpu(s.consumer, context, this, streams.get('scheduler'));
    this.inSystem = new StayArea(this.warmup, this.duration);
    const aggregateEntries = s.consumer.aggregateRead.entries;
    this.aggregateInterval = aggregateEntries > 0 ? s.consumer.aggregateRead.interval : Infinity;
    this.consumer = new ConsumerThread(
      s.consumer,
      this.rings,
      makeSampler(out.wakeup.latency),
      aggregateEntries,
      this,
      streams.get('consumer'),
      streams.get('wakeup'),
    );
    this.wakeups = new WakeupPolicy(out, this.consumer, (r, at) => this.heap.push(at, (r << KIND_BITS) | EV_IRQWORK, 0), this.submitRng);

    this.state = new Uint8Array(cpus);
    this.epoch = new Int32Array(cpus);
    this.phase = new Int32Array(cpus);
    this.phaseEnd = new Float64Array(cpus);
    this.curArrival = new Float64Array(cpus);
    this.curBase = new Float64Array(cpus);
    this.curStart = new Float64Array(cpus);
    this.carry = new Float64Array(cpus);
    this.plans = Array.from({ length: cpus }, () => new PacketPlan());
    this.rxQueue = s.datapath.rxQueue;
    this.slots = this.rxQueue + 1;
    this.qArr = new Float64Array(cpus * this.slots);
    this.qSvc = new Float64Array(cpus * this.slots);
    this.qHead = new Int32Array(cpus);
    this.qCount = new Int32Array(cpus);
    this.book = new DepartureBook(cpus, this.slots);
    this.lazy = new Uint8Array(cpus).fill(1);
    this.probed = s.probes.length > 0;
    this.settleDrops = this.perf && !this.block && !this.taskShared;
    // A reader sharing CPU 0 as a task pre-empts it at times not known when a service starts.
    if (this.taskShared) this.lazy[0] = 0;
  }

  run(): void {
    const heap = this.heap;
    const end = this.duration;
    const src = this.arrivals;
    heap.push(this.warmup, EV_WARMUP);
    if (this.aggregateInterval < Infinity) heap.push(this.aggregateInterval, EV_AGGREGATE);
    if (this.planner.hasSubmit || this.aggregateInterval < Infinity) this.consumer.start(0);
    if (!src) for (let c = 0; c < this.s.cpus; c++) this.startWaiting(c);

    const trace = this.trace;
    let processed = 0;
    for (;;) {
      const th = heap.peekTime();
      if (src !== null && src.time < th) {
        // Arrivals strictly before the next event (an event at the same time goes first,
        // as a departure at t frees its slot before an arrival at t in the Lindley twin).
        if (src.time > end) break;
        if (src.time < this.now) this.clockWentBack(src.time, EV_ARRIVAL);
        this.now = src.time;
        if (trace !== null) trace(src.time, EV_ARRIVAL, src.cpu);
        this.arrive(src);
        src.advance();
        continue;
      }
      if (th > end) break;
      heap.pop();
      processed++;
      const t = heap.topTime;
      // An event scheduled in the past pops next, so this one comparison guards every source.
      if (t < this.now) this.clockWentBack(t, heap.topA & KIND_MASK);
      this.now = t;
      const a = heap.topA;
      const kind = a & KIND_MASK;
      if (trace !== null) trace(t, kind, kind === EV_PHASE || kind === EV_LOCK ? a >> KIND_BITS : -1);
      if (kind === EV_PHASE) {
        const c = a >> KIND_BITS;
        if (heap.topB === this.epoch[c]) this.phaseDone(c, t);
      } else if (kind === EV_CONSUMER) {
        if (heap.topB === this.consumer.epoch) this.consumer.onEvent(t);
      } else if (kind === EV_LOCK) {
        const c = a >> KIND_BITS;
        if (heap.topB === this.epoch[c]) this.reserve(c, t, this.carry[c]);
      } else if (kind === EV_IRQWORK) {
        this.wakeups.irqWorkRuns(this.rings[a >> KIND_BITS], t);
      } else if (kind === EV_WARMUP) {
        this.startMeasuring(t);
      } else {
        this.consumer.aggregateDue(t);
        heap.push(t + this.aggregateInterval, EV_AGGREGATE);
      }
    }
    this.now = end;
    this.counters.eventsProcessed = processed;
    for (const lv of this.ringLevels) lv.set(end, lv.level);
    for (const sr of this.ringSeries) sr.finish(end);
    this.backlog.set(end, this.backlog.level);
    // Packets still waiting or in a service whose departure is not known stay to the end.
    for (let c = 0; c < this.s.cpus; c++) {
      if (this.state[c] !== IDLE) this.inSystem.add(this.curArrival[c], end);
      for (let j = 0, i = this.qHead[c]; j < this.qCount[c]; j++, i = i + 1 === this.slots ? 0 : i + 1) {
        this.inSystem.add(this.qArr[c * this.slots + i], end);
      }
    }
  }

  /** Packets waiting or in service at the end. */
  inFlight(): number {
    const end = this.duration;
    let n = 0;
    for (let c = 0; c < this.s.cpus; c++) {
      n += this.qCount[c] + (this.state[c] !== IDLE ? 1 : 0);
      if (this.arrivals === null) {
        // Saturate keeps no departure list: only the last packet started can still be there.
        if (this.state[c] === IDLE && this.book.lastDep[c] > end) n++;
        continue;
      }
      // Known departures after the end: still in the system.
      n += this.book.after(c, end);
    }
    return n;
  }

  /** Events generated by packets in service whose submit point is not yet reached. */
  eventsInService(): { events: number; measured: number } {
    let events = 0;
    let measured = 0;
    for (let c = 0; c < this.s.cpus; c++) {
      if (this.state[c] === IDLE) continue;
      const plan = this.plans[c];
      for (let k = this.phase[c]; k < plan.n; k++) {
        events += plan.events[k];
        measured += plan.measured[k];
      }
    }
    return { events, measured };
  }

  // ---- packets -------------------------------------------------------------------------

  /** Baseline service of a packet of `bytes` on CPU c: the drawn cost plus the per-byte term. */
  private drawService(c: number, bytes: number): number {
    return this.service.sample(this.svcRng[c]) + this.perByte * bytes;
  }

  /** The arrival the source points at (read from it: no float arguments to box per call). */
  private arrive(src: ArrivalSource): void {
    const t = src.time;
    const c = src.cpu;
    if (this.twin !== null) this.twin.offer(t, c, src.bytes);
    const k = this.counters;
    k.packets++;
    const measured = t >= this.warmup;
    if (measured) k.arrivals++;
    const present = this.book.leaveBy(c, t) + this.qCount[c] + (this.state[c] !== IDLE ? 1 : 0);
    if (present > this.rxQueue) {
      // rxQueue waiting and one in service: the receive ring is full.
      k.droppedTotal++;
      if (measured) k.rxDrops++;
      return;
    }
    if (present > 0 && measured) k.queued++;
    // Drawn for accepted packets only, in service order, as the twin does (CRN): the n-th
    // packet a CPU serves costs the twin's n-th draw plus its probes, never less.
    const svc = this.drawService(c, src.bytes);
    const q = this.qHead[c] + this.qCount[c];
    const i = c * this.slots + (q >= this.slots ? q - this.slots : q);
    this.qArr[i] = t;
    this.qSvc[i] = svc;
    this.qCount[c]++;
    if (this.state[c] === IDLE) this.startWaiting(c);
  }

  /**
   * Starts the packets waiting on CPU c, in order, while their departures are known at once;
   * stops at a packet with a submit point (its departure becomes known later) or at one that
   * would start after the end. Under saturate, starts new packets back to back instead.
   * (One loop with the service start inside: it runs once per packet.)
   */
  private startWaiting(c: number): void {
    const end = this.duration;
    const slots = this.slots;
    const plan = this.plans[c];
    while (this.state[c] === IDLE) {
      const free = this.book.lastDep[c];
      let t: number;
      let base: number;
      if (this.arrivals === null) {
        if (free > end) return;
        this.counters.packets++;
        t = free;
        base = this.drawService(c, this.saturateBytes);
        this.curArrival[c] = free;
      } else {
        const n = this.qCount[c];
        if (n === 0) return;
        const h = this.qHead[c];
        const i = c * slots + h;
        const arrival = this.qArr[i];
        t = arrival > free ? arrival : free;
        if (t > end) return; // it would start after the end: in flight, never planned
        this.qHead[c] = h + 1 === slots ? 0 : h + 1;
        this.qCount[c] = n - 1;
        base = this.qSvc[i];
        this.curArrival[c] = arrival;
      }
      // The service starts at t (later, if a shared consumer holds CPU 0).
      if (c === 0 && this.cpu0FrozenUntil > t && t >= this.cpu0FrozenFrom) t = this.cpu0FrozenUntil;
      if (this.probed) {
        this.planner.plan(c, t, plan);
        // Each segment's kernel time where it runs (the first now, the others after their submit):
        // counted at once, it would overlap a spin or a blocked wait and pass 100% of the CPU.
        this.addKernelTime(c, t, plan.seg[0]);
      }
      // Softirq work on the reader's CPU pre-empts the reader for the service (its dynamic
      // costs, wake-ups and lock waits, are not known yet and are left out).
      if (c === 0 && this.softirqShared) this.consumer.preemptedBy(t, this.knownServiceNs(plan, base));
      if (plan.n === 0 && this.lazy[c] === 1) {
        // No submit point: nothing in this service touches shared state.
        const d = plan.seg[0] + base;
        checkDuration(c, t, d);
        this.departs(c, t + d);
        continue;
      }
      if (plan.n === 1 && this.lazy[c] === 1) {
        checkDuration(c, t, plan.seg[0]);
        const ts = t + plan.seg[0];
        if (this.surelyFull(c, ts, plan)) {
          // Settled now, exactly as the submit event would: the drop, its cost, the departure.
          this.counters.submitCalls++;
          const cost = this.dropped(c, c, ts, plan.events[0], plan.measured[0]);
          this.addKernelTime(c, ts, cost + plan.seg[1]);
          const d = cost + plan.seg[1] + base;
          checkDuration(c, ts, d);
          this.departs(c, ts + d);
          continue;
        }
      }
      this.curBase[c] = base;
      this.curStart[c] = t;
      this.phase[c] = 0;
      this.schedulePhase(c, t, plan.n === 0 ? plan.seg[0] + base : plan.seg[0]);
    }
  }

  /** The part of a service known at its start: the static probe cost, the transport costs, the base. */
  private knownServiceNs(plan: PacketPlan, base: number): number {
    let d = plan.staticNs + base;
    for (let k = 0; k < plan.n; k++) d += plan.cost[k];
    return d;
  }

  private schedulePhase(c: number, t: number, d: number): void {
    checkDuration(c, t, d);
    // A phase of CPU 0 that runs into the reader's next chunk waits it out.
    if (c === 0 && t < this.cpu0FrozenFrom && t + d > this.cpu0FrozenFrom) d += this.cpu0FrozenUntil - this.cpu0FrozenFrom;
    this.state[c] = RUNNING;
    const end = t + d;
    this.phaseEnd[c] = end;
    this.heap.push(end, (c << KIND_BITS) | EV_PHASE, ++this.epoch[c]);
  }

  private phaseDone(c: number, t: number): void {
    const plan = this.plans[c];
    if (this.phase[c] < plan.n) {
      this.requestSubmit(c, t);
    } else {
      this.departs(c, t); // an eager departure event
      this.startWaiting(c);
    }
  }

  /** Continue after submit k with its dynamic cost; the last phase carries the base cost. */
  private afterSubmit(c: number, t: number, dynamicNs: number): void {
    const plan = this.plans[c];
    const k = ++this.phase[c];
    this.addKernelTime(c, t, dynamicNs + plan.seg[k]);
    let d = dynamicNs + plan.seg[k];
    if (k === plan.n) {
      d += this.curBase[c];
      if (this.lazy[c] === 1) {
        // The last submit is done: the rest of the service touches nothing shared.
        checkDuration(c, t, d);
        this.departs(c, t + d);
        this.startWaiting(c);
        return;
      }
    }
    this.schedulePhase(c, t, d);
  }

  /**
   * The packet in service on CPU c (arrived at curArrival[c]) leaves at dep: counted now, even
   * when that is still ahead. One float argument: a call that V8 does not inline boxes each.
   */
  private departs(c: number, dep: number): void {
    const arrival = this.curArrival[c];
    if (dep <= this.duration) {
      const k = this.counters;
      k.departedTotal++;
      if (dep > this.warmup) k.delivered++;
      if (arrival >= this.warmup) this.latency.record(dep - arrival);
    }
    this.inSystem.add(arrival, dep);
    this.state[c] = IDLE;
    // Open traffic: arrivals will need to know whether this packet is still in the system.
    if (this.lazy[c] === 1 && this.arrivals !== null) this.book.add(c, dep);
    else this.book.lastDep[c] = dep;
  }

  // ---- submits -------------------------------------------------------------------------

  private requestSubmit(c: number, t: number): void {
    this.counters.submitCalls++;
    if (this.lock === null) {
      this.reserve(c, t, 0);
      return;
    }
    // Ringbuf: the reservation runs under one spinlock for all CPUs.
    const acquire = this.lock.acquire(c, t);
    const handoff = this.lock.handoffNs;
    if (acquire > t) {
      this.state[c] = SPINNING;
      this.carry[c] = handoff;
      this.addKernelTime(c, t, acquire - t); // spinning is CPU time the probe costs
      this.heap.push(acquire, (c << KIND_BITS) | EV_LOCK, ++this.epoch[c]);
    } else {
      this.reserve(c, t, handoff);
    }
  }

  /** The reservation itself, at time t: room or not, the record, the wake-up. */
  private reserve(c: number, t: number, dynamicNs: number): void {
    const plan = this.plans[c];
    const k = this.phase[c];
    const r = this.perf ? c : 0;
    const ring = this.rings[r];
    const rec = this.recordBytes(plan.bytes[k]);
    const lostFirst = this.perf && ring.lostPending > 0;
    const need = lostFirst ? rec + PERF_LOST_RECORD_BYTES : rec;
    if (!ring.fits(need)) {
      this.noRoom(c, r, t, dynamicNs, plan.events[k], plan.measured[k]);
      return;
    }
    const wasEmpty = ring.used === 0;
    if (lostFirst) {
      // The kernel reports earlier drops in-band, just before the next sample that fits.
      ring.push(PERF_LOST_RECORD_BYTES, ring.lostPending, ring.lostPendingMeasured, t, t, c, REC_LOST);
      ring.lostPending = 0;
      ring.lostPendingMeasured = 0;
    }
    // A batch carries its events' own generation times; a single event is generated now.
    const batched = plan.genFirst[k] >= 0;
    ring.push(rec, plan.events[k], plan.measured[k], batched ? plan.genFirst[k] : t, batched ? plan.genLast[k] : t, c, REC_SAMPLE);
    this.consumer.dataArrived(t);
    this.counters.submitted++;
    this.levelChanged(r, t, need, lostFirst ? 2 : 1);
    let cost = dynamicNs + plan.cost[k];
    if (this.wakeups.shouldWake(ring, need, wasEmpty)) cost += this.wakeups.request(r, ring, t);
    this.afterSubmit(c, t, cost);
  }

  private noRoom(c: number, r: number, t: number, dynamicNs: number, events: number, measured: number): void {
    if (this.block) {
      // What-if: the producer waits for room, and kicks a sleeping consumer.
      this.state[c] = BLOCKED;
      this.blocked.wait(r, c, t, dynamicNs);
      this.wakeups.kick(t);
      return;
    }
    this.afterSubmit(c, t, dynamicNs + this.dropped(c, r, t, events, measured));
  }

  /** A submit from CPU c at t found ring r full and drops its events; returns the producer's cost. */
  private dropped(c: number, r: number, t: number, events: number, measured: number): number {
    const k = this.counters;
    k.lostTotal += events;
    k.lost[c] += measured;
    if (measured > 0) k.lostWhile[this.consumer.lossCause(t)] += measured;
    const ring = this.rings[r];
    if (this.perf) {
      ring.lostPending += events;
      ring.lostPendingMeasured += measured;
    }
    if (measured > 0) this.ringSeries[r].count(t, measured);
    return this.failedCost.sample(this.submitRng);
  }

  /**
   * True when the one submit of a packet starting now on CPU c, due at ts, is sure to find its
   * perf ring too full: nothing but CPU c adds to that ring, and nothing frees room in it before
   * the consumer's next release, which comes no sooner than its current chunk (or wake-up) ends.
   * Only within the run: a submit due after the end must stay in service.
   */
  private surelyFull(c: number, ts: number, plan: PacketPlan): boolean {
    if (!this.settleDrops || ts > this.duration || !this.consumer.quietUntilAfter(ts)) return false;
    const ring = this.rings[c];
    const rec = this.recordBytes(plan.bytes[0]);
    return !ring.fits(ring.lostPending > 0 ? rec + PERF_LOST_RECORD_BYTES : rec);
  }

  // ---- consumer host -------------------------------------------------------------------

  scheduleConsumer(t: number, epoch: number): void {
    this.heap.push(t, EV_CONSUMER, epoch);
  }

  placeChunk(t: number, d: number, woken: boolean): number {
    let start = this.readerCpu.place(t, d, woken);
    // Softirq work already planned on CPU 0 runs first.
    if (this.softirqShared) {
      const busy = this.cpu0BusyUntil();
      if (busy > start) start = busy;
    }
    return start;
  }

  consumerBlocked(t: number, d: number): void {
    this.counters.consumerBlockedNs += this.measuredPart(t, d);
  }

  readerLeft(_t: number): void {
    this.readerCpu.leave();
  }

  datapathRunnable(t: number): boolean {
    return this.state[0] !== IDLE || this.qCount[0] > 0 || this.book.lastDep[0] > t || this.arrivals === null;
  }

  /** When CPU 0's known packet work ends (its current phase, or the last departure known). */
  private cpu0BusyUntil(): number {
    const phase = this.state[0] === RUNNING ? this.phaseEnd[0] : 0;
    return phase > this.book.lastDep[0] ? phase : this.book.lastDep[0];
  }

  consumerBusy(t: number, d: number): void {
    if (!(d >= 0)) throw new InvariantError('no negative durations', { consumer: 1, t, duration: d });
    this.counters.consumerNs += this.measuredPart(t, d);
    if (!this.taskShared || d <= 0) return;
    // The scheduler placed this chunk on CPU 0 (reader-cpu.ts): whatever the data-path task was
    // doing there resumes d later. Chunks come one after another: one freeze window at a time,
    // maybe ahead.
    this.cpu0FrozenFrom = t;
    this.cpu0FrozenUntil = t + d;
    if (this.state[0] === RUNNING && this.phaseEnd[0] >= t) {
      const end = this.phaseEnd[0] + d;
      this.phaseEnd[0] = end;
      this.heap.push(end, EV_PHASE, ++this.epoch[0]);
    }
  }

  released(r: number, bytes: number, t: number): void {
    this.levelChanged(r, t, -bytes, 0);
    // Blocked producers retry in FIFO order while the head one fits.
    const blocked = this.blocked;
    for (let c = blocked.first(r); c >= 0; c = blocked.first(r)) {
      const plan = this.plans[c];
      if (!this.rings[r].fits(this.recordBytes(plan.bytes[this.phase[c]]))) break;
      blocked.release(r);
      // The producer held its CPU while it waited: that wait is overhead of the tool.
      this.addKernelTime(c, blocked.since[c], t - blocked.since[c]);
      this.reserve(c, this.resumeTime(c, t), blocked.carry[c]);
    }
  }

  recordDone(kind: number, events: number, measured: number, genFirst: number, genLast: number, cpu: number, t: number): void {
    const k = this.counters;
    this.backlog.add(t, -1);
    if (kind === REC_LOST) {
      k.lostReportedTotal += events;
      k.lostReported += measured;
      return;
    }
    k.consumedTotal += events;
    k.consumed[cpu] += measured;
    k.logEvents += measured;
    if (measured <= 0) return;
    if (events === 1 || genFirst >= genLast) {
      this.eventDelay.recordN(t - genLast, measured);
      return;
    }
    // A batch: each event waited from its own generation. Only the first and last times are
    // kept, so the events between are placed evenly (exact for a steady stream); the measured
    // ones are the latest (warm-up ends once).
    const step = (genLast - genFirst) / (events - 1);
    for (let j = 0; j < measured; j++) this.eventDelay.record(t - (genLast - j * step));
  }

  // ---- accounting ----------------------------------------------------------------------

  private resumeTime(c: number, t: number): number {
    return c === 0 && this.cpu0FrozenUntil > t && t >= this.cpu0FrozenFrom ? this.cpu0FrozenUntil : t;
  }

  private levelChanged(r: number, t: number, deltaBytes: number, deltaRecords: number): void {
    const lv = this.ringLevels[r];
    lv.set(t, lv.level + deltaBytes);
    this.ringSeries[r].set(t, lv.level);
    if (deltaRecords !== 0) this.backlog.add(t, deltaRecords);
  }

  private addKernelTime(c: number, t: number, d: number): void {
    if (d > 0) this.counters.kernelNs[c] += this.measuredPart(t, d);
  }

  /** The part of [t, t + d) inside the measured window (warm-up, end]. */
  private measuredPart(t: number, d: number): number {
    const from = t > this.warmup ? t : this.warmup;
    const to = t + d < this.duration ? t + d : this.duration;
    return to > from ? to - from : 0;
  }

  private startMeasuring(t: number): void {
    for (const lv of this.ringLevels) lv.rebase(t);
    this.backlog.rebase(t);
    Object.assign(this.atWarmup, this.activityNow());
  }

  private activityNow(): MeasuredActivity {
    const k = this.counters;
    const c = this.consumer;
    return {
      submitCalls: k.submitCalls,
      submitted: k.submitted,
      signalled: this.wakeups.requests,
      coalesced: this.wakeups.coalesced,
      irqWorks: this.wakeups.irqWorks,
      consumerWakes: c.wakes,
      pollTimeouts: c.timeouts,
      aggregateReads: c.aggregateReads,
      pollsWithData: c.pollsWithData,
      sleepsEnded: c.sleepsEnded,
      stalls: c.stalls,
      contextSwitches: this.readerCpu.switches,
    };
  }

  /** Submit, wake-up and reader counts after warm-up (the whole-run counters less their values then). */
  measuredActivity(): MeasuredActivity {
    const now = this.activityNow();
    const at = this.atWarmup;
    for (const key of Object.keys(now) as (keyof MeasuredActivity)[]) now[key] -= at[key];
    return now;
  }

  private clockWentBack(t: number, kind: number): never {
    throw new InvariantError('clock monotone', { now: this.now, eventTime: t, kind });
  }
}

/** Counts of the run's activity (whole run, or after warm-up). */
export interface MeasuredActivity {
  submitCalls: number;
  submitted: number;
  signalled: number;
  coalesced: number;
  irqWorks: number;
  consumerWakes: number;
  pollTimeouts: number;
  aggregateReads: number;
  pollsWithData: number;
  sleepsEnded: number;
  stalls: number;
  contextSwitches: number;
}

function measuredZero(): MeasuredActivity {
  return { submitCalls: 0, submitted: 0, signalled: 0, coalesced: 0, irqWorks: 0, consumerWakes: 0, pollTimeouts: 0, aggregateReads: 0, pollsWithData: 0, sleepsEnded: 0, stalls: 0, contextSwitches: 0 };
}

/** Throws on a negative or NaN duration (a sampler or a cost gone wrong). */
function checkDuration(c: number, t: number, d: number): void {
  // !(d >= 0) also catches NaN.
  if (!(d >= 0)) throw new InvariantError('no negative durations', { cpu: c, t, duration: d });
}
