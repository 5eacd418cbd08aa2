/**
 * The Result of one run: plain, versioned JSON. Sizes in bytes, times in ns, rates per
 * second, percentages as numbers 0-100. Renderers and what-if tools read only this.
 * Key names are public interface: change them only with RESULT_VERSION.
 */
export const RESULT_VERSION = 1;

export interface LatencyStats {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** A latency histogram in compact form: bucket lower bounds (ns) and counts, non-empty only. */
export interface HistogramData {
  lower: number[];
  upper: number[];
  count: number[];
}

export interface SeriesData {
  /** Interval start times, ns. */
  t: number[];
  meanBytes: number[];
  maxBytes: number[];
  /** Events lost in the interval. */
  lost: number[];
}

export interface RingOccupancy {
  /** "cpu0".."cpuN" for perf buffers, "ringbuf" for the shared ring. */
  name: string;
  capacityBytes: number;
  /** Exact maximum bytes occupied (post warm-up). */
  highWaterBytes: number;
  highWaterPct: number;
  /** Time-weighted mean bytes occupied (post warm-up). */
  meanBytes: number;
  meanPct: number;
  series: SeriesData;
}

export interface PerCpuEvents {
  cpu: number;
  generated: number;
  lost: number;
  consumed: number;
}

export interface StaticEstimate {
  /** Events per second reaching user space, as the seed's arithmetic assumes. */
  eventRate: number;
  /** Kernel-side overhead, % of one CPU summed over CPUs (seed: rate x cost). */
  kernelPct: number;
  /** User-space consumer, % of one CPU. */
  consumerPct: number;
  totalPct: number;
  /** Mean probe + program cost per packet, ns. */
  perPacketNs: number;
  /**
   * The two parts of kernelPct: probe dispatch and program steps at the packet rate
   * (probePct), and output at the record rate: submit, batch adds, the producer's share of
   * wake-ups and ringbuf lock handoffs (submitPct, the seed's "event rate x submit cost").
   */
  probePct: number;
  submitPct: number;
  /** Records written into the buffers per second (events / batch). */
  recordRate: number;
  /** Wake-up signals raised by producers per second (estimate). */
  wakeupRate: number;
}

export interface MemoryBreakdown {
  base: number;
  maps: { name: string; type: string; maxBytes: number; typicalBytes: number }[];
  mapsMaxBytes: number;
  mapsTypicalBytes: number;
  buffers: number;
  jit: number;
  other: number;
  total: { maxBytes: number; typicalBytes: number };
}

export type Grade = 'excellent' | 'good' | 'medium' | 'heavy';

export interface Result {
  version: number;
  latency: {
    baseline: LatencyStats;
    traced: LatencyStats;
    inflation: { meanPct: number; p99Pct: number };
    /** From an event's generation to the end of its processing by the consumer. */
    eventDelay: LatencyStats;
    histograms: { baseline: HistogramData; traced: HistogramData };
  };
  throughput: {
    offeredPps: number;
    baseline: { deliveredPps: number; delivered: number; rxDrops: number };
    traced: { deliveredPps: number; delivered: number; rxDrops: number };
    /** (baseline delivered - traced delivered) / baseline delivered x 100. */
    lossPct: number;
  };
  events: {
    generated: number;
    /** Hits that the sampling step skipped (not generated). */
    sampledOut: number;
    /** Records written into the buffer (a batch is one record). */
    submitted: number;
    /** Output calls made by the program (successful or not). */
    submitCalls: number;
    lost: number;
    lostPct: number;
    /** Losses the consumer was told of (perf LOST records); ringbuf reports none. */
    lostReported: number;
    consumed: number;
    inBuffer: number;
    /** Events accumulated in per-CPU batches, not yet submitted. */
    pendingBatch: number;
    perCpu: PerCpuEvents[];
    wakeups: {
      /** Wake-up requests raised by producers (perf wakeup_events / watermark, ringbuf notifications). */
      signalled: number;
      /** Of those, requests made while the buffer's irq_work was still pending: folded into it, nearly free. */
      coalesced: number;
      /** irq_works that ran (each wakes the reader if it sleeps in poll). */
      irqWorks: number;
      /** Times the sleeping consumer was woken by a signal. */
      consumerWakes: number;
      pollTimeouts: number;
      /** Polls (or consume passes) that found data: what tools count as "wake-ups". */
      pollsWithData: number;
      /** Sleeps of the reader that ended (woken, timed out, end of a consume-sleep interval): its voluntary context switches. */
      sleepsEnded: number;
    };
    /**
     * Lost events (after warm-up) by what the reader was doing when the ring was full: asleep
     * (in poll or a consume-sleep interval, or waking), stalled (a runtime pause or a blocking log
     * write), preempted (runnable, waiting for its CPU), busyBehind (handling records, not keeping up).
     * A bigger buffer absorbs the first three (bursts of absence); it only delays busyBehind.
     */
    lossCauses: { asleep: number; stalled: number; preempted: number; busyBehind: number };
  };
  occupancy: {
    intervalNs: number;
    rings: RingOccupancy[];
    /** Records waiting for the consumer, over all rings. */
    backlog: { meanRecords: number; maxRecords: number };
  };
  cpu: {
    /** Probe + program + submit time added to the data path, ns per simulated second. */
    kernelNsPerSec: number;
    /** The same as % of one data-path CPU, averaged over CPUs, and per CPU. */
    kernelPct: number;
    kernelPctPerCpu: number[];
    consumerNsPerSec: number;
    /** Consumer thread busy time, % of one CPU. */
    consumerPct: number;
    /** Reader pauses (runtime collector, blocking log writes) and scheduler switches it met, after warm-up. */
    consumerStalls: number;
    consumerSwitches: number;
    static: StaticEstimate;
  };
  memory: MemoryBreakdown;
  log: { events: number; bytes: number; bytesPerSec: number };
  rating: { grade: Grade; latencyPct: number; throughputPct: number; reason: string };
  warnings: string[];
  meta: {
    tool: 'bpfsim';
    toolVersion: string;
    model: string;
    seed: number;
    catalog: string;
    /** The host class the costs describe (bare-metal | vm) and where its costs came from. */
    host: { class: string; costs: string };
    kernel: string;
    cpus: number;
    simulatedNs: number;
    warmupNs: number;
    /** Events taken off the event list (traced run). */
    eventsProcessed: number;
    packets: { traced: number; baseline: number };
  };
}
