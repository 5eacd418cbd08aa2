/**
 * A log-linear (HDR-style) histogram of non-negative values, ns mostly.
 *
 * Layout: bucket 0 holds [0, 1). Above it each power of two [2^e, 2^(e+1)), e = 0..OCTAVES-1,
 * is split into 2^subBucketBits equal linear buckets. A bucket is therefore at most
 * 2^-subBucketBits of its lower bound wide, and its midpoint is within 2^-(subBucketBits+1)
 * of any value in it (0.39% for the default 7 bits). Memory is fixed at construction.
 *
 * count, sum (so mean), min and max are kept exactly beside the buckets; quantiles come from the
 * buckets and are clamped to [min, max].
 */
import type { HistogramData } from '../result.js';

/** Summary statistics of a histogram (all 0 when it is empty). */
export interface HistogramStats {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Number of power-of-two octaves above 1: the buckets cover [0, 2^50) (2^50 ns ~ 13 days). */
export const HISTOGRAM_OCTAVES = 50;
/** Upper end of the bucketed range; larger values land in the top bucket (min/max/mean stay exact). */
export const HISTOGRAM_RANGE_MAX = 2 ** HISTOGRAM_OCTAVES;

const MIN_SUB_BUCKET_BITS = 1;
/** The sub-bucket index is read from the high 32-bit word of the float64, which holds 20 mantissa bits. */
const MAX_SUB_BUCKET_BITS = 16;

// One shared scratch view to read a float64's bits without allocating. JS is single threaded per
// realm, so sharing it between instances is safe.
const scratchF64 = new Float64Array(1);
const scratchU32 = new Uint32Array(scratchF64.buffer);
/** Index of the word holding sign, exponent and the top 20 mantissa bits. */
const HI = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Kept out of recordN, so that the hot method stays small enough for V8 to inline. */
function badRecord(v: number, n: number): never {
  if (!(n >= 0)) throw new RangeError(`LogLinearHistogram.recordN: count must be >= 0, got ${n}`);
  throw new RangeError(`LogLinearHistogram.record: value must be finite and >= 0, got ${v}`);
}

export class LogLinearHistogram {
  declare readonly subBucketBits: number;
  /** Linear buckets per octave. */
  private declare readonly subBuckets: number;
  private readonly counts: Float64Array;
  private declare readonly mantissaShift: number;
  private declare readonly subMask: number;
  private total = 0;
  // Neumaier-compensated running sum: the mean stays exact to float precision over 1e9 records.
  private sumMain = 0;
  private sumComp = 0;
  private lo = Infinity;
  private hi = -Infinity;

  constructor(subBucketBits = 7) {
    if (!Number.isInteger(subBucketBits) || subBucketBits < MIN_SUB_BUCKET_BITS || subBucketBits > MAX_SUB_BUCKET_BITS) {
      throw new RangeError(
        `LogLinearHistogram: subBucketBits must be an integer ${MIN_SUB_BUCKET_BITS}..${MAX_SUB_BUCKET_BITS}, got ${subBucketBits}`,
      );
    }
    this.subBucketBits = subBucketBits;
    this.subBuckets = 1 << subBucketBits;
    this.subMask = this.subBuckets - 1;
    this.mantissaShift = 20 - subBucketBits;
    this.counts = new Float64Array(1 + HISTOGRAM_OCTAVES * this.subBuckets);
  }

  /** Number of buckets (fixed at construction). */
  get bucketCount(): number {
    return this.counts.length;
  }

  /** Bytes held in typed arrays: independent of how many values were recorded. */
  get byteLength(): number {
    return this.counts.byteLength;
  }

  /** Bucket index of v >= 0 (no checks: callers validate). Exact: reads the float64 bits. */
  bucketIndex(v: number): number {
    if (v < 1) return 0;
    if (v >= HISTOGRAM_RANGE_MAX) return this.counts.length - 1;
    scratchF64[0] = v;
    const hiWord = scratchU32[HI];
    const exponent = (hiWord >>> 20) - 1023;
    const sub = (hiWord >>> this.mantissaShift) & this.subMask;
    return 1 + (exponent << this.subBucketBits) + sub;
  }

  /** Lower bound of bucket i. */
  bucketLower(i: number): number {
    if (i === 0) return 0;
    const k = i - 1;
    const exponent = k >>> this.subBucketBits;
    const sub = k & this.subMask;
    return 2 ** exponent * (1 + sub / this.subBuckets);
  }

  /** Upper bound (exclusive) of bucket i. */
  bucketUpper(i: number): number {
    if (i === 0) return 1;
    const k = i - 1;
    const exponent = k >>> this.subBucketBits;
    const sub = k & this.subMask;
    return 2 ** exponent * (1 + (sub + 1) / this.subBuckets);
  }

  record(v: number): void {
    this.recordN(v, 1);
  }

  /** Records n copies of v (n > 0; n = 0 is a no-op). */
  recordN(v: number, n: number): void {
    // !(v >= 0) also rejects NaN; a negative latency is a model bug, not data.
    if (!(v >= 0) || v === Infinity || !(n >= 0)) badRecord(v, n);
    if (n === 0) return;
    this.counts[this.bucketIndex(v)] += n;
    this.total += n;
    this.addToSum(v * n);
    if (v < this.lo) this.lo = v;
    if (v > this.hi) this.hi = v;
  }

  /** Neumaier step: keeps the rounding error of each addition in sumComp. */
  private addToSum(x: number): void {
    const s = this.sumMain + x;
    this.sumComp += Math.abs(this.sumMain) >= Math.abs(x) ? this.sumMain - s + x : x - s + this.sumMain;
    this.sumMain = s;
  }

  get count(): number {
    return this.total;
  }

  /** Sum of all recorded values. */
  get sum(): number {
    return this.sumMain + this.sumComp;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  get min(): number {
    return this.total === 0 ? 0 : this.lo;
  }

  get max(): number {
    return this.total === 0 ? 0 : this.hi;
  }

  /**
   * The q-quantile (q in 0..1) by nearest rank: the midpoint of the bucket holding the
   * ceil(q * count)-th smallest value, clamped to [min, max]. q = 0 gives min, q = 1 gives max.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`LogLinearHistogram.quantile: q must be in [0, 1], got ${q}`);
    if (this.total === 0) return 0;
    if (q === 0) return this.lo;
    if (q === 1) return this.hi;
    const rank = Math.max(1, Math.ceil(q * this.total));
    const first = this.bucketIndex(this.lo);
    const last = this.bucketIndex(this.hi);
    let seen = 0;
    let i = first;
    for (; i < last; i++) {
      seen += this.counts[i];
      if (seen >= rank) break;
    }
    const mid = (this.bucketLower(i) + this.bucketUpper(i)) / 2;
    return Math.min(this.hi, Math.max(this.lo, mid));
  }

  /** Adds other's records into this one. Both must have the same subBucketBits. */
  merge(other: LogLinearHistogram): void {
    if (other.subBucketBits !== this.subBucketBits) {
      throw new Error(
        `LogLinearHistogram.merge: subBucketBits differ (${this.subBucketBits} vs ${other.subBucketBits})`,
      );
    }
    if (other.total === 0) return;
    const mine = this.counts;
    const theirs = other.counts;
    for (let i = 0; i < mine.length; i++) mine[i] += theirs[i];
    this.total += other.total;
    this.addToSum(other.sum);
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sumMain = 0;
    this.sumComp = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
  }

  /** Summary for the Result; all zeros when empty. */
  stats(): HistogramStats {
    return {
      count: this.total,
      mean: this.mean,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      p999: this.quantile(0.999),
      max: this.max,
    };
  }

  /** Non-empty buckets in ascending order. The top bucket's upper bound stretches to max when it holds values beyond the range. */
  toData(): HistogramData {
    const data: HistogramData = { lower: [], upper: [], count: [] };
    const top = this.counts.length - 1;
    for (let i = 0; i <= top; i++) {
      const c = this.counts[i];
      if (c === 0) continue;
      data.lower.push(this.bucketLower(i));
      data.upper.push(i === top ? Math.max(this.bucketUpper(i), this.hi) : this.bucketUpper(i));
      data.count.push(c);
    }
    return data;
  }
}
