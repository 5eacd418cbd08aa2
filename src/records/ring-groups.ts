/**
 * Which ring a CPU writes to: one buffer per `cpusPerBuffer` CPUs (Falco's
 * `cpus_for_each_buffer`), CPUs 0..k-1 on ring 0, k..2k-1 on ring 1, ... A perf buffer is per
 * CPU (k = 1: the kernel refuses a perf event on another CPU); a plain ringbuf is one ring for
 * all CPUs (k = cpus).
 */

/** Rings for `cpus` CPUs at k CPUs per ring: ceil(cpus / k). */
export function ringCount(cpus: number, cpusPerBuffer: number): number {
  return Math.ceil(cpus / Math.min(cpusPerBuffer, cpus));
}

/** The ring CPU c writes to. */
export function ringOfCpu(c: number, cpusPerBuffer: number): number {
  return Math.floor(c / cpusPerBuffer);
}

/** CPUs that share ring r (the last ring may serve fewer than k). */
export function cpusOfRing(r: number, cpus: number, cpusPerBuffer: number): number {
  return Math.min(cpusPerBuffer, cpus - r * cpusPerBuffer);
}
