/** A size result as text (verdict, then the loss curve), JSON, CSV and the loss-vs-size chart. */
import { lossVsSizeChart } from './charts-experiment.js';
import type { VlSpec } from './chart-style.js';
import { formatBytes } from '../units/format.js';
import { formatCI, textTable } from './figure-format.js';
import { csvCell, csvNumber } from './csv-cell.js';
import type { SizeResult } from '../whatif/size.js';

export function sizeJson(result: SizeResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

export function sizeCsv(result: SizeResult): string {
  const lines = ['size,label,memory_bytes,n,loss_pct,loss_lo,loss_hi,passes'];
  for (const p of result.curve) {
    lines.push([String(p.size), csvCell(p.label), String(p.memoryBytes), String(p.n), csvNumber(p.loss.mean), csvNumber(p.loss.lo), csvNumber(p.loss.hi), String(p.passes)].join(','));
  }
  return lines.join('\n') + '\n';
}

export function sizeText(result: SizeResult, color = false): string {
  const what = result.buffer === 'perf_buffer' ? 'perf buffer pageCnt' : 'ringbuf size';
  const head = `Size: ${result.model}: smallest ${what} with lost events <= ${result.targetLossPct}% (upper end of the ${Math.round(result.confidence * 100)}% CI)\n`;
  const verdict = result.notes.map((n) => `  ${n}\n`).join('');
  if (result.curve.length === 0) return head + verdict;
  const rows = result.curve.map((p) => [
    p.label,
    formatBytes(p.memoryBytes),
    String(p.n),
    formatCI('events.lostPct', p.loss),
    p === result.answer ? { text: 'answer', tone: 'good' as const } : p.passes ? 'ok' : { text: 'too small', tone: 'bad' as const },
  ]);
  const memoryNote = result.buffer === 'perf_buffer' ? 'memory: host CPUs x pages x page size (data pages)' : 'memory: the ring size';
  return head + verdict + '\n' + textTable('Loss by size (every size run)', [result.buffer === 'perf_buffer' ? 'pageCnt' : 'size', 'memory', 'n', 'lost events', ''], rows, [memoryNote], color);
}

/**
 * Loss against the sizes run. The search's upper limit is left out unless it is the answer or
 * the search found none (then it is the evidence): run only to bracket the search, it would
 * squeeze the sizes around the answer into a corner.
 */
export function sizeChartSpec(result: SizeResult): VlSpec | undefined {
  const limit = result.range.max;
  const curve = result.curve.filter((p) => p.size !== limit || p === result.answer || result.verdict === 'none-up-to-max');
  if (curve.length === 0) return undefined;
  const perf = result.buffer === 'perf_buffer';
  return lossVsSizeChart(
    curve.map((p) => ({
      size: p.size,
      sizeLabel: p.label,
      lossPct: p.loss.mean,
      ...(Number.isFinite(p.loss.halfWidth) ? { lo: p.loss.lo, hi: p.loss.hi } : {}),
      memoryBytes: p.memoryBytes,
    })),
    {
      title: `Event loss vs ${perf ? 'perf buffer pages per CPU' : 'ringbuf size'}`,
      subtitle: result.answer ? `${result.model}: the smallest size with loss <= ${result.targetLossPct}% is ${result.answer.label}` : result.model,
      xTitle: perf ? 'perf buffer pages per CPU (pageCnt)' : 'ringbuf size',
      bytes: !perf,
      targetLossPct: result.targetLossPct,
      confidence: result.confidence,
    },
  );
}
