/**
 * Simulation workers for the page: a queue of runs by priority (the main run first, then its
 * replications, then studies), as many workers as the machine has cores to spare. A group of
 * runs can be cancelled: queued ones are dropped, running ones are stopped (the worker is
 * replaced), and their promises reject with Cancelled.
 */
import type { RunRequest, RunResponse } from '../protocol.js';

export class Cancelled extends Error {}

interface Job {
  req: Omit<RunRequest, 'id'>;
  group: string;
  priority: number;
  resolve: (r: RunResponse) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job & { id: number };
}

export class SimPool {
  private readonly slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;

  constructor(
    private readonly makeWorker: () => Worker,
    size: number,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  get busy(): number {
    return this.slots.filter((s) => s.job).length + this.queue.length;
  }

  private spawn(): Slot {
    const slot: Slot = { worker: this.makeWorker() };
    this.attach(slot);
    return slot;
  }

  private attach(slot: Slot): void {
    slot.worker.onmessage = (e: MessageEvent<RunResponse>) => {
      const job = slot.job;
      slot.job = undefined;
      if (job && e.data.id === job.id) job.resolve(e.data);
      this.pump();
    };
    slot.worker.onerror = (e) => {
      const job = slot.job;
      slot.job = undefined;
      job?.reject(new Error(`worker failed: ${e.message}`));
      this.pump();
    };
  }

  /** Queues a run; lower priority numbers run first, in order of submission within a priority. */
  run(req: Omit<RunRequest, 'id'>, group: string, priority: number): Promise<RunResponse> {
    return new Promise((resolve, reject) => {
      const job: Job = { req, group, priority, resolve, reject };
      const at = this.queue.findIndex((j) => j.priority > priority);
      if (at < 0) this.queue.push(job);
      else this.queue.splice(at, 0, job);
      this.pump();
    });
  }

  /** Drops the queued runs of the groups and stops their running ones. */
  cancel(groups: string[]): void {
    const hit = (j: Job) => groups.includes(j.group);
    for (const j of this.queue.filter(hit)) j.reject(new Cancelled());
    this.queue = this.queue.filter((j) => !hit(j));
    for (const slot of this.slots) {
      if (slot.job && hit(slot.job)) {
        const job = slot.job;
        slot.job = undefined;
        slot.worker.terminate();
        slot.worker = this.makeWorker();
        this.attach(slot);
        job.reject(new Cancelled());
      }
    }
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      slot.job = { ...job, id };
      slot.worker.postMessage({ ...job.req, id } satisfies RunRequest);
    }
  }
}
