/**
 * Running an experiment from the command line: the executor for --jobs, a progress bar with
 * ETA on a terminal (nothing when stderr is not a TTY), and Ctrl-C: the first stops cleanly
 * (runs in flight are abandoned, what finished is kept and written), a second quits at once.
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
}

/** Runs `body` with an executor, progress and Ctrl-C handling; always closes the executor. */
export async function runSession<T>(opts: SessionOptions, body: (exec: Executor, run: RunOptions) => Promise<T>): Promise<SessionOutcome<T>> {
  const exec = createExecutor(opts.jobs, opts.planned);
  const controller = new AbortController();
  const showBar = opts.progress ?? process.stderr.isTTY === true;
  const bar = showBar
    ? new cliProgress.SingleBar(
        {
          format: `${opts.label ?? 'runs'} {bar} {percentage}% | {value}/{total} | ETA {eta_formatted} | ${exec.size} job${exec.size > 1 ? 's' : ''}`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 20,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  const onProgress = (done: number, total: number) => {
    if (!bar) return;
    if (!started) {
      bar.start(total, done);
      started = true;
    } else {
      bar.setTotal(total);
      bar.update(done);
    }
  };
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    bar?.stop();
    process.stderr.write('\nbpfsim: stopping (Ctrl-C again to quit now); writing what finished\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const value = await body(exec, { signal: controller.signal, onProgress });
    return { value, interrupted: controller.signal.aborted };
  } finally {
    process.off('SIGINT', onSigint);
    if (started) bar?.stop();
    await exec.close();
  }
}
