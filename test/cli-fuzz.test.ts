/**
 * The built CLI against random and mutated models (fast-check): whatever the input, `bpfsim run`
 * ends with exit 0 (it simulated) or 2 (one line per problem), never a stack trace or an
 * internal error, never a hang. Mutants start from the shipped models, shortened to 2 ms so a
 * mutant that stays valid runs in a moment; a mutant that asks for an absurd run must be refused
 * (the --force rule), not run for hours. The loader-level property test lives with the model
 * engineer's tests; this one goes through the real process boundary.
 *
 * More runs: BPFSIM_FUZZ_RUNS=500 npx vitest run test/cli-fuzz.test.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/bpfsim.js');
const RUNS = Number(process.env.BPFSIM_FUZZ_RUNS ?? 30);
/** A run of a valid 2 ms mutant takes well under a second; this only catches a real hang. */
const HANG_MS = 60_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The shipped models, each shortened to 2 ms of traffic. */
function baseModels(): { name: string; model: Json }[] {
  const files = [join(ROOT, 'models/default.yaml'), ...readdirSync(join(ROOT, 'models/tools')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'models/tools', f))];
  return files.map((file) => {
    const model = parse(readFileSync(file, 'utf8')) as { [k: string]: Json };
    const traffic = model.traffic as { [k: string]: Json } | undefined;
    if (traffic && typeof traffic === 'object') {
      traffic.duration = '2ms';
      traffic.warmup = '200us';
    }
    return { name: file.slice(ROOT.length), model };
  });
}

/** Every path in a JSON tree (keys and indices), parents before children. */
function pathsOf(node: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (node !== null && typeof node === 'object') {
    for (const [k, v] of Array.isArray(node) ? node.entries() : Object.entries(node)) {
      const p = [...at, k];
      out.push(p);
      pathsOf(v as Json, p, out);
    }
  }
  return out;
}

function parentOf(root: Json, path: (string | number)[]): { [k: string]: Json } | Json[] {
  let node = root as { [k: string]: Json };
  for (const k of path.slice(0, -1)) node = node[k as string] as { [k: string]: Json };
  return node;
}

// Values that have broken parsers before: units, signs, huge and tiny, wrong types, unicode.
const nasty: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    0, -1, 1, 0.5, 1e300, -1e300, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER,
    '', ' ', 'NaN', 'Infinity', '-Infinity', '1e400', '-1ms', '0ns', '1s', '100ms', '5us', '1e-9ns',
    '1M', '10k', '1.5G', '4MiB', '256KiB', '3 pages', '50-100ns', '100-50ns', '5..10ns', '10Q', '0x10', '１２',
    'kprobe', 'fentry', 'ringbuf', 'perf_buffer', 'saturate', 'bursty', 'trace', 'shared', 'block',
    null, true, false, [], {}, [1, 2], { dist: 'lognormal', mean: '1us', cv: 0.3 }, { dist: 'exponential' }, { dist: 'weird', mean: 1 },
  ),
  fc.string({ maxLength: 12 }),
  fc.double({ noNaN: false }),
  fc.integer(),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 2 }),
);

type Mutation =
  | { op: 'delete'; pick: number }
  | { op: 'replace'; pick: number; value: Json }
  | { op: 'rename'; pick: number; suffix: string }
  | { op: 'add'; pick: number; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: nasty }),
  fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: nasty }),
  fc.record({ op: fc.constant('rename' as const), pick: fc.nat(), suffix: fc.constantFrom('s', '_', 'X', '') }),
  fc.record({ op: fc.constant('add' as const), pick: fc.nat(), key: fc.constantFrom('rate', 'dist', 'bytes', 'extra', 'pageCnt', 'batch'), value: nasty }),
);

function mutate(model: Json, m: Mutation): Json {
  const root = structuredClone(model);
  const paths = pathsOf(root);
  if (paths.length === 0) return m.op === 'replace' ? m.value : root;
  const path = paths[m.pick % paths.length];
  const parent = parentOf(root, path);
  const key = path[path.length - 1];
  if (Array.isArray(parent)) {
    const i = key as number;
    if (m.op === 'delete') parent.splice(i, 1);
    else if (m.op === 'replace') parent[i] = m.value;
    else if (m.op === 'add') parent.splice(i, 0, m.value);
    else parent[i] = [parent[i]];
    return root;
  }
  const k = key as string;
  if (m.op === 'delete') delete parent[k];
  else if (m.op === 'replace') parent[k] = m.value;
  else if (m.op === 'add') {
    const target = parent[k];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[m.key] = m.value;
    else parent[m.key] = m.value;
  } else {
    const v = parent[k];
    delete parent[k];
    parent[k.slice(0, Math.max(1, k.length - 1)) + m.suffix] = v;
  }
  return root;
}

/** Damage to the text itself: cut it, or splice in YAML-significant characters. */
const textDamage = fc.option(
  fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    kind: fc.constantFrom('truncate', 'insert'),
    text: fc.oneof(fc.constantFrom(':', '{', '[', '- ', '\t', '"', "'", '&a', '*a', '!!binary', '\n  x:', '#', '|', '\u0000', '\uFEFF'), fc.string({ maxLength: 8 })),
  }),
  { freq: 4 },
);

const extraArgs = fc.constantFrom<string[]>([], [], [], ['--seed', '-1'], ['--seed', '7'], ['--duration', 'abc'], ['--duration', '1ms'], ['--set', 'traffic.rate=1e12'], ['--set', 'nosuch.field=1'], ['--set', 'cpus'], ['--catalog', 'nonexistent'], ['--catalog', 'seed'], ['--json']);

describe('the built CLI never crashes or hangs on bad models', () => {
  const bases = baseModels();
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-fuzz-'));

  it(`${RUNS} random models and mutants of ${bases.length} shipped ones: exit 0 or 2, no stack trace, no hang`, () => {
    expect(existsSync(join(ROOT, 'dist/cli/main.js')), 'dist/ is missing: run `npm run build` first').toBe(true);
    let n = 0;
    const exits = { 0: 0, 2: 0 };
    fc.assert(
      fc.property(
        // Mostly mutants of real models (they get deep into validation); some random JSON.
        fc.oneof(
          { weight: 4, arbitrary: fc.record({ b: fc.nat({ max: bases.length - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) }) },
          { weight: 1, arbitrary: fc.record({ random: fc.jsonValue({ maxDepth: 3 }) }) },
        ),
        fc.boolean(),
        textDamage,
        extraArgs,
        (source, asJson, damage, extra) => {
          let model: Json;
          let origin: string;
          if ('random' in source) {
            model = source.random as Json;
            origin = 'a random JSON value';
          } else {
            model = bases[source.b].model;
            for (const m of source.mutations) model = mutate(model, m);
            origin = `${bases[source.b].name} mutated`;
          }
          let text = asJson ? JSON.stringify(model, null, 1) : stringify(model);
          if (damage) {
            const at = Math.floor(damage.at * text.length);
            text = damage.kind === 'truncate' ? text.slice(0, at) : text.slice(0, at) + damage.text + text.slice(at);
          }
          const file = join(dir, `mutant-${n++}.${asJson ? 'json' : 'yaml'}`);
          writeFileSync(file, text);
          const r = spawnSync(process.execPath, [BIN, 'run', file, ...extra], {
            encoding: 'utf8',
            timeout: HANG_MS,
            env: { ...process.env, NO_COLOR: '1', BPFSIM_DEBUG: '' },
          });
          const why = `${origin} (${file}):\n${text.slice(0, 2000)}\nargs: ${extra.join(' ')}\nexit ${r.status} signal ${r.signal}\nstderr:\n${r.stderr}`;
          if (r.error || r.signal !== null) throw new Error(`no clean exit (hang or crash): ${r.error?.message ?? r.signal}\n${why}`);
          if (r.status !== 0 && r.status !== 2) throw new Error(`exit ${r.status}, expected 0 or 2\n${why}`);
          if (/^\s+at .+[:(]/m.test(r.stderr)) throw new Error(`a stack trace\n${why}`);
          if (/internal error/i.test(r.stderr)) throw new Error(`an internal error\n${why}`);
          if (r.status === 2) {
            if (r.stderr.trim() === '') throw new Error(`exit 2 with nothing said\n${why}`);
            for (const line of r.stderr.trimEnd().split('\n')) if (line.trim() === '') throw new Error(`a blank line in the problems\n${why}`);
          } else if (r.stdout.trim() === '') {
            throw new Error(`exit 0 with no output\n${why}`);
          }
          exits[r.status as 0 | 2]++;
        },
      ),
      { numRuns: RUNS, seed: 20260523, endOnFailure: true },
    );
    // Both outcomes occur: the mutants are neither all valid nor all rejected.
    expect(exits[0]).toBeGreaterThan(0);
    expect(exits[2]).toBeGreaterThan(0);
  }, 600_000);

  it('an absurdly long run is refused with its size and the --force hint, and --force lifts it', () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, readFileSync(join(ROOT, 'models/default.yaml'), 'utf8'));
    const r = spawnSync(process.execPath, [BIN, 'run', file, '--duration', '1000s'], { encoding: 'utf8', timeout: HANG_MS });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/would simulate 4\.00e8 packets/);
    expect(r.stderr).toMatch(/--force/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // With --force it simulates instead: still busy after two seconds (stopped there).
    const forced = spawnSync(process.execPath, [BIN, 'run', file, '--duration', '1000s', '--force'], { encoding: 'utf8', timeout: 2000 });
    expect(forced.signal).toBe('SIGTERM');
    expect(forced.stderr).toBe('');
  }, 60_000);
});
