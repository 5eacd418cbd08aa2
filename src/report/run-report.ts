/**
 * The standard HTML report of one run: verdict, the summary tables (the same as the terminal's),
 * the static estimate beside the simulation, charts, warnings, the model as run.
 */
import { extraTables } from './tool-summary.js';
import type { Result } from '../result.js';
import { latencyChart, occupancyChart } from './charts.js';
import { cpuVsRateChart, type CpuRatePoint } from './charts-experiment.js';
import { runFacts } from './facts.js';
import { escapeHtml, renderHtmlReport, tableHtml, type HtmlSection } from './html-page.js';
import {
  cellText,
  MAX_RINGS_LISTED,
  perCpuTable,
  ratingChange,
  ringTable,
  runHeadline,
  summaryTables,
  type SummaryTable,
  type TableKey,
} from './summary-tables.js';
import { formatBytes, formatCount, formatCpuDemand, formatDeltaPct, formatNs, formatPct, formatPerSec } from '../units/format.js';
import { reportWarnings } from './warnings.js';

const plain = (t: SummaryTable) => ({ columns: t.columns, rows: t.rows.map((r) => r.map(cellText)) });

function verdictHtml(result: Result): string {
  const facts = runFacts(result);
  const { latency, throughput, events, cpu, memory, log } = result;
  const keys: [string, string][] = [
    ['run', runHeadline(result)],
    ['latency', `mean ${formatDeltaPct(latency.inflation.meanPct)}, p99 ${formatDeltaPct(latency.inflation.p99Pct)}`],
    ['throughput', `${formatDeltaPct(throughput.lossPct === null ? null : -throughput.lossPct)} delivered`],
    ['events lost', `${formatPct(events.lostPct)} of ${formatPerSec(facts.generatedPerSec, 'events')} generated`],
    [
      'kernel CPU',
      `${formatPct(cpu.kernelPctSum)} of one CPU summed over ${result.meta.cpus} CPUs, ${formatPct(cpu.kernelPctMean)} of each on average ` +
        `(static estimate ${formatPct(cpu.static.kernelPctSum)} summed)`,
    ],
    ['consumer CPU', `${formatPct(cpu.consumerPct)} of its CPU (the static estimate's demand: ${formatCpuDemand(cpu.static.consumerDemandPct)})`],
    ['memory', `${formatBytes(memory.total.maxBytes)} max, ${formatBytes(memory.total.typicalBytes)} typical`],
    ['log', `${formatBytes(log.bytes)}, ${formatBytes(log.bytesPerSec)}/s`],
  ];
  const grade = result.rating.grade ?? 'n/a';
  return [
    `<p><span class="grade grade-${grade === 'n/a' ? 'none' : grade}">${escapeHtml(grade)}</span> ${escapeHtml(ratingChange(result))}</p>`,
    `<p class="note">${escapeHtml(result.rating.reason)}</p>`,
    `<dl class="keys">${keys.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
  ].join('\n');
}

/**
 * Rates for the static line: from a quarter of the lower of the run's rates to four times the
 * higher, no wider. Decades beyond would stretch the axes to rates and CPU shares (thousands of
 * % of a CPU) that say nothing about this run.
 */
function rateSpan(around: number[]): number[] {
  const rates = around.filter((r) => r > 0);
  const lo = Math.min(...rates) / 4;
  const hi = Math.max(...rates) * 4;
  return [lo, Math.sqrt(lo * hi), hi];
}

/**
 * The static estimate's kernel-side line (its cost per event from this run's estimate) over the
 * rates around this run's, with the simulated kernel cost at the simulated rate of generated events.
 */
export function runCpuPoints(result: Result): CpuRatePoint[] {
  const s = result.cpu.static;
  const facts = runFacts(result);
  if (!(s.eventRate > 0 && s.kernelPctSum > 0)) return [];
  const pctPerEvent = s.kernelPctSum / s.eventRate;
  const points: CpuRatePoint[] = rateSpan([s.eventRate, facts.generatedPerSec]).map((rate) => ({
    rate,
    staticPct: rate * pctPerEvent,
  }));
  points.push({ rate: s.eventRate, staticPct: s.kernelPctSum });
  const sim = result.cpu.kernelPctSum;
  if (facts.generatedPerSec > 0 && sim > 0) {
    points.push({
      rate: facts.generatedPerSec,
      staticPct: facts.generatedPerSec * pctPerEvent,
      simPct: sim,
      label: `this run: ${formatPct(sim)}`,
    });
  }
  return points;
}

/**
 * The charts of one run that have something to show: no occupancy chart when no event reached
 * a buffer (a flat line at 0 against the capacity), no latency chart when no packet was measured.
 */
export function latencyCharts(r: Result): { name: string; spec: object }[] {
  return r.latency.baseline.count > 0 || r.latency.traced.count > 0 ? [{ name: 'latency', spec: latencyChart(r) }] : [];
}

export function occupancyCharts(r: Result): { name: string; spec: object }[] {
  return r.occupancy.rings.some((ring) => ring.highWaterBytes > 0) || r.events.lost > 0 ? [{ name: 'occupancy', spec: occupancyChart(r) }] : [];
}

const CHARTS: Partial<Record<TableKey, (r: Result) => { name: string; spec: object }[]>> = {
  latency: latencyCharts,
  buffer: occupancyCharts,
  cpu: (r) => {
    const points = runCpuPoints(r);
    if (points.length === 0) return [];
    const perEvent = formatNs((r.cpu.static.kernelPctSum / r.cpu.static.eventRate) * 1e7);
    return [
      {
        name: 'cpu-vs-rate',
        spec: cpuVsRateChart(points, {
          title: `Kernel-side CPU: the static estimate (event rate × ${perEvent}) vs the simulation`,
          yTitle: 'kernel CPU, summed (% of one CPU, log)',
        }),
      },
    ];
  },
};

const HEADINGS: Partial<Record<TableKey, string>> = {
  perCpu: 'Events per CPU',
  cpu: 'CPU: simulation beside the static estimate',
  buffer: 'Buffer occupancy',
};

function sectionFor(result: Result, table: SummaryTable): HtmlSection {
  const section: HtmlSection = {
    heading: HEADINGS[table.key] ?? table.heading,
    table: plain(table),
    notes: table.notes,
    charts: CHARTS[table.key]?.(result) ?? [],
  };
  if (table.key === 'buffer' && result.occupancy.rings.length > MAX_RINGS_LISTED) {
    section.html = `<details><summary>all ${result.occupancy.rings.length} rings</summary>\n${tableHtml(plain(ringTable(result)))}\n</details>`;
  }
  return section;
}

/** What the report says about how it was made; kept out of the Result (which stays reproducible). */
export interface ReportContext {
  /** The command line, as typed. */
  command?: string;
  /** When the report was written. */
  date?: Date;
}

/** The run's metadata in words: what was simulated, with what, how long, by which command and when. */
export function aboutRows(result: Result, ctx: ReportContext = {}): [string, string][] {
  const m = result.meta;
  const rows: [string, string][] = [
    ['model', m.model],
    ['kernel', m.kernel],
    ['data-path CPUs', String(m.cpus)],
    ['cost catalog', m.catalog],
    ['random seed', String(m.seed)],
    ['simulated time', `${formatNs(m.simulatedNs)}, of which the first ${formatNs(m.warmupNs)} is warm-up (not measured)`],
    ['packets', `${formatCount(m.packets.traced)} traced, ${formatCount(m.packets.baseline)} in the baseline run`],
    ['simulator events', `${formatCount(m.simulatorEvents)} (the simulator's own work, not eBPF events)`],
    ['bpfsim version', m.toolVersion],
  ];
  if (ctx.command) rows.push(['command', ctx.command]);
  if (ctx.date) rows.push(['written', ctx.date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')]);
  return rows;
}

/** The standard report of one run as one self-contained HTML page. */
export async function runReport(result: Result, modelText: string, ctx: ReportContext = {}): Promise<string> {
  const tables = [...summaryTables(result), ...extraTables(result)];
  // The page always has room for the per-CPU table; the terminal shows it only when uneven.
  if (!tables.some((t) => t.key === 'perCpu') && result.events.perCpu.length > 1) {
    const at = tables.findIndex((t) => t.key === 'events') + 1;
    tables.splice(at, 0, perCpuTable(result));
  }
  return renderHtmlReport({
    title: `bpfsim report: ${result.meta.model}`,
    modelText,
    warnings: reportWarnings(result),
    sections: [{ heading: 'Verdict', html: verdictHtml(result) }, ...tables.map((t) => sectionFor(result, t))],
    meta: aboutRows(result, ctx),
  });
}
