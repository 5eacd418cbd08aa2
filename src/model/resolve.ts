/**
 * Resolution: a validated model plus the catalog -> a Scenario in which every cost is a
 * distribution. A cost the model gives wins; everything else comes from the catalog. Problems
 * that need the catalog to see (a helper or map type it has no cost for) and problems with the
 * trace file are collected and thrown together as one ModelError.
 */
import type { Dist } from '../distributions/types.js';
import { scaleDist } from '../distributions/sampler.js';
import type { Catalog } from './catalog-types.js';
import { sizeCost } from './catalog-size.js';
import { didYouMeanHint, formatPath, ModelError, type Problem } from './errors.js';
import type { ModelFiles } from './files.js';
import type { ModelInput, ModelStep } from './schema.js';
import { PER_CPU_MAP_TYPES, type Consumer, type MapSpec, type MapType, type Output, type Probe, type Scenario, type Step, type Traffic } from './scenario.js';
import { excerpt, parseDuration, showValue } from '../units/parse.js';
import { formatDuration } from '../units/format.js';
import { MAX_PACKETS } from './limits.js';
import { nicSetup, packetCpus } from './trace/steer.js';
import { summarizeTrace } from './trace/summary.js';
import { distMean } from '../distributions/moments.js';

/** libbpf's examples and libbpf-tools poll with a 100 ms timeout; BCC Python blocks (-1). */
const LIBBPF_POLL_TIMEOUT_NS = 100e6;
/** Warm-up when the model gives none: this fraction of the duration. */
const DEFAULT_WARMUP_FRACTION = 0.05;
/** Time-series intervals per run when the model gives no interval. */
const DEFAULT_INTERVALS = 100;

type Path = (string | number)[];

class Resolver {
  readonly problems: Problem[] = [];
  private readonly mapTypes: Map<string, MapType>;
  /** Program logic runs interpreted without the JIT; see resolveStep. */
  private readonly logicFactor: number;

  constructor(
    private readonly model: ModelInput,
    private readonly catalog: Catalog,
    private readonly file: string,
    private readonly files: ModelFiles,
    /** --force: accept a trace that replays more than MAX_PACKETS packets. */
    private readonly force = false,
  ) {
    this.mapTypes = new Map(model.maps.map((m) => [m.name, m.type]));
    this.logicFactor = model.jit ? 1 : catalog.interpreterFactor;
  }

  problem(path: Path, expected: string, found: string, hint?: string, file = this.file): void {
    this.problems.push(hint ? { file, path: formatPath(path), expected, found, hint } : { file, path: formatPath(path), expected, found });
  }

  mapOpCost(type: MapType, op: 'lookup' | 'update' | 'delete', path: Path): Dist | undefined {
    const costs = this.catalog.maps[type];
    if (costs) return costs[op];
    const known = Object.keys(this.catalog.maps);
    this.problem(path, `a map type with costs in catalog ${this.catalog.profile} (${known.join(', ')})`, JSON.stringify(type),
      'give the step its own cost: (e.g. cost: 100ns), or add the map type to the catalog');
    return undefined;
  }

  helperCost(name: string, path: Path): Dist | undefined {
    const helpers = this.catalog.helpers;
    if (Object.hasOwn(helpers, name)) return helpers[name];
    // "bpf_ktime_get_ns" and "ktime_get_ns" name the same helper.
    const bare = name.replace(/^bpf_/, '');
    if (Object.hasOwn(helpers, bare)) return helpers[bare];
    const names = Object.keys(helpers);
    const guess = didYouMeanHint(bare, names);
    this.problem(path, `a helper in catalog ${this.catalog.profile}`, JSON.stringify(name),
      guess?.startsWith('did you mean') ? guess : `give its cost: helper: { name: ${name}, cost: 50ns }`);
    return undefined;
  }

  steps(steps: ModelStep[], path: Path): Step[] {
    const out: Step[] = [];
    steps.forEach((s, i) => {
      const step = this.step(s, [...path, i]);
      if (step) out.push(step);
    });
    return out;
  }

  step(s: ModelStep, path: Path): Step | undefined {
    const { catalog, model } = this;
    switch (s.kind) {
      case 'filter':
        return { kind: 'filter', pass: s.pass };
      case 'map': {
        // The schema checked that a map step has a type or names a declared map.
        const type = s.type ?? this.mapTypes.get(s.name!)!;
        const cost = s.cost ?? this.mapOpCost(type, s.op, [...path, 'map', s.type ? 'type' : 'name']);
        if (!cost) return undefined;
        const name = s.name ? `${s.name} (${type}) ${s.op}` : `${type} ${s.op}`;
        return { kind: 'op', name, cost, count: s.count };
      }
      case 'helper': {
        const cost = s.cost ?? this.helperCost(s.name, [...path, 'helper']);
        return cost ? { kind: 'op', name: s.name, cost, count: s.count } : undefined;
      }
      // Only the program's own logic (op and insns steps) runs in the interpreter without the
      // JIT. Helpers, map operations, attach entry/exit and submit are compiled kernel code
      // called from the program: their cost does not change with the JIT.
      case 'op':
        return { kind: 'op', name: s.name, cost: scaleDist(s.cost, this.logicFactor), count: s.count };
      case 'insns':
        return { kind: 'op', name: `${s.count} insns`, cost: scaleDist(catalog.insn, s.count * this.logicFactor), count: 1 };
      case 'submit': {
        const table = catalog.submit[model.output.type];
        return {
          kind: 'submit',
          bytes: s.bytes,
          sample: s.sample,
          batch: s.batch,
          flushTimeout: s.flushTimeout,
          cost: s.cost ?? sizeCost(table, s.bytes * s.batch),
          batchAddCost: catalog.submit.batchAdd,
        };
      }
      case 'aggregate': {
        // The schema checked that the map is declared.
        const type = this.mapTypes.get(s.map)!;
        const cost = s.cost ?? this.mapOpCost(type, 'update', [...path, 'aggregate', 'map']);
        return cost ? { kind: 'aggregate', map: s.map, cost } : undefined;
      }
      case 'loop':
        return { kind: 'loop', count: s.count, body: this.steps(s.body, [...path, 'loop', 'body']) };
    }
  }

  probe(p: ModelInput['probes'][number], i: number): Probe {
    const attach = this.catalog.attach[p.attach];
    if (!attach && (p.entry === undefined || p.exit === undefined)) {
      this.problem(['probes', i, 'attach'], `an attach type with costs in catalog ${this.catalog.profile}`, JSON.stringify(p.attach),
        'give the probe its own entry: and exit: costs');
    }
    const zero: Dist = { kind: 'const', value: 0 };
    return {
      name: p.name,
      attach: p.attach,
      entry: p.entry ?? attach?.entry ?? zero,
      exit: p.exit ?? attach?.exit ?? zero,
      hitsPerPacket: p.hitsPerPacket,
      program: this.steps(p.program, ['probes', i, 'program']),
    };
  }

  traffic(): Traffic {
    const t = this.model.traffic;
    const warmup = t.warmup ?? DEFAULT_WARMUP_FRACTION * t.duration;
    const common = { arrival: t.arrival, duration: t.duration, warmup, rss: t.rss, packetSize: t.packetSize } as const;
    switch (t.arrival) {
      case 'poisson':
      case 'constant':
        return { ...common, rate: t.rate! };
      case 'saturate':
        return { ...common, rate: 0 };
      case 'bursty': {
        const b = t.burst!;
        const rate = (b.onRate * b.on + b.offRate * b.off) / (b.on + b.off);
        return { ...common, rate, burst: { onRate: b.onRate, offRate: b.offRate, onMean: b.on, offMean: b.off } };
      }
      case 'trace':
        return { ...common, ...this.trace(t.trace!) };
    }
  }

  /** A trace file's packets, how they spread over CPUs, and how it covers the run. */
  trace(name: string): Pick<Traffic, 'rate' | 'times' | 'sizes' | 'cpuOf' | 'period' | 'summary'> {
    const t = this.model.traffic;
    const none = { rate: 0, times: [] };
    const read = this.files.readTrace(name, this.file);
    const path = read.path;
    if ('problem' in read) {
      this.problem(['traffic', 'trace'], read.problem.expected, read.problem.found, read.problem.hint);
      return none;
    }
    const captured = 'captured' in read ? read.captured : undefined;
    if (captured && captured.times.length === 0) {
      this.problem(['traffic', 'trace'], 'a capture with at least one packet', `an empty ${captured.format} file (${path})`);
      return none;
    }
    const before = this.problems.length;
    const times = 'captured' in read ? read.captured.times : this.textTrace(read.text, path);
    if (times.length === 0 || this.problems.length > before) return none;
    if (!captured && (t.rss === 'toeplitz' || t.rss === 'flowhash')) {
      this.problem(['traffic', 'rss'], 'random or roundrobin for a trace of timestamps', t.rss, `${t.rss} spreads flows: give a pcap or pcapng capture as traffic.trace`);
    }
    const cpus = this.model.cpus;
    const cpuOf = captured && (t.rss === 'toeplitz' || t.rss === 'flowhash')
      ? packetCpus(captured.flowOf, captured.flows, t.rss, cpus, nicSetup(cpus, t.nic))
      : undefined;
    const summary = summarizeTrace(captured?.format ?? 'text', times, { sizes: captured?.sizes, flows: captured?.flows.length, cpuOf, cpus });
    // The trace lasts to its last packet plus one mean gap (where the next packet would come).
    const n = times.length;
    const meanGap = n > 1 ? (times[n - 1] - times[0]) / (n - 1) : 0;
    const length = times[n - 1] + meanGap;
    let period = 0;
    if (t.loop) {
      if (meanGap <= 0) this.problem(['traffic', 'loop'], 'a trace of at least two packets at different times to loop', `${n} packet${n === 1 ? '' : 's'} spanning 0 ns`, 'replay it once (loop: false), or give a longer trace');
      else period = length;
    } else if (length < t.duration) {
      this.problem(['traffic', 'duration'], `a run no longer than the trace (${formatDuration(length)}: ${n} packets)`, formatDuration(t.duration),
        `shorten traffic.duration to ${formatDuration(length)}, or set traffic.loop: true to replay the trace again from its start`);
    }
    const inRun = period > 0 ? packetsBefore(times, period, t.duration) : times.filter((x) => x <= t.duration).length;
    if (inRun > MAX_PACKETS && !this.force) {
      this.problem(['traffic', 'duration'], `a run of at most ${MAX_PACKETS.toExponential(0).replace('e+', 'e')} packets`, `${inRun.toExponential(2).replace('e+', 'e')} packets of the trace in ${formatDuration(t.duration)}`, 'shorten traffic.duration or pass --force');
    }
    return {
      rate: inRun / (t.duration / 1e9),
      times,
      ...(captured ? { sizes: captured.sizes } : {}),
      ...(cpuOf ? { cpuOf } : {}),
      ...(period > 0 ? { period } : {}),
      summary,
    };
  }

  /** One timestamp per line (ns, or with a unit); blank lines and # comments skipped. */
  textTrace(text: string, path: string): number[] {
    const times: number[] = [];
    const lines = text.split(/\r?\n/);
    let bad = 0;
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n].replace(/#.*/, '').trim();
      if (line === '') continue;
      const r = parseDuration(/^[0-9.eE+-]+$/.test(line) ? Number(line) : line);
      let problem: [string, string, string?] | undefined;
      if (!r.ok) problem = [r.expected, r.found, r.hint];
      else if (times.length > 0 && r.value < times[times.length - 1]) {
        problem = [`a time >= the line before (${times[times.length - 1]} ns)`, line, 'sort the trace by time'];
      }
      if (problem) {
        // Only the first bad line, and only an excerpt of it: the path may name a file that is
        // not a trace at all (/etc/passwd), whose contents an error must not print.
        if (++bad === 1) this.problem([`line ${n + 1}`], problem[0], showValue(excerpt(line, 24)), problem[2], path);
        continue;
      }
      times.push((r as { value: number }).value);
    }
    if (bad > 1) this.problem([], 'one timestamp per line', `${bad - 1} more ${bad === 2 ? 'line that is not a timestamp' : 'lines that are not timestamps'}`, undefined, path);
    if (times.length === 0 && bad === 0) this.problem(['traffic', 'trace'], 'a trace with at least one timestamp', `an empty file (${path})`);
    return times;
  }

  output(): Output {
    const o = this.model.output;
    const { catalog } = this;
    const common = {
      onFull: o.onFull,
      failedCost: catalog.submit.failed,
      wakeup: catalog.wakeup[o.type],
      pageSize: catalog.pageSize,
    };
    if (o.type === 'perf_buffer') {
      const data = o.pageCnt * catalog.pageSize;
      // The kernel's default watermark is half the data area (ring_buffer_init).
      return { ...common, type: 'perf_buffer', ringBytes: data, pageCnt: o.pageCnt, wakeupEvents: o.wakeupEvents, watermarkBytes: o.watermark ?? data / 2 };
    }
    return { ...common, type: 'ringbuf', ringBytes: o.size, size: o.size, notify: o.notify, lock: catalog.ringbufLock };
  }

  consumer(aggregated: { keys: number; values: number }): Consumer {
    const c = this.model.consumer;
    const costs = this.catalog.consumer[c.runtime];
    const reader = this.model.output.type === 'ringbuf' ? 'ringbuf' : c.runtime === 'bcc-python' ? 'perf-per-record' : 'perf-batch';
    const sink = this.catalog.stalls.sink[c.logSink];
    const gc = this.catalog.stalls[c.runtime];
    const stalls = c.stalls === 'none'
      ? { every: 0, pause: ZERO, sinkEvery: 0, sinkPause: ZERO }
      : {
          every: c.stalls === 'auto' ? gc.gcEvery : c.stalls.every,
          pause: c.stalls === 'auto' ? gc.gcPause : c.stalls.pause,
          sinkEvery: c.logBytes > 0 ? sink.every : 0,
          sinkPause: sink.pause,
        };
    const sched = this.catalog.sched;
    const k = this.model.kernel;
    return {
      runtime: c.runtime,
      reader,
      cpu: c.cpu,
      hostLoad: c.hostLoad,
      loop: c.loop,
      sleepInterval: c.sleepInterval,
      sched: {
        contextSwitch: sched.contextSwitch,
        slice: distMean(sched.slice),
        // EEVDF (6.6) lets the running task finish its slice (RUN_TO_PARITY); CFS let a sleeper pre-empt.
        wakePreempt: k.major > 6 || (k.major === 6 && k.minor >= 6) ? 'slice-end' : 'immediate',
        idleAfter: distMean(sched.idleAfter),
        idleExit: sched.idleExit,
      },
      stalls,
      logSink: c.logSink,
      pollTimeout: c.pollTimeout ?? (c.runtime === 'bcc-python' ? Infinity : LIBBPF_POLL_TIMEOUT_NS),
      pollCost: costs.pollCost,
      wakeCost: costs.wakeCost,
      perEvent: {
        read: costs.read,
        decode: costs.decode,
        callback: typeof c.callback === 'string' ? costs.callback[c.callback] : c.callback,
        log: costs.log,
      },
      lostCost: costs.lost,
      logBytes: c.logBytes,
      // Each periodic read formats every entry it finds as one log line of logBytes.
      aggregateRead: {
        interval: c.aggregateInterval,
        perEntry: costs.aggregatePerEntry,
        entries: aggregated.values,
        logBytesPerRead: aggregated.keys * c.logBytes,
      },
    };
  }
}

const ZERO: Dist = { kind: 'const', value: 0 };

/** The host class a run assumes, and where its costs come from. */
function hostOf(model: ModelInput, catalog: Catalog): Scenario['host'] {
  const wanted = model.host ?? catalog.host;
  if (catalog.host === wanted) return { class: wanted, costs: catalog.hostNote ?? `catalog ${catalog.profile}` };
  // catalogForHost found no entries for the class: the catalog's own numbers stand.
  return { class: catalog.host, costs: `catalog ${catalog.profile} (${catalog.host}: it has no ${wanted} entries)` };
}

/** Names of maps that aggregate steps update, anywhere in the program (loops included). */
function aggregatedMaps(steps: ModelStep[], into: Set<string>): Set<string> {
  for (const s of steps) {
    if (s.kind === 'aggregate') into.add(s.map);
    if (s.kind === 'loop') aggregatedMaps(s.body, into);
  }
  return into;
}

/**
 * Fills every cost the model leaves out from the catalog. `file` labels problems and anchors
 * relative paths (the trace file). Throws ModelError listing every problem found.
 */
export function resolveScenario(model: ModelInput, catalog: Catalog, file: string, files: ModelFiles, opts: { force?: boolean } = {}): Scenario {
  const r = new Resolver(model, catalog, file, files, opts.force);
  const traffic = r.traffic();
  const probes = model.probes.map((p, i) => r.probe(p, i));
  const aggregated = new Set<string>();
  for (const p of model.probes) aggregatedMaps(p.program, aggregated);
  const maps: MapSpec[] = model.maps.map((m) => ({ name: m.name, type: m.type, key: m.key, value: m.value, maxEntries: m.maxEntries, fill: m.fill }));
  const hostCpus = model.hostCpus ?? model.cpus;
  const read = { keys: 0, values: 0 };
  for (const m of maps) {
    if (!aggregated.has(m.name)) continue;
    const keys = Math.round(m.maxEntries * m.fill);
    read.keys += keys;
    read.values += keys * (PER_CPU_MAP_TYPES.includes(m.type) ? hostCpus : 1);
  }
  const scenario: Scenario = {
    name: model.name,
    seed: model.seed,
    host: hostOf(model, catalog),
    kernel: model.kernel,
    cpus: model.cpus,
    traffic,
    datapath: { service: model.datapath.service, rxQueue: model.datapath.rxQueue, perByte: model.datapath.perByte, context: model.datapath.context },
    probes,
    jit: model.jit,
    output: r.output(),
    consumer: r.consumer(read),
    maps,
    memory: {
      base: catalog.consumer[model.consumer.runtime].baseMemory,
      jitPerProgram: catalog.memory.jitPerProgram,
      other: catalog.memory.other,
      hostCpus,
    },
    interval: model.metrics.interval ?? traffic.duration / DEFAULT_INTERVALS,
    catalog: catalog.profile,
  };
  if (r.problems.length) throw new ModelError(r.problems);
  return scenario;
}

/** Arrivals at or before `end` of a trace replayed every `period` ns. */
function packetsBefore(times: readonly number[], period: number, end: number): number {
  const rounds = Math.floor(end / period);
  const rest = end - rounds * period;
  let partial = 0;
  while (partial < times.length && times[partial] <= rest) partial++;
  return rounds * times.length + partial;
}
