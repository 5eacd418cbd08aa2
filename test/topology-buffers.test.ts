/**
 * output.cpusPerBuffer: one buffer per k CPUs (Falco's cpus_for_each_buffer). At k = 1 a perf
 * buffer is today's per-CPU ring, byte for byte; a ringbuf per k CPUs has ceil(cpus / k) rings,
 * each holding the records of its k CPUs only and each with its own reserve lock.
 */
import { describe, expect, it } from 'vitest';
import { loadModel, type LoadOptions } from '../src/model/load.js';
import { runScenario } from '../src/simulation/simulate.js';
import { ringbufRecordBytes } from '../src/records/sizes.js';
import { ModelError } from '../src/model/errors.js';

/** The default model (4 CPUs, 128-byte events) on a short span. */
function load(set: string[] = [], opts: LoadOptions = {}) {
  return loadModel({ duration: '30ms', ...opts, set: ['traffic.warmup=3ms', ...set] });
}

function run(opts: LoadOptions) {
  const { scenario, catalog } = opts.text === undefined ? load(opts.set) : loadModel(opts);
  return runScenario(scenario, catalog);
}

const SHORT = {};

describe('cpusPerBuffer', () => {
  it('k = 1 on a perf buffer is the per-CPU ring of today: the same Result JSON, byte for byte', () => {
    const today = run({ ...SHORT });
    const k1 = run({ ...SHORT, set: ['output.cpusPerBuffer=1'] });
    expect(JSON.stringify(k1)).toBe(JSON.stringify(today));
  });

  it('k >= cpus on a ringbuf is the one shared ring of today, byte for byte', () => {
    const base = ['output.type=ringbuf', 'output.size=64KiB'];
    const today = run({ ...SHORT, set: base });
    for (const k of [4, 64]) {
      expect(JSON.stringify(run({ ...SHORT, set: [...base, `output.cpusPerBuffer=${k}`] }))).toBe(JSON.stringify(today));
    }
  });

  it('a perf buffer cannot serve 2 CPUs: a model error naming the field and the way out', () => {
    let err: unknown;
    try { load(['output.cpusPerBuffer=2']); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ModelError);
    const p = (err as ModelError).problems.find((x) => x.path.includes('cpusPerBuffer'));
    expect(p?.hint).toMatch(/ringbuf/);
  });

  it('k = 2: two CPUs share one ring\'s room; a reader that never reads leaves each ring full with its own CPUs\' records', () => {
    const size = 256 * 1024; // 1927 records: a CPU at 100k events/s fills its own in ~19 ms
    const rec = ringbufRecordBytes(128);
    const held: number[] = [];
    for (const k of [1, 2, 4]) {
      const r = run({
        // A reader whose callback takes a second reads at most one record: the rings only fill.
        set: ['output.type=ringbuf', `output.size=${size}`, `output.cpusPerBuffer=${k}`, 'consumer.callback=1s', 'consumer.stalls=none'],
      });
      const rings = r.occupancy.rings;
      expect(rings.length).toBe(Math.ceil(4 / k));
      // Every ring is full to the last whole record, whichever of its CPUs wrote them.
      for (const ring of rings) expect(ring.highWaterBytes).toBe(Math.floor(size / rec) * rec);
      // The rings hold ceil(cpus / k) rings' worth at most (those generated after the warm-up
      // are counted), the rest is lost.
      expect(r.events.inBuffer).toBeLessThanOrEqual(Math.ceil(4 / k) * Math.floor(size / rec));
      expect(r.events.consumed).toBe(0); // the one record taken is still in its callback
      expect(r.events.lost).toBe(r.events.generated - r.events.inBuffer);
      held.push(r.events.inBuffer);
      if (k === 2) expect(rings.map((x) => x.name)).toEqual(['ringbuf0 (cpu0-1)', 'ringbuf1 (cpu2-3)']);
    }
    expect(held[0]).toBeGreaterThan(held[1]);
    expect(held[1]).toBeGreaterThan(held[2]);
  });

  it('each ring\'s reserve lock serialises only its own k CPUs: a lock-bound rate of ceil(cpus / k) / hold', () => {
    // A 1 us critical section and no hand-off: 4 flat-out CPUs want far more reservations than
    // one lock grants; per k CPUs a lock grants 1 per us.
    const text = (k: number) => `
name: lock-bound ringbuf
cpus: 4
traffic: { arrival: saturate, duration: 20ms, warmup: 2ms }
datapath: { service: 100ns }
probes:
  - name: p
    attach: raw_tracepoint
    entry: 10ns
    exit: 10ns
    program: [ { submit: { bytes: 64 } } ]
output: { type: ringbuf, size: 1MiB, cpusPerBuffer: ${k} }
consumer: { runtime: libbpf, callback: 10ns }
costs:
  ringbufLock.hold: 1us
  ringbufLock.handoff: 0ns
  ringbufLock.perDoubling: 0ns
`;
    const rate = (k: number) => {
      const r = run({ text: text(k), file: 'lock.yaml' });
      return r.events.submitCalls / ((r.meta.simulatedNs - r.meta.warmupNs) / 1e9);
    };
    expect(rate(4) / 1e6).toBeCloseTo(1, 1);
    expect(rate(2) / 1e6).toBeCloseTo(2, 1);
    expect(rate(1)).toBeGreaterThan(3.5e6);
  });

  it('memory counts ceil(host CPUs / k) rings', () => {
    const base = ['output.type=ringbuf', 'output.size=1MiB', 'hostCpus=16'];
    const one = load(base);
    const per2 = load([...base, 'output.cpusPerBuffer=2']);
    const per3 = load([...base, 'output.cpusPerBuffer=3']);
    const mem = (l: ReturnType<typeof loadModel>) => runScenario(l.scenario, l.catalog).memory.buffers;
    const ring = mem(one);
    expect(mem(per2)).toBe(8 * ring);
    expect(mem(per3)).toBe(6 * ring);
  });
});
