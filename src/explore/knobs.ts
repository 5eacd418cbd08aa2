/**
 * The knobs of the explore page: for a model as it runs, which fields a user turns (rate,
 * burstiness, output type and size, wake-ups, batch, sample, filter, callback, reader, CPUs,
 * duration), the values each offers, its current value, and the overrides that setting it
 * writes. Field paths follow the model (the first probe with a submit step, its first filter).
 */
import { parseBytes, parseDuration, parseRate } from '../units/parse.js';
import { flowValue, withOverride, withoutOverride, type Overrides } from './overrides-state.js';

export interface KnobOption {
  label: string;
  /** As written in the model / `--set` ("400k", "64", "ringbuf"). */
  value: string;
}

export interface Knob {
  id: string;
  label: string;
  /** The field it writes (the main one, when it writes several). */
  path: string;
  /** Ordered low to high when numeric: a slider; otherwise a choice. */
  options: KnobOption[];
  numeric: boolean;
  /** The option matching the model as it runs; undefined when the model holds another value. */
  current: string | undefined;
  /** The model's value as written, for display when no option matches. */
  shown: string;
  /** False when the knob does nothing in this model (pageCnt under a ringbuf). */
  active: boolean;
  /** Why not, or what the knob does. */
  note?: string;
}

type Raw = Record<string, unknown>;

const obj = (x: unknown): Raw => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Raw) : {});
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/** 1-2-5 steps from lo to hi. */
function oneTwoFive(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let decade = lo; decade <= hi; decade *= 10) for (const m of [1, 2, 5]) if (decade * m <= hi) out.push(decade * m);
  return out;
}

const powersOfTwo = (lo: number, hi: number): number[] => {
  const out: number[] = [];
  for (let v = lo; v <= hi; v *= 2) out.push(v);
  return out;
};

/** 400000 -> "400k", 2500000 -> "2.5M" (parseRate reads both). */
export function rateText(pps: number): string {
  for (const [unit, scale] of [['M', 1e6], ['k', 1e3]] as const) if (pps >= scale) return `${+(pps / scale).toPrecision(6)}${unit}`;
  return String(pps);
}

export function sizeText(bytes: number): string {
  for (const [unit, scale] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) if (bytes >= scale && bytes % scale === 0) return `${bytes / scale}${unit}`;
  return String(bytes);
}

export function durationText(ns: number): string {
  for (const [unit, scale] of [['s', 1e9], ['ms', 1e6], ['us', 1e3]] as const) if (ns >= scale) return `${+(ns / scale).toPrecision(6)}${unit}`;
  return `${ns}ns`;
}

/** Options from numbers, the model's own value among them (so the slider can show it). */
function numericOptions(values: number[], own: number | undefined, text: (v: number) => string): KnobOption[] {
  const all = own !== undefined && Number.isFinite(own) && !values.includes(own) ? [...values, own].sort((a, b) => a - b) : values;
  return all.map((v) => ({ label: text(v), value: text(v) }));
}

const choice = (values: string[]): KnobOption[] => values.map((v) => ({ label: v, value: v }));

/** Where the program steps the knobs edit are: the first probe that submits, its submit and filter. */
export interface ProgramSite {
  probe: number;
  submit?: number;
  filter?: number;
}

export function programSite(model: Raw): ProgramSite | undefined {
  const probes = list(model.probes);
  for (let p = 0; p < probes.length; p++) {
    const steps = list(obj(probes[p]).program);
    const submit = steps.findIndex((s) => 'submit' in obj(s));
    if (submit < 0) continue;
    const filter = steps.findIndex((s, i) => i < submit && 'filter' in obj(s));
    return { probe: p, submit, ...(filter >= 0 ? { filter } : {}) };
  }
  return undefined;
}

/** Burstiness: peak-to-mean ratio of an on/off source with the same mean rate (off = silence). */
const BURST_RATIOS = [2, 4, 8, 16];
/** Mean time in the on state of the bursty knob. */
const BURST_ON = '1ms';

function burstOverrides(overrides: Overrides, choiceValue: string, ratePps: number): Overrides {
  if (choiceValue === 'poisson' || choiceValue === 'constant') {
    return withoutOverride(withOverride(overrides, 'traffic.arrival', choiceValue), 'traffic.burst');
  }
  const ratio = Number(choiceValue.replace(/^bursty x/, ''));
  const burst = { onRate: rateText(ratePps * ratio), offRate: 0, on: BURST_ON, off: durationText((ratio - 1) * 1e6) };
  return withOverride(withOverride(overrides, 'traffic.arrival', 'bursty'), 'traffic.burst', flowValue(burst));
}

function currentBurst(traffic: Raw, rate: number | undefined): string {
  const arrival = typeof traffic.arrival === 'string' ? traffic.arrival : 'poisson';
  if (arrival !== 'bursty') return arrival;
  const b = obj(traffic.burst);
  const on = parseRate(b.onRate);
  if (!on.ok || rate === undefined || rate <= 0) return 'bursty';
  return `bursty x${+(on.value / rate).toPrecision(3)}`;
}

function parsed<T>(r: { ok: true; value: T } | { ok: false }): T | undefined {
  return r.ok ? r.value : undefined;
}

/** The knobs for a model as it runs (base model with the overrides applied). */
export function knobsFor(model: Raw): Knob[] {
  const traffic = obj(model.traffic);
  const output = obj(model.output);
  const consumer = obj(model.consumer);
  const arrival = typeof traffic.arrival === 'string' ? traffic.arrival : 'poisson';
  const ringbuf = output.type === 'ringbuf';
  const rate = parsed(parseRate(traffic.rate)) ?? burstMean(traffic);
  const knobs: Knob[] = [];
  const add = (k: Omit<Knob, 'current' | 'shown'> & { own: unknown }) => {
    const shown = k.own === undefined ? '' : typeof k.own === 'object' ? flowValue(k.own) : String(k.own);
    const current = k.options.find((o) => o.value === shown || sameValue(k.id, o.value, k.own))?.value;
    const { own: _own, ...rest } = k;
    knobs.push({ ...rest, current, shown });
  };

  const openLoop = arrival === 'poisson' || arrival === 'constant' || arrival === 'bursty';
  add({
    id: 'rate', label: 'traffic rate (packets/s)', path: 'traffic.rate', numeric: true,
    options: numericOptions(oneTwoFive(1e3, 2e7), rate, rateText), own: rate === undefined ? undefined : rateText(rate),
    active: openLoop && rate !== undefined, note: openLoop ? undefined : `arrival ${arrival}: no rate to set`,
  });
  const burstChoices = ['poisson', 'constant', ...BURST_RATIOS.map((r) => `bursty x${r}`)];
  const burstNow = currentBurst(traffic, rate);
  knobs.push({
    id: 'burst', label: 'burstiness', path: 'traffic.arrival', numeric: false, options: choice(burstChoices),
    current: burstChoices.includes(burstNow) ? burstNow : undefined, shown: burstNow,
    active: openLoop && rate !== undefined, note: `bursty xN: on/off bursts at N x the mean rate (on ${BURST_ON} on average), same mean`,
  });
  add({ id: 'type', label: 'output type', path: 'output.type', numeric: false, options: choice(['perf_buffer', 'ringbuf']), own: output.type ?? 'perf_buffer', active: true });
  add({
    id: 'pageCnt', label: 'page_cnt (pages per CPU)', path: 'output.pageCnt', numeric: true,
    options: numericOptions(powersOfTwo(1, 4096), parsed(parseBytes(output.pageCnt ?? 8)), String), own: output.pageCnt ?? 8,
    active: !ringbuf, note: ringbuf ? 'perf buffer only' : undefined,
  });
  add({
    id: 'size', label: 'ringbuf size', path: 'output.size', numeric: true,
    options: numericOptions(powersOfTwo(4096, 2 ** 30), parsed(parseBytes(output.size ?? '256KiB')), sizeText), own: output.size ?? '256KiB',
    active: ringbuf, note: ringbuf ? undefined : 'ringbuf only',
  });
  add({
    id: 'wakeupEvents', label: 'wakeup_events', path: 'output.wakeupEvents', numeric: true,
    options: numericOptions(powersOfTwo(1, 1024), Number(output.wakeupEvents ?? 1), String), own: output.wakeupEvents ?? 1,
    active: !ringbuf, note: ringbuf ? 'perf buffer only' : undefined,
  });
  add({ id: 'notify', label: 'ringbuf notify', path: 'output.notify', numeric: false, options: choice(['adaptive', 'force', 'none']), own: output.notify ?? 'adaptive', active: ringbuf, note: ringbuf ? undefined : 'ringbuf only' });

  const site = programSite(model);
  const steps = site ? list(obj(list(model.probes)[site.probe]).program) : [];
  const submit = site?.submit !== undefined ? obj(obj(steps[site.submit]).submit) : {};
  const stepPath = site?.submit !== undefined ? `probes[${site.probe}].program[${site.submit}].submit` : 'probes[0].program';
  const noSubmit = site ? undefined : 'the model has no submit step';
  add({ id: 'batch', label: 'batch (events per submit)', path: `${stepPath}.batch`, numeric: true, options: numericOptions(powersOfTwo(1, 256), Number(submit.batch ?? 1), String), own: submit.batch ?? 1, active: !!site, note: noSubmit });
  add({ id: 'sample', label: 'sample (keep 1 in N)', path: `${stepPath}.sample`, numeric: true, options: numericOptions(oneTwoFive(1, 1000), Number(submit.sample ?? 1), String), own: submit.sample ?? 1, active: !!site, note: noSubmit });
  const filter = site?.filter !== undefined ? obj(obj(steps[site.filter]).filter) : undefined;
  const passes = [1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.001];
  add({
    id: 'filter', label: 'filter pass fraction', path: site?.filter !== undefined ? `probes[${site.probe}].program[${site.filter}].filter.pass` : `probes[${site?.probe ?? 0}].program`,
    numeric: true, options: numericOptions(passes.slice().reverse(), filter ? Number(filter.pass) : 1, String), own: filter ? filter.pass : 1, active: !!site,
    note: noSubmit ?? (filter ? 'early return before the submit' : 'adds an early-return filter as the program\'s first step'),
  });
  add({ id: 'callback', label: 'callback cost', path: 'consumer.callback', numeric: false, options: choice(['simple', 'medium', 'complex', '500ns', '1us', '2us', '5us', '10us', '20us', '50us']), own: consumer.callback ?? 'medium', active: true });
  add({ id: 'runtime', label: 'reader runtime', path: 'consumer.runtime', numeric: false, options: choice(['bcc-python', 'libbpf']), own: consumer.runtime ?? 'bcc-python', active: true });
  add({ id: 'placement', label: 'reader CPU placement', path: 'consumer.cpu', numeric: false, options: choice(['dedicated', 'shared']), own: consumer.cpu ?? 'dedicated', active: true });
  add({ id: 'cpus', label: 'data-path CPUs', path: 'cpus', numeric: true, options: numericOptions([1, 2, 4, 8, 16, 32, 64], Number(model.cpus ?? 4), String), own: model.cpus ?? 4, active: true });
  const duration = parsed(parseDuration(traffic.duration ?? '1s'));
  add({
    id: 'duration', label: 'simulated time', path: 'traffic.duration', numeric: true,
    options: numericOptions([10e6, 20e6, 50e6, 100e6, 200e6, 500e6, 1e9, 2e9, 5e9], duration, durationText), own: traffic.duration ?? '1s', active: true,
  });
  return knobs;
}

/** Does an option mean the same as the model's value ("64" and 64, "4MiB" and 4194304)? */
function sameValue(id: string, option: string, own: unknown): boolean {
  if (own === undefined) return false;
  switch (id) {
    case 'rate':
      return parsed(parseRate(option)) === parsed(parseRate(own));
    case 'size':
      return parsed(parseBytes(option)) === parsed(parseBytes(own));
    case 'duration':
      return parsed(parseDuration(option)) === parsed(parseDuration(own));
    default:
      return option === String(own);
  }
}

function burstMean(traffic: Raw): number | undefined {
  const b = obj(traffic.burst);
  const on = parsed(parseRate(b.onRate));
  const off = parsed(parseRate(b.offRate ?? 0));
  const tOn = parsed(parseDuration(b.on));
  const tOff = parsed(parseDuration(b.off));
  if (on === undefined || off === undefined || tOn === undefined || tOff === undefined || tOn + tOff <= 0) return undefined;
  return (on * tOn + off * tOff) / (tOn + tOff);
}

/**
 * The overrides after setting a knob to a value. `model` is the model as it runs now (the base
 * with `overrides` applied): knobs that write several fields read the others from it.
 */
export function setKnob(model: Raw, overrides: Overrides, knob: Knob, value: string): Overrides {
  const traffic = obj(model.traffic);
  switch (knob.id) {
    case 'rate': {
      let out = withOverride(overrides, 'traffic.rate', value);
      const burst = currentBurst(traffic, parsed(parseRate(traffic.rate)) ?? burstMean(traffic));
      // A bursty source keeps its peak-to-mean ratio at the new mean.
      const pps = parsed(parseRate(value));
      if (burst.startsWith('bursty x') && pps !== undefined) out = burstOverrides(out, burst, pps);
      return out;
    }
    case 'burst': {
      const pps = parsed(parseRate(traffic.rate)) ?? burstMean(traffic) ?? 0;
      let out = burstOverrides(overrides, value, pps);
      // The schema checks a given rate against the burst's mean: keep it given and equal.
      if (traffic.rate === undefined) out = withOverride(out, 'traffic.rate', rateText(pps));
      return out;
    }
    case 'duration': {
      let out = withOverride(overrides, 'traffic.duration', value);
      const d = parsed(parseDuration(value));
      const w = parsed(parseDuration(traffic.warmup ?? 0));
      // A warm-up must be shorter than the run: the default share (5%) when it would not be.
      if (d !== undefined && w !== undefined && w >= d) out = withOverride(out, 'traffic.warmup', durationText(d / 20));
      return out;
    }
    case 'filter':
      return setFilter(model, overrides, value);
    case 'batch':
    case 'sample':
      return setSubmitField(model, overrides, knob.id, value);
    default:
      return withOverride(overrides, knob.path, value);
  }
}

/** A submit field; written inside a whole-program override when there is one. */
function setSubmitField(model: Raw, overrides: Overrides, field: 'batch' | 'sample', value: string): Overrides {
  const site = programSite(model);
  if (!site || site.submit === undefined) return overrides;
  const programPath = `probes[${site.probe}].program`;
  if (overrides.some(([p]) => p === programPath)) {
    const program = structuredClone(list(obj(list(model.probes)[site.probe]).program)) as Raw[];
    obj(program[site.submit].submit)[field] = Number(value);
    return withOverride(overrides, programPath, flowValue(program));
  }
  return withOverride(overrides, `${programPath}[${site.submit}].submit.${field}`, value);
}

/** The filter's pass fraction; a model without a filter gets one as its first step. */
function setFilter(model: Raw, overrides: Overrides, value: string): Overrides {
  const site = programSite(model);
  if (!site) return overrides;
  if (site.filter !== undefined && !overrides.some(([p]) => p === `probes[${site.probe}].program`)) {
    return withOverride(overrides, `probes[${site.probe}].program[${site.filter}].filter.pass`, value);
  }
  const programPath = `probes[${site.probe}].program`;
  const program = structuredClone(list(obj(list(model.probes)[site.probe]).program)) as Raw[];
  if (site.filter !== undefined) obj(program[site.filter].filter).pass = Number(value);
  else if (Number(value) < 1) program.unshift({ filter: { pass: Number(value) } });
  else return overrides;
  return withOverride(overrides, programPath, flowValue(program));
}

/** An option as a number for a chart axis (rates in pps, sizes in bytes, times in ns). */
export function optionNumber(knob: Knob, value: string): number | undefined {
  switch (knob.id) {
    case 'rate':
      return parsed(parseRate(value));
    case 'size':
      return parsed(parseBytes(value));
    case 'duration':
      return parsed(parseDuration(value));
    default: {
      const n = Number(value);
      return knob.numeric && Number.isFinite(n) ? n : undefined;
    }
  }
}

/** How a numeric knob's axis reads: values divided by `scale`, in `unit` ("MiB", "k packets/s", "ms"). */
export function optionAxis(knob: Knob, values: number[]): { scale: number; unit: string } {
  const max = Math.max(1, ...values);
  switch (knob.id) {
    case 'size':
      for (const [unit, scale] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) if (max >= scale) return { scale, unit };
      return { scale: 1, unit: 'bytes' };
    case 'rate':
      return max >= 1e6 ? { scale: 1e6, unit: 'M packets/s' } : { scale: 1e3, unit: 'k packets/s' };
    case 'duration':
      return { scale: 1e6, unit: 'ms' };
    default:
      return { scale: 1, unit: '' };
  }
}
