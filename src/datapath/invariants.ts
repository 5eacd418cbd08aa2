/**
 * Conservation laws checked at the end of every run. A violation is a bug in bpfsim, never
 * a property of the model: it raises an InvariantError with the numbers that disagree.
 */
export class InvariantError extends Error {
  constructor(
    readonly law: string,
    readonly details: Record<string, number>,
  ) {
    const nums = Object.entries(details)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    super(`internal error: invariant "${law}" violated (${nums})`);
    this.name = 'InvariantError';
  }
}

export interface RunTotals {
  packets: number;
  departed: number;
  dropped: number;
  inFlight: number;
  generated: number;
  consumed: number;
  lost: number;
  inBuffer: number;
  inProcess: number;
  pendingBatch: number;
  /** Highest ring occupancy seen, bytes, and the usable capacity it must stay within. */
  maxRingBytes: number;
  ringLimit: number;
  minRingBytes: number;
}

/** Throws on the first violated law. */
export function checkInvariants(t: RunTotals): void {
  if (t.packets !== t.departed + t.dropped + t.inFlight) {
    throw new InvariantError('packets = delivered + dropped + in flight', {
      packets: t.packets,
      delivered: t.departed,
      dropped: t.dropped,
      inFlight: t.inFlight,
    });
  }
  const accounted = t.consumed + t.lost + t.inBuffer + t.inProcess + t.pendingBatch;
  if (t.generated !== accounted) {
    throw new InvariantError('events = consumed + lost + in buffer', {
      generated: t.generated,
      consumed: t.consumed,
      lost: t.lost,
      inBuffer: t.inBuffer,
      inProcess: t.inProcess,
      pendingBatch: t.pendingBatch,
    });
  }
  if (t.maxRingBytes > t.ringLimit || t.minRingBytes < 0) {
    throw new InvariantError('ring bytes within capacity', {
      maxRingBytes: t.maxRingBytes,
      usableCapacity: t.ringLimit,
      minRingBytes: t.minRingBytes,
    });
  }
}
