/**
 * Findings: what an experiment prints as its answer, computed from the runs. A value is a mean
 * with its CI; a ratio is paired over replications (common random numbers), with a delta-method
 * CI; a threshold is the smallest swept value from which on a figure stays within a target; a
 * table puts the simulated figures beside the claimed ones; `rejected` lists the loader's errors.
 */
import { pairedChange, type FigureCI } from '../whatif/aggregate.js';
import { numericValue } from '../report/sweep-report.js';
import { sig3 } from '../units/format.js';
import type { RunOutcome } from './execute.js';
import { findPoint, matchingGrid } from './points.js';
import { columnFigure, columnTitle, type FindingDef } from './schema.js';
import { formatEstimate, formatValue } from './format.js';

export interface Estimate {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

export interface TableCell {
  figure: string;
  sim: string;
  value: Estimate | null;
  claimed?: string;
}

export type FindingData =
  | { kind: 'value'; point: string; figure: string; estimate: Estimate | null }
  | { kind: 'ratio'; figure: string; of: string; to: string; estimate: Estimate | null }
  | { kind: 'threshold'; figure: string; x: string; atMost: number; mode: 'from' | 'upTo'; by?: string; results: { series: string | null; x: string | null }[] }
  | { kind: 'table'; columns: { figure: string; title: string }[]; rows: { point: string; cells: TableCell[] }[] }
  | { kind: 'rejected'; models: { name: string; rejected: boolean; problems: string[] }[] }
  | { kind: 'rank'; figure: string; order: { point: string; estimate: Estimate }[] };

export interface FindingResult {
  label: string;
  /** The claim it answers, as the experiment states it. */
  claimed?: string;
  /** As printed: one line, or several for tables and rejections. */
  text: string;
  data: FindingData;
}

const NOT_RUN = 'n/a (not in this form of the experiment)';

function estimate(ci: FigureCI | undefined): Estimate | null {
  return ci ? { mean: ci.mean, lo: ci.lo, hi: ci.hi, n: ci.n } : null;
}

/** "12.4x [12.1x, 12.7x]" (no interval with one replication). */
export function formatRatioEstimate(e: Estimate): string {
  const x = (v: number) => `${sig3(v)}x`;
  return Number.isFinite(e.hi - e.lo) ? `${x(e.mean)} [${x(e.lo)}, ${x(e.hi)}]` : x(e.mean);
}

export function evaluateFinding(f: FindingDef, runs: ReadonlyMap<string, RunOutcome>): FindingResult {
  const head = { label: f.label, ...(f.claimed !== undefined ? { claimed: f.claimed } : {}) };
  if (f.value) {
    const p = findPoint(runs.get(f.value.run)!, f.value.point);
    const ci = p?.figures[f.value.figure];
    return { ...head, text: p ? formatEstimate(f.value.figure, ci) : NOT_RUN, data: { kind: 'value', point: p?.label ?? '', figure: f.value.figure, estimate: estimate(ci) } };
  }
  if (f.ratio) return { ...head, ...ratio(f.ratio, runs.get(f.ratio.run)!) };
  if (f.threshold) return { ...head, ...threshold(f.threshold, runs.get(f.threshold.run)!) };
  if (f.table) return { ...head, ...table(f.table, runs.get(f.table.run)!) };
  if (f.rank) return { ...head, ...rank(f.rank, runs.get(f.rank.run)!) };
  const run = runs.get(f.rejected!.run)!;
  const models = run.kind === 'reject' ? run.rejects.map((r) => ({ name: r.name, rejected: r.problems.length > 0, problems: r.problems })) : [];
  const text = models.map((m) => `${m.name}: ${m.rejected ? m.problems.join(' | ') : 'ACCEPTED (expected a model error)'}`).join('\n');
  return { ...head, text, data: { kind: 'rejected', models } };
}

function ratio(r: NonNullable<FindingDef['ratio']>, run: RunOutcome): Pick<FindingResult, 'text' | 'data'> {
  const of = findPoint(run, r.of);
  const to = findPoint(run, r.to);
  const labels = { figure: r.figure, of: of?.label ?? '', to: to?.label ?? '' };
  if (!of || !to) return { text: NOT_RUN, data: { kind: 'ratio', ...labels, estimate: null } };
  // Replication k of every point ran with the same seed: pair them by replication number.
  const byRep = new Map(to.reps.map((rep) => [rep.rep, rep.figures[r.figure] ?? NaN]));
  const pairs = of.reps.filter((rep) => byRep.has(rep.rep));
  const change = pairedChange(
    pairs.map((rep) => byRep.get(rep.rep)!),
    pairs.map((rep) => rep.figures[r.figure] ?? NaN),
  );
  const e = change?.ratio ? { mean: change.ratio.value, lo: change.ratio.lo, hi: change.ratio.hi, n: change.n } : null;
  return { text: e ? formatRatioEstimate(e) : 'n/a (the denominator is 0)', data: { kind: 'ratio', ...labels, estimate: e } };
}

function threshold(t: NonNullable<FindingDef['threshold']>, run: RunOutcome): Pick<FindingResult, 'text' | 'data'> {
  if (run.kind !== 'sweep') throw new Error('threshold on a run that is not a sweep');
  const paths = run.result.vary.map((v) => v.path);
  const seriesValues = t.by !== undefined ? run.result.vary.find((v) => v.path === t.by)!.values : [null];
  const results = seriesValues.map((s) => {
    const at = { ...(t.at ?? {}), ...(s !== null && t.by !== undefined ? { [t.by]: s } : {}) };
    const line = matchingGrid(run.grid, paths, at)
      .map((g) => ({ x: g.values[paths.indexOf(t.x)], mean: run.result.points[g.index].figures[t.figure]?.mean ?? NaN }))
      .sort((a, b) => (numericValue(a.x) ?? 0) - (numericValue(b.x) ?? 0));
    // "from": the smallest x from which on every larger x also meets the target (robust to a
    // dip); "upTo": the largest x up to which every smaller x does.
    let found: string | null = null;
    if (t.mode === 'from') for (let i = line.length - 1; i >= 0 && line[i].mean <= t.atMost; i--) found = line[i].x;
    else for (let i = 0; i < line.length && line[i].mean <= t.atMost; i++) found = line[i].x;
    return { series: s, x: found, edge: t.mode === 'from' ? line.at(-1)?.x : line[0]?.x };
  });
  const none = (edge: string | undefined) => (t.mode === 'from' ? `none up to ${edge ?? '?'}` : `none (already above at ${edge ?? '?'})`);
  const text = results.map((r) => `${r.series !== null ? `${shortPath(t.by!)}=${r.series}: ` : ''}${r.x ?? none(r.edge)}`).join('; ');
  return {
    text,
    data: { kind: 'threshold', figure: t.figure, x: t.x, atMost: t.atMost, mode: t.mode, ...(t.by !== undefined ? { by: t.by } : {}), results: results.map(({ series, x }) => ({ series, x })) },
  };
}

/** The last segment of a field path: "traffic.burst.on" -> "on". */
export function shortPath(path: string): string {
  return path.split('.').pop() ?? path;
}

function table(t: NonNullable<FindingDef['table']>, run: RunOutcome): Pick<FindingResult, 'text' | 'data'> {
  const columns = t.columns.map((c) => ({ figure: columnFigure(c), title: columnTitle(c) }));
  const names = run.kind === 'points' ? run.names : [];
  const rows = names.map((point) => {
    const p = findPoint(run, point)!;
    const claimed = t.claimed?.[point] ?? {};
    return {
      point,
      cells: columns.map((c) => {
        const ci = p.figures[c.figure];
        return { figure: c.figure, sim: ci ? formatValue(c.figure, ci.mean) : 'n/a', value: estimate(ci), ...(claimed[c.figure] !== undefined ? { claimed: claimed[c.figure] } : {}) };
      }),
    };
  });
  const text = rows
    .map((r) => `${r.point}: ${r.cells.map((c, i) => `${columns[i].title} ${c.sim}${c.claimed !== undefined ? ` (claimed ${c.claimed})` : ''}`).join(', ')}`)
    .join('\n');
  return { text, data: { kind: 'table', columns, rows } };
}

function rank(r: NonNullable<FindingDef['rank']>, run: RunOutcome): Pick<FindingResult, 'text' | 'data'> {
  const names = run.kind === 'points' ? run.names : [];
  const order = names
    .map((point) => ({ point, estimate: estimate(findPoint(run, point)!.figures[r.figure]) }))
    .filter((o): o is { point: string; estimate: Estimate } => o.estimate !== null)
    .sort((a, b) => a.estimate.mean - b.estimate.mean);
  const text = order.map((o) => `${o.point} ${formatValue(r.figure, o.estimate.mean)}`).join(' < ');
  return { text, data: { kind: 'rank', figure: r.figure, order } };
}
