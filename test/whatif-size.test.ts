/**
 * `size` against answers known without the search: a model whose loss at each ring size follows
 * from arithmetic (the consumer sleeps a fixed poll period, so the ring must hold one period's
 * events), and a model whose consumer is slower than the event rate, where no size suffices.
 */
import { describe, expect, it, vi } from 'vitest';
import { loadModel } from '../src/model/load.js';
import { ModelError } from '../src/model/errors.js';
import { RING_UNUSABLE_BYTES, ringbufRecordBytes } from '../src/records/sizes.js';
import { baseModel } from '../src/whatif/base.js';
import { InlineExecutor, type Executor } from '../src/whatif/pool.js';
import { bufferMemory, runSize } from '../src/whatif/size.js';
import { sizeText } from '../src/report/size-report.js';

// One CPU, a constant 1.5M events/s into a ringbuf that never notifies (notify: none): the
// libbpf consumer wakes only on its 1 ms poll timeout, then drains at 100 ns per event (all
// costs constant, so every replication is the same). Between drains the ring must hold
// 1.5M/s x 1 ms = 1500 records of 136 B = 204,000 B: the answer is 256 KiB.
const LAMBDA = 1.5e6;
const POLL_NS = 1e6;
const PER_EVENT_NS = 100;
const REC = ringbufRecordBytes(128);
const KNOWN_MODEL = `
name: poll-period ringbuf
cpus: 1
seed: 3
traffic: { arrival: constant, rate: ${LAMBDA}, duration: 40ms, warmup: 4ms }
datapath: { service: 200ns, rxQueue: 100000 }
probes:
  - name: p
    attach: fentry
    entry: 5ns
    exit: 0ns
    program:
      - submit: { bytes: 128, cost: 50ns }
output: { type: ringbuf, notify: none }
consumer: { runtime: libbpf, callback: 50ns, pollTimeout: ${POLL_NS / 1e6}ms, stalls: none, logSink: none }
# The arithmetic below assumes the timeout wakes the reader at once: no wake latency, no idle exit.
costs:
  wakeup.ringbuf.latency: 0ns
  sched.idleExit: 0ns
  consumer.libbpf.read: 10ns
  consumer.libbpf.decode: 10ns
  consumer.libbpf.log: 30ns
  consumer.libbpf.pollCost: 100ns
  consumer.libbpf.wakeCost: 100ns
`;

/**
 * Loss at ring size S: each period the ring takes fit = (S - 8) / REC records and loses the rest
 * of the period's lambda x P; the drain of `fit` records, with arrivals meanwhile, lengthens the
 * cycle by fit x c / (1 - lambda x c).
 */
function expectedLossPct(size: number): number {
  const fit = Math.floor((size - RING_UNUSABLE_BYTES) / REC);
  const perPeriod = (LAMBDA * POLL_NS) / 1e9;
  if (fit >= perPeriod) return 0;
  const c = PER_EVENT_NS / 1e9;
  const drainNs = (fit * PER_EVENT_NS) / (1 - LAMBDA * c);
  return ((perPeriod - fit) / ((LAMBDA * (POLL_NS + drainNs)) / 1e9)) * 100;
}

describe('size', () => {
  it('finds the known smallest ringbuf size, and the loss curve around it follows the arithmetic', async () => {
    const loaded = loadModel({ text: KNOWN_MODEL, file: '<poll-period>' });
    const need = ((LAMBDA * POLL_NS) / 1e9) * REC + RING_UNUSABLE_BYTES;
    const known = 2 ** Math.ceil(Math.log2(need));
    expect(known).toBe(256 * 1024);

    const exec = new InlineExecutor();
    const run = vi.spyOn(exec, 'run');
    const r = await runSize({ base: baseModel(loaded, {}), targetLossPct: 0.1, plan: { replications: 2 } }, loaded, exec);
    expect(r.verdict).toBe('found');
    expect(r.answer!.size).toBe(known);
    expect(r.answer!.memoryBytes).toBe(known);
    // Bisection over 19 sizes (4 KiB .. 1 GiB), not a grid: a handful of sizes run.
    expect(r.curve.length).toBeLessThanOrEqual(8);
    expect(run.mock.calls.length).toBe(r.curve.length * 2);
    // The neighbours of the answer were run, and the curve is the computed one.
    const sizes = r.curve.map((p) => p.size);
    expect(sizes).toEqual(expect.arrayContaining([known / 4, known / 2, known, known * 2]));
    for (const p of r.curve) {
      expect(p.loss.mean).toBeGreaterThanOrEqual(0);
      expect(Math.abs(p.loss.mean - expectedLossPct(p.size))).toBeLessThan(2);
    }
    const losses = r.curve.map((p) => p.loss.mean);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThanOrEqual(losses[i - 1]);
    expect(r.curve.find((p) => p.size === known / 2)!.loss.mean).toBeGreaterThan(20);
    expect(sizeText(r)).toMatch(/ringbuf size 256 KiB keeps lost events under 0\.1%/);
  }, 60_000);

  it('says no size suffices when the consumer is slower than the event rate, and what it would need', async () => {
    // The default model: 400k events/s into a BCC Python consumer costing 7.7 us per event
    // (catalog means: read 75 ns + decode 125 ns + callback 2 us + log 5.5 us).
    const loaded = loadModel({ duration: '20ms', set: ['traffic.warmup=2ms'] });
    const exec = { size: 1, run: vi.fn(), close: vi.fn() } as unknown as Executor;
    const r = await runSize({ base: baseModel(loaded, {}), targetLossPct: 0.1, plan: { replications: 3 } }, loaded, exec);
    expect(exec.run).not.toHaveBeenCalled();
    expect(r.verdict).toBe('rate-mismatch');
    // Its pauses count per event too: a 150 us collector pause every 20000 events, a 10.5 ms
    // blocking write to the file every 16 MiB of 227-byte lines.
    const pauses = 150e3 / 20000 + (10.5e6 * 227) / (16 * 1024 * 1024);
    expect(r.rate.stallNsPerEvent).toBeCloseTo(pauses, 6);
    expect(r.rate.perEventNs).toBeCloseTo(7700 + pauses, 6);
    expect(r.rate.eventRate).toBeCloseTo(400_000, 6);
    const per = 7700 + pauses;
    expect(r.rate.capacity).toBeCloseTo(1e9 / per, 6);
    expect(r.rate.neededPerEventNs).toBeCloseTo(2500, 9);
    expect(r.rate.floorLossPct).toBeCloseTo((1 - 1e9 / per / 400_000) * 100, 9);
    const text = sizeText(r);
    expect(text).toMatch(/no size suffices: events arrive at 400k\/s but the consumer handles at most 127k\/s \(7\.85 µs per event, 150 ns of it the reader's pauses/);
    expect(text).toMatch(/needs at most 2\.50 µs per event \(3\.14x faster\)/);
  });

  it('the rate floor is what the simulation loses once the buffer is full', async () => {
    const loaded = loadModel({ duration: '100ms', set: ['traffic.warmup=20ms'] });
    const r = await runSize({ base: baseModel(loaded, {}), targetLossPct: 0.1, plan: { replications: 2 } }, loaded, new InlineExecutor());
    const { runScenario } = await import('../src/simulation/simulate.js');
    const sim = runScenario(loaded.scenario, loaded.catalog); // pageCnt 8: full long before warm-up ends
    expect(Math.abs(sim.events.lostPct - r.rate.floorLossPct)).toBeLessThan(3);
  });

  it('perf buffer memory is host CPUs x pages x page size', async () => {
    const loaded = loadModel({ duration: '20ms', set: ['traffic.warmup=2ms', 'hostCpus=16', 'consumer.runtime=libbpf', 'traffic.rate=100k'] });
    expect(bufferMemory(loaded.scenario, 64)).toBe(16 * 64 * 4096);
    const r = await runSize({ base: baseModel(loaded, {}), targetLossPct: 5, plan: { replications: 2 }, min: 1, max: 8 }, loaded, new InlineExecutor());
    expect(r.curve.map((p) => p.size)).toEqual([1, 2, 4, 8]); // a small range is simply all run
    for (const p of r.curve) expect(p.memoryBytes).toBe(16 * p.size * 4096);
  }, 30_000);

  it('refuses what it cannot size: onFull block, a single replication', async () => {
    const blocking = loadModel({ duration: '20ms', set: ['traffic.warmup=2ms', 'output.onFull=block'] });
    await expect(runSize({ base: baseModel(blocking, {}), targetLossPct: 0.1, plan: { replications: 2 } }, blocking, new InlineExecutor())).rejects.toThrow(
      /onFull: block, where no event is ever lost/,
    );
    const loaded = loadModel({ duration: '20ms', set: ['traffic.warmup=2ms'] });
    await expect(runSize({ base: baseModel(loaded, {}), targetLossPct: 0.1, plan: { replications: 1 } }, loaded, new InlineExecutor())).rejects.toBeInstanceOf(ModelError);
  });
});
