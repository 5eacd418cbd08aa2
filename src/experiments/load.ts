/**
 * Loading an experiment file: YAML -> schema -> cross-references (runs, points, sweep paths,
 * derived expressions) -> the runs to execute, full or reduced (--quick). Every problem is one
 * line (file, field path, expected, found, hint); the caller gets an Experiment or a ModelError.
 */
import { basename, dirname, extname, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ModelError, didYouMeanHint, type Problem } from '../model/errors.js';
import { issuesToProblems } from '../model/issues.js';
import { parseModelText } from '../model/load.js';
import { showValue } from '../units/parse.js';
import { MAX_MODEL_FILE_BYTES, readUserText, UserFileError } from '../model/user-file.js';
import { yamlProblem } from '../model/yaml-errors.js';
import { parseVary, type Vary } from '../whatif/grid.js';
import { parseWhatIf } from '../whatif/whatifs.js';
import { STANDARD_DERIVED, type Derived } from './derived.js';
import { ExprError, parseExpr, references } from './expr.js';
import { experimentSchema, type ExperimentFile, type FigureColumn, type PointDef, type PointRef, type RunDef } from './schema.js';

export interface ModelSource {
  /** The model object, what-if applied; --set assignments are kept apart (`set`). */
  model: Record<string, unknown>;
  /** The model file, as shown in problems. */
  file: string;
  set: string[];
}

export interface ResolvedPoint extends ModelSource {
  name: string;
}

interface RunCommon {
  name: string;
  description?: string;
  /** Index in the file's runs (for problem paths). */
  index: number;
  /** Replications per point. */
  replications: number;
  derived: Derived[];
  show: FigureColumn[];
}

export type ResolvedRun =
  | (RunCommon & { kind: 'sweep'; source: ModelSource; vary: Vary[] })
  | (RunCommon & { kind: 'points'; points: ResolvedPoint[]; base?: string })
  | (RunCommon & { kind: 'reject'; points: ResolvedPoint[] });

export interface Experiment {
  /** The file's stem: `bpfsim experiment NAME`. */
  name: string;
  /** As shown in problems and reports. */
  file: string;
  /** The file's text (the report shows it). */
  text: string;
  def: ExperimentFile;
  quick: boolean;
  replications: number;
  runs: ResolvedRun[];
}

/** The figures a run's table shows when the file names none. */
export const DEFAULT_SHOW: FigureColumn[] = [
  'events.lostPct',
  'x.kernelPerPacketNs',
  'cpu.consumerPct',
  'latency.inflation.meanPct',
  'throughput.lossPct',
];

function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

function problem(file: string, path: string, expected: string, found: string, hint?: string): Problem {
  return { file, path, expected, found, ...(hint ? { hint } : {}) };
}

/** Reads and validates an experiment file. Throws ModelError. */
export function loadExperiment(path: string, opts: { quick?: boolean } = {}): Experiment {
  const abs = resolvePath(path);
  const file = displayPath(abs);
  let text: string;
  try {
    text = readUserText(abs, MAX_MODEL_FILE_BYTES, 'an experiment file');
  } catch (e) {
    if (!(e instanceof UserFileError)) throw e;
    throw new ModelError([problem(file, '', e.expected ?? 'a readable experiment file', e.found, e.hint)]);
  }
  return parseExperiment(text, file, abs, opts);
}

/** Validates experiment text; `abs` anchors relative model paths. Throws ModelError. */
export function parseExperiment(text: string, file: string, abs: string, opts: { quick?: boolean } = {}): Experiment {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    const y = yamlProblem(e, 'valid YAML');
    const hint = e.code === 'MISSING_CHAR' ? 'quote keys that hold [ or ] in flow maps: { "probes[0].attach": kprobe }' : y.hint;
    throw new ModelError([problem(file, `line ${pos.line}, column ${pos.col}`, y.expected, y.found, hint)]);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelError([problem(file, '', 'an experiment: fields title, question, claim, runs, ...', showValue(value))]);
  }
  const parsed = experimentSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw new ModelError(issuesToProblems(parsed.error.issues, file, experimentSchema));
  const def = parsed.data;
  const quick = opts.quick ?? false;
  const problems: Problem[] = [];
  const dir = dirname(abs);
  const models = new Map<string, Record<string, unknown> | undefined>();

  const readModel = (rel: string, where: string): { model: Record<string, unknown>; file: string } | undefined => {
    const absModel = resolvePath(dir, rel);
    if (!models.has(absModel)) {
      try {
        models.set(absModel, parseModelText(readUserText(absModel), displayPath(absModel)));
      } catch (e) {
        if (!(e instanceof ModelError) && !(e instanceof UserFileError)) throw e;
        const found = e instanceof ModelError ? e.problems.map((p) => p.found).join('; ') : e.found;
        problems.push(problem(file, where, 'a readable model file (relative to the experiment file)', `${JSON.stringify(rel)} (${found})`));
        models.set(absModel, undefined);
      }
    }
    const model = models.get(absModel);
    return model ? { model: structuredClone(model), file: displayPath(absModel) } : undefined;
  };

  const seen = new Set<string>();
  const runs: ResolvedRun[] = [];
  def.runs.forEach((run, index) => {
    const at = `runs[${index}]`;
    if (seen.has(run.name)) problems.push(problem(file, `${at}.name`, 'a name used once', JSON.stringify(run.name)));
    seen.add(run.name);
    const resolved = resolveRun(run, index, def, quick, readModel, problems, file);
    if (resolved) runs.push(resolved);
  });
  checkReferences(def, file, problems);
  if (problems.length > 0) throw new ModelError(problems);
  return {
    name: basename(abs, extname(abs)),
    file,
    text,
    def,
    quick,
    replications: quick ? def.quick.replications : def.replications,
    runs,
  };
}

type ReadModel = (rel: string, where: string) => { model: Record<string, unknown>; file: string } | undefined;

function resolveRun(run: RunDef, index: number, def: ExperimentFile, quick: boolean, readModel: ReadModel, problems: Problem[], file: string): ResolvedRun | undefined {
  const at = `runs[${index}]`;
  const common: RunCommon = {
    name: run.name,
    ...(run.description !== undefined ? { description: run.description } : {}),
    index,
    replications: quick ? def.quick.replications : (run.replications ?? def.replications),
    derived: [...STANDARD_DERIVED],
    show: run.show ?? DEFAULT_SHOW,
  };
  const quickSet = quick ? [...def.quick.set, ...(run.quick?.set ?? [])] : [];
  const runModel = run.model ?? def.model;
  const runModelWhere = run.model !== undefined ? `${at}.model` : 'model';

  if (run.sweep) {
    if (runModel === undefined) {
      problems.push(problem(file, `${at}.model`, 'a model file for the sweep (here or at the top level)', 'none'));
      return undefined;
    }
    const source = readModel(runModel, runModelWhere);
    const values = quick && run.quick?.sweep ? { ...run.sweep, ...run.quick.sweep } : run.sweep;
    if (run.quick?.sweep) {
      for (const path of Object.keys(run.quick.sweep)) {
        if (!Object.hasOwn(run.sweep, path)) problems.push(problem(file, `${at}.quick.sweep.${path}`, `a path of the sweep (${Object.keys(run.sweep).join(', ')})`, JSON.stringify(path)));
      }
    }
    const vary: Vary[] = [];
    for (const [path, list] of Object.entries(values)) {
      try {
        const items = Array.isArray(list) ? list : [list];
        const expanded = items.flatMap((item) => parseVary(`${path}=${String(item)}`).values);
        const twice = expanded.find((v, i) => expanded.indexOf(v) !== i);
        if (twice !== undefined) problems.push(problem(file, `${at}.sweep.${path}`, 'distinct values', `${JSON.stringify(twice)} twice`));
        vary.push({ path, values: expanded });
      } catch (e) {
        if (!(e instanceof ModelError)) throw e;
        for (const p of e.problems) problems.push({ ...p, file, path: `${at}.sweep.${path}` });
      }
    }
    const derived = parseDerived(run, at, file, problems, undefined);
    if (!source) return undefined;
    return { ...common, derived: [...common.derived, ...derived], kind: 'sweep', source: { model: source.model, file: source.file, set: [...def.set, ...run.set, ...quickSet] }, vary };
  }

  const defs = (run.points ?? run.reject)!;
  const field = run.points ? 'points' : 'reject';
  let names = Object.keys(defs);
  if (quick && run.quick?.points) {
    for (const n of run.quick.points) {
      if (!Object.hasOwn(defs, n)) problems.push(problem(file, `${at}.quick.points`, `point names of this run (${names.join(', ')})`, JSON.stringify(n), didYouMeanHint(n, names)));
    }
    names = names.filter((n) => run.quick!.points!.includes(n));
  }
  if (run.base !== undefined && !Object.hasOwn(defs, run.base)) {
    problems.push(problem(file, `${at}.base`, `a point of this run (${Object.keys(defs).join(', ')})`, JSON.stringify(run.base), didYouMeanHint(run.base, Object.keys(defs))));
  }
  if (run.quick?.sweep) problems.push(problem(file, `${at}.quick.sweep`, 'quick.points (this run has no sweep)', 'quick.sweep'));
  const points: ResolvedPoint[] = [];
  for (const name of names) {
    const p = resolvePoint(defs[name], `${at}.${field}.${name}`, runModel, runModelWhere, readModel, problems, file);
    if (p) points.push({ name, ...p, set: [...def.set, ...run.set, ...defs[name].set, ...quickSet] });
  }
  if (run.reject) return { ...common, derived: [], kind: 'reject', points };
  const derived = parseDerived(run, at, file, problems, Object.keys(defs));
  const base = run.base !== undefined && names.includes(run.base) ? run.base : undefined;
  return { ...common, derived: [...common.derived, ...derived], kind: 'points', points, ...(base ? { base } : {}) };
}

function resolvePoint(p: PointDef, at: string, runModel: string | undefined, runModelWhere: string, readModel: ReadModel, problems: Problem[], file: string): Omit<ModelSource, 'set'> | undefined {
  const rel = p.model ?? runModel;
  if (rel === undefined) {
    problems.push(problem(file, `${at}.model`, 'a model file (for the point, the run or the experiment)', 'none'));
    return undefined;
  }
  const source = readModel(rel, p.model !== undefined ? `${at}.model` : runModelWhere);
  if (!source) return undefined;
  if (p.whatif === undefined) return source;
  try {
    return { model: parseWhatIf(p.whatif).apply(source.model), file: source.file };
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    for (const q of e.problems) problems.push({ ...q, file, path: `${at}.whatif`, hint: q.hint ?? q.path });
    return undefined;
  }
}

function parseDerived(run: RunDef, at: string, file: string, problems: Problem[], pointNames: string[] | undefined): Derived[] {
  const out: Derived[] = [];
  for (const [name, source] of Object.entries(run.derived)) {
    const where = `${at}.derived.${name}`;
    if (!/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(name)) {
      problems.push(problem(file, where, 'a figure name such as x.outputPerEventNs (letters, digits, "_", dots)', JSON.stringify(name)));
      continue;
    }
    try {
      const expr = parseExpr(source);
      for (const ref of references(expr)) {
        if (ref.point === undefined) continue;
        if (!pointNames) problems.push(problem(file, where, 'no @point in a sweep run (its points have no names)', JSON.stringify(`${ref.figure}@${ref.point}`)));
        else if (!pointNames.includes(ref.point)) {
          problems.push(problem(file, where, `a point of this run after "@" (${pointNames.join(', ')})`, JSON.stringify(ref.point), didYouMeanHint(ref.point, pointNames)));
        }
      }
      out.push({ name, source, expr });
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      problems.push(problem(file, where, 'an expression such as "cpu.kernelNsPerSec / x.eventRate"', `${JSON.stringify(source)} (${e.message})`));
    }
  }
  return out;
}

/** Charts and findings name runs, points and sweep paths that exist, of the right kind. */
function checkReferences(def: ExperimentFile, file: string, problems: Problem[]): void {
  const byName = new Map(def.runs.map((r) => [r.name, r]));
  const runNames = [...byName.keys()];
  const findRun = (name: string, where: string, kinds: ('sweep' | 'points' | 'reject')[]): RunDef | undefined => {
    const r = byName.get(name);
    if (!r) {
      problems.push(problem(file, where, `a run of this experiment (${runNames.join(', ')})`, JSON.stringify(name), didYouMeanHint(name, runNames)));
      return undefined;
    }
    const kind = r.sweep ? 'sweep' : r.points ? 'points' : 'reject';
    if (!kinds.includes(kind)) {
      problems.push(problem(file, where, `a ${kinds.join(' or ')} run`, `${JSON.stringify(name)}, a ${kind} run`));
      return undefined;
    }
    return r;
  };
  const sweepPath = (r: RunDef, path: string, where: string) => {
    const paths = Object.keys(r.sweep ?? {});
    if (!paths.includes(path)) problems.push(problem(file, where, `a path of run ${r.name}'s sweep (${paths.join(', ')})`, JSON.stringify(path), didYouMeanHint(path, paths)));
  };
  const pointOf = (r: RunDef, ref: PointRef, where: string) => {
    if (typeof ref === 'string') {
      const names = Object.keys(r.points ?? {});
      if (!r.points) problems.push(problem(file, where, `sweep values such as { ${Object.keys(r.sweep ?? {})[0] ?? 'path'}: value } (run ${r.name} is a sweep)`, JSON.stringify(ref)));
      else if (!names.includes(ref)) problems.push(problem(file, where, `a point of run ${r.name} (${names.join(', ')})`, JSON.stringify(ref), didYouMeanHint(ref, names)));
    } else {
      if (!r.sweep) problems.push(problem(file, where, `a point name of run ${r.name}`, JSON.stringify(ref)));
      else for (const path of Object.keys(ref)) sweepPath(r, path, `${where}.${path}`);
    }
  };

  def.charts.forEach((c, i) => {
    const at = `charts[${i}]`;
    if (c.type === 'bars') {
      const r = findRun(c.run, `${at}.run`, ['sweep', 'points']);
      if (r) c.points?.forEach((p, j) => pointOf(r, p, `${at}.points[${j}]`));
      return;
    }
    const r = findRun(c.run, `${at}.run`, ['sweep']);
    if (!r) return;
    sweepPath(r, c.x, `${at}.x`);
    if (c.type === 'line' && c.series !== undefined) sweepPath(r, c.series, `${at}.series`);
    for (const path of Object.keys(c.at ?? {})) sweepPath(r, path, `${at}.at.${path}`);
  });
  const charts = new Set<string>();
  def.charts.forEach((c, i) => {
    if (charts.has(c.name)) problems.push(problem(file, `charts[${i}].name`, 'a chart name used once', JSON.stringify(c.name)));
    charts.add(c.name);
  });

  def.findings.forEach((f, i) => {
    const at = `findings[${i}]`;
    if (f.value) {
      const r = findRun(f.value.run, `${at}.value.run`, ['sweep', 'points']);
      if (r && f.value.point !== undefined) pointOf(r, f.value.point, `${at}.value.point`);
      if (r && f.value.point === undefined && r.points && Object.keys(r.points).length > 1) {
        problems.push(problem(file, `${at}.value.point`, `a point of run ${r.name} (it has several)`, 'nothing'));
      }
    } else if (f.ratio) {
      const r = findRun(f.ratio.run, `${at}.ratio.run`, ['sweep', 'points']);
      if (r) {
        pointOf(r, f.ratio.of, `${at}.ratio.of`);
        pointOf(r, f.ratio.to, `${at}.ratio.to`);
      }
    } else if (f.threshold) {
      const r = findRun(f.threshold.run, `${at}.threshold.run`, ['sweep']);
      if (r) {
        sweepPath(r, f.threshold.x, `${at}.threshold.x`);
        if (f.threshold.by !== undefined) sweepPath(r, f.threshold.by, `${at}.threshold.by`);
        for (const path of Object.keys(f.threshold.at ?? {})) sweepPath(r, path, `${at}.threshold.at.${path}`);
      }
    } else if (f.table) {
      const r = findRun(f.table.run, `${at}.table.run`, ['points']);
      if (r) for (const name of Object.keys(f.table.claimed ?? {})) pointOf(r, name, `${at}.table.claimed.${name}`);
    } else if (f.rejected) {
      findRun(f.rejected.run, `${at}.rejected.run`, ['reject']);
    } else if (f.rank) {
      findRun(f.rank.run, `${at}.rank.run`, ['points']);
    }
  });
}
