import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StayArea } from '../src/metrics/stay-area.js';
import { TimeWeightedLevel } from '../src/metrics/level.js';

describe('StayArea', () => {
  it('sums the stays clipped to the window (by hand)', () => {
    const a = new StayArea(10, 20);
    a.add(0, 5); // before the window: nothing
    a.add(8, 12); // 10..12: 2
    a.add(12, 15); // 3
    a.add(18, 30); // 18..20: 2
    a.add(25, 40); // after: nothing
    a.add(14, 14); // no time
    expect(a.area).toBe(7);
    expect(a.mean()).toBeCloseTo(0.7, 15);
    expect(a.mean(20)).toBe(a.mean());
  });

  it('equals the time-weighted level of the same items, whatever order the stays come in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 300 })), { minLength: 1, maxLength: 60 }),
        (items) => {
          const start = 200;
          const end = 900;
          const area = new StayArea(start, end);
          for (const [from, len] of [...items].reverse()) area.add(from, from + len);
          // The same count as a level changed in time order, measured from `start`.
          const changes = items.flatMap(([from, len]) => [[from, 1], [from + len, -1]] as const).sort((x, y) => x[0] - y[0] || y[1] - x[1]); // at a tie, arrivals first: the level never goes below 0
          const level = new TimeWeightedLevel(0, 0);
          let rebased = false;
          for (const [t, d] of changes) {
            if (!rebased && t >= start) {
              level.rebase(start);
              rebased = true;
            }
            if (t > end) break;
            level.add(t, d);
          }
          if (!rebased) level.rebase(start);
          expect(area.mean()).toBeCloseTo(level.mean(end), 9);
        },
      ),
    );
  });

  it('rejects a stay that ends before it starts, and a window that is not one', () => {
    const a = new StayArea(0, 10);
    expect(() => a.add(5, 4)).toThrow(/before it starts/);
    expect(() => a.add(Number.NaN, 4)).toThrow(RangeError);
    expect(() => a.mean(11)).toThrow(/window ends at 10/);
    expect(() => new StayArea(5, 5)).toThrow(RangeError);
  });
});
