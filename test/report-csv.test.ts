import { describe, expect, it } from 'vitest';
import { resultJson, timeSeriesCsv } from '../src/report/csv.js';
import type { Result } from '../src/result.js';
import { FIXTURES, loadFixture } from './fixtures/results.js';

describe('timeSeriesCsv', () => {
  it('has one row per interval per ring with the series numbers, time-major', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const lines = timeSeriesCsv(r).trimEnd().split('\n');
    expect(lines[0]).toBe('t_ns,ring,mean_bytes,max_bytes,fill_pct,lost');
    const rings = r.occupancy.rings;
    const intervals = rings[0].series.t.length;
    expect(lines.length - 1).toBe(intervals * rings.length);
    for (let i = 0; i < intervals; i++) {
      rings.forEach((ring, k) => {
        const [t, name, mean, max, fill, lost] = lines[1 + i * rings.length + k].split(',');
        expect(Number(t)).toBe(ring.series.t[i]);
        expect(name).toBe(ring.name);
        expect(Number(mean)).toBe(ring.series.meanBytes[i]);
        expect(Number(max)).toBe(ring.series.maxBytes[i]);
        expect(Number(fill)).toBeCloseTo((ring.series.meanBytes[i] / ring.capacityBytes) * 100, 3);
        expect(Number(lost)).toBe(ring.series.lost[i]);
      });
    }
  });

  it('keeps the books: the lost column sums per ring to that CPU’s losses', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const sums = new Map<string, number>();
    for (const line of timeSeriesCsv(r).trimEnd().split('\n').slice(1)) {
      const cols = line.split(',');
      sums.set(cols[1], (sums.get(cols[1]) ?? 0) + Number(cols[5]));
    }
    for (const c of r.events.perCpu) expect(sums.get(`cpu${c.cpu}`)).toBe(c.lost);
  });

  it('quotes a ring name holding a comma and leaves non-finite numbers empty', () => {
    const r = loadFixture('ringbuf-2cpu-clean');
    r.occupancy.rings[0].name = 'ring "a",b';
    r.occupancy.rings[0].series.meanBytes[0] = Number.NaN;
    const row = timeSeriesCsv(r).split('\n')[1];
    expect(row).toMatch(/^50000000,"ring ""a"",b",,\d+,/);
  });
});

describe('resultJson', () => {
  it('round-trips to the same Result and ends with a newline', () => {
    for (const name of FIXTURES) {
      const r = loadFixture(name);
      const text = resultJson(r);
      expect(text.endsWith('}\n')).toBe(true);
      expect(JSON.parse(text)).toEqual(r);
    }
  });

  it('gives the same bytes for the same Result, whatever order its sections were built in', () => {
    const r = loadFixture('perf-4cpu-lossy');
    const shuffled = Object.fromEntries(Object.entries(r).reverse()) as unknown as Result;
    expect(resultJson(shuffled)).toBe(resultJson(r));
    expect(resultJson(loadFixture('perf-4cpu-lossy'))).toBe(resultJson(r));
    // Sections in the documented order.
    const keys = Object.keys(JSON.parse(resultJson(shuffled)));
    expect(keys).toEqual(['version', 'latency', 'throughput', 'events', 'occupancy', 'cpu', 'memory', 'log', 'rating', 'warnings', 'meta']);
  });

  it('indents objects by two spaces and keeps number arrays on one line', () => {
    const r = loadFixture('ringbuf-2cpu-clean');
    const text = resultJson(r);
    expect(text).toMatch(/^\{\n {2}"version": 2,\n {2}"latency": \{\n {4}"baseline": \{\n {6}"count": 22498,/);
    const t = r.occupancy.rings[0].series.t;
    expect(text).toContain(`"t": [${t.join(', ')}]`);
  });

  it('writes non-finite numbers as null, as JSON.stringify does', () => {
    const r = loadFixture('ringbuf-2cpu-clean');
    r.latency.eventDelay.max = Number.POSITIVE_INFINITY;
    expect(JSON.parse(resultJson(r)).latency.eventDelay.max).toBeNull();
  });
});
