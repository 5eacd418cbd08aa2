/** What a trace holds, in the figures a user checks it by (capinfos-style) and in one line. */
import type { TraceSummary } from '../scenario.js';
import { formatBytes, formatDuration, formatPps } from '../../units/format.js';

export function summarizeTrace(
  format: string,
  times: readonly number[],
  opts: { sizes?: readonly number[]; flows?: number; cpuOf?: readonly number[]; cpus: number },
): TraceSummary {
  const n = times.length;
  const span = n > 0 ? times[n - 1] - times[0] : 0;
  // mean and variance of the gaps (Welford: no overflow, one pass)
  let mean = 0;
  let m2 = 0;
  for (let i = 1; i < n; i++) {
    const gap = times[i] - times[i - 1];
    const d = gap - mean;
    mean += d / i;
    m2 += d * (gap - mean);
  }
  const gapCv = n > 2 && mean > 0 ? Math.sqrt(m2 / (n - 2)) / mean : 0;
  const summary: TraceSummary = { format, packets: n, span, rate: span > 0 ? n / (span / 1e9) : 0, gapCv };
  if (opts.sizes && n > 0) summary.meanBytes = opts.sizes.reduce((a, b) => a + b, 0) / n;
  if (opts.flows !== undefined) summary.flows = opts.flows;
  if (opts.cpuOf && n > 0) {
    const counts = new Array<number>(opts.cpus).fill(0);
    for (const c of opts.cpuOf) counts[c]++;
    summary.busiestCpuShare = Math.max(...counts) / n;
  }
  return summary;
}

/** "trace: 1,000 packets (pcap) over 99.9 ms, 10.0 kpps, gap CV 1.02, 4 flows, 742 B mean; busiest CPU 38% of packets" */
export function formatTraceSummary(s: TraceSummary, cpus: number): string {
  const parts = [`${s.packets.toLocaleString('en-US')} packets (${s.format}) over ${formatDuration(s.span)}`];
  if (s.rate > 0) parts.push(`${formatPps(s.rate)}`);
  parts.push(`gap CV ${s.gapCv.toFixed(2)} (1 = Poisson)`);
  if (s.flows !== undefined) parts.push(`${s.flows.toLocaleString('en-US')} flow${s.flows === 1 ? '' : 's'}`);
  if (s.meanBytes !== undefined) parts.push(`${formatBytes(Math.round(s.meanBytes))} mean`);
  let line = `trace: ${parts.join(', ')}`;
  if (s.busiestCpuShare !== undefined && cpus > 1) line += `; busiest CPU ${(100 * s.busiestCpuShare).toFixed(0)}% of packets (even: ${(100 / cpus).toFixed(0)}%)`;
  return `${line}\n`;
}
