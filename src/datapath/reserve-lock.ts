/**
 * The ringbuf's reserve spinlock: one for all CPUs, so concurrent reservations queue for it
 * (FIFO, as a queued spinlock hands over), and a reservation by another CPU than the last
 * holder pays a cache-line hand-off on top of the hold time. Commit is lock-free and not here.
 */
import type { Sampler, UniformSource } from '../distributions/types.js';
import { makeSampler } from '../distributions/sampler.js';
import type { Dist } from '../distributions/types.js';

export class ReserveLock {
  /** The hand-off the last acquire() paid (0 when the same CPU held the lock before). */
  declare handoffNs: number;
  private declare freeAt: number;
  private declare holder: number;
  private readonly hold: Sampler;
  private readonly handoff: Sampler;
  private readonly perDoubling: Sampler | null;
  // Grant times of the acquisitions still ahead (FIFO, so ascending; circular, one per CPU).
  private readonly grants: Float64Array;
  private grantHead = 0;
  private grantCount = 0;

  constructor(lock: { hold: Dist; handoff: Dist; perDoubling?: Dist }, cpus: number, private readonly rng: UniformSource) {
    this.hold = makeSampler(lock.hold);
    this.handoff = makeSampler(lock.handoff);
    this.perDoubling = lock.perDoubling ? makeSampler(lock.perDoubling) : null;
    this.grants = new Float64Array(cpus + 1);
    this.freeAt = 0;
    this.holder = -1;
    this.handoffNs = 0;
  }

  /**
   * CPU c asks for the lock at t: when it gets it (>= t). The lock is then busy for its hold,
   * plus a hand-off when another CPU held it last, which grows with the log of the CPUs queued
   * for it: their spinning keeps pulling the lock's and the positions' cache lines away (the
   * kernel's ringbuf benchmark: the time per record grows by a constant per doubling of the
   * producers, 2 to 52).
   */
  acquire(c: number, t: number): number {
    const rng = this.rng;
    // The other CPUs contending: those queued, and the holder if the lock is busy.
    const waiting = this.waitersAt(t) + (this.freeAt > t ? 1 : 0);
    let handoff = 0;
    if (this.holder >= 0 && this.holder !== c) {
      handoff = this.handoff.sample(rng);
      if (this.perDoubling !== null && waiting > 0) handoff += Math.log2(1 + waiting) * this.perDoubling.sample(rng);
    }
    this.handoffNs = handoff;
    const at = this.freeAt > t ? this.freeAt : t;
    this.freeAt = at + this.hold.sample(rng) + handoff;
    this.holder = c;
    if (at > t) this.pushGrant(at);
    return at;
  }

  /** CPUs still queued (granted after t). */
  private waitersAt(t: number): number {
    const g = this.grants;
    while (this.grantCount > 0 && g[this.grantHead] <= t) {
      this.grantHead = this.grantHead + 1 === g.length ? 0 : this.grantHead + 1;
      this.grantCount--;
    }
    return this.grantCount;
  }

  private pushGrant(at: number): void {
    const g = this.grants;
    if (this.grantCount === g.length) return; // every CPU queued already: cannot grow
    const i = this.grantHead + this.grantCount;
    g[i >= g.length ? i - g.length : i] = at;
    this.grantCount++;
  }
}
