/**
 * The simulator's model of one recorded validation run: the same producer (one data-path
 * CPU whose service time is the run's own bare call cost, flat out or paced), the same
 * traced program and buffer, the same reader (runtime, per-event cost, loop, CPU placement,
 * background load), on the host class asked for. Nothing is fitted to the run.
 *
 * Mechanisms this simulator version cannot express (a model field it does not know) are
 * dropped from the model and named, so a comparison says what it could not model instead of
 * silently modelling something else.
 */
import { loadModelObject, type LoadedModel } from '../model/load.js';
import { ModelError } from '../model/errors.js';
import { runScenario } from '../simulation/simulate.js';
import type { Result } from '../result.js';
import type { ValidateRecord } from './records.js';

import type { HostClass } from './host-class.js';
export type { HostClass };

export interface CellModelOptions {
  kernel: string;
  /** Catalog name or profile path. */
  catalog: string;
  /** The host class to simulate; undefined leaves the model's default. */
  host?: HostClass;
  /** Simulated duration cap, ms (flat-out cells reach steady state quickly). */
  maxMs?: number;
  /** Extra catalog overrides (path -> value), e.g. a deliberately broken cost in a test. */
  costs?: Record<string, string>;
}

/** "6.18.44-fc-v669" -> "6.18". */
export function kernelVersion(release: string): string {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? `${m[1]}.${m[2]}` : release;
}

/** The grid fields with their defaults, for records written before the grid existed. */
export function setupOf(r: ValidateRecord) {
  const s = r.setup;
  return {
    ...s,
    wakeupEvents: s.wakeupEvents ?? 1,
    notify: s.notify ?? 'adaptive',
    loop: s.loop ?? 'poll',
    sleepMs: s.sleepMs ?? 10,
    place: s.place ?? 'own',
    loadPct: s.loadPct ?? 0,
    reader: s.reader ?? 'c',
  };
}

/** The model object of one run (seed = the repetition's index, so replications differ). */
export function cellModel(r: ValidateRecord, o: CellModelOptions, seed: number): Record<string, unknown> {
  const s = setupOf(r);
  const ms = Math.min(s.ms, o.maxMs ?? s.ms);
  const python = s.reader === 'python';
  const consumer: Record<string, unknown> = {
    runtime: python ? 'bcc-python' : 'libbpf',
    callback: `${s.costNs}ns`,
    // own CPU (also beside a background load) or the producer's
    cpu: s.place === 'same' ? 'shared' : 'dedicated',
    pollTimeout: '100ms',
    logBytes: 0,
  };
  if (s.loop === 'consume-sleep') {
    consumer.loop = 'consume-sleep';
    consumer.sleepInterval = `${s.sleepMs}ms`;
  }
  if (s.place === 'loaded') consumer.hostLoad = `${s.loadPct}%`;
  const output = s.buffer === 'ringbuf'
    ? { type: 'ringbuf', size: s.rbBytes, notify: s.notify === 'nowake' ? 'none' : s.notify }
    : { type: 'perf_buffer', pageCnt: s.pages, wakeupEvents: s.wakeupEvents };
  // The real reader's callback counts and spins: it decodes (Python: BCC's ct.cast) and logs nothing.
  const costs: Record<string, string> = python
    ? { 'consumer.bcc-python.log': '0ns' }
    : { 'consumer.libbpf.decode': '0ns', 'consumer.libbpf.log': '0ns' };
  const model: Record<string, unknown> = {
    name: `validate ${r.name}`,
    kernel: o.kernel,
    cpus: 1,
    seed,
    traffic: {
      ...(s.mode === 'flat' ? { arrival: 'saturate' } : { arrival: 'constant', rate: s.rate }),
      duration: `${ms}ms`,
      warmup: `${Math.max(1, Math.round(ms / 10))}ms`,
    },
    // a syscall loop: the data path is a task, which the reader's task can share a CPU with
    datapath: { service: `${Math.max(1, r.serviceNs).toFixed(1)}ns`, rxQueue: 100000, context: 'task' },
    probes: [{
      name: 'getpgid',
      attach: s.attach,
      program: [
        { helper: 'get_current_pid_tgid' },
        { map: { type: 'percpu_array', op: 'lookup' } },
        { helper: 'ktime_get_ns' },
        { submit: { bytes: s.size } },
      ],
    }],
    output,
    consumer,
    costs: { ...costs, ...(o.costs ?? {}) },
  };
  if (o.host) model.host = o.host;
  return model;
}

/** What a dropped model field meant, for the "not modelled" note. */
const MECHANISM: Record<string, string> = {
  host: 'the host class (vm costs)',
  'datapath.context': 'the data path as a schedulable task',
  'consumer.loop': 'the consume-sleep reader loop',
  'consumer.sleepInterval': 'the consume-sleep interval',
  'consumer.hostLoad': 'background load beside the reader',
};

function unknownFields(err: ModelError): string[] | undefined {
  const paths = err.problems.map((p) => (/unknown field/.test(`${p.expected} ${p.found}`) && p.path in MECHANISM ? p.path : undefined));
  return paths.every((p) => p !== undefined) ? (paths as string[]) : undefined;
}

function dropPath(obj: Record<string, unknown>, path: string): void {
  const parts = path.split('.');
  let at: Record<string, unknown> = obj;
  for (const p of parts.slice(0, -1)) at = at[p] as Record<string, unknown>;
  delete at[parts[parts.length - 1]];
}

export interface LoadedCell {
  loaded: LoadedModel;
  /** Mechanisms of the set-up this simulator could not model (their fields were dropped). */
  notModelled: string[];
}

/** The run's model, loaded; fields this simulator does not know are dropped and named. */
export function loadCellModel(r: ValidateRecord, o: CellModelOptions, seed: number): LoadedCell {
  const model = cellModel(r, o, seed);
  const notModelled: string[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      return { loaded: loadModelObject(model, `<validate ${r.name}>`, { force: true, catalog: o.catalog }), notModelled };
    } catch (err) {
      const unknown = err instanceof ModelError && attempt === 0 ? unknownFields(err) : undefined;
      if (!unknown) throw err;
      for (const p of unknown) {
        dropPath(model, p);
        notModelled.push(MECHANISM[p]);
      }
    }
  }
}

export interface SimulatedRun {
  result: Result;
  notModelled: string[];
}

export function simulateRun(r: ValidateRecord, o: CellModelOptions, seed: number): SimulatedRun {
  const { loaded, notModelled } = loadCellModel(r, o, seed);
  return { result: runScenario(loaded.scenario, loaded.catalog), notModelled };
}
