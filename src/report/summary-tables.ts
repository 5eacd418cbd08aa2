/**
 * The summary of one run as plain tables (heading, columns, rows, notes), in human units. The
 * terminal summary and the HTML report both render these, so the two always agree.
 */
import { lossVerdict } from '../analysis/loss-causes.js';
import type { LatencyStats, MemoryBreakdown, Result, RingOccupancy } from '../result.js';
import { fullestRing, median, runFacts, type RunFacts } from './facts.js';
import {
  formatByteRate,
  formatBytes,
  formatCount,
  formatCpuDemand,
  formatDeltaPct,
  formatNs,
  formatPct,
  formatPerSec,
  formatPps,
  formatRate,
  pctOf,
  sig3,
} from '../units/format.js';
import { WARN } from '../analysis/warnings.js';

/** How a cell should stand out where colour is available. */
export type Tone = 'bad' | 'warn' | 'good' | 'dim';
export type Cell = string | { text: string; tone: Tone };

export type TableKey = 'latency' | 'throughput' | 'events' | 'perCpu' | 'buffer' | 'wakeups' | 'cpu' | 'memory' | 'log' | 'pipeline' | 'tool';

export interface SummaryTable {
  /** What the table is about (stable; headings may change wording). */
  key: TableKey;
  heading: string;
  columns: string[];
  rows: Cell[][];
  notes: string[];
}

export const cellText = (c: Cell): string => (typeof c === 'string' ? c : c.text);

/** Rings listed one by one up to this many; beyond, summarised. */
export const MAX_RINGS_LISTED = 8;

const toned = (text: string, tone: Tone | undefined): Cell => (tone ? { text, tone } : text);

function changeTone(pct: number | null): Tone | undefined {
  if (pct === null) return undefined;
  if (pct > 50) return 'bad';
  if (pct > 20) return 'warn';
  return undefined;
}

function latencyTable(result: Result): SummaryTable {
  const { baseline, traced, eventDelay } = result.latency;
  const rows: [string, keyof LatencyStats][] = [
    ['mean', 'mean'],
    ['p50', 'p50'],
    ['p90', 'p90'],
    ['p99', 'p99'],
    ['p99.9', 'p999'],
    ['max', 'max'],
  ];
  const change = (k: keyof LatencyStats): Cell => {
    if (k === 'mean') return toned(formatDeltaPct(result.latency.inflation.meanPct), changeTone(result.latency.inflation.meanPct));
    if (k === 'p99') return toned(formatDeltaPct(result.latency.inflation.p99Pct), changeTone(result.latency.inflation.p99Pct));
    const b = baseline[k];
    const x = traced[k];
    return b !== null && x !== null && b > 0 ? formatDeltaPct(pctOf(x - b, b)) : '';
  };
  return {
    key: 'latency',
    heading: 'Latency (per packet)',
    columns: ['', 'baseline', 'traced', 'change'],
    rows: rows.map(([label, k]) => [label, formatNs(baseline[k]), formatNs(traced[k]), change(k)]),
    notes: [
      `packets measured: ${formatCount(baseline.count)} baseline, ${formatCount(traced.count)} traced`,
      eventDelay.count > 0
        ? `event delay (generated → consumed): mean ${formatNs(eventDelay.mean)}, p99 ${formatNs(eventDelay.p99)}, max ${formatNs(eventDelay.max)}`
        : 'event delay: no event reached the consumer',
      ...[
        ...(baseline.count === 0 ? ['baseline'] : []),
        ...(traced.count === 0 ? ['traced'] : []),
      ].map((side) => `n/a: no ${side} packet completed in the measured window, so there is nothing to measure`),
    ],
  };
}

function throughputTable(result: Result): SummaryTable {
  const t = result.throughput;
  return {
    key: 'throughput',
    heading: 'Throughput',
    columns: ['', 'baseline', 'traced'],
    rows: [
      ['offered', formatPps(t.offeredPps), formatPps(t.offeredPps)],
      ['delivered', formatPps(t.baseline.deliveredPps), formatPps(t.traced.deliveredPps)],
      ['delivered packets', formatCount(t.baseline.delivered), formatCount(t.traced.delivered)],
      [
        'rx drops',
        formatCount(t.baseline.rxDrops),
        toned(formatCount(t.traced.rxDrops), t.traced.rxDrops > t.baseline.rxDrops ? 'warn' : undefined),
      ],
      ['throughput loss', '', toned(formatPct(t.lossPct), t.lossPct !== null && t.lossPct > WARN.throughputLossPct ? 'bad' : undefined)],
    ],
    notes: [],
  };
}

function eventsTable(result: Result, facts: RunFacts): SummaryTable {
  const e = result.events;
  const share = (n: number) => formatPct(pctOf(n, e.generated));
  const lostTone: Tone | undefined = e.lostPct > WARN.lossPct ? 'bad' : e.lost > 0 ? 'warn' : undefined;
  const rows: Cell[][] = [
    ['generated', formatCount(e.generated), '100%', formatRate(facts.generatedPerSec)],
  ];
  if (e.sampledOut > 0) rows.push(['sampled out (not generated)', formatCount(e.sampledOut), '', '']);
  rows.push(
    ['submitted (records)', formatCount(e.submitted), '', `${formatCount(e.submitCalls)} output calls`],
    ['lost', toned(formatCount(e.lost), lostTone), toned(formatPct(e.lostPct), lostTone), ''],
    ['lost, reported to consumer', formatCount(e.lostReported), '', ''],
    ['consumed', formatCount(e.consumed), share(e.consumed), formatRate(facts.consumedPerSec)],
    ['left in buffer', formatCount(e.inBuffer), share(e.inBuffer), ''],
  );
  if (e.pendingBatch > 0) rows.push(['pending in batches', formatCount(e.pendingBatch), share(e.pendingBatch), '']);
  const verdict = e.lossCauses ? lossVerdict(e.lossCauses, result.cpu.consumerPct + (result.cpu.consumerBlockedPct ?? 0)) : undefined;
  return { key: 'events', heading: 'Events', columns: ['', 'count', '% of generated', 'rate / note'], rows, notes: verdict ? [verdict.text] : [] };
}

function perCpuLossTable(result: Result, facts: RunFacts): SummaryTable {
  return {
    key: 'perCpu',
    heading: 'Per-CPU loss',
    columns: ['cpu', 'generated', 'lost', 'lost %', 'consumed'],
    rows: result.events.perCpu.map((c, i) => [
      `cpu${c.cpu}`,
      formatCount(c.generated),
      formatCount(c.lost),
      toned(formatPct(facts.perCpuLostPct[i]), facts.perCpuLostPct[i] > WARN.lossPct ? 'bad' : undefined),
      formatCount(c.consumed),
    ]),
    notes: [],
  };
}

function fillTone(pct: number): Tone | undefined {
  if (pct >= 99) return 'bad';
  if (pct >= 75) return 'warn';
  return undefined;
}

const ringRow = (r: RingOccupancy): Cell[] => [
  r.name,
  formatBytes(r.capacityBytes),
  toned(`${formatBytes(r.highWaterBytes)} (${formatPct(r.highWaterPct)})`, fillTone(r.highWaterPct)),
  `${formatBytes(r.meanBytes)} (${formatPct(r.meanPct)})`,
  formatCount(r.series.lost.reduce((a, b) => a + b, 0)),
];

/** Many rings: min / median / max over rings instead of one row per ring. */
function ringsSummaryTable(rings: RingOccupancy[]): Pick<SummaryTable, 'columns' | 'rows' | 'notes'> {
  const spread = (label: string, values: number[], fmt: (x: number) => string, tone?: Tone): Cell[] => [
    label,
    fmt(Math.min(...values)),
    fmt(median(values)),
    toned(fmt(Math.max(...values)), tone),
  ];
  const hw = rings.map((r) => r.highWaterPct);
  const capacities = [...new Set(rings.map((r) => r.capacityBytes))].map(formatBytes).join(' / ');
  const lost = rings.map((r) => r.series.lost.reduce((a, b) => a + b, 0));
  return {
    columns: ['over rings', 'min', 'median', 'max'],
    rows: [
      spread('high-water', hw, formatPct, fillTone(Math.max(...hw))),
      spread('time-weighted mean', rings.map((r) => r.meanPct), formatPct),
      spread('lost', lost, formatCount),
    ],
    notes: [
      `${rings.length} rings (${rings[0].name} … ${rings[rings.length - 1].name}) of ${capacities}; ` +
        `fullest ${fullestRing(rings)!.name}, ${lost.filter((n) => n > 0).length} with losses`,
    ],
  };
}

function bufferTable(result: Result): SummaryTable {
  const { rings, backlog, intervalNs } = result.occupancy;
  const notes = [
    `consumer backlog: mean ${sig3(backlog.meanRecords)} records, max ${formatCount(backlog.maxRecords)}`,
    `time series: ${rings[0]?.series.t.length ?? 0} intervals of ${formatNs(intervalNs)} per ring`,
  ];
  if (rings.length > MAX_RINGS_LISTED) {
    const summary = ringsSummaryTable(rings);
    return { key: 'buffer', heading: 'Buffer fill', ...summary, notes: [...summary.notes, ...notes] };
  }
  return {
    key: 'buffer',
    heading: 'Buffer fill',
    columns: ['ring', 'capacity', 'high-water', 'time-weighted mean', 'lost'],
    rows: rings.map(ringRow),
    notes,
  };
}

/** Why the consumer was woken fewer times than producers signalled, in a few words. */
export function wakeReason(result: Result): string {
  const w = result.events.wakeups;
  if (w.signalled === 0 || w.consumerWakes >= w.signalled) return '';
  if (w.consumerWakes === 0 && w.pollTimeouts === 0) return 'the reader never slept: it always had data';
  return 'a signal finds the reader awake when it still has data, and wakes nobody';
}

function wakeupTable(result: Result, facts: RunFacts): SummaryTable {
  const w = result.events.wakeups;
  const perSec = (n: number) => (facts.measuredSec > 0 ? formatRate(n / facts.measuredSec) : '');
  const reason = wakeReason(result);
  return {
    key: 'wakeups',
    heading: 'Wake-ups',
    columns: reason ? ['', 'count', 'rate', 'why'] : ['', 'count', 'rate'],
    rows: [
      ['requested by producers', formatCount(w.signalled), perSec(w.signalled)],
      ...(w.coalesced !== undefined
        ? [
            ['  folded into a pending irq_work', formatCount(w.coalesced), perSec(w.coalesced)],
            ['  irq_works run', formatCount(w.irqWorks), perSec(w.irqWorks)],
          ]
        : []),
      ['consumer woken', formatCount(w.consumerWakes), perSec(w.consumerWakes), ...(reason ? [reason] : [])],
      ['poll timeouts', formatCount(w.pollTimeouts), perSec(w.pollTimeouts)],
      ...(w.sleepsEnded !== undefined
        ? [
            ['sleeps that ended', formatCount(w.sleepsEnded), perSec(w.sleepsEnded)],
            ['polls that returned data', formatCount(w.pollsWithData), perSec(w.pollsWithData)],
          ]
        : []),
    ].map((row) => (reason && row.length === 3 ? [...row, ''] : row)),
    notes: Number.isFinite(facts.eventsPerWake) ? [`${sig3(facts.eventsPerWake)} events consumed per wake-up`] : [],
  };
}

/** Simulated CPU cost beside the static estimate (rate x cost). */
function cpuTable(result: Result, facts: RunFacts): SummaryTable {
  const { cpu, meta } = result;
  const s = cpu.static;
  const ratio = s.kernelPctSum > 0 ? cpu.kernelPctSum / s.kernelPctSum : NaN;
  const notes = [
    `% of one CPU; the static consumer figure is a demand: the CPU reading every event would take`,
    `static estimate: ${formatPerSec(s.eventRate, 'events')} × cost, ${formatNs(s.perPacketNs)} probe + program per packet`,
  ];
  if (Number.isFinite(ratio) && (ratio > 2 || ratio < 0.5)) {
    notes.push(`the simulated kernel cost is ${sig3(ratio)}× the static estimate`);
  }
  const consumerTone: Tone | undefined = cpu.consumerPct >= WARN.consumerSaturatedPct ? 'bad' : undefined;
  return {
    key: 'cpu',
    heading: 'CPU',
    columns: ['', 'simulated', 'static estimate'],
    rows: [
      [`kernel side, sum over ${meta.cpus} CPU${meta.cpus === 1 ? '' : 's'}`, formatPct(cpu.kernelPctSum), formatPct(s.kernelPctSum)],
      ['kernel side, mean per CPU', formatPct(cpu.kernelPctMean), formatPct(s.kernelPctSum / meta.cpus)],
      ['consumer', toned(formatPct(cpu.consumerPct), consumerTone), formatCpuDemand(s.consumerDemandPct)],
      ['total', formatPct(cpu.kernelPctSum + cpu.consumerPct), formatCpuDemand(s.totalDemandPct)],
      ['events to user space', formatRate(facts.consumedPerSec), formatRate(s.eventRate)],
    ],
    notes,
  };
}

/** The memory breakdown as a table (used by run summaries and `bpfsim estimate`). */
export function memoryBreakdownTable(m: MemoryBreakdown): SummaryTable {
  const rows: Cell[][] = [
    ['base (runtime)', formatBytes(m.base), formatBytes(m.base)],
    ...m.maps.map((map): Cell[] => [`map ${map.name} (${map.type})`, formatBytes(map.maxBytes), formatBytes(map.typicalBytes)]),
    ['event buffers', formatBytes(m.buffers), formatBytes(m.buffers)],
    // A ringbuf's data is mapped twice: address space, not memory (kept out of the total).
    ...(m.buffersVirtual !== undefined ? [['  as address space (mapped twice)', formatBytes(m.buffersVirtual), formatBytes(m.buffersVirtual)]] : []),
    ['JIT code', formatBytes(m.jit), formatBytes(m.jit)],
    ['other', formatBytes(m.other), formatBytes(m.other)],
    ['total', formatBytes(m.total.maxBytes), formatBytes(m.total.typicalBytes)],
  ];
  return { key: 'memory', heading: 'Memory', columns: ['', 'max', 'typical'], rows, notes: [] };
}

function logTable(result: Result): SummaryTable {
  const { log } = result;
  return {
    key: 'log',
    heading: 'Log',
    columns: ['', 'value'],
    rows: [
      ['events written', formatCount(log.events)],
      ['bytes', formatBytes(log.bytes)],
      ['rate', formatByteRate(log.bytesPerSec)],
    ],
    notes: [],
  };
}

/** All summary tables of a run, in reading order. */
export function summaryTables(result: Result): SummaryTable[] {
  const facts = runFacts(result);
  const tables = [latencyTable(result), throughputTable(result), eventsTable(result, facts)];
  if (facts.lossUneven) tables.push(perCpuLossTable(result, facts));
  tables.push(
    bufferTable(result),
    wakeupTable(result, facts),
    cpuTable(result, facts),
    memoryBreakdownTable(result.memory),
    logTable(result),
  );
  return tables;
}

/** The per-CPU table regardless of evenness (the HTML report always has room for it). */
export function perCpuTable(result: Result): SummaryTable {
  return perCpuLossTable(result, runFacts(result));
}

/** The rings one row each, however many (for the HTML report). */
export function ringTable(result: Result): SummaryTable {
  return {
    key: 'buffer',
    heading: 'Rings',
    columns: ['ring', 'capacity', 'high-water', 'time-weighted mean', 'lost'],
    rows: result.occupancy.rings.map(ringRow),
    notes: [],
  };
}

/** One line for the run: what, where, how long. */
export function runHeadline(result: Result, wallMs?: number): string {
  const m = result.meta;
  const parts = [
    `kernel ${m.kernel}`,
    `${m.cpus} CPU${m.cpus === 1 ? '' : 's'}`,
    `seed ${m.seed}`,
    `catalog ${m.catalog}`,
    ...(m.host ? [`host ${m.host.class}`] : []),
    `${formatNs(m.simulatedNs)} simulated (first ${formatNs(m.warmupNs)} warm-up)`,
    `${formatCount(m.simulatorEvents)} simulator events`,
  ];
  if (wallMs !== undefined) {
    const rate = wallMs > 0 ? `, ${formatPerSec((m.simulatorEvents / wallMs) * 1000, 'simulator events')}` : '';
    parts.push(`wall ${formatNs(wallMs * 1e6)}${rate}`);
  }
  return parts.join(' · ');
}

/** The changes the rating grades: "latency +101%, throughput -0.0974%". */
export function ratingChange(result: Result): string {
  const r = result.rating;
  return `latency ${formatDeltaPct(r.latencyPct)}, throughput ${formatDeltaPct(r.throughputPct === null ? null : -r.throughputPct)}`;
}

/** The rating in a few words: grade and the changes it grades (the reason is apart). */
export function ratingLine(result: Result): string {
  return `${result.rating.grade ?? 'n/a (not graded)'} (${ratingChange(result)})`;
}
