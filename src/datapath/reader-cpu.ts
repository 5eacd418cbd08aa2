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
  // Fairness between the reader and a data-path task on its CPU: the CPU time each has had
  // while competing (their vruntimes, equal weights), and when the reader's last chunk ended.
  private declare readerV: number;
  private declare taskV: number;
  private declare lastEnd: number;
  /** A scheduler is modelled (hand-built scenarios without one alternate strictly). */
  private readonly fair: boolean;
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
    this.fair = sched !== undefined;
    this.ran = 0;
    this.lastWait = 0;
    this.readerV = 0;
    this.taskV = 0;
    this.lastEnd = 0;
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
    const task = this.withDatapathTask && this.datapath.datapathRunnable(t);
    // The data-path task had the CPU while the reader was off it.
    if (task && this.fair && t > this.lastEnd) this.taskV += t - this.lastEnd;
    if (woken) {
      this.ran = 0;
      if (task || this.backgroundRunning()) {
        let wait = 0;
        // A reader that has had more than its share waits until the task has caught up (its
        // vruntime is larger); a slice at most.
        if (task && this.fair && this.readerV > this.taskV) wait = this.readerV - this.taskV;
        // EEVDF (RUN_TO_PARITY): the running task keeps the CPU to the end of its slice.
        if (this.slicePreempt) wait = Math.max(wait, this.rng.double() * this.slice);
        if (wait > this.slice) wait = this.slice;
        if (task) this.taskV += wait;
        start += wait + this.switchNs();
      }
    } else if (this.ran >= this.slice) {
      // Slice used up: another runnable task gets its slice, then the reader again.
      this.ran = 0;
      if (task || this.backgroundRunning()) {
        if (task) this.taskV += this.slice;
        start += this.switchNs() + this.slice + this.switchNs();
      }
    }
    this.ran += d;
    this.readerV += d;
    this.lastEnd = start + d;
    this.lastWait = start - t;
    return start;
  }

  /** Background load (consumer.hostLoad) happens to hold the CPU at this moment. */
  private backgroundRunning(): boolean {
    return this.load > 0 && this.rng.double() < this.load;
  }

  private switchNs(): number {
    this.switches++;
    return this.switchCost === null ? 0 : this.switchCost.sample(this.rng);
  }
}
