/**
 * Points of a sweep (or variants of a compare) whose figures should not be read at face value:
 * the consumer was saturated (its loss is a rate mismatch that no buffer fixes), or the run
 * was too short to reach a steady state (the buffer was still filling at the end). Read from
 * the share of replications that gave the run's own warning (`warnings.<code>` figures).
 */
import type { FigureCIs } from './aggregate.js';

export const POINT_FLAGS = [
  { code: 'consumer-saturated', flag: 'consumer saturated' },
  { code: 'not-steady-state', flag: 'run too short' },
] as const;

export type PointFlag = (typeof POINT_FLAGS)[number]['flag'];

/** The flags of one point: a flag when any replication gave its warning. */
export function pointFlags(figures: FigureCIs): PointFlag[] {
  return POINT_FLAGS.filter(({ code }) => (figures[`warnings.${code}`]?.mean ?? 0) > 0).map(({ flag }) => flag);
}

/** What the flags mean, for a table's notes. */
export const FLAG_NOTES: Record<PointFlag, string> = {
  'consumer saturated': 'consumer saturated: the reader is busy all the time; its loss is a rate mismatch a bigger buffer does not fix',
  'run too short': 'run too short: the buffer was still filling at the end; loss is understated, run longer (--duration)',
};
