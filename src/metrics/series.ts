/**
 * The time series of a level over fixed intervals [start + i*interval, start + (i+1)*interval),
 * the last one cut at `end`: per interval the time-weighted mean and the max of the level, and a
 * counter (events lost in the interval, say). Also the mean and max over the whole measured span.
 *
 * One TimeWeightedLevel does the integration: each crossed boundary closes an interval from it
 * and rebases it. Changes before `start` (warm-up) only set the level carried into the first
 * interval. Storage is sized once; calls allocate nothing.
 */
import { checkTimeOrder, TimeWeightedLevel } from './level.js';

export interface LevelSeriesData {
  /** Interval start times. */
  t: number[];
  mean: number[];
  max: number[];
  counts: number[];
}

export class LevelSeries {
  declare readonly start: number;
  declare readonly interval: number;
  declare readonly end: number;
  /** Number of intervals between start and end (the last one may be shorter). */
  declare readonly intervals: number;
  private readonly means: Float64Array;
  private readonly maxes: Float64Array;
  private readonly counters: Float64Array;
  private readonly tw: TimeWeightedLevel;
  /** Index of the open interval; equals `intervals` once all are closed. */
  private open = 0;
  /** End of the open interval. */
  private boundary = 0; // initialised: see TimeWeightedLevel
  private lastT = -Infinity;
  private finishedAt = NaN;
  private closedArea = 0;
  private closedMax = 0;
  /** End of the last closed interval. */
  private closedEnd = 0;

  constructor(start: number, interval: number, end: number) {
    if (!Number.isFinite(start)) throw new RangeError(`LevelSeries: start must be finite, got ${start}`);
    if (!(interval > 0) || !Number.isFinite(interval)) {
      throw new RangeError(`LevelSeries: interval must be finite and > 0, got ${interval}`);
    }
    if (!(end > start) || !Number.isFinite(end)) {
      throw new RangeError(`LevelSeries: end must be finite and > start (${start}), got ${end}`);
    }
    this.start = start;
    this.interval = interval;
    this.end = end;
    this.intervals = Math.ceil((end - start) / interval);
    this.means = new Float64Array(this.intervals);
    this.maxes = new Float64Array(this.intervals);
    this.counters = new Float64Array(this.intervals);
    this.tw = new TimeWeightedLevel(start, 0);
    this.boundary = this.boundaryOf(0);
    this.closedEnd = start;
  }

  /** Current level. */
  get level(): number {
    return this.tw.level;
  }

  /**
   * Exact highest level over the measured span: the closed intervals, plus the open one (which
   * includes the level carried in at its start) until finish.
   */
  get max(): number {
    const openMax = this.open < this.intervals && Number.isNaN(this.finishedAt) ? this.tw.max : 0;
    return Math.max(this.closedMax, openMax);
  }

  /** Time-weighted mean over the closed intervals: over [start, tEnd] once finish(tEnd) ran; 0 before. */
  get mean(): number {
    const span = this.closedEnd - this.start;
    return span > 0 ? this.closedArea / span : 0;
  }

  set(t: number, level: number): void {
    this.advance(t);
    if (t < this.start) {
      // Warm-up: only the level carried into the first interval matters.
      this.tw.restart(this.start, level);
    } else {
      this.tw.set(t, level);
    }
  }

  add(t: number, delta: number): void {
    this.set(t, this.tw.level + delta);
  }

  /** Adds n to the counter of the interval holding t (ignored outside [start, end)). */
  count(t: number, n = 1): void {
    this.advance(t);
    if (t >= this.start && this.open < this.intervals) this.counters[this.open] += n;
  }

  /** Closes every interval up to tEnd, the last one possibly partial. No calls may follow. */
  finish(tEnd: number): void {
    this.advance(tEnd);
    if (this.open < this.intervals) {
      const openStart = this.intervalStart(this.open);
      if (tEnd > openStart) this.close(tEnd);
    }
    this.finishedAt = tEnd;
  }

  toData(): LevelSeriesData {
    const n = this.open;
    const data: LevelSeriesData = { t: new Array(n), mean: new Array(n), max: new Array(n), counts: new Array(n) };
    for (let i = 0; i < n; i++) {
      data.t[i] = this.intervalStart(i);
      data.mean[i] = this.means[i];
      data.max[i] = this.maxes[i];
      data.counts[i] = this.counters[i];
    }
    return data;
  }

  private intervalStart(i: number): number {
    return this.start + i * this.interval;
  }

  /** End of interval i; computed by multiplication so boundaries do not drift. */
  private boundaryOf(i: number): number {
    return Math.min(this.end, this.start + (i + 1) * this.interval);
  }

  /** Enforces time order and closes every interval whose end is <= t. */
  private advance(t: number): void {
    if (!Number.isNaN(this.finishedAt)) this.afterFinish(t);
    checkTimeOrder('LevelSeries', this.lastT, t);
    this.lastT = t;
    while (this.open < this.intervals && this.boundary <= t) this.close(this.boundary);
  }

  private afterFinish(t: number): never {
    throw new Error(`LevelSeries: already finished at ${this.finishedAt} ns, got a call at ${t} ns`);
  }

  /** Closes the open interval at time b and starts the next one there. */
  private close(b: number): void {
    const i = this.open;
    const area = this.tw.area(b);
    const width = b - this.intervalStart(i);
    this.means[i] = width > 0 ? area / width : this.tw.level;
    this.maxes[i] = this.tw.max;
    this.closedArea += area;
    this.closedEnd = b;
    if (this.tw.max > this.closedMax) this.closedMax = this.tw.max;
    this.tw.rebase(b);
    this.open = i + 1;
    this.boundary = this.boundaryOf(this.open);
  }
}
