/**
 * Runs the probes' programs for one packet, at the moment its service starts. Everything a
 * program does on its own CPU (entry/exit, map ops, helpers, filters, sampling, batching) is
 * decided and costed here at once; only the submits, which touch shared state (the ring, the
 * consumer, the ringbuf lock), are left as points in the packet's service for the simulation
 * to play in time order. Probe steps are compiled to flat typed arrays (loops unrolled).
 */
import type { Sampler, UniformSource } from '../distributions/types.js';
import { makeSampler } from '../distributions/sampler.js';
import type { Probe, Scenario, Step } from '../model/scenario.js';
import type { Streams } from '../engine/rng.js';

const OP_COST = 0;
const OP_FILTER = 1;
const OP_SUBMIT = 2;
const OP_AGGREGATE = 3;

/** The static part of one packet's service: cost segments separated by submit points. */
export class PacketPlan {
  /** Number of submit points. */
  n = 0;
  /** seg[k]: CPU time before submit k; seg[n]: after the last submit. */
  seg: Float64Array;
  bytes: Float64Array;
  events: Int32Array;
  measured: Int32Array;
  /** Transport cost of submit k, drawn now. */
  cost: Float64Array;
  /** Sum of seg: the probe cost known at service start. */
  staticNs = 0;

  constructor(capacity = 8) {
    this.seg = new Float64Array(capacity + 1);
    this.bytes = new Float64Array(capacity);
    this.events = new Int32Array(capacity);
    this.measured = new Int32Array(capacity);
    this.cost = new Float64Array(capacity);
  }

  reset(): void {
    this.n = 0;
    this.seg[0] = 0;
    this.staticNs = 0;
  }

  addCost(ns: number): void {
    this.seg[this.n] += ns;
    this.staticNs += ns;
  }

  addSubmit(bytes: number, events: number, measured: number, cost: number): void {
    if (this.n + 1 >= this.seg.length) this.grow();
    const k = this.n++;
    this.bytes[k] = bytes;
    this.events[k] = events;
    this.measured[k] = measured;
    this.cost[k] = cost;
    this.seg[this.n] = 0;
  }

  private grow(): void {
    const cap = this.bytes.length * 2;
    const seg = new Float64Array(cap + 1);
    seg.set(this.seg);
    this.seg = seg;
    const f = (x: Float64Array) => {
      const y = new Float64Array(cap);
      y.set(x);
      return y;
    };
    const i = (x: Int32Array) => {
      const y = new Int32Array(cap);
      y.set(x);
      return y;
    };
    this.bytes = f(this.bytes);
    this.cost = f(this.cost);
    this.events = i(this.events);
    this.measured = i(this.measured);
  }
}

interface CompiledSubmit {
  bytes: number;
  sample: number;
  batch: number;
  flushTimeout: number;
  cost: Sampler;
  batchAdd: Sampler;
}

interface CompiledProbe {
  entry: Sampler;
  exit: Sampler;
  wholeHits: number;
  extraHitP: number;
  kind: Uint8Array;
  /** OP_COST/OP_AGGREGATE: sampler index; OP_SUBMIT: submit index. */
  ref: Int32Array;
  count: Int32Array;
  pass: Float64Array;
  rng: UniformSource;
}

/** Counters the planner keeps, split into whole-run totals and post-warm-up ("measured"). */
export class PlanCounters {
  generated: Float64Array;
  generatedMeasured: Float64Array;
  /** Hits the sampling step skipped after warm-up. */
  sampledOut = 0;
  aggregateUpdates = 0;
  constructor(cpus: number) {
    this.generated = new Float64Array(cpus);
    this.generatedMeasured = new Float64Array(cpus);
  }
}

export class ProbePlanner {
  private readonly probes: CompiledProbe[];
  private readonly samplers: Sampler[] = [];
  private readonly submits: CompiledSubmit[] = [];
  // Per (cpu, submit) batch state.
  private readonly batchCount: Int32Array;
  private readonly batchMeasured: Int32Array;
  private readonly batchStart: Float64Array;
  readonly counters: PlanCounters;
  readonly hasSubmit: boolean;

  private declare readonly warmup: number;

  constructor(s: Scenario, streams: Streams, warmup: number) {
    this.warmup = warmup;
    this.probes = s.probes.map((p, i) => this.compile(p, i, streams));
    const slots = s.cpus * Math.max(1, this.submits.length);
    this.batchCount = new Int32Array(slots);
    this.batchMeasured = new Int32Array(slots);
    this.batchStart = new Float64Array(slots);
    this.counters = new PlanCounters(s.cpus);
    this.hasSubmit = this.submits.length > 0;
  }

  /** Events sitting in per-CPU batches (whole run, post-warm-up). */
  pendingBatch(): { events: number; measured: number } {
    let events = 0;
    let measured = 0;
    for (let i = 0; i < this.batchCount.length; i++) {
      events += this.batchCount[i];
      measured += this.batchMeasured[i];
    }
    return { events, measured };
  }

  /** Fills `plan` with the probe work of one packet whose service starts at t on cpu. */
  plan(cpu: number, t: number, plan: PacketPlan): void {
    plan.reset();
    const measured = t >= this.warmup ? 1 : 0;
    for (let p = 0; p < this.probes.length; p++) {
      const pr = this.probes[p];
      let hits = pr.wholeHits;
      if (pr.extraHitP > 0 && pr.rng.double() < pr.extraHitP) hits++;
      for (let h = 0; h < hits; h++) this.runHit(pr, cpu, t, measured, plan);
    }
  }

  private runHit(pr: CompiledProbe, cpu: number, t: number, measured: number, plan: PacketPlan): void {
    const rng = pr.rng;
    plan.addCost(pr.entry.sample(rng));
    const n = pr.kind.length;
    for (let i = 0; i < n; i++) {
      const kind = pr.kind[i];
      if (kind === OP_COST || kind === OP_AGGREGATE) {
        const smp = this.samplers[pr.ref[i]];
        for (let c = pr.count[i]; c > 0; c--) plan.addCost(smp.sample(rng));
        if (kind === OP_AGGREGATE) this.counters.aggregateUpdates++;
      } else if (kind === OP_FILTER) {
        if (rng.double() >= pr.pass[i]) break;
      } else {
        const j = pr.ref[i];
        const sub = this.submits[j];
        if (sub.sample > 1 && rng.double() * sub.sample >= 1) {
          this.counters.sampledOut += measured;
          break; // a sampled-out hit returns early
        }
        this.counters.generated[cpu]++;
        this.counters.generatedMeasured[cpu] += measured;
        if (sub.batch <= 1) {
          plan.addSubmit(sub.bytes, 1, measured, sub.cost.sample(rng));
        } else {
          this.batchEvent(sub, cpu * this.submits.length + j, t, measured, rng, plan);
        }
      }
    }
    plan.addCost(pr.exit.sample(rng));
  }

  /** Batched submit: accumulate per CPU; submit N x bytes when full or when a partial batch is stale. */
  private batchEvent(
    sub: CompiledSubmit,
    slot: number,
    t: number,
    measured: number,
    rng: UniformSource,
    plan: PacketPlan,
  ): void {
    if (this.batchCount[slot] > 0 && t - this.batchStart[slot] >= sub.flushTimeout) {
      this.flush(sub, slot, rng, plan);
    }
    plan.addCost(sub.batchAdd.sample(rng));
    if (this.batchCount[slot] === 0) this.batchStart[slot] = t;
    this.batchCount[slot]++;
    this.batchMeasured[slot] += measured;
    if (this.batchCount[slot] >= sub.batch) this.flush(sub, slot, rng, plan);
  }

  private flush(sub: CompiledSubmit, slot: number, rng: UniformSource, plan: PacketPlan): void {
    const k = this.batchCount[slot];
    plan.addSubmit(sub.bytes * k, k, this.batchMeasured[slot], sub.cost.sample(rng));
    this.batchCount[slot] = 0;
    this.batchMeasured[slot] = 0;
  }

  private compile(p: Probe, index: number, streams: Streams): CompiledProbe {
    const kind: number[] = [];
    const ref: number[] = [];
    const count: number[] = [];
    const pass: number[] = [];
    const emit = (steps: Step[]) => {
      for (const st of steps) {
        switch (st.kind) {
          case 'op':
            kind.push(OP_COST), ref.push(this.addSampler(st.cost)), count.push(st.count), pass.push(1);
            break;
          case 'aggregate':
            kind.push(OP_AGGREGATE), ref.push(this.addSampler(st.cost)), count.push(1), pass.push(1);
            break;
          case 'filter':
            kind.push(OP_FILTER), ref.push(-1), count.push(0), pass.push(st.pass);
            break;
          case 'submit':
            this.submits.push({
              bytes: st.bytes,
              sample: st.sample,
              batch: st.batch,
              flushTimeout: st.flushTimeout,
              cost: makeSampler(st.cost),
              batchAdd: makeSampler(st.batchAddCost),
            });
            kind.push(OP_SUBMIT), ref.push(this.submits.length - 1), count.push(0), pass.push(1);
            break;
          case 'loop':
            for (let i = 0; i < st.count; i++) emit(st.body);
            break;
        }
      }
    };
    emit(p.program);
    return {
      entry: makeSampler(p.entry),
      exit: makeSampler(p.exit),
      wholeHits: Math.floor(p.hitsPerPacket),
      extraHitP: p.hitsPerPacket - Math.floor(p.hitsPerPacket),
      kind: Uint8Array.from(kind),
      ref: Int32Array.from(ref),
      count: Int32Array.from(count),
      pass: Float64Array.from(pass),
      // Named by index (two probes may watch the same function), the name kept for readability.
      rng: streams.get(`probe[${index}]:${p.name}`),
    };
  }

  private addSampler(d: Parameters<typeof makeSampler>[0]): number {
    this.samplers.push(makeSampler(d));
    return this.samplers.length - 1;
  }
}
