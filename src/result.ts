/**
 * The Result of one run: plain, versioned JSON. Sizes in bytes, times in ns, rates per
 * second, percentages as numbers 0-100. Renderers and what-if tools read only this.
 * Key names are public interface: change them only with RESULT_VERSION.
 */
export const RESULT_VERSION = 2;

/** Latency statistics; every figure but count is null (n/a) when nothing was measured. */
export interface LatencyStats {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

/** The warnings a run can carry (src/analysis/warnings.ts holds the table). */
export type WarningCode =
  | 'no-traced-packets'
  | 'no-baseline-packets'
  | 'consumer-saturated'
  | 'event-loss'
  | 'reader-starves-rings'
  | 'ringbuf-silent-loss'
  | 'throughput-loss'
  | 'rx-drops-rose'
  | 'ring-near-full'
  | 'not-steady-state'
  | 'static-estimate-differs';

export interface RunWarning {
  /** Stable identifier, for scripts. */
  code: WarningCode;
  text: string;
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
  /** Events per second reaching user space (every event generated is read). */
  eventRate: number;
  /** Kernel-side overhead, % of one CPU summed over CPUs (event rate x cost). */
  kernelPctSum: number;
  /**
   * CPU the consumer would need to read every event, % of one CPU: a demand, not a usage
   * (above 100% it needs more than one CPU, which one reader thread cannot have).
   */
  consumerDemandPct: number;
  /** kernelPctSum + consumerDemandPct. */
  totalDemandPct: number;
  /** Mean probe + program cost per packet, ns. */
  perPacketNs: number;
  /**
   * The two parts of kernelPctSum: probe dispatch and program steps at the packet rate
   * (probePct), and output at the record rate: submit, batch adds, the producer's share of
   * wake-ups and ringbuf lock handoffs (submitPct, "event rate x submit cost").
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
  /**
   * Ringbuf only: the user-space address space the buffers take. libbpf maps each ring's data
   * twice, back to back, so that a record that wraps reads as one piece (Falco: "a buffer of
   * 8 MB will result in a 16 MB area in virtual memory"); resident memory stays `buffers`.
   */
  buffersVirtual?: number;
  jit: number;
  other: number;
  total: { maxBytes: number; typicalBytes: number };
}

export type Grade = 'excellent' | 'good' | 'medium' | 'heavy';

/** One user-space stage behind the reader (model `pipeline`), post warm-up. */
export interface PipelineStageResult {
  name: string;
  /** Events that may wait; null: unbounded. */
  capacity: number | null;
  offered: number;
  dropped: number;
  /** dropped / offered x 100 (0 when nothing was offered). */
  droppedPct: number;
  delivered: number;
  /** Most events waiting at once. */
  maxWaiting: number;
  /** The stage thread's busy time, % of one CPU. */
  busyPct: number;
}

/** A run in the words of the real tool the model names (`tool:`). */
export interface ToolView {
  /** The tool's id (the model's `tool:`) and how users know it. */
  name: string;
  label: string;
  /** The counters its users watch, over the measured window, under the tool's own names. */
  counters: { name: string; value: number; meaning: string }[];
  /** What the tool itself would print or alert over the run (empty: it stays quiet). */
  messages: string[];
  /** The setting that gives this buffer, as the tool takes it. */
  bufferSetting: string;
}

export interface Result {
  version: number;
  latency: {
    baseline: LatencyStats;
    traced: LatencyStats;
    /**
     * Traced vs baseline, in %; null when either side measured no packet (no change can be
     * stated). Negative values are real: a tool that drops packets can shorten the queues.
     */
    inflation: { meanPct: number | null; p99Pct: number | null };
    /** From an event's generation to the end of its processing by the consumer. */
    eventDelay: LatencyStats;
    histograms: { baseline: HistogramData; traced: HistogramData };
  };
  throughput: {
    offeredPps: number;
    baseline: { deliveredPps: number; delivered: number; rxDrops: number };
    traced: { deliveredPps: number; delivered: number; rxDrops: number };
    /**
     * (baseline delivered - traced delivered) / baseline delivered x 100, over the measured
     * window; null when the baseline delivered nothing in it. Never negative: services are paired
     * by order, so the traced run never departs more packets than the baseline (checked after
     * every run); a window edge can still move a few packets the traced run carried over from
     * the warm-up into the window, and that is no gain: it is reported as 0.
     */
    lossPct: number | null;
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
    /** The same as % of one CPU: summed over the data-path CPUs (the static estimate's scale). */
    kernelPctSum: number;
    /** ... averaged over the data-path CPUs (each CPU's share of its own time), and per CPU. */
    kernelPctMean: number;
    kernelPctPerCpu: number[];
    consumerNsPerSec: number;
    /** Consumer thread busy time, % of one CPU. */
    consumerPct: number;
    /** Reader pauses (runtime collector, blocking log writes) and scheduler switches it met, after warm-up. */
    consumerStalls: number;
    consumerSwitches: number;
    /** Time the reader spent blocked in log writes (off its CPU), % of the measured time: its load is consumerPct + this. */
    consumerBlockedPct: number;
    static: StaticEstimate;
  };
  memory: MemoryBreakdown;
  /** Written by the consumer in the measured window; bytesPerSec over that window. */
  log: { events: number; bytes: number; bytesPerSec: number };
  /** grade null (n/a) when latency or throughput change could not be measured. */
  rating: { grade: Grade | null; latencyPct: number | null; throughputPct: number | null; reason: string };
  warnings: RunWarning[];
  /** Present when the model has user-space stages after the reader (`pipeline:`), in order. */
  pipeline?: PipelineStageResult[];
  /** Present when the model names its tool (`tool:`). */
  tool?: ToolView;
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
    /** Simulator events taken off the event list (traced run): the simulator's work, not eBPF events. */
    simulatorEvents: number;
    packets: { traced: number; baseline: number };
  };
}
