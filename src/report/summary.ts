/**
 * The terminal summary of `bpfsim run`: headline, the summary tables, the rating, warnings.
 * Colour only when asked (the CLI decides from the TTY).
 */
import type { Grade, Result } from '../result.js';
import { ratingLine, runHeadline, summaryTables } from './summary-tables.js';
import { paint, renderTextTable, type Style } from './text-table.js';
import { reportWarnings } from './warnings.js';
import { extraTables } from './tool-summary.js';

export interface SummaryOptions {
  color?: boolean;
  /** Wall-clock time of the run, ms (kept out of the Result so results stay reproducible). */
  wallMs?: number;
}

const GRADE_STYLE: Record<Grade, Style> = { excellent: 'good', good: 'good', medium: 'warn', heavy: 'bad' };

export function formatSummary(result: Result, opts: SummaryOptions = {}): string {
  const color = opts.color ?? false;
  const out: string[] = [
    paint(`bpfsim run: ${result.meta.model}`, 'bold', color),
    paint(`  ${runHeadline(result, opts.wallMs)}`, 'dim', color),
  ];
  for (const table of [...summaryTables(result), ...extraTables(result)]) out.push('', renderTextTable(table, color));
  out.push(
    '',
    `${paint('Rating', 'bold', color)}  ${paint(ratingLine(result), result.rating.grade === null ? 'warn' : GRADE_STYLE[result.rating.grade], color)}`,
    paint(`  ${result.rating.reason}`, 'dim', color),
  );
  const warnings = reportWarnings(result);
  if (warnings.length > 0) {
    out.push('', paint(`Warnings (${warnings.length})`, 'bold', color));
    for (const w of warnings) out.push(paint(`  ! ${w}`, 'yellow', color));
  }
  return out.join('\n') + '\n';
}
