/**
 * `bpfsim calibrate` without BPF: parsing the measuring programs' lines, the statistics,
 * the explanations of refusals, the profile file (it must load as a catalog, every entry
 * sourced), and the validation's model and comparison.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCatalog } from '../src/model/catalog.js';
import { parseLines, type CalibRecord } from '../src/calibrate/records.js';
import { fitLine, perEventDist, quantile, spreadOfMeans } from '../src/calibrate/stats.js';
import { explainFailure, kernelMessage, parseKernelConfig } from '../src/calibrate/explain.js';
import { distValue, ProfileBuilder, profileYaml } from '../src/calibrate/profile.js';
import { plan } from '../src/calibrate/measure.js';

const INFO = '{"kind":"info","host":"h1","kernel":"6.18.44-fc","machine":"x86_64","cpuModel":"AMD EPYC","cpus":2,"libbpf":"1.1","jit":1,"pageSize":4096}';

describe('parseLines', () => {
  it('keeps records and reports every other line with its number', () => {
    const text = [
      INFO,
      '{"kind":"op","name":"map.hash.lookup","iters":2000,"errors":0,"samples":[24.6,25.1]}',
      'not json',
      '{"kind":"op","name":"x","samples":["a"]}',
      '{"kind":"attach","name":"kprobe","error":{"stage":"attach","errno":2,"message":"No such file or directory","detail":"d"}}',
      '{"kind":"consumer","name":"ringbuf.consume","size":64,"points":[[1,50],[2,60]]}',
      '{"kind":"mystery","name":"y"}',
      '',
    ].join('\n');
    const { records, problems } = parseLines(text, 'ops');
    expect(records.map((r) => r.kind)).toEqual(['info', 'op', 'attach', 'consumer']);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^ops line 3: expected a JSON object/);
    expect(problems[1]).toMatch(/^ops line 4: expected "samples"/);
    expect(problems[2]).toMatch(/^ops line 7: unknown record kind "mystery"/);
  });
});

describe('stats', () => {
  it('quantile interpolates between order statistics (type 7)', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.1)).toBeCloseTo(14);
    expect(quantile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46);
  });
  it('fitLine recovers an exact line', () => {
    const f = fitLine([1, 4, 16, 64, 256].map((n) => [n, 500 + 30 * n] as [number, number]));
    expect(f.intercept).toBeCloseTo(500, 9);
    expect(f.slope).toBeCloseTo(30, 9);
  });
  it('repetition means become uniform over [p10, p90], clamped at 0', () => {
    expect(spreadOfMeans([10, 20, 30, 40, 50])).toEqual({ kind: 'uniform', min: 14, max: 46 });
    expect(spreadOfMeans([-1.6, -1.5, -1.4])).toEqual({ kind: 'const', value: 0 });
  });
  it('per-event samples become lognormal without the samples above p99', () => {
    const values = [...Array.from({ length: 199 }, (_, i) => 1000 + (i % 10)), 1e6];
    const d = perEventDist(values);
    expect(d.kind).toBe('lognormal');
    if (d.kind === 'lognormal') {
      expect(d.mean).toBeGreaterThan(1000);
      expect(d.mean).toBeLessThan(1010);
      expect(d.cv).toBeLessThan(0.01);
    }
  });
});

describe('explainFailure', () => {
  const config = parseKernelConfig('CONFIG_BPF=y\n# CONFIG_KPROBES is not set\nCONFIG_LSM="a,b"\nCONFIG_BPF_LSM=y\n');
  it('reads set, string and unset options', () => {
    expect(config.get('CONFIG_BPF')).toBe('y');
    expect(config.get('CONFIG_LSM')).toBe('a,b');
    expect(config.get('CONFIG_KPROBES')).toBe('n');
  });
  it('names the missing kernel options of a refused kprobe', () => {
    const why = explainFailure('kprobe', { stage: 'attach', errno: 2, message: 'No such file or directory', detail: "libbpf: failed to create kprobe 'f+0x0' perf event: No such file or directory\n" }, config, 'none [integrity] confidentiality');
    expect(why).toContain('attach failed: No such file or directory (errno 2)');
    expect(why).toContain('kernel built without CONFIG_KPROBES, CONFIG_KPROBE_EVENTS');
    expect(why).toContain('lockdown is "integrity"');
  });
  it('says a trampoline type was refused before verification only when no verifier log came back', () => {
    const bare = { stage: 'load', errno: 1, message: 'Operation not permitted', detail: "libbpf: prog 'e_lsm': BPF program load failed: Operation not permitted\n" };
    expect(explainFailure('lsm', bare, config)).toContain('before verification');
    const verified = { ...bare, detail: `${bare.detail}-- BEGIN PROG LOAD LOG --\n0: (b7) r0 = 0\n-- END PROG LOAD LOG --\n` };
    expect(explainFailure('lsm', verified, config)).not.toContain('before verification');
  });
  it("keeps libbpf's message, not its generic advice", () => {
    const m = kernelMessage({ stage: 'load', errno: 1, message: '', detail: "libbpf: prog 'x': BPF program load failed: Operation not permitted\nlibbpf: permission error while running as root; try raising 'ulimit -l'? current value: 8.0 MiB\nlibbpf: failed to load object 'calib'\n" });
    expect(m).toBe("prog 'x': BPF program load failed: Operation not permitted");
  });
});

/** A small but complete set of measurements, as the loader and the Python bench print them. */
function fixture(): CalibRecord[] {
  const lines = [INFO, '{"kind":"pyinfo","implementation":"CPython","version":"3.11.7","executable":"/usr/bin/python3"}'];
  const op = (name: string, samples: number[], size?: number): string =>
    JSON.stringify({ kind: 'op', name, ...(size ? { size } : {}), iters: 2000, errors: 0, samples });
  lines.push(op('map.hash.lookup', [24, 25, 26, 27, 28]));
  lines.push(op('map.array.lookup', [-1.6, -1.6, -1.5]));
  lines.push(op('helper.ktime_get_ns', [33, 34, 35]));
  lines.push(op('map.percpu_array.update', [28, 28.3, 29]));
  for (const size of [8, 64, 4096]) {
    lines.push(op('submit.ringbuf.output', [40 + size / 10, 42 + size / 10, 44 + size / 10], size));
    lines.push(op('submit.perf_buffer.output', [170 + size / 10, 175 + size / 10], size));
    lines.push(op('submit.failed.ringbuf', [25, 25], size));
    lines.push(op('submit.failed.perf_buffer', [91, 92], size));
  }
  lines.push(JSON.stringify({ kind: 'attach', name: 'tracepoint', calls: 90000, baseNs: [233, 234, 235], withNs: [380, 381, 382], samples: [146, 147, 148] }));
  lines.push(JSON.stringify({ kind: 'wakeup', name: 'ringbuf.producer', samples: Array.from({ length: 100 }, (_, i) => 11000 + 10 * i) }));
  lines.push(JSON.stringify({ kind: 'wakeup', name: 'ringbuf.consumerCpuPerWake', samples: Array.from({ length: 100 }, () => 20000) }));
  const pts = (a: number, b: number): [number, number][] => [1, 4, 16, 64, 256].map((n) => [n, a + b * n]);
  for (const b of ['ringbuf', 'perf_buffer']) {
    lines.push(JSON.stringify({ kind: 'consumer', name: `${b}.consume`, size: 64, points: pts(40, 3) }));
    lines.push(JSON.stringify({ kind: 'consumer', name: `${b}.poll`, size: 64, points: pts(600, 3) }));
    lines.push(JSON.stringify({ kind: 'python', name: `${b}.noop`, size: 64, points: pts(1500, 450) }));
    lines.push(JSON.stringify({ kind: 'python', name: `${b}.decode`, size: 64, points: pts(1500, 1500) }));
    lines.push(JSON.stringify({ kind: 'python', name: `${b}.simple`, size: 64, points: pts(1500, 1600) }));
  }
  const { records, problems } = parseLines(lines.join('\n'), 'fixture');
  expect(problems).toEqual([]);
  return records;
}

describe('profile', () => {
  const defaults = loadCatalog('default').provenance;
  const refused = new Map([['kprobe', 'attach failed: No such file or directory; kernel built without CONFIG_KPROBES']]);
  const profile = new ProfileBuilder(fixture(), { date: '2026-11-25', defaults, refused }).build();
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-calib-'));
  const file = join(dir, 'profile.yaml');
  writeFileSync(file, profileYaml(profile, ['test header']));
  const catalog = loadCatalog(file);

  it('loads as a catalog, and every entry says measured on this host or not measured here', () => {
    expect(catalog.provenance.length).toBe(profile.entries.size);
    for (const p of catalog.provenance) {
      expect(p.source, p.path).toMatch(/^(measured on h1, kernel 6\.18\.44-fc, 2026-11-25, by |not measured here: from default profile \()/);
    }
    expect(catalog.provenance.filter((p) => p.source.startsWith('measured')).length).toBe(profile.measured.size);
  });
  it('writes repetition means as uniform over [p10, p90]', () => {
    expect(catalog.attach.tracepoint.entry).toEqual({ kind: 'uniform', min: 146.2, max: 147.8 });
    expect(catalog.attach.tracepoint.exit).toEqual({ kind: 'const', value: 0 });
    expect(catalog.maps.hash!.lookup).toEqual({ kind: 'uniform', min: 24.4, max: 27.6 });
    expect(catalog.maps.array!.lookup).toEqual({ kind: 'const', value: 0 });
    expect(catalog.submit.batchAdd).toEqual(spreadOfMeans([28, 28.3, 29]));
  });
  it('replaces a measured size table whole, row by measured row', () => {
    expect(catalog.submit.ringbuf.bytes).toEqual([8, 64, 4096]);
    expect(catalog.submit.perf_buffer.cost[2]).toEqual(spreadOfMeans([579.6, 584.6]));
    expect(catalog.submit.failed).toEqual({ kind: 'uniform', min: 25, max: 91.9 });
  });
  it('fits the reader: perBatch is the intercept, perEvent the slope', () => {
    expect(catalog.consumer.libbpf.read).toEqual({ kind: 'const', value: 3 });
    expect(catalog.consumer.libbpf.pollCost).toEqual({ kind: 'const', value: 600 });
    expect(catalog.consumer['bcc-python'].read).toEqual({ kind: 'const', value: 450 });
    expect(catalog.consumer['bcc-python'].decode).toEqual({ kind: 'const', value: 1050 });
    expect(catalog.consumer['bcc-python'].callback.simple).toEqual({ kind: 'const', value: 100 });
    // wake-up cycle 20 us minus a poll (600) and two reads (2 x 3)
    expect(catalog.consumer.libbpf.wakeCost).toEqual({ kind: 'const', value: 19394 });
  });
  it('copies what it did not measure from the default profile, and says why a type was not measured', () => {
    const kprobe = catalog.provenance.find((p) => p.path === 'attach.kprobe.entry')!;
    const def = defaults.find((p) => p.path === 'attach.kprobe.entry')!;
    expect(kprobe.source).toBe(`not measured here: from default profile (${def.source})`);
    expect(kprobe.note).toContain('could not be measured on h1: attach failed');
    expect(catalog.attach.kprobe.entry).toEqual(loadCatalog('default').attach.kprobe.entry);
  });
  it('writes lognormal per-event spreads with their mean and cv', () => {
    const w = catalog.wakeup.ringbuf.producer;
    expect(w.kind).toBe('lognormal');
    const raw = parse(profileYaml(profile, [])) as { wakeup: { ringbuf: { producer: { value: { dist: string } } } } };
    expect(raw.wakeup.ringbuf.producer.value.dist).toBe('lognormal');
  });
  it('formats distributions the way catalog files write them', () => {
    expect(distValue({ kind: 'uniform', min: 0.52, max: 1.8 })).toBe('0.52-1.8ns');
    expect(distValue({ kind: 'const', value: 146 })).toBe('146ns');
    expect(distValue({ kind: 'lognormal', mean: 11686.4, cv: 0.08612 })).toEqual({ dist: 'lognormal', mean: '11686ns', cv: 0.086 });
  });
});

describe('plan', () => {
  it('runs every measurement, with fewer repetitions when quick', () => {
    const b = { loader: '/b/bpfsim-calib', shim: '/b/shim.so', python: '/c/pycallback.py', pyreader: '/c/pyreader.py' };
    const quick = plan(b, true);
    const full = plan(b, false);
    expect(quick.map((s) => s.args[0])).toEqual(['info', 'ops', 'attach', 'wakeup', 'wakeup', 'consumer', 'wakeup', 'wakeup', 'consumer', '/c/pycallback.py']);
    const reps = (steps: typeof quick): number => Number(steps[1].args[steps[1].args.indexOf('--reps') + 1]);
    expect(reps(quick)).toBeLessThan(reps(full));
  });
});
