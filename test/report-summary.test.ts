import { describe, expect, it } from 'vitest';
import { formatSummary } from '../src/report/summary.js';
import { summaryTables, cellText } from '../src/report/summary-tables.js';
import { reportWarnings } from '../src/report/warnings.js';
import { runFacts } from '../src/report/facts.js';
import { formatBytes, formatCount, formatDeltaPct, formatNs, formatPct, formatPerSec, formatPps } from '../src/units/format.js';
import { loadFixture } from './fixtures/results.js';

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
    expect(formatBytes(32768)).toBe('32.0 KiB');
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
    expect(row(text, 'CPU', 'kernel side')).toMatch(/27\.6%\s+20\.0%$/);
    expect(row(text, 'CPU', 'consumer')).toMatch(/98\.1%\s+120%$/);
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
    expect(four).toMatch(/cpu3\s+32\.0 KiB\s+31\.9 KiB \(99\.8%\)/);
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
    expect(formatSummary(r)).toContain('3.00 GiB');
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

  it('ends with the warnings, the simulation’s own and the report’s findings', () => {
    const text = formatSummary(loadFixture('perf-4cpu-lossy'));
    expect(text).toContain('Warnings (2)');
    expect(text).toContain('! perf buffer full on every CPU');
    expect(text).toContain('! consumer saturated: busy 98.1%');
    expect(formatSummary(loadFixture('ringbuf-2cpu-clean'))).not.toContain('Warnings');
  });
});

describe('report warnings', () => {
  it('calls out loss above 1% unless the simulation already did', () => {
    const r = loadFixture('perf-4cpu-lossy');
    expect(reportWarnings(r).filter((w) => /lost/.test(w))).toHaveLength(1);
    r.warnings = [];
    const own = reportWarnings(r);
    expect(own[0]).toMatch(/^loss above 1%: 11\.9% of events lost \(45,210 of 379,620\)/);
  });

  it('marks the consumer saturated at 95% of its CPU', () => {
    const r = loadFixture('ringbuf-2cpu-clean');
    r.cpu.consumerPct = 94.9;
    expect(reportWarnings(r).some((w) => w.startsWith('consumer saturated'))).toBe(false);
    r.cpu.consumerPct = 95;
    expect(reportWarnings(r).some((w) => w.startsWith('consumer saturated'))).toBe(true);
  });

  it('says ringbuf losses are silent when the consumer was told nothing', () => {
    const r = loadFixture('ringbuf-2cpu-clean');
    r.events.lost = 10;
    r.events.lostPct = 0.4;
    expect(reportWarnings(r).some((w) => w.startsWith('ringbuf losses are silent'))).toBe(true);
  });
});

describe('summary tables', () => {
  it('compares the simulated kernel cost with the static estimate on the same scale', () => {
    const r = loadFixture('perf-16cpu-wide');
    const facts = runFacts(r);
    // kernelNsPerSec is summed over CPUs; cpu.kernelPct is its per-CPU average.
    expect(facts.kernelSumPct).toBeCloseTo(r.cpu.kernelPct * r.meta.cpus, 2);
    const cpu = summaryTables(r).find((t) => t.key === 'cpu')!;
    expect(cpu.notes.join(' ')).toContain('2.08× the static estimate');
    expect(cellText(cpu.rows[0][1])).toBe('16.6%');
    expect(cellText(cpu.rows[0][2])).toBe('8.00%');
  });
});
