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

  constructor(hold: Dist, handoff: Dist, private readonly rng: UniformSource) {
    this.hold = makeSampler(hold);
    this.handoff = makeSampler(handoff);
    this.freeAt = 0;
    this.holder = -1;
    this.handoffNs = 0;
  }

  /** CPU c asks for the lock at t: when it gets it (>= t). The lock is then busy for its hold. */
  acquire(c: number, t: number): number {
    const rng = this.rng;
    this.handoffNs = this.holder >= 0 && this.holder !== c ? this.handoff.sample(rng) : 0;
    const at = this.freeAt > t ? this.freeAt : t;
    this.freeAt = at + this.hold.sample(rng) + this.handoffNs;
    this.holder = c;
    return at;
  }
}
