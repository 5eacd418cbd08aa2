import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LevelSeries } from '../src/metrics/series.js';

describe('LevelSeries', () => {
  it('closes intervals with the time-weighted mean and max (by hand)', () => {
    // Intervals [0,10) [10,20) [20,30) [30,35).
    const s = new LevelSeries(0, 10, 35);
    expect(s.intervals).toBe(4);
    s.set(5, 2);
    s.set(12, 6);
    s.set(27, 1);
    s.set(31, 3);
    s.finish(35);
    const d = s.toData();
    expect(d.t).toEqual([0, 10, 20, 30]);
    expect(d.mean).toEqual([1, 5.2, 4.5, 2.6]);
    expect(d.max).toEqual([2, 6, 6, 3]);
    expect(d.counts).toEqual([0, 0, 0, 0]);
    expect(s.mean).toBe(120 / 35);
    expect(s.max).toBe(6);
  });

  it('the intervals sum to the area: sum of mean x width = integral of the level', () => {
    const s = new LevelSeries(1000, 250, 3100);
    let level = 0;
    let last = 1000;
    let area = 0;
    let t = 1000;
    let seed = 99;
    const u = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
    while (true) {
      t += u() * 97;
      if (t >= 3100) break;
      area += level * (t - last);
      last = t;
      const delta = Math.floor(u() * 4000) - Math.min(level, 2000);
      level += delta;
      s.add(t, delta);
    }
    area += level * (3100 - last);
    s.finish(3100);
    const d = s.toData();
    expect(d.t.length).toBe(9);
    let sum = 0;
    for (let i = 0; i < d.t.length; i++) {
      const width = (i + 1 < d.t.length ? d.t[i + 1] : 3100) - d.t[i];
      sum += d.mean[i] * width;
    }
    expect(sum).toBeCloseTo(area, 6);
    expect(s.mean).toBeCloseTo(area / 2100, 9);
  });

  it('counts per interval, ignoring counts before start and after end', () => {
    const s = new LevelSeries(100, 10, 130);
    s.count(50, 7); // warm-up: not counted
    s.count(100);
    s.count(105, 2);
    s.count(110, 4); // boundary belongs to the next interval
    s.count(129.9);
    s.count(130, 9); // at end: outside
    s.finish(140);
    expect(s.toData().counts).toEqual([3, 4, 1]);
  });

  it('a level high during warm-up and dropping after start: only post-start time counts', () => {
    const s = new LevelSeries(100, 50, 200);
    s.add(10, 5000);
    s.add(60, -4000); // 1000 carried into the first interval
    s.add(120, -990);
    s.add(150, -10); // drained to exactly 0: never negative
    s.finish(200);
    const d = s.toData();
    expect(d.max).toEqual([1000, 0]);
    expect(d.mean).toEqual([(1000 * 20 + 10 * 30) / 50, 0]);
    expect(s.max).toBe(1000);
    expect(s.mean).toBe((1000 * 20 + 10 * 30) / 100);
    expect(s.level).toBe(0);
  });

  it('a change exactly at a boundary belongs to the next interval', () => {
    const s = new LevelSeries(0, 10, 30);
    s.set(2, 8);
    s.set(10, 1); // 8 was held until 10: not part of [10, 20)
    s.set(20, 4);
    s.finish(30);
    const d = s.toData();
    expect(d.mean).toEqual([6.4, 1, 4]);
    expect(d.max).toEqual([8, 1, 4]);
  });

  it('carries a level through empty intervals', () => {
    const s = new LevelSeries(0, 1, 5);
    s.set(0.5, 3);
    s.finish(5);
    const d = s.toData();
    expect(d.mean).toEqual([1.5, 3, 3, 3, 3]);
    expect(d.max).toEqual([3, 3, 3, 3, 3]);
  });

  it('finish before end closes a partial interval and no more', () => {
    const s = new LevelSeries(0, 10, 100);
    s.set(0, 2);
    s.set(14, 6);
    s.finish(16);
    const d = s.toData();
    expect(d.t).toEqual([0, 10]);
    expect(d.mean).toEqual([2, (2 * 4 + 6 * 2) / 6]);
    expect(s.mean).toBe((20 + 8 + 12) / 16);
    expect(() => s.set(20, 1)).toThrow('LevelSeries: already finished at 16 ns, got a call at 20 ns');
  });

  it('finish at an exact boundary leaves no empty interval', () => {
    const s = new LevelSeries(0, 10, 100);
    s.set(3, 1);
    s.finish(20);
    expect(s.toData().t).toEqual([0, 10]);
  });

  it('throws when time goes back, for levels and counts alike', () => {
    const s = new LevelSeries(0, 10, 100);
    s.set(30, 1);
    expect(() => s.set(20, 2)).toThrow('LevelSeries: time went back from 30 ns to 20 ns');
    expect(() => s.count(29)).toThrow(/from 30 ns to 29 ns/);
    s.count(40);
    expect(() => s.add(35, 1)).toThrow(/from 40 ns to 35 ns/);
    expect(() => s.finish(39)).toThrow(/from 40 ns to 39 ns/);
  });

  it('rejects a bad shape', () => {
    expect(() => new LevelSeries(0, 0, 10)).toThrow(/interval must be finite and > 0, got 0/);
    expect(() => new LevelSeries(10, 1, 10)).toThrow(/end must be finite and > start \(10\), got 10/);
    expect(() => new LevelSeries(NaN, 1, 10)).toThrow(/start must be finite/);
  });

  it('matches a brute-force evaluation of the step function (property)', () => {
    const START = 10;
    const INTERVAL = 10;
    const END = 97;
    const change = fc.record({ t: fc.integer({ min: 0, max: 120 }), level: fc.integer({ min: 0, max: 50 }), lost: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 60 }), (raw) => {
        const changes = [...raw].sort((a, b) => a.t - b.t);
        const s = new LevelSeries(START, INTERVAL, END);
        for (const c of changes) {
          s.set(c.t, c.level);
          if (c.lost > 0) s.count(c.t, c.lost);
        }
        // Changes after END (allowed, ignored by the series) may precede the finish call.
        s.finish(Math.max(END, ...changes.map((c) => c.t)));
        const d = s.toData();
        expect(d.t.length).toBe(9);
        /** Level from time x on (right-continuous): the last change at or before x. */
        const levelAt = (x: number) => {
          let v = 0;
          for (const c of changes) if (c.t <= x) v = c.level;
          return v;
        };
        for (let i = 0; i < d.t.length; i++) {
          const a = START + i * INTERVAL;
          const b = Math.min(END, a + INTERVAL);
          // Integer change times: the level is constant on each unit step.
          let area = 0;
          for (let x = a; x < b; x++) area += levelAt(x);
          expect(d.mean[i]).toBeCloseTo(area / (b - a), 9);
          // Max: the level carried in (unless changed at a itself) and every level set in [a, b).
          const inside = changes.filter((c) => c.t >= a && c.t < b);
          const carried = inside.some((c) => c.t === a) ? [] : [levelAt(a - 0.5)];
          expect(d.max[i]).toBe(Math.max(...carried, ...inside.map((c) => c.level)));
          expect(d.counts[i]).toBe(inside.reduce((n, c) => n + c.lost, 0));
        }
        expect(s.max).toBe(Math.max(...d.max));
      }),
      { numRuns: 300 },
    );
  });
});
