/**
 * One self-contained HTML file: charts embedded as inline SVG (rendered here, so the page needs
 * no JavaScript and no network), tables, the model as run, warnings and run metadata.
 */
import { renderSvg } from './svg.js';

export interface HtmlTable {
  columns: string[];
  rows: (string | number)[][];
}

export interface HtmlSection {
  heading: string;
  /** Trusted HTML inserted as is, before the table. */
  html?: string;
  table?: HtmlTable;
  /** Plain-text remarks shown under the table. */
  notes?: string[];
  charts?: { name: string; spec: object }[];
}

export interface HtmlReportInput {
  title: string;
  /** The model file as run, shown verbatim. */
  modelText?: string;
  sections: HtmlSection[];
  warnings?: string[];
  /** Run metadata: an object shown as field/value rows, or rows already in words. */
  meta?: object | [string, string][];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A stable, HTML-safe id fragment. */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}

/** Prefixes every id in an SVG (and the references to it) so several SVGs can share one page. */
function namespaceSvgIds(svg: string, prefix: string): string {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  if (ids.size === 0) return svg;
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) =>
    ids.has(id) ? `${lead}${prefix}-${id}` : all,
  );
}

export function tableHtml(table: HtmlTable): string {
  const head = table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(String(cell))}</th>` : `<td>${escapeHtml(String(cell))}</td>`)).join('')}</tr>`)
    .join('\n');
  // Wide tables scroll inside their own box, not the page.
  return `<div class="table-wrap"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

function metaHtml(meta: object | [string, string][]): string {
  if (Array.isArray(meta)) return tableHtml({ columns: ['', ''], rows: meta }).replace('<table>', '<table class="about">');
  const rows = Object.entries(meta).map(([k, v]) => [
    k,
    v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v),
  ]);
  return tableHtml({ columns: ['field', 'value'], rows });
}

const CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #dadce0; --bad: #b3261e; --warn-bg: #fff4e5; --warn-line: #f0a030; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fafafa; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.sub { color: var(--muted); margin: 0 0 16px; }
nav ol { columns: 3; margin: 8px 0 0; padding-left: 20px; color: var(--muted); }
nav a { color: inherit; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table.about td { text-align: left; white-space: normal; } table.about thead { display: none; }
th, td { padding: 4px 12px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
thead th { color: var(--muted); font-weight: normal; border-bottom: 2px solid var(--line); }
tbody th { text-align: left; font-weight: normal; }
thead th:first-child { text-align: left; }
tbody tr:nth-child(even) { background: #f6f8fa; }
.note { color: var(--muted); margin: 4px 0; font-size: 0.93em; }
.warnings { background: var(--warn-bg); border-left: 4px solid var(--warn-line); padding: 8px 16px; margin: 16px 0; }
.warnings h2 { border: none; margin: 4px 0; }
.warnings li { margin: 4px 0; }
figure.chart { margin: 16px 0; overflow-x: auto; }
figure.chart svg { display: block; width: 100%; max-width: 980px; height: auto; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 12px; overflow-x: auto; font: 13px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.grade { display: inline-block; padding: 2px 10px; border-radius: 12px; color: #fff; font-weight: bold; text-transform: uppercase; letter-spacing: 0.04em; }
.grade-excellent { background: #2e7d32; } .grade-good { background: #558b2f; } .grade-medium { background: #ef6c00; } .grade-heavy { background: var(--bad); } .grade-none { background: #757575; }
dl.keys { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 8px 0; }
dl.keys dt { color: var(--muted); } dl.keys dd { margin: 0; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 0.85em; margin-top: 40px; }
@media print { body { background: #fff; } main { padding: 0; } figure.chart { break-inside: avoid; } }
`;

async function chartHtml(name: string, spec: object): Promise<string> {
  const svg = namespaceSvgIds(await renderSvg(spec), `c-${slug(name)}`);
  return `<figure class="chart" id="chart-${slug(name)}" data-chart="${escapeHtml(name)}">\n${svg}\n</figure>`;
}

async function sectionHtml(section: HtmlSection, index: number): Promise<string> {
  const parts = [`<section id="s${index + 1}-${slug(section.heading)}">`, `<h2>${escapeHtml(section.heading)}</h2>`];
  if (section.html) parts.push(section.html);
  if (section.table) parts.push(tableHtml(section.table));
  for (const note of section.notes ?? []) parts.push(`<p class="note">${escapeHtml(note)}</p>`);
  for (const chart of section.charts ?? []) parts.push(await chartHtml(chart.name, chart.spec));
  parts.push('</section>');
  return parts.join('\n');
}

/** Renders the whole report page. Chart names must be unique within the page (they become ids). */
export async function renderHtmlReport(input: HtmlReportInput): Promise<string> {
  const names = input.sections.flatMap((s) => (s.charts ?? []).map((c) => slug(c.name)));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`renderHtmlReport: chart name "${dup}" used twice; chart names must be unique in a report`);
  const sections: string[] = [];
  for (const [i, s] of input.sections.entries()) sections.push(await sectionHtml(s, i));
  const toc = input.sections
    .map((s, i) => `<li><a href="#s${i + 1}-${slug(s.heading)}">${escapeHtml(s.heading)}</a></li>`)
    .join('');
  const warnings = input.warnings?.length
    ? `<section class="warnings" id="warnings"><h2>Warnings (${input.warnings.length})</h2><ul>${input.warnings
        .map((w) => `<li>${escapeHtml(w)}</li>`)
        .join('')}</ul></section>`
    : '';
  const model = input.modelText !== undefined
    ? `<section id="model"><h2>Model as run</h2>\n<pre>${escapeHtml(input.modelText)}</pre>\n</section>`
    : '';
  const meta = input.meta ? `<section id="meta"><h2>About this run</h2>\n${metaHtml(input.meta)}\n</section>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(input.title)}</h1>
${warnings}
<nav><ol>${toc}</ol></nav>
${sections.join('\n')}
${model}
${meta}
<footer>Generated by bpfsim. Self-contained: charts are inline SVG; no script, no network.</footer>
</main>
</body>
</html>
`;
}
