/**
 * Where runs execute: inline (one at a time, on this thread) or on a pool of worker threads.
 * Both take the same RunTask and give the same figures, so the number of workers never changes
 * a result; the caller assembles results by key, never by completion order.
 */
import { availableParallelism } from 'node:os';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { ModelError, type Problem } from '../model/errors.js';
import type { Figures } from './figures.js';
import { runTask, type RunTask } from './task.js';

export type WorkerReply =
  | { id: number; ok: true; figures: Figures }
  | { id: number; ok: false; problems: Problem[] }
  | { id: number; ok: false; message: string; stack?: string };

export interface Executor {
  /** Runs that may be in flight at once. */
  readonly size: number;
  run(task: RunTask): Promise<Figures>;
  /** Stops: runs in flight are abandoned (their promises reject with StoppedError). */
  close(): Promise<void>;
}

/** A run abandoned because the executor was closed (Ctrl-C). */
export class StoppedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'StoppedError';
  }
}

/** Runs on this thread, yielding to the event loop before each run (so Ctrl-C is seen). */
export class InlineExecutor implements Executor {
  readonly size = 1;
  private closed = false;

  async run(task: RunTask): Promise<Figures> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.closed) throw new StoppedError();
    return runTask(task);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

interface Pending {
  id: number;
  task: RunTask;
  resolve: (f: Figures) => void;
  reject: (e: unknown) => void;
}

/**
 * The worker entry beside this module: worker.js when compiled; from the TypeScript sources
 * (the tests) worker-dev.mjs, which registers tsx in the thread and then loads worker.ts
 * (`execArgv: ['--import', 'tsx']` does not reach a worker's module loader on Node 20).
 */
function workerEntry(): { url: URL; options: WorkerOptions } {
  const fromTs = import.meta.url.endsWith('.ts');
  // From sources the parent may be a test runner whose Node flags mean nothing to a worker.
  return { url: new URL(fromTs ? './worker-dev.mjs' : './worker.js', import.meta.url), options: fromTs ? { execArgv: [] } : {} };
}

/** worker_threads pool: one run per worker at a time, FIFO queue. Workers start on first use. */
export class WorkerPool implements Executor {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private readonly live = new Set<Worker>();
  private nextId = 0;
  private closed = false;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`WorkerPool: size must be an integer >= 1, got ${size}`);
  }

  run(task: RunTask): Promise<Figures> {
    if (this.closed) return Promise.reject(new StoppedError());
    return new Promise<Figures>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new StoppedError());
    for (const p of this.busy.values()) p.reject(new StoppedError());
    this.busy.clear();
    this.idle.length = 0;
    const all = [...this.live];
    this.live.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let w = this.idle.pop();
      if (!w && this.live.size < this.size) w = this.spawn();
      if (!w) return;
      const p = this.queue.shift()!;
      this.busy.set(w, p);
      w.postMessage({ id: p.id, task: p.task });
    }
  }

  private spawn(): Worker {
    const { url, options } = workerEntry();
    const w = new Worker(url, options);
    this.live.add(w);
    w.on('message', (reply: WorkerReply) => {
      const p = this.busy.get(w);
      if (!p || p.id !== reply.id) return;
      this.busy.delete(w);
      if (reply.ok) p.resolve(reply.figures);
      else if ('problems' in reply) p.reject(new ModelError(reply.problems));
      else p.reject(Object.assign(new Error(reply.message), { stack: reply.stack ?? reply.message }));
      if (this.closed) return;
      this.idle.push(w);
      this.dispatch();
    });
    w.on('error', (err) => this.lost(w, err));
    w.on('exit', (code) => {
      if (!this.closed) this.lost(w, new Error(`worker thread exited with code ${code}`));
    });
    return w;
  }

  /** A worker died: its run fails, and a fresh worker may take the queue. */
  private lost(w: Worker, err: unknown): void {
    if (!this.live.delete(w)) return; // 'error' is followed by 'exit'
    const p = this.busy.get(w);
    this.busy.delete(w);
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    p?.reject(err);
    if (!this.closed) this.dispatch();
  }
}

/** Cores available to this process. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** One job runs inline (no thread start-up); more use a pool of that many workers. */
export function createExecutor(jobs: number, tasks = Infinity): Executor {
  const n = Math.max(1, Math.min(jobs, tasks));
  return n === 1 ? new InlineExecutor() : new WorkerPool(n);
}
