import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { distMean } from '../src/distributions/moments.js';
import { CatalogError, applyOverrides, catalogEntry, loadCatalog, sizeCost } from '../src/model/catalog.js';
import type { Catalog } from '../src/model/catalog-types.js';
import { ATTACH_TYPES } from '../src/model/kernel.js';

const PROFILES = ['default', 'static'] as const;
const catalogFile = (name: string): string => fileURLToPath(new URL(`../models/catalog/${name}.yaml`, import.meta.url));

function problemsOf(fn: () => unknown): CatalogError['problems'] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CatalogError);
    return (err as CatalogError).problems;
  }
  throw new Error('expected a CatalogError');
}

function tempCatalog(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-catalog-'));
  const file = join(dir, 'calibrated.yaml');
  writeFileSync(file, text);
  return file;
}

/** Every leaf of a catalog file as [path, entry], read straight from the YAML. */
function rawLeaves(node: unknown, at: string[] = []): [string, Record<string, unknown>][] {
  if (typeof node !== 'object' || node === null) return [];
  const obj = node as Record<string, unknown>;
  if ('value' in obj) return [[at.join('.'), obj]];
  return Object.entries(obj).flatMap(([k, v]) => (at.length === 0 && (k === 'description' || k === 'extends' || k === 'host') ? [] : rawLeaves(v, [...at, k])));
}

describe('built-in profiles', () => {
  for (const name of PROFILES) {
    it(`${name}: loads complete, with every attach type and both consumers`, () => {
      const c = loadCatalog(name);
      expect(c.profile).toBe(name);
      expect(c.description.length).toBeGreaterThan(40);
      for (const attach of ATTACH_TYPES) {
        expect(c.attach[attach], attach).toBeDefined();
      }
      expect(Object.keys(c.consumer).sort()).toEqual(['bcc-python', 'libbpf']);
      expect(c.submit.perf_buffer.bytes.length).toBeGreaterThan(3);
      expect(c.pageSize).toBe(4096);
    });

    it(`${name}: every entry has a specific source, and the assumption flag where the source says assumption`, () => {
      const c = loadCatalog(name);
      const raw = rawLeaves(parse(readFileSync(catalogFile(name), 'utf8')));
      // Host-class entries (hosts.<class>.*) are kept beside the catalog's own.
      const overlays = Object.values(c.hostOverlays).flatMap((o) => o!.map((e) => e.provenance));
      expect(c.provenance.length + overlays.length).toBe(raw.length);
      for (const p of [...c.provenance, ...overlays]) {
        // A public source (kernel file or commit, selftest benchmark, mailing-list patch, man page),
        // the static-estimate table (a rule of thumb, said so), a measurement or fit that says
        // where, a definition, or an assumption with its reasoning.
        expect(p.source, p.path).toMatch(
          /^(Linux \S|KVM \S|libbpf: \S|pipe\(7\): \S|definition: \S|measured \S|fitted \S|kernel selftests \S|bench_ringbufs \S|per-record costs derived from \S|A\. [A-Z]\w+, '|static-estimate table, \S|assumption: \S)/,
        );
        // Nothing a user cannot look up: no section numbers of internal notes, no untranslated text.
        expect(p.source, p.path).not.toMatch(/§|\bseed\b|reference|[\u4e00-\u9fff]/);
        if (p.note) expect(p.note, p.path).not.toMatch(/§|\bseed\b|reference|[\u4e00-\u9fff]/);
        expect(p.source.length, p.path).toBeGreaterThan(30);
        expect(p.value, p.path).not.toBe('');
        expect(p.assumption, `${p.path}: ${p.source}`).toBe(/assumption/i.test(p.source));
      }
      // The flag is written in the file itself, not only inferred by the loader.
      for (const [path, entry] of raw) {
        const says = /assumption/i.test(String(entry.source));
        expect(entry.assumption === true, `${name}.yaml ${path}`).toBe(says);
      }
    });
  }

  it('default: wake-ups are charged apart from the per-record submit; seed: included in it', () => {
    const d = loadCatalog('default');
    const s = loadCatalog('seed');
    // reference §3.3: per record 42-104 ns without wake-ups.
    expect(distMean(sizeCost(d.submit.perf_buffer, 8))).toBe(73);
    // reference §3.1 parallel, per-event notification: 1/0.931 M/s - 104 ns = 970 ns (Xeon),
    // 1/1.480 M/s - 42 ns = 634 ns (Ryzen) of notification borne by the producer per record.
    const producer = d.wakeup.perf_buffer.producer;
    expect(producer).toEqual({ kind: 'uniform', min: 630, max: 970 });
    // The benchmark's reader is mostly awake when a notification fires: the same figure.
    expect(d.wakeup.perf_buffer.producerNoWaiter).toEqual(producer);
    expect(1e9 / (distMean(producer) + 104)).toBeGreaterThan(0.931e6 * 1.1); // a mid value sits between the two CPUs
    expect(1e9 / (distMean(producer) + 42)).toBeLessThan(1.48e6);
    // The reader's share: 60% of the back-to-back c_notify 0.65-0.86 us (reference §3.3).
    const wake = distMean(d.consumer['bcc-python'].wakeCost);
    expect(wake).toBeGreaterThanOrEqual(0.6 * 650);
    expect(wake).toBeLessThanOrEqual(0.6 * 860);
    expect(distMean(s.wakeup.perf_buffer.producer)).toBe(0);
    expect(distMean(s.consumer['bcc-python'].wakeCost)).toBe(0);
    expect(distMean(sizeCost(s.submit.perf_buffer, 128))).toBe(500);
  });

  it('default: ringbuf handoff derived from the Xeon multi-producer throughputs', () => {
    const d = loadCatalog('default');
    const hold = distMean(d.ringbufLock.hold);
    const handoff = distMean(d.ringbufLock.handoff);
    const perDoubling = distMean(d.ringbufLock.perDoubling);
    // 2 producers (one other CPU contending: one doubling): 4.931 M/s -> 202.8 ns per record,
    // 4 producers 3.926 M/s -> 254.7 ns; 52 producers 2.074 M/s -> 482 ns, log2(52) doublings.
    expect(hold + handoff + perDoubling).toBeGreaterThan(1e9 / 4.931e6);
    expect(hold + handoff + perDoubling).toBeLessThan(1e9 / 3.926e6);
    const at52 = hold + handoff + perDoubling * Math.log2(52);
    expect(at52 / (1e9 / 2.074e6)).toBeGreaterThan(0.8);
    expect(at52 / (1e9 / 2.074e6)).toBeLessThan(1.35);
    expect(catalogEntry(d, 'ringbufLock.perDoubling')?.source).toMatch(/per doubling of the producers/);
  });

  it('memory: kernel layout in default, the seed\'s formulas in seed', () => {
    const d = loadCatalog('default').memory;
    const s = loadCatalog('seed').memory;
    expect(d.formulas).toBe('kernel');
    expect(d.hashOverhead).toEqual({ byKernelMajor: {}, default: 48 });
    expect(d.hashBucket).toBe(16);
    expect(d.perfMetaPages).toBe(1);
    expect(s.formulas).toBe('static');
    expect(s.hashOverhead).toEqual({ byKernelMajor: { '4': 32, '5': 40 }, default: 40 });
    expect(s.lruExtra).toBe(16);
    expect(s.perfMetaPages).toBe(0);
    expect(loadCatalog('seed').consumer['bcc-python'].baseMemory).toBe(60 * 1024 * 1024);
  });

  it('returns a fresh copy each time', () => {
    const a = loadCatalog('default');
    a.attach.kprobe.entry = { kind: 'const', value: 1 };
    expect(loadCatalog('default').attach.kprobe.entry).toEqual({ kind: 'uniform', min: 17, max: 49 });
  });
});

describe('sizeCost', () => {
  const table = { bytes: [64, 128, 1024], cost: [{ kind: 'const', value: 400 }, { kind: 'uniform', min: 450, max: 550 }, { kind: 'const', value: 1500 }] } as Catalog['submit']['ringbuf'];

  it('returns a row exactly at its size', () => {
    expect(sizeCost(table, 128)).toEqual({ kind: 'uniform', min: 450, max: 550 });
  });

  it('interpolates min and max of ranges linearly (a constant is the range c-c)', () => {
    expect(sizeCost(table, 96)).toEqual({ kind: 'uniform', min: 425, max: 475 });
    expect(sizeCost(table, 576)).toEqual({ kind: 'uniform', min: 975, max: 1025 });
  });

  it('clamps below the smallest row', () => {
    expect(sizeCost(table, 8)).toEqual({ kind: 'const', value: 400 });
    expect(sizeCost(table, 0)).toEqual({ kind: 'const', value: 400 });
  });

  it('extrapolates per byte beyond the largest row from the last two rows', () => {
    const widening = { bytes: [128, 1024], cost: [{ kind: 'uniform', min: 450, max: 550 }, { kind: 'uniform', min: 1400, max: 1600 }] } as Catalog['submit']['ringbuf'];
    // slope: min 950/896, max 1050/896 per byte; 1920 B is 896 B past the last row.
    expect(sizeCost(widening, 1920)).toEqual({ kind: 'uniform', min: 2350, max: 2650 });
    // A range whose ends would cross collapses to a point instead of inverting.
    expect(sizeCost(table, 1920)).toEqual({ kind: 'const', value: 2450 });
  });

  it('keeps constants constant between constant rows (seed table)', () => {
    const seed = loadCatalog('seed');
    expect(sizeCost(seed.submit.perf_buffer, 192)).toEqual({ kind: 'const', value: 600 });
    expect(sizeCost(seed.submit.perf_buffer, 8192)).toEqual({ kind: 'const', value: 5000 + 4096 * (3500 / 3072) });
  });

  it('interpolates lognormal means and cvs', () => {
    const t = { bytes: [100, 200], cost: [{ kind: 'lognormal', mean: 100, cv: 0.2 }, { kind: 'lognormal', mean: 300, cv: 0.4 }] } as Catalog['submit']['ringbuf'];
    const d = sizeCost(t, 150);
    expect(d.kind).toBe('lognormal');
    if (d.kind === 'lognormal') {
      expect(d.mean).toBeCloseTo(200, 12);
      expect(d.cv).toBeCloseTo(0.3, 12);
    }
  });

  it('the mean grows monotonically with size in both profiles', () => {
    for (const name of PROFILES) {
      const c = loadCatalog(name);
      for (const table of [c.submit.perf_buffer, c.submit.ringbuf]) {
        let last = -1;
        for (let bytes = 1; bytes <= 16384; bytes *= 2) {
          const m = distMean(sizeCost(table, bytes));
          expect(m).toBeGreaterThanOrEqual(last);
          last = m;
        }
      }
    }
  });
});

describe('catalogEntry', () => {
  it('finds an entry by path, size rows by any spelling of the size', () => {
    const d = loadCatalog('default');
    expect(catalogEntry(d, 'attach.kprobe.entry')).toMatchObject({ value: '17-49ns', assumption: false });
    expect(catalogEntry(d, 'submit.perf_buffer.1KiB')?.path).toBe('submit.perf_buffer.1024');
    expect(catalogEntry(d, 'memory.hashOverhead.default')?.value).toBe('48');
    expect(catalogEntry(d, 'attach.kprobe.nope')).toBeUndefined();
  });
});

describe('applyOverrides', () => {
  const base = loadCatalog('default');

  it('replaces entries by catalog path and records where the value came from', () => {
    const c = applyOverrides(base, {
      'wakeup.perf_buffer.producer': '1.5us',
      'consumer.bcc-python.callback.medium': { dist: 'lognormal', mean: '4us', cv: 0.5 },
      'memory.other': '2MiB',
    }, { file: 'models/x.yaml', field: 'costs' });
    expect(c.wakeup.perf_buffer.producer).toEqual({ kind: 'const', value: 1500 });
    expect(c.consumer['bcc-python'].callback.medium).toEqual({ kind: 'lognormal', mean: 4000, cv: 0.5 });
    expect(c.memory.other).toBe(2 * 1024 * 1024);
    const p = catalogEntry(c, 'wakeup.perf_buffer.producer');
    expect(p?.source).toBe('override: models/x.yaml costs.wakeup.perf_buffer.producer');
    expect(p?.note).toMatch(/replaces the default catalog's 630-970ns/);
    // The input catalog is untouched.
    expect(base.wakeup.perf_buffer.producer).toEqual({ kind: 'uniform', min: 630, max: 970 });
  });

  it('accepts a full entry with its own source', () => {
    const c = applyOverrides(base, { 'attach.kprobe.entry': { value: '100ns', source: 'measured with bpftool prog show, lab host, 2025-01' } });
    expect(c.attach.kprobe.entry).toEqual({ kind: 'const', value: 100 });
    expect(catalogEntry(c, 'attach.kprobe.entry')?.source).toBe('measured with bpftool prog show, lab host, 2025-01');
  });

  it('adds size-table rows in order, and helpers', () => {
    const c = applyOverrides(base, { 'submit.perf_buffer.2KiB': '700ns', 'helpers.my_helper': '40ns' });
    const i = c.submit.perf_buffer.bytes.indexOf(2048);
    expect(c.submit.perf_buffer.bytes.slice(i - 1, i + 2)).toEqual([1024, 2048, 4096]);
    expect(c.submit.perf_buffer.cost[i]).toEqual({ kind: 'const', value: 700 });
    expect(c.helpers.my_helper).toEqual({ kind: 'const', value: 40 });
    expect(catalogEntry(c, 'helpers.my_helper')?.note).toMatch(/added/);
  });

  it('a misspelt path gets a did-you-mean with the whole path', () => {
    const problems = problemsOf(() => applyOverrides(base, { 'wakeup.perf_bufer.producer': '1us' }, { file: 'm.yaml', field: 'costs' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'm.yaml', path: 'costs.wakeup.perf_bufer.producer' });
    expect(problems[0].hint).toBe('did you mean "wakeup.perf_buffer.producer"?');
  });

  it('a path that stops at a section says which entries it has', () => {
    const problems = problemsOf(() => applyOverrides(base, { 'attach.kprobe': '10ns' }));
    expect(problems[0].hint).toBe('give one of attach.kprobe.{entry,exit}');
  });

  it('a bad value says what was expected, one problem per entry', () => {
    const problems = problemsOf(() => applyOverrides(base, { 'attach.kprobe.entry': 'fast', 'memory.other': '-3MiB', 'attach.fentry.entry': '5ns' }));
    expect(problems.map((p) => p.path)).toEqual(['costs.attach.kprobe.entry', 'costs.memory.other']);
    expect(problems[0].expected).toMatch(/duration/);
  });

  it('a map type the catalog lacks needs all three operations', () => {
    const problems = problemsOf(() => applyOverrides(base, { 'maps.lpm_trie.lookup': '100ns' }));
    expect(problems.map((p) => p.path).sort()).toEqual(['costs.maps.lpm_trie.delete', 'costs.maps.lpm_trie.update']);
    const c = applyOverrides(base, { 'maps.lpm_trie.lookup': '100ns', 'maps.lpm_trie.update': '150ns', 'maps.lpm_trie.delete': '150ns' });
    expect(c.maps.lpm_trie?.lookup).toEqual({ kind: 'const', value: 100 });
  });
});

describe('catalog files', () => {
  it('a calibrated file can extend a profile and change a few entries', () => {
    const file = tempCatalog(`
extends: default
description: lab host calibration
consumer:
  bcc-python:
    callback:
      medium: { value: 4-6us, source: "measured: perf stat on the lab host, 2025-01" }
`);
    const c = loadCatalog(file);
    expect(c.profile).toBe(file);
    expect(c.description).toBe('lab host calibration');
    expect(c.consumer['bcc-python'].callback.medium).toEqual({ kind: 'uniform', min: 4000, max: 6000 });
    expect(c.attach.kprobe.entry).toEqual(loadCatalog('default').attach.kprobe.entry);
  });

  it('reports every bad entry with its path, what was expected and a hint', () => {
    const file = tempCatalog(`
extends: seed
atach:
  kprobe:
    entry: { value: 10ns, source: "x" }
attach:
  kprobe:
    entry: { value: fast, source: "seed §A" }
    exit: 20ns
  fentry:
    entry: { value: 5ns }
    exit: { value: 5ns, source: "seed §D", sorce: "typo" }
`);
    const problems = problemsOf(() => loadCatalog(file));
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(byPath.atach?.hint ?? byPath['atach.kprobe.entry']?.hint).toMatch(/did you mean "attach\.kprobe\.entry"/);
    expect(byPath['attach.kprobe.entry.value'].expected).toMatch(/duration/);
    expect(byPath['attach.kprobe.exit'].hint).toMatch(/source/);
    expect(byPath['attach.fentry.entry.source'].expected).toMatch(/seed section/);
    expect(byPath['attach.fentry.exit.sorce'].found).toBe('field "sorce"');
    expect(problems.every((p) => p.file === file)).toBe(true);
  });

  it('without extends, a file must give every entry', () => {
    const file = tempCatalog(`
pageSize: { value: 4096, source: "reference §1.1" }
`);
    const problems = problemsOf(() => loadCatalog(file));
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['attach', 'consumer', 'submit', 'memory', 'insn']));
    expect(problems.map((p) => p.path)).not.toContain('pageSize');
    expect(problems[0].hint).toMatch(/extends: default/);
  });

  it('YAML syntax errors and missing files are one-line problems', () => {
    const bad = tempCatalog('attach: [1, 2\n');
    expect(problemsOf(() => loadCatalog(bad))[0].expected).toBe('valid YAML');
    const missing = problemsOf(() => loadCatalog('/nonexistent/catalog.yaml'));
    expect(missing[0]).toMatchObject({ found: 'no such file', hint: 'built-in profiles: default, static' });
  });

  it('an extends cycle is an error, not a hang', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-cycle-'));
    writeFileSync(join(dir, 'a.yaml'), 'extends: b.yaml\n');
    writeFileSync(join(dir, 'b.yaml'), 'extends: a.yaml\n');
    expect(problemsOf(() => loadCatalog(join(dir, 'a.yaml')))[0].expected).toMatch(/without cycles/);
  });
});
