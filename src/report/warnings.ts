/**
 * The warnings a report shows: the simulation's own, then the renderer's findings on the
 * numbers (heavy loss, a saturated consumer, ...) unless the simulation already said the same.
 */
import type { Result } from '../result.js';
import { runFacts } from './facts.js';
import { formatCount, formatPct, formatPerSec } from '../units/format.js';

/** Event loss above this share is called out. */
export const LOSS_WARN_PCT = 1;
/** A consumer busier than this share of its CPU is saturated: it cannot absorb a burst. */
export const CONSUMER_SATURATED_PCT = 95;
/** Throughput loss above this share is called out. */
export const THROUGHPUT_WARN_PCT = 1;

interface Finding {
  /** Matches a simulation warning that already says this. */
  sameAs: RegExp;
  text: string;
}

function findings(result: Result): Finding[] {
  const out: Finding[] = [];
  const { events, cpu, throughput } = result;
  const facts = runFacts(result);
  if (events.lostPct > LOSS_WARN_PCT) {
    out.push({
      sameAs: /loss above|events? (were )?lost|lost .*events|% of events lost/i,
      text:
        `loss above ${LOSS_WARN_PCT}%: ${formatPct(events.lostPct)} of events lost ` +
        `(${formatCount(events.lost)} of ${formatCount(events.generated)}); ` +
        'a larger buffer, sampling, batching or in-kernel aggregation would reduce it',
    });
  }
  if (cpu.consumerPct >= CONSUMER_SATURATED_PCT) {
    out.push({
      sameAs: /consumer.*(saturat|cannot keep up|busy)/i,
      text:
        `consumer saturated: busy ${formatPct(cpu.consumerPct)} of its CPU ` +
        `for ${formatPerSec(facts.consumedPerSec, 'events')}; it cannot absorb more`,
    });
  }
  if (throughput.lossPct > THROUGHPUT_WARN_PCT) {
    out.push({
      sameAs: /throughput/i,
      text:
        `throughput loss above ${THROUGHPUT_WARN_PCT}%: ${formatPct(throughput.lossPct)} fewer packets delivered ` +
        `(receive-queue drops ${formatCount(throughput.baseline.rxDrops)} without the tool, ` +
        `${formatCount(throughput.traced.rxDrops)} with it)`,
    });
  }
  const ringbuf = result.occupancy.rings.length === 1 && result.occupancy.rings[0].name === 'ringbuf';
  if (ringbuf && events.lost > 0 && events.lostReported === 0) {
    out.push({
      sameAs: /ringbuf.*(report|silent|count)/i,
      text:
        `ringbuf losses are silent: ${formatCount(events.lost)} events lost and the consumer is told nothing; ` +
        'count failed bpf_ringbuf_reserve/output calls in the program to see them',
    });
  }
  return out;
}

/** The simulation's warnings followed by the report's findings, without repeats. */
export function reportWarnings(result: Result): string[] {
  const own = result.warnings;
  const extra = findings(result)
    .filter((f) => !own.some((w) => f.sameAs.test(w)))
    .map((f) => f.text);
  return [...own, ...extra];
}
