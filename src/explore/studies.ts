/**
 * The page's studies over many runs, as plans (which overrides to run) and verdicts (what the
 * figures say): a sweep of one knob, the sensitivity of a figure to each knob one step either
 * way, and the cheapest setting of the ticked knobs that keeps loss and latency inflation under
 * limits. Replications and their confidence intervals are the what-if tools' (whatif/aggregate).
 */
import { aggregateFigure, type FigureCI } from '../whatif/aggregate.js';
import type { Figures } from '../whatif/figures.js';
import { knobsFor, setKnob, type Knob, type KnobOption } from './knobs.js';
import { applyOverrides, type Overrides } from './overrides-state.js';

type Raw = Record<string, unknown>;

/** One setting to run: its overrides and how it reads. */
export interface Candidate {
  label: string;
  overrides: Overrides;
  /** The option value per knob id. */
  values: Record<string, string>;
}

/** The overrides after setting knobs in turn, each on the model as the ones before left it. */
export function withKnobs(base: Raw, overrides: Overrides, settings: [knobId: string, value: string][]): Overrides {
  let out = overrides;
  for (const [id, value] of settings) {
    const model = applyOverrides(base, out).model;
    const knob = knobsFor(model).find((k) => k.id === id);
    if (knob) out = setKnob(model, out, knob, value);
  }
  return out;
}

/** The options of a knob from `from` to `to` (inclusive, either order). */
export function optionsBetween(knob: Knob, from: string, to: string): KnobOption[] {
  const a = knob.options.findIndex((o) => o.value === from);
  const b = knob.options.findIndex((o) => o.value === to);
  if (a < 0 || b < 0) return [];
  return knob.options.slice(Math.min(a, b), Math.max(a, b) + 1);
}

export function sweepCandidates(base: Raw, overrides: Overrides, knob: Knob, options: KnobOption[]): Candidate[] {
  return options.map((o) => ({
    label: `${knob.id}=${o.label}`,
    overrides: withKnobs(base, overrides, [[knob.id, o.value]]),
    values: { [knob.id]: o.value },
  }));
}

/** The options next to the current one (undefined at either end, or without a current value). */
export function neighbours(knob: Knob): { low?: KnobOption; high?: KnobOption } {
  const i = knob.options.findIndex((o) => o.value === knob.current);
  if (i < 0) return {};
  return { low: knob.options[i - 1], high: knob.options[i + 1] };
}

export interface SensitivityCandidate extends Candidate {
  knob: string;
  side: 'low' | 'high';
}

/** One step down and one step up for each knob given. */
export function sensitivityCandidates(base: Raw, overrides: Overrides, knobs: Knob[]): SensitivityCandidate[] {
  const out: SensitivityCandidate[] = [];
  for (const knob of knobs) {
    const n = neighbours(knob);
    for (const side of ['low', 'high'] as const) {
      const o = n[side];
      if (o) out.push({ knob: knob.id, side, label: `${knob.label} ${o.label}`, overrides: withKnobs(base, overrides, [[knob.id, o.value]]), values: { [knob.id]: o.value } });
    }
  }
  return out;
}

/** Every `step`-th option, always keeping the current one and both ends. */
function thin(options: KnobOption[], step: number, current: string | undefined): KnobOption[] {
  return options.filter((o, i) => i % step === 0 || i === options.length - 1 || o.value === current);
}

/**
 * The grid of the ticked knobs' options, thinned evenly until at most `max` settings remain.
 */
export function cheapestCandidates(base: Raw, overrides: Overrides, knobs: Knob[], max: number): Candidate[] {
  let lists = knobs.map((k) => ({ knob: k, options: k.options }));
  const size = () => lists.reduce((n, l) => n * l.options.length, 1);
  for (let step = 2; size() > max && step <= 64; step++) {
    lists = knobs.map((k) => ({ knob: k, options: thin(k.options, step, k.current) }));
  }
  if (size() > max) lists = knobs.map((k) => ({ knob: k, options: k.options.filter((o) => o.value === k.current).slice(0, 1) }));
  let grid: [string, KnobOption][][] = [[]];
  for (const l of lists) grid = grid.flatMap((g) => l.options.map((o) => [...g, [l.knob.id, o] as [string, KnobOption]]));
  return grid.map((settings) => ({
    label: settings.map(([id, o]) => `${id}=${o.label}`).join(' '),
    overrides: withKnobs(base, overrides, settings.map(([id, o]) => [id, o.value])),
    values: Object.fromEntries(settings.map(([id, o]) => [id, o.value])),
  }));
}

export type Objective = 'memory' | 'cpu';

/** What a setting costs: memory at its maximum, or CPU (probes summed over the data-path CPUs + reader), % of one CPU. */
export function costOf(figures: Figures, objective: Objective): number {
  return objective === 'memory' ? figures['memory.total.maxBytes'] : figures['cpu.kernelPctSum'] + figures['cpu.consumerPct'];
}

export interface Verdict {
  candidate: Candidate;
  cost: FigureCI | undefined;
  lossPct: FigureCI | undefined;
  inflationPct: FigureCI | undefined;
  /** Both limits met by the upper end of the confidence interval (the mean with one run). */
  feasible: boolean;
}

const upper = (ci: FigureCI | undefined) => (ci === undefined ? Infinity : Number.isFinite(ci.hi) ? ci.hi : ci.mean);

/** Each setting's cost and figures over its replications; the feasible ones cheapest first. */
export function cheapestVerdicts(runs: { candidate: Candidate; figures: Figures[] }[], limits: { lossPct: number; inflationPct: number }, objective: Objective): Verdict[] {
  const verdicts = runs.map(({ candidate, figures }) => {
    const costs = figures.map((f) => ({ cost: costOf(f, objective) }));
    const lossPct = aggregateFigure(figures, 'events.lostPct');
    const inflationPct = aggregateFigure(figures, 'latency.inflation.meanPct');
    return {
      candidate,
      cost: aggregateFigure(costs, 'cost'),
      lossPct,
      inflationPct,
      feasible: upper(lossPct) < limits.lossPct && upper(inflationPct) < limits.inflationPct,
    };
  });
  return verdicts.sort((a, b) => Number(b.feasible) - Number(a.feasible) || (a.cost?.mean ?? Infinity) - (b.cost?.mean ?? Infinity));
}
