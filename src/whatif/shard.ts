/**
 * Spreading a sweep over machines without cluster code of our own: `--shard I/N` runs the
 * points whose index is I modulo N (0-based I, as Kubernetes Indexed Jobs and Slurm arrays
 * number their tasks) and writes a part file with its raw replications; `merge` checks that
 * the parts belong to one sweep and cover it, and assembles exactly the result one process
 * would have produced (aggregation runs on the same numbers, in the same order).
 */
import { createHash } from 'node:crypto';
import { ModelError, type Problem } from '../model/errors.js';
import { showValue } from '../units/parse.js';
import { readUserText, UserFileError } from '../model/user-file.js';
import { expandGrid } from './grid.js';
import { assembleSweep, SWEEP_FORMAT_VERSION, type PointRuns, type SweepResult, type SweepSpec } from './sweep.js';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

export const PART_KIND = 'bpfsim-sweep-part';

/** Parts hold every replication's figures: a large sweep's part is megabytes, never gigabytes. */
const MAX_PART_FILE_BYTES = 512 * 1024 * 1024;

export interface SweepPart {
  kind: typeof PART_KIND;
  version: number;
  shard: Shard;
  spec: SweepSpec;
  complete: boolean;
  points: PointRuns[];
}

/** Parses "I/N" (0 <= I < N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const problem = (found: string, hint?: string): ModelError =>
    new ModelError([{ file: '--shard', path: '', expected: 'I/N with 0 <= I < N, e.g. 0/4 (shards are numbered from 0)', found, ...(hint ? { hint } : {}) }]);
  if (!m) throw problem(JSON.stringify(text));
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw problem(JSON.stringify(text), 'N is the number of shards, at least 1');
  if (index >= count) throw problem(JSON.stringify(text), index === count ? `shards are numbered 0..${count - 1}: use ${index - 1}/${count} for the last` : undefined);
  return { index, count };
}

/** Whether a point belongs to a shard: round robin, so neighbouring (similar) points spread out. */
export function inShard(shard: Shard, pointIndex: number): boolean {
  return pointIndex % shard.count === shard.index;
}

export function makePart(spec: SweepSpec, shard: Shard, points: PointRuns[], complete: boolean): SweepPart {
  return { kind: PART_KIND, version: SWEEP_FORMAT_VERSION, shard, spec, complete, points };
}

/** Part file text: JSON (numbers round-trip exactly). */
export function partJson(part: SweepPart): string {
  return JSON.stringify(part) + '\n';
}

/** Reads and checks the shape of one part file. Throws ModelError. */
export function readPart(file: string): SweepPart {
  const problem = (path: string, expected: string, found: string, hint?: string): ModelError =>
    new ModelError([{ file, path, expected, found, ...(hint ? { hint } : {}) }]);
  let text: string;
  try {
    text = readUserText(file, MAX_PART_FILE_BYTES, 'a part file');
  } catch (e) {
    if (!(e instanceof UserFileError)) throw e;
    throw problem('', e.expected ?? 'a readable part file', e.found, e.hint);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw problem('', 'a part file written by bpfsim sweep --shard (JSON)', (e as Error).message.split('\n')[0]);
  }
  const o = obj as Partial<SweepPart>;
  if (typeof obj !== 'object' || obj === null || o.kind !== PART_KIND) {
    throw problem('kind', `"${PART_KIND}"`, JSON.stringify((o as { kind?: unknown } | null)?.kind ?? null), 'is this a part file from bpfsim sweep --shard?');
  }
  if (o.version !== SWEEP_FORMAT_VERSION) throw problem('version', String(SWEEP_FORMAT_VERSION), JSON.stringify(o.version), 'merge parts with the bpfsim version that wrote them');
  const s = o.shard;
  if (!s || !Number.isInteger(s.index) || !Number.isInteger(s.count) || s.index < 0 || s.index >= s.count) {
    throw problem('shard', '{ index, count } with 0 <= index < count', JSON.stringify(s ?? null));
  }
  if (!o.spec || !Array.isArray(o.points)) throw problem('', 'spec and points', 'a part without them', 'the file is truncated or not from bpfsim');
  return o as SweepPart;
}

/**
 * Combines parts into the sweep result. Every part must carry the same spec and shard count,
 * and every shard must be there exactly once.
 */
export function mergeParts(parts: { file: string; part: SweepPart }[]): SweepResult {
  if (parts.length === 0) throw new ModelError([{ file: 'merge', path: '', expected: 'one or more part files', found: 'none' }]);
  const problems: Problem[] = [];
  const first = parts[0];
  // The same model given by another path is the same sweep: compare what runs, not the path.
  const spec = sweepIdentity(first.part.spec);
  const count = first.part.shard.count;
  const seen = new Map<number, string>();
  for (const { file, part } of parts) {
    if (sweepIdentity(part.spec) !== spec) {
      problems.push({ file, path: 'spec', expected: `the sweep of ${first.file} (same model, --set, --vary and replications)`, found: `a different sweep (${specDifference(first.part.spec, part.spec)})` });
      continue;
    }
    if (part.shard.count !== count) {
      problems.push({ file, path: 'shard', expected: `a shard of ${count} (as ${first.file})`, found: `${part.shard.index}/${part.shard.count}` });
      continue;
    }
    const dup = seen.get(part.shard.index);
    if (dup !== undefined) {
      problems.push({ file, path: 'shard', expected: 'each shard once', found: `shard ${part.shard.index}/${count} again (also in ${dup})` });
      continue;
    }
    seen.set(part.shard.index, file);
    problems.push(...contentProblems(file, part, expandGrid(first.part.spec.vary).length));
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (problems.length === 0 && missing.length > 0) {
    problems.push({
      file: 'merge', path: '', expected: `all ${count} shards`, found: `none for shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      hint: `run bpfsim sweep ... --shard ${missing[0]}/${count}`,
    });
  }
  if (problems.length > 0) throw new ModelError(problems);
  const sweepSpec = first.part.spec;
  const points = parts.flatMap(({ part }) => part.points).sort((a, b) => a.index - b.index);
  return assembleSweep(sweepSpec, expandGrid(sweepSpec.vary), points, parts.every(({ part }) => part.complete));
}

/** What makes two parts parts of one sweep: the model's content, catalog, --vary and plan. */
function sweepIdentity(spec: SweepSpec): string {
  const { file: _path, ...base } = spec.base;
  return JSON.stringify({ ...spec, base });
}

/** A short fingerprint of the model as run (content, not path), for problem lines. */
export function modelHash(spec: SweepSpec): string {
  return createHash('sha256').update(JSON.stringify(spec.base.model)).digest('hex').slice(0, 12);
}

/**
 * What a part holds must be what its sweep planned: points of its shard within the grid, each
 * once; replications numbered 0..n-1 with the seeds the model's seed gives (seed + r), as many
 * as planned (fewer only in an interrupted part); figures that are numbers.
 */
function contentProblems(file: string, part: SweepPart, gridSize: number): Problem[] {
  const problems: Problem[] = [];
  const { plan, vary } = part.spec;
  const seedVaried = vary.some((v) => v.path === 'seed');
  const modelSeed = typeof part.spec.base.model.seed === 'number' ? part.spec.base.model.seed : undefined;
  const most = plan.precision ? plan.precision.maxReplications : plan.replications;
  const seenPoints = new Set<number>();
  part.points.forEach((p, i) => {
    const at = `points[${i}]`;
    if (!Number.isInteger(p?.index) || p.index < 0 || p.index >= gridSize) {
      problems.push({ file, path: `${at}.index`, expected: `a point of the sweep, 0..${gridSize - 1}`, found: JSON.stringify(p?.index ?? null) });
      return;
    }
    if (!inShard(part.shard, p.index)) {
      problems.push({ file, path: `${at}.index`, expected: `a point of shard ${part.shard.index}/${part.shard.count}`, found: String(p.index) });
    }
    if (seenPoints.has(p.index)) problems.push({ file, path: `${at}.index`, expected: 'each point once', found: `point ${p.index} again` });
    seenPoints.add(p.index);
    const runs = Array.isArray(p.runs) ? p.runs : [];
    const n = runs.length;
    if (n > most || (part.complete && n < plan.replications)) {
      const planned = plan.precision ? `${plan.replications}..${most}` : String(plan.replications);
      problems.push({ file, path: `${at}.runs`, expected: `${planned} replications, as planned${part.complete ? '' : ' (at most, in an interrupted part)'}`, found: String(n) });
    }
    runs.forEach((r, k) => {
      const rat = `${at}.runs[${k}]`;
      const expectedSeed = !seedVaried && modelSeed !== undefined ? modelSeed + k : typeof runs[0]?.seed === 'number' ? runs[0].seed + k : undefined;
      if (r?.rep !== k) problems.push({ file, path: `${rat}.rep`, expected: String(k), found: JSON.stringify(r?.rep ?? null), hint: 'replications are numbered from 0, in order' });
      else if (expectedSeed !== undefined && r.seed !== expectedSeed) {
        problems.push({ file, path: `${rat}.seed`, expected: `seed ${expectedSeed} (the model's seed + ${k})`, found: JSON.stringify(r.seed ?? null) });
      }
      const figures = r?.figures;
      const bad = figures && typeof figures === 'object' ? Object.entries(figures).find(([, v]) => typeof v !== 'number' && v !== null) : ['', figures];
      if (bad) problems.push({ file, path: `${rat}.figures${bad[0] ? `.${bad[0]}` : ''}`, expected: 'a number', found: showValue(bad[1]) });
    });
  });
  // A few lines show that a file is not what its sweep made; a damaged file would flood the terminal.
  if (problems.length <= 5) return problems;
  return [...problems.slice(0, 5), { file, path: '', expected: 'a part as its sweep wrote it', found: `${problems.length - 5} more problems like these` }];
}

/** Names the first top-level field in which two specs differ. */
function specDifference(a: SweepSpec, b: SweepSpec): string {
  const diff: string[] = [];
  if (JSON.stringify(a.base.model) !== JSON.stringify(b.base.model)) diff.push(`the model (${modelHash(a)} vs ${modelHash(b)})`);
  for (const k of ['catalog', 'force'] as const) if (JSON.stringify(a.base[k]) !== JSON.stringify(b.base[k])) diff.push(k);
  if (JSON.stringify(a.vary) !== JSON.stringify(b.vary)) diff.push('--vary');
  if (JSON.stringify(a.plan) !== JSON.stringify(b.plan)) diff.push('replications');
  return `differs in ${diff.join(', ') || 'its layout'}`;
}
