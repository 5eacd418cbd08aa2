/**
 * Loading a model from text or an object: YAML/JSON -> --set, --seed, --duration -> catalog ->
 * schema -> cost overrides -> resolved Scenario. Every problem on the way is collected; the
 * caller gets a Scenario or one ModelError listing them all, one line each.
 *
 * Free of host APIs: catalogs and the files a model names come through a LoadEnv, so the
 * command line (load.ts, the file system) and the browser page (built-in catalogs as data)
 * load models with the same code.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Catalog } from './catalog-types.js';
import { applyOverrides, CatalogError, catalogForHost } from './catalog-overrides.js';
import { classifyPath, isPathProblem } from './catalog-spec.js';
import { ModelError, type Problem } from './errors.js';
import type { ModelFiles } from './files.js';
import { applySet, parseFieldPath, setTarget } from './overrides.js';
import { resolveScenario } from './resolve.js';
import type { Scenario } from './scenario.js';
import { issuesToProblems } from './issues.js';
import type { ModelInput } from './schema.js';
import { defaultModelSchema, modelSchemaFor } from './model-schema.js';
import { DEFAULT_PAGE_SIZE, parseCount, parseDuration, showValue } from '../units/parse.js';
import { formatDuration } from '../units/format.js';
import { yamlProblem } from './yaml-errors.js';

/** What may change a model on its way in, whatever its source. */
export interface ModelLoadOptions {
  /** `--set path=value` assignments, applied before validation. */
  set?: string[];
  /** Catalog name or path, overriding the model's `catalog:`. */
  catalog?: string;
  /** Overrides the model's seed. */
  seed?: number;
  /** Overrides traffic.duration ("2s", or ns). */
  duration?: string;
  /** Accept a model that would simulate more than MAX_PACKETS packets. */
  force?: boolean;
}


export interface LoadedModel {
  scenario: Scenario;
  /** The validated model (units parsed, static defaults filled). */
  model: ModelInput;
  /** The catalog with the model's `costs:` applied. */
  catalog: Catalog;
  /** Where the model came from: the file path as given, "<text>", or the default model's path. */
  source: string;
  /** The model object as validated (after --set, --seed, --duration): plain data, reloadable
   * with loadModelObject, e.g. to derive what-if variants. */
  raw: Record<string, unknown>;
}

/** Where a model's catalog and files come from. */
export interface LoadEnv {
  /**
   * A catalog by name ("default", "seed") or by a path as written, relative to the model file
   * `from` (the working directory when undefined). Throws CatalogError.
   */
  catalog(ref: string, from?: string): Catalog;
  files: ModelFiles;
}

/** A ModelError of one problem. */
export function oneProblem(file: string, path: string, expected: string, found: string, hint?: string): ModelError {
  return new ModelError([hint ? { file, path, expected, found, hint } : { file, path, expected, found }]);
}

/** YAML (or JSON) text -> a plain object, or a ModelError with line and column per syntax error. */
export function parseModelText(text: string, file: string): Record<string, unknown> {
  return parseModelDocument(text, file).value;
}

/** Parses model text, keeping the YAML document (for source positions). */
function parseModelDocument(text: string, file: string): { value: Record<string, unknown>; doc: Document } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    // One syntax error usually causes the next few: report the first, and every duplicate key.
    const shown = doc.errors.filter((e, i) => i === 0 || e.code === 'DUPLICATE_KEY');
    const more = doc.errors.length - shown.length;
    throw new ModelError(
      shown.map((e, i) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        const y = yamlProblem(e, 'valid YAML or JSON');
        const hint = i === 0 && more > 0 ? `${more} more syntax error${more > 1 ? 's' : ''} may follow from this one` : y.hint;
        return { file, path: `line ${pos.line}, column ${pos.col}`, expected: y.expected, found: y.found, ...(hint ? { hint } : {}) };
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw oneProblem(file, '', 'valid YAML or JSON', (e instanceof Error ? e.message : String(e)).split('\n')[0]);
  }
  if (value === null || value === undefined) {
    throw oneProblem(file, '', 'a model (fields name, traffic, datapath, ...)', 'an empty file', 'start from models/default.yaml');
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw oneProblem(file, '', 'a model: an object of fields (name, traffic, datapath, ...)', showValue(value));
  }
  return { value: value as Record<string, unknown>, doc };
}

/** Where a field path starts in the source (its nearest existing ancestor when it is missing). */
function sourceOffset(doc: Document, path: string): number {
  const segments = parseFieldPath(path);
  if (!segments) return Infinity;
  for (let n = segments.length; n > 0; n--) {
    const node = doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    // A missing field sorts just after its parent's start, an existing one at its own start.
    if (node && typeof node === 'object' && node.range) return node.range[0] + (n < segments.length ? 0.5 : 0);
  }
  // A missing top-level field concerns the whole file: first.
  return -1;
}

/** Problems of this file in the order their fields appear in it (zod lists unknown keys last). */
function inSourceOrder(problems: Problem[], file: string, doc: Document): Problem[] {
  const keyed = problems.map((p, i) => ({ p, i, at: p.file === file ? sourceOffset(doc, p.path) : Infinity }));
  keyed.sort((a, b) => (a.at === b.at ? a.i - b.i : a.at - b.at));
  return keyed.map((k) => k.p);
}

/**
 * Model text (YAML or JSON) -> resolved model. `file` labels problems (in the order their fields
 * appear in the text) and anchors relative paths. Throws ModelError.
 */
export function loadModelText(env: LoadEnv, text: string, file: string, opts: ModelLoadOptions = {}): LoadedModel {
  const { value, doc } = parseModelDocument(text, file);
  try {
    return loadModelObjectWith(env, value, file, opts);
  } catch (e) {
    if (e instanceof ModelError && e.problems.length > 1) throw new ModelError(inSourceOrder(e.problems, file, doc));
    throw e;
  }
}

function catalogProblems(e: unknown, label: string): Problem[] {
  if (e instanceof CatalogError) {
    return e.problems.map((p) => ({ ...p, file: p.file || label }));
  }
  throw e;
}

/**
 * Validates and resolves a model given as an object (parsed YAML, or built in code). `file`
 * labels problems and anchors relative paths (trace, catalog), which `env` reads. The object is
 * not modified.
 */
export function loadModelObjectWith(env: LoadEnv, obj: unknown, file: string, opts: ModelLoadOptions = {}): LoadedModel {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw oneProblem(file, '', 'a model: an object of fields (name, traffic, datapath, ...)', showValue(obj));
  }
  let raw: Record<string, unknown>;
  try {
    raw = structuredClone(obj) as Record<string, unknown>;
  } catch {
    throw oneProblem(file, '', 'a model of plain data (objects, lists, text, numbers)', 'a value that cannot be copied (a function?)');
  }
  let durationTooShort = false;

  // Command-line overrides come first, so the model is checked as it will run.
  const problems: Problem[] = applySet(raw, opts.set ?? []);
  problems.push(...protoKeys(raw, file));
  if (opts.seed !== undefined) {
    const s = parseCount(opts.seed, { min: 0, integer: true });
    if (s.ok) raw.seed = s.value;
    else problems.push({ file: '--seed', path: '', expected: 'an integer >= 0', found: s.found });
  }
  if (opts.duration !== undefined) {
    const d = parseDuration(opts.duration);
    if (!d.ok || d.value <= 0) {
      problems.push({ file: '--duration', path: '', expected: 'a duration > 0 such as "2s"', found: JSON.stringify(opts.duration), ...(!d.ok && d.hint ? { hint: d.hint } : {}) });
    } else {
      const traffic = raw.traffic;
      if (typeof traffic === 'object' && traffic !== null && !Array.isArray(traffic)) (traffic as Record<string, unknown>).duration = d.value;
      else if (traffic === undefined) raw.traffic = { duration: d.value };
      const warmup = modelWarmup(raw);
      if (warmup !== undefined && warmup >= d.value) {
        // The model is fine: the override is what is too short for it.
        durationTooShort = true;
        problems.push({ file: '--duration', path: '', expected: `a duration longer than the model's warm-up (${formatDuration(warmup)})`,
          found: JSON.stringify(opts.duration), hint: `give --duration above ${formatDuration(warmup)}, or also --set traffic.warmup=...` });
      }
    }
  }

  // The catalog: the page size shapes the schema, the costs fill in the scenario.
  const fromModel = typeof raw.catalog === 'string' && raw.catalog !== '' ? raw.catalog : undefined;
  // --catalog is relative to the working directory, the model's `catalog:` to the model file.
  let catalogRef = 'default';
  let catalogFrom: string | undefined;
  if (opts.catalog !== undefined) catalogRef = opts.catalog;
  else if (fromModel !== undefined) [catalogRef, catalogFrom] = [fromModel, file.startsWith('<') ? undefined : file];
  let catalog: Catalog | undefined;
  try {
    catalog = env.catalog(catalogRef, catalogFrom);
  } catch (e) {
    // A catalog that cannot be read at all is a problem of the field naming it; problems inside
    // a catalog file are that file's.
    const [owner, field, written] = opts.catalog !== undefined ? ['--catalog', '', opts.catalog] : [file, 'catalog', fromModel ?? catalogRef];
    problems.push(
      ...catalogProblems(e, written).map((p) =>
        p.path === '' ? { ...p, file: owner, path: field, found: `${JSON.stringify(written)} (${p.found})` } : p,
      ),
    );
  }

  const parsed = modelSchemaFor({ pageSize: catalog?.pageSize ?? DEFAULT_PAGE_SIZE, force: opts.force }).safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const found = issuesToProblems(parsed.error.issues, file, defaultModelSchema());
    // A warm-up longer than a --duration was reported against --duration above.
    problems.push(...(durationTooShort ? found.filter((p) => p.path !== 'traffic.warmup') : found));
  }

  let scenario: Scenario | undefined;
  let withCosts: Catalog | undefined;
  if (parsed.success && catalog) {
    const model = parsed.data;
    try {
      // The host class's entries first: the model's own costs win over both.
      const forHost = model.host === undefined ? catalog : catalogForHost(catalog, model.host);
      withCosts = Object.keys(model.costs).length ? applyOverrides(forHost, model.costs, { file, field: 'costs' }) : forHost;
    } catch (e) {
      problems.push(...catalogProblems(e, file));
    }
    if (withCosts && problems.length === 0) {
      try {
        scenario = resolveScenario(model, withCosts, file, env.files, { force: opts.force });
      } catch (e) {
        if (!(e instanceof ModelError)) throw e;
        problems.push(...e.problems);
      }
    }
  }

  if (problems.length > 0 || !scenario || !withCosts || !parsed.success) {
    throw new ModelError(relabelSetProblems(problems, file, opts.set ?? []));
  }
  return { scenario, model: parsed.data, catalog: withCosts, source: file, raw };
}

/**
 * `costs.__proto__`: YAML and JSON keep it as a plain key, but the typed record of overrides
 * drops it without a word (objects elsewhere are strict and already name it an unknown field).
 */
function protoKeys(raw: Record<string, unknown>, file: string): Problem[] {
  const costs = raw.costs;
  if (typeof costs !== 'object' || costs === null || !Object.hasOwn(costs, '__proto__')) return [];
  const slot = classifyPath('__proto__');
  if (!isPathProblem(slot)) return [];
  return [{ file, path: 'costs.__proto__', expected: slot.expected, found: slot.found, ...(slot.hint ? { hint: slot.hint } : {}) }];
}

/** The model's own traffic.warmup in ns, when it gives a valid one. */
function modelWarmup(raw: Record<string, unknown>): number | undefined {
  const traffic = raw.traffic;
  if (typeof traffic !== 'object' || traffic === null) return undefined;
  const w = (traffic as Record<string, unknown>).warmup;
  if (w === undefined) return undefined;
  const d = parseDuration(w);
  return d.ok ? d.value : undefined;
}

/** A problem in a field that --set assigned belongs to --set, not to the file. */
function relabelSetProblems(problems: Problem[], file: string, assignments: readonly string[]): Problem[] {
  const targets = assignments.map(setTarget).filter((t): t is string => t !== undefined);
  if (targets.length === 0) return problems;
  return problems.map((p) => {
    if (p.file !== file) return p;
    const fromSet = targets.some((t) => p.path === t || p.path.startsWith(`${t}.`) || p.path.startsWith(`${t}[`));
    return fromSet ? { ...p, file: '--set' } : p;
  });
}
