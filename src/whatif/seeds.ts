/** Replication seeds, apart from the worker pool so that the browser page shares them. */

/** The master seed of replication r of a model whose seed is `seed`. */
export function replicationSeed(seed: number, r: number): number {
  return seed + r;
}
