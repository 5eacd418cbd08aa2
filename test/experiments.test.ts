/**
 * Every shipped experiment in its reduced form (--quick: short runs, 2 replications), as CI
 * runs them, with its key figures asserted by what they mean: early return and batching cut
 * the costs they claim to cut, the loss curve falls with page_cnt, the ringbuf's advantage
 * depends on the notification mode, the probe types rank as the benchmarks say, openEuler 4.19
 * refuses what it lacks, and the four measured tools land near their measurements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentPath, listExperiments, loadExperiment, runExperiment, type ExperimentResult } from '../src/experiments/index.js';
import type { Executor } from '../src/whatif/pool.js';
import { WorkerPool } from '../src/whatif/pool.js';
import { sameValue } from '../src/experiments/points.js';
import { loadCatalog, sizeCost } from '../src/model/catalog.js';
import { distMean } from '../src/distributions/moments.js';
import { reportHtml, summaryText } from '../src/experiments/output.js';
import { expectUserWords } from './helpers/words.js';

let exec: Executor;
beforeAll(() => {
  exec = new WorkerPool(2);
});
afterAll(async () => {
  await exec.close();
});

const TIMEOUT = 60_000;

async function quick(name: string): Promise<ExperimentResult> {
  const exp = loadExperiment(experimentPath(name), { quick: true });
  const done = await runExperiment(exp, exec);
  expect(done.interrupted).toBe(false);
  expect(done.result.complete).toBe(true);
  // Every chart the experiment defines has data in its reduced form too.
  expect(done.charts.map((c) => c.name).sort()).toEqual(exp.def.charts.map((c) => c.name).sort());
  // What it shows users speaks of published sources and the static estimate, not our history.
  expectUserWords(summaryText(exp, done.result), `experiment ${name}: summary`);
  expectUserWords(await reportHtml(exp, done.result, done.charts), `experiment ${name}: report.html`);
  expectUserWords(JSON.stringify(done.result), `experiment ${name}: experiment.json`);
  return done.result;
}

/** The mean of a figure at a named point of a points run. */
function at(r: ExperimentResult, run: string, point: string, figure: string): number {
  const rr = r.runs[run];
  if (rr.kind !== 'points') throw new Error(`${run} is not a points run`);
  const v = rr.result.variants.find((x) => x.name === point);
  const ci = v?.figures[figure];
  if (!ci) throw new Error(`${run}/${point}: no ${figure}`);
  return ci.mean;
}

/** The mean of a figure at the sweep point with these values. */
function atSweep(r: ExperimentResult, run: string, values: Record<string, string | number>, figure: string): number {
  const rr = r.runs[run];
  if (rr.kind !== 'sweep') throw new Error(`${run} is not a sweep`);
  const p = rr.result.points.find((q) => Object.entries(values).every(([k, v]) => sameValue(q.values[k], v)));
  const ci = p?.figures[figure];
  if (!ci) throw new Error(`${run} ${JSON.stringify(values)}: no ${figure}`);
  return ci.mean;
}

function finding(r: ExperimentResult, labelStart: string) {
  const f = r.findings.find((x) => x.label.startsWith(labelStart));
  if (!f) throw new Error(`no finding "${labelStart}"`);
  return f;
}

describe('the shipped experiments', () => {
  it('are the eight questions of the issue, each with charts and findings', () => {
    const names = listExperiments().map((e) => e.name);
    expect(names).toEqual(['batching', 'early-return', 'event-size', 'measured-tools', 'openeuler-4.19', 'page-cnt', 'perf-vs-ringbuf', 'probe-types']);
    for (const name of names) {
      const exp = loadExperiment(experimentPath(name));
      expect(exp.def.findings.length, name).toBeGreaterThan(0);
      expect(exp.def.charts.length, name).toBeGreaterThan(0);
      expect(exp.replications, name).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('experiments in their reduced form', () => {
  it('early-return: filtering 99% of packets first cuts kernel time per packet by a large factor', async () => {
    const r = await quick('early-return');
    const naive = at(r, 'tracers', 'naive', 'x.kernelPerPacketNs');
    const early = at(r, 'tracers', 'early-return', 'x.kernelPerPacketNs');
    // 20 ns check + 1% of the naive cost + the tc dispatch: tens of ns, not hundreds.
    expect(early).toBeGreaterThan(20);
    expect(early).toBeLessThan(60);
    expect(naive / early).toBeGreaterThan(8);
    const gain = finding(r, 'early-return gain in kernel time per packet, default');
    expect(gain.data.kind === 'ratio' && gain.data.estimate!.mean).toBeCloseTo(naive / early, 6);
    // Events fall 100x, so the Python reader's CPU falls by far more than the kernel's.
    expect(at(r, 'tracers', 'naive', 'cpu.consumerPct') / at(r, 'tracers', 'early-return', 'cpu.consumerPct')).toBeGreaterThan(20);
    // Along the pass sweep: passing everything costs more than passing 1%.
    expect(atSweep(r, 'pass', { catalog: 'default', 'probes[0].program[1].filter.pass': 1 }, 'x.kernelPerPacketNs')).toBeGreaterThan(
      5 * atSweep(r, 'pass', { catalog: 'default', 'probes[0].program[1].filter.pass': 0.01 }, 'x.kernelPerPacketNs'),
    );
  }, TIMEOUT);

  it('batching: 64 events per record cut submit calls 64x, but the output cost far less than 17x', async () => {
    const r = await quick('batching');
    const calls = at(r, 'default', 'naive', 'x.submitCallsPerSec') / at(r, 'default', 'batched', 'x.submitCallsPerSec');
    expect(calls).toBeGreaterThan(55);
    expect(calls).toBeLessThan(70);
    const gain = at(r, 'default', 'naive', 'x.outputCpusPct') / at(r, 'default', 'batched', 'x.outputCpusPct');
    // Far below the seed's 17x: every event still pays its batch add and its copy.
    expect(gain).toBeGreaterThan(1.5);
    expect(gain).toBeLessThan(12);
    // The seed's own arithmetic reproduces: 500 ns per event vs a 2000 ns batch of 64.
    expect(at(r, 'static', 'naive', 'x.outputPerEventNs')).toBeCloseTo(500, 0);
    const seedGain = at(r, 'static', 'naive', 'x.outputCpusPct') / at(r, 'static', 'static-arithmetic', 'x.outputCpusPct');
    expect(seedGain).toBeGreaterThan(13);
    expect(seedGain).toBeLessThan(19);
    // The floor has no output path at all.
    expect(at(r, 'default', 'floor', 'x.submitCallsPerSec')).toBe(0);
  }, TIMEOUT);

  it('perf-vs-ringbuf: the ratio depends on notification mode, load and producers', async () => {
    const r = await quick('perf-vs-ringbuf');
    const rate = (p: string) => at(r, 'saturated', p, 'x.consumedRate');
    // The default catalog's wake-up cost is taken from the benchmark (reference §3.1): a perf
    // producer flat out lands near its 0.93-1.48 M records/s, the ringbuf 10-36x faster.
    expect(rate('perf')).toBeGreaterThan(0.8e6);
    expect(rate('perf')).toBeLessThan(1.6e6);
    expect(rate('ringbuf') / rate('perf')).toBeGreaterThan(10);
    // Sampled notification closes most of the gap.
    expect(rate('ringbuf') / rate('perf-sampled')).toBeLessThan(rate('ringbuf') / rate('perf'));
    // The adaptive ringbuf rarely wakes a consumer that is behind; perf wakes on every record.
    expect(at(r, 'saturated', 'perf', 'x.wakeupsPerRecord')).toBeCloseTo(1, 6);
    expect(at(r, 'saturated', 'ringbuf', 'x.wakeupsPerRecord')).toBeLessThan(0.01);
    // One shared ring: more producers, costlier records; per-CPU perf buffers do not care.
    const rb1 = atSweep(r, 'producers', { 'output.type': 'ringbuf', cpus: 1 }, 'x.kernelPerEventNs');
    const rb8 = atSweep(r, 'producers', { 'output.type': 'ringbuf', cpus: 8 }, 'x.kernelPerEventNs');
    const pb1 = atSweep(r, 'producers', { 'output.type': 'perf_buffer', cpus: 1 }, 'x.kernelPerEventNs');
    const pb8 = atSweep(r, 'producers', { 'output.type': 'perf_buffer', cpus: 8 }, 'x.kernelPerEventNs');
    // (At 125k records/s per CPU the lock is rarely contended: a record pays the hold and, when
    // another CPU held the lock last, the ~130 ns cache-line hand-off; contention adds per doubling.)
    expect(rb8 / rb1).toBeGreaterThan(1.5);
    expect(Math.abs(pb8 / pb1 - 1)).toBeLessThan(0.1);
  }, TIMEOUT);

  it('page-cnt: loss falls as page_cnt grows under bursts; a saturated reader loses whatever the size', async () => {
    const r = await quick('page-cnt');
    const loss = (pages: number) => atSweep(r, 'bursts', { 'traffic.burst.on': '1ms', 'output.pageCnt': pages }, 'events.lostPct');
    expect(loss(1)).toBeGreaterThan(loss(8));
    expect(loss(8)).toBeGreaterThanOrEqual(loss(64));
    expect(loss(1)).toBeGreaterThan(5);
    // Memory on the 80-CPU host: (page_cnt + 1 metadata page) x 4 KiB per CPU.
    expect(atSweep(r, 'bursts', { 'traffic.burst.on': '1ms', 'output.pageCnt': 64 }, 'memory.buffers')).toBe(80 * 65 * 4096);
    expect(atSweep(r, 'steady', { 'traffic.rate': '100k', 'output.pageCnt': 1 }, 'events.lostPct')).toBe(0);
    expect(atSweep(r, 'steady', { 'traffic.rate': '150k', 'output.pageCnt': 1 }, 'events.lostPct')).toBeGreaterThan(5);
  }, TIMEOUT);

  it('probe-types: fentry < raw_tracepoint < kprobe < kretprobe < uprobe with the published costs', async () => {
    const r = await quick('probe-types');
    const rank = finding(r, 'ranking, default catalog');
    expect(rank.data.kind === 'rank' && rank.data.order.map((o) => o.point)).toEqual(['fentry', 'raw_tracepoint', 'kprobe', 'kretprobe', 'uprobe']);
    const ns = (p: string) => at(r, 'default', p, 'x.kernelPerPacketNs');
    // A uprobe costs several times a kprobe (reference §4.4: 330-650 ns vs 17-49 ns).
    expect(ns('uprobe') / ns('kprobe')).toBeGreaterThan(5);
    // The seed's table adds a 15-40 ns exit to every type: fentry costs more there.
    expect(at(r, 'static', 'fentry', 'x.kernelPerPacketNs')).toBeGreaterThan(ns('fentry'));
  }, TIMEOUT);

  it('event-size: bigger events cost more per record and overflow a fixed buffer sooner', async () => {
    const r = await quick('event-size');
    const cost = (type: string, bytes: number) => atSweep(r, 'cost', { 'output.type': type, 'probes[0].program[0].submit.bytes': bytes }, 'x.kernelPerEventNs');
    // What a bigger event adds per record is the copy: the catalog's transport cost at 4 KiB
    // less at 64 B (perf 93 -> 1273 ns, ringbuf 49.5 -> 1229.5 ns); the wake-up stays the same.
    const catalog = loadCatalog('default');
    for (const type of ['perf_buffer', 'ringbuf'] as const) {
      const copy = distMean(sizeCost(catalog.submit[type], 4096)) - distMean(sizeCost(catalog.submit[type], 64));
      const added = cost(type, 4096) - cost(type, 64);
      expect(added, type).toBeGreaterThan(0.8 * copy);
      expect(added, type).toBeLessThan(1.25 * copy);
    }
    const lost = (bytes: number) => atSweep(r, 'loss', { output: '{type: perf_buffer, pageCnt: 8}', 'probes[0].program[3].submit.bytes': bytes }, 'events.lostPct');
    expect(lost(4096)).toBeGreaterThan(lost(64) + 10);
  }, TIMEOUT);

  it('openeuler-4.19: refuses what the kernel lacks, naming the alternative; raw_tracepoint costs least', async () => {
    const r = await quick('openeuler-4.19');
    const refused = finding(r, 'what 4.19.90-openeuler refuses');
    if (refused.data.kind !== 'rejected') throw new Error('not a rejected finding');
    expect(refused.data.models.map((m) => m.name)).toEqual(['ringbuf', 'fentry', 'fexit', 'tp_btf', 'lsm', 'bounded-loop', '5000-insns']);
    for (const m of refused.data.models) {
      expect(m.rejected, m.name).toBe(true);
      expect(m.problems.join(' '), m.name).toMatch(/needs kernel \d\.\d+ or later; 4\.19\.90-openeuler lacks it \(hint: /);
    }
    const rank = finding(r, 'attach types on 4.19');
    expect(rank.data.kind === 'rank' && rank.data.order[0].point).toBe('raw_tracepoint');
    expect(rank.data.kind === 'rank' && rank.data.order.at(-1)!.point).toBe('kretprobe');
    expect(atSweep(r, 'buffers', { 'output.pageCnt': 8 }, 'memory.buffers')).toBe(80 * 9 * 4096);
    expect(atSweep(r, 'buffers', { 'output.pageCnt': 128 }, 'memory.buffers')).toBe(80 * 129 * 4096);
  }, TIMEOUT);

  it("measured-tools: the tools' simulated throughput change lands near their measurements", async () => {
    const r = await quick('measured-tools');
    const tp = (tool: string) => at(r, 'tools', tool, 'x.throughputChangePct');
    expect(tp('trace_conntrack')).toBeGreaterThan(-40); // seed -35.19%
    expect(tp('trace_conntrack')).toBeLessThan(-25);
    expect(tp('qdisc_drop')).toBeGreaterThan(-16); // seed -12.74%
    expect(tp('qdisc_drop')).toBeLessThan(-9);
    expect(Math.abs(tp('icmp_rtt'))).toBeLessThan(1); // seed -0.33%
    const ns = at(r, 'tools', 'perf_metrics', 'x.kernelPerPacketNs');
    expect(ns).toBeGreaterThan(20); // seed ~33 ns
    expect(ns).toBeLessThan(50);
    // Open load: the latency change grows with the load (queueing on top of the added cost).
    const lat = (rate: string) => atSweep(r, 'conntrack-load', { 'traffic.rate': rate }, 'latency.inflation.meanPct');
    expect(lat('1M')).toBeGreaterThan(lat('400k'));
  }, TIMEOUT);
});
