/**
 * The schema of the model a user writes (notes/model-format.md, DESIGN.md "The model a user
 * writes"). zod 4, strict objects: an unknown key is a problem with a did-you-mean hint.
 * Durations, rates, sizes and distributions go through the unit parsers (src/model/units.ts,
 * src/dist/parse.ts), whose failures carry expected/found/hint; the loader turns every zod
 * issue into a one-line Problem with `issuesToProblems`.
 *
 * The parsed model (`ModelInput`) has every unit resolved (ns, pps, bytes, Dist) and every
 * static default filled in. Defaults that depend on other fields (warm-up, hostCpus, watermark,
 * poll timeout, interval) or on the catalog (costs) are left undefined and filled by resolve.ts.
 *
 * The schema is built per page size (`buildModelSchema`): sizes may be written in pages and the
 * ringbuf size must be a multiple of a page; the page size comes from the catalog.
 */
import * as z from 'zod';
import type { Dist } from '../dist/types.js';
import { parseDist } from '../dist/parse.js';
import { distMean } from '../dist/sampler.js';
import type { KernelInfo, MapType } from './scenario.js';
import { ATTACH_TYPES, MAP_TYPES, attachFeature, featureProblem, mapFeature, maxInstructions, parseKernel, type KernelFeature } from './kernel.js';
import {
  fail,
  formatBytes,
  formatRate,
  formatDuration,
  parseBytes,
  parseCount,
  parseDuration,
  parseRate,
  parseTimeout,
  showValue,
  type ParseFailure,
  type Parsed,
} from './units.js';
import { didYouMeanHint, formatPath, type Problem } from './errors.js';
// Record sizes are the data path's (one formula, reference §1.3, §2.2); records.ts is pure.
import { perfRecordBytes, ringbufRecordBytes, RING_UNUSABLE_BYTES } from '../datapath/records.js';

// ---- vocabularies --------------------------------------------------------------------------

export const ARRIVALS = ['poisson', 'constant', 'bursty', 'trace', 'saturate'] as const;
export const CALLBACK_CLASSES = ['simple', 'medium', 'complex'] as const;
export const STEP_KINDS = ['filter', 'map', 'helper', 'op', 'insns', 'submit', 'aggregate', 'loop'] as const;

/** Above this many simulated packets a model is refused unless forced (a run would take minutes). */
export const MAX_PACKETS = 2e8;
/** Most CPUs a model may have (the kernel's NR_CPUS ceiling on common distributions is 8192;
 * per-CPU state and per-CPU rings make more than this a memory problem for the simulator). */
export const MAX_CPUS = 1024;
/** Largest count of one step or loop, and most hits of one probe per packet. */
const MAX_STEP_COUNT = 1e6;
const MAX_HITS_PER_PACKET = 1e4;
/** The simulator unrolls loops into a flat program: at most this many steps per probe. */
export const MAX_UNROLLED_STEPS = 1e5;
/** Above this many cost draws in probe programs a run takes minutes: refused unless forced. */
export const MAX_STEP_DRAWS = 4e9;
/** The simulator keeps one slot per queued packet per CPU (cpus x (rxQueue + 1) doubles). */
export const MAX_QUEUE_SLOTS = 2 ** 24;
/** perf_event_header.size is 16 bits: no perf record can be larger. */
const PERF_MAX_RECORD = 65535;

// ---- the parsed model's types --------------------------------------------------------------

export type MapOp = 'lookup' | 'update' | 'delete';

/** One program step as parsed (resolve.ts turns these into Scenario steps with costs). */
export type ModelStep =
  | { kind: 'filter'; pass: number }
  | { kind: 'map'; type?: MapType; op: MapOp; name?: string; count: number; cost?: Dist }
  | { kind: 'helper'; name: string; count: number; cost?: Dist }
  | { kind: 'op'; name: string; cost: Dist; count: number }
  | { kind: 'insns'; count: number }
  | { kind: 'submit'; bytes: number; batch: number; sample: number; flushTimeout: number; cost?: Dist }
  | { kind: 'aggregate'; map: string; cost?: Dist }
  | { kind: 'loop'; count: number; body: ModelStep[] };

// ---- fields built on the unit parsers ------------------------------------------------------

type Parser<T> = (input: unknown) => Parsed<T>;

/**
 * JSON Schema fragments for fields whose zod form is a transform (see json-schema.ts), keyed by
 * the schema's definition: `.describe()` clones a schema but keeps its definition.
 */
const customJson = new WeakMap<object, Record<string, unknown>>();

/** The JSON Schema fragment registered for a unit-parsed field, if `schema` is one. */
export function customJsonSchema(schema: z.core.$ZodType): Record<string, unknown> | undefined {
  return customJson.get(schema._zod.def);
}
/** What a node expects when the input has the wrong shape, for nodes zod cannot word well. */
const shapeExpectations = new WeakMap<object, { expected: string; hint?: string }>();

function reportFailure(ctx: z.core.$RefinementCtx<unknown>, input: unknown, f: ParseFailure): void {
  ctx.addIssue({
    code: 'custom',
    message: f.expected,
    input,
    path: f.path ?? [],
    params: { expected: f.expected, found: f.found, hint: f.hint },
  });
}

/** A field parsed by one of the unit parsers; `I` is the type a user writes (for z.input). */
function parsedField<T, I>(parse: Parser<T>, json: Record<string, unknown>): z.ZodType<T, I> {
  const schema = z.unknown().transform((input, ctx) => {
    const r = parse(input);
    if (r.ok) return r.value;
    reportFailure(ctx, input, r);
    return z.NEVER;
  });
  customJson.set(schema._zod.def, json);
  return schema as unknown as z.ZodType<T, I>;
}

/** Runs `parse`, then `check` on its value: a second way to fail with its own message. */
function thenCheck<T>(parse: Parser<T>, check: (value: T, input: unknown) => ParseFailure | undefined): Parser<T> {
  return (input) => {
    const r = parse(input);
    if (!r.ok) return r;
    return check(r.value, input) ?? r;
  };
}

const DURATION_JSON = {
  anyOf: [
    { type: 'number', minimum: 0, description: 'nanoseconds' },
    { type: 'string', pattern: '^\\s*[0-9.]+(e[-+]?[0-9]+)?\\s*(ns|us|µs|μs|ms|s)\\s*$' },
  ],
  examples: ['500ns', '1.5us', '2ms', '1s'],
};

const duration = parsedField<number, number | string>(parseDuration, DURATION_JSON);

const positiveDuration = parsedField<number, number | string>(
  thenCheck(parseDuration, (v, input) => (v > 0 ? undefined : fail('a duration > 0', input))),
  DURATION_JSON,
);

const timeout = parsedField<number, number | string>(parseTimeout, {
  anyOf: [...DURATION_JSON.anyOf, { const: -1 }, { enum: ['infinite', 'forever', '-1'] }],
  examples: ['100ms', -1, 'infinite'],
});

const RATE_JSON = {
  anyOf: [{ type: 'number', exclusiveMinimum: 0, description: 'packets per second' }, { type: 'string' }],
  examples: ['400k', '1.2M', '400kpps', '1.2 Mpps'],
};
const rate = parsedField<number, number | string>(parseRate, RATE_JSON);
/** A rate that may also be 0 (the off state of an on/off source). */
const rateOrZero = parsedField<number, number | string>(
  (input) => (input === 0 || input === '0' ? { ok: true, value: 0 } : parseRate(input)),
  RATE_JSON,
);

const SIZE_JSON = {
  anyOf: [{ type: 'integer', minimum: 0, description: 'bytes' }, { type: 'string' }],
  examples: ['128', '4KiB', '256KiB', '1MiB', '4KB', '8 pages'],
};

function sizeField(pageSize: number, check?: (v: number, input: unknown) => ParseFailure | undefined) {
  const parse: Parser<number> = (input) => parseBytes(input, { pageSize });
  return parsedField<number, number | string>(check ? thenCheck(parse, check) : parse, SIZE_JSON);
}

function countField(opts: { min: number; integer: boolean; max?: number; maxHint?: string }) {
  const base: Parser<number> = (input) => parseCount(input, { min: opts.min, integer: opts.integer });
  const parse = opts.max === undefined
    ? base
    : thenCheck(base, (v, input) => (v <= opts.max! ? undefined : fail(`a number <= ${opts.max}`, input, opts.maxHint)));
  return parsedField<number, number | string>(parse, {
    anyOf: [{ type: opts.integer ? 'integer' : 'number', minimum: opts.min, ...(opts.max !== undefined ? { maximum: opts.max } : {}) }, { type: 'string', description: 'with an optional k, M or G suffix' }],
  });
}

const DIST_JSON = {
  anyOf: [
    { type: 'number', minimum: 0, description: 'a constant, ns' },
    { type: 'string', description: 'a constant ("500ns") or a uniform range ("50-100ns")' },
    {
      type: 'object',
      required: ['dist'],
      properties: {
        dist: { enum: ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'gamma', 'empirical'] },
        value: {}, min: {}, max: {}, mean: {}, sd: {}, cv: { type: 'number', minimum: 0 },
        values: { type: 'array' }, weights: { type: 'array', items: { type: 'number', minimum: 0 } },
      },
      additionalProperties: false,
      description: 'uniform: min, max; exponential: mean; normal: mean, sd; lognormal and gamma: mean, cv; empirical: values[, weights]; constant: value',
    },
    {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      propertyNames: { enum: ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'gamma', 'empirical'] },
      description: 'the one-key form, e.g. { lognormal: { mean: 800ns, cv: 0.3 } }',
    },
  ],
  examples: ['500ns', '50-100ns', { dist: 'lognormal', mean: '800ns', cv: 0.3 }],
};

type DistInput = number | string | Record<string, unknown>;
const dist = parsedField<Dist, DistInput>(parseDist, DIST_JSON);

const probability = parsedField<number, number>(
  (input) =>
    typeof input === 'number' && input > 0 && input <= 1
      ? { ok: true, value: input }
      : fail('a probability in (0, 1] such as 0.05', input, typeof input === 'number' && input > 1 ? 'write a fraction: 5% is 0.05' : undefined),
  { type: 'number', exclusiveMinimum: 0, maximum: 1 },
);

const fraction = parsedField<number, number>(
  (input) => (typeof input === 'number' && input >= 0 && input <= 1 ? { ok: true, value: input } : fail('a fraction in [0, 1] such as 0.5', input)),
  { type: 'number', minimum: 0, maximum: 1 },
);

const kernelField = parsedField<KernelInfo, string>(
  (input) => {
    if (typeof input === 'number') {
      return fail('a kernel version in quotes such as "5.15"', input, `write it in quotes (kernel: "${input}"): YAML reads an unquoted 5.10 as the number 5.1`);
    }
    if (typeof input !== 'string') return fail('a kernel version such as "5.15" or "4.19.90-openeuler"', input);
    const info = parseKernel(input.trim());
    return info ? { ok: true, value: info } : fail('a kernel version such as "5.15" or "4.19.90-openeuler"', input);
  },
  { type: 'string', examples: ['5.15', '6.1', '4.19.90-openeuler'] },
);

/** The callback class of the catalog, or a distribution of the model's own. */
const callbackField = parsedField<(typeof CALLBACK_CLASSES)[number] | Dist, DistInput>(
  (input) => {
    if (typeof input === 'string' && (CALLBACK_CLASSES as readonly string[]).includes(input)) {
      return { ok: true, value: input as (typeof CALLBACK_CLASSES)[number] };
    }
    const d = parseDist(input);
    if (d.ok) return d;
    const alpha = typeof input === 'string' && /^[a-z_ -]+$/i.test(input);
    return fail(
      'simple, medium, complex or a distribution such as "4us" or { dist: lognormal, mean: 4us, cv: 0.5 }',
      input,
      alpha ? didYouMeanHint(input as string, CALLBACK_CLASSES) : d.hint,
    );
  },
  { anyOf: [{ enum: [...CALLBACK_CLASSES] }, DIST_JSON] },
);

function powersAround(v: number): [number, number] {
  const lower = 2 ** Math.floor(Math.log2(Math.max(1, v)));
  return [lower, lower * 2];
}

const isPowerOfTwo = (v: number): boolean => v >= 1 && Number.isInteger(Math.log2(v));

// ---- steps ---------------------------------------------------------------------------------

function stepSchema(pageSize: number): z.ZodType<ModelStep, unknown> {
  const count = countField({ min: 1, integer: true, max: MAX_STEP_COUNT, maxHint: 'give the step a larger cost instead' }).prefault(1).describe('How many times the step runs per hit [1].');
  const bytes = sizeField(pageSize);
  const fields = {
    filter: z.strictObject({
      pass: probability.describe('Fraction of hits that continue past the filter, in (0, 1]; the rest return early.'),
    }).describe('Early return: later steps run only for the passing fraction of hits.'),
    map: z.strictObject({
      type: z.enum(MAP_TYPES).optional().describe('Map type (cost from catalog maps.<type>.<op>); optional when `name` names a map in `maps:`.'),
      op: z.enum(['lookup', 'update', 'delete']).describe('lookup | update | delete.'),
      name: z.string().min(1).optional().describe('Name of a map in `maps:` (gives the type when `type` is left out).'),
      count,
      cost: dist.optional().describe('Cost of one operation, overriding the catalog.'),
    }).describe('A map operation.'),
    helper: z.union([
      z.string().min(1),
      z.strictObject({
        name: z.string().min(1).describe('Helper name without the bpf_ prefix, as in the catalog (e.g. ktime_get_ns).'),
        count,
        cost: dist.optional().describe('Cost of one call, overriding the catalog.'),
      }),
    ]).describe('A helper call: its name, or { name, count, cost }.'),
    op: z.strictObject({
      name: z.string().min(1).describe('What the step does (shown in reports).'),
      cost: dist.describe('Cost of one run (program logic: scaled by interpreterFactor when jit is false).'),
      count,
    }).describe('Any named step with its own cost.'),
    insns: countField({ min: 1, integer: true, max: 1_000_000, maxHint: "the verifier's limit is 1M instructions" }).describe('N BPF instructions at the catalog cost per instruction.'),
    submit: z.strictObject({
      bytes: bytes.describe('Event payload size in bytes.'),
      batch: countField({ min: 1, integer: true }).prefault(1).describe('Events accumulated per CPU before one submit of batch x bytes [1 = no batching].'),
      flushTimeout: timeout.optional().describe('A partial batch is flushed by the first hit after this long [never].'),
      sample: countField({ min: 1, integer: true }).prefault(1).describe('Keep 1 in N hits [1 = every hit].'),
      cost: dist.optional().describe('Transport cost of one record, overriding the catalog size table.'),
    }).describe('Emit an event to the output buffer.'),
    aggregate: z.strictObject({
      map: z.string().min(1).describe('Name of a map in `maps:` updated per hit.'),
      cost: dist.optional().describe('Cost of the update, overriding the catalog cost of the map type.'),
    }).describe('In-kernel aggregation: a map update per hit, read periodically by user space.'),
    loop: z.strictObject({
      count: countField({ min: 1, integer: true, max: MAX_STEP_COUNT, maxHint: 'the simulator unrolls loops; model fewer, costlier iterations' }).describe('Iterations (bounded loop, kernel 5.3 or later).'),
      body: z.array(z.lazy(() => step)).describe('Steps run each iteration.'),
    }).describe('A bounded loop.'),
  };
  type RawStep = { [K in keyof typeof fields]?: z.output<(typeof fields)[K]> };
  const object = z
    .strictObject(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> })
    .superRefine((raw, ctx) => {
      // A misspelt kind ("fliter") is already reported as an unknown field.
      if (ctx.issues.some((i) => i.code === 'unrecognized_keys')) return;
      const kinds = Object.keys(raw).filter((k) => (raw as Record<string, unknown>)[k] !== undefined);
      if (kinds.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message: 'one step',
          input: raw,
          params: {
            expected: `one step kind per list item (${STEP_KINDS.join(', ')})`,
            found: kinds.length === 0 ? 'an empty step' : `${kinds.join(' and ')} in one item`,
            hint: kinds.length === 0 ? 'write e.g. "- helper: ktime_get_ns"' : 'put each step in its own list item ("- ...")',
          },
        });
      }
    })
    .transform((raw: RawStep, ctx): ModelStep => {
      // Reached with no kind only when a problem was already reported (an unknown key).
      if (!STEP_KINDS.some((k) => raw[k] !== undefined)) {
        ctx.issues.push({ code: 'custom', message: 'no step', input: raw, path: [], params: { reported: true }, continue: false });
        return z.NEVER;
      }
      if (raw.filter) return { kind: 'filter', pass: raw.filter.pass };
      if (raw.map) {
        const m = raw.map;
        return { kind: 'map', op: m.op, count: m.count, ...(m.type ? { type: m.type } : {}), ...(m.name ? { name: m.name } : {}), ...(m.cost ? { cost: m.cost } : {}) };
      }
      if (raw.helper !== undefined) {
        const h = raw.helper;
        return typeof h === 'string'
          ? { kind: 'helper', name: h, count: 1 }
          : { kind: 'helper', name: h.name, count: h.count, ...(h.cost ? { cost: h.cost } : {}) };
      }
      if (raw.op) return { kind: 'op', name: raw.op.name, cost: raw.op.cost, count: raw.op.count };
      if (raw.insns !== undefined) return { kind: 'insns', count: raw.insns };
      if (raw.submit) {
        const s = raw.submit;
        return { kind: 'submit', bytes: s.bytes, batch: s.batch, sample: s.sample, flushTimeout: s.flushTimeout ?? Infinity, ...(s.cost ? { cost: s.cost } : {}) };
      }
      if (raw.aggregate) return { kind: 'aggregate', map: raw.aggregate.map, ...(raw.aggregate.cost ? { cost: raw.aggregate.cost } : {}) };
      const loop = raw.loop!;
      return { kind: 'loop', count: loop.count, body: loop.body };
    });
  shapeExpectations.set(unwrap(object), {
    expected: `a step: a one-key object (${STEP_KINDS.join(', ')})`,
    hint: 'write e.g. "- helper: ktime_get_ns" or "- map: { type: hash, op: lookup }"',
  });
  const step: z.ZodType<ModelStep, unknown> = object as unknown as z.ZodType<ModelStep, unknown>;
  return step;
}

// ---- the model -----------------------------------------------------------------------------

export interface SchemaContext {
  /** Page size of the catalog in use (sizes in pages, ringbuf alignment, perf ring size). */
  pageSize: number;
  /** Accept models that would simulate more than MAX_PACKETS packets. */
  force?: boolean;
}

/** The model's fields, before the checks across fields. */
function buildModelObject(sc: SchemaContext) {
  const { pageSize } = sc;
  const step = stepSchema(pageSize);

  const traffic = z.strictObject({
    arrival: z.enum(ARRIVALS).default('poisson').describe('poisson | constant | bursty (on/off MMPP) | trace (replay) | saturate (closed loop per CPU: next packet as soon as the last is done) [poisson].'),
    rate: rate.optional().describe('Mean offered rate over all CPUs, packets/s ("400k", "1.2 Mpps"); required for poisson and constant; for bursty it follows from burst.'),
    duration: positiveDuration.prefault('1s').describe('Simulated time including warm-up [1s].'),
    warmup: duration.optional().describe('Statistics before this time are discarded [5% of duration].'),
    rss: z.enum(['random', 'roundrobin']).default('random').describe('How packets are spread over CPUs: random (RSS hash) | roundrobin [random].'),
    burst: z.strictObject({
      onRate: rate.describe('Rate in the on state, packets/s over all CPUs.'),
      offRate: rateOrZero.describe('Rate in the off state (0 allowed).'),
      on: positiveDuration.describe('Mean time in the on state.'),
      off: positiveDuration.describe('Mean time in the off state.'),
    }).optional().describe('bursty: a two-state Markov-modulated Poisson process (mean sojourns, exponential).'),
    trace: z.string().min(1).optional().describe('trace: file of arrival timestamps (one per line, ns or with a unit), relative to the model file.'),
  }).superRefine((t, ctx) => {
    const need = (field: string, expected: string, hint: string) =>
      ctx.addIssue({ code: 'custom', message: expected, path: [field], input: undefined, params: { expected, found: 'nothing', hint } });
    if ((t.arrival === 'poisson' || t.arrival === 'constant') && t.rate === undefined) {
      need('rate', `a rate for ${t.arrival} arrivals such as "400k"`, 'add traffic.rate, or use arrival: saturate for a flat-out sender');
    }
    if (t.arrival === 'bursty') {
      if (!t.burst) need('burst', 'burst: { onRate, offRate, on, off } for bursty arrivals', 'e.g. burst: { onRate: 2M, offRate: 50k, on: 1ms, off: 4ms }');
      else if (t.rate !== undefined) {
        const mean = (t.burst.onRate * t.burst.on + t.burst.offRate * t.burst.off) / (t.burst.on + t.burst.off);
        if (Math.abs(t.rate - mean) > 0.01 * mean) {
          ctx.addIssue({
            code: 'custom', message: 'rate', path: ['rate'], input: t.rate,
            params: { expected: `the mean rate of burst, ${formatRate(mean)}`, found: formatRate(t.rate), hint: 'leave out traffic.rate for bursty arrivals: it follows from burst' },
          });
        }
      }
    }
    if (t.arrival === 'trace' && t.trace === undefined) need('trace', 'a trace file for trace arrivals', 'add traffic.trace: path/to/timestamps.txt');
    if (t.warmup !== undefined && t.warmup >= t.duration) {
      ctx.addIssue({
        code: 'custom', message: 'warmup', path: ['warmup'], input: t.warmup,
        params: { expected: `a warm-up shorter than the duration (${formatDuration(t.duration)})`, found: formatDuration(t.warmup), hint: 'lengthen traffic.duration or shorten traffic.warmup' },
      });
    }
  });

  const probe = z.strictObject({
    name: z.string().min(1).describe('The probed function or event (shown in reports).'),
    attach: z.enum(ATTACH_TYPES).describe(`Attach type: ${ATTACH_TYPES.join(' | ')}.`),
    entry: dist.optional().describe('Entry cost of the attach mechanism [catalog attach.<type>.entry].'),
    exit: dist.optional().describe('Exit cost [catalog attach.<type>.exit].'),
    hitsPerPacket: countField({ min: 0, integer: false, max: MAX_HITS_PER_PACKET, maxHint: 'model fewer hits with a costlier program' }).prefault(1).describe('Mean hits per packet; the fractional part is a Bernoulli extra hit [1].'),
    program: z.array(step).default([]).describe('The BPF program: a list of one-key steps [].'),
  });

  const ringSize = sizeField(pageSize, (v, input) => {
    if (isPowerOfTwo(v) && v % pageSize === 0) return undefined;
    const [lo, hi] = powersAround(v);
    const options = [lo, hi].filter((x) => x >= pageSize).map(formatBytes);
    return fail(
      `a power of two that is a multiple of the page size (${pageSize})`,
      input,
      `the kernel rejects other sizes; use ${options.length ? options.join(' or ') : formatBytes(pageSize)}`,
    );
  });

  const output = z.strictObject({
    type: z.enum(['perf_buffer', 'ringbuf']).default('perf_buffer').describe('perf_buffer (one ring per CPU) | ringbuf (one ring shared by all CPUs, kernel 5.8+) [perf_buffer].'),
    pageCnt: parsedField<number, number | string>(
      thenCheck(
        (input) => parseCount(input, { min: 1, integer: true }),
        (v, input) => {
          if (isPowerOfTwo(v)) return undefined;
          const [lo, hi] = powersAround(v);
          return fail('a power of two', input, `page_cnt must be a power of two: use ${lo} or ${hi}`);
        },
      ),
      { type: 'integer', minimum: 1, description: 'a power of two' },
    ).prefault(8).describe("perf_buffer: data pages per CPU, a power of two [8, BCC's default]."),
    wakeupEvents: countField({ min: 1, integer: true }).prefault(1).describe('perf_buffer: wake the consumer every N samples [1].'),
    watermark: sizeField(pageSize, (v, input) => (v > 0 ? undefined : fail('a size > 0', input))).optional().describe('perf_buffer: also wake when this many bytes were written since the last wake-up [half the per-CPU ring].'),
    size: ringSize.prefault('256KiB').describe('ringbuf: data bytes, a power of two and a multiple of the page size [256KiB].'),
    notify: z.enum(['adaptive', 'force', 'none']).default('adaptive').describe('ringbuf: adaptive (wake only when the consumer has caught up) | force | none [adaptive].'),
    onFull: z.enum(['drop', 'block']).default('drop').describe('drop (the kernel: the event is lost) | block (what-if: the producer waits for room) [drop].'),
  }).superRefine((o, ctx) => {
    const data = o.pageCnt * pageSize;
    if (o.watermark !== undefined && o.watermark > data) {
      ctx.addIssue({
        code: 'custom', message: 'watermark', path: ['watermark'], input: o.watermark,
        params: { expected: `at most the per-CPU ring, ${formatBytes(data)} (pageCnt ${o.pageCnt} x ${pageSize})`, found: formatBytes(o.watermark), hint: 'lower output.watermark or raise output.pageCnt' },
      });
    }
  });

  const consumer = z.strictObject({
    runtime: z.enum(['bcc-python', 'libbpf']).default('bcc-python').describe('bcc-python | libbpf: reader semantics and catalog costs [bcc-python].'),
    callback: callbackField.prefault('medium').describe('Per-event callback: simple | medium | complex (catalog), or a distribution [medium].'),
    cpu: z.enum(['dedicated', 'shared']).default('dedicated').describe('dedicated | shared (the consumer pre-empts data-path CPU 0) [dedicated].'),
    pollTimeout: timeout.optional().describe('poll timeout; -1 or "infinite" = forever [bcc-python: forever, libbpf: 100ms].'),
    logBytes: sizeField(pageSize).prefault(227).describe('Formatted bytes written to the log per event [227, the seed].'),
    aggregateInterval: positiveDuration.prefault('1s').describe('How often user space reads aggregation maps [1s].'),
  });

  const mapSpec = z.strictObject({
    name: z.string().min(1).describe('Map name (referenced by map and aggregate steps).'),
    type: z.enum(MAP_TYPES).describe('Map type.'),
    key: sizeField(pageSize).describe('Key size in bytes.'),
    value: sizeField(pageSize).describe('Value size in bytes.'),
    maxEntries: countField({ min: 1, integer: true }).describe('max_entries.'),
    fill: fraction.prefault(1).describe('Typical fill fraction 0..1 for the "typical" memory figure [1].'),
  });

  const model = z.strictObject({
    name: z.string().min(1).describe('What the model is (required).'),
    description: z.string().optional().describe('Free text.'),
    kernel: kernelField.prefault('5.15').describe('Kernel version, quoted ("5.15"); "4.19.90-openeuler" (alias "openeuler-4.19.90") is a named profile. Decides which features exist ["5.15"].'),
    cpus: countField({ min: 1, integer: true, max: MAX_CPUS, maxHint: 'simulate a representative subset of CPUs' }).prefault(4).describe(`Data-path CPUs, 1..${MAX_CPUS} [4].`),
    hostCpus: countField({ min: 1, integer: true, max: 8192 }).optional().describe('CPUs of the host: per-CPU maps and perf buffers exist per host CPU [= cpus].'),
    seed: countField({ min: 0, integer: true, max: Number.MAX_SAFE_INTEGER }).prefault(1).describe('Master seed, an integer >= 0 [1].'),
    catalog: z.string().min(1).default('default').describe('Cost catalog: default | seed | path to a catalog YAML, relative to the model file [default].'),
    jit: z.boolean().default(true).describe('false: program op/insns costs x the catalog interpreterFactor [true].'),
    traffic: traffic.describe('The packet stream.'),
    datapath: z.strictObject({
      service: dist.describe('Baseline per-packet kernel cost without probes (required).'),
      rxQueue: countField({ min: 1, integer: true }).prefault(1024).describe('Packets that may wait per CPU; more are dropped [1024].'),
    }).describe('The data-path CPUs.'),
    probes: z.array(probe).default([]).describe('Probes of the tool [] (none = the baseline only).'),
    output: output.prefault({}).describe('The event buffer.'),
    consumer: consumer.prefault({}).describe('The user-space reader.'),
    maps: z.array(mapSpec).default([]).describe('Maps, for memory accounting and aggregate steps [].'),
    costs: z.record(z.string(), z.unknown()).default({}).describe('Overrides of catalog entries by catalog path, e.g. wakeup.perf_buffer.producer: 1.5us [].'),
    metrics: z.strictObject({
      interval: positiveDuration.optional().describe('Time-series interval [duration/100].'),
    }).prefault({}).describe('Metrics collection.'),
  });
  return model;
}

type ModelInputShape = z.output<ReturnType<typeof buildModelObject>>;

/** The model schema for a page size: fields, then the checks across fields. */
export function buildModelSchema(sc: SchemaContext) {
  return buildModelObject(sc).superRefine((m, ctx) => crossChecks(m, ctx, sc));
}

// ---- checks across fields ------------------------------------------------------------------

type Path = (string | number)[];

function issue(ctx: z.core.$RefinementCtx<unknown>, path: Path, expected: string, found: string, hint?: string): void {
  ctx.addIssue({ code: 'custom', message: expected, path, input: undefined, params: { expected, found, hint } });
}

/** Every step with its path, loops included. */
function* walkSteps(steps: ModelStep[], path: Path): Generator<[ModelStep, Path, number]> {
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    yield [s, [...path, i], 1];
    if (s.kind === 'loop') {
      for (const [inner, p, mult] of walkSteps(s.body, [...path, i, 'loop', 'body'])) yield [inner, p, mult * s.count];
    }
  }
}

/** A feature the model's kernel lacks: the message says which and since when, the hint what instead. */
function kernelIssue(ctx: z.core.$RefinementCtx<unknown>, path: Path, feature: KernelFeature, kernel: KernelInfo): void {
  const p = featureProblem(feature, kernel);
  if (p) issue(ctx, path, '', p.message, p.hint);
}

/** Expected packets of a run (an upper bound for saturate: probes only slow it down). */
export function estimatePackets(t: ModelInputShape['traffic'], cpus: number, service: Dist): number | undefined {
  const seconds = t.duration / 1e9;
  switch (t.arrival) {
    case 'poisson':
    case 'constant':
      return t.rate === undefined ? undefined : t.rate * seconds;
    case 'bursty':
      return t.burst ? ((t.burst.onRate * t.burst.on + t.burst.offRate * t.burst.off) / (t.burst.on + t.burst.off)) * seconds : undefined;
    case 'saturate': {
      const mean = distMean(service);
      return mean > 0 ? (cpus * t.duration) / mean : Infinity;
    }
    case 'trace':
      return undefined;
  }
}

/** 3 significant digits; exponent notation ("6.00e8") from 10 000 up. */
function bigNumber(x: number): string {
  if (x >= 1e4) return x.toExponential(2).replace('e+', 'e');
  return String(Number(x.toPrecision(3)));
}

function crossChecks(m: ModelInputShape, ctx: z.core.$RefinementCtx<unknown>, sc: SchemaContext): void {
  const { pageSize } = sc;
  if (m.hostCpus !== undefined && m.hostCpus < m.cpus) {
    issue(ctx, ['hostCpus'], `at least cpus (${m.cpus})`, String(m.hostCpus), 'hostCpus counts every CPU of the host, the data-path CPUs among them');
  }

  const slots = m.cpus * (m.datapath.rxQueue + 1);
  if (slots > MAX_QUEUE_SLOTS) {
    issue(ctx, ['datapath', 'rxQueue'], `at most ${Math.floor(MAX_QUEUE_SLOTS / m.cpus) - 1} with ${m.cpus} CPUs (${MAX_QUEUE_SLOTS} queue slots in all)`,
      String(m.datapath.rxQueue), 'NIC receive rings hold a few thousand packets; 1024 is typical');
  }

  // Maps: unique names, and steps that name them.
  const mapsByName = new Map<string, MapType>();
  m.maps.forEach((spec, i) => {
    if (mapsByName.has(spec.name)) issue(ctx, ['maps', i, 'name'], 'a map name not used before', JSON.stringify(spec.name), 'give each map its own name');
    else mapsByName.set(spec.name, spec.type);
  });
  const mapNames = [...mapsByName.keys()];

  let anyLoop: Path | undefined;
  let drawsPerPacket = 0;
  m.probes.forEach((p, pi) => {
    const feature = attachFeature(p.attach);
    if (feature) kernelIssue(ctx, ['probes', pi, 'attach'], feature, m.kernel);

    let insns = 0;
    let unrolled = 0;
    let draws = 2; // entry and exit
    for (const [s, path, mult] of walkSteps(p.program, ['probes', pi, 'program'])) {
      if (s.kind !== 'loop') unrolled += mult;
      if (s.kind === 'map' || s.kind === 'helper' || s.kind === 'op') draws += s.count * mult;
      else if (s.kind === 'insns' || s.kind === 'aggregate' || s.kind === 'submit') draws += mult;
      if (s.kind === 'loop' && anyLoop === undefined) anyLoop = path;
      if (s.kind === 'insns') insns += s.count * mult;
      if (s.kind === 'aggregate' && !mapsByName.has(s.map)) {
        issue(ctx, [...path, 'aggregate', 'map'], 'the name of a map in maps:', JSON.stringify(s.map),
          mapNames.length ? didYouMeanHint(s.map, mapNames) : 'add the map to maps: (name, type, key, value, maxEntries)');
      }
      if (s.kind === 'map') {
        const declared = s.name !== undefined ? mapsByName.get(s.name) : undefined;
        if (s.type === undefined && declared === undefined) {
          issue(ctx, [...path, 'map', s.name === undefined ? 'type' : 'name'], 'a map type, or the name of a map in maps:',
            s.name === undefined ? 'nothing' : JSON.stringify(s.name),
            s.name !== undefined && mapNames.length ? didYouMeanHint(s.name, mapNames) : 'add type: hash (or the map type)');
        } else if (s.type !== undefined && declared !== undefined && declared !== s.type) {
          issue(ctx, [...path, 'map', 'type'], `${declared}, the type of map ${JSON.stringify(s.name)} in maps:`, s.type, 'leave out type: it follows from the named map');
        } else if (s.type !== undefined) {
          const mf = mapFeature(s.type);
          if (mf) kernelIssue(ctx, [...path, 'map', 'type'], mf, m.kernel);
        }
      }
      if (s.kind === 'submit') checkRecordFits(ctx, m, s, path, pageSize);
    }
    if (unrolled > MAX_UNROLLED_STEPS) {
      issue(ctx, ['probes', pi, 'program'], `at most ${MAX_UNROLLED_STEPS} steps with loops unrolled`, `${unrolled} steps`, 'the simulator unrolls loops; model fewer, costlier iterations');
    }
    drawsPerPacket += p.hitsPerPacket * draws;
    const limit = maxInstructions(m.kernel);
    if (insns > limit) {
      if (featureProblem('large_programs', m.kernel)) kernelIssue(ctx, ['probes', pi, 'program'], 'large_programs', m.kernel);
      else issue(ctx, ['probes', pi, 'program'], `at most ${limit} instructions (the verifier's limit)`, `${insns} instructions`, 'split the program with tail calls');
    }
  });
  if (anyLoop) kernelIssue(ctx, [...anyLoop, 'loop'], 'bounded_loops', m.kernel);
  m.maps.forEach((spec, i) => {
    const mf = mapFeature(spec.type);
    if (mf) kernelIssue(ctx, ['maps', i, 'type'], mf, m.kernel);
  });
  if (m.output.type === 'ringbuf') kernelIssue(ctx, ['output', 'type'], 'ringbuf', m.kernel);

  // Runs so long they would take minutes are refused unless forced.
  const packets = estimatePackets(m.traffic, m.cpus, m.datapath.service);
  if (!sc.force && packets !== undefined && packets > MAX_PACKETS) {
    const how = m.traffic.arrival === 'saturate'
      ? `${m.cpus} CPUs saturated for ${formatDuration(m.traffic.duration)} at a mean service of ${formatDuration(distMean(m.datapath.service))}`
      : `${formatRate(packets / (m.traffic.duration / 1e9))} for ${formatDuration(m.traffic.duration)}`;
    issue(ctx, ['traffic', 'duration'], `a run of at most ${bigNumber(MAX_PACKETS)} packets`,
      `${how}: would simulate ${bigNumber(packets)} packets`, 'shorten traffic.duration or pass --force');
  } else if (!sc.force && packets !== undefined && packets * drawsPerPacket > MAX_STEP_DRAWS) {
    issue(ctx, ['traffic', 'duration'], `a run of at most ${bigNumber(MAX_STEP_DRAWS)} probe step costs`,
      `${bigNumber(packets)} packets x ${bigNumber(drawsPerPacket)} step costs each: would draw ${bigNumber(packets * drawsPerPacket)}`,
      'shorten traffic.duration, fold repeated steps into one costlier step, or pass --force');
  }
}

function checkRecordFits(
  ctx: z.core.$RefinementCtx<unknown>,
  m: ModelInputShape,
  s: Extract<ModelStep, { kind: 'submit' }>,
  path: Path,
  pageSize: number,
): void {
  const payload = s.bytes * s.batch;
  const field = [...path, 'submit', s.batch > 1 ? 'batch' : 'bytes'];
  const found = s.batch > 1 ? `${s.bytes} B x ${s.batch}` : `${s.bytes} B`;
  if (m.output.type === 'perf_buffer') {
    const rec = perfRecordBytes(payload);
    const data = m.output.pageCnt * pageSize;
    if (rec > PERF_MAX_RECORD) {
      issue(ctx, field, `a perf record of at most ${PERF_MAX_RECORD} bytes (perf_event_header.size is 16 bits)`, `${found}, a ${rec}-byte record`, 'lower the batch or the event size, or use output.type: ringbuf');
    } else if (rec > data - RING_UNUSABLE_BYTES) {
      let need = m.output.pageCnt;
      while (need * pageSize - RING_UNUSABLE_BYTES < rec) need *= 2;
      issue(ctx, field, `a record that fits the per-CPU ring (at most ${data - RING_UNUSABLE_BYTES} bytes of ${formatBytes(data)}: pageCnt ${m.output.pageCnt} x ${pageSize})`,
        `${found}, a ${rec}-byte record`, `raise output.pageCnt to ${need} or lower the batch`);
    }
  } else {
    const rec = ringbufRecordBytes(payload);
    if (rec > m.output.size - RING_UNUSABLE_BYTES) {
      let need = m.output.size;
      while (need - RING_UNUSABLE_BYTES < rec) need *= 2;
      issue(ctx, field, `a record that fits the ringbuf (at most ${m.output.size - RING_UNUSABLE_BYTES} bytes of ${formatBytes(m.output.size)})`,
        `${found}, a ${rec}-byte record`, `raise output.size to ${formatBytes(need)} or lower the batch`);
    }
  }
}

// ---- the default schema and its types ------------------------------------------------------

/** The schema for 4 KiB pages (JSON Schema export, --set path checks, types). */
export const modelSchema = buildModelSchema({ pageSize: 4096 });

/** A validated model: units parsed, static defaults filled in (what resolveScenario takes). */
export type ModelInput = z.output<typeof modelSchema>;
/** A model as a user writes it (what loadModelObject accepts, typed loosely). */
export type RawModel = z.input<typeof modelSchema>;

// ---- walking the schema by field path ------------------------------------------------------

type AnySchema = z.core.$ZodType;

/** Strips wrappers (optional, default, transforms, lazy) down to the node that has a shape. */
function unwrap(s: AnySchema): AnySchema {
  for (let i = 0; i < 32; i++) {
    const def = s._zod.def as unknown as { type: string; innerType?: AnySchema; in?: AnySchema; getter?: () => AnySchema };
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else return s;
  }
  return s;
}

function options(s: AnySchema): AnySchema[] {
  const u = unwrap(s);
  const def = u._zod.def as unknown as { type: string; options?: AnySchema[] };
  return def.type === 'union' && def.options ? def.options.map(unwrap) : [u];
}

/** The schema node at a field path, or undefined when the path leaves the schema. */
export function schemaAt(root: AnySchema, path: readonly PropertyKey[]): AnySchema | undefined {
  let node: AnySchema | undefined = unwrap(root);
  for (const seg of path) {
    if (!node) return undefined;
    let next: AnySchema | undefined;
    for (const opt of options(node)) {
      const def = opt._zod.def as unknown as { type: string; shape?: Record<string, AnySchema>; element?: AnySchema; valueType?: AnySchema };
      if (def.type === 'object' && typeof seg === 'string' && def.shape && Object.hasOwn(def.shape, seg)) next = def.shape[seg];
      else if (def.type === 'array' && typeof seg === 'number' && def.element) next = def.element;
      else if (def.type === 'record' && typeof seg === 'string' && def.valueType) next = def.valueType;
      if (next) break;
    }
    node = next ? unwrap(next) : undefined;
  }
  return node;
}

/** What kind of node a schema node is, for --set: an object's field names, a list, a record, a leaf. */
export function nodeKind(node: AnySchema): { kind: 'object'; fields: string[] } | { kind: 'array' } | { kind: 'record' } | { kind: 'leaf' } {
  const fields: string[] = [];
  let array = false;
  let record = false;
  for (const opt of options(node)) {
    const def = opt._zod.def as unknown as { type: string; shape?: Record<string, AnySchema> };
    if (def.type === 'object' && def.shape) fields.push(...Object.keys(def.shape));
    if (def.type === 'array') array = true;
    if (def.type === 'record') record = true;
  }
  if (fields.length) return { kind: 'object', fields };
  if (array) return { kind: 'array' };
  if (record) return { kind: 'record' };
  return { kind: 'leaf' };
}

// ---- zod issues -> Problems ----------------------------------------------------------------

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object (key: value fields)',
  array: 'a list',
  record: 'an object (key: value fields)',
};

function limitText(origin: string, op: string, limit: unknown): string {
  if (origin === 'string') return op.startsWith('>') && limit === 1 ? 'non-empty text' : `text of length ${op} ${String(limit)}`;
  if (origin === 'array') return `a list with ${op} ${String(limit)} entries`;
  return `a number ${op} ${String(limit)}`;
}

type Issue = z.core.$ZodIssue;

/** Converts zod issues to Problems (unknown keys become one Problem each, unions are untangled). */
export function issuesToProblems(issues: readonly Issue[], file: string, root: AnySchema = modelSchema, prefix: Path = []): Problem[] {
  const out: Problem[] = [];
  for (const iss of issues) {
    const path: Path = [...prefix, ...(iss.path as Path)];
    const input = (iss as { input?: unknown }).input;
    const at = (expected: string, found: string, hint?: string): void => {
      out.push(hint ? { file, path: formatPath(path), expected, found, hint } : { file, path: formatPath(path), expected, found });
    };
    switch (iss.code) {
      case 'custom': {
        const params = iss.params as { expected?: string; found?: string; hint?: string; reported?: boolean } | undefined;
        if (params?.reported) break;
        at(params?.expected ?? iss.message, params?.found ?? showValue(input), params?.hint);
        break;
      }
      case 'unrecognized_keys': {
        const node = schemaAt(root, path);
        const kind = node ? nodeKind(node) : undefined;
        const known = kind?.kind === 'object' ? kind.fields : [];
        for (const key of iss.keys) {
          const hint = didYouMeanHint(key, known);
          out.push({ file, path: formatPath([...path, key]), expected: '', found: 'unknown field', ...(hint ? { hint } : {}) });
        }
        break;
      }
      case 'invalid_type': {
        const node = schemaAt(root, path);
        const special = node ? shapeExpectations.get(node) : undefined;
        const received = (iss as { received?: string }).received;
        const found = received === 'NaN' || received === 'Infinity' || received === '-Infinity' ? received : showValue(input);
        if (input === undefined && received === undefined) at(special?.expected ?? TYPE_WORDS[iss.expected] ?? iss.expected, 'nothing', 'this field is required');
        else at(special?.expected ?? TYPE_WORDS[iss.expected] ?? iss.expected, found, special?.hint);
        break;
      }
      case 'invalid_value': {
        const values = iss.values.map(String);
        const hint = typeof input === 'string' ? didYouMeanHint(input, values, false) : input === undefined ? 'this field is required' : undefined;
        at(values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.join(', ')}`, showValue(input), hint);
        break;
      }
      case 'too_small':
        at(limitText(iss.origin, iss.inclusive ? '>=' : '>', iss.minimum), showValue(input));
        break;
      case 'too_big':
        at(limitText(iss.origin, iss.inclusive ? '<=' : '<', iss.maximum), showValue(input));
        break;
      case 'invalid_union': {
        // Keep the branches that got past the type check at the top: the user meant one of those.
        const meant = iss.errors.filter((branch) => !branch.every((b) => b.code === 'invalid_type' && b.path.length === 0));
        if (meant.length > 0) {
          out.push(...issuesToProblems(meant[0], file, root, path));
        } else {
          const words = iss.errors.map((branch) => {
            const first = branch[0];
            return first && first.code === 'invalid_type' ? (TYPE_WORDS[first.expected] ?? first.expected) : 'another form';
          });
          at([...new Set(words)].join(' or '), showValue(input));
        }
        break;
      }
      default:
        at(iss.message, showValue(input));
    }
  }
  return out;
}
