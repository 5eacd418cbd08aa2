/**
 * A model is untrusted input: the paths it names (model, catalog, extends, trace, experiment)
 * are read only when they are regular files of a bounded size, and no error prints a file's
 * contents. Two probes never share a random stream.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProbePlanner } from '../src/datapath/program.js';
import { Streams } from '../src/engine/rng.js';
import { formatProblem } from '../src/model/errors.js';
import { loadModel, loadModelObject } from '../src/model/load.js';
import { MAX_MODEL_FILE_BYTES, readUserFile, UserFileError } from '../src/model/user-file.js';
import { modelErrorMessage } from './helpers/errors.js';

const SECRET = 'hunter2-a-secret-that-must-not-leak';
const MODEL = 'name: m\ntraffic: { rate: 100k, duration: 10ms }\ndatapath: { service: 800ns }\n';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'bpfsim-input-'));
}

describe('reading user files', () => {
  it('refuses devices, directories and FIFOs at once, without reading them', () => {
    const dir = tmp();
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const cases: [string, RegExp][] = [
      ['/dev/zero', /\ba device\b/],
      ['/dev/urandom', /\ba device\b/],
      [dir, /\ba directory\b/],
      [fifo, /\ba FIFO\b/],
      [join(dir, 'missing.yaml'), /\bno such file\b/],
    ];
    for (const [path, found] of cases) {
      expect(modelErrorMessage(() => loadModel({ file: path }))).toMatch(found);
      expect(modelErrorMessage(() => loadModel({ text: MODEL, catalog: path }))).toMatch(found);
      const m = `${MODEL.replace('rate: 100k, ', `arrival: trace, trace: ${JSON.stringify(path)}, `)}`;
      expect(modelErrorMessage(() => loadModel({ text: m, file: join(dir, 'm.yaml') }))).toMatch(found);
    }
  });

  it('refuses a file larger than the limit, whatever its size claims', () => {
    const dir = tmp();
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `${MODEL}description: "${'x'.repeat(MAX_MODEL_FILE_BYTES)}"\n`);
    expect(modelErrorMessage(() => loadModel({ file: big }))).toMatch(/got a file larger than 1 MiB/);
    // /proc files report size 0: the limit holds on the bytes read.
    expect(() => readUserFile('/proc/self/maps', 16)).toThrow(UserFileError);
  });

  it('a catalog, an extends or a trace naming another file never prints that file', () => {
    const dir = tmp();
    const secretFile = join(dir, 'secrets');
    writeFileSync(secretFile, `user:${SECRET}:0:0\nother: line\n`.repeat(20));
    writeFileSync(join(dir, 'env'), `A=${SECRET}\0B=2\0`);
    writeFileSync(join(dir, 'config.yaml'), `password: ${SECRET}\ntoken: ${SECRET}\n`);
    writeFileSync(join(dir, 'child.yaml'), 'extends: secrets\n');
    const messages = [
      modelErrorMessage(() => loadModel({ text: `${MODEL}catalog: secrets\n`, file: join(dir, 'm.yaml') })),
      modelErrorMessage(() => loadModel({ text: `${MODEL}catalog: env\n`, file: join(dir, 'm.yaml') })),
      modelErrorMessage(() => loadModel({ text: `${MODEL}catalog: config.yaml\n`, file: join(dir, 'm.yaml') })),
      modelErrorMessage(() => loadModel({ text: `${MODEL}catalog: child.yaml\n`, file: join(dir, 'm.yaml') })),
      modelErrorMessage(() => loadModel({ text: MODEL.replace('rate: 100k, ', 'arrival: trace, trace: secrets, '), file: join(dir, 'm.yaml') })),
      modelErrorMessage(() => loadModel({ file: secretFile })),
      modelErrorMessage(() => loadModel({ text: MODEL, catalog: join(dir, 'env') })),
    ];
    for (const m of messages) {
      expect(m).not.toContain(SECRET);
      for (const line of m.split('\n')) expect(line.length).toBeLessThan(400);
    }
  });

  it('a problem line is one line even when a value holds newlines', () => {
    const line = formatProblem({ file: 'm.yaml', path: 'name', expected: 'text', found: 'a\nb\rc' });
    expect(line).toBe('m.yaml: name: expected text, got a b c');
  });

  it('an experiment file is read by the same rules', async () => {
    const { loadExperiment } = await import('../src/experiments/load.js');
    expect(modelErrorMessage(() => loadExperiment('/dev/zero'))).toMatch(/got a device/);
  });
});

describe('experiment files', () => {
  it('replications are bounded like --replications', async () => {
    const { parseExperiment } = await import('../src/experiments/load.js');
    const text = 'title: t\nquestion: q\nclaim: c\nmodel: ../models/tools/tracer-naive.yaml\nreplications: 1000000000\nruns:\n  - { name: a, points: { p: {} } }\n';
    expect(modelErrorMessage(() => parseExperiment(text, 'e.yaml', join(tmp(), 'e.yaml')))).toMatch(/replications: expected a number <= 10000, got 1000000000/);
  });
});

describe('YAML documents', () => {
  it('a second document after --- is an error in models, catalogs and experiments', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'c.yaml'), 'extends: default\n---\nattach: {}\n');
    expect(modelErrorMessage(() => loadModel({ text: `${MODEL}---\ncpus: 64\n` }))).toMatch(/one YAML document/);
    expect(modelErrorMessage(() => loadModel({ text: MODEL, catalog: join(dir, 'c.yaml') }))).toMatch(/one YAML document/);
    const { parseExperiment } = await import('../src/experiments/load.js');
    expect(modelErrorMessage(() => parseExperiment('title: x\n---\ntitle: y\n', 'e.yaml', join(dir, 'e.yaml')))).toMatch(/one YAML document/);
  });
});

describe('probe random streams', () => {
  it('two probes with the same name draw from different streams', () => {
    const base = {
      name: 'two probes',
      traffic: { rate: '100k', duration: '10ms' },
      datapath: { service: '800ns' },
      probes: [
        { name: 'a', attach: 'kprobe', hitsPerPacket: 0.5 },
        { name: 'b', attach: 'kprobe', hitsPerPacket: 0.5 },
      ],
    };
    const { scenario } = loadModelObject(base, 'm.yaml');
    scenario.probes[1].name = 'a'; // as a model could ask before names were checked
    const names: string[] = [];
    class Recording extends Streams {
      override get(name: string) {
        names.push(name);
        return super.get(name);
      }
    }
    new ProbePlanner(scenario, new Recording(1), 0);
    const probeStreams = names.filter((n) => n.includes(':a'));
    expect(probeStreams).toHaveLength(2);
    expect(new Set(probeStreams).size).toBe(2);
  });

  it('duplicate probe names are refused', () => {
    const m = { name: 'x', traffic: { rate: '100k' }, datapath: { service: '800ns' }, probes: [{ name: 'p', attach: 'kprobe' }, { name: 'p', attach: 'fentry' }] };
    expect(modelErrorMessage(() => loadModelObject(m, 'm.yaml'))).toMatch(/probes\[1\]\.name: expected a probe name not used before/);
  });
});

describe('command-line overrides', () => {
  it('--set costs.__proto__ is refused like any unknown catalog path, and pollutes nothing', () => {
    expect(modelErrorMessage(() => loadModel({ text: MODEL, set: ['costs.__proto__={polluted: 1}'] }))).toMatch(/^--set: costs\.__proto__: expected a catalog path, got "__proto__"/);
    expect(modelErrorMessage(() => loadModel({ text: MODEL, set: ['__proto__={polluted: 1}'] }))).toMatch(/^--set: __proto__: unknown field/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('--set kernel=4.19 and kernel=5.10 are versions, not numbers', () => {
    expect(loadModel({ text: MODEL, set: ['kernel=4.19'] }).scenario.kernel.version).toBe('4.19');
    expect(loadModel({ text: MODEL, set: ['kernel=5.10'] }).scenario.kernel.version).toBe('5.10');
    expect(loadModel({ text: MODEL, set: ['kernel="5.10"'] }).scenario.kernel.version).toBe('5.10');
    // In a file YAML has already read 5.10 as 5.1: the model asks for quotes there.
    expect(modelErrorMessage(() => loadModel({ text: `${MODEL}kernel: 5.10\n` }))).toMatch(/write it in quotes/);
  });

  it('--duration shorter than the model\'s warm-up blames --duration, not the model file', () => {
    const text = MODEL.replace('duration: 10ms', 'duration: 1s, warmup: 50ms');
    const message = modelErrorMessage(() => loadModel({ text, file: 'm.yaml', duration: '10ms' }));
    expect(message).toBe('--duration: expected a duration longer than the model\'s warm-up (50.0 ms), got "10ms" (hint: give --duration above 50.0 ms, or also --set traffic.warmup=...)');
    expect(loadModel({ text, duration: '100ms' }).scenario.traffic.duration).toBe(100e6);
  });
});
