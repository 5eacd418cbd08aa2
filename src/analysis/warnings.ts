/**
 * Every warning a run can carry, in one table: its code (stable, for scripts), its threshold,
 * and the text it says. A run's warnings are produced here once, when the Result is assembled;
 * renderers show them as they are and never re-derive or de-duplicate them.
 * No Node-only API here.
 */
import type { Result, RunWarning, WarningCode } from '../result.js';
import type { ReaderFlavour } from '../model/scenario.js';
import { formatCount, formatPct, formatRate } from '../units/format.js';

/** The thresholds the warnings (and the tables that colour the same figures) use. */
export const WARN = {
  /** Events lost above this share of those generated (%). */
  lossPct: 1,
  /** A consumer busier than this share of its CPU (%) cannot absorb a burst. */
  consumerSaturatedPct: 95,
  /** Packets delivered fewer than the baseline by more than this (%). */
  throughputLossPct: 1,
  /** A ring filled to this share of its capacity (%). */
  ringFullPct: 90,
  /** Simulated vs static kernel cost differing by more than this factor. */
  staticMismatchFactor: 2,
  /**
   * Not steady: the buffers' total mean fill over the last quarter of the window is this many
   * times its fill over the first quarter, rising every quarter, while still below ringFullPct.
   */
  stillFillingFactor: 1.5,
  /** ... and by at least this many points of its capacity (a nearly empty ring's noise is no trend). */
  stillFillingMinRisePct: 5,
} as const;

/** What the warnings need to know beyond the Result: how the consumer reads. */
export interface WarningContext {
  reader: ReaderFlavour;
  /** Data-path CPUs writing into each perf ring (1 unless rings are shared). */
  cpusPerRing: number;
}

interface Rule {
  code: WarningCode;
  /** The warning's text, or undefined when it does not apply. */
  check(r: Result, ctx: WarningContext): string | undefined;
}

const measuredSec = (r: Result) => Math.max(0, r.meta.simulatedNs - r.meta.warmupNs) / 1e9;

/** The table: order is the order a report lists them in. */
const RULES: Rule[] = [
  {
    code: 'no-traced-packets',
    check: (r) =>
      r.latency.traced.count === 0
        ? 'no traced packet completed in the measured window: latency, its change and the rating are n/a; ' +
          'run longer (--duration) or lower the load'
        : undefined,
  },
  {
    code: 'no-baseline-packets',
    check: (r) =>
      r.latency.baseline.count === 0
        ? 'no baseline packet completed in the measured window: nothing to compare with; run longer (--duration)'
        : undefined,
  },
  {
    code: 'consumer-saturated',
    check: (r) =>
      r.cpu.consumerPct >= WARN.consumerSaturatedPct
        ? `consumer saturated: busy ${formatPct(r.cpu.consumerPct)} of its CPU for ` +
          `${formatRate(r.events.consumed / (measuredSec(r) || 1))} events; it cannot absorb more, ` +
          'and a bigger buffer only delays the loss'
        : undefined,
  },
  {
    code: 'event-loss',
    check: (r) =>
      r.events.lostPct > WARN.lossPct
        ? `loss above ${WARN.lossPct}%: ${formatPct(r.events.lostPct)} of events lost ` +
          `(${formatCount(r.events.lost)} of ${formatCount(r.events.generated)}); ` +
          'a larger buffer, sampling, batching or in-kernel aggregation would reduce it'
        : undefined,
  },
  {
    code: 'reader-starves-rings',
    check: (r, ctx) => {
      if (ctx.reader !== 'perf-per-record') return undefined;
      const starved = r.events.perCpu.filter((c) => c.generated > 0 && c.consumed === 0 && c.lost > 0);
      const served = r.events.perCpu.some((c) => c.consumed > 0);
      if (starved.length === 0 || !served) return undefined;
      const names = starved.length <= 4 ? starved.map((c) => `cpu${c.cpu}`).join(', ') : `${starved.length} CPUs`;
      return (
        `the BCC reader drains one ring while the others starve: ${names} had none of their events read, ` +
        'because the reader keeps reading a ring while it has data and never gets to the next; ' +
        `use a libbpf reader (it reads every ready ring in turn)${ctx.cpusPerRing > 1 ? ', or fewer CPUs per ring' : ''}, ` +
        'or lower the event rate (sampling, early return)'
      );
    },
  },
  {
    code: 'ringbuf-silent-loss',
    check: (r) => {
      const ringbuf = r.occupancy.rings.length === 1 && r.occupancy.rings[0].name === 'ringbuf';
      return ringbuf && r.events.lost > 0 && r.events.lostReported === 0
        ? `ringbuf losses are silent: ${formatCount(r.events.lost)} events lost and the consumer is told nothing; ` +
            'count failed bpf_ringbuf_reserve/output calls in the program to see them'
        : undefined;
    },
  },
  {
    code: 'throughput-loss',
    check: (r) => {
      const t = r.throughput;
      return t.lossPct !== null && t.lossPct > WARN.throughputLossPct
        ? `throughput loss above ${WARN.throughputLossPct}%: ${formatPct(t.lossPct)} fewer packets delivered ` +
            `(receive-queue drops ${formatCount(t.baseline.rxDrops)} without the tool, ${formatCount(t.traced.rxDrops)} with it)`
        : undefined;
    },
  },
  {
    code: 'rx-drops-rose',
    check: (r) => {
      const t = r.throughput;
      // Said with the throughput loss when that warning is given.
      if (t.lossPct !== null && t.lossPct > WARN.throughputLossPct) return undefined;
      return t.traced.rxDrops > t.baseline.rxDrops
        ? `receive-queue drops rose from ${formatCount(t.baseline.rxDrops)} to ${formatCount(t.traced.rxDrops)} packets`
        : undefined;
    },
  },
  {
    code: 'ring-near-full',
    check: (r) => {
      const ring = r.occupancy.rings.find((x) => x.highWaterPct >= WARN.ringFullPct);
      return ring ? `${ring.name} ring reached ${formatPct(ring.highWaterPct)} of its capacity` : undefined;
    },
  },
  {
    code: 'not-steady-state',
    check: (r) => (stillFilling(r) ? 'the buffer was still filling when the run ended: the run is too short to reach a steady state, so loss is understated; run longer (--duration)' : undefined),
  },
  {
    code: 'static-estimate-differs',
    check: (r) => {
      const st = r.cpu.static.kernelPctSum;
      const sim = r.cpu.kernelPctSum;
      const f = WARN.staticMismatchFactor;
      return st > 0 && sim > 0 && (sim / st > f || st / sim > f)
        ? `the static estimate of kernel CPU (${formatPct(st)}) and the simulation (${formatPct(sim)}) differ by over ${f}x`
        : undefined;
    },
  },
];

/**
 * True when the buffers were still filling when the run ended: their total fill, averaged over
 * each quarter of the measured window, rose quarter after quarter, by WARN.stillFillingFactor
 * from the first quarter to the last and by at least WARN.stillFillingMinRisePct of the total
 * capacity, while still below WARN.ringFullPct and losing nothing in the last quarter.
 * (Totalled over rings: one ring's late burst is no trend.)
 */
export function stillFilling(r: Result): boolean {
  const rings = r.occupancy.rings;
  const n = Math.min(...rings.map((x) => x.series.meanBytes.length));
  const capacity = rings.reduce((s, x) => s + x.capacityBytes, 0);
  if (!(n >= 4) || capacity <= 0) return false;
  const total = Array.from({ length: n }, (_, i) => rings.reduce((s, x) => s + x.series.meanBytes[i], 0));
  const quarters = [0, 1, 2, 3].map((k) => {
    const part = total.slice(Math.floor((k * n) / 4), Math.floor(((k + 1) * n) / 4));
    return part.reduce((s, x) => s + x, 0) / part.length;
  });
  const rising = quarters.every((q, k) => k === 0 || q > quarters[k - 1]);
  const [first, last] = [quarters[0], quarters[3]];
  const risePct = ((last - first) / capacity) * 100;
  const lastPct = (last / capacity) * 100;
  // A ring that loses events has reached its limit: that is the loss regime, not a transient.
  const lostLate = rings.some((x) => x.series.lost.slice(Math.floor((3 * n) / 4)).some((v) => v > 0));
  return rising && !lostLate && last > first * WARN.stillFillingFactor && risePct >= WARN.stillFillingMinRisePct && lastPct < WARN.ringFullPct;
}

/** The warnings of a run, in table order. */
export function runWarnings(r: Result, ctx: WarningContext): RunWarning[] {
  const out: RunWarning[] = [];
  for (const rule of RULES) {
    const text = rule.check(r, ctx);
    if (text !== undefined) out.push({ code: rule.code, text });
  }
  return out;
}

/** Every code the table can produce (documentation and tests). */
export const WARNING_CODES: readonly WarningCode[] = RULES.map((r) => r.code);
