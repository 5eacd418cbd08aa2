/**
 * Spreading a sweep over machines without cluster code of our own: `--shard I/N` runs the
 * points whose index is I modulo N (0-based I, as Kubernetes Indexed Jobs and Slurm arrays
 * number their tasks) and writes a part file with its raw replications; `merge` checks that
 * the parts belong to one sweep and cover it, and assembles exactly the result one process
 * would have produced (aggregation runs on the same numbers, in the same order).
 */
import { readFileSync } from 'node:fs';
import { ModelError, type Problem } from '../model/errors.js';
import { expandGrid } from './grid.js';
import { assembleSweep, SWEEP_FORMAT_VERSION, type PointRuns, type SweepResult, type SweepSpec } from './sweep.js';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

export const PART_KIND = 'bpfsim-sweep-part';

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
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw problem('', 'a readable part file', code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable'));
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
  const spec = JSON.stringify(first.part.spec);
  const count = first.part.shard.count;
  const seen = new Map<number, string>();
  for (const { file, part } of parts) {
    if (JSON.stringify(part.spec) !== spec) {
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

/** Names the first top-level field in which two specs differ. */
function specDifference(a: SweepSpec, b: SweepSpec): string {
  const diff: string[] = [];
  if (JSON.stringify(a.base.model) !== JSON.stringify(b.base.model)) diff.push('the model');
  for (const k of ['file', 'catalog', 'force'] as const) if (JSON.stringify(a.base[k]) !== JSON.stringify(b.base[k])) diff.push(k);
  if (JSON.stringify(a.vary) !== JSON.stringify(b.vary)) diff.push('--vary');
  if (JSON.stringify(a.plan) !== JSON.stringify(b.plan)) diff.push('replications');
  return `differs in ${diff.join(', ') || 'its layout'}`;
}
