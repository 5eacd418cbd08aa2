/**
 * `compare`: a base model and its variants (what-ifs, variant files) run with common random
 * numbers: replication r of every variant uses the base's seed for r, so arrivals and service
 * draws are the same and a difference is an effect, not noise. Each variant's change against the
 * base is paired per replication (aggregate.ts: paired t for the difference, delta method for the
 * ratio of means).
 */
import { CONFIDENCE, aggregateFigures, pairedChange, type FigureCIs, type PairedChange } from './aggregate.js';
import { modelName, prepareJobs, type BaseModel } from './base.js';
import { ModelError, type Problem } from '../model/errors.js';
import type { Executor } from './pool.js';
import { runReplications, type ReplicationPlan, type Replication, type RunOptions } from './replicate.js';

export const COMPARE_FORMAT_VERSION = 1;

export interface VariantSpec {
  /** "batch=64", or a variant file's path. */
  name: string;
  /** The variant's model object (a what-if applied to the base, or a variant file's model). */
  model: Record<string, unknown>;
  /** Labels problems; a variant file anchors its own relative paths. */
  file: string;
}

export interface CompareSpec {
  base: BaseModel;
  variants: VariantSpec[];
  plan: ReplicationPlan;
}

export interface CompareVariant {
  name: string;
  /** Where it came from: the base model's file, "what-if", or a variant file. */
  source: string;
  figures: FigureCIs;
  /** Against the base, per figure (absent for the base itself). */
  changes?: Record<string, PairedChange>;
}

export interface CompareResult {
  kind: 'bpfsim-compare';
  version: number;
  model: string;
  confidence: number;
  /** Replications every variant ran, and their seeds (shared by all variants). */
  n: number;
  seeds: number[];
  capped: boolean;
  complete: boolean;
  variants: CompareVariant[];
}

/** Runs base + variants with the base's replication seeds. Throws ModelError for a bad variant. */
export async function runCompare(spec: CompareSpec, exec: Executor, opts: RunOptions = {}): Promise<CompareResult> {
  const candidates = [
    { model: spec.base.model, file: spec.base.file, name: 'base' },
    ...spec.variants.map((v) => ({ model: v.model, file: v.file, name: v.name })),
  ];
  const problems: Problem[] = [];
  const jobs = candidates.flatMap((c) => {
    // A what-if's variant shares the base's file: say which what-if broke it.
    const where = (p: Problem): Problem => (c.name === 'base' || c.file !== spec.base.file || p.file !== spec.base.file ? p : { ...p, file: `${p.file} with --what-if ${c.name}` });
    try {
      return prepareJobs({ ...spec.base, model: c.model, file: c.file }, [{ model: c.model, set: [], group: 0, relabel: where }]).jobs;
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      problems.push(...e.problems);
      return [];
    }
  });
  if (problems.length > 0) throw new ModelError(problems);
  // Common random numbers: every variant runs with the base's seeds.
  const seed = jobs[0].seed;
  for (const j of jobs) j.seed = seed;
  const outcome = await runReplications(jobs, spec.plan, exec, opts);
  return assembleCompare(spec, outcome.runs, outcome.capped[0] ?? false, !outcome.interrupted);
}

function assembleCompare(spec: CompareSpec, runs: Replication[][], capped: boolean, complete: boolean): CompareResult {
  // Pairs need the same replications on both sides: keep those every variant finished.
  const common = runs.map((rs) => new Set(rs.map((r) => r.rep))).reduce((a, b) => new Set([...a].filter((x) => b.has(x))));
  const kept = runs.map((rs) => rs.filter((r) => common.has(r.rep)));
  const base = kept[0];
  const names = ['base', ...spec.variants.map((v) => v.name)];
  return {
    kind: 'bpfsim-compare',
    version: COMPARE_FORMAT_VERSION,
    model: modelName(spec.base),
    confidence: CONFIDENCE,
    n: base.length,
    seeds: base.map((r) => r.seed),
    capped,
    complete,
    variants: kept.map((rs, i) => ({
      name: names[i],
      source: i === 0 ? spec.base.file : spec.variants[i - 1].file,
      figures: aggregateFigures(rs.map((r) => r.figures)),
      ...(i > 0 ? { changes: changes(base, rs) } : {}),
    })),
  };
}

function changes(base: Replication[], variant: Replication[]): Record<string, PairedChange> {
  const out: Record<string, PairedChange> = {};
  const paths = new Set([...Object.keys(base[0]?.figures ?? {}), ...Object.keys(variant[0]?.figures ?? {})]);
  for (const path of paths) {
    const c = pairedChange(
      base.map((r) => r.figures[path] ?? NaN),
      variant.map((r) => r.figures[path] ?? NaN),
    );
    if (c) out[path] = c;
  }
  return out;
}
