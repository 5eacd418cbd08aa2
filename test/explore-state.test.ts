/**
 * The explore page's state and knobs, without a browser: overrides behave as --set does (and
 * export as the same command), every knob option is a valid model, knobs that write several
 * fields keep the model's meaning (bursts keep the mean rate, a new filter sits before the
 * submit), and the cheapest-setting verdict follows its limits.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH, loadModelObject, parseModelText } from '../src/model/load.js';
import { formatProblem, ModelError } from '../src/model/errors.js';
import { knobsFor, programSite, setKnob, type Knob } from '../src/explore/knobs.js';
import { applyOverrides, assignments, cliCommand, fromQuery, toQuery, withOverride, withoutOverride, type Overrides } from '../src/explore/overrides-state.js';
import { cheapestCandidates, cheapestVerdicts, neighbours, optionsBetween, sensitivityCandidates, withKnobs } from '../src/explore/studies.js';
import type { Figures } from '../src/whatif/figures.js';

const base = parseModelText(readFileSync(DEFAULT_MODEL_PATH, 'utf8'), 'models/default.yaml');
const modelOf = (o: Overrides) => applyOverrides(base, o).model;
const knob = (o: Overrides, id: string): Knob => knobsFor(modelOf(o)).find((k) => k.id === id)!;
const set = (o: Overrides, id: string, value: string): Overrides => setKnob(modelOf(o), o, knob(o, id), value);
const scenarioOf = (o: Overrides) => loadModelObject(base, 'models/default.yaml', { set: assignments(o) }).scenario;

describe('overrides', () => {
  it('one entry per field; a field set whole drops what was set inside it', () => {
    let o: Overrides = [];
    o = withOverride(o, 'output.pageCnt', '16');
    o = withOverride(o, 'probes[0].program[4].submit.sample', '10');
    o = withOverride(o, 'output.pageCnt', '64');
    expect(o).toEqual([['output.pageCnt', '64'], ['probes[0].program[4].submit.sample', '10']]);
    o = withOverride(o, 'probes[0].program', '[{submit: {bytes: 64}}]');
    expect(o).toEqual([['output.pageCnt', '64'], ['probes[0].program', '[{submit: {bytes: 64}}]']]);
    expect(withoutOverride(o, 'output.pageCnt')).toEqual([['probes[0].program', '[{submit: {bytes: 64}}]']]);
  });

  it('applies a list before the fields inside it, whatever the order set', () => {
    const o: Overrides = [['probes[0].program[0].filter.pass', '0.5'], ['probes[0].program', '[{filter: {pass: 1}}, {submit: {bytes: 8}}]']];
    expect(assignments(o)).toEqual(['probes[0].program=[{filter: {pass: 1}}, {submit: {bytes: 8}}]', 'probes[0].program[0].filter.pass=0.5']);
  });

  it('round-trips through the URL and exports as the equivalent command', () => {
    const o: Overrides = [['output.pageCnt', '64'], ['consumer.callback', "{dist: exponential, mean: 2us}"]];
    const q = toQuery(o, { view: 'sweep' });
    expect(fromQuery(q)).toEqual({ overrides: o, settings: { view: 'sweep' } });
    expect(cliCommand('models/x y.yaml', o, ['--json'])).toBe(
      "bpfsim run 'models/x y.yaml' --set output.pageCnt=64 --set 'consumer.callback={dist: exponential, mean: 2us}' --json",
    );
    expect(cliCommand(undefined, [])).toBe('bpfsim run');
  });
});

describe('knobs on the default model', () => {
  it('read the model as written', () => {
    const current = Object.fromEntries(knobsFor(base).map((k) => [k.id, k.current]));
    expect(current).toMatchObject({ rate: '400k', burst: 'poisson', type: 'perf_buffer', pageCnt: '8', wakeupEvents: '1', batch: '1', sample: '1', filter: '1', callback: 'medium', runtime: 'bcc-python', placement: 'dedicated', cpus: '4', duration: '1s' });
    expect(knobsFor(base).filter((k) => !k.active).map((k) => k.id).sort()).toEqual(['notify', 'size']);
    expect(knob([], 'pageCnt').path).toBe('output.pageCnt');
    expect(knob([], 'sample').path).toBe('probes[0].program[4].submit.sample');
  });

  it('every option of every active knob is a well-formed override the loader accepts, or a model the kernel would refuse', () => {
    const ringbuf = set([], 'type', 'ringbuf');
    const refused: string[] = [];
    for (const o of [[], ringbuf] as Overrides[]) {
      for (const k of knobsFor(modelOf(o)).filter((x) => x.active)) {
        for (const opt of k.options) {
          const next = setKnob(modelOf(o), o, k, opt.value);
          try {
            loadModelObject(base, 'models/default.yaml', { set: assignments(next), force: true });
          } catch (e) {
            if (!(e instanceof ModelError)) throw e;
            refused.push(...e.problems.map((p) => `${k.id}=${opt.value}: ${formatProblem(p)}`));
          }
        }
      }
    }
    // Only batches too large for the 32 KiB per-CPU ring: the page shows that line to the user.
    expect(refused.filter((line) => !/^batch=(256|512|1024): --set: probes\[0\]\.program\[4\]\.submit\.batch: expected a record that fits the per-CPU ring/.test(line))).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
  });

  it('a slider moved writes its field, read back as the knob\'s value', () => {
    const o = set([], 'pageCnt', '64');
    expect(o).toEqual([['output.pageCnt', '64']]);
    expect(knob(o, 'pageCnt').current).toBe('64');
    expect(scenarioOf(o).output).toMatchObject({ type: 'perf_buffer', pageCnt: 64 });
  });

  it('burstiness: on/off bursts at N x the mean rate, the mean kept; the rate knob keeps the ratio', () => {
    let o = set([], 'burst', 'bursty x4');
    let t = scenarioOf(o).traffic;
    expect(t.arrival).toBe('bursty');
    expect(t.burst).toMatchObject({ onRate: 1.6e6, offRate: 0, onMean: 1e6, offMean: 3e6 });
    expect(t.rate).toBeCloseTo(400e3, 6);
    expect(knob(o, 'burst').current).toBe('bursty x4');
    o = set(o, 'rate', '100k');
    t = scenarioOf(o).traffic;
    expect(t.rate).toBeCloseTo(100e3, 6);
    expect(t.burst!.onRate).toBeCloseTo(400e3, 6);
    o = set(o, 'burst', 'poisson');
    expect(scenarioOf(o).traffic).toMatchObject({ arrival: 'poisson', rate: 100e3 });
  });

  it('a filter added to a program without one runs before the submit; sample and batch then edit that program', () => {
    let o = set([], 'filter', '0.1');
    expect(programSite(modelOf(o))).toEqual({ probe: 0, submit: 5, filter: 0 });
    o = set(o, 'sample', '10');
    o = set(o, 'batch', '4');
    expect(o.map(([p]) => p)).toEqual(['probes[0].program']);
    const steps = scenarioOf(o).probes[0].program;
    expect(steps[0]).toMatchObject({ kind: 'filter', pass: 0.1 });
    expect(steps.at(-1)).toMatchObject({ kind: 'submit', bytes: 128, sample: 10, batch: 4 });
    expect(knob(o, 'filter').current).toBe('0.1');
    expect(knob(o, 'sample').current).toBe('10');
  });

  it('a shorter run than the warm-up gets the default warm-up share', () => {
    const o = set([], 'duration', '20ms');
    expect(scenarioOf(o).traffic).toMatchObject({ duration: 20e6, warmup: 1e6 });
  });
});

describe('studies', () => {
  it('sweep options between two values, sensitivity one step either side', () => {
    const k = knob([], 'pageCnt');
    expect(optionsBetween(k, '32', '4').map((o) => o.value)).toEqual(['4', '8', '16', '32']);
    expect(neighbours(k)).toMatchObject({ low: { value: '4' }, high: { value: '16' } });
    const c = sensitivityCandidates(base, [], [k, knob([], 'wakeupEvents')]);
    expect(c.map((x) => `${x.knob}:${x.side}:${x.values[x.knob]}`)).toEqual(['pageCnt:low:4', 'pageCnt:high:16', 'wakeupEvents:high:2']);
  });

  it('the cheapest grid stays within its size and keeps both ends and the current setting', () => {
    const knobs = [knob([], 'pageCnt'), knob([], 'wakeupEvents')];
    const grid = cheapestCandidates(base, [], knobs, 24);
    expect(grid.length).toBeLessThanOrEqual(24);
    const pages = new Set(grid.map((c) => c.values.pageCnt));
    for (const v of ['1', '8', '4096']) expect(pages.has(v)).toBe(true);
    expect(withKnobs(base, [], [['pageCnt', '64'], ['wakeupEvents', '8']])).toEqual([['output.pageCnt', '64'], ['output.wakeupEvents', '8']]);
  });

  it('cheapest: within both limits by the CI upper bound, the least cost first', () => {
    const f = (mem: number, loss: number[], infl: number[]): Figures[] => loss.map((l, i) => ({ 'memory.total.maxBytes': mem, 'events.lostPct': l, 'latency.inflation.meanPct': infl[i], 'cpu.kernelPctSum': 1, 'cpu.consumerPct': 5 }));
    const cand = (label: string) => ({ label, overrides: [], values: {} });
    const v = cheapestVerdicts(
      [
        { candidate: cand('big'), figures: f(4e6, [0, 0, 0], [5, 5, 5]) },
        { candidate: cand('small, lossy'), figures: f(1e6, [5, 6, 7], [5, 5, 5]) },
        // Mean loss 0.8% is under 1%, but the interval reaches above it: not proven feasible.
        { candidate: cand('small, unsure'), figures: f(2e6, [0.2, 0.8, 1.4], [5, 5, 5]) },
        { candidate: cand('medium'), figures: f(3e6, [0.1, 0.1, 0.2], [5, 6, 5]) },
      ],
      { lossPct: 1, inflationPct: 10 },
      'memory',
    );
    expect(v.map((x) => [x.candidate.label, x.feasible])).toEqual([['medium', true], ['big', true], ['small, lossy', false], ['small, unsure', false]]);
    expect(cheapestVerdicts([{ candidate: cand('a'), figures: f(1, [0], [0]) }], { lossPct: 1, inflationPct: 1 }, 'cpu')[0].cost!.mean).toBe(6);
  });
});
