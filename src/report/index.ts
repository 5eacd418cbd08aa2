/** The report layer: everything renderers offer, for the CLI and the what-if tools. */
export { formatSummary, type SummaryOptions } from './summary.js';
export { timeSeriesCsv, resultJson } from './csv.js';
export { occupancyChart, latencyChart, occupancyRows, latencyCdfRows } from './charts.js';
export {
  lossVsSizeChart,
  compareBarsChart,
  cpuVsRateChart,
  sweepChart,
  type LossVsSizePoint,
  type LossVsSizeOptions,
  type CompareRow,
  type CpuRatePoint,
  type SweepOptions,
} from './charts-experiment.js';
export { histogramCdf } from './cdf.js';
export { renderSvg, renderPng, writeCharts, type NamedChart } from './render.js';
export { renderHtmlReport, runReport, type HtmlReportInput, type HtmlSection } from './html.js';
export { reportWarnings } from './warnings.js';
export { summaryTables, type SummaryTable } from './summary-tables.js';
export type { VlSpec } from './chart-style.js';
