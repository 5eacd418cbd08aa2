/**
 * What-ifs and compare: each built-in what-if changes the model as documented; variants run
 * with common random numbers (same seeds: the same packets and the same baseline draws); a
 * batch of 64 divides the submit calls by 64 in the counters; the gain is a ratio with its CI.
 */
import { describe, expect, it } from 'vitest';
import { loadModel, loadModelObject } from '../src/model/load.js';
import { baseModel } from '../src/whatif/base.js';
import { runCompare, type CompareResult } from '../src/whatif/compare.js';
import { compareChartSpec, compareCsv, compareTable, formatChange } from '../src/report/compare-report.js';
import { createExecutor, InlineExecutor } from '../src/whatif/pool.js';
import { parseWhatIf } from '../src/whatif/whatifs.js';
import { modelErrorMessage } from './helpers/errors.js';

const loaded = loadModel({ duration: '20ms', set: ['traffic.warmup=2ms'] });
const base = baseModel(loaded, {});
const apply = (w: string) => parseWhatIf(w).apply(base.model);
const scenarioOf = (w: string) => loadModelObject(apply(w), base.file).scenario;
const message = modelErrorMessage;

describe('built-in what-ifs', () => {
  it('transform a copy of the model as documented', () => {
    const before = structuredClone(base.model);
    const submit = (w: string) => scenarioOf(w).probes[0].program.find((s) => s.kind === 'submit') as { batch: number; sample: number } | undefined;
    expect(submit('batch=64')!.batch).toBe(64);
    expect(submit('sample=10')!.sample).toBe(10);
    const early = scenarioOf('early-return=5%').probes[0].program;
    expect(early[0]).toEqual({ kind: 'filter', pass: 0.05 });
    expect(early.length).toBe(scenarioOf('pages=8').probes[0].program.length + 1);
    const rb = scenarioOf('ringbuf=4MiB').output;
    expect(rb.type === 'ringbuf' && rb.size).toBe(4 * 1024 * 1024);
    const perf = scenarioOf('pages=64').output;
    expect(perf.type === 'perf_buffer' && perf.pageCnt).toBe(64);
    expect(scenarioOf('consumer=c').consumer.runtime).toBe('libbpf');
    const fentry = scenarioOf('attach=fentry').probes[0];
    expect(fentry.attach).toBe('fentry');
    const agg = scenarioOf('aggregate');
    expect(agg.probes[0].program.some((s) => s.kind === 'submit')).toBe(false);
    expect(agg.probes[0].program.some((s) => s.kind === 'aggregate')).toBe(true);
    expect(agg.maps.find((m) => m.name === 'whatif_aggregate')).toMatchObject({ type: 'hash', maxEntries: 10240, value: 128 });
    const combined = scenarioOf('batch=64+pages=64');
    expect(combined.output.type === 'perf_buffer' && combined.output.pageCnt).toBe(64);
    expect(scenarioOf('output.wakeupEvents=32').output).toMatchObject({ wakeupEvents: 32 });
    expect(base.model).toEqual(before); // the base is never modified
  });

  it('explains a what-if it does not know, a bad value, or one the model has nothing for', () => {
    expect(message(() => parseWhatIf('batc=64'))).toBe('--what-if: batc=64: expected a what-if, got "batc=64" (hint: did you mean "batch"?)');
    expect(message(() => parseWhatIf('batch'))).toMatch(/expected batch=N, got "batch" \(hint: e\.g\. batch=64\)/);
    expect(message(() => apply('early-return=2'))).toMatch(/early-return=P with P a pass fraction in \(0, 1\]/);
    expect(message(() => apply('attach=kprobes'))).toMatch(/attach=TYPE with TYPE an attach type/);
    const noSubmit = apply('aggregate');
    expect(message(() => parseWhatIf('batch=8').apply(noSubmit))).toBe('--what-if: batch=8: expected a model with a submit step, got none in the model (hint: batch changes submit steps)');
  });
});

describe('compare', () => {
  let result: CompareResult;

  it('batch=64 divides submit calls by 64, under common random numbers', async () => {
    const spec = {
      base,
      variants: ['batch=64', 'consumer=c'].map((w) => ({ name: w, model: apply(w), file: base.file })),
      plan: { replications: 3 },
    };
    const exec = new InlineExecutor();
    result = await runCompare(spec, exec);
    const [b, batch, c] = result.variants;
    expect(result.n).toBe(3);
    expect(result.seeds).toEqual([1, 2, 3]);
    // Same seeds, same packets: the baseline twin is identical in every variant, replication by replication.
    for (const v of [batch, c]) {
      expect(v.figures['latency.baseline.mean']).toEqual(b.figures['latency.baseline.mean']);
      expect(v.changes!['latency.baseline.mean'].delta).toEqual({ value: 0, lo: 0, hi: 0 });
      // The same packets generate the same events, but for those whose service straddles the end
      // of warm-up (counted by service start, which a variant's costs move): a few per CPU.
      expect(Math.abs(v.figures['events.generated'].mean - b.figures['events.generated'].mean)).toBeLessThanOrEqual(loaded.scenario.cpus);
    }
    // Every hit is an output call in the base; with batch=64 one call per 64 events, and each
    // CPU may hold a partial batch (< 64 events) at the end.
    const calls = b.figures['events.submitCalls'].mean;
    const batched = batch.figures['events.submitCalls'].mean;
    expect(64 * batched).toBeLessThanOrEqual(calls);
    expect(calls).toBeLessThan(64 * (batched + loaded.scenario.cpus));
    const ratio = batch.changes!['events.submitCalls'].ratio!;
    expect(1 / ratio.value).toBeGreaterThan(63);
    expect(1 / ratio.value).toBeLessThan(64 * (1 + loaded.scenario.cpus / batched));
    expect(formatChange('events.submitCalls', batch.changes!['events.submitCalls'])).toMatch(/^6\d\.\dx lower \[\d+\.\dx, \d+\.\dx\]$/);
  }, 60_000);

  it('prints the base, each variant and its change; CSV has the paired ratio', () => {
    const table = compareTable(result, ['events.submitCalls', 'events.lostPct']);
    expect(table).toMatch(/base\s+batch=64\s+vs base\s+consumer=c\s+vs base/);
    expect(table).toMatch(/seeds 1\.\.3 shared by all \(common random numbers\)/);
    const csv = compareCsv(result).split('\n');
    expect(csv[0]).toBe('variant,figure,mean,lo,hi,half_width,n,ratio,ratio_lo,ratio_hi,delta,delta_lo,delta_hi');
    const row = csv.find((l) => l.startsWith('batch=64,events.submitCalls,'))!.split(',');
    expect(Number(row[7])).toBeCloseTo(result.variants[1].changes!['events.submitCalls'].ratio!.value, 12);
  });

  it('charts a panel per figure, none for a figure that is 0 in every variant', () => {
    // A figure that is exactly 0 everywhere (e.g. no lost events in any variant) has nothing to
    // show; one that is 0 in the base only still does.
    const r = structuredClone(result);
    const zero = (v: (typeof r.variants)[number], f: string) => (v.figures[f] = { ...v.figures[f], mean: 0, lo: 0, hi: 0, halfWidth: 0 });
    for (const v of r.variants) zero(v, 'events.lostPct');
    zero(r.variants[0], 'events.submitCalls');
    const chart = JSON.stringify(compareChartSpec(r, ['events.submitCalls', 'events.lostPct']));
    // Panels are titled in words with their unit, not by field path.
    expect(chart).toContain('"metric":"submit calls"');
    expect(chart).not.toContain('"metric":"events lost (%)"');
    expect(chart).not.toContain('events.submitCalls');
  });

  it('draws no panel for noise: a figure no variant changes beyond its paired CI', () => {
    const r = structuredClone(result);
    const v = r.variants[1];
    v.changes!['events.submitCalls'] = { delta: { value: 3, lo: -2, hi: 8 }, n: 2 };
    expect(compareChartSpec(r, ['events.submitCalls'])).toBeUndefined();
    v.changes!['events.submitCalls'] = { delta: { value: 3, lo: 1, hi: 5 }, n: 2 };
    expect(JSON.stringify(compareChartSpec(r, ['events.submitCalls']))).toContain('"metric":"submit calls"');
  });

  it('gives the same result on two workers', async () => {
    const spec = { base, variants: [{ name: 'sample=4', model: apply('sample=4'), file: base.file }], plan: { replications: 2 } };
    const one = await runCompare(spec, new InlineExecutor());
    const exec = createExecutor(2);
    try {
      expect(await runCompare(spec, exec)).toEqual(one);
    } finally {
      await exec.close();
    }
  }, 60_000);
});
