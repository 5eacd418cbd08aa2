/** `bpfsim run [MODEL]`: one simulation, printed as a summary, JSON or CSV, optionally written out. */
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadModel } from '../model/load.js';
import { formatTraceSummary } from '../model/trace/summary.js';
import { runScenario } from '../simulation/simulate.js';
import { formatSummary } from '../report/summary.js';
import { resultJson, timeSeriesCsv } from '../report/csv.js';
import { runReport } from '../report/html.js';
import { latencyCharts, occupancyCharts } from '../report/run-report.js';
import { writeCharts } from '../report/render.js';
import { addModelOptions, loaderOptions, type ModelOptions } from './options.js';
import { sweepAction } from './sweep.js';
import { modelAsRun, terminalColor } from './outputs.js';
import { writeOutputFile, writingInto } from './output-paths.js';

interface RunOptions extends ModelOptions {
  replications?: string;
  precision?: string;
  precisionOn?: string;
  maxReplications?: string;
  jobs?: string;
  metric?: string;
  json?: boolean;
  csv?: boolean;
  out?: string;
  report?: string;
  chart?: string;
}

export function registerRun(program: Command): void {
  addModelOptions(
    program
      .command('run')
      .description('simulate a model (the built-in default model when none is given) and report')
      .argument('[model]', 'model file (YAML or JSON)'),
  )
    .option('--json', 'print the Result as JSON (stable keys) instead of the summary')
    .option('--csv', 'print the occupancy time series as CSV instead of the summary')
    .option('--out <dir>', 'write result.json, timeseries.csv and summary.txt into DIR')
    .option('--report <file.html>', 'write a self-contained HTML report')
    .option('--chart <dir>', 'write the charts as vega-lite JSON, SVG and PNG into DIR')
    .option('--replications <n>', 'run N independent seeds (S, S+1, ...): every figure as mean and 95% CI (as `bpfsim sweep` without --vary)')
    .option('--precision <rel>', 'with replications: add them until the CI half-width is below this fraction, e.g. 5%')
    .option('--precision-on <figures>', 'figures the precision goal applies to [events.lostPct,cpu.kernelPctMean]')
    .option('--max-replications <n>', 'cap on replications under --precision [50]')
    .option('--jobs <n>', 'with replications: parallel runs [all cores]')
    .option('--metric <figures>', 'with replications: figures to show, comma-separated')
    .action(async (model: string | undefined, o: RunOptions) => {
      if (o.replications !== undefined || o.precision !== undefined) {
        await sweepAction(model, { ...o, vary: [], replications: o.replications ?? '5', maxReplications: o.maxReplications ?? '50' });
        return;
      }
      const loaded = loadModel(loaderOptions(model, o));
      // What the trace holds, on stderr: stdout stays the summary, JSON or CSV asked for.
      const trace = loaded.scenario.traffic.summary;
      if (trace) process.stderr.write(formatTraceSummary(trace, loaded.scenario.cpus));
      const modelText = modelAsRun(loaded);
      const t0 = performance.now();
      const result = runScenario(loaded.scenario, loaded.catalog);
      const wallMs = performance.now() - t0;
      const color = terminalColor();
      if (o.json) process.stdout.write(resultJson(result));
      else if (o.csv) process.stdout.write(timeSeriesCsv(result));
      else process.stdout.write(formatSummary(result, { color, wallMs }));
      if (o.out) {
        // The directory was made (and checked) before the run: see checkOutputPaths.
        writeOutputFile(join(o.out, 'result.json'), resultJson(result));
        writeOutputFile(join(o.out, 'timeseries.csv'), timeSeriesCsv(result));
        writeOutputFile(join(o.out, 'summary.txt'), formatSummary(result, { color: false }));
        writeOutputFile(join(o.out, 'model.yaml'), modelText);
      }
      if (o.chart) {
        const chart = o.chart;
        const charts = [...occupancyCharts(result), ...latencyCharts(result)];
        if (charts.length === 0) process.stderr.write('bpfsim: no chart for this run: no event reached a buffer and no packet was measured\n');
        else await writingInto(chart, () => writeCharts(chart, charts));
      }
      if (o.report) writeOutputFile(o.report, await runReport(result, modelText, { command: commandLine(), date: new Date() }));
    });
}

/** The command line as typed (program name as on PATH), quoted where the shell would need it. */
function commandLine(): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['bpfsim', ...process.argv.slice(2)].map(quote).join(' ');
}
