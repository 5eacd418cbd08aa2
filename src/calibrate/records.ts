/**
 * The JSON lines the measuring programs print (calibrate/bpfsim-calib and pycallback.py), as
 * typed records. Anything that is not one of these is a problem line, never ignored silently.
 */

export interface KernelError {
  stage: string;
  errno: number;
  message: string;
  detail: string;
}

export interface InfoRecord {
  kind: 'info';
  host: string;
  kernel: string;
  machine: string;
  cpuModel: string;
  cpus: number;
  libbpf: string;
  jit: number;
  pageSize: number;
}

/** Repeated measurements of one quantity, ns. `extra` keeps the other fields (size, iters...). */
export interface SamplesRecord {
  kind: 'op' | 'attach' | 'wakeup';
  name: string;
  samples: number[];
  size?: number;
  iters?: number;
  errors?: number;
  calls?: number;
  baseNs?: number[];
  withNs?: number[];
}

/** Batch size against drain time, one repetition. */
export interface PointsRecord {
  kind: 'consumer' | 'python';
  name: string;
  size: number;
  points: [number, number][];
}

export interface ErrorRecord {
  kind: string;
  name: string;
  error: KernelError;
}

export interface PyInfoRecord {
  kind: 'pyinfo';
  implementation: string;
  version: string;
  executable: string;
}

export interface PhaseRecord {
  calls: number;
  ns: number;
  rate: number;
  latencyNs: number;
}

/** The host's quietness over a window: this process's own CPU and threads are left out. */
export interface QuietRecord {
  idleShare: number;
  otherBusyShare: number;
  otherRunnable: number;
  samples: number;
}

export interface ValidateRecord {
  kind: 'validate';
  name: string;
  setup: {
    buffer: 'ringbuf' | 'perf_buffer';
    mode: 'flat' | 'paced';
    attach: string;
    size: number;
    rbBytes: number;
    pages: number;
    costNs: number;
    rate: number;
    ms: number;
    cpus: number;
    /** Grid fields (absent in records written before the grid existed: the base values). */
    wakeupEvents?: number;
    notify?: 'adaptive' | 'force' | 'nowake';
    loop?: 'poll' | 'consume-sleep';
    sleepMs?: number;
    place?: 'own' | 'same' | 'loaded';
    loadPct?: number;
    reader?: 'c' | 'python';
  };
  /** The bare call's cost, flat out (ns per call): the simulated service time. */
  serviceNs: number;
  baseline: PhaseRecord;
  traced: PhaseRecord;
  events: { hits: number; submitted: number; failed: number; consumed: number; lostReported: number };
  /** Counted over the traced phase: sleeps that ended (voluntary switches), polls that returned data. */
  consumer: {
    voluntarySwitches: number;
    polls: number;
    cpuNs: number;
    involuntarySwitches?: number;
    pollsWithData?: number;
    cpuPerEventNs?: number;
  };
  /** Delivery latency: the event's bpf_ktime_get_ns() to the reader's callback. */
  latency?: { n: number; meanNs: number; p50Ns: number; p99Ns: number };
  host?: { kernel: string; date: string; hostClass?: 'vm' | 'bare-metal'; before: QuietRecord; during: QuietRecord };
  /** Python reader: pauses longer than the threshold (GC runs, gaps inside a poll call). */
  pauses?: { gcNs: number[]; gapNs: number[]; gapThresholdNs: number };
  python?: { implementation: string; version: string };
}

export type CalibRecord = InfoRecord | SamplesRecord | PointsRecord | ErrorRecord | PyInfoRecord | ValidateRecord;

export interface ParsedLines {
  records: CalibRecord[];
  /** Lines that were not a record: each with its line number and why. */
  problems: string[];
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const isNumArray = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isFinite(v));
const isPoints = (x: unknown): x is [number, number][] =>
  Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && isNumArray(p));

/** Why an object is not a record of its kind, or undefined when it is one. */
function problemOf(o: Record<string, unknown>): string | undefined {
  if (typeof o.kind !== 'string') return 'expected a "kind" field';
  if (o.kind === 'info' || o.kind === 'pyinfo') return undefined;
  if (typeof o.name !== 'string') return `expected a "name" in a ${o.kind} record`;
  if ('error' in o) {
    const e = o.error;
    return isObj(e) && typeof e.stage === 'string' && typeof e.errno === 'number' ? undefined : 'expected error {stage, errno, message, detail}';
  }
  switch (o.kind) {
    case 'op':
    case 'attach':
    case 'wakeup':
      return isNumArray(o.samples) ? undefined : `expected "samples": an array of numbers in ${o.kind} ${o.name}`;
    case 'consumer':
    case 'python':
      return isPoints(o.points) ? undefined : `expected "points": [[batch, ns], ...] in ${o.kind} ${o.name}`;
    case 'validate':
      return isObj(o.setup) && typeof o.serviceNs === 'number' && isObj(o.baseline) && isObj(o.traced) && isObj(o.events) && isObj(o.consumer)
        ? undefined
        : `expected setup, serviceNs, baseline, traced, events and consumer in validate ${o.name}`;
    default:
      return `unknown record kind "${o.kind}"`;
  }
}

export function parseLines(text: string, label: string): ParsedLines {
  const records: CalibRecord[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`${label} line ${i + 1}: expected a JSON object, found ${JSON.stringify(line.slice(0, 80))}`);
      return;
    }
    if (!isObj(value)) {
      problems.push(`${label} line ${i + 1}: expected a JSON object, found ${JSON.stringify(value)}`);
      return;
    }
    const problem = problemOf(value);
    if (problem) problems.push(`${label} line ${i + 1}: ${problem}`);
    else records.push(value as unknown as CalibRecord);
  });
  return { records, problems };
}

export function isError(r: CalibRecord): r is ErrorRecord {
  return 'error' in r;
}
