/**
 * Built-in what-ifs: named transformations of a model object (plain data, before validation),
 * so a variant is just another model and runs through the same loader and checks.
 *
 *   early-return=P   every probe returns early for all but a fraction P of hits: a filter step
 *                    { pass: P } first in its program (an existing leading filter gets pass P)
 *   batch=N          every submit accumulates N events per CPU and submits them as one record
 *   sample=N         every submit keeps 1 in N hits
 *   ringbuf[=SIZE]   output through a BPF ringbuf (the model's output.size, or 256KiB)
 *   pages=N          output through perf buffers of N pages per CPU
 *   attach=TYPE      every probe attached as TYPE (its entry/exit overrides dropped: the catalog's
 *                    costs for TYPE apply)
 *   consumer=c       the consumer written in C on libbpf (c | libbpf), or BCC Python (python | bcc-python)
 *   aggregate[=MAP]  in-kernel aggregation instead of per-event submit: each submit becomes an
 *                    update of MAP; without MAP, a hash map "whatif_aggregate" is added
 *                    (BCC's default 10240 entries, key 16 B, value the event's size)
 *   PATH=VALUE       any model field, as --set takes it (output.wakeupEvents=32)
 * Combine with "+": batch=64+pages=64.
 */
import { ModelError, didYouMeanHint, type Problem } from '../model/errors.js';
import { ATTACH_TYPES } from '../model/kernel.js';
import { applySet } from '../model/overrides.js';

export interface WhatIf {
  /** As the user wrote it: "batch=64". */
  label: string;
  /** A transformed deep copy; the input is not modified. */
  apply(model: Record<string, unknown>): Record<string, unknown>;
}

type Obj = Record<string, unknown>;
type Transform = (m: Obj, value: string | undefined) => void;

interface Builtin {
  /** "N", "P", "SIZE", ... ; optional when `optional`. */
  arg: string;
  optional?: boolean;
  describe: string;
  transform: Transform;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Raised while applying: the what-if cannot change this model (e.g. no submit step). */
class NotApplicable extends Error {}

function probesOf(m: Obj): Obj[] {
  const probes = Array.isArray(m.probes) ? m.probes.filter(isObj) : [];
  if (probes.length === 0) throw new NotApplicable('a model with probes');
  return probes;
}

/** Calls fn on every step object of every probe, loop bodies included. */
function forEachStep(m: Obj, fn: (step: Obj) => void): void {
  const walk = (program: unknown) => {
    if (!Array.isArray(program)) return;
    for (const step of program) {
      if (!isObj(step)) continue;
      fn(step);
      if (isObj(step.loop)) walk(step.loop.body);
    }
  };
  for (const p of probesOf(m)) walk(p.program);
}

function submits(m: Obj): Obj[] {
  const found: Obj[] = [];
  forEachStep(m, (s) => {
    if (isObj(s.submit)) found.push(s.submit);
  });
  if (found.length === 0) throw new NotApplicable('a model with a submit step');
  return found;
}

function output(m: Obj): Obj {
  if (!isObj(m.output)) m.output = {};
  return m.output as Obj;
}

function number(value: string | undefined, what: string, check: (x: number) => boolean): number {
  const pct = value?.endsWith('%');
  const x = Number(pct ? value!.slice(0, -1) : value) / (pct ? 100 : 1);
  if (value === undefined || value.trim() === '' || !Number.isFinite(x) || !check(x)) throw new BadValue(what);
  return x;
}

class BadValue extends Error {}

const integerAtLeast1 = (x: number) => Number.isInteger(x) && x >= 1;

export const BUILTIN_WHATIFS: Record<string, Builtin> = {
  'early-return': {
    arg: 'P',
    describe: 'all but a fraction P of probe hits return early (a leading filter)',
    transform: (m, v) => {
      const pass = number(v, 'a pass fraction in (0, 1] such as 0.05 or 5%', (x) => x > 0 && x <= 1);
      for (const p of probesOf(m)) {
        const program = Array.isArray(p.program) ? p.program : [];
        const first = program[0];
        if (isObj(first) && isObj(first.filter)) first.filter.pass = pass;
        else p.program = [{ filter: { pass } }, ...program];
      }
    },
  },
  batch: {
    arg: 'N',
    describe: 'submit N events per CPU as one record',
    transform: (m, v) => {
      const n = number(v, 'an integer >= 1 such as 64', integerAtLeast1);
      for (const s of submits(m)) s.batch = n;
    },
  },
  sample: {
    arg: 'N',
    describe: 'submit 1 in N hits',
    transform: (m, v) => {
      const n = number(v, 'an integer >= 1 such as 100', integerAtLeast1);
      for (const s of submits(m)) s.sample = n;
    },
  },
  ringbuf: {
    arg: 'SIZE',
    optional: true,
    describe: "a BPF ringbuf (of SIZE, else the model's output.size or 256KiB)",
    transform: (m, v) => {
      const o = output(m);
      o.type = 'ringbuf';
      if (v !== undefined) o.size = v;
    },
  },
  pages: {
    arg: 'N',
    describe: 'perf buffers of N pages per CPU',
    transform: (m, v) => {
      const n = number(v, 'a power of two such as 64', (x) => integerAtLeast1(x) && Number.isInteger(Math.log2(x)));
      const o = output(m);
      o.type = 'perf_buffer';
      o.pageCnt = n;
      delete o.watermark; // it was sized for the old ring
    },
  },
  attach: {
    arg: 'TYPE',
    describe: `every probe attached as TYPE (${ATTACH_TYPES.join(', ')})`,
    transform: (m, v) => {
      if (v === undefined || !(ATTACH_TYPES as readonly string[]).includes(v)) throw new BadValue(`an attach type (${ATTACH_TYPES.join(', ')})`);
      for (const p of probesOf(m)) {
        p.attach = v;
        delete p.entry;
        delete p.exit;
      }
    },
  },
  consumer: {
    arg: 'c|python',
    describe: 'the consumer in C on libbpf (c, libbpf) or in BCC Python (python, bcc-python)',
    transform: (m, v) => {
      const runtime = v === 'c' || v === 'libbpf' ? 'libbpf' : v === 'python' || v === 'bcc-python' ? 'bcc-python' : undefined;
      if (!runtime) throw new BadValue('c, libbpf, python or bcc-python');
      if (!isObj(m.consumer)) m.consumer = {};
      (m.consumer as Obj).runtime = runtime;
    },
  },
  aggregate: {
    arg: 'MAP',
    optional: true,
    describe: 'in-kernel aggregation into a map instead of per-event submit',
    transform: (m, v) => {
      const subs = submits(m);
      const map = v ?? 'whatif_aggregate';
      if (v === undefined) {
        const maps = Array.isArray(m.maps) ? m.maps : [];
        if (!maps.some((x) => isObj(x) && x.name === map)) {
          m.maps = [...maps, { name: map, type: 'hash', key: 16, value: subs[0].bytes, maxEntries: 10240 }];
        }
      }
      forEachStep(m, (s) => {
        if (!isObj(s.submit)) return;
        delete s.submit;
        s.aggregate = { map };
      });
    },
  },
};

export const WHATIF_HELP = Object.entries(BUILTIN_WHATIFS)
  .map(([name, b]) => `${name}${b.optional ? `[=${b.arg}]` : `=${b.arg}`}: ${b.describe}`)
  .concat('PATH=VALUE: any model field, as --set takes it')
  .join('; ');

function problem(label: string, expected: string, found: string, hint?: string): Problem {
  return { file: '--what-if', path: label, expected, found, ...(hint ? { hint } : {}) };
}

/** Parses one --what-if (parts joined by "+"). Throws ModelError for an unknown or malformed one. */
export function parseWhatIf(text: string): WhatIf {
  const label = text.trim();
  const parts = label.split('+').map((p) => p.trim());
  const steps: ((m: Obj) => void)[] = [];
  const problems: Problem[] = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? undefined : part.slice(eq + 1).trim();
    const builtin = Object.hasOwn(BUILTIN_WHATIFS, name) ? BUILTIN_WHATIFS[name] : undefined;
    if (builtin) {
      if (value === undefined && !builtin.optional) {
        problems.push(problem(part, `${name}=${builtin.arg}`, JSON.stringify(part), `e.g. ${name}=${builtin.arg === 'P' ? '0.05' : builtin.arg === 'TYPE' ? 'fentry' : builtin.arg === 'c|python' ? 'c' : '64'}`));
        continue;
      }
      steps.push((m) => {
        try {
          builtin.transform(m, value);
        } catch (e) {
          if (e instanceof BadValue) throw new ModelError([problem(part, `${name}=${builtin.arg} with ${builtin.arg} ${e.message}`, JSON.stringify(value ?? ''))]);
          if (e instanceof NotApplicable) throw new ModelError([problem(part, e.message, 'none in the model', `${name} changes ${name === 'early-return' || name === 'attach' ? 'probes' : 'submit steps'}`)]);
          throw e;
        }
      });
    } else if (eq > 0 && /[.[]/.test(name)) {
      steps.push((m) => {
        const setProblems = applySet(m, [part]);
        if (setProblems.length) throw new ModelError(setProblems.map((p) => ({ ...p, file: '--what-if' })));
      });
    } else {
      problems.push(problem(part, 'a what-if', JSON.stringify(part), didYouMeanHint(name, Object.keys(BUILTIN_WHATIFS)) ?? `one of ${Object.keys(BUILTIN_WHATIFS).join(', ')}, or PATH=VALUE`));
    }
  }
  if (problems.length) throw new ModelError(problems);
  return {
    label,
    apply(model) {
      const copy = structuredClone(model);
      for (const step of steps) step(copy);
      return copy;
    },
  };
}
