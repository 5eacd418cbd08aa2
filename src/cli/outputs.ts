/**
 * Where a command's result goes: the terminal (table, or --json / --csv), --out DIR (all three
 * forms), --chart DIR (vega-lite, SVG, PNG) and --report FILE.html (one self-contained page).
 * One place for every command, so `run`, `sweep`, `size`, `compare` and `merge` behave alike.
 */
import { writeOutputFile, writingInto } from './output-paths.js';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LoadedModel } from '../model/load.js';
import type { NamedChart } from '../report/render.js';
import { cellText } from '../report/summary-tables.js';
import type { TableData } from '../report/compare-report.js';

export interface OutputFlags {
  json?: boolean;
  csv?: boolean;
  out?: string;
  chart?: string;
  report?: string;
}

export interface CommandOutput {
  /** File stem in --out DIR: sweep.json, sweep.csv, sweep.txt. */
  name: string;
  /** Heading of the HTML report. */
  title: string;
  json: string;
  csv: string;
  text: (color: boolean) => string;
  charts: NamedChart[];
  /** The result's tables as data: the HTML report shows them as tables (else the text, preformatted). */
  tables?: TableData[];
  /** The model as run, shown in the HTML report. */
  modelText?: string;
}

/** The model after --set, --seed and --duration, as YAML with its source as a comment. */
export function modelAsRun(loaded: LoadedModel): string {
  return `# ${loaded.source}\n${stringify(loaded.raw)}`;
}

export function terminalColor(): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR;
}

export async function emitOutput(r: CommandOutput, o: OutputFlags): Promise<void> {
  if (o.json) process.stdout.write(r.json);
  else if (o.csv) process.stdout.write(r.csv);
  else process.stdout.write(r.text(terminalColor()));
  if (o.out) {
    writeOutputFile(join(o.out, `${r.name}.json`), r.json);
    writeOutputFile(join(o.out, `${r.name}.csv`), r.csv);
    writeOutputFile(join(o.out, `${r.name}.txt`), r.text(false));
  }
  if (o.chart) {
    const chart = o.chart;
    if (r.charts.length === 0) process.stderr.write(`bpfsim: no chart for this ${r.name}\n`);
    else await writingInto(chart, async () => (await import('../report/render.js')).writeCharts(chart, r.charts));
  }
  if (o.report) {
    // The report's renderer (and, for charts, vega) loads only when a report is asked for.
    const { escapeHtml, renderHtmlReport } = await import('../report/html.js');
    const html = await renderHtmlReport({
      title: r.title,
      modelText: r.modelText,
      sections: r.tables
        ? [
            ...r.tables.map((t) => ({ heading: t.heading, table: { columns: t.columns, rows: t.rows.map((row) => row.map(cellText)) }, notes: t.notes })),
            ...(r.charts.length ? [{ heading: 'Charts', charts: r.charts }] : []),
          ]
        : [{ heading: 'Results', html: `<pre>${escapeHtml(r.text(false))}</pre>`, charts: r.charts }],
    });
    writeOutputFile(o.report, html);
  }
}
