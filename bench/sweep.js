/**
 * Sweep scaling: the same what-if sweep run by `bpfsim sweep` (src/whatif, worker threads)
 * with --jobs 1 and --jobs 2, each a whole process timed from spawn to exit (start-up
 * included in both). scaling = wall(1) / wall(2); the CPU seconds of both processes (all
 * threads) show what the second worker costs, which other jobs on the machine disturb less.
 * The grid is page_cnt x consumer speed x replications of the default tracer model. The two
 * JSON results must be equal: the number of workers never changes a result.
 */
import { timeBpfsim } from './process.js';

const DEFAULT_RATE = 400_000; // models/default.yaml: packets/s

/** The sweep's command-line arguments (without --jobs). */
export function sweepArgs({ pageCnts, callbacks, reps, packets }) {
  return [
    'sweep',
    '--vary', `output.pageCnt=${pageCnts.join(',')}`,
    '--vary', `consumer.callback=${callbacks.join(',')}`,
    '--replications', String(reps),
    '--duration', `${packets / DEFAULT_RATE}s`,
    '--json',
  ];
}

/** Runs the sweep with `jobs` workers: { seconds, cpuSeconds, runs, packets, json }. */
export function runSweep(grid, jobs) {
  const r = timeBpfsim([...sweepArgs(grid), '--jobs', String(jobs)]);
  const runs = grid.pageCnts.length * grid.callbacks.length * grid.reps;
  return { seconds: r.seconds, cpuSeconds: r.cpuSeconds, runs, packets: runs * grid.packets, json: r.stdout };
}
