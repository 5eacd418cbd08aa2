/**
 * The views of the last run: overview (loss and reader utilisation with confidence intervals,
 * CPU and memory, warnings, diagnosis), buffers, latency; and the three studies (studies-ui.ts).
 * Charts shared with the static report use its specs.
 */
import type { Result } from '../../result.js';
import { latencyChart, occupancyChart } from '../../report/charts.js';
import { cellText, MAX_RINGS_LISTED, ringTable, ratingChange, runHeadline, summaryTables, type SummaryTable } from '../../report/summary-tables.js';
import { formatBytes, formatCount, formatNs, sig3 } from '../../units/format.js';
import { reportWarnings } from '../../report/warnings.js';
import { aggregateFigure, type FigureCI } from '../../whatif/aggregate.js';
import { HEADLINE_FIGURES, type Figures } from '../../whatif/figures.js';
import { cpuMemoryChart, lossUtilisationChart, type FigureBar } from '../charts.js';
import { draw } from './charts.js';
import { h, table } from './dom.js';
import type { PageContext, ViewId } from './context.js';

export type { ViewId };

export const VIEWS: { id: ViewId; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'buffers', label: 'Buffers' },
  { id: 'latency', label: 'Latency' },
  { id: 'sweep', label: 'Sweep' },
  { id: 'sensitivity', label: 'Sensitivity' },
  { id: 'cheapest', label: 'Cheapest setting' },
];

export function renderView(app: PageContext, id: ViewId, panel: HTMLElement): void {
  panel.dataset.dirty = '';
  if (id === 'sweep' || id === 'sensitivity' || id === 'cheapest') {
    app.studies.render(id, panel);
    return;
  }
  const run = app.run;
  if (!run) {
    if (!panel.hasChildNodes()) panel.append(h('p', { class: 'note' }, 'waiting for the first run ...'));
    return;
  }
  if (id === 'overview') overview(panel, run.result, run.reps.filter(Boolean));
  else if (id === 'buffers') buffers(panel, run.result);
  else latency(panel, run.result);
}

function chartBox(name: string): HTMLElement {
  return h('div', { class: 'chart', id: `chart-${name}`, 'data-chart': name });
}

/** Shares in % with their intervals over the replications so far. */
function lossBars(reps: Figures[]): FigureBar[] {
  const fullest = reps.map((f) => ({ v: Math.max(0, ...Object.entries(f).filter(([k]) => /^occupancy\.rings\[\d+\]\.highWaterPct$/.test(k)).map(([, v]) => v)) }));
  const bar = (label: string, ci: FigureCI | undefined): FigureBar[] => (ci ? [{ label, value: ci.mean, lo: ci.lo, hi: ci.hi }] : []);
  return [
    ...bar('events lost (% of generated)', aggregateFigure(reps, 'events.lostPct')),
    ...bar('packets lost (% of baseline delivered)', aggregateFigure(reps, 'throughput.lossPct')),
    ...bar('reader busy (% of its CPU)', aggregateFigure(reps, 'cpu.consumerPct')),
    ...bar('probe overhead (% of each data-path CPU)', aggregateFigure(reps, 'cpu.kernelPctMean')),
    ...bar('fullest ring high-water (% of capacity)', aggregateFigure(fullest, 'v')),
  ];
}

const FIGURE_FORMAT: Record<string, (x: number) => string> = {
  'latency.traced.p99': formatNs,
  'memory.total.maxBytes': formatBytes,
};

function figureText(path: string, x: number): string {
  if (!Number.isFinite(x)) return '—';
  const f = FIGURE_FORMAT[path];
  return f ? f(x) : path.endsWith('Pct') ? `${sig3(x)}%` : sig3(x);
}

function keyFigures(reps: Figures[]): HTMLElement {
  const rows = HEADLINE_FIGURES.map((path) => {
    const ci = aggregateFigure(reps, path);
    const first = reps[0]?.[path];
    return [
      path,
      figureText(path, first ?? NaN),
      ci ? figureText(path, ci.mean) : '—',
      ci && Number.isFinite(ci.halfWidth) ? `${figureText(path, ci.lo)} … ${figureText(path, ci.hi)}` : '—',
    ];
  });
  return table(['figure', 'this run (seed S)', `mean of ${reps.length}`, '95% CI'], rows);
}

/** What the reader was doing when events were lost (the Result's lossCauses), and what helps. */
const CAUSES: [key: 'asleep' | 'stalled' | 'preempted' | 'busyBehind', what: string, remedy: string][] = [
  ['asleep', 'asleep (in poll, or waking up)', 'a bigger buffer absorbs it; so do fewer wake-ups'],
  ['stalled', 'stalled (runtime pause, blocking log write)', 'a bigger buffer absorbs it'],
  ['preempted', 'pre-empted (runnable, waiting for its CPU)', 'a bigger buffer, or a dedicated CPU'],
  ['busyBehind', 'busy and behind (cannot keep up)', 'a bigger buffer only delays it: fewer events (filter, sample, batch, aggregate) or a faster reader'],
];

function diagnosis(result: Result): HTMLElement | undefined {
  const causes = result.events.lossCauses;
  const lost = causes ? CAUSES.reduce((n, [k]) => n + causes[k], 0) : 0;
  if (!causes || lost === 0) return undefined;
  const rows = CAUSES.filter(([k]) => causes[k] > 0).map(([k, what, remedy]) => [what, formatCount(causes[k]), `${sig3((100 * causes[k]) / lost)}%`, remedy]);
  return h('div', { id: 'diagnosis' }, h('h2', {}, 'Where losses come from'), table(['the reader was', 'events lost', 'share', 'what helps'], rows));
}

function summaryTable(t: SummaryTable): HTMLElement {
  return h('div', {}, h('h2', {}, t.heading), table(t.columns, t.rows.map((r) => r.map(cellText))), ...t.notes.map((n) => h('p', { class: 'note' }, n)));
}

function overview(panel: HTMLElement, result: Result, reps: Figures[]): void {
  const warnings = reportWarnings(result);
  const loss = chartBox('loss');
  const cpu = chartBox('cpu-memory');
  const found = diagnosis(result);
  panel.replaceChildren(
    h('p', {}, h('span', { class: `grade grade-${result.rating.grade ?? 'none'}` }, result.rating.grade ?? 'n/a'), ' ', ratingChange(result)),
    h('p', { class: 'note' }, `${runHeadline(result)}. ${result.rating.reason}`),
    warnings.length > 0 ? h('div', { class: 'warnings', id: 'warnings' }, h('strong', {}, `Warnings (${warnings.length})`), h('ul', {}, ...warnings.map((w) => h('li', {}, w)))) : h('p', { class: 'note', id: 'warnings' }, 'no warnings'),
    loss,
    ...(found ? [found] : []),
    h('h2', {}, 'Key figures'),
    keyFigures(reps),
    cpu,
    h('details', {}, h('summary', {}, 'all figures of this run (as the terminal summary)'), ...summaryTables(result).map(summaryTable)),
  );
  void draw(loss, lossUtilisationChart(lossBars(reps), reps.length));
  void draw(cpu, cpuMemoryChart(result));
}

function buffers(panel: HTMLElement, result: Result): void {
  const chart = chartBox('occupancy');
  const tables = summaryTables(result).filter((t) => t.key === 'buffer' || t.key === 'wakeups');
  panel.replaceChildren(chart, ...tables.map(summaryTable), ...(result.occupancy.rings.length > MAX_RINGS_LISTED ? [summaryTable(ringTable(result))] : []));
  void draw(chart, occupancyChart(result));
}

function latency(panel: HTMLElement, result: Result): void {
  const chart = chartBox('latency');
  const tables = summaryTables(result).filter((t) => t.key === 'latency' || t.key === 'throughput');
  panel.replaceChildren(chart, ...tables.map(summaryTable));
  void draw(chart, latencyChart(result));
}
