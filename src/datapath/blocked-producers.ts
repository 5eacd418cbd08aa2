/**
 * Producers waiting for room in a ring (the `onFull: block` what-if): a FIFO of CPUs per ring,
 * and for each waiting CPU when it started waiting and the cost it carries into its retry.
 */
export class BlockedProducers {
  private readonly queue: Int32Array[];
  private readonly head: Int32Array;
  private readonly count: Int32Array;
  /** Per CPU: when it started waiting. */
  readonly since: Float64Array;
  /** Per CPU: cost already incurred by the submit that blocked (paid when it goes through). */
  readonly carry: Float64Array;

  constructor(rings: number, cpus: number) {
    this.queue = Array.from({ length: rings }, () => new Int32Array(cpus));
    this.head = new Int32Array(rings);
    this.count = new Int32Array(rings);
    this.since = new Float64Array(cpus);
    this.carry = new Float64Array(cpus);
  }

  /** CPU c starts waiting on ring r at t. */
  wait(r: number, c: number, t: number, carry: number): void {
    const q = this.queue[r];
    q[(this.head[r] + this.count[r]) % q.length] = c;
    this.count[r]++;
    this.since[c] = t;
    this.carry[c] = carry;
  }

  /** The CPU first in line on ring r, or -1. */
  first(r: number): number {
    return this.count[r] > 0 ? this.queue[r][this.head[r]] : -1;
  }

  /** The first in line on ring r goes through. */
  release(r: number): void {
    this.head[r] = (this.head[r] + 1) % this.queue[r].length;
    this.count[r]--;
  }
}
