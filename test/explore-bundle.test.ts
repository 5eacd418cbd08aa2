/**
 * The explore page's simulation core in the browser bundle: it builds for the browser with no
 * Node built-in, carries the built-in catalogs as data that survive the trip through JSON, and
 * gives the same Result JSON, byte for byte, as `bpfsim run --json`.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../src/simulation/simulate.js';
import { BUILTIN_CATALOGS, loadCatalog } from '../src/model/catalog.js';
import { DEFAULT_MODEL_PATH, loadModel } from '../src/model/load.js';
import { resultJson } from '../src/report/csv.js';
import { explorePage } from '../src/explore/page-html.js';
import { embeddedEnv, runModel } from '../src/explore/run-model.js';
import { exploreBuildOptions } from '../scripts/build-explore.mjs';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** seedrandom's optional `require('crypto')`, replaced by an empty module through its package.json "browser" field. */
const DISABLED_OK = new Set(['(disabled):crypto']);

describe('browser bundle', () => {
  let meta: Metafile;
  let outputs: Map<string, string>;

  beforeAll(async () => {
    const options = (await exploreBuildOptions()) as BuildOptions;
    const result = await build({ ...options, write: false, logLevel: 'silent' });
    expect(result.errors).toEqual([]);
    meta = result.metafile!;
    outputs = new Map(result.outputFiles!.map((f) => [f.path.replace(/^.*\//, ''), f.text]));
  }, 120_000);

  it('imports no Node built-in, directly or through a dependency', () => {
    // The embedded catalogs show as a `<define:...>` import: data, not a module.
    const imports = Object.values(meta.inputs).flatMap((i) => i.imports).filter((i) => !i.path.startsWith('<define:'));
    expect(imports.filter((i) => i.external)).toEqual([]);
    expect(imports.filter((i) => NODE_BUILTINS.has(i.path) || i.path.startsWith('node:'))).toEqual([]);
    expect(Object.keys(meta.inputs).filter((p) => p.startsWith('(disabled)') && !DISABLED_OK.has(p))).toEqual([]);
    for (const [name, text] of outputs) expect(text, name).not.toMatch(/\brequire\(["'](node:)?(fs|path|url|os|worker_threads|child_process)["']\)/);
  });

  it('the worker holds the simulation core itself', () => {
    const worker = Object.entries(meta.outputs).find(([f]) => f.endsWith('worker.js'))![1];
    const sources = Object.keys(worker.inputs);
    for (const dir of ['src/engine/', 'src/datapath/', 'src/metrics/', 'src/distributions/', 'src/model/load-core.ts', 'src/model/resolve.ts']) {
      expect(sources.some((s) => s.startsWith(dir)), dir).toBe(true);
    }
    // The loader's host side stays out.
    for (const host of ['src/model/load.ts', 'src/model/catalog.ts', 'src/model/files-node.ts', 'src/model/user-file.ts']) expect(sources).not.toContain(host);
  });

  it('the page bundles vega-embed (no CDN)', () => {
    const page = Object.entries(meta.outputs).find(([f]) => f.endsWith('page.js'))![1];
    expect(Object.keys(page.inputs).some((s) => s.includes('node_modules/vega-embed/'))).toBe(true);
    expect(outputs.get('page.js')).not.toMatch(/https?:\/\/(cdn|unpkg|fastly\.jsdelivr)/);
  });
});

describe('embedded catalogs and runs', () => {
  it('the built-in catalogs survive JSON unchanged (they go into the bundle as JSON)', () => {
    for (const name of BUILTIN_CATALOGS) {
      const c = loadCatalog(name);
      expect(JSON.parse(JSON.stringify(c))).toStrictEqual(c);
    }
  });

  it('a run through the page path gives the CLI bytes for the same model, overrides and seed', () => {
    const catalogs = Object.fromEntries(BUILTIN_CATALOGS.map((n) => [n, JSON.parse(JSON.stringify(loadCatalog(n)))]));
    const env = embeddedEnv(catalogs);
    const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8');
    const set = ['traffic.duration=60ms', 'traffic.warmup=5ms', 'output.pageCnt=16'];
    for (const seed of [undefined, 7]) {
      const page = runModel(env, { id: 1, text, file: 'models/default.yaml', set, full: true, ...(seed !== undefined ? { seed } : {}) }, () => 0);
      const cli = loadModel({ set, ...(seed !== undefined ? { seed } : {}) });
      expect(page.ok).toBe(true);
      expect(page.ok && page.json).toBe(resultJson(runScenario(cli.scenario, cli.catalog)));
    }
  });

  it('problems come back as the CLI prints them; catalog and trace files are refused', () => {
    const env = embeddedEnv({ default: loadCatalog('default') });
    const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8');
    const bad = runModel(env, { id: 2, text, file: 'm.yaml', set: ['output.pageCnt=12'], full: true }, () => 0);
    expect(bad).toMatchObject({ ok: false, internal: false, problems: [expect.stringMatching(/^--set: output\.pageCnt: expected a power of two, got 12/)] });
    const file = runModel(env, { id: 3, text, file: 'm.yaml', set: ['catalog=my.yaml'], full: true }, () => 0);
    expect(file.ok || file.problems.join('\n')).toMatch(/built-in catalog \(default\)/);
    const trace = runModel(env, { id: 4, text, file: 'm.yaml', set: ['traffic.arrival=trace', 'traffic.trace=t.txt'], full: true }, () => 0);
    expect(trace.ok || trace.problems.join('\n')).toMatch(/traffic\.trace: expected a trace file the page can read/);
  });
});

describe('the page file', () => {
  const html = explorePage({ text: 'name: x </script><script>alert(1)</script>\n', file: 'x.yaml', name: 'x <b>', set: ['output.pageCnt=64'] });

  it('inlines both bundles and embeds the model as data that cannot close its script', () => {
    const scripts = html.match(/<script\b/g) ?? [];
    expect(scripts.length).toBe(3);
    expect(html.match(/<\/script>/gi)?.length).toBe(3);
    const json = /<script type="application\/json" id="bpfsim-model">([^]*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(json)).toMatchObject({ text: 'name: x </script><script>alert(1)</script>\n', set: ['output.pageCnt=64'] });
    expect(html).toContain('<title>bpfsim explore: x &lt;b&gt;</title>');
  });

  it('says in its own CSP that it loads nothing from anywhere', () => {
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;[^"]*connect-src &#39;none&#39;/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });
});
