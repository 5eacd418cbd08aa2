/**
 * The experiment file format (experiments/<name>.yaml): which models run, how they vary, which
 * figures are derived, the charts, and the findings the run prints. Validated with zod; problems
 * become one line each (file, field path, expected, found, hint), as for models.
 */
import * as z from 'zod';
import { MAX_REPLICATIONS } from '../model/limits.js';

const text = z.string().min(1);
const setList = z.array(z.string()).default([]);
/** A --vary value: as --set takes it; a string may be a range ("1..256x2") or a flow map. */
const varyValue = z.union([z.string(), z.number()]);

/** A figure, optionally with the title a table or chart shows for it. */
export const figureColumn = z.union([text, z.strictObject({ figure: text, title: text })]);

/** One named model of a `points` or `reject` run. */
const pointSchema = z.strictObject({
  /** A model file (relative to the experiment file); the run's model when absent. */
  model: text.optional(),
  /** A built-in what-if applied to that model ("batch=64", "ringbuf=1MiB+pages=64"). */
  whatif: text.optional(),
  /** --set assignments for this point only. */
  set: setList,
});

/** A point of a run: a point's name, or the sweep values that pick a grid point. */
const pointRef = z.union([text, z.record(z.string(), varyValue)]);

const runSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][\w-]*$/, 'a name of letters, digits, "_" and "-"'),
    description: z.string().optional(),
    /** The run's model file; the experiment's `model` when absent. */
    model: text.optional(),
    set: setList,
    /** Replications of this run's points in the full form (the experiment's when absent). */
    replications: z.number().int().min(1).max(MAX_REPLICATIONS).optional(),
    /** Sweep: path -> values (a list, or one --vary string such as "1..256x2"); every combination runs. */
    sweep: z.record(z.string(), z.union([z.array(varyValue).min(1), varyValue])).optional(),
    /** Named models run with common random numbers. */
    points: z.record(z.string(), pointSchema).optional(),
    /** The point of `points` the others are compared with (paired ratios). */
    base: text.optional(),
    /** Models the loader must refuse (kernel rules): their error lines are the result. */
    reject: z.record(z.string(), pointSchema).optional(),
    /** Figures computed per replication: name -> expression (see expr.ts). */
    derived: z.record(z.string(), text).default({}),
    /** Figures in the run's printed table. */
    show: z.array(figureColumn).optional(),
    /** The reduced form (--quick): fewer sweep values, fewer points, extra --set. */
    quick: z
      .strictObject({
        sweep: z.record(z.string(), z.union([z.array(varyValue).min(1), varyValue])).optional(),
        points: z.array(text).optional(),
        set: setList,
      })
      .optional(),
  })
  .superRefine((run, ctx) => {
    const kinds = [run.sweep, run.points, run.reject].filter((k) => k !== undefined).length;
    if (kinds !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'exactly one of sweep, points, reject',
        params: { expected: 'exactly one of sweep, points or reject', found: kinds === 0 ? 'none' : 'several' },
      });
    }
  });

const chartCommon = {
  name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'a file name of letters, digits, ".", "_" and "-"'),
  run: text,
  title: text.optional(),
};

/** A line chart of a sweep: y against the numeric sweep path x, a line per value of `series`. */
const lineChart = z.strictObject({
  ...chartCommon,
  type: z.literal('line'),
  x: text,
  y: text,
  series: text.optional(),
  /** Fixes the sweep's other paths. */
  at: z.record(z.string(), varyValue).optional(),
  xLog: z.boolean().default(false),
  yLog: z.boolean().default(false),
  xTitle: text.optional(),
  yTitle: text.optional(),
  /** Legend text per series value, e.g. { perf_buffer: "perf buffer" }. */
  seriesLabels: z.record(z.string(), text).optional(),
  /** Lines drawn beside the simulation, e.g. the static estimate's table: [x, y] pairs. */
  reference: z.array(z.strictObject({ series: text, points: z.array(z.tuple([z.number(), z.number()])).min(1) })).optional(),
});

/** Loss against buffer size (one sweep line), with the memory it costs below. */
const lossChart = z.strictObject({
  ...chartCommon,
  type: z.literal('loss'),
  x: text,
  y: text.default('events.lostPct'),
  memory: text.optional(),
  at: z.record(z.string(), varyValue).optional(),
  target: z.number().min(0).optional(),
  xTitle: text.optional(),
});

/** Bars: one panel per figure, a bar per point (or per sweep point). */
const barsChart = z.strictObject({
  ...chartCommon,
  type: z.literal('bars'),
  figures: z.array(figureColumn).min(1),
  points: z.array(pointRef).optional(),
  columns: z.number().int().min(1).optional(),
  /** Width of each panel in pixels (many bars need more than the default 200). */
  width: z.number().int().min(100).max(1200).optional(),
});

export const chartSchema = z.discriminatedUnion('type', [lineChart, lossChart, barsChart]);

const findingSchema = z
  .strictObject({
    label: text,
    /** The claim this finding answers (static estimate or published figure), as text ("~27x"). */
    claimed: text.optional(),
    /** A figure's mean and CI at one point. */
    value: z.strictObject({ run: text, point: pointRef.optional(), figure: text }).optional(),
    /** mean(figure at `of`) / mean(figure at `to`), paired over replications. */
    ratio: z.strictObject({ run: text, figure: text, of: pointRef, to: pointRef }).optional(),
    /**
     * mode "from": the smallest x of a sweep from which on the figure stays at or below
     * `atMost` (a loss falling with buffer size); "upTo": the largest x up to which it does (a
     * loss rising with event size). Per value of `by`.
     */
    threshold: z
      .strictObject({
        run: text,
        figure: text,
        x: text,
        atMost: z.number(),
        mode: z.enum(['from', 'upTo']).default('from'),
        by: text.optional(),
        at: z.record(z.string(), varyValue).optional(),
      })
      .optional(),
    /** A table: the run's points as rows, figures as columns, the claimed values beside them. */
    table: z
      .strictObject({ run: text, columns: z.array(figureColumn).min(1), claimed: z.record(z.string(), z.record(z.string(), text)).optional() })
      .optional(),
    /** The error lines of a `reject` run. */
    rejected: z.strictObject({ run: text }).optional(),
    /** A points run's points ordered by a figure, smallest first. */
    rank: z.strictObject({ run: text, figure: text }).optional(),
  })
  .superRefine((f, ctx) => {
    const kinds = [f.value, f.ratio, f.threshold, f.table, f.rejected, f.rank].filter((k) => k !== undefined).length;
    if (kinds !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'exactly one finding kind',
        params: { expected: 'exactly one of value, ratio, threshold, table, rejected, rank', found: kinds === 0 ? 'none' : 'several' },
      });
    }
  });

export const experimentSchema = z.strictObject({
  title: text,
  /** The question, in one or two sentences. */
  question: text,
  /** The claim the experiment tests: a static estimate's arithmetic or a published figure, with its source. */
  claim: text,
  /** The default model file of the runs (relative to the experiment file). */
  model: text.optional(),
  /** --set assignments for every run. */
  set: setList,
  replications: z.number().int().min(1).max(MAX_REPLICATIONS).default(5),
  quick: z.strictObject({ replications: z.number().int().min(1).max(MAX_REPLICATIONS).default(2), set: setList }).default({ replications: 2, set: [] }),
  runs: z.array(runSchema).min(1),
  charts: z.array(chartSchema).default([]),
  findings: z.array(findingSchema).default([]),
});

export type ExperimentFile = z.output<typeof experimentSchema>;
export type RunDef = ExperimentFile['runs'][number];
export type PointDef = z.output<typeof pointSchema>;
export type PointRef = z.output<typeof pointRef>;
export type ChartDef = z.output<typeof chartSchema>;
export type FindingDef = ExperimentFile['findings'][number];
export type FigureColumn = z.output<typeof figureColumn>;

export function columnFigure(c: FigureColumn): string {
  return typeof c === 'string' ? c : c.figure;
}

export function columnTitle(c: FigureColumn): string {
  return typeof c === 'string' ? c : c.title;
}
