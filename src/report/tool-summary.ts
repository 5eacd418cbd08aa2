/**
 * The part of `bpfsim run`'s summary in the words of the real tool the model names: its
 * counters under their own names, what it would print, and the setting behind the buffer.
 */
import type { Result, ToolView } from '../result.js';
import { formatCount } from '../units/format.js';
import { paint } from './text-table.js';

function counterValue(c: ToolView['counters'][number]): string {
  if (c.name === 'drop ratio') return c.value.toFixed(4);
  return Number.isInteger(c.value) ? formatCount(c.value) : c.value.toFixed(1);
}

/** Lines for the summary, or none when the model names no tool. */
export function toolSummaryLines(result: Result, color: boolean): string[] {
  const t = result.tool;
  if (t === undefined) return [];
  const width = Math.max(...t.counters.map((c) => c.name.length));
  const out = [paint(`As ${t.label} reports it`, 'bold', color)];
  for (const c of t.counters) out.push(`  ${c.name.padEnd(width)}  ${counterValue(c).padStart(12)}  ${paint(c.meaning, 'dim', color)}`);
  out.push(t.messages.length > 0 ? '  it would print:' : '  it would print no drop message');
  for (const m of t.messages) out.push(paint(`    ${m}`, 'yellow', color));
  out.push(`  buffer setting: ${t.bufferSetting}`);
  return out;
}

/** Lines for the user-space stages behind the reader, or none. */
export function pipelineSummaryLines(result: Result, color: boolean): string[] {
  const p = result.pipeline;
  if (p === undefined || p.length === 0) return [];
  const out = [paint('User-space stages after the reader', 'bold', color)];
  for (const st of p) {
    const cap = st.capacity === null ? 'unbounded' : `capacity ${formatCount(st.capacity)}`;
    const line = `  ${st.name} (${cap}): ${formatCount(st.offered)} in, ${formatCount(st.dropped)} dropped (${st.droppedPct.toFixed(2)}%), most waiting ${formatCount(st.maxWaiting)}, thread busy ${st.busyPct.toFixed(1)}%`;
    out.push(paint(line, st.dropped > 0 ? 'yellow' : undefined, color));
  }
  return out;
}
