/**
 * `size`: the smallest buffer that keeps lost events under a target at the upper end of the CI.
 *
 * Candidates are powers of two: perf buffer pageCnt (memory = host CPUs x pages x page size) or
 * ringbuf size (memory = size). Loss falls with size (for fixed seeds only approximately, which
 * is why each probe is replicated and judged by its CI's upper end), so the search bisects the
 * exponent: the largest candidate first (if it fails, nothing up to it is enough), then the
 * smallest, then halves; small ranges (<= 4 candidates) are simply all run. The neighbours of
 * the answer are run too, to show the loss curve around it.
 *
 * Before any search, the rate check: the consumer handles at most 1 / (mean per-event cost)
 * events per second (read + decode + callback + log; wake-ups only add to it). If that is below
 * the event rate, a buffer of any size fills and then loses about 1 - capacity/rate of the
 * events: no size suffices, and the answer is the per-event cost the consumer would need.
 */
import { WARN } from '../analysis/warnings.js';
import { distMean, sumMean } from '../distributions/moments.js';
import { estimateStatic } from '../analysis/estimate.js';
import { ModelError } from '../model/errors.js';
import type { LoadedModel } from '../model/load.js';
import type { Scenario } from '../model/scenario.js';
import { parseBytes } from '../units/parse.js';
import { formatBytes } from '../units/format.js';
import { aggregateFigures, CONFIDENCE, type FigureCI, type FigureCIs } from './aggregate.js';
import { modelName, prepareJobs, type BaseModel } from './base.js';
import type { Executor } from './pool.js';
import { lossVerdict } from '../analysis/loss-causes.js';
import type { Result } from '../result.js';
import { runReplications, type PointJob, type ReplicationPlan, type RunOptions } from './replicate.js';

export const SIZE_FORMAT_VERSION = 1;
export const LOSS_FIGURE = 'events.lostPct';

export type BufferKind = 'perf_buffer' | 'ringbuf';

export interface SizeSpec {
  base: BaseModel;
  /** Acceptable lost events, % (0-100). */
  targetLossPct: number;
  plan: ReplicationPlan;
  /** Smallest / largest candidate: pages (perf buffer) or bytes (ringbuf). */
  min?: number;
  max?: number;
}

export interface SizePoint {
  /** pageCnt or bytes. */
  size: number;
  /** "64 pages", "4 MiB". */
  label: string;
  memoryBytes: number;
  n: number;
  /** Loss CI; `passes` when its upper end is at most the target. */
  loss: FigureCI;
  passes: boolean;
  /** The consumer's CPU use at this size (a consumer at ~100% only defers losses). */
  consumerPct?: FigureCI;
  /** Mean lost events per replication by what the reader was doing (Result events.lossCauses). */
  lossCauses?: Result['events']['lossCauses'];
  /** The reader's time blocked in log writes, % (with consumerPct: its load). */
  consumerBlockedPct?: FigureCI;
}

export interface RateCheck {
  /** Events per second reaching the buffer (static estimate). */
  eventRate: number;
  /** Mean consumer cost per event, ns (read + decode + callback + log, plus its stalls per event). */
  perEventNs: number;
  /** Of perEventNs, the reader's pauses (collector, blocking log writes) spread per event, ns. */
  stallNsPerEvent: number;
  /** 1e9 / perEventNs. */
  capacity: number;
  /** Long-run lost fraction, % (0 when the consumer keeps up). */
  floorLossPct: number;
  /** The per-event cost the consumer would need, ns (1e9 / eventRate). */
  neededPerEventNs: number;
}

export type Verdict = 'found' | 'rate-mismatch' | 'none-up-to-max' | 'interrupted';

export interface SizeResult {
  kind: 'bpfsim-size';
  version: number;
  model: string;
  buffer: BufferKind;
  targetLossPct: number;
  confidence: number;
  range: { min: number; max: number };
  rate: RateCheck;
  verdict: Verdict;
  answer?: SizePoint;
  /** Every size run, smallest first. */
  curve: SizePoint[];
  /** Lines for the reader: the verdict in words and its caveats. */
  notes: string[];
}

const DEFAULT_MAX_PAGES = 16384; // 64 MiB per CPU at 4 KiB pages
const DEFAULT_MAX_RINGBUF = 1024 ** 3; // 1 GiB

export function bufferKind(s: Scenario): BufferKind {
  return s.output.type;
}

/** Memory a candidate costs: perf buffer = host CPUs x pages x page size; ringbuf = its size. */
export function bufferMemory(s: Scenario, size: number): number {
  return s.output.type === 'perf_buffer' ? s.memory.hostCpus * size * s.output.pageSize : size;
}

export function sizeLabel(kind: BufferKind, size: number): string {
  return kind === 'perf_buffer' ? `${size} page${size === 1 ? '' : 's'}` : formatBytes(size);
}

function sizeAssignment(kind: BufferKind, size: number): string {
  return kind === 'perf_buffer' ? `output.pageCnt=${size}` : `output.size=${size}`;
}

/** The consumer-vs-event-rate check (see module comment). */
export function rateCheck(loaded: LoadedModel): RateCheck {
  const s = loaded.scenario;
  const e = s.consumer.perEvent;
  // A reader's pauses take their time per event too: the collector every `every` events, a
  // blocking write every `sinkEvery` log bytes.
  const st = s.consumer.stalls;
  const stallNsPerEvent = st === undefined ? 0
    : (st.every > 0 ? distMean(st.pause) / st.every : 0) + (st.sinkEvery > 0 ? (distMean(st.sinkPause) * s.consumer.logBytes) / st.sinkEvery : 0);
  const perEventNs = sumMean(e.read, e.decode, e.callback, e.log) + stallNsPerEvent;
  const eventRate = estimateStatic(s, loaded.catalog).cpu.eventRate;
  const capacity = perEventNs > 0 ? 1e9 / perEventNs : Infinity;
  return {
    eventRate,
    perEventNs,
    stallNsPerEvent,
    capacity,
    floorLossPct: eventRate > capacity ? (1 - capacity / eventRate) * 100 : 0,
    neededPerEventNs: eventRate > 0 ? 1e9 / eventRate : Infinity,
  };
}

/** A --min/--max: pages (perf buffer: a count, or a size in bytes / pages) or bytes (ringbuf). */
export function parseSizeBound(text: string, kind: BufferKind, pageSize: number, option: string): number {
  const r = parseBytes(/^\d+$/.test(text.trim()) && kind === 'perf_buffer' ? `${text} pages` : text, { pageSize });
  const value = r.ok ? (kind === 'perf_buffer' ? r.value / pageSize : r.value) : NaN;
  const unit = kind === 'perf_buffer' ? 'pages' : 'bytes';
  if (!Number.isInteger(value) || value < 1 || !Number.isInteger(Math.log2(value))) {
    throw new ModelError([{
      file: option, path: '', expected: kind === 'perf_buffer' ? 'a power-of-two page count such as 1024' : 'a power-of-two size such as 64MiB',
      found: JSON.stringify(text), hint: `the buffer is a ${kind}: sizes in ${unit}`,
    }]);
  }
  return value;
}


/** Runs the search. Throws ModelError when the model cannot be sized (no events, onFull: block). */
export async function runSize(spec: SizeSpec, loaded: LoadedModel, exec: Executor, opts: RunOptions = {}): Promise<SizeResult> {
  const s = loaded.scenario;
  const kind = bufferKind(s);
  const cannot = (expected: string, found: string, hint: string) => new ModelError([{ file: spec.base.file, path: 'output', expected, found, hint }]);
  if (s.output.onFull === 'block') {
    throw cannot('output.onFull: drop (size searches for a loss target)', 'onFull: block, where no event is ever lost', 'run bpfsim sweep --vary output.pageCnt=... to see the latency cost instead');
  }
  if (spec.plan.replications < 2) {
    throw new ModelError([{ file: '--replications', path: '', expected: 'at least 2 for size (a probe passes on the upper end of its CI)', found: String(spec.plan.replications) }]);
  }
  const rate = rateCheck(loaded);
  if (!(rate.eventRate > 0)) throw cannot('a model whose probes submit events', 'no events reach the buffer', 'size needs a submit step');

  // A run must see the reader's pauses several times to size for them: lengthen it if not.
  const runFor = durationForPauses(s, rate.eventRate);
  const extraSet = runFor > s.traffic.duration ? [`traffic.duration=${Math.ceil(runFor / 1e6)}ms`] : [];
  const unit = kind === 'perf_buffer' ? 1 : s.output.pageSize;
  const lo = Math.max(spec.min ?? unit, unit);
  const hi = spec.max ?? (kind === 'perf_buffer' ? DEFAULT_MAX_PAGES : DEFAULT_MAX_RINGBUF);
  if (hi < lo) throw new ModelError([{ file: '--max', path: '', expected: `at least --min (${sizeLabel(kind, lo)})`, found: sizeLabel(kind, hi), hint: 'raise --max or lower --min' }]);
  const result: SizeResult = {
    kind: 'bpfsim-size',
    version: SIZE_FORMAT_VERSION,
    model: modelName(spec.base),
    buffer: kind,
    targetLossPct: spec.targetLossPct,
    confidence: CONFIDENCE,
    range: { min: lo, max: hi },
    rate,
    verdict: 'rate-mismatch',
    curve: [],
    notes: [],
  };
  if (rate.capacity < rate.eventRate) {
    result.notes.push(...mismatchNotes(rate));
    return result;
  }

  // Candidates from the smallest that validates (a record must fit the ring) to the largest.
  const exponents: number[] = [];
  for (let e = Math.log2(lo); e <= Math.log2(hi); e++) exponents.push(e);
  const jobs = new Map<number, PointJob>();
  const jobFor = (e: number): PointJob | undefined => {
    if (!jobs.has(e)) {
      try {
        const [job] = prepareJobs(spec.base, [{ model: spec.base.model, set: [sizeAssignment(kind, 2 ** e), ...extraSet], group: e }]).jobs;
        jobs.set(e, job);
      } catch (err) {
        if (!(err instanceof ModelError) || e === exponents[exponents.length - 1]) throw err;
        return undefined;
      }
    }
    return jobs.get(e);
  };
  const valid = exponents.filter((e) => e === exponents[exponents.length - 1] || jobFor(e) !== undefined);
  for (const e of valid) jobFor(e);

  const points = new Map<number, SizePoint>();
  let interrupted = false;
  const evaluate = async (es: number[]): Promise<void> => {
    const todo = [...new Set(es)].filter((e) => !points.has(e));
    if (todo.length === 0 || interrupted) return;
    const outcome = await runReplications(todo.map((e) => jobs.get(e)!), spec.plan, exec, opts);
    interrupted ||= outcome.interrupted;
    todo.forEach((e, i) => {
      const figures = aggregateFigures(outcome.runs[i].map((r) => r.figures));
      if (figures[LOSS_FIGURE]) points.set(e, sizePoint(s, kind, 2 ** e, figures, spec.targetLossPct));
    });
  };
  const passes = (e: number): boolean => points.get(e)?.passes ?? false;

  let answer: number | undefined;
  if (valid.length <= 4) {
    await evaluate(valid);
    answer = valid.find(passes);
  } else {
    let a = 0;
    let b = valid.length - 1;
    await evaluate([valid[a], valid[b]]);
    if (passes(valid[a])) answer = valid[a];
    else if (passes(valid[b])) {
      // Invariant: valid[a] fails, valid[b] passes.
      while (b - a > 1 && !interrupted) {
        const mid = (a + b) >> 1;
        await evaluate([valid[mid]]);
        if (passes(valid[mid])) b = mid;
        else a = mid;
      }
      if (!interrupted) answer = valid[b];
    }
  }
  if (answer !== undefined) {
    const i = valid.indexOf(answer);
    await evaluate(valid.slice(Math.max(0, i - 2), i + 2));
  }

  result.curve = [...points.entries()].sort((x, y) => x[0] - y[0]).map(([, p]) => p);
  if (extraSet.length > 0) {
    result.notes.push(`each size ran ${(runFor / 1e9).toPrecision(2)} s (the model says ${(s.traffic.duration / 1e9).toPrecision(2)} s) so that every kind of reader pause occurs about ${PAUSES_SEEN} times`);
  }
  if (interrupted) {
    result.verdict = 'interrupted';
    result.notes.push('interrupted: the search did not finish; the sizes run so far are listed');
  } else if (answer === undefined) {
    result.verdict = 'none-up-to-max';
    const top = points.get(valid[valid.length - 1]);
    result.notes.push(
      `no size up to ${sizeLabel(kind, hi)} keeps lost events under ${spec.targetLossPct}% (at ${sizeLabel(kind, hi)}: ${top ? fmtLoss(top.loss) : 'n/a'})`,
      'raise --max, or lengthen the run if the CI is wide; the consumer keeps up on average, so the losses come from bursts or wake-up delays',
    );
  } else {
    result.verdict = 'found';
    result.answer = points.get(answer)!;
    result.notes.push(...foundNotes(result.answer, kind, spec.targetLossPct));
    result.notes.push(...whyNotes(result.curve, result.answer, rate, s));
  }
  return result;
}

function sizePoint(s: Scenario, kind: BufferKind, size: number, figures: FigureCIs, target: number): SizePoint {
  const loss = figures[LOSS_FIGURE];
  return {
    size,
    label: sizeLabel(kind, size),
    memoryBytes: bufferMemory(s, size),
    n: loss.n,
    loss,
    passes: loss.hi <= target,
    ...(figures['cpu.consumerPct'] ? { consumerPct: figures['cpu.consumerPct'] } : {}),
    ...(figures['cpu.consumerBlockedPct'] ? { consumerBlockedPct: figures['cpu.consumerBlockedPct'] } : {}),
    ...(figures['events.lossCauses.busyBehind']
      ? {
          lossCauses: {
            asleep: figures['events.lossCauses.asleep'].mean,
            stalled: figures['events.lossCauses.stalled'].mean,
            preempted: figures['events.lossCauses.preempted'].mean,
            busyBehind: figures['events.lossCauses.busyBehind'].mean,
          },
        }
      : {}),
  };
}

const fmtLoss = (ci: FigureCI): string =>
  Number.isFinite(ci.halfWidth) ? `${ci.mean.toPrecision(3)}% lost, CI [${Math.max(0, ci.lo).toPrecision(3)}, ${ci.hi.toPrecision(3)}]` : `${ci.mean.toPrecision(3)}% lost`;

function foundNotes(p: SizePoint, kind: BufferKind, target: number): string[] {
  const notes = [
    `${kind === 'perf_buffer' ? `pageCnt ${p.size}` : `ringbuf size ${p.label}`} keeps lost events under ${target}% at the upper end of the ${Math.round(CONFIDENCE * 100)}% CI (${fmtLoss(p.loss)}); memory ${formatBytes(p.memoryBytes)}`,
  ];
  if (p.consumerPct && p.consumerPct.mean >= WARN.consumerSaturatedPct) {
    notes.push(
      `the consumer is busy ${p.consumerPct.mean.toFixed(0)}% of its CPU at this size: the buffer absorbs the simulated run, but a longer run (or burst) may need more; check with --duration`,
    );
  }
  return notes;
}

/** How often a run must see each kind of reader pause to size for it. */
const PAUSES_SEEN = 5;
/** The longest run size lengthens to (simulated time). */
const MAX_PAUSE_RUN_NS = 20e9;

/** Simulated time in which each kind of pause of the reader occurs PAUSES_SEEN times (capped). */
function durationForPauses(s: Scenario, eventRate: number): number {
  const st = s.consumer.stalls;
  if (st === undefined || !(eventRate > 0)) return 0;
  let eventsBetween = 0;
  if (st.every > 0) eventsBetween = Math.max(eventsBetween, st.every);
  if (st.sinkEvery > 0 && s.consumer.logBytes > 0) eventsBetween = Math.max(eventsBetween, st.sinkEvery / s.consumer.logBytes);
  if (eventsBetween === 0) return 0;
  const need = s.traffic.warmup + (PAUSES_SEEN * eventsBetween * 1e9) / eventRate;
  return Math.min(need, MAX_PAUSE_RUN_NS);
}

/** Why the answer is this size: what the reader was doing when the next smaller size lost events. */
function whyNotes(curve: SizePoint[], answer: SizePoint, r: RateCheck, s: Scenario): string[] {
  const ns = (x: number) => (x >= 1e6 ? `${(x / 1e6).toPrecision(3)} ms` : x >= 1000 ? `${(x / 1000).toPrecision(3)} µs` : `${x.toPrecision(3)} ns`);
  const st = s.consumer.stalls;
  const pauses: string[] = [];
  if (st && st.every > 0) pauses.push(`a ${ns(distMean(st.pause))} collector pause every ${st.every} events on average`);
  if (st && st.sinkEvery > 0 && s.consumer.logBytes > 0) {
    pauses.push(`a ${ns(distMean(st.sinkPause))} blocking write to the ${s.consumer.logSink ?? 'log'} every ${Math.max(1, Math.round(st.sinkEvery / s.consumer.logBytes))} events`);
  }
  const model = pauses.length > 0 ? `the reader's stall model: ${pauses.join(', ')} (consumer.stalls, consumer.logSink)` : 'the reader never stalls in this model (consumer.stalls: none or no log)';
  const below = [...curve].reverse().find((p) => p.size < answer.size && !p.passes);
  if (below === undefined) {
    return [`why this size: no smaller size was short; ${model}`];
  }
  const load = below.consumerPct ? below.consumerPct.mean + (below.consumerBlockedPct?.mean ?? 0) : undefined;
  const verdict = below.lossCauses ? lossVerdict(below.lossCauses, load) : undefined;
  const lines = [`why not ${below.label}: ${verdict ? verdict.text : `${fmtLoss(below.loss)}`}`, `${model}; with it the reader needs ${ns(r.perEventNs)} per event (${ns(r.stallNsPerEvent)} of it pauses), ${(r.eventRate * r.perEventNs / 1e7).toFixed(0)}% of its CPU at ${(r.eventRate / 1e3).toPrecision(3)}k events/s`];
  return lines;
}

function mismatchNotes(r: RateCheck): string[] {
  const rate = (x: number) => (x >= 1e6 ? `${(x / 1e6).toPrecision(3)}M` : x >= 1e3 ? `${(x / 1e3).toPrecision(3)}k` : x.toPrecision(3));
  const ns = (x: number) => (x >= 1000 ? `${(x / 1000).toPrecision(3)} µs` : `${x.toPrecision(3)} ns`);
  return [
    `no size suffices: events arrive at ${rate(r.eventRate)}/s but the consumer handles at most ${rate(r.capacity)}/s (${ns(r.perEventNs)} per event${r.stallNsPerEvent > 0 ? `, ${ns(r.stallNsPerEvent)} of it the reader's pauses: collector and blocking log writes, consumer.stalls and consumer.logSink` : ''}); a buffer of any size fills and then loses about ${r.floorLossPct.toFixed(1)}% of events`,
    `buffer size cannot fix a rate mismatch: the consumer needs at most ${ns(r.neededPerEventNs)} per event (${(r.perEventNs / r.neededPerEventNs).toFixed(2)}x faster), or fewer events (sample, early return, in-kernel aggregation)`,
  ];
}
