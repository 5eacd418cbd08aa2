/**
 * Per CPU, the departure times of the packets in its system whose departure is already known,
 * oldest first (a circular buffer of rxQueue + 1 slots: the waiting packets and the one in
 * service). An arrival first forgets the departures at or before it (a packet leaving at t frees
 * its slot for an arrival at t), then counts what is left: that decides a receive-queue drop
 * exactly. The traced run and its baseline twin keep one each.
 */
export class DepartureBook {
  /** Departure of the last packet booked per CPU: the next one starts then at the earliest. */
  readonly lastDep: Float64Array;
  private readonly deps: Float64Array;
  private readonly head: Int32Array;
  private readonly count: Int32Array;
  private declare readonly slots: number;

  constructor(cpus: number, slots: number) {
    this.slots = slots;
    this.deps = new Float64Array(cpus * slots);
    this.head = new Int32Array(cpus);
    this.count = new Int32Array(cpus);
    this.lastDep = new Float64Array(cpus);
  }

  /** Forgets CPU c's departures at or before t; returns how many packets are still booked. */
  leaveBy(c: number, t: number): number {
    let n = this.count[c];
    if (n === 0) return 0;
    const slots = this.slots;
    const base = c * slots;
    let h = this.head[c];
    while (n > 0 && this.deps[base + h] <= t) {
      h = h + 1 === slots ? 0 : h + 1;
      n--;
    }
    this.head[c] = h;
    this.count[c] = n;
    return n;
  }

  /** Packets of CPU c booked and not yet forgotten. */
  booked(c: number): number {
    return this.count[c];
  }

  /** Books a departure at dep on CPU c (the latest so far). */
  add(c: number, dep: number): void {
    const q = this.head[c] + this.count[c]++;
    this.deps[c * this.slots + (q >= this.slots ? q - this.slots : q)] = dep;
    this.lastDep[c] = dep;
  }

  /** Of CPU c's booked departures, those after t (packets still in the system at t). */
  after(c: number, t: number): number {
    let n = 0;
    const slots = this.slots;
    for (let j = 0, i = this.head[c]; j < this.count[c]; j++, i = i + 1 === slots ? 0 : i + 1) {
      if (this.deps[c * slots + i] > t) n++;
    }
    return n;
  }
}
