/** The Result's `pipeline` section: each user-space stage's counters over the measured window. */
import type { PipelineStageResult } from '../result.js';
import type { Pipeline } from '../datapath/pipeline.js';

/** `windowSec`: the measured window, seconds. */
export function pipelineResults(p: Pipeline, windowSec: number): PipelineStageResult[] {
  return p.stages.map((st) => {
    const k = st.counters;
    return {
      name: st.spec.name,
      capacity: Number.isFinite(st.spec.capacity) ? st.spec.capacity : null,
      offered: k.offered,
      dropped: k.dropped,
      droppedPct: k.offered > 0 ? (k.dropped / k.offered) * 100 : 0,
      delivered: k.delivered,
      maxWaiting: k.maxWaiting,
      busyPct: windowSec > 0 ? (k.busyNs / 1e9 / windowSec) * 100 : 0,
    };
  });
}
