/**
 * Plain-text tables for the terminal: padded columns (first left-aligned, the rest right-aligned),
 * optional ANSI colour applied after padding so widths stay right.
 */
import { cellText, type Cell, type SummaryTable, type Tone } from './summary-tables.js';

const ANSI: Record<Tone | 'bold' | 'yellow', [string, string]> = {
  bad: ['\x1b[31m', '\x1b[39m'],
  warn: ['\x1b[33m', '\x1b[39m'],
  good: ['\x1b[32m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
};

export type Style = keyof typeof ANSI;

/** Wraps text in an ANSI style when colour is on. */
export function paint(text: string, style: Style | undefined, color: boolean): string {
  if (!color || !style || text === '') return text;
  const [on, off] = ANSI[style];
  return `${on}${text}${off}`;
}

/** Display width: code points (µ, →, × are one column each in a terminal). */
const width = (s: string): number => [...s].length;

function pad(s: string, w: number, left: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return left ? s + fill : fill + s;
}

/** Renders one table: a bold heading line, indented rows, then notes. */
export function renderTextTable(table: SummaryTable, color: boolean, indent = '  '): string {
  const all: Cell[][] = [table.columns, ...table.rows];
  const ncol = Math.max(...all.map((r) => r.length));
  const widths = Array.from({ length: ncol }, (_, i) => Math.max(...all.map((r) => width(cellText(r[i] ?? '')))));
  const line = (row: Cell[], header: boolean) =>
    indent +
    row
      .map((c, i) => {
        const padded = pad(cellText(c), widths[i], i === 0);
        const tone = typeof c === 'string' ? undefined : c.tone;
        return paint(padded, header ? 'dim' : tone, color);
      })
      .join('  ')
      .trimEnd();
  const headerHasText = table.columns.some((c) => c !== '');
  // The heading shares the line with the column titles when it fits in the first column.
  const lines: string[] = [];
  if (headerHasText) {
    const heading = paint(table.heading, 'bold', color);
    const titles = table.columns.map((c, i) => (i === 0 ? '' : pad(c, widths[i], false)));
    const firstWidth = indent.length + widths[0];
    if (width(table.heading) <= firstWidth && table.columns[0] === '') {
      lines.push(heading + ' '.repeat(firstWidth - width(table.heading)) + paint(titles.join('  '), 'dim', color));
    } else {
      lines.push(heading, line(table.columns, true));
    }
  } else {
    lines.push(paint(table.heading, 'bold', color));
  }
  for (const row of table.rows) lines.push(line(row, false));
  for (const note of table.notes) lines.push(paint(`${indent}${note}`, 'dim', color));
  return lines.join('\n');
}
