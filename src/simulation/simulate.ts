/**
 * One run: the traced simulation and its baseline twin over the same packets, the invariants
 * checked, and the Result assembled (with the static estimate beside the simulation).
 */
import type { Scenario } from '../model/scenario.js';
import type { Catalog } from '../model/catalog-types.js';
import { RESULT_VERSION, type LatencyStats, type Result, type RingOccupancy } from '../result.js';
import { estimateStatic } from '../analysis/estimate.js';
import { rate } from '../analysis/rating.js';
import { runWarnings } from '../analysis/warnings.js';
import { outputShape, toolView } from '../analysis/tool-words.js';
import { pipelineResults } from './pipeline-result.js';
import { LindleyTwin, runBaseline } from '../datapath/baseline.js';
import { TracedRun } from '../datapath/traced.js';
import { LOSS_ASLEEP, LOSS_BUSY, LOSS_PREEMPTED, LOSS_STALLED } from '../datapath/consumer.js';
import { checkInvariants } from '../datapath/invariants.js';
import { RING_UNUSABLE_BYTES } from '../records/sizes.js';
import { TOOL_VERSION } from '../version.js';
import type { HistogramStats } from '../metrics/histogram.js';

export function runScenario(s: Scenario, catalog: Catalog): Result {
  // Open traffic: the traced run feeds the twin the arrivals and service draws it makes anyway
  // (the same draws a separate replay would make). Saturate has no arrivals to share.
  const twin = s.traffic.arrival === 'saturate' ? null : new LindleyTwin(s);
  const run = new TracedRun(s, twin === null ? {} : { twin });
  run.run();
  const base = twin === null ? runBaseline(s) : twin.out;
  const totals = eventTotals(run);
  const window = (s.traffic.duration - s.traffic.warmup) / 1e9; // measured seconds
  const k = run.counters;
  checkInvariants({
    packets: run.counters.packets,
    departed: run.counters.departedTotal,
    dropped: run.counters.droppedTotal,
    inFlight: run.inFlight(),
    ...totals.whole,
    maxRingBytes: Math.max(0, ...run.rings.map((r) => r.peak)),
    ringLimit: Math.min(...run.rings.map((r) => r.capacity)) - RING_UNUSABLE_BYTES,
    minRingBytes: Math.min(...run.rings.map((r) => r.used)),
    baselineDeparted: base.departed,
    kernelNsPerCpu: k.kernelNs,
    consumerNs: k.consumerNs,
    windowNs: window * 1e9,
  });
  if (base.packets !== run.counters.packets && s.traffic.arrival !== 'saturate') {
    throw new Error(`internal error: baseline twin saw ${base.packets} packets, traced run ${run.counters.packets}`);
  }

  const activity = run.measuredActivity();
  const baseline = measuredStats(base.latency.stats());
  const traced = measuredStats(run.latency.stats());
  const basePps = base.delivered / window;
  const tracedPps = k.delivered / window;
  // Never negative (see Result.throughput.lossPct): a window edge is no throughput gain.
  const lossPct = base.delivered > 0 ? Math.max(0, ((base.delivered - k.delivered) / base.delivered) * 100) : null;
  const inflation = { meanPct: pctChange(baseline.mean, traced.mean), p99Pct: pctChange(baseline.p99, traced.p99) };
  const m = totals.measured;
  const lostPct = m.generated > 0 ? (m.lost / m.generated) * 100 : 0;
  const kernelPctPerCpu = Array.from(k.kernelNs, (ns) => (ns / window / 1e9) * 100);
  const kernelNsPerSec = sum(k.kernelNs) / window;
  const consumerPct = (k.consumerNs / window / 1e9) * 100;
  const est = estimateStatic(s, catalog);
  const rings = occupancy(run, s);
  const rating = rate(inflation.meanPct, lossPct);

  const result: Result = {
    version: RESULT_VERSION,
    latency: {
      baseline,
      traced,
      inflation,
      eventDelay: measuredStats(run.eventDelay.stats()),
      histograms: { baseline: base.latency.toData(), traced: run.latency.toData() },
    },
    throughput: {
      offeredPps: s.traffic.arrival === 'saturate' ? basePps : s.traffic.rate,
      baseline: { deliveredPps: basePps, delivered: base.delivered, rxDrops: base.rxDrops },
      traced: { deliveredPps: tracedPps, delivered: k.delivered, rxDrops: k.rxDrops },
      lossPct,
    },
    events: {
      generated: m.generated,
      sampledOut: run.planner.counters.sampledOut,
      submitted: activity.submitted,
      submitCalls: activity.submitCalls,
      lost: m.lost,
      lostPct,
      lostReported: k.lostReported,
      consumed: m.consumed,
      inBuffer: m.inBuffer + m.inProcess + m.inService,
      pendingBatch: m.pendingBatch,
      perCpu: Array.from({ length: s.cpus }, (_, c) => ({
        cpu: c,
        generated: run.planner.counters.generatedMeasured[c],
        lost: k.lost[c],
        consumed: k.consumed[c],
      })),
      wakeups: {
        signalled: activity.signalled,
        coalesced: activity.coalesced,
        irqWorks: activity.irqWorks,
        consumerWakes: activity.consumerWakes,
        pollTimeouts: activity.pollTimeouts,
        pollsWithData: activity.pollsWithData,
        sleepsEnded: activity.sleepsEnded,
      },
      lossCauses: {
        asleep: k.lostWhile[LOSS_ASLEEP],
        stalled: k.lostWhile[LOSS_STALLED],
        preempted: k.lostWhile[LOSS_PREEMPTED],
        busyBehind: k.lostWhile[LOSS_BUSY],
      },
    },
    occupancy: {
      intervalNs: s.interval,
      rings,
      backlog: { meanRecords: run.backlog.mean(s.traffic.duration), maxRecords: run.backlog.max },
    },
    cpu: {
      kernelNsPerSec,
      kernelPctSum: sum(kernelPctPerCpu),
      kernelPctMean: mean(kernelPctPerCpu),
      kernelPctPerCpu,
      consumerNsPerSec: k.consumerNs / window,
      consumerPct,
      consumerStalls: activity.stalls,
      consumerSwitches: activity.contextSwitches,
      consumerBlockedPct: (k.consumerBlockedNs / window / 1e9) * 100,
      static: est.cpu,
    },
    memory: est.memory,
    log: logOutput(k.logEvents, activity.aggregateReads, s, window),
    rating: { grade: rating.grade, latencyPct: inflation.meanPct, throughputPct: lossPct, reason: rating.reason },
    warnings: [],
    meta: {
      tool: 'bpfsim',
      toolVersion: TOOL_VERSION,
      model: s.name,
      seed: s.seed,
      catalog: s.catalog,
      host: s.host ?? { class: 'bare-metal', costs: `as given (${s.catalog})` },
      kernel: s.kernel.version,
      cpus: s.cpus,
      simulatedNs: s.traffic.duration,
      warmupNs: s.traffic.warmup,
      simulatorEvents: k.eventsProcessed,
      packets: { traced: k.packets, baseline: base.packets },
    },
  };
  result.warnings = runWarnings(result, {
    reader: s.consumer.reader,
    cpusPerRing: s.cpus / run.rings.length,
  });
  if (run.pipeline !== null) result.pipeline = pipelineResults(run.pipeline, window);
  if (s.tool !== undefined) result.tool = toolView(s.tool, result, outputShape(s.output, s.memory.hostCpus, s.cpus));
  return result;
}

/** Event fates, whole run (for conservation) and post-warm-up (for the report). */
function eventTotals(run: TracedRun) {
  const k = run.counters;
  const gen = run.planner.counters;
  let inBuffer = 0;
  let inBufferMeasured = 0;
  for (const r of run.rings) {
    const p = r.pendingEvents();
    inBuffer += p.events;
    inBufferMeasured += p.measured;
  }
  const proc = run.consumer.inProcess();
  const svc = run.eventsInService();
  const batch = run.planner.pendingBatch();
  return {
    whole: {
      generated: sum(gen.generated),
      consumed: k.consumedTotal,
      lost: k.lostTotal,
      inBuffer,
      inProcess: proc.events,
      inService: svc.events,
      pendingBatch: batch.events,
    },
    measured: {
      generated: sum(gen.generatedMeasured),
      consumed: sum(k.consumed),
      lost: sum(k.lost),
      inBuffer: inBufferMeasured,
      inProcess: proc.measured,
      inService: svc.measured,
      pendingBatch: batch.measured,
    },
  };
}

/** perf: "cpu3"; one shared ringbuf: "ringbuf"; a ringbuf per k CPUs: "ringbuf1 (cpu2-3)". */
function ringName(s: Scenario, i: number): string {
  if (s.output.type === 'perf_buffer') return `cpu${i}`;
  const k = s.output.cpusPerBuffer ?? s.cpus;
  if (k >= s.cpus) return 'ringbuf';
  const last = Math.min(s.cpus, (i + 1) * k) - 1;
  return `ringbuf${i} (cpu${i * k === last ? last : `${i * k}-${last}`})`;
}

function occupancy(run: TracedRun, s: Scenario): RingOccupancy[] {
  const end = s.traffic.duration;
  return run.rings.map((ring, i) => {
    const lv = run.ringLevels[i];
    const data = run.ringSeries[i].toData();
    const cap = ring.capacity;
    return {
      name: ringName(s, i),
      capacityBytes: cap,
      highWaterBytes: lv.max,
      highWaterPct: (lv.max / cap) * 100,
      meanBytes: lv.mean(end),
      meanPct: (lv.mean(end) / cap) * 100,
      series: { t: data.t, meanBytes: data.mean, maxBytes: data.max, lost: data.counts },
    };
  });
}

/** Change from base to x in %; null when either was not measured (or base is 0). */
function pctChange(base: number | null, x: number | null): number | null {
  return base !== null && x !== null && base > 0 ? ((x - base) / base) * 100 : null;
}

/** A histogram's statistics with n/a (null) for every figure when it holds no value. */
function measuredStats(st: HistogramStats): LatencyStats {
  if (st.count > 0) return st;
  return { count: 0, mean: null, p50: null, p90: null, p99: null, p999: null, max: null };
}

/** The consumer's log in the measured window: its events' lines and the aggregate reads' output. */
function logOutput(events: number, aggregateReads: number, s: Scenario, windowSec: number): Result['log'] {
  const bytes = events * s.consumer.logBytes + aggregateReads * s.consumer.aggregateRead.logBytesPerRead;
  return { events, bytes, bytesPerSec: windowSec > 0 ? bytes / windowSec : 0 };
}

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}

function mean(xs: number[]): number {
  return xs.length ? sum(xs) / xs.length : 0;
}
