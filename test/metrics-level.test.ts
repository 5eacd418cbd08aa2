import { describe, expect, it } from 'vitest';
import { TimeWeightedLevel } from '../src/metrics/level.js';

describe('TimeWeightedLevel', () => {
  it('integrates a small step function (by hand)', () => {
    // 0 on [0,10), 4 on [10,30), 1 on [30,35), 6 on [35,50), 0 on [50,60]
    const l = new TimeWeightedLevel();
    l.set(10, 4);
    l.set(30, 1);
    l.add(35, 5);
    expect(l.level).toBe(6);
    l.set(50, 0);
    const area = 4 * 20 + 1 * 5 + 6 * 15;
    expect(l.area(60)).toBe(area);
    expect(l.mean(60)).toBe(area / 60);
    expect(l.max).toBe(6);
    expect(l.level).toBe(0);
    expect(l.time).toBe(50);
    // area() and mean() only read: asking again gives the same answer.
    expect(l.area(60)).toBe(area);
  });

  it('starts from t0 and an initial level', () => {
    const l = new TimeWeightedLevel(100, 3);
    expect(l.max).toBe(3);
    expect(l.mean(100)).toBe(3);
    l.set(110, 5);
    expect(l.area(120)).toBe(3 * 10 + 5 * 10);
    expect(l.mean(120)).toBe(4);
  });

  it('rebase at warm-up: a high pre-warm-up level leaves no trace in post-warm-up mean and max', () => {
    const l = new TimeWeightedLevel();
    l.add(10, 5000); // burst during warm-up
    l.add(50, -4000); // 1000 left in the buffer at warm-up
    l.rebase(100);
    expect(l.level).toBe(1000);
    expect(l.max).toBe(1000);
    expect(l.area(100)).toBe(0);
    // Drains after warm-up by deltas: with the level reset to 0 at warm-up this went negative.
    l.add(120, -990);
    l.add(150, -10);
    expect(l.level).toBe(0);
    expect(l.max).toBe(1000);
    expect(l.area(200)).toBe(1000 * 20 + 10 * 30);
    expect(l.mean(200)).toBe((1000 * 20 + 10 * 30) / 100);
  });

  it('a drop at the very instant of warm-up leaves the pre-warm-up level out of the max', () => {
    const l = new TimeWeightedLevel();
    l.set(10, 800);
    l.rebase(100);
    l.set(100, 10);
    expect(l.max).toBe(10);
    // Several changes at that instant all count: the level was 50 at t = 100 after the rebase.
    l.set(100, 50);
    l.set(100, 20);
    expect(l.max).toBe(50);
    expect(l.mean(110)).toBe(20);
  });

  it('a rise after warm-up counts in the max even at the warm-up instant', () => {
    const l = new TimeWeightedLevel(0, 300);
    l.rebase(40);
    l.set(40, 900);
    l.set(41, 100);
    expect(l.max).toBe(900);
  });

  it('throws when time goes back, naming both times', () => {
    const l = new TimeWeightedLevel();
    l.set(60, 1);
    expect(() => l.set(50, 2)).toThrow('TimeWeightedLevel: time went back from 60 ns to 50 ns');
    expect(() => l.add(59.5, 1)).toThrow(/from 60 ns to 59.5 ns/);
    expect(() => l.area(10)).toThrow(/from 60 ns to 10 ns/);
    expect(() => l.mean(10)).toThrow(/from 60 ns to 10 ns/);
    expect(() => l.rebase(10)).toThrow(/from 60 ns to 10 ns/);
    expect(() => l.set(NaN, 1)).toThrow(/to NaN ns/);
    // State untouched by the failed calls.
    expect(l.level).toBe(1);
    expect(l.area(70)).toBe(10);
  });

  it('throws on a negative or non-finite level (a drained buffer never goes below 0)', () => {
    const l = new TimeWeightedLevel(0, 5);
    expect(() => l.add(1, -6)).toThrow('TimeWeightedLevel: level must be finite and >= 0, got -1 at 1 ns');
    expect(() => l.set(1, NaN)).toThrow(/got NaN/);
    expect(() => new TimeWeightedLevel(0, -1)).toThrow(/got -1/);
    expect(l.level).toBe(5);
  });

  it('restart() begins afresh at a later time with a new level', () => {
    const l = new TimeWeightedLevel();
    l.set(5, 70);
    l.restart(10, 3);
    expect(l.start).toBe(10);
    expect(l.max).toBe(3);
    expect(l.area(20)).toBe(30);
    expect(() => l.restart(1, 0)).toThrow(/time went back/);
  });
});
