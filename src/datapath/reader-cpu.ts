/**
 * The reader's CPU as its scheduler sees it: when a chunk of the reader's work (a poll, a
 * record, a wake-up) actually runs, given what else wants that CPU.
 *
 *  - Other runnable tasks (consumer.hostLoad, and on a shared CPU a data path running as a task)
 *    share it fairly: each runs a slice in turn (sched.slice), a switch costs sched.contextSwitch.
 *  - A woken reader pre-empts the running task at once (CFS: a sleeper's placement gives it the
 *    smaller vruntime) or waits for the running task's slice to end (EEVDF with RUN_TO_PARITY,
 *    6.6+): sched.wakePreempt.
 *  - Softirq work (packet receive, datapath.context: softirq) pre-empts the reader: on a CPU it
 *    shares with such a data path the reader runs only in the gaps (the host pushes its chunks).
 *
 * Background load is not simulated task by task: at each point where the reader would meet it
 * (a wake-up, the end of a slice) it is there with probability hostLoad, and then runs a slice.
 */
import type { Sampler, UniformSource } from '../distributions/types.js';
import { makeSampler } from '../distributions/sampler.js';
import type { Consumer } from '../model/scenario.js';

/** What the reader's CPU needs to know about the data path it may share. */
export interface DatapathOnCpu {
  /** The data path (as a task) has work on the reader's CPU at t. */
  datapathRunnable(t: number): boolean;
}

export class ReaderCpu {
  /** A chunk started now waits this long for its CPU (the part of placement that is waiting). */
  declare lastWait: number;
  /** Context switches counted (reader in or out). */
  switches = 0;
  /** Reader time since it last got the CPU, ns (its slice use). */
  private declare ran: number;
  private declare readonly slice: number;
  private declare readonly load: number;
  private readonly switchCost: Sampler | null;
  private readonly slicePreempt: boolean;
  /** The data path is a task on this CPU (shared, context task): it competes for slices. */
  private readonly withDatapathTask: boolean;

  constructor(
    spec: Consumer,
    datapathContext: 'softirq' | 'task',
    private readonly datapath: DatapathOnCpu,
    private readonly rng: UniformSource,
  ) {
    const sched = spec.sched;
    this.slice = sched ? sched.slice : Infinity;
    this.switchCost = sched ? makeSampler(sched.contextSwitch) : null;
    this.slicePreempt = sched !== undefined && sched.wakePreempt === 'slice-end';
    this.load = spec.hostLoad ?? 0;
    this.withDatapathTask = spec.cpu === 'shared' && datapathContext === 'task';
    this.ran = 0;
    this.lastWait = 0;
  }

  /** The reader left its CPU (it sleeps or blocks): its next run starts a fresh slice. */
  leave(): void {
    this.ran = 0;
  }

  /**
   * Where a chunk of d ns of reader work that is ready at t starts. `woken`: the reader just
   * became runnable after sleeping. Returns the start (>= t); lastWait says how long it waits.
   */
  place(t: number, d: number, woken: boolean): number {
    let start = t;
    if (woken) {
      this.ran = 0;
      if (this.competitorRunning(t)) {
        // The running task keeps the CPU to the end of its slice (EEVDF) or yields at once (CFS).
        if (this.slicePreempt) start += this.rng.double() * this.slice;
        start += this.switchNs();
      }
    } else if (this.ran >= this.slice && this.competitorRunning(t)) {
      // Slice used up with another task runnable: it gets its slice, then the reader again.
      start += this.switchNs() + this.slice + this.switchNs();
      this.ran = 0;
    }
    this.ran += d;
    this.lastWait = start - t;
    return start;
  }

  private competitorRunning(t: number): boolean {
    if (this.withDatapathTask && this.datapath.datapathRunnable(t)) return true;
    return this.load > 0 && this.rng.double() < this.load;
  }

  private switchNs(): number {
    this.switches++;
    return this.switchCost === null ? 0 : this.switchCost.sample(this.rng);
  }
}
