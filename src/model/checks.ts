/**
 * Checks across fields of a parsed model: map references, record sizes against the ring,
 * kernel features (attach types, ringbuf, loops, map types, program size), and the size of the
 * run (packets, probe work, queue slots) so that a model cannot ask for an hour-long simulation
 * by accident. Run by the model schema (model-schema.ts) once every field has parsed.
 */
import type * as z from 'zod';
import type { Dist } from '../distributions/types.js';
import { distMean } from '../distributions/sampler.js';
// Record sizes: one formula for the checks, the data path and the estimate (records/sizes.ts).
import { perfRecordBytes, ringbufRecordBytes, RING_UNUSABLE_BYTES } from '../records/sizes.js';
import { didYouMeanHint } from './errors.js';
import { attachFeature, featureProblem, mapFeature, maxInstructions, type KernelFeature } from './kernel.js';
import type { KernelInfo, MapType } from './scenario.js';
import type { ModelInput, ModelStep, SchemaContext } from './schema.js';
import { MAX_PACKETS, MAX_QUEUE_SLOTS, MAX_SERIES_CELLS, MAX_SERIES_CELLS_FORCED, MAX_STEP_DRAWS, MAX_UNROLLED_STEPS } from './limits.js';
import { bigNumber, formatBytes, formatDuration, formatPps } from '../units/format.js';

/** perf_event_header.size is 16 bits: no perf record can be larger. */
const PERF_MAX_RECORD = 65535;


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
export function estimatePackets(t: ModelInput['traffic'], cpus: number, service: Dist): number | undefined {
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

export function crossChecks(m: ModelInput, ctx: z.core.$RefinementCtx<unknown>, sc: SchemaContext): void {
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

  // Probes: unique names (reports and per-probe figures are keyed by name).
  const probeNames = new Map<string, number>();
  m.probes.forEach((p, i) => {
    const first = probeNames.get(p.name);
    if (first !== undefined) {
      issue(ctx, ['probes', i, 'name'], 'a probe name not used before', `${JSON.stringify(p.name)}, the name of probes[${first}]`,
        'give each probe its own name, e.g. "tcp_sendmsg:entry" and "tcp_sendmsg:return"');
    } else probeNames.set(p.name, i);
  });

  let anyLoop: Path | undefined;
  let drawsPerPacket = 0;
  let unrolledInAll = 0;
  let oneTooLong = false;
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
      oneTooLong = true;
    }
    unrolledInAll += unrolled + 1;
    drawsPerPacket += p.hitsPerPacket * draws;
    const limit = maxInstructions(m.kernel);
    if (insns > limit) {
      if (featureProblem('large_programs', m.kernel)) kernelIssue(ctx, ['probes', pi, 'program'], 'large_programs', m.kernel);
      else issue(ctx, ['probes', pi, 'program'], `at most ${limit} instructions (the verifier's limit)`, `${insns} instructions`, 'split the program with tail calls');
    }
  });
  // The compiled programs of all probes live in memory at once: the same bound, over all of them.
  if (unrolledInAll > MAX_UNROLLED_STEPS && !oneTooLong) {
    issue(ctx, ['probes'], `at most ${MAX_UNROLLED_STEPS} probes and program steps in all, loops unrolled`,
      `${m.probes.length} probes, ${bigNumber(unrolledInAll - m.probes.length)} steps`, 'model fewer probes, or fewer, costlier iterations');
  }
  if (anyLoop) kernelIssue(ctx, [...anyLoop, 'loop'], 'bounded_loops', m.kernel);
  m.maps.forEach((spec, i) => {
    const mf = mapFeature(spec.type);
    if (mf) kernelIssue(ctx, ['maps', i, 'type'], mf, m.kernel);
  });
  if (m.output.type === 'ringbuf') kernelIssue(ctx, ['output', 'type'], 'ringbuf', m.kernel);

  checkSeriesSize(ctx, m, sc.force ?? false);

  // Runs so long they would take minutes are refused unless forced.
  const packets = estimatePackets(m.traffic, m.cpus, m.datapath.service);
  if (!sc.force && packets !== undefined && packets > MAX_PACKETS) {
    const how = m.traffic.arrival === 'saturate'
      ? `${m.cpus} CPUs saturated for ${formatDuration(m.traffic.duration)} at a mean service of ${formatDuration(distMean(m.datapath.service))}`
      : `${formatPps(packets / (m.traffic.duration / 1e9))} for ${formatDuration(m.traffic.duration)}`;
    issue(ctx, ['traffic', 'duration'], `a run of at most ${bigNumber(MAX_PACKETS)} packets`,
      `${how}: would simulate ${bigNumber(packets)} packets`, 'shorten traffic.duration or pass --force');
  } else if (!sc.force && packets !== undefined && packets * drawsPerPacket > MAX_STEP_DRAWS) {
    issue(ctx, ['traffic', 'duration'], `a run of at most ${bigNumber(MAX_STEP_DRAWS)} probe step costs`,
      `${bigNumber(packets)} packets x ${bigNumber(drawsPerPacket)} step costs each: would draw ${bigNumber(packets * drawsPerPacket)}`,
      'shorten traffic.duration, fold repeated steps into one costlier step, or pass --force');
  }
}

/** The occupancy series keeps a few numbers per ring per interval: bounded like the run's length. */
function checkSeriesSize(ctx: z.core.$RefinementCtx<unknown>, m: ModelInput, force: boolean): void {
  const interval = m.metrics.interval;
  if (interval === undefined) return;
  const rings = m.output.type === 'ringbuf' ? 1 : (m.hostCpus ?? m.cpus);
  const cells = Math.ceil(m.traffic.duration / interval) * rings;
  const limit = force ? MAX_SERIES_CELLS_FORCED : MAX_SERIES_CELLS;
  if (cells <= limit) return;
  const fewest = (m.traffic.duration * rings) / limit;
  issue(ctx, ['metrics', 'interval'], `at most ${bigNumber(limit)} time-series cells (rings x intervals)`,
    `${formatDuration(interval)}: ${bigNumber(cells)} cells (${rings} ring${rings > 1 ? 's' : ''} x ${formatDuration(m.traffic.duration)} / ${formatDuration(interval)})`,
    `raise metrics.interval to ${formatDuration(fewest)} or more${force ? '' : ', or pass --force'}`);
}

function checkRecordFits(
  ctx: z.core.$RefinementCtx<unknown>,
  m: ModelInput,
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
