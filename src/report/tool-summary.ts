/**
 * Tables for a run's extra parts, in the terminal summary and the HTML report alike: the
 * user-space stages after the reader (model `pipeline`), and the run in the words of the real
 * tool the model names (`tool:`): its counters under their own names, what it would print, and
 * the setting behind the buffer.
 */
import type { Result, ToolView } from '../result.js';
import { formatCount } from '../units/format.js';
import type { Cell, SummaryTable } from './summary-tables.js';

function counterValue(c: ToolView['counters'][number]): string {
  if (c.name === 'drop ratio') return c.value.toFixed(4);
  return Number.isInteger(c.value) ? formatCount(c.value) : c.value.toFixed(1);
}

function pipelineTable(result: Result): SummaryTable | null {
  const p = result.pipeline;
  if (p === undefined || p.length === 0) return null;
  return {
    key: 'pipeline',
    heading: 'User-space stages after the reader',
    columns: ['stage', 'capacity', 'events in', 'dropped', 'most waiting', 'thread busy'],
    rows: p.map((st): Cell[] => [
      st.name,
      st.capacity === null ? 'unbounded' : formatCount(st.capacity),
      formatCount(st.offered),
      st.dropped > 0 ? { text: `${formatCount(st.dropped)} (${st.droppedPct.toFixed(2)}%)`, tone: 'bad' } : '0',
      formatCount(st.maxWaiting),
      `${st.busyPct.toFixed(1)}%`,
    ]),
    notes: ['each stage: a queue served by a thread of its own; an event that finds it full is dropped there'],
  };
}

function toolTable(result: Result): SummaryTable | null {
  const t = result.tool;
  if (t === undefined) return null;
  return {
    key: 'tool',
    heading: `As ${t.label} reports it`,
    columns: ['counter', 'value'],
    rows: t.counters.map((c): Cell[] => [c.name, counterValue(c)]),
    notes: [
      ...t.counters.map((c) => `${c.name}: ${c.meaning}`),
      ...(t.messages.length > 0 ? t.messages.map((m) => `it would print: ${m}`) : ['it would print no drop message']),
      `buffer setting: ${t.bufferSetting}`,
    ],
  };
}

/** The tables for the parts this run has (none for a plain model). */
export function extraTables(result: Result): SummaryTable[] {
  return [pipelineTable(result), toolTable(result)].filter((t): t is SummaryTable => t !== null);
}
