/**
 * Model fields parsed by the unit parsers (src/units/parse.ts, src/distributions/parse.ts): durations,
 * timeouts, rates, sizes, counts, distributions, the kernel version and the callback class.
 * Each is a zod transform whose failure carries the parser's expected/found/hint, and each
 * registers the JSON Schema of what a user may write (zod cannot derive it from a transform).
 */
import * as z from 'zod';
import type { Dist } from '../distributions/types.js';
import { parseDist } from '../distributions/parse.js';
import type { KernelInfo } from './scenario.js';
import { parseKernel } from './kernel.js';
import { didYouMeanHint } from './errors.js';
import { unwrap } from './schema-walk.js';
import { fail, parseBytes, parseCount, parseDuration, parseRate, parseTimeout, type ParseFailure, type Parsed } from '../units/parse.js';

export const CALLBACK_CLASSES = ['simple', 'medium', 'complex'] as const;
export type CallbackClass = (typeof CALLBACK_CLASSES)[number];

type Parser<T> = (input: unknown) => Parsed<T>;

/**
 * JSON Schema fragments for fields whose zod form is a transform (see json-schema.ts), keyed by
 * the schema's definition: `.describe()` clones a schema but keeps its definition.
 */
const customJson = new WeakMap<object, Record<string, unknown>>();

/** The JSON Schema fragment registered for a unit-parsed field, if `schema` is one. */
export function customJsonSchema(schema: z.core.$ZodType): Record<string, unknown> | undefined {
  return customJson.get(schema._zod.def);
}
/** What a node expects when the input has the wrong shape, for nodes zod cannot word well. */
const shapeExpectations = new WeakMap<object, { expected: string; hint?: string }>();

function reportFailure(ctx: z.core.$RefinementCtx<unknown>, input: unknown, f: ParseFailure): void {
  ctx.addIssue({
    code: 'custom',
    message: f.expected,
    input,
    path: f.path ?? [],
    params: { expected: f.expected, found: f.found, hint: f.hint },
  });
}

/** A field parsed by one of the unit parsers; `I` is the type a user writes (for z.input). */
export function parsedField<T, I>(parse: Parser<T>, json: Record<string, unknown>): z.ZodType<T, I> {
  const schema = z.unknown().transform((input, ctx) => {
    const r = parse(input);
    if (r.ok) return r.value;
    reportFailure(ctx, input, r);
    return z.NEVER;
  });
  customJson.set(schema._zod.def, json);
  return schema as unknown as z.ZodType<T, I>;
}

/** Runs `parse`, then `check` on its value: a second way to fail with its own message. */
export function thenCheck<T>(parse: Parser<T>, check: (value: T, input: unknown) => ParseFailure | undefined): Parser<T> {
  return (input) => {
    const r = parse(input);
    if (!r.ok) return r;
    return check(r.value, input) ?? r;
  };
}

const DURATION_JSON = {
  anyOf: [
    { type: 'number', minimum: 0, description: 'nanoseconds' },
    { type: 'string', pattern: '^\\s*[0-9.]+(e[-+]?[0-9]+)?\\s*(ns|us|µs|μs|ms|s)\\s*$' },
  ],
  examples: ['500ns', '1.5us', '2ms', '1s'],
};

export const duration = parsedField<number, number | string>(parseDuration, DURATION_JSON);

export const positiveDuration = parsedField<number, number | string>(
  thenCheck(parseDuration, (v, input) => (v > 0 ? undefined : fail('a duration > 0', input))),
  DURATION_JSON,
);

export const timeout = parsedField<number, number | string>(parseTimeout, {
  anyOf: [...DURATION_JSON.anyOf, { const: -1 }, { enum: ['infinite', 'forever', '-1'] }],
  examples: ['100ms', -1, 'infinite'],
});

const RATE_JSON = {
  anyOf: [{ type: 'number', exclusiveMinimum: 0, description: 'packets per second' }, { type: 'string' }],
  examples: ['400k', '1.2M', '400kpps', '1.2 Mpps'],
};
export const rate = parsedField<number, number | string>(parseRate, RATE_JSON);
/** A rate that may also be 0 (the off state of an on/off source). */
export const rateOrZero = parsedField<number, number | string>(
  (input) => (input === 0 || input === '0' ? { ok: true, value: 0 } : parseRate(input)),
  RATE_JSON,
);

const SIZE_JSON = {
  anyOf: [{ type: 'integer', minimum: 0, description: 'bytes' }, { type: 'string' }],
  examples: ['128', '4KiB', '256KiB', '1MiB', '4KB', '8 pages'],
};

export function sizeField(pageSize: number, check?: (v: number, input: unknown) => ParseFailure | undefined) {
  const parse: Parser<number> = (input) => parseBytes(input, { pageSize });
  return parsedField<number, number | string>(check ? thenCheck(parse, check) : parse, SIZE_JSON);
}

export function countField(opts: { min: number; integer: boolean; max?: number; maxHint?: string }) {
  const base: Parser<number> = (input) => parseCount(input, { min: opts.min, integer: opts.integer });
  const parse = opts.max === undefined
    ? base
    : thenCheck(base, (v, input) => (v <= opts.max! ? undefined : fail(`a number <= ${opts.max}`, input, opts.maxHint)));
  return parsedField<number, number | string>(parse, {
    anyOf: [{ type: opts.integer ? 'integer' : 'number', minimum: opts.min, ...(opts.max !== undefined ? { maximum: opts.max } : {}) }, { type: 'string', description: 'with an optional k, M or G suffix' }],
  });
}

const DIST_JSON = {
  anyOf: [
    { type: 'number', minimum: 0, description: 'a constant, ns' },
    { type: 'string', description: 'a constant ("500ns") or a uniform range ("50-100ns")' },
    {
      type: 'object',
      required: ['dist'],
      properties: {
        dist: { enum: ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'gamma', 'empirical'] },
        value: {}, min: {}, max: {}, mean: {}, sd: {}, cv: { type: 'number', minimum: 0 },
        values: { type: 'array' }, weights: { type: 'array', items: { type: 'number', minimum: 0 } },
      },
      additionalProperties: false,
      description: 'uniform: min, max; exponential: mean; normal: mean, sd; lognormal and gamma: mean, cv; empirical: values[, weights]; constant: value',
    },
    {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      propertyNames: { enum: ['constant', 'uniform', 'exponential', 'normal', 'lognormal', 'gamma', 'empirical'] },
      description: 'the one-key form, e.g. { lognormal: { mean: 800ns, cv: 0.3 } }',
    },
  ],
  examples: ['500ns', '50-100ns', { dist: 'lognormal', mean: '800ns', cv: 0.3 }],
};

type DistInput = number | string | Record<string, unknown>;
export const dist = parsedField<Dist, DistInput>(parseDist, DIST_JSON);

export const probability = parsedField<number, number>(
  (input) =>
    typeof input === 'number' && input > 0 && input <= 1
      ? { ok: true, value: input }
      : fail('a probability in (0, 1] such as 0.05', input, typeof input === 'number' && input > 1 ? 'write a fraction: 5% is 0.05' : undefined),
  { type: 'number', exclusiveMinimum: 0, maximum: 1 },
);

export const fraction = parsedField<number, number>(
  (input) => (typeof input === 'number' && input >= 0 && input <= 1 ? { ok: true, value: input } : fail('a fraction in [0, 1] such as 0.5', input)),
  { type: 'number', minimum: 0, maximum: 1 },
);

/** A share of a CPU: "60%" or a fraction 0.6, below 100% (a CPU fully taken leaves nothing to share). */
export const shareField = parsedField<number, number | string>(
  (input) => {
    let v: number | undefined;
    if (typeof input === 'number') v = input <= 1 ? input : undefined;
    else if (typeof input === 'string' && /^\s*[0-9.]+\s*%\s*$/.test(input)) v = Number(input.replace('%', '')) / 100;
    if (v !== undefined && Number.isFinite(v) && v >= 0 && v <= 0.95) return { ok: true, value: v };
    return fail('a share of the CPU from 0% to 95% such as "60%" (or 0.6)', input, typeof input === 'number' && input > 1 ? `write "${input}%" or ${input / 100}` : undefined);
  },
  { anyOf: [{ type: 'number', minimum: 0, maximum: 0.95 }, { type: 'string', pattern: '^[0-9.]+%$' }] },
);

export const kernelField = parsedField<KernelInfo, string>(
  (input) => {
    if (typeof input === 'number') {
      return fail('a kernel version in quotes such as "5.15"', input, `write it in quotes (kernel: "${input}"): YAML reads an unquoted 5.10 as the number 5.1`);
    }
    if (typeof input !== 'string') return fail('a kernel version such as "5.15" or "4.19.90-openeuler"', input);
    const info = parseKernel(input.trim());
    return info ? { ok: true, value: info } : fail('a kernel version such as "5.15" or "4.19.90-openeuler"', input);
  },
  { type: 'string', examples: ['5.15', '6.1', '4.19.90-openeuler'] },
);

/** The callback class of the catalog, or a distribution of the model's own. */
export const callbackField = parsedField<(typeof CALLBACK_CLASSES)[number] | Dist, DistInput>(
  (input) => {
    if (typeof input === 'string' && (CALLBACK_CLASSES as readonly string[]).includes(input)) {
      return { ok: true, value: input as (typeof CALLBACK_CLASSES)[number] };
    }
    const d = parseDist(input);
    if (d.ok) return d;
    const alpha = typeof input === 'string' && /^[a-z_ -]+$/i.test(input);
    return fail(
      'simple, medium, complex or a distribution such as "4us" or { dist: lognormal, mean: 4us, cv: 0.5 }',
      input,
      alpha ? didYouMeanHint(input as string, CALLBACK_CLASSES) : d.hint,
    );
  },
  { anyOf: [{ enum: [...CALLBACK_CLASSES] }, DIST_JSON] },
);

export function powersAround(v: number): [number, number] {
  const lower = 2 ** Math.floor(Math.log2(Math.max(1, v)));
  return [lower, lower * 2];
}

export const isPowerOfTwo = (v: number): boolean => v >= 1 && Number.isInteger(Math.log2(v));

/** Says what a node expects when the input has the wrong shape (zod would say "object"). */
export function expectShape(schema: z.core.$ZodType, expected: string, hint?: string): void {
  shapeExpectations.set(unwrap(schema), hint ? { expected, hint } : { expected });
}

/** What `node` (as schemaAt returns it) expects, when registered with expectShape. */
export function shapeExpectation(node: z.core.$ZodType): { expected: string; hint?: string } | undefined {
  return shapeExpectations.get(node);
}
