/**
 * Builds resolved Scenarios for the estimator tests straight from a catalog (the model loader
 * is tested elsewhere): each helper takes its costs from the catalog the way the resolver does.
 */
import type { Dist } from '../src/distributions/types.js';
import type { Catalog } from '../src/model/catalog-types.js';
import { sizeCost } from '../src/model/catalog.js';
import { parseKernel } from '../src/model/kernel.js';
import type { MapSpec, MapType, Output, Probe, Scenario, Step } from '../src/model/scenario.js';

export const ns = (value: number): Dist => ({ kind: 'const', value });

export function op(name: string, cost: Dist, count = 1): Step {
  return { kind: 'op', name, cost, count };
}

export function filter(pass: number): Step {
  return { kind: 'filter', pass };
}

export function mapOp(catalog: Catalog, type: MapType, which: 'lookup' | 'update' | 'delete'): Step {
  const costs = catalog.maps[type];
  if (!costs) throw new Error(`catalog has no maps.${type}`);
  return op(`${type}.${which}`, costs[which]);
}

export function submit(
  catalog: Catalog,
  output: 'perf_buffer' | 'ringbuf',
  bytes: number,
  opts: { sample?: number; batch?: number; cost?: Dist } = {},
): Step {
  const batch = opts.batch ?? 1;
  return {
    kind: 'submit',
    bytes,
    sample: opts.sample ?? 1,
    batch,
    flushTimeout: Infinity,
    cost: opts.cost ?? sizeCost(catalog.submit[output], bytes * batch),
    batchAddCost: catalog.submit.batchAdd,
  };
}

export function aggregate(catalog: Catalog, map: MapSpec): Step {
  const costs = catalog.maps[map.type];
  if (!costs) throw new Error(`catalog has no maps.${map.type}`);
  return { kind: 'aggregate', map: map.name, cost: costs.update };
}

export function probe(catalog: Catalog, attach: string, program: Step[], opts: { hitsPerPacket?: number; entry?: Dist; exit?: Dist } = {}): Probe {
  const costs = catalog.attach[attach];
  return {
    name: `${attach}-probe`,
    attach,
    entry: opts.entry ?? costs.entry,
    exit: opts.exit ?? costs.exit,
    hitsPerPacket: opts.hitsPerPacket ?? 1,
    program,
  };
}

export function perfOutput(catalog: Catalog, opts: { pageCnt?: number; wakeupEvents?: number } = {}): Output {
  const pageCnt = opts.pageCnt ?? 8;
  return {
    type: 'perf_buffer',
    pageCnt,
    ringBytes: pageCnt * catalog.pageSize,
    wakeupEvents: opts.wakeupEvents ?? 1,
    watermarkBytes: (pageCnt * catalog.pageSize) / 2,
    onFull: 'drop',
    failedCost: catalog.submit.failed,
    wakeup: catalog.wakeup.perf_buffer,
    pageSize: catalog.pageSize,
  };
}

export function ringbufOutput(catalog: Catalog, opts: { size?: number; notify?: 'adaptive' | 'force' | 'none' } = {}): Output {
  const size = opts.size ?? 256 * 1024;
  return {
    type: 'ringbuf',
    size,
    ringBytes: size,
    notify: opts.notify ?? 'adaptive',
    lock: catalog.ringbufLock,
    onFull: 'drop',
    failedCost: catalog.submit.failed,
    wakeup: catalog.wakeup.ringbuf,
    pageSize: catalog.pageSize,
  };
}

export interface ScenarioOptions {
  kernel?: string;
  cpus?: number;
  hostCpus?: number;
  rate?: number;
  arrival?: Scenario['traffic']['arrival'];
  service?: Dist;
  probes?: Probe[];
  output?: Output;
  runtime?: 'bcc-python' | 'libbpf';
  callback?: 'simple' | 'medium' | 'complex' | Dist;
  /** Replaces read/decode/callback/log (e.g. the seed's lump "3 us per event"). */
  perEvent?: Scenario['consumer']['perEvent'];
  pollTimeout?: number;
  logBytes?: number;
  maps?: MapSpec[];
}

export function scenario(catalog: Catalog, o: ScenarioOptions = {}): Scenario {
  const kernel = parseKernel(o.kernel ?? '5.15');
  if (!kernel) throw new Error(`bad kernel ${o.kernel}`);
  const runtime = o.runtime ?? 'bcc-python';
  const c = catalog.consumer[runtime];
  const callback = o.callback ?? 'medium';
  const cpus = o.cpus ?? 4;
  return {
    name: 'fixture',
    seed: 1,
    kernel,
    cpus,
    traffic: {
      arrival: o.arrival ?? 'poisson',
      rate: o.arrival === 'saturate' ? 0 : (o.rate ?? 100_000),
      duration: 1e9,
      warmup: 5e7,
      rss: 'random',
    },
    datapath: { service: o.service ?? ns(800), rxQueue: 1024 },
    probes: o.probes ?? [],
    jit: true,
    output: o.output ?? perfOutput(catalog),
    consumer: {
      runtime,
      reader: runtime === 'bcc-python' ? 'perf-per-record' : 'perf-batch',
      cpu: 'dedicated',
      pollTimeout: o.pollTimeout ?? Infinity,
      pollCost: c.pollCost,
      wakeCost: c.wakeCost,
      perEvent: o.perEvent ?? {
        read: c.read,
        decode: c.decode,
        callback: typeof callback === 'string' ? c.callback[callback] : callback,
        log: c.log,
      },
      lostCost: c.lost,
      logBytes: o.logBytes ?? 227,
      aggregateRead: { interval: 1e9, perEntry: c.aggregatePerEntry, entries: 0, logBytesPerRead: 0 },
    },
    maps: o.maps ?? [],
    memory: {
      base: c.baseMemory,
      jitPerProgram: catalog.memory.jitPerProgram,
      other: catalog.memory.other,
      hostCpus: o.hostCpus ?? cpus,
    },
    interval: 1e7,
    catalog: catalog.profile,
  };
}
