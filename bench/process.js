/**
 * One whole process, timed as a user sees it: wall time from spawn to exit, and the process's
 * own CPU time (every thread) and peak RSS, reported at exit by usage-hook.js.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOOK = fileURLToPath(new URL('./usage-hook.js', import.meta.url));
export const BIN = fileURLToPath(new URL('../bin/bpfsim.js', import.meta.url));

/** Runs `node [args]`: { seconds, cpuSeconds, maxRssMB, stdout, stderr }; throws on a non-zero exit. */
export function timeNode(args, label = args.join(' ')) {
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-bench-'));
  const usageFile = join(dir, 'usage.json');
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', HOOK, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, BPFSIM_BENCH_USAGE: usageFile },
    });
    const seconds = (performance.now() - t0) / 1e3;
    if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}): ${String(r.stderr).trim().split('\n').pop()}`);
    const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
    return { seconds, cpuSeconds: usage.cpuSeconds, maxRssMB: usage.maxRssMB, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `bpfsim ARGS` as a whole process. */
export function timeBpfsim(args) {
  return timeNode([BIN, ...args], `bpfsim ${args.join(' ')}`);
}

/** The fastest of n runs of f (other load only ever slows a run down). */
export function fastest(n, f) {
  let best;
  for (let i = 0; i < n; i++) {
    const r = f();
    if (!best || r.seconds < best.seconds) best = r;
  }
  return best;
}
