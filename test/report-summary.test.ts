import { describe, expect, it } from 'vitest';
import { formatSummary } from '../src/report/summary.js';
import { summaryTables, cellText } from '../src/report/summary-tables.js';
import { runWarnings, stillFilling, WARN, WARNING_CODES } from '../src/analysis/warnings.js';
import { runFacts } from '../src/report/facts.js';
import { formatBytes, formatCount, formatDeltaPct, formatNs, formatPct, formatPerSec, formatPps } from '../src/units/format.js';
import { loadFixture } from './fixtures/results.js';
import type { Result } from '../src/result.js';

const ANSI = /\x1b\[[0-9;]*m/;

/** The row starting with `label` in the block headed `heading` (blocks end at a blank line). */
function row(text: string, heading: string, label: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end).find((l) => l.trimStart().startsWith(label)) ?? '';
}

describe('human units', () => {
  it('formats times, sizes, rates and percentages with three significant digits', () => {
    expect(formatNs(850)).toBe('850 ns');
    expect(formatNs(1234)).toBe('1.23 µs');
    expect(formatNs(45_600_000)).toBe('45.6 ms');
    expect(formatNs(1.2e9)).toBe('1.20 s');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(32768)).toBe('32 KiB');
    expect(formatBytes(74_135_552)).toBe('70.7 MiB');
    expect(formatPps(400_000)).toBe('400 kpps');
    expect(formatPps(1_200_000)).toBe('1.20 Mpps');
    expect(formatPerSec(352_000, 'events')).toBe('352 k events/s');
    expect(formatPerSec(16.7, 'events')).toBe('16.7 events/s');
    expect(formatPct(11.9093)).toBe('11.9%');
    expect(formatPct(0.0974)).toBe('0.0974%');
    expect(formatDeltaPct(101.17)).toBe('+101%');
    expect(formatDeltaPct(-0.0974)).toBe('-0.0974%');
    expect(formatDeltaPct(0)).toBe('±0%');
    expect(formatCount(1234567)).toBe('1,234,567');
    // Not measured: n/a, never a 0 that reads as a measurement.
    expect(formatNs(null)).toBe('n/a');
    expect(formatPct(null)).toBe('n/a');
    expect(formatDeltaPct(null)).toBe('n/a');
  });

  it('rounds before choosing decimals and units (no "100.0%", no "1000 ns")', () => {
    expect(formatPct(99.976)).toBe('100%');
    expect(formatPct(9.996)).toBe('10.0%');
    expect(formatPct(0.09996)).toBe('0.100%');
    expect(formatNs(999.7)).toBe('1.00 µs');
    expect(formatPps(999_900)).toBe('1.00 Mpps');
    expect(formatNs(-1500)).toBe('-1.50 µs');
  });
});

describe('formatSummary', () => {
  it('shows baseline vs traced latency, throughput, events, CPU beside the static estimate, memory, log, rating', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const text = formatSummary(r);
    // Latency rows carry the fixture's stats in human units and the inflation from the Result.
    expect(row(text, 'Latency', 'mean')).toContain(formatNs(r.latency.baseline.mean));
    expect(row(text, 'Latency', 'mean')).toContain(formatNs(r.latency.traced.mean));
    expect(row(text, 'Latency', 'mean')).toContain(formatDeltaPct(r.latency.inflation.meanPct));
    expect(row(text, 'Latency', 'p99 ')).toContain(formatNs(r.latency.traced.p99));
    expect(row(text, 'Latency', 'p99 ')).toContain(formatDeltaPct(r.latency.inflation.p99Pct));
    expect(row(text, 'Latency', 'p99.9')).toContain(formatNs(r.latency.traced.p999));
    expect(row(text, 'Latency', 'max')).toContain(formatNs(r.latency.traced.max));
    expect(row(text, 'Throughput', 'offered')).toContain('400 kpps');
    expect(row(text, 'Throughput', 'rx drops')).toMatch(/0\s+370$/);
    expect(row(text, 'Throughput', 'throughput loss')).toContain('0.0974%');
    expect(row(text, 'Events', 'generated')).toContain('379,620');
    expect(row(text, 'Events', 'lost ')).toMatch(/45,210\s+11\.9%/);
    expect(row(text, 'Events', 'lost, reported')).toContain('45,150');
    expect(row(text, 'Events', 'consumed')).toContain('334,314');
    expect(row(text, 'Events', 'left in buffer')).toContain('96');
    // Kernel side on the static estimate's scale: % of one CPU summed over CPUs.
    expect(row(text, 'CPU', 'kernel side, sum')).toMatch(/27\.6%\s+20\.0%$/);
    expect(row(text, 'CPU', 'kernel side, mean')).toMatch(new RegExp(`${formatPct(r.cpu.kernelPctMean).replace('.', '\\.')}\\s+5\\.00%$`));
    // The static consumer figure is what reading every event needs, not a usage.
    expect(row(text, 'CPU', 'consumer')).toMatch(/98\.1%\s+120% \(needs 1\.20 CPUs\)$/);
    expect(row(text, 'Memory', 'total')).toMatch(/70\.7 MiB\s+70\.4 MiB$/);
    expect(text).toContain('72.4 MiB');
    expect(text).toContain('76.2 MiB/s');
    expect(text).toMatch(/^Rating  heavy \(latency \+101%, throughput -0\.0974%\)$/m);
    expect(text).toContain(r.rating.reason);
    expect(text).not.toMatch(ANSI);
  });

  it('lists per-CPU loss only when it is uneven', () => {
    const lossy = formatSummary(loadFixture('perf-4cpu-lossy'));
    expect(lossy).toContain('Per-CPU loss');
    expect(lossy).toMatch(/cpu0\s+95,020\s+14,920\s+15\.7%/);
    const even = loadFixture('perf-4cpu-lossy');
    // Same total loss spread evenly: no per-CPU table.
    even.events.perCpu = even.events.perCpu.map((c) => ({ ...c, lost: Math.round(c.generated * 0.119) }));
    expect(formatSummary(even)).not.toContain('Per-CPU loss');
    expect(formatSummary(loadFixture('ringbuf-2cpu-clean'))).not.toContain('Per-CPU loss');
  });

  it('lists up to 8 rings one by one and summarises more', () => {
    const four = formatSummary(loadFixture('perf-4cpu-lossy'));
    expect(four).toMatch(/cpu3\s+32 KiB\s+31\.9 KiB \(99\.8%\)/);
    const wide = loadFixture('perf-16cpu-wide');
    const text = formatSummary(wide);
    expect(text).not.toMatch(/^\s+cpu15\s/m);
    expect(text).toContain('16 rings (cpu0 … cpu15) of 256 KiB');
    const hw = wide.occupancy.rings.map((x) => x.highWaterPct);
    expect(text).toMatch(new RegExp(`high-water\\s+${formatPct(Math.min(...hw)).replace('.', '\\.')}\\s`));
    expect(text).toContain(formatPct(Math.max(...hw)));
  });

  it('reads every figure from the Result (a changed number shows up changed)', () => {
    const r = loadFixture('perf-4cpu-lossy');
    r.latency.traced.p99 = 123_456;
    r.memory.total.maxBytes = 3 * 1024 ** 3;
    expect(formatSummary(r)).toContain('123 µs');
    expect(formatSummary(r)).toContain('3 GiB');
  });

  it('colours only when asked, and keeps the columns aligned when it does', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const plain = formatSummary(r, { color: false });
    const colored = formatSummary(r, { color: true });
    expect(colored).toMatch(ANSI);
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('adds the wall time when given, kept out of the Result', () => {
    const r = loadFixture('perf-4cpu-lossy');
    expect(formatSummary(r, { wallMs: 1234 })).toContain('wall 1.23 s');
    expect(formatSummary(r)).not.toContain('wall');
  });

  it('ends with the run’s warnings, as the Result carries them (produced once, not re-derived)', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const text = formatSummary(r);
    expect(text).toContain('Warnings (1)');
    expect(text).toContain('! loss above 1%: 11.9% of events lost');
    // The summary does not add findings of its own: a saturated consumer without its warning stays unsaid.
    expect(text).not.toContain('consumer saturated');
    expect(formatSummary(loadFixture('ringbuf-2cpu-clean'))).not.toContain('Warnings');
  });
});

describe('run warnings: one table of codes and thresholds', () => {
  const ctx = { reader: 'perf-per-record' as const, cpusPerRing: 1 };
  const codes = (r: Result) => runWarnings(r, ctx).map((w) => w.code);

  it('calls out loss above the threshold, with the counts', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const loss = runWarnings(r, ctx).find((w) => w.code === 'event-loss')!;
    expect(loss.text).toMatch(/^loss above 1%: 11\.9% of events lost \(45,210 of 379,620\)/);
    r.events.lostPct = WARN.lossPct;
    expect(codes(r)).not.toContain('event-loss');
  });

  it('marks the consumer saturated at the threshold of its CPU', () => {
    const r = loadFixture('ringbuf-2cpu-clean');
    r.cpu.consumerPct = WARN.consumerSaturatedPct - 0.1;
    expect(codes(r)).not.toContain('consumer-saturated');
    r.cpu.consumerPct = WARN.consumerSaturatedPct;
    expect(codes(r)).toContain('consumer-saturated');
  });

  it('says ringbuf losses are silent when the consumer was told nothing', () => {
    const r = loadFixture('ringbuf-2cpu-clean');
    r.events.lost = 10;
    r.events.lostPct = 0.4;
    expect(codes(r)).toContain('ringbuf-silent-loss');
  });

  it('gives each warning once: throughput loss says the rx drops, so they are not repeated', () => {
    const r = loadFixture('perf-4cpu-lossy');
    r.throughput.lossPct = 5;
    r.throughput.traced.rxDrops = r.throughput.baseline.rxDrops + 10;
    expect(codes(r).filter((c) => c === 'throughput-loss' || c === 'rx-drops-rose')).toEqual(['throughput-loss']);
    r.throughput.lossPct = 0;
    expect(codes(r)).toContain('rx-drops-rose');
    for (const c of codes(r)) expect(WARNING_CODES).toContain(c);
    expect(new Set(WARNING_CODES).size).toBe(WARNING_CODES.length);
  });

  it('warns that the BCC reader starves rings it never reaches, and says what to change', () => {
    const r = loadFixture('perf-4cpu-lossy');
    r.events.perCpu = r.events.perCpu.map((c, i) => (i === 0 ? c : { ...c, consumed: 0, lost: c.generated }));
    const w = runWarnings(r, ctx).find((x) => x.code === 'reader-starves-rings')!;
    expect(w.text).toContain('cpu1, cpu2, cpu3');
    expect(w.text).toContain('libbpf reader');
    expect(runWarnings(r, { ...ctx, cpusPerRing: 4 }).find((x) => x.code === 'reader-starves-rings')!.text).toContain('fewer CPUs per ring');
    // libbpf's reader visits every ready ring: no such warning.
    expect(runWarnings(r, { reader: 'perf-batch', cpusPerRing: 1 }).map((x) => x.code)).not.toContain('reader-starves-rings');
  });

  it('flags a ring still filling at the end (run too short for a steady state)', () => {
    const r = loadFixture('ringbuf-2cpu-clean');
    const ring = r.occupancy.rings[0];
    const n = ring.series.meanBytes.length;
    ring.series.meanBytes = ring.series.meanBytes.map((_, i) => (ring.capacityBytes * 0.6 * i) / n);
    expect(stillFilling(r)).toBe(true);
    expect(codes(r)).toContain('not-steady-state');
    ring.series.meanBytes = ring.series.meanBytes.map(() => ring.capacityBytes * 0.3);
    expect(stillFilling(r)).toBe(false);
  });
});

describe('summary tables', () => {
  it('compares the simulated kernel cost with the static estimate on the same scale', () => {
    const r = loadFixture('perf-16cpu-wide');
    // kernelPctSum is summed over CPUs (the static estimate's scale); kernelPctMean its average.
    expect(r.cpu.kernelPctSum).toBeCloseTo(r.cpu.kernelPctMean * r.meta.cpus, 2);
    const cpu = summaryTables(r).find((t) => t.key === 'cpu')!;
    expect(cpu.notes.join(' ')).toContain('2.08× the static estimate');
    expect(cellText(cpu.rows[0][0])).toBe('kernel side, sum over 16 CPUs');
    expect(cellText(cpu.rows[0][1])).toBe('16.6%');
    expect(cellText(cpu.rows[0][2])).toBe('8.00%');
    // The average per CPU is named apart, and the static consumer figure is a demand in CPUs.
    expect(cellText(cpu.rows[1][0])).toBe('kernel side, mean per CPU');
    expect(cellText(cpu.rows[1][1])).toBe(formatPct(r.cpu.kernelPctMean));
    expect(cellText(cpu.rows[2][2])).toMatch(/^[\d.]+% \(needs [\d.]+ CPUs?\)$/);
  });
});
