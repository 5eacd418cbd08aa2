/**
 * The Scenario: a fully resolved model. Plain data (JSON-serialisable but for `Infinity`),
 * every cost is a distribution in ns, every size in bytes, every rate per second. The loader
 * (src/model) builds it from a model file plus the catalog; the simulation (src/datapath) and
 * the static estimator (src/analysis) read it and nothing else.
 */
import type { Dist } from '../distributions/types.js';
import type { HostClass } from './host-class.js';

export type ArrivalKind = 'poisson' | 'constant' | 'bursty' | 'trace' | 'saturate';

export interface Traffic {
  arrival: ArrivalKind;
  /** Mean offered rate over all CPUs, packets/s (0 for saturate). */
  rate: number;
  /** Simulated time, ns (includes warm-up). */
  duration: number;
  /** Statistics before this time are discarded, ns. */
  warmup: number;
  /**
   * How packets are spread over CPUs: a uniform random draw, round robin, or by flow (toeplitz,
   * flowhash: `cpuOf` gives each trace packet's CPU).
   */
  rss: 'random' | 'roundrobin' | 'toeplitz' | 'flowhash';
  /** Bytes per packet when the trace gives no sizes (for datapath.perByte) [64]. */
  packetSize?: number;
  /** bursty: a two-state MMPP. Rates in packets/s over all CPUs, mean sojourns in ns. */
  burst?: { onRate: number; offRate: number; onMean: number; offMean: number };
  /** trace: arrival timestamps in ns, ascending. */
  times?: number[];
  /** trace (a capture): each packet's size on the wire, bytes. */
  sizes?: number[];
  /** trace with rss toeplitz or flowhash: each packet's CPU. */
  cpuOf?: number[];
  /** trace: replay again from the start every `period` ns (loop: true); 0 = once. */
  period?: number;
  /** trace: what the trace holds, for the user (printed by `run`). */
  summary?: TraceSummary;
}

export interface TraceSummary {
  /** pcap | pcapng | text */
  format: string;
  packets: number;
  /** First to last packet, ns. */
  span: number;
  /** packets / span (as capinfos reports it), packets/s; 0 for fewer than 2 packets. */
  rate: number;
  /** Mean size on the wire, bytes (captures only). */
  meanBytes?: number;
  /** Coefficient of variation of the gaps between packets (1 for Poisson arrivals, 0 for constant). */
  gapCv: number;
  /** Distinct flows (IP 5-tuples; captures only). */
  flows?: number;
  /** Largest share of packets on one CPU under the model's rss (1/cpus when even). */
  busiestCpuShare?: number;
}

export interface Datapath {
  /** Baseline kernel cost per packet (no probes). */
  service: Dist;
  /** Packets that may wait per CPU (the packet in service is not counted). */
  rxQueue: number;
  /** Extra service per byte of packet, ns [0]. */
  perByte?: number;
  /** softirq: pre-empts tasks (a shared reader runs when the CPU is idle); task: shares the CPU fairly [absent: softirq]. */
  context?: 'softirq' | 'task';
}

export type Step =
  /** Any costed step: map op, helper call, instructions, a named op. Runs `count` times. */
  | { kind: 'op'; name: string; cost: Dist; count: number }
  /** Early return: later steps run only with probability `pass`. */
  | { kind: 'filter'; pass: number }
  /**
   * Emit an event of `bytes`. `sample` N keeps 1 in N hits (the rest return early after the
   * sampling decision). `batch` N accumulates N events per CPU (each paying `batchAddCost`)
   * and submits one record of N x bytes; a partial batch is flushed by the first hit after
   * `flushTimeout` ns (Infinity: never).
   */
  | {
      kind: 'submit';
      bytes: number;
      sample: number;
      batch: number;
      flushTimeout: number;
      /** Per-record transport cost for a record of this payload (bytes x batch). */
      cost: Dist;
      /** Cost of adding one event to the per-CPU batch (batch > 1 only). */
      batchAddCost: Dist;
    }
  /** In-kernel aggregation: a map update per hit; user space reads the map periodically. */
  | { kind: 'aggregate'; map: string; cost: Dist }
  | { kind: 'loop'; count: number; body: Step[] };

export interface Probe {
  name: string;
  attach: string;
  entry: Dist;
  exit: Dist;
  /** Mean hits per packet; the fractional part is a Bernoulli extra hit. */
  hitsPerPacket: number;
  program: Step[];
}

export interface WakeupCosts {
  /** Producer's share of a wake-up that finds the consumer asleep (irq_work + try_to_wake_up). */
  producer: Dist;
  /** Producer's share when nobody sleeps on the buffer (irq_work only). */
  producerNoWaiter: Dist;
  /** A request while the buffer's irq_work is still pending (folded into it) [absent: 0]. */
  coalesced?: Dist;
  /** From irq_work_queue() to its handler waking the reader [absent: 0, the handler runs at once]. */
  pending?: Dist;
  /** From the wake-up signal to the consumer running (its CPU not deeply idle). */
  latency: Dist;
}

interface OutputCommon {
  /** drop: the kernel's behaviour; block: what-if, the producer waits for room. */
  onFull: 'drop' | 'block';
  /** Cost of an output call that fails for lack of room. */
  failedCost: Dist;
  wakeup: WakeupCosts;
  pageSize: number;
  /** Data bytes of one ring, the one place they are computed: perf, per CPU pageCnt x pageSize; ringbuf, its size. */
  ringBytes: number;
}

export interface PerfBufferOutput extends OutputCommon {
  type: 'perf_buffer';
  /** Data pages per CPU (power of two). */
  pageCnt: number;
  /** Wake the consumer every N samples. */
  wakeupEvents: number;
  /** Also wake whenever this many bytes were written since the last wake-up (default D/2). */
  watermarkBytes: number;
}

export interface RingbufOutput extends OutputCommon {
  type: 'ringbuf';
  /** Data bytes (power of two, multiple of pageSize). */
  size: number;
  /**
   * adaptive | force | none, or 'data': force a wake-up once `wakeupBytes` wait unread, none
   * before (the kernel ringbuf benchmark's sampled mode: BPF_RB_FORCE_WAKEUP when
   * bpf_ringbuf_query(BPF_RB_AVAIL_DATA) reaches the threshold, BPF_RB_NO_WAKEUP otherwise).
   */
  notify: 'adaptive' | 'force' | 'none' | 'data';
  /** notify 'data': unread bytes at which a submit forces the wake-up. */
  wakeupBytes?: number;
  /** The reserve spinlock shared by all CPUs. */
  lock: {
    /** Time the reservation holds the lock, uncontended. */
    hold: Dist;
    /** Extra hold time when the lock's previous holder was another CPU (cache line transfer). */
    handoff: Dist;
    /** Added to a hand-off per doubling of the CPUs contending: x log2(1 + CPUs queued) [absent: 0]. */
    perDoubling?: Dist;
  };
}

export type Output = PerfBufferOutput | RingbufOutput;

export type ReaderFlavour =
  /** BCC Python perf reader: frees ring space after every record, keeps draining. */
  | 'perf-per-record'
  /** libbpf perf reader: snapshots data_head, frees the CPU's space after the whole batch. */
  | 'perf-batch'
  /** ringbuf readers (libbpf, BCC): free per record, keep draining while data arrives. */
  | 'ringbuf';

/** The reader's CPU scheduler, resolved from the catalog and the kernel version. */
export interface SchedParams {
  contextSwitch: Dist;
  /** Mean time a task runs before another runnable task gets the CPU, ns. */
  slice: number;
  /** slice-end: a woken task waits for the running one's slice (EEVDF RUN_TO_PARITY, 6.6+); immediate: it pre-empts (CFS). */
  wakePreempt: 'immediate' | 'slice-end';
  /** A sleep longer than this (ns) ends in a deeper idle state ... */
  idleAfter: number;
  /** ... whose exit adds this to the wake-up latency. */
  idleExit: Dist;
}

/** Pauses of the reader: its runtime's (a garbage collector) and blocking log writes. */
export interface StallParams {
  /** Mean events between runtime pauses (exponential); 0 = none. */
  every: number;
  pause: Dist;
  /** Log bytes between blocking writes; 0 = none. */
  sinkEvery: number;
  sinkPause: Dist;
}

export interface Consumer {
  runtime: 'bcc-python' | 'libbpf';
  reader: ReaderFlavour;
  cpu: 'dedicated' | 'shared';
  // Hand-built scenarios (tests, validation cases) may leave the following out: no other load,
  // a poll loop, a scheduler whose switches cost nothing and that never makes the reader wait
  // (CFS-style wake-up pre-emption, endless slices), no stalls. The loader always sets them.
  /** Share of the reader's CPU that other runnable tasks keep busy (0..0.95). */
  hostLoad?: number;
  /** poll: sleep in poll until woken; consume-sleep: consume then sleep sleepInterval; busy: never sleep. */
  loop?: 'poll' | 'consume-sleep' | 'busy';
  /** consume-sleep: ns between passes. */
  sleepInterval?: number;
  sched?: SchedParams;
  stalls?: StallParams;
  /** Where the log goes (the sink's blocking is in stalls). */
  logSink?: string;
  /** ns; Infinity = block forever (BCC's default -1). */
  pollTimeout: number;
  /** One poll/epoll_wait syscall. */
  pollCost: Dist;
  /** Consumer's cost per wake-up (return from poll, scheduling in). */
  wakeCost: Dist;
  perEvent: { read: Dist; decode: Dist; callback: Dist; log: Dist };
  /** Handling one PERF_RECORD_LOST (lost_cb or the "Possibly lost" message). */
  lostCost: Dist;
  /** Formatted bytes written to the log per event. */
  logBytes: number;
  /**
   * Periodic read of in-kernel aggregation maps (only when the program aggregates): `entries`
   * values read per pass (the filled entries of the maps that aggregate steps update; a per-CPU
   * map has one value per host CPU per entry), each costing `perEntry`.
   */
  aggregateRead: { interval: number; perEntry: Dist; entries: number; logBytesPerRead: number };
}

export type MapType =
  | 'hash'
  | 'array'
  | 'percpu_hash'
  | 'percpu_array'
  | 'lru_hash'
  | 'lru_percpu_hash'
  | 'stack_trace'
  | 'lpm_trie'
  | 'queue'
  | 'stack'
  | 'histogram'
  | 'sockmap'
  | 'sockhash'
  | 'devmap'
  | 'cpumap'
  | 'xskmap'
  | 'prog_array'
  | 'cgroup_array'
  | 'array_of_maps'
  | 'hash_of_maps'
  | 'perf_event_array'
  | 'ringbuf';

/** Map types that keep one value per CPU for each entry. */
export const PER_CPU_MAP_TYPES: readonly MapType[] = ['percpu_hash', 'percpu_array', 'lru_percpu_hash'];

export interface MapSpec {
  name: string;
  type: MapType;
  key: number;
  value: number;
  maxEntries: number;
  /** Typical fill fraction 0..1 (for the "typical" memory figure). */
  fill: number;
}

/** Memory parameters of the seed's breakdown, resolved from the catalog (bytes). */
export interface MemoryParams {
  /** Python + BCC (or the libbpf binary) resident base. */
  base: number;
  /** JIT image per program. */
  jitPerProgram: number;
  /** Runtime and other overhead. */
  other: number;
  /** Total CPUs of the host for per-CPU maps and perf buffers (defaults to cpus). */
  hostCpus: number;
}

export interface KernelInfo {
  /** As written in the model, e.g. "5.15" or "4.19.90-openeuler". */
  version: string;
  major: number;
  minor: number;
  patch: number;
  /** A named profile such as "openeuler-4.19.90", when the version names one. */
  profile?: string;
}

export interface Scenario {
  name: string;
  seed: number;
  /** The host class the costs describe, and where its costs came from [absent: hand-built, costs as given]. */
  host?: { class: HostClass; costs: string };
  kernel: KernelInfo;
  /** Data-path CPUs. */
  cpus: number;
  traffic: Traffic;
  datapath: Datapath;
  probes: Probe[];
  /** false: program steps run interpreted, `op` costs scaled by interpreterFactor at resolve time. */
  jit: boolean;
  output: Output;
  consumer: Consumer;
  maps: MapSpec[];
  memory: MemoryParams;
  /** Time-series interval, ns. */
  interval: number;
  /** Catalog profile the costs came from ("default", "seed", or a file). */
  catalog: string;
}
