/**
 * The model an experiment starts from, as plain data, and the up-front check of every model an
 * experiment will run (sweep points, size probes, variants): a bad one is reported before any
 * simulation starts, one line per problem.
 */
import type { LoadedModel } from '../model/load.js';
import { loadModelObject } from '../model/load.js';
import { ModelError, formatProblem, type Problem } from '../model/errors.js';
import type { PointJob } from './replicate.js';

export interface BaseModel {
  /** The model object with --set, --seed and --duration already applied (LoadedModel.raw). */
  model: Record<string, unknown>;
  /** Labels problems, anchors relative paths. */
  file: string;
  catalog?: string;
  force?: boolean;
}

export function baseModel(loaded: LoadedModel, opts: { catalog?: string; force?: boolean }): BaseModel {
  return { model: loaded.raw, file: loaded.source, ...(opts.catalog !== undefined ? { catalog: opts.catalog } : {}), ...(opts.force ? { force: true } : {}) };
}

/** The model's name, for headings. */
export function modelName(base: BaseModel): string {
  return typeof base.model.name === 'string' ? base.model.name : base.file;
}

export interface Candidate {
  /** The model object to run (the base's, or a what-if's transform of it). */
  model: Record<string, unknown>;
  /** Extra assignments (a sweep point's). */
  set: string[];
  /** Replications of one group stay paired. */
  group: number;
  /** Says where a problem came from when the candidate's own change caused it ("--vary", "what-if batch=64"). */
  relabel?: (p: Problem) => Problem;
}

/**
 * Loads every candidate once (validation only, no simulation) and returns the jobs to run: the
 * resolved Scenarios, which workers run without loading anything again. All problems of all
 * candidates are collected into one ModelError, duplicates removed.
 */
export function prepareJobs(base: BaseModel, candidates: Candidate[]): { jobs: PointJob[] } {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const jobs: PointJob[] = [];
  for (const c of candidates) {
    try {
      const l = loadModelObject(c.model, base.file, { set: c.set, catalog: base.catalog, force: base.force });
      jobs.push({
        task: { scenario: l.scenario, catalog: l.catalog },
        seed: l.scenario.seed,
        group: c.group,
      });
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      for (const p of e.problems) {
        const q = c.relabel ? c.relabel(p) : p;
        const line = formatProblem(q);
        if (seen.has(line)) continue;
        seen.add(line);
        problems.push(q);
      }
    }
  }
  if (problems.length > 0) throw new ModelError(problems);
  return { jobs };
}
