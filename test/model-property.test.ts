/**
 * Robustness: random and mutated models either load into a sane Scenario or fail with a
 * ModelError of one-line problems. Never another exception, never a hang.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distProblem } from '../src/distributions/sampler.js';
import type { Dist } from '../src/distributions/types.js';
import { formatProblem, ModelError } from '../src/model/errors.js';
import { DEFAULT_MODEL_PATH, loadModel, loadModelObject, parseModelText, type LoadOptions } from '../src/model/load.js';
import type { Scenario } from '../src/model/scenario.js';

const TOOLS = fileURLToPath(new URL('../models/tools/', import.meta.url));

/** The models mutations start from: the default model and every tool model. */
const seeds: { file: string; raw: Record<string, unknown> }[] = [DEFAULT_MODEL_PATH, ...readdirSync(TOOLS).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(TOOLS, f))].map(
  (file) => ({ file, raw: parseModelText(readFileSync(file, 'utf8'), file) }),
);

function isDist(x: unknown): x is Dist {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string' && !('body' in x) && !('program' in x) && !('cost' in x);
}

/** Everything the simulator relies on: finite numbers where they must be, valid distributions. */
function checkScenario(s: Scenario): void {
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'number') {
      expect(Number.isNaN(v), path).toBe(false);
      if (!/pollTimeout|flushTimeout/.test(path)) expect(Number.isFinite(v), path).toBe(true);
      return;
    }
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (typeof v === 'object' && v !== null) {
      if (isDist(v)) expect(distProblem(v), `${path}: ${JSON.stringify(v)}`).toBeUndefined();
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    }
  };
  walk(s, 'scenario');
  expect(Number.isInteger(s.cpus) && s.cpus >= 1 && s.cpus <= 1024).toBe(true);
  expect(s.traffic.duration).toBeGreaterThan(s.traffic.warmup);
  expect(s.traffic.warmup).toBeGreaterThanOrEqual(0);
  expect(s.interval).toBeGreaterThan(0);
  if (s.traffic.arrival !== 'saturate' && s.traffic.arrival !== 'trace') expect(s.traffic.rate).toBeGreaterThan(0);
  if (s.output.type === 'perf_buffer') expect(Math.log2(s.output.pageCnt) % 1).toBe(0);
  else expect(s.output.size % s.output.pageSize).toBe(0);
}

/** Runs a load; returns 'ok' or 'error', failing the property on any other exception. */
function outcome(load: () => { scenario: Scenario }): 'ok' | 'error' {
  try {
    checkScenario(load().scenario);
    return 'ok';
  } catch (e) {
    if (e instanceof ModelError) {
      expect(e.problems.length).toBeGreaterThan(0);
      for (const p of e.problems) expect(formatProblem(p)).not.toContain('\n');
      return 'error';
    }
    throw e;
  }
}

// ---- mutations -----------------------------------------------------------------------------

type Seg = string | number;

/** Every path to a value inside `v` (objects and lists included). */
function paths(v: unknown, prefix: Seg[] = [], out: Seg[][] = []): Seg[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function parentOf(root: unknown, path: Seg[]): Record<string | number, unknown> | undefined {
  let node = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  return typeof node === 'object' && node !== null ? node : undefined;
}

const interesting = fc.oneof(
  fc.constantFrom(
    NaN, Infinity, -Infinity, -1, 0, -0, 0.5, 1, 3, 12, 64, 1e300, 2 ** 53, 1e-300, 4096, 1e9,
    '1.5us', '400k', '1.2 Mpps', '256KiB', '50-100ns', '100-50ns', '-1', 'infinite', '0ns', '1e400s',
    'ringbuf', 'perf_buffer', 'kprobe', 'fentry', 'hash', 'lookup', 'saturate', 'bursty', 'trace',
    'libbpf', 'simple', 'shared', '4.19.90-openeuler', '5.2', 'k', '', ' ', '\u0000', 'µs',
    true, false, null,
    { dist: 'lognormal', mean: '1us', cv: 0.3 }, { dist: 'empirical', values: [] }, { dist: 'empirical', values: [1, 2], weights: [0, 0] },
    { dist: 'uniform', min: 5, max: 1 }, { dist: 'gamma', mean: 0, cv: 0 }, { dist: 'normal', mean: -5, sd: 1 },
    { loop: { count: 3, body: [{ insns: 5 }] } }, { submit: { bytes: 64, batch: 8 } }, { aggregate: { map: 'x' } },
    [], {}, [1, 2, 3],
  ),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 12 }),
  fc.jsonValue({ maxDepth: 2 }),
);

type Mutation = { at: number; kind: 'replace' | 'delete' | 'rename' | 'duplicate'; value: unknown; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('replace', 'replace', 'delete', 'rename', 'duplicate'),
  value: interesting,
  key: fc.constantFrom('name', 'type', 'rate', 'pageCnt', 'size', 'batch', 'count', 'x', 'cost', 'pass'),
});

function mutate(raw: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  const root = structuredClone(raw);
  for (const m of mutations) {
    const all = paths(root).filter((p) => p.length > 0);
    if (all.length === 0) break;
    const path = all[m.at % all.length];
    const parent = parentOf(root, path);
    if (!parent) continue;
    const last = path[path.length - 1];
    if (m.kind === 'replace') parent[last] = structuredClone(m.value);
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
    } else if (m.kind === 'rename' && !Array.isArray(parent)) {
      parent[m.key] = parent[last];
      if (m.key !== last) delete parent[last];
    } else if (m.kind === 'duplicate' && Array.isArray(parent)) {
      parent.push(structuredClone(parent[last as number]));
    }
  }
  return root;
}

describe('loading never throws anything but ModelError', () => {
  it('has models to mutate', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(1);
  });

  it('mutated models', { timeout: 60_000 }, () => {
    const seen = { ok: 0, error: 0 };
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, ms) => {
        const seed = seeds[which % seeds.length];
        seen[outcome(() => loadModelObject(mutate(seed.raw, ms), seed.file))]++;
      }),
      { numRuns: 600, seed: 20240917 },
    );
    // Both sides are exercised: some mutations are harmless, most are not.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(0);
  });

  it('random objects', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ maxDepth: 3 }), fc.dictionary(fc.constantFrom('name', 'traffic', 'datapath', 'probes', 'output', 'consumer', 'maps', 'costs', 'kernel'), interesting)), (obj) => {
        outcome(() => loadModelObject(obj, 'random.yaml'));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('random text', { timeout: 30_000 }, () => {
    const yamlish = fc.array(fc.constantFrom('name: x\n', 'traffic:\n', '  rate: 1k\n', '- ', '{', '}', '[', ']', ': ', '"', "'", '&a ', '*a ', '!!binary ', '---\n', '...\n', '#', '\t', '\u0000', '\uFEFF', 'é', '\n'), { maxLength: 30 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), yamlish), (text) => {
        outcome(() => loadModel({ text }));
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  it('random --set assignments on the default model', { timeout: 60_000 }, () => {
    const defaultRaw = seeds[0].raw;
    const pathsOfDefault = paths(defaultRaw).filter((p) => p.length > 0).map((p) => p.reduce<string>((s, seg) => (typeof seg === 'number' ? `${s}[${seg}]` : s ? `${s}.${seg}` : seg), ''));
    const assignment = fc.tuple(
      fc.oneof(fc.constantFrom(...pathsOfDefault, 'costs.wakeup.perf_buffer.producer', 'metrics.interval', 'output.nope', 'probes[9].name', 'a[', '=', ''), fc.string({ maxLength: 10 })),
      fc.oneof(fc.constantFrom('64', '1.2M', 'true', '{dist: exponential, mean: 1us}', '[1, 2]', '', '{', 'null', '-1', '.nan', '1e400'), fc.string({ maxLength: 10 })),
    ).map(([p, v]) => `${p}=${v}`);
    fc.assert(
      fc.property(fc.array(assignment, { maxLength: 3 }), (set) => {
        const opts: LoadOptions = { set };
        outcome(() => loadModel(opts));
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
