/**
 * Is the host quiet enough to measure on? Real runs share the machine with whatever else
 * runs on it; another task on the reader's or the producer's CPU shows up as loss and
 * latency the model cannot know about. The loader reports, per run, the idle share and the
 * runnable tasks that are not its own before and during its traced phase; this module reads
 * the same from /proc/stat between runs and judges both.
 */
import { readFileSync } from 'node:fs';
import type { QuietRecord, ValidateRecord } from './records.js';

/** Other tasks' share of all CPUs above which a run is marked busy. */
export const BUSY_SHARE = 0.2;
/** Mean other runnable tasks above which a run is marked busy. */
export const BUSY_RUNNABLE = 0.5;
/** Above these the host is clearly busy: the grid refuses to run without --allow-busy. */
export const CLEARLY_BUSY_SHARE = 0.5;

interface StatSnap {
  busy: number;
  total: number;
  running: number;
}

function readStat(): StatSnap | undefined {
  try {
    const text = readFileSync('/proc/stat', 'utf8');
    const cpu = /^cpu\s+(.*)$/m.exec(text);
    const running = /^procs_running\s+(\d+)/m.exec(text);
    if (!cpu) return undefined;
    const v = cpu[1].trim().split(/\s+/).slice(0, 8).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - v[3] - v[4], total, running: running ? Number(running[1]) : 1 };
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The host over `ms` while this process waits: other tasks' CPU share and runnable count. */
export async function sampleHost(ms = 300): Promise<QuietRecord | undefined> {
  const a = readStat();
  if (!a) return undefined;
  let runnable = 0;
  let n = 0;
  const steps = Math.max(1, Math.round(ms / 25));
  for (let i = 0; i < steps; i++) {
    await sleep(ms / steps);
    const s = readStat();
    if (s) {
      runnable += Math.max(0, s.running - 1);   // this process, reading
      n++;
    }
  }
  const b = readStat();
  if (!b || b.total <= a.total) return undefined;
  const share = (b.busy - a.busy) / (b.total - a.total);
  return { idleShare: 1 - share, otherBusyShare: share, otherRunnable: n ? runnable / n : 0, samples: n };
}

export function isBusy(q: QuietRecord | undefined): boolean {
  return q !== undefined && (q.otherBusyShare > BUSY_SHARE || q.otherRunnable > BUSY_RUNNABLE);
}

export function isClearlyBusy(q: QuietRecord | undefined): boolean {
  return q !== undefined && q.otherBusyShare > CLEARLY_BUSY_SHARE;
}

/** Why a recorded run counts as measured on a busy host, or undefined when it was quiet. */
export function busyReason(r: ValidateRecord): string | undefined {
  const h = r.host;
  if (!h) return undefined;
  const parts: string[] = [];
  for (const [when, q] of [['before', h.before], ['during', h.during]] as const) {
    if (q.otherBusyShare > BUSY_SHARE) parts.push(`other tasks used ${(100 * q.otherBusyShare).toFixed(0)}% of the CPUs ${when}`);
    else if (q.otherRunnable > BUSY_RUNNABLE) parts.push(`${q.otherRunnable.toFixed(1)} other runnable tasks ${when}`);
  }
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * Waits (up to `maxWaitMs`) for a quiet moment. Returns the last sample, quiet or not, so
 * the caller can say how busy the host was when it gave up waiting.
 */
export async function waitForQuiet(maxWaitMs: number, sampleMs = 300): Promise<QuietRecord | undefined> {
  const end = Date.now() + maxWaitMs;
  let q = await sampleHost(sampleMs);
  while (isBusy(q) && Date.now() < end) {
    await sleep(500);
    q = await sampleHost(sampleMs);
  }
  return q;
}
