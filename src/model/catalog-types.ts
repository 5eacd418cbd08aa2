/**
 * The cost catalog once loaded: every value parsed (durations in ns as distributions, sizes in
 * bytes). The files under models/catalog/ are the data; src/model/catalog.ts loads them into
 * this shape; src/model/resolve.ts reads it to fill in what a model does not say.
 */
import type { Dist } from '../distributions/types.js';
import type { MapType } from './scenario.js';
import type { HostClass, LogSink } from './host-class.js';
export { HOST_CLASSES, LOG_SINKS, type HostClass, type LogSink } from './host-class.js';

/** Where a catalog number comes from. Every entry of a catalog file carries one. */
export interface Provenance {
  /** Dotted path in the catalog, e.g. "attach.kprobe.entry". */
  path: string;
  /** As written in the file, e.g. "17-49ns". */
  value: string;
  /** Seed section, reference fact (file and section), or measurement (how, where, when). */
  source: string;
  /** True where no public measurement exists: a value to calibrate. */
  assumption: boolean;
  /** What a range means (e.g. "uniform over the published spread") and other remarks. */
  note?: string;
}

/** Submit (transport) cost by payload size: linear interpolation between rows, clamped. */
export interface SizeTable {
  bytes: number[];
  cost: Dist[];
}

export interface ConsumerCosts {
  pollCost: Dist;
  wakeCost: Dist;
  read: Dist;
  decode: Dist;
  callback: { simple: Dist; medium: Dist; complex: Dist };
  log: Dist;
  lost: Dist;
  /** Reading one entry of an aggregation map from user space. */
  aggregatePerEntry: Dist;
  /** Resident memory of the consumer process before maps and buffers, bytes. */
  baseMemory: number;
}

export interface WakeupEntries {
  producer: Dist;
  producerNoWaiter: Dist;
  /** A wake-up request while the buffer's irq_work is still pending (irq_work_queue is a no-op). */
  coalesced: Dist;
  /** From irq_work_queue() to its handler running (the window in which requests coalesce). */
  pending: Dist;
  latency: Dist;
}

export interface RuntimeStalls {
  /** Events handled between two pauses of the runtime's collector (0: none). */
  gcEvery: number;
  gcPause: Dist;
}

/** One entry of a host-class overlay: a catalog path and its value there. */
export interface HostOverlayEntry {
  /** The catalog path's canonical segments. */
  segments: string[];
  value: Dist | number | string;
  provenance: Provenance;
}

export interface Catalog {
  /** "default", "static", or the file path of a calibrated profile. */
  profile: string;
  /** The host class the catalog's own numbers describe (a calibrated profile: the class it ran on). */
  host: HostClass;
  /** Per host class, the entries that replace the catalog's own on that class of host. */
  hostOverlays: Partial<Record<HostClass, HostOverlayEntry[]>>;
  /** Set when a host overlay was applied: which entries the host class took from where. */
  hostNote?: string;
  description: string;
  pageSize: number;
  /** Multiplier on program instruction costs when the JIT is off. */
  interpreterFactor: number;
  /** Cost of one BPF instruction with the JIT on (for `insns: N` steps). */
  insn: Dist;
  attach: Record<string, { entry: Dist; exit: Dist }>;
  maps: Partial<Record<MapType, { lookup: Dist; update: Dist; delete: Dist }>>;
  helpers: Record<string, Dist>;
  submit: {
    perf_buffer: SizeTable;
    ringbuf: SizeTable;
    /** An output call that fails for lack of room. */
    failed: Dist;
    /** Adding one event to a per-CPU batch (a per-CPU array update). */
    batchAdd: Dist;
  };
  wakeup: {
    perf_buffer: WakeupEntries;
    ringbuf: WakeupEntries;
  };
  ringbufLock: {
    hold: Dist;
    handoff: Dist;
    /** Added to a hand-off per doubling of the CPUs contending for the lock: x log2(1 + CPUs queued). */
    perDoubling: Dist;
  };
  /** The reader's CPU scheduler. */
  sched: {
    /** One switch between tasks on a CPU (charged to the CPU at each switch). */
    contextSwitch: Dist;
    /** How long a task runs before another runnable task of equal weight gets the CPU. */
    slice: Dist;
    /** A reader that slept longer than this (mean) finds its CPU in a deeper idle state ... */
    idleAfter: Dist;
    /** ... and its wake-up takes this much longer. */
    idleExit: Dist;
  };
  /** Reader stalls by runtime, and blocking writes of the log by sink. */
  stalls: {
    'bcc-python': RuntimeStalls;
    libbpf: RuntimeStalls;
    sink: Record<LogSink, { every: number; pause: Dist }>;
  };
  consumer: { 'bcc-python': ConsumerCosts; libbpf: ConsumerCosts };
  memory: {
    /** Per-entry overhead of a hash map element by kernel major version (static table: 4.x 32 B, 5.x 40 B). */
    hashOverhead: { byKernelMajor: Record<string, number>; default: number };
    lruExtra: number;
    stackTraceEntry: number;
    jitPerProgram: number;
    other: number;
    /**
     * Which map-size formulas apply (src/analysis/memory.ts): 'kernel' = the kernel's layout
     * (reference §5: 8-byte aligned key/value, element header, power-of-two bucket array,
     * preallocation, per-CPU values); 'static' = the static-estimate table as written
     * (entries x (key + value + overhead), per-CPU variants x CPUs).
     */
    formulas: 'kernel' | 'static';
    /** Bytes per hash bucket; buckets = max_entries rounded up to a power of two ('kernel' only). */
    hashBucket: number;
    /** Metadata pages per CPU counted with each perf buffer (kernel: 1; static table: 0). */
    perfMetaPages: number;
    /** Metadata pages counted with a ringbuf (kernel: 3; static table: 0). */
    ringbufMetaPages: number;
  };
  /** Every value's provenance, for `bpfsim catalog` and the test that walks the catalog. */
  provenance: Provenance[];
}
