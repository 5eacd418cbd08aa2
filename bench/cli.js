/**
 * bpfsim as a user runs it: whole `bpfsim` processes, timed from spawn to exit.
 *  - start-up: `bpfsim run --help` (nothing simulated: module loading and argument parsing);
 *  - M/M/1 through `bpfsim run` (a one-CPU model file, no probes) beside SimPy 2's M/M/1 as a
 *    whole Python process: the ratio of CPU seconds per customer, start-ups included;
 *  - peak RSS of `bpfsim run` on the default tracer model over packet counts and CPU counts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastest, timeBpfsim } from './process.js';

/** Wall ms of `bpfsim run --help`, the fastest of `reps`. */
export function startupMs(reps = 7) {
  return fastest(reps, () => timeBpfsim(['run', '--help'])).seconds * 1e3;
}

/** `bpfsim run` on an M/M/1 model of `customers` customers (rho, mean service 1 us): the fastest of `reps`. */
export function cliMM1(customers, rho, reps = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-bench-'));
  try {
    const rate = rho * 1e6; // per second, mean service 1 us
    const file = join(dir, 'mm1.yaml');
    writeFileSync(
      file,
      [
        'name: M/M/1 bench',
        'cpus: 1',
        `traffic: { arrival: poisson, rate: ${rate}, duration: ${customers / rate}s, warmup: 0s }`,
        'datapath: { service: { dist: exponential, mean: 1us }, rxQueue: 100000 }',
        'probes: []',
        '',
      ].join('\n'),
    );
    const best = fastest(reps, () => timeBpfsim(['run', file, '--json']));
    const result = JSON.parse(best.stdout);
    return { ...best, customers: result.meta.packets.traced, meanSojournNs: result.latency.traced.mean };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const DEFAULT_RATE = 400_000; // models/default.yaml: packets/s over all CPUs

/** Peak RSS (MB) of `bpfsim run` on the default model at `packets` packets over `cpus` CPUs. */
export function cliRss(packets, cpus) {
  const r = timeBpfsim(['run', '--json', '--duration', `${packets / DEFAULT_RATE}s`, '--set', `cpus=${cpus}`]);
  return { packets, cpus, maxRssMB: r.maxRssMB, seconds: r.seconds, cpuSeconds: r.cpuSeconds };
}
