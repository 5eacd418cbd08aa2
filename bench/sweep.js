/**
 * Sweep scaling: the same what-if sweep run by `bpfsim sweep` (src/whatif, worker threads)
 * with --jobs 1 and --jobs 2; scaling = wall time(1) / wall time(2). The grid is page_cnt x
 * consumer speed x replications of the default tracer model, as the what-if work.
 * Each is one `bpfsim sweep --json` process, timed from spawn to exit (start-up included in
 * both); the two JSON results must be equal, since the number of workers never changes a result.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/bpfsim.js', import.meta.url));
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

/** Runs the sweep with `jobs` workers: { seconds, runs, packets, json }. */
export function runSweep(grid, jobs) {
  const args = [BIN, ...sweepArgs(grid), '--jobs', String(jobs)];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1e3;
  if (r.status !== 0) throw new Error(`bpfsim sweep --jobs ${jobs} failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
  const runs = grid.pageCnts.length * grid.callbacks.length * grid.reps;
  return { seconds, runs, packets: runs * grid.packets, json: r.stdout };
}
