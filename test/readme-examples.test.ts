/**
 * Every example in README.md and the sub-READMEs runs, as written, through the built CLI: a
 * README example that fails fails the build. What the test changes is listed in OVERRIDES with
 * its reason (shorter runs for long examples); examples that need root and real eBPF, or that
 * install or benchmark, are checked for parsing only (every option they use exists), with the
 * reason. Output shown after `<!-- output of: CMD -->` must be what CMD prints. Every path the
 * documents point at exists in the repository.
 *
 * Runs `node bin/bpfsim.js` through a `bpfsim` shim on PATH (build first: `npm run build`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCatalog } from '../src/model/catalog.js';
import { loadModel } from '../src/model/load.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DOCS = [
  'README.md', 'calibrate/README.md', 'experiments/README.md', 'bench/README.md', 'models/catalog/README.md', 'src/validate/README.md',
  // docs/: the tutorial, the how-to guides, the reference and the explanations
  ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`),
];

/** Changes the test makes to an example, each with its reason. Key: the command as written. */
const OVERRIDES: Record<string, { append?: string; replace?: string; parseOnly?: string; because: string }> = {
  'npm ci && npm link && bpfsim run': { parseOnly: 'install', because: 'the test suite runs inside the installation this line makes; .ci/run runs it as written' },
  'bash .ci/run': { parseOnly: 'install', because: 'it runs this test suite' },
  'bpfsim sweep models/tools/tracer-naive.yaml --vary output.pageCnt=8..256x2 --vary traffic.rate=100k,200k,400k': {
    append: '--duration 50ms', because: '18 points x 5 replications of 500 ms take ~20 s; 50 ms runs the same grid',
  },
  'seq 0 7 | xargs -P4 -I{} bpfsim sweep models/tools/tracer-naive.yaml --vary output.pageCnt=8..1024x2 --vary traffic.rate=100k..1600kx2 --replications 10 --jobs 1 --shard {}/8 --part parts/part-{}.json': {
    append: '--duration 20ms --replications 2', because: '40 points x 10 replications of up to 1.6M packets/s take minutes; the shards and the merge are what is shown',
  },
  'bpfsim sweep models/tools/tracer-naive.yaml --vary output.pageCnt=8..1024x2 --replications 10 --jobs "$SLURM_CPUS_PER_TASK" --shard "$SLURM_ARRAY_TASK_ID/8" --part "parts/part-$SLURM_ARRAY_TASK_ID.json"': {
    append: '--duration 20ms --replications 2', because: 'one array task (index 0 of 8, SLURM_* set by the test), shortened',
  },
  'sudo bpfsim calibrate --out my-host.yaml': { parseOnly: 'calibrate', because: 'needs root and real eBPF (.ci/run calibrates this host)' },
  'bpfsim run models/tools/tracer-naive.yaml --catalog my-host.yaml': { parseOnly: 'run', because: 'uses the profile the root-only line before it writes' },
  'sudo bpfsim calibrate [--out FILE] [--quick]': { parseOnly: 'calibrate', because: 'needs root and real eBPF' },
  'sudo bpfsim calibrate --validate [--quick]': { parseOnly: 'calibrate', because: 'needs root and real eBPF' },
  'sudo bpfsim calibrate --validate --profile FILE': { parseOnly: 'calibrate', because: 'needs root and real eBPF' },
  'bpfsim run model.yaml --catalog FILE': { parseOnly: 'run', because: 'uses a profile measured as root' },
  'bpfsim calibrate --from test/fixtures/validate-grid/runs.jsonl --host vm --cells pb-64p-flat-c2us': { parseOnly: 'calibrate', because: 'the fixture is in the repository\'s test/ folder, which the examples do not see; test/validate-grid.test.ts runs the same comparison' },
  'sudo bpfsim calibrate --validate --quick --html grid.html --tolerance 2x': { parseOnly: 'calibrate', because: 'needs root and real eBPF' },
  'bpfsim calibrate --from test/fixtures/validate-grid/runs.jsonl --profile my-host.yaml --csv grid.csv': { parseOnly: 'calibrate', because: 'uses a profile measured as root' },
  'bpfsim experiment page-cnt': { append: '--quick', because: 'the full form takes ~20 s; the next example runs --quick as written' },
  'bpfsim experiment page-cnt --out DIR': { append: '--quick', because: 'what --out writes is the point; the full form takes ~45 s' },
  'bpfsim experiment --all': { append: '--quick', because: 'every experiment in full takes minutes; test/experiments.test.ts checks their findings' },
  'bpfsim experiment my-question.yaml': { append: '--quick', because: 'the format example below, written to my-question.yaml, in its reduced form' },
  'bpfsim selftest': { append: '--quick --case mm1', because: 'every case is run at --quick by test/validate-*.test.ts' },
  'bpfsim selftest --quick': { append: '--case mm1', because: 'every case is run at --quick by test/validate-*.test.ts' },
  'bpfsim selftest --case mm1': { append: '--quick', because: 'the full M/M/1 cases take ~15 s; --quick runs the same rows' },
  'bpfsim selftest --json': { append: '--quick --case mm1', because: 'every case is run at --quick by test/validate-*.test.ts' },
  'bpfsim explore': { append: '--html explore.html', because: 'the server runs until stopped; --html writes the same page and exits (test/explore-server.test.ts and explore-browser.test.ts run the server)' },
  'bpfsim explore models/tools/trace_conntrack.yaml --port 0 --no-open': { append: '--html explore.html', because: 'the server runs until stopped; --html writes the same page and exits' },
  'bpfsim size experiments/models/tracer-bursty.yaml --target-loss 0.1%': {
    append: '--duration 200ms --replications 2', because: 'the tutorial\'s search runs 7 sizes x 5 replications of 1 s; shorter runs show the same search',
  },
  'bpfsim compare experiments/models/tracer-bursty.yaml --what-if ringbuf=4MiB --what-if batch=16 --what-if consumer=c': {
    append: '--duration 100ms --replications 2', because: '4 variants x 5 replications of 1 s; the comparison is what is shown',
  },
  'npm run bench': { parseOnly: 'bench', because: 'speed is measured only by the bench, never in unit tests' },
  'npm run bench -- --quick': { parseOnly: 'bench', because: 'speed is measured only by the bench, never in unit tests' },
  'npm run bench -- --json': { parseOnly: 'bench', because: 'speed is measured only by the bench, never in unit tests' },
};

interface Example {
  doc: string;
  command: string;
}

interface Block {
  lang: string;
  text: string;
  /** The command named by an `<!-- output of: CMD -->` line just before the block. */
  outputOf?: string;
}

function blocks(doc: string): Block[] {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const out: Block[] = [];
  const re = /(?:<!-- output of: (.*?) -->\n)?^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const m of text.matchAll(re)) out.push({ lang: m[2], text: m[3], ...(m[1] ? { outputOf: m[1] } : {}) });
  return out;
}

/** A line without its trailing `# comment` (a # inside quotes or braces stays). */
function withoutComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

const COMMAND_START = /^(bpfsim|sudo|npm|bash|seq|node) /;

/** Shell commands of a block: `sh` blocks whole, plain blocks only their command lines. */
function commands(block: Block): string[] {
  if (block.lang !== 'sh' && block.lang !== '') return [];
  const out: string[] = [];
  let pending = '';
  for (const raw of block.text.split('\n')) {
    const line = withoutComment(raw);
    if (pending === '' && (line.trim() === '' || (block.lang === '' && !COMMAND_START.test(line)))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    out.push(`${pending}${line.trim()}`.trim());
    pending = '';
  }
  return out;
}

function examples(): Example[] {
  return DOCS.flatMap((doc) => blocks(doc).flatMap((b) => commands(b).map((command) => ({ doc, command }))));
}

/** A scratch directory laid out like the repository for relative paths (models/, experiments). */
function workspace(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-readme-'));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  const shim = join(bin, 'bpfsim');
  writeFileSync(shim, `#!/bin/sh\nexec node ${JSON.stringify(join(ROOT, 'bin/bpfsim.js'))} "$@"\n`);
  chmodSync(shim, 0o755);
  symlinkSync(join(ROOT, 'models'), join(dir, 'models'));
  mkdirSync(join(dir, 'test/fixtures'), { recursive: true });
  symlinkSync(join(ROOT, 'test/fixtures/validate-grid'), join(dir, 'test/fixtures/validate-grid'));
  mkdirSync(join(dir, 'experiments'));
  // The tutorial's model lives beside the experiments that use it.
  symlinkSync(join(ROOT, 'experiments/models'), join(dir, 'experiments/models'));
  return { dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, SLURM_ARRAY_TASK_ID: '0', SLURM_CPUS_PER_TASK: '1', FORCE_COLOR: '0' } };
}

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv) {
  return spawnSync('bash', ['-o', 'pipefail', '-c', command], { cwd, env, encoding: 'utf8', timeout: 180_000 });
}

/** Every --option of `command` is one that `bpfsim SUB --help` lists. */
function optionsExist(sub: string, command: string): void {
  const help = execFileSync('node', [join(ROOT, 'bin/bpfsim.js'), sub, '--help'], { encoding: 'utf8' });
  for (const opt of command.match(/--[a-z][\w-]*/g) ?? []) expect(help, `${command}: ${opt} is not an option of bpfsim ${sub}`).toContain(opt);
}

function parseOnly(kind: string, command: string): void {
  if (kind === 'install') {
    expect(existsSync(join(ROOT, '.ci/run'))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string>; scripts?: Record<string, string> };
    expect(pkg.bin?.bpfsim, 'npm link puts the bpfsim bin on PATH').toBeDefined();
    expect(pkg.scripts?.prepare, 'npm ci builds dist/').toBeDefined();
  } else if (kind === 'bench') {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.bench).toMatch(/bench\/run\.js/);
    const script = readFileSync(join(ROOT, 'bench/run.js'), 'utf8');
    for (const opt of command.match(/--[a-z][\w-]*/g) ?? []) expect(script).toContain(`'${opt}'`);
  } else optionsExist(kind, command.replace(/\[|\]/g, ''));
}

const all = examples();
const ws = workspace();

describe('README examples', () => {
  it('every document has its examples found', () => {
    for (const doc of ['README.md', 'calibrate/README.md', 'experiments/README.md', 'bench/README.md', 'src/validate/README.md']) {
      expect(all.filter((e) => e.doc === doc).length, doc).toBeGreaterThan(0);
    }
    // An override for an example that is gone is stale: the table must follow the documents.
    const written = new Set(all.map((e) => e.command));
    for (const key of Object.keys(OVERRIDES)) expect(written.has(key), `override for a command no document shows: ${key}`).toBe(true);
  });

  // The experiment format example is the file `bpfsim experiment my-question.yaml` runs (its
  // model paths, relative to experiments/, point at the same models from the scratch directory).
  const format = blocks('experiments/README.md').find((b) => b.lang === 'yaml' && b.text.startsWith('title:'));
  if (format) writeFileSync(join(ws.dir, 'experiments/my-question.yaml'), format.text);

  for (const [i, ex] of all.entries()) {
    const how = OVERRIDES[ex.command];
    const title = `${ex.doc} #${i}: ${ex.command}${how ? ` (${how.parseOnly ? 'parse only' : (how.replace ?? how.append)}: ${how.because})` : ''}`;
    it(title, () => {
      if (how?.parseOnly) {
        parseOnly(how.parseOnly, ex.command);
        return;
      }
      const cwd = ex.doc === 'experiments/README.md' ? join(ws.dir, 'experiments') : ws.dir;
      let command = how?.replace ?? (how?.append ? `${ex.command} ${how.append}` : ex.command);
      // jq is not everywhere: without it, the same check of the JSON in node.
      if (command.includes('| jq ') && sh('command -v jq', cwd, ws.env).status !== 0) {
        const [left, filter] = command.split('| jq ');
        command = `${left}| node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=${JSON.stringify(filter.trim())}.slice(1).split(".").reduce((o,k)=>o[k],JSON.parse(s));if(v===undefined)process.exit(1);console.log(v)})'`;
      }
      const r = sh(command, cwd, ws.env);
      expect(r.status, `${command}\nexit ${r.status}\n${r.stderr}\n${r.stdout.slice(-2000)}`).toBe(0);
      expect(r.stderr).not.toMatch(/internal error|^\s+at .+:\d+/m);
    }, 180_000);
  }
});

describe('README output excerpts are what the commands print', () => {
  for (const doc of DOCS) {
    for (const b of blocks(doc).filter((x) => x.outputOf)) {
      it(`${doc}: ${b.outputOf}`, () => {
        const r = sh(b.outputOf!, ws.dir, ws.env);
        const printed = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
        for (const line of b.text.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter((l) => l !== '')) {
          const prefix = line.endsWith('...') ? line.slice(0, -3) : undefined;
          const found = prefix !== undefined ? printed.some((p) => p.startsWith(prefix)) : printed.includes(line);
          expect(found, `"${line}" not in the output of ${b.outputOf}:\n${printed.join('\n')}`).toBe(true);
        }
      }, 60_000);
    }
  }

  it('the problem lines shown in the README are what a model with those mistakes gets', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = readme.split('and exit code 2:')[1].match(/```\n([\s\S]*?)```/)![1].trim().split('\n');
    const dir = join(ws.dir, 'errors');
    mkdirSync(join(dir, 'models'), { recursive: true });
    // The two mistakes the lines describe: an op cost written as a word, and pageCnt 12.
    writeFileSync(join(dir, 'models/x.yaml'), [
      'name: x', 'traffic: { rate: 100k }', 'datapath: { service: 800ns }',
      'probes:', '  - { name: p, attach: kprobe, program: [{ op: { name: parse, cost: fast } }] }',
      'output: { pageCnt: 12 }', '',
    ].join('\n'));
    const r = sh('bpfsim run models/x.yaml', dir, ws.env);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(shown);
  }, 60_000);
});

describe('README models and catalog examples load', () => {
  it('the model in docs/reference/model.md loads', () => {
    const yaml = blocks('docs/reference/model.md').find((b) => b.lang === 'yaml' && b.text.startsWith('name:'))!;
    expect(() => loadModel({ text: yaml.text, file: join(ROOT, 'models/readme-example.yaml') })).not.toThrow();
  });

  it('the costs: example of the catalog README applies to a model', () => {
    const costs = blocks('models/catalog/README.md').find((b) => b.lang === 'yaml' && b.text.startsWith('costs:'))!;
    const model = `name: x\ntraffic: { rate: 100k, duration: 10ms }\ndatapath: { service: 800ns }\n${costs.text}`;
    const { catalog } = loadModel({ text: model });
    expect(catalog.wakeup.perf_buffer.producer).toEqual({ kind: 'const', value: 1500 });
  });

  it('the extends: example of the catalog README is a catalog', () => {
    const ext = blocks('models/catalog/README.md').find((b) => b.lang === 'yaml' && b.text.startsWith('extends:'))!;
    const file = join(ws.dir, 'lab.yaml');
    writeFileSync(file, ext.text);
    expect(loadCatalog(file).wakeup.perf_buffer.producer).toEqual({ kind: 'uniform', min: 1100, max: 1600 });
  });

  it('the entry example of the catalog README has the fields of an entry (a fragment: YAML only)', () => {
    const entry = blocks('models/catalog/README.md').find((b) => b.lang === 'yaml' && b.text.startsWith('attach:'))!;
    const v = parse(entry.text) as { attach: { kprobe: { entry: Record<string, unknown> } } };
    expect(Object.keys(v.attach.kprobe.entry).sort()).toEqual(['assumption', 'note', 'source', 'value']);
  });

  it('the Kubernetes job runs a valid sweep command (parse only: needs a cluster)', () => {
    const job = blocks('docs/how-to/shards.md').find((b) => b.lang === 'yaml' && b.text.startsWith('apiVersion:'))!;
    const v = parse(job.text) as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    const command = v.spec.template.spec.containers[0].args[0];
    expect(command).toMatch(/^bpfsim sweep /);
    optionsExist('sweep', command);
  });
});

/** A path (relative to one of `bases`) exists; a glob or placeholder matches some file. */
function pathExists(path: string, bases: string[]): boolean {
  const cut = path.search(/[*<{]/);
  if (cut < 0) return bases.some((b) => existsSync(join(b, path)));
  const prefix = path.slice(0, cut);
  const dir = prefix.endsWith('/') ? prefix : dirname(prefix);
  const start = prefix.slice(dir.length).replace(/^\//, '');
  return bases.some((b) => existsSync(join(b, dir)) && readdirSync(join(b, dir)).some((f) => f.startsWith(start)));
}

describe('documents point only at what the repository has', () => {
  for (const doc of DOCS) {
    it(doc, () => {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      const base = dirname(join(ROOT, doc));
      const missing: string[] = [];
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(m[1])) continue; // a URL
        if (!existsSync(resolve(base, m[1]))) missing.push(m[1]);
      }
      // Backquoted repository paths (globs and placeholders checked up to their first wildcard).
      for (const m of text.matchAll(/`((?:models|src|test|bench|calibrate|experiments|scripts|docs|seed|reference)\/[^`\s]*)`/g)) {
        if (!pathExists(m[1], [ROOT, base])) missing.push(m[1]);
      }
      for (const m of text.matchAll(/`(DESIGN\.md)`/g)) if (!existsSync(join(ROOT, m[1]))) missing.push(m[1]);
      expect(missing, `${doc} points at files the repository does not have`).toEqual([]);
    });
  }
});
