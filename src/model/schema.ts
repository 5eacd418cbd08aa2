/**
 * The schema of the model a user writes (notes/model-format.md, DESIGN.md "The model a user
 * writes"). zod 4, strict objects: an unknown key is a problem with a did-you-mean hint.
 * Durations, rates, sizes and distributions are unit-parsed fields (fields.ts); checks across
 * fields run once every field has parsed (checks.ts, joined to the fields in model-schema.ts);
 * issues.ts turns zod issues into Problems.
 *
 * The parsed model (`ModelInput`) has every unit resolved (ns, pps, bytes, Dist) and every
 * static default filled in. Defaults that depend on other fields (warm-up, hostCpus, watermark,
 * poll timeout, interval) or on the catalog (costs) are left undefined and filled by resolve.ts.
 *
 * The schema is built per page size (`buildModelSchema`): sizes may be written in pages and the
 * ringbuf size must be a multiple of a page; the page size comes from the catalog.
 */
import * as z from 'zod';
import type { Dist } from '../distributions/types.js';
import type { MapType } from './scenario.js';
import { ATTACH_TYPES, MAP_TYPES, MAX_MAP_ENTRIES, MAX_RINGBUF_BYTES, maxPerfPages } from './kernel.js';
import { MAX_CPUS, MAX_HITS_PER_PACKET, MAX_STEP_COUNT } from './limits.js';
import {
  callbackField, countField, dist, duration, expectShape, fraction, isPowerOfTwo, kernelField, parsedField, positiveDuration,
  powersAround, probability, rate, rateOrZero, shareField, sizeField, thenCheck, timeout,
} from './fields.js';
import { HOST_CLASSES, LOG_SINKS } from './catalog-types.js';
import { fail, parseCount } from '../units/parse.js';
import { formatBytes, formatDuration, formatPps } from '../units/format.js';


/** What the schema depends on besides the model: the catalog's page size, --force. */
export interface SchemaContext {
  /** Page size of the catalog in use (sizes in pages, ringbuf alignment, perf ring size). */
  pageSize: number;
  /** Accept models that would simulate more than MAX_PACKETS packets (or MAX_STEP_DRAWS). */
  force?: boolean;
}
export { CALLBACK_CLASSES } from './fields.js';

export const ARRIVALS = ['poisson', 'constant', 'bursty', 'trace', 'saturate'] as const;
export const RSS_MODES = ['random', 'roundrobin', 'toeplitz', 'flowhash'] as const;
/** Receive queues of a NIC (ethtool -L); far above any real one. */
export const MAX_RSS_QUEUES = 4096;
/** Indirection-table entries (ethtool -X); real NICs have 64 to 2048. */
export const MAX_RSS_TABLE = 65536;
/** A packet larger than a 64 KiB GSO/GRO super-packet is not one. */
export const MAX_PACKET_BYTES = 65536;
export const STEP_KINDS = ['filter', 'map', 'helper', 'op', 'insns', 'submit', 'aggregate', 'loop'] as const;

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
  expectShape(
    object,
    `a step: a one-key object (${STEP_KINDS.join(', ')})`,
    'write e.g. "- helper: ktime_get_ns" or "- map: { type: hash, op: lookup }"',
  );
  const step: z.ZodType<ModelStep, unknown> = object as unknown as z.ZodType<ModelStep, unknown>;
  return step;
}

// ---- the model -----------------------------------------------------------------------------

/** The model's fields, before the checks across fields. */
export function buildModelObject(sc: SchemaContext) {
  const { pageSize } = sc;
  const step = stepSchema(pageSize);

  const traffic = z.strictObject({
    arrival: z.enum(ARRIVALS).default('poisson').describe('poisson | constant | bursty (on/off MMPP) | trace (replay) | saturate (closed loop per CPU: next packet as soon as the last is done) [poisson].'),
    rate: rate.optional().describe('Mean offered rate over all CPUs, packets/s ("400k", "1.2 Mpps"); required for poisson and constant; for bursty it follows from burst.'),
    duration: positiveDuration.prefault('1s').describe('Simulated time including warm-up [1s].'),
    warmup: duration.optional().describe('Statistics before this time are discarded [5% of duration].'),
    rss: z.enum(RSS_MODES).default('random').describe("How packets are spread over CPUs: random (a uniform hash) | roundrobin | toeplitz (the NIC's RSS: Toeplitz hash of addresses and ports, indirection table, queue i on CPU i mod cpus; a capture trace) | flowhash (a per-flow software hash, as RPS: a capture trace) [random]."),
    nic: z.strictObject({
      queues: countField({ min: 1, integer: true, max: MAX_RSS_QUEUES }).optional().describe('rss toeplitz: receive queues; queue i is served by CPU i mod cpus [= cpus].'),
      key: z.string().superRefine((k, ctx) => {
        const bytes = /^[0-9a-fA-F]{2}(:?[0-9a-fA-F]{2})*$/.test(k) ? k.replace(/:/g, '').length / 2 : 0;
        if (bytes >= 40) return;
        ctx.addIssue({
          code: 'custom', message: 'key', input: k,
          params: { expected: 'at least 40 hex bytes ("6d:5a:56:...")', found: bytes ? `${bytes} bytes` : JSON.stringify(k.slice(0, 24)), hint: 'ethtool -x IFACE prints the key in use' },
        });
      }).optional()
        .describe("rss toeplitz: the hash key as hex bytes (\"6d:5a:...\", as `ethtool -x` prints it), at least 40 bytes [Microsoft's default key]."),
      table: z.array(countField({ min: 0, integer: true, max: MAX_RSS_QUEUES - 1 })).optional()
        .describe('rss toeplitz: the indirection table (queue per entry; entries a power of two, as `ethtool -x` prints it) [128 entries, entry i = queue i mod queues].'),
    }).optional().describe('rss toeplitz: the NIC receive-side scaling setup.'),
    loop: z.boolean().default(false).describe('trace: replay the trace again from its start when it ends (else a trace shorter than the duration is an error) [false].'),
    packetSize: sizeField(pageSize, (v, input) => (v >= 1 && v <= MAX_PACKET_BYTES && Number.isInteger(v) ? undefined : fail(`a whole number of bytes in 1..${MAX_PACKET_BYTES}`, input)))
      .prefault(64).describe('Bytes per packet for datapath.perByte, when the arrivals are not a capture (a capture gives each packet its size) [64].'),
    burst: z.strictObject({
      onRate: rate.describe('Rate in the on state, packets/s over all CPUs.'),
      offRate: rateOrZero.describe('Rate in the off state (0 allowed).'),
      on: positiveDuration.describe('Mean time in the on state.'),
      off: positiveDuration.describe('Mean time in the off state.'),
    }).optional().describe('bursty: a two-state Markov-modulated Poisson process (mean sojourns, exponential).'),
    trace: z.string().min(1).optional().describe('trace: a packet capture (pcap or pcapng: times, sizes, flows) or a text file of arrival timestamps (one per line, ns or with a unit), told apart by content; relative to the model file.'),
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
            params: { expected: `the mean rate of burst, ${formatPps(mean)}`, found: formatPps(t.rate), hint: 'leave out traffic.rate for bursty arrivals: it follows from burst' },
          });
        }
      }
    }
    if (t.arrival === 'trace' && t.trace === undefined) need('trace', 'a trace file for trace arrivals', 'add traffic.trace: path/to/capture.pcap or a file of timestamps');
    if ((t.rss === 'toeplitz' || t.rss === 'flowhash') && t.arrival !== 'trace') {
      ctx.addIssue({
        code: 'custom', message: 'rss', path: ['rss'], input: t.rss,
        params: { expected: 'random or roundrobin for synthetic arrivals', found: t.rss, hint: `${t.rss} spreads flows: replay a capture (arrival: trace, trace: file.pcap)` },
      });
    }
    if (t.nic !== undefined && t.rss !== 'toeplitz') {
      ctx.addIssue({
        code: 'custom', message: 'nic', path: ['nic'], input: undefined,
        params: { expected: 'traffic.nic only with rss: toeplitz', found: `rss: ${t.rss}`, hint: 'set traffic.rss: toeplitz, or remove traffic.nic' },
      });
    }
    if (t.nic?.table !== undefined) {
      const n = t.nic.table.length;
      if (!isPowerOfTwo(n) || n > MAX_RSS_TABLE) {
        ctx.addIssue({
          code: 'custom', message: 'table', path: ['nic', 'table'], input: undefined,
          params: { expected: `a power-of-two number of entries, at most ${MAX_RSS_TABLE}`, found: `${n} entries`, hint: 'NICs index the table with the low bits of the hash' },
        });
      }
      const queues = t.nic.queues;
      const bad = queues === undefined ? -1 : t.nic.table.findIndex((q) => q >= queues);
      if (bad >= 0) {
        ctx.addIssue({
          code: 'custom', message: 'table', path: ['nic', 'table', bad], input: t.nic.table[bad],
          params: { expected: `a queue below nic.queues (${queues})`, found: String(t.nic.table[bad]), hint: 'raise nic.queues or fix the entry' },
        });
      }
    }
    if (t.loop && t.arrival !== 'trace') {
      ctx.addIssue({
        code: 'custom', message: 'loop', path: ['loop'], input: true,
        params: { expected: 'loop only for trace arrivals', found: `arrival: ${t.arrival}`, hint: 'remove traffic.loop' },
      });
    }
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
    if (v > MAX_RINGBUF_BYTES) {
      return fail(`at most ${formatBytes(MAX_RINGBUF_BYTES)}`, input, "a ringbuf's size is its max_entries, a 32-bit number: the largest power of two is 2 GiB");
    }
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
          const most = maxPerfPages(pageSize);
          if (v > most) {
            return fail(`at most ${most} pages (${formatBytes(most * pageSize)} per CPU)`, input,
              'the kernel cannot allocate a larger perf buffer (rb_alloc: one page pointer per page in at most 4 MiB)');
          }
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
    cpu: z.enum(['dedicated', 'shared']).default('dedicated').describe('dedicated (a CPU of its own) | shared (runs on data-path CPU 0 under the scheduler; datapath.context decides who pre-empts whom) [dedicated].'),
    hostLoad: shareField.prefault(0).describe('Other runnable tasks on the reader\'s CPU, as the share of it they keep busy ("60%"); they take their fair share [0%].'),
    loop: z.enum(['poll', 'consume-sleep', 'busy']).default('poll').describe('poll (sleep in poll/epoll_wait until a wake-up or the timeout) | consume-sleep (ring_buffer__consume / perf_buffer__consume, then sleep sleepInterval: no poll syscall, wake-ups find no sleeper) | busy (consume in a loop, never sleeping) [poll].'),
    sleepInterval: positiveDuration.prefault('10ms').describe('consume-sleep: the sleep between two consume passes [10ms].'),
    stalls: z.union([
      z.enum(['auto', 'none']),
      z.strictObject({
        every: countField({ min: 1, integer: false }).describe('Events handled between two pauses, on average (exponentially distributed).'),
        pause: dist.describe('Length of one pause.'),
      }),
    ]).default('auto').describe('Reader pauses: auto (the catalog\'s for the runtime: CPython\'s garbage collector for bcc-python, none for libbpf) | none | { every: N events, pause: duration } [auto].'),
    logSink: z.enum(LOG_SINKS).default('file').describe('Where the log goes: file | pipe | terminal | none; a full terminal, pipe or dirty page cache blocks the reader (catalog stalls.sink) [file].'),
    pollTimeout: timeout.optional().describe('poll timeout; -1 or "infinite" = forever [bcc-python: forever, libbpf: 100ms].'),
    logBytes: sizeField(pageSize).prefault(227).describe('Formatted bytes written to the log per event [227: a typical BCC tool line].'),
    aggregateInterval: positiveDuration.prefault('1s').describe('How often user space reads aggregation maps [1s].'),
  });

  const mapSpec = z.strictObject({
    name: z.string().min(1).describe('Map name (referenced by map and aggregate steps).'),
    type: z.enum(MAP_TYPES).describe('Map type.'),
    key: sizeField(pageSize).describe('Key size in bytes.'),
    value: sizeField(pageSize).describe('Value size in bytes.'),
    maxEntries: countField({ min: 1, integer: true, max: MAX_MAP_ENTRIES, maxHint: 'max_entries is a 32-bit number in the kernel (at most 4294967295)' }).describe('max_entries.'),
    fill: fraction.prefault(1).describe('Typical fill fraction 0..1 for the "typical" memory figure [1].'),
  });

  const model = z.strictObject({
    name: z.string().min(1).describe('What the model is (required).'),
    description: z.string().optional().describe('Free text.'),
    kernel: kernelField.prefault('5.15').describe('Kernel version, quoted ("5.15"); "4.19.90-openeuler" (alias "openeuler-4.19.90") is a named profile. Decides which features exist ["5.15"].'),
    cpus: countField({ min: 1, integer: true, max: MAX_CPUS, maxHint: 'simulate a representative subset of CPUs' }).prefault(4).describe(`Data-path CPUs, 1..${MAX_CPUS} [4].`),
    hostCpus: countField({ min: 1, integer: true, max: 8192 }).optional().describe('CPUs of the host: per-CPU maps and perf buffers exist per host CPU [= cpus].'),
    seed: countField({ min: 0, integer: true, max: Number.MAX_SAFE_INTEGER }).prefault(1).describe('Master seed, an integer >= 0 [1].'),
    catalog: z.string().min(1).default('default').describe('Cost catalog: default | static | path to a catalog YAML, relative to the model file [default].'),
    jit: z.boolean().default(true).describe('false: program op/insns costs x the catalog interpreterFactor [true].'),
    traffic: traffic.describe('The packet stream.'),
    host: z.enum(HOST_CLASSES).optional().describe('Host class: bare-metal | vm (KVM, Firecracker: wake-ups, IPIs and idle exits cross the hypervisor); chooses the catalog\'s costs for that class [the catalog\'s own: bare-metal for default].'),
    datapath: z.strictObject({
      service: dist.describe('Baseline per-packet kernel cost without probes (required).'),
      context: z.enum(['softirq', 'task']).default('softirq').describe('softirq (packet receive: pre-empts tasks, a shared reader runs only when the CPU is idle) | task (a process, e.g. a syscall loop: shares the CPU fairly with a shared reader) [softirq].'),
      rxQueue: countField({ min: 1, integer: true }).prefault(1024).describe('Packets that may wait per CPU; more are dropped [1024].'),
      perByte: duration.prefault(0).describe('Extra kernel cost per byte of packet, added to service (e.g. "0.05ns": copies, checksums); sizes from the capture or traffic.packetSize [0].'),
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

/** A validated model: units parsed, static defaults filled in (what resolveScenario takes). */
export type ModelInput = z.output<ReturnType<typeof buildModelObject>>;
