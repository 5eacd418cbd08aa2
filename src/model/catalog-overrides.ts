/**
 * Catalog operations that need no file: its error type, provenance look-up, a host class's
 * entries, and a model's overrides of entries (`costs:`). Free of host APIs, so the browser
 * page shares them.
 */
import type { Catalog, HostClass, HostOverlayEntry, Provenance } from './catalog-types.js';
import { ModelError, type Problem } from './errors.js';
import { joinPath } from '../units/parse.js';
import { classifyPath, isPathProblem, missingEntries, parseLeafValue, setLeaf } from './catalog-spec.js';

/** A bad catalog file or override: one Problem per thing wrong (file, path, expected, found, hint). */
export class CatalogError extends ModelError {
  constructor(problems: Problem[]) {
    super(problems);
    this.name = 'CatalogError';
  }
}
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
/** The value as written in the file, briefly (for provenance and listings). */
export function written(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return JSON.stringify(raw);
}
export function isAssumption(source: string, flag: unknown): boolean {
  return flag === true || /^assumption\b/i.test(source.trim());
}
/**
 * The catalog as it applies on a host of class `host`: the catalog's own numbers when it
 * describes that class, else its overlay for the class (the entries that differ there). A
 * catalog with no overlay for the class is returned as it is; `host` of the result then still
 * names the class its numbers describe, which the run reports.
 */
export function catalogForHost(catalog: Catalog, host: HostClass): Catalog {
  if (catalog.host === host) return catalog;
  const overlay: HostOverlayEntry[] | undefined = catalog.hostOverlays[host];
  if (overlay === undefined || overlay.length === 0) return catalog;
  const out = structuredClone(catalog);
  for (const e of overlay) {
    setLeaf(out, e, e.value);
    const at = out.provenance.findIndex((p) => p.path === e.provenance.path);
    const provenance = { ...e.provenance, note: [e.provenance.note, `${host} host: replaces ${at >= 0 ? out.provenance[at].value : 'nothing'}`].filter(Boolean).join('; ') };
    if (at >= 0) out.provenance[at] = provenance;
    else out.provenance.push(provenance);
  }
  out.hostNote = `catalog ${catalog.profile}: its ${overlay.length} ${host} entries over its ${catalog.host} numbers`;
  out.host = host;
  return out;
}

/** The provenance of one catalog entry ("attach.kprobe.entry", "submit.perf_buffer.128"). */
export function catalogEntry(catalog: Catalog, path: string): Provenance | undefined {
  const slot = classifyPath(path);
  const canonical = isPathProblem(slot) ? path : slot.path;
  return catalog.provenance.find((p) => p.path === canonical);
}
/** Where overrides come from, for problem lines and provenance. */
export interface OverrideOrigin {
  /** The model file (or "--set"). */
  file: string;
  /** The field holding the overrides in that file. */
  field: string;
}

/**
 * A copy of the catalog with entries replaced by catalog path (a model's `costs:` section).
 * Values are written as in a catalog file's `value` ("1.5us", { dist: lognormal, ... }, "4KiB"),
 * or as a full entry { value, source, note, assumption }. Size-table rows and helpers may be
 * added; a map type the catalog lacks needs all of lookup, update and delete.
 * Throws CatalogError (paths like `costs.wakeup.perf_buffer.producer`) with did-you-mean hints.
 */
export function applyOverrides(
  catalog: Catalog,
  overrides: Record<string, unknown>,
  origin: OverrideOrigin = { file: '<costs>', field: 'costs' },
): Catalog {
  const out = structuredClone(catalog);
  const problems: Problem[] = [];
  const at = (path: string): string => `${origin.field}.${path}`;
  for (const [path, raw] of Object.entries(overrides)) {
    const slot = classifyPath(path);
    if (isPathProblem(slot)) {
      problems.push({ file: origin.file, path: at(path), expected: slot.expected, found: slot.found, ...(slot.hint ? { hint: slot.hint } : {}) });
      continue;
    }
    const entry = isRecord(raw) && 'value' in raw ? raw : undefined;
    const rawValue = entry ? entry.value : raw;
    const parsed = parseLeafValue(slot.kind, rawValue);
    if (!parsed.ok) {
      problems.push({
        file: origin.file,
        path: joinPath(at(path), parsed.path),
        expected: parsed.expected,
        found: parsed.found,
        ...(parsed.hint ? { hint: parsed.hint } : {}),
      });
      continue;
    }
    setLeaf(out, slot, parsed.value);
    const previous = out.provenance.findIndex((p) => p.path === slot.path);
    const old = previous >= 0 ? out.provenance[previous] : undefined;
    const source = entry && typeof entry.source === 'string' && entry.source.trim() !== '' ? entry.source.trim() : `override: ${origin.file} ${at(path)}`;
    const provenance: Provenance = {
      path: slot.path,
      value: written(rawValue),
      source,
      assumption: isAssumption(source, entry?.assumption),
      note:
        entry && typeof entry.note === 'string'
          ? entry.note
          : old
            ? `replaces the ${catalog.profile} catalog's ${old.value} (${old.source})`
            : `added to the ${catalog.profile} catalog`,
    };
    if (previous >= 0) out.provenance[previous] = provenance;
    else out.provenance.push(provenance);
  }
  if (problems.length === 0) {
    for (const m of missingEntries(out)) {
      problems.push({
        file: origin.file,
        path: at(m.path),
        expected: m.expected,
        found: 'nothing',
        hint: 'a map type the catalog lacks needs costs for lookup, update and delete',
      });
    }
  }
  if (problems.length > 0) throw new CatalogError(problems);
  return out;
}
