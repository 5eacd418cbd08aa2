/**
 * Quantities every renderer derives from a Result the same way: the measured window, rates, the
 * simulated kernel cost on the static estimate's scale, how uneven the per-CPU loss is.
 */
import type { Result, RingOccupancy } from '../result.js';
import { pctOf } from '../units/format.js';

export interface RunFacts {
  /** Simulated seconds after warm-up: the window the statistics cover. */
  measuredSec: number;
  generatedPerSec: number;
  /** Events that reached user space per second. */
  consumedPerSec: number;
  /** Events the consumer handled per wake-up (NaN when it was never woken). */
  eventsPerWake: number;
  /** Lost % per CPU (of that CPU's generated events). */
  perCpuLostPct: number[];
  /** True when losses differ between CPUs enough to be worth listing one by one. */
  lossUneven: boolean;
}

/** Loss spread (percentage points) between CPUs above which per-CPU losses are listed. */
const UNEVEN_SPREAD_PP = 1;

export function runFacts(result: Result): RunFacts {
  const measuredSec = Math.max(0, result.meta.simulatedNs - result.meta.warmupNs) / 1e9;
  const perSec = (n: number) => (measuredSec > 0 ? n / measuredSec : 0);
  const perCpuLostPct = result.events.perCpu.map((c) => pctOf(c.lost, c.generated));
  const spread = perCpuLostPct.length > 1 ? Math.max(...perCpuLostPct) - Math.min(...perCpuLostPct) : 0;
  const lostCpus = result.events.perCpu.filter((c) => c.lost > 0).length;
  return {
    measuredSec,
    generatedPerSec: perSec(result.events.generated),
    consumedPerSec: perSec(result.events.consumed),
    eventsPerWake:
      result.events.wakeups.consumerWakes > 0 ? result.events.consumed / result.events.wakeups.consumerWakes : NaN,
    perCpuLostPct,
    // Uneven: a clear spread, or losses confined to some CPUs only.
    lossUneven:
      result.events.lost > 0 &&
      perCpuLostPct.length > 1 &&
      (spread >= UNEVEN_SPREAD_PP || (lostCpus > 0 && lostCpus < perCpuLostPct.length)),
  };
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The ring with the highest high-water mark (first of equals). */
export function fullestRing(rings: RingOccupancy[]): RingOccupancy | undefined {
  return rings.reduce<RingOccupancy | undefined>((m, r) => (!m || r.highWaterPct > m.highWaterPct ? r : m), undefined);
}
