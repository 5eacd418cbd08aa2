/** `bpfsim run [MODEL]`: one simulation, printed as a summary, JSON or CSV, optionally written out. */
import { join } from 'node:path';
import { loadModel } from '../model/load.js';
import { formatTraceSummary } from '../model/trace/summary.js';
import { runScenario } from '../simulation/simulate.js';
import { formatSummary } from '../report/summary.js';
import { resultJson, timeSeriesCsv } from '../report/csv.js';
import { loaderOptions, type ModelOptions } from './options.js';
import { modelAsRun, terminalColor } from './outputs.js';
import { writeOutputFile, writingInto } from './output-paths.js';

export interface RunOptions extends ModelOptions {
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

/** The run command's work (loaded when `bpfsim run` runs, not for its --help). */
export async function runAction(model: string | undefined, o: RunOptions): Promise<void> {
  if (o.replications !== undefined || o.precision !== undefined) {
    // Replications are a sweep with no --vary; charts and the report load when asked for.
    const { sweepAction } = await import('./sweep.js');
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
    const [{ writeCharts }, { latencyCharts, occupancyCharts }] = await Promise.all([import('../report/render.js'), import('../report/run-report.js')]);
    const charts = [...occupancyCharts(result), ...latencyCharts(result)];
    if (charts.length === 0) process.stderr.write('bpfsim: no chart for this run: no event reached a buffer and no packet was measured\n');
    else await writingInto(chart, () => writeCharts(chart, charts));
  }
  if (o.report) {
    const { runReport } = await import('../report/html.js');
    writeOutputFile(o.report, await runReport(result, modelText, { command: commandLine(), date: new Date() }));
  }
}

/** The command line as typed (program name as on PATH), quoted where the shell would need it. */
function commandLine(): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['bpfsim', ...process.argv.slice(2)].map(quote).join(' ');
}
