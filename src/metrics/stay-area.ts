/**
 * The time-weighted mean number of items present (packets in a system, say) over a fixed
 * window [start, end], built from each item's stay [from, to) once it is known, in any order.
 *
 * The area under the count of items present is the sum of the stays inside the window (the
 * bookkeeping behind Little's law), so a simulation that knows a packet's departure when its
 * service starts can add the stay then, without replaying departures in time order. Stays are
 * clipped to the window; an item still present at the end is added with to = end.
 */
export class StayArea {
  declare readonly start: number;
  declare readonly end: number;
  private total = 0;

  constructor(start: number, end: number) {
    this.start = start;
    this.end = end;
    if (!(end > start) || !Number.isFinite(start) || !Number.isFinite(end)) {
      throw new RangeError(`StayArea: need finite start < end, got [${start}, ${end}]`);
    }
  }

  /** An item present over [from, to); the part inside the window counts. */
  add(from: number, to: number): void {
    // !(to >= from) also rejects NaN.
    if (!(to >= from)) throw new RangeError(`StayArea.add: stay ends (${to} ns) before it starts (${from} ns)`);
    const a = from > this.start ? from : this.start;
    const b = to < this.end ? to : this.end;
    if (b > a) this.total += b - a;
  }

  /** Integral of the count of items present over the window (item-ns). */
  get area(): number {
    return this.total;
  }

  /** Time-weighted mean count over the window; tEnd, when given, must be the window's end. */
  mean(tEnd: number = this.end): number {
    if (tEnd !== this.end) throw new RangeError(`StayArea.mean: the window ends at ${this.end} ns, asked for ${tEnd} ns`);
    return this.total / (this.end - this.start);
  }
}
