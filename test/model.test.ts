/**
 * The model layer: valid models load and resolve, every cost the model leaves out comes from
 * the catalog by the rules of DESIGN.md / model-format.md, and what the model gives wins.
 */
import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/simulation/simulate.js';
import { distMean, scaleDist } from '../src/distributions/sampler.js';
import { loadCatalog, sizeCost } from '../src/model/catalog.js';
import { ModelError } from '../src/model/errors.js';
import { DEFAULT_MODEL_PATH, loadModel, loadModelObject } from '../src/model/load.js';
import type { Scenario, Step } from '../src/model/scenario.js';
import { modelErrorMessage } from './helpers/errors.js';

const catalog = loadCatalog('default');

/** A small valid model to vary in each test. */
function base(): Record<string, unknown> {
  return {
    name: 'test',
    traffic: { rate: '100k', duration: '100ms' },
    datapath: { service: '1us' },
    probes: [{ name: 'p', attach: 'kprobe', program: [] as unknown[] }],
  };
}

function withProgram(program: unknown[], extra: Record<string, unknown> = {}): Scenario {
  const m = base();
  (m.probes as { program: unknown[] }[])[0].program = program;
  return loadModelObject({ ...m, ...extra }, 'test.yaml').scenario;
}

function ops(s: Scenario): Extract<Step, { kind: 'op' }>[] {
  return s.probes[0].program.filter((x): x is Extract<Step, { kind: 'op' }> => x.kind === 'op');
}

describe('loadModel', () => {
  it('loads the built-in default model when given no file', () => {
    const { scenario, model, source } = loadModel();
    expect(source).toContain('default.yaml');
    expect(DEFAULT_MODEL_PATH).toMatch(/models[/\\]default\.yaml$/);
    expect(model.output.type).toBe('perf_buffer');
    // The default model is the lossy BCC default: a perf buffer of 8 pages, a wake-up per event.
    expect(scenario.output).toMatchObject({ type: 'perf_buffer', pageCnt: 8, wakeupEvents: 1 });
    expect(scenario.consumer).toMatchObject({ runtime: 'bcc-python', reader: 'perf-per-record', pollTimeout: Infinity });
    expect(scenario.probes[0].program.some((s) => s.kind === 'submit')).toBe(true);
  });

  it('the default model loses events at BCC defaults (the real simulator)', () => {
    const lossy = loadModel({ duration: '200ms' });
    const result = runScenario(lossy.scenario, lossy.catalog);
    expect(result.events.lost).toBeGreaterThan(0);
    expect(result.events.lostPct).toBeGreaterThan(10);
  });

  it('loads every tool model in models/tools', () => {
    const dir = new URL('../models/tools/', import.meta.url);
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const { scenario } = loadModel({ file: join(dir.pathname, f) });
      expect(scenario.name.length, f).toBeGreaterThan(0);
    }
  });

  it('reads JSON as well as YAML', () => {
    const { scenario } = loadModel({ text: JSON.stringify(base()), file: 'm.json' });
    expect(scenario.traffic.rate).toBe(100_000);
  });

  it('applies --seed and --duration over the model', () => {
    const { scenario } = loadModel({ text: JSON.stringify(base()), seed: 7, duration: '2s' });
    expect(scenario.seed).toBe(7);
    expect(scenario.traffic.duration).toBe(2e9);
    // The warm-up default follows the overridden duration.
    expect(scenario.traffic.warmup).toBe(0.05 * 2e9);
  });

  it('returns a raw object that reloads to the same scenario (what-if variants)', () => {
    const a = loadModel();
    const b = loadModelObject(a.raw, a.source);
    expect(b.scenario).toEqual(a.scenario);
    const variant = structuredClone(a.raw) as { output: Record<string, unknown> };
    variant.output.pageCnt = 64;
    expect(loadModelObject(variant, a.source).scenario.output).toMatchObject({ pageCnt: 64 });
    // The caller's object is never modified.
    expect((a.raw as { output: { pageCnt: number } }).output.pageCnt).toBe(8);
  });

  it('accepts an absurdly long run only when forced', () => {
    const long = { ...base(), traffic: { rate: '1M', duration: '600s' } };
    expect(() => loadModelObject(long, 't.yaml')).toThrow(/would simulate 6.00e8 packets/);
    expect(loadModelObject(long, 't.yaml', { force: true }).scenario.traffic.duration).toBe(600e9);
  });

  it('applies --set before validation', () => {
    const { scenario } = loadModel({ set: ['output.pageCnt=64', 'traffic.rate=1.2M', 'consumer.runtime=libbpf'] });
    expect(scenario.output).toMatchObject({ pageCnt: 64 });
    expect(scenario.traffic.rate).toBe(1.2e6);
    expect(scenario.consumer.reader).toBe('perf-batch');
  });
});

describe('defaults', () => {
  const s = loadModelObject(base(), 'test.yaml').scenario;

  it('fills the documented defaults', () => {
    expect(s.kernel).toMatchObject({ major: 5, minor: 15 });
    expect(s.cpus).toBe(4);
    expect(s.memory.hostCpus).toBe(4);
    expect(s.seed).toBe(1);
    expect(s.jit).toBe(true);
    expect(s.traffic).toMatchObject({ arrival: 'poisson', rss: 'random', duration: 100e6, warmup: 5e6 });
    expect(s.datapath.rxQueue).toBe(1024);
    expect(s.probes[0].hitsPerPacket).toBe(1);
    expect(s.interval).toBe(100e6 / 100);
    expect(s.catalog).toBe('default');
  });

  it('perf buffer: 8 pages, wake-up per event, watermark half the ring', () => {
    expect(s.output).toMatchObject({ type: 'perf_buffer', pageCnt: 8, wakeupEvents: 1, onFull: 'drop', pageSize: catalog.pageSize });
    if (s.output.type !== 'perf_buffer') throw new Error('type');
    expect(s.output.watermarkBytes).toBe((8 * catalog.pageSize) / 2);
  });

  it('ringbuf: 256 KiB, adaptive notification, the catalog lock costs', () => {
    const r = loadModelObject({ ...base(), output: { type: 'ringbuf' } }, 't.yaml').scenario;
    expect(r.output).toMatchObject({ type: 'ringbuf', size: 256 * 1024, notify: 'adaptive', lock: catalog.ringbufLock });
    expect(r.output.wakeup).toEqual(catalog.wakeup.ringbuf);
    expect(r.consumer.reader).toBe('ringbuf');
  });

  it('consumer: bcc-python blocks forever, libbpf polls every 100 ms; costs from the catalog', () => {
    const py = s.consumer;
    const cat = catalog.consumer['bcc-python'];
    expect(py).toMatchObject({ runtime: 'bcc-python', reader: 'perf-per-record', cpu: 'dedicated', pollTimeout: Infinity, logBytes: 227 });
    expect(py.perEvent).toEqual({ read: cat.read, decode: cat.decode, callback: cat.callback.medium, log: cat.log });
    expect(py.pollCost).toEqual(cat.pollCost);
    expect(py.wakeCost).toEqual(cat.wakeCost);
    expect(py.lostCost).toEqual(cat.lost);
    const lib = loadModelObject({ ...base(), consumer: { runtime: 'libbpf', callback: 'complex' } }, 't.yaml').scenario.consumer;
    expect(lib).toMatchObject({ reader: 'perf-batch', pollTimeout: 100e6 });
    expect(lib.perEvent.callback).toEqual(catalog.consumer.libbpf.callback.complex);
  });

  it('memory parameters come from the catalog and the consumer runtime', () => {
    expect(s.memory).toEqual({
      base: catalog.consumer['bcc-python'].baseMemory,
      jitPerProgram: catalog.memory.jitPerProgram,
      other: catalog.memory.other,
      hostCpus: 4,
    });
  });
});

describe('resolving costs', () => {
  it('attach entry and exit from the catalog unless given', () => {
    const s = withProgram([]);
    expect(s.probes[0].entry).toEqual(catalog.attach.kprobe.entry);
    expect(s.probes[0].exit).toEqual(catalog.attach.kprobe.exit);
    const m = base();
    (m.probes as Record<string, unknown>[])[0].entry = '30-50ns';
    expect(loadModelObject(m, 't.yaml').scenario.probes[0].entry).toEqual({ kind: 'uniform', min: 30, max: 50 });
  });

  it('map ops by type and op; helpers by name with counts; explicit costs win', () => {
    const s = withProgram([
      { map: { type: 'hash', op: 'lookup' } },
      { map: { type: 'array', op: 'update', count: 3 } },
      { helper: 'ktime_get_ns' },
      { helper: { name: 'probe_read', count: 2 } },
      { helper: 'bpf_get_current_pid_tgid' },
      { helper: { name: 'ktime_get_ns', cost: '7ns' } },
      { map: { type: 'hash', op: 'delete', cost: '1us' } },
    ]);
    const o = ops(s);
    expect(o[0]).toMatchObject({ cost: catalog.maps.hash!.lookup, count: 1 });
    expect(o[1]).toMatchObject({ cost: catalog.maps.array!.update, count: 3 });
    expect(o[2]).toMatchObject({ name: 'ktime_get_ns', cost: catalog.helpers.ktime_get_ns, count: 1 });
    expect(o[3]).toMatchObject({ cost: catalog.helpers.probe_read, count: 2 });
    // "bpf_" prefixes name the same helper.
    expect(o[4].cost).toEqual(catalog.helpers.get_current_pid_tgid);
    expect(o[5].cost).toEqual({ kind: 'const', value: 7 });
    expect(o[6].cost).toEqual({ kind: 'const', value: 1000 });
  });

  it('a map step may name a declared map instead of its type', () => {
    const s = withProgram([{ map: { name: 'conns', op: 'update' } }], {
      maps: [{ name: 'conns', type: 'lru_hash', key: 8, value: 16, maxEntries: 1000 }],
    });
    expect(ops(s)[0].cost).toEqual(catalog.maps.lru_hash!.update);
  });

  it('insns: N x the catalog instruction cost', () => {
    const s = withProgram([{ insns: 200 }]);
    expect(ops(s)[0].cost).toEqual(scaleDist(catalog.insn, 200));
    expect(distMean(ops(s)[0].cost)).toBeCloseTo(200 * distMean(catalog.insn), 9);
  });

  it('jit: false scales program logic (op, insns) by interpreterFactor, not helpers or maps', () => {
    const program = [{ op: { name: 'parse', cost: '100ns' } }, { insns: 50 }, { helper: 'ktime_get_ns' }, { map: { type: 'hash', op: 'lookup' } }];
    const jit = ops(withProgram(program));
    const interp = ops(withProgram(program, { jit: false }));
    const k = catalog.interpreterFactor;
    expect(distMean(interp[0].cost)).toBeCloseTo(k * distMean(jit[0].cost), 9);
    expect(distMean(interp[1].cost)).toBeCloseTo(k * distMean(jit[1].cost), 9);
    expect(interp[2].cost).toEqual(jit[2].cost);
    expect(interp[3].cost).toEqual(jit[3].cost);
  });

  it('submit: size-table cost for bytes x batch, batch-add cost, sampling, flush timeout', () => {
    const s = withProgram([{ submit: { bytes: 128, batch: 16, flushTimeout: '1ms', sample: 10 } }]);
    const sub = s.probes[0].program[0];
    expect(sub).toMatchObject({ kind: 'submit', bytes: 128, batch: 16, sample: 10, flushTimeout: 1e6 });
    if (sub.kind !== 'submit') throw new Error('kind');
    expect(sub.cost).toEqual(sizeCost(catalog.submit.perf_buffer, 128 * 16));
    expect(sub.batchAddCost).toEqual(catalog.submit.batchAdd);
    const plain = withProgram([{ submit: { bytes: 64 } }]).probes[0].program[0];
    expect(plain).toMatchObject({ batch: 1, sample: 1, flushTimeout: Infinity });
    const rb = withProgram([{ submit: { bytes: 64 } }], { output: { type: 'ringbuf' } }).probes[0].program[0];
    if (rb.kind !== 'submit') throw new Error('kind');
    expect(rb.cost).toEqual(sizeCost(catalog.submit.ringbuf, 64));
  });

  it('aggregate: an update of the named map; the consumer reads and logs its entries', () => {
    const s = withProgram([{ aggregate: { map: 'stats' } }], {
      maps: [{ name: 'stats', type: 'percpu_array', key: 4, value: 8, maxEntries: 64, fill: 0.5 }],
      consumer: { aggregateInterval: '500ms', logBytes: 100 },
    });
    expect(s.probes[0].program[0]).toEqual({ kind: 'aggregate', map: 'stats', cost: catalog.maps.percpu_array!.update });
    expect(s.consumer.aggregateRead).toEqual({
      interval: 500e6,
      perEntry: catalog.consumer['bcc-python'].aggregatePerEntry,
      // 32 filled keys; a per-CPU array holds a value per host CPU for each (cpus defaults to 4)
      entries: 32 * s.memory.hostCpus,
      logBytesPerRead: 32 * 100,
    });
    expect(s.memory.hostCpus).toBe(4);
  });

  it('filters and loops keep their structure', () => {
    const s = withProgram([{ filter: { pass: 0.05 } }, { loop: { count: 8, body: [{ helper: 'ktime_get_ns' }, { insns: 10 }] } }]);
    expect(s.probes[0].program[0]).toEqual({ kind: 'filter', pass: 0.05 });
    const loop = s.probes[0].program[1];
    expect(loop.kind).toBe('loop');
    if (loop.kind !== 'loop') throw new Error('kind');
    expect(loop.count).toBe(8);
    expect(loop.body.map((b) => b.kind)).toEqual(['op', 'op']);
  });

  it('output wake-up and failure costs from the catalog', () => {
    const s = withProgram([]);
    expect(s.output.wakeup).toEqual(catalog.wakeup.perf_buffer);
    expect(s.output.failedCost).toEqual(catalog.submit.failed);
  });

  it('costs: overrides catalog entries by path', () => {
    const s = withProgram([{ helper: 'ktime_get_ns' }], {
      costs: { 'wakeup.perf_buffer.producer': '1.5us', 'helpers.ktime_get_ns': '99ns' },
    });
    expect(s.output.wakeup.producer).toEqual({ kind: 'const', value: 1500 });
    expect(ops(s)[0].cost).toEqual({ kind: 'const', value: 99 });
  });

  it('a callback given as a distribution is used as is', () => {
    const s = loadModelObject({ ...base(), consumer: { callback: { dist: 'exponential', mean: '4us' } } }, 't.yaml').scenario;
    expect(s.consumer.perEvent.callback).toEqual({ kind: 'exponential', mean: 4000 });
  });
});

describe('traffic', () => {
  it('bursty: the mean rate follows from the on/off states', () => {
    const s = loadModelObject({ ...base(), traffic: { arrival: 'bursty', burst: { onRate: '2M', offRate: '50k', on: '1ms', off: '4ms' } } }, 't.yaml').scenario;
    expect(s.traffic.rate).toBeCloseTo((2e6 * 1 + 5e4 * 4) / 5, 6);
    expect(s.traffic.burst).toEqual({ onRate: 2e6, offRate: 5e4, onMean: 1e6, offMean: 4e6 });
  });

  it('saturate has no offered rate', () => {
    const s = loadModelObject({ ...base(), traffic: { arrival: 'saturate', duration: '10ms' } }, 't.yaml').scenario;
    expect(s.traffic).toMatchObject({ arrival: 'saturate', rate: 0, duration: 10e6 });
  });

  it('trace: timestamps read relative to the model file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-model-'));
    mkdirSync(join(dir, 'traces'));
    writeFileSync(join(dir, 'traces', 't.txt'), '# arrivals\n0\n1500\n2us\n\n3.5us\n');
    const model = { ...base(), traffic: { arrival: 'trace', trace: 'traces/t.txt', duration: '4us' } };
    writeFileSync(join(dir, 'm.json'), JSON.stringify(model));
    const s = loadModel({ file: join(dir, 'm.json') }).scenario;
    expect(s.traffic.times).toEqual([0, 1500, 2000, 3500]);
    expect(s.traffic.rate).toBeCloseTo(4 / 4e-6, 3);
    expect(s.traffic.summary).toMatchObject({ format: 'text', packets: 4, span: 3500 });
  });

  it('trace: shorter than the run is an error unless traffic.loop: true (then it repeats)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-model-'));
    // 4 packets 1 us apart: the trace lasts 4 us (its last packet plus one mean gap)
    writeFileSync(join(dir, 't.txt'), '0\n1us\n2us\n3us\n');
    const model = (extra: Record<string, unknown>) => ({ ...base(), traffic: { arrival: 'trace', trace: 't.txt', duration: '10us', ...extra } });
    writeFileSync(join(dir, 'once.json'), JSON.stringify(model({})));
    expect(() => loadModel({ file: join(dir, 'once.json') })).toThrow(/traffic\.duration: expected a run no longer than the trace \(4\.00 µs: 4 packets\).*traffic\.loop: true/s);
    writeFileSync(join(dir, 'loop.json'), JSON.stringify(model({ loop: true })));
    const s = loadModel({ file: join(dir, 'loop.json') }).scenario;
    expect(s.traffic.period).toBe(4000);
    // arrivals at 0,1,...,10 us: 11 packets in 10 us
    expect(s.traffic.rate).toBeCloseTo(11 / 10e-6, 3);
    const r = runScenario(s, loadModelObject(base(), 't.yaml').catalog);
    expect(r.throughput.offeredPps).toBeCloseTo(s.traffic.rate, 0);
  });

  it('trace: unsorted and malformed lines are problems in the trace file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-model-'));
    writeFileSync(join(dir, 't.txt'), '100\n50\nsoon\n');
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ ...base(), traffic: { arrival: 'trace', trace: 't.txt' } }));
    try {
      loadModel({ file: join(dir, 'm.json') });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      const lines = (e as ModelError).message.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/t\.txt: line 2: expected a time >= the line before/);
      // Only the first bad line is quoted (a path may name a file that is not a trace at all).
      expect(lines[1]).toMatch(/t\.txt: expected one timestamp per line, got 1 more line that is not a timestamp/);
    }
  });

  it('trace: a file that is not a trace is not printed, only a short excerpt of its first line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-model-'));
    const secret = 'DATABASE_PASSWORD=hunter2-very-long-secret-value\nAPI_TOKEN=abcdef\n';
    writeFileSync(join(dir, 'env'), secret.repeat(10));
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ ...base(), traffic: { arrival: 'trace', trace: 'env' } }));
    const message = modelErrorMessage(() => loadModel({ file: join(dir, 'm.json') }));
    expect(message).not.toContain('hunter2-very-long-secret-value');
    expect(message).not.toContain('API_TOKEN');
    expect(message.split('\n')).toHaveLength(2);
  });
});
