/**
 * Running an experiment from the command line: the executor for --jobs, a progress bar with
 * ETA on a terminal (nothing when stderr is not a TTY), and Ctrl-C or SIGTERM: the first stops
 * cleanly (runs in flight are abandoned, what finished is kept and written), a second quits at once.
 */
import cliProgress from 'cli-progress';
import { createExecutor, type Executor } from '../whatif/pool.js';
import type { RunOptions } from '../whatif/replicate.js';

export interface SessionOptions {
  jobs: number;
  /** Runs planned at the start (bounds the number of workers worth starting). */
  planned?: number;
  /** Show a progress bar (default: when stderr is a terminal). */
  progress?: boolean;
  label?: string;
}

export interface SessionOutcome<T> {
  value: T;
  interrupted: boolean;
  /** The exit code a stopped session ends with: 130 after SIGINT (Ctrl-C), 143 after SIGTERM. */
  exitCode: number | undefined;
}

/** Exit codes by the shell's convention, 128 + the signal's number. */
const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Time left, once it can be known: blank until a run has finished (before that any figure is a
 * guess from start-up time alone), then elapsed / done x remaining.
 */
export function etaText(elapsedMs: number, done: number, total: number): string {
  if (done <= 0 || total <= done) return '';
  const seconds = Math.round(((elapsedMs / done) * (total - done)) / 1000);
  if (seconds < 60) return `ETA ${seconds}s`;
  if (seconds < 3600) return `ETA ${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `ETA ${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Runs `body` with an executor, progress and stop handling; always closes the executor.
 * SIGINT (Ctrl-C) and SIGTERM (how Kubernetes and Slurm stop a job) stop alike: runs in flight
 * are abandoned, what finished is returned to be written; a second signal quits at once.
 */
export async function runSession<T>(opts: SessionOptions, body: (exec: Executor, run: RunOptions) => Promise<T>): Promise<SessionOutcome<T>> {
  const exec = createExecutor(opts.jobs, opts.planned);
  const controller = new AbortController();
  const showBar = opts.progress ?? process.stderr.isTTY === true;
  const bar = showBar
    ? new cliProgress.SingleBar(
        {
          format: `${opts.label ?? 'runs'} {bar} {percentage}% | {value}/{total} | {remaining} | ${exec.size} job${exec.size > 1 ? 's' : ''}`,
          hideCursor: true,
          clearOnComplete: true,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  const t0 = performance.now();
  const onProgress = (done: number, total: number) => {
    if (!bar) return;
    const remaining = { remaining: etaText(performance.now() - t0, done, total) };
    if (!started) {
      bar.start(total, done, remaining);
      started = true;
    } else {
      bar.setTotal(total);
      bar.update(done, remaining);
    }
  };
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stoppedBy !== undefined) process.exit(SIGNAL_EXIT[signal]);
    stoppedBy = signal;
    bar?.stop();
    const again = signal === 'SIGINT' ? 'Ctrl-C again' : 'a second SIGTERM';
    process.stderr.write(`\nbpfsim: stopping (${again} to quit now); writing what finished\n`);
    controller.abort();
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    const value = await body(exec, { signal: controller.signal, onProgress });
    const interrupted = controller.signal.aborted;
    return { value, interrupted, exitCode: interrupted && stoppedBy ? SIGNAL_EXIT[stoppedBy] : undefined };
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    if (started) bar?.stop();
    await exec.close();
  }
}
