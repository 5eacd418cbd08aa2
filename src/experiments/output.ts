/**
 * What an experiment leaves behind: the terminal summary (question, run tables, findings with
 * the seed's claim beside each), and out/<name>/: experiment.json, one CSV per run, charts
 * (vega-lite JSON, SVG, PNG), summary.txt and a self-contained report.html.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtmlReport, escapeHtml, type HtmlSection } from '../report/html.js';
import { writeCharts, type NamedChart } from '../report/render.js';
import { compareCsv } from '../report/compare-report.js';
import { csvCell } from '../report/csv-cell.js';
import { sweepCsv } from '../report/sweep-report.js';
import { textTable } from '../report/figure-format.js';
import { TOOL_VERSION } from '../version.js';
import type { Experiment } from './load.js';
import { resultJson, runTable, type ExperimentResult, type RunResult, type RunTable } from './result.js';

/** "5 replications per point", or "5 replications per point (10 in run bursts)". */
function replicationsText(exp: Experiment): string {
  const base = `${exp.replications} replication${exp.replications > 1 ? 's' : ''} per point`;
  const others = exp.runs.filter((r) => r.kind !== 'reject' && r.replications !== exp.replications);
  return others.length ? `${base} (${others.map((r) => `${r.replications} in run ${r.name}`).join(', ')})` : base;
}

function tables(exp: Experiment, result: ExperimentResult): RunTable[] {
  return exp.runs.map((r) => runTable(r.name, result.runs[r.name], r.show));
}

function wrap(text: string, width = 96, indent = '  '): string {
  const words = text.trim().split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

/** The findings block: each label, what the run printed, and the claim it answers. */
export function findingsText(result: ExperimentResult): string {
  const out: string[] = [];
  for (const f of result.findings) {
    const lines = f.text.split('\n');
    if (lines.length === 1) out.push(`  - ${f.label}: ${lines[0]}`);
    else out.push(`  - ${f.label}:`, ...lines.map((l) => `      ${l}`));
    if (f.claimed !== undefined) out.push(`      claimed: ${f.claimed}`);
  }
  return out.join('\n');
}

/** The terminal summary (also summary.txt). */
export function summaryText(exp: Experiment, result: ExperimentResult, color = false): string {
  const parts = [
    `Experiment ${result.name}: ${result.title}${result.quick ? ' (quick form)' : ''}`,
    `Question:\n${wrap(result.question)}`,
    `The claim:\n${wrap(result.claim)}`,
    `Command: ${result.command}   (${replicationsText(exp)}${result.complete ? '' : '; INTERRUPTED'})`,
    ...tables(exp, result).map((t) => textTable(t.heading, t.columns, t.rows, t.notes.map((n) => wrap(n, 100, '').replace(/\n/g, '\n  ')), color).trimEnd()),
    `Findings:\n${findingsText(result)}`,
  ];
  return parts.join('\n\n') + '\n';
}

function runCsv(run: RunResult): string {
  if (run.kind === 'sweep') return sweepCsv(run.result);
  if (run.kind === 'points') return compareCsv(run.result);
  return ['model,rejected,problem', ...run.rejects.flatMap((r) => (r.problems.length ? r.problems.map((p) => `${csvCell(r.name)},true,${csvCell(p)}`) : [`${csvCell(r.name)},false,`]))].join('\n') + '\n';
}

function findingsSection(result: ExperimentResult): HtmlSection {
  const cell = (s: string) => escapeHtml(s).replace(/\n/g, '<br>');
  const rows = result.findings
    .map((f) => `<tr><th scope="row">${escapeHtml(f.label)}</th><td class="sim">${cell(f.text)}</td><td class="claimed">${f.claimed !== undefined ? cell(f.claimed) : ''}</td></tr>`)
    .join('\n');
  // Left-aligned, wrapping cells: findings are sentences, not numbers.
  const html = `<table class="findings"><thead><tr><th scope="col">finding</th><th scope="col">simulated (this run)</th><th scope="col">claimed</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<style>table.findings td, table.findings th { text-align: left; white-space: normal; vertical-align: top; } table.findings td.sim { font-variant-numeric: tabular-nums; }</style>`;
  return { heading: 'Findings', html };
}

export async function reportHtml(exp: Experiment, result: ExperimentResult, charts: NamedChart[]): Promise<string> {
  const question: HtmlSection = {
    heading: 'Question',
    html: `<p>${escapeHtml(result.question)}</p>
<p><strong>The claim:</strong> ${escapeHtml(result.claim)}</p>
<p>Command: <code>${escapeHtml(result.command)}</code>; ${escapeHtml(replicationsText(exp))}.</p>`,
  };
  const runSections: HtmlSection[] = tables(exp, result).map((t) => ({ heading: t.heading, table: { columns: t.columns, rows: t.rows }, notes: t.notes }));
  const chartSection: HtmlSection[] = charts.length ? [{ heading: 'Charts', charts }] : [];
  return renderHtmlReport({
    title: `Experiment ${result.name}: ${result.title}${result.quick ? ' (quick form)' : ''}`,
    modelText: exp.text,
    sections: [question, findingsSection(result), ...chartSection, ...runSections],
    meta: { experiment: exp.file, command: result.command, replications: result.replications, complete: result.complete, toolVersion: TOOL_VERSION },
  });
}

/** Writes everything into `dir`; returns the paths written. */
export async function writeExperiment(dir: string, exp: Experiment, result: ExperimentResult, charts: NamedChart[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [
    ['experiment.json', resultJson(result)],
    ['summary.txt', summaryText(exp, result)],
    ...Object.entries(result.runs).map(([name, run]): [string, string] => [`${name}.csv`, runCsv(run)]),
    ['report.html', await reportHtml(exp, result, charts)],
  ];
  const written: string[] = [];
  for (const [name, content] of files) {
    const path = join(dir, name);
    await writeFile(path, content);
    written.push(path);
  }
  written.push(...(await writeCharts(dir, charts)));
  return written;
}
