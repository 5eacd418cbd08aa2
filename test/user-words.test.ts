/**
 * The product speaks to users, not to its own history: everything `run`, `estimate`, `catalog`,
 * the HTML report and the help texts show is free of the words in helpers/words.ts (the
 * experiments' output is checked where they run, in experiments.test.ts). Through the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectUserWords, FORBIDDEN_WORDS } from './helpers/words.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/bpfsim.js');
const TOOLS = readdirSync(join(ROOT, 'models/tools')).filter((f) => f.endsWith('.yaml'));
const dir = mkdtempSync(join(tmpdir(), 'bpfsim-words-'));

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, `bpfsim ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout + r.stderr;
}

describe('no internal history in what users see', () => {
  it('the word list catches what it is for', () => {
    const caught = (s: string) => FORBIDDEN_WORDS.some(({ re }) => re.test(s));
    for (const bad of ["the seed's arithmetic", 'as the seed says', 'reference §3.1', 'seed §A', '性能提升可达 27 倍', 'see reference/ebpf-datapath-facts.md']) {
      expect(caught(bad), bad).toBe(true);
    }
    for (const ok of ['seed 7', '--seed 42', 'the seed of replication 3', 'static estimate', 'meta.seed']) expect(caught(ok), ok).toBe(false);
  });

  it('run: terminal summary, JSON and HTML report of the default and every tool model', () => {
    for (const model of [undefined, ...TOOLS.map((f) => `models/tools/${f}`)]) {
      const m = model ? [model] : [];
      const name = model ?? 'default';
      const short = ['--duration', '40ms', '--set', 'traffic.warmup=4ms'];
      expectUserWords(cli(['run', ...m, ...short]), `run ${name}`);
      expectUserWords(cli(['run', ...m, ...short, '--json']), `run ${name} --json`);
      const report = join(dir, `${TOOLS.indexOf(model?.split('/').pop() ?? '')}.html`);
      cli(['run', ...m, ...short, '--report', report]);
      expectUserWords(readFileSync(report, 'utf8'), `run ${name} --report`);
    }
  }, 120_000);

  it('estimate of every tool model, both catalogs', () => {
    for (const f of TOOLS) {
      expectUserWords(cli(['estimate', `models/tools/${f}`]), `estimate ${f}`);
      expectUserWords(cli(['estimate', `models/tools/${f}`, '--catalog', 'static']), `estimate ${f} --catalog static`);
    }
  }, 60_000);

  it('catalog: every source and note of both profiles', () => {
    expectUserWords(cli(['catalog']), 'catalog');
    expectUserWords(cli(['catalog', '--catalog', 'static']), 'catalog --catalog static');
  }, 30_000);

  it('help texts', () => {
    expectUserWords(cli(['--help']), '--help');
    for (const c of ['run', 'estimate', 'catalog', 'experiment', 'sweep', 'size', 'compare', 'selftest', 'schema']) {
      expectUserWords(cli([c, '--help']), `${c} --help`);
    }
    expectUserWords(cli(['schema', '--markdown']), 'schema --markdown');
  }, 60_000);
});
