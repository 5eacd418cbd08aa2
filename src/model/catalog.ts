/**
 * The cost catalog: loading (built-in profiles "default" and "seed", or a calibrated file),
 * checking, per-model overrides, provenance look-up and size-table costs.
 *
 * A catalog file (models/catalog/*.yaml, format in models/catalog/README.md) mirrors the
 * Catalog object; every leaf is `{ value, source, assumption?, note? }`. A file may start with
 * `extends: default` (or another profile or file) and give only the entries it changes.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { HOST_CLASSES, type Catalog, type HostClass, type Provenance } from './catalog-types.js';
import type { Problem } from './errors.js';
import { joinPath, showValue } from '../units/parse.js';
import { MAX_MODEL_FILE_BYTES, readUserText, UserFileError } from './user-file.js';
import { yamlProblem } from './yaml-errors.js';
import {
  type LeafSlot,
  type LeafValue,
  classifyPath,
  isPathProblem,
  missingEntries,
  parseLeafValue,
  setLeaf,
} from './catalog-spec.js';

import { CatalogError, isAssumption, isRecord, written } from './catalog-overrides.js';

export { sizeCost } from './catalog-size.js';
export { applyOverrides, catalogEntry, catalogForHost, CatalogError, type OverrideOrigin } from './catalog-overrides.js';

/** The profiles shipped in models/catalog/. */
export const BUILTIN_CATALOGS = ['default', 'static'] as const;

/** Former names of built-in profiles, still accepted. */
const CATALOG_ALIASES: Record<string, string> = { seed: 'static' };

/** The built-in profile a name stands for (an alias resolved), or the name itself. */
export function canonicalCatalogName(name: string): string {
  return CATALOG_ALIASES[name] ?? name;
}

const LEAF_KEYS = ['value', 'source', 'assumption', 'note'];
const FILE_KEYS = ['description', 'extends', 'host', 'hosts'];

/** Works from src/model (vitest, tsx) and from dist/model (compiled): both sit two levels down. */
function builtinFile(name: string): string {
  return fileURLToPath(new URL(`../../models/catalog/${canonicalCatalogName(name)}.yaml`, import.meta.url));
}

function isBuiltin(name: string): boolean {
  return (BUILTIN_CATALOGS as readonly string[]).includes(canonicalCatalogName(name));
}

interface Leaf {
  slot: LeafSlot;
  value: LeafValue;
  provenance: Provenance;
}

interface FileContent {
  description: string;
  leaves: Map<string, Leaf>;
  host: HostClass;
  /** Per host class, the entries that replace the base ones on that class of host. */
  overlays: Map<HostClass, Map<string, Leaf>>;
}

function isHostClass(x: unknown): x is HostClass {
  return typeof x === 'string' && (HOST_CLASSES as readonly string[]).includes(x);
}




/** Reads one leaf object; problems go to `out`. */
function readLeaf(file: string, path: string, node: Record<string, unknown>, out: Problem[]): Leaf | undefined {
  const slot = classifyPath(path);
  if (isPathProblem(slot)) {
    out.push({ file, path, expected: slot.expected, found: slot.found, ...(slot.hint ? { hint: slot.hint } : {}) });
    return undefined;
  }
  let okay = true;
  for (const key of Object.keys(node)) {
    if (!LEAF_KEYS.includes(key)) {
      out.push({ file, path: `${path}.${key}`, expected: `only ${LEAF_KEYS.join(', ')} in a catalog entry`, found: `field "${key}"` });
      okay = false;
    }
  }
  const source = node.source;
  if (typeof source !== 'string' || source.trim() === '') {
    out.push({
      file,
      path: `${path}.source`,
      expected: 'a source: a seed section, a reference fact (file and section) or "assumption: <reasoning>"',
      found: source === undefined ? 'nothing' : showValue(source),
      hint: 'every catalog value says where it comes from',
    });
    okay = false;
  }
  if (node.assumption !== undefined && typeof node.assumption !== 'boolean') {
    out.push({ file, path: `${path}.assumption`, expected: 'true or false', found: showValue(node.assumption) });
    okay = false;
  }
  if (node.note !== undefined && typeof node.note !== 'string') {
    out.push({ file, path: `${path}.note`, expected: 'text', found: showValue(node.note) });
    okay = false;
  }
  const parsed = parseLeafValue(slot.kind, node.value);
  if (!parsed.ok) {
    out.push({
      file,
      path: joinPath(`${path}.value`, parsed.path),
      expected: parsed.expected,
      found: parsed.found,
      ...(parsed.hint ? { hint: parsed.hint } : {}),
    });
    okay = false;
  }
  if (!okay || !parsed.ok || typeof source !== 'string') return undefined;
  const provenance: Provenance = {
    path: slot.path,
    value: written(node.value),
    source: source.trim(),
    assumption: isAssumption(source, node.assumption),
  };
  if (typeof node.note === 'string') provenance.note = node.note.trim();
  return { slot, value: parsed.value, provenance };
}

/** Walks the sections of a file down to its leaves. */
function collectLeaves(file: string, node: unknown, at: string[], leaves: Map<string, Leaf>, out: Problem[]): void {
  const path = at.join('.');
  if (!isRecord(node)) {
    // A key that is no catalog path is named as such, its value never shown: the file may be
    // any YAML file (a config with passwords) that a model named as its catalog.
    const slot = classifyPath(path);
    if (isPathProblem(slot) && slot.expected.startsWith('a catalog path')) {
      out.push({ file, path, expected: slot.expected, found: slot.found, ...(slot.hint ? { hint: slot.hint } : {}) });
      return;
    }
    out.push({
      file,
      path,
      expected: 'a catalog entry { value: ..., source: "..." } or a section of entries',
      found: showValue(node),
      hint: 'every catalog value needs a source, e.g. { value: 30-50ns, source: "kernel selftests run_bench_trigger.sh" }',
    });
    return;
  }
  if ('value' in node) {
    const leaf = readLeaf(file, path, node, out);
    if (leaf === undefined) return;
    if (leaves.has(leaf.slot.path)) {
      out.push({ file, path, expected: 'each catalog path once', found: `a second entry for "${leaf.slot.path}"` });
      return;
    }
    leaves.set(leaf.slot.path, leaf);
    return;
  }
  for (const [key, sub] of Object.entries(node)) collectLeaves(file, sub, [...at, key], leaves, out);
}

function readText(file: string, label: string): string {
  try {
    return readUserText(file, MAX_MODEL_FILE_BYTES, 'a catalog file');
  } catch (err) {
    if (!(err instanceof UserFileError)) throw err;
    throw new CatalogError([
      { file: label, path: '', expected: err.expected ?? 'a catalog YAML file, "default" or "static"', found: err.found, hint: err.hint ?? `built-in profiles: ${BUILTIN_CATALOGS.join(', ')}` },
    ]);
  }
}

/** What a file that is not a catalog holds, in words: never its contents. */
function notACatalog(root: unknown): string {
  if (root === null || root === undefined) return 'an empty file';
  if (Array.isArray(root)) return 'a list';
  return typeof root === 'string' ? 'plain text' : `a single ${typeof root}`;
}

/** Loads one file and, through `extends`, its parents; child entries replace the parent's. */
function loadFile(file: string, label: string, seen: Set<string>): FileContent {
  if (seen.has(file)) {
    throw new CatalogError([{ file: label, path: 'extends', expected: 'a chain of catalogs without cycles', found: `"${label}" again` }]);
  }
  seen.add(file);
  const text = readText(file, label);
  const doc = parseDocument(text, { prettyErrors: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    throw new CatalogError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const y = yamlProblem(e, 'valid YAML');
        return { file: label, path: pos ? `line ${pos.line}, column ${pos.col}` : '', expected: y.expected, found: y.found, ...(y.hint ? { hint: y.hint } : {}) };
      }),
    );
  }
  const root: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (!isRecord(root)) {
    throw new CatalogError([{ file: label, path: '', expected: 'a catalog: sections such as attach:, submit:, consumer:', found: notACatalog(root) }]);
  }
  const problems: Problem[] = [];
  let parent: FileContent | undefined;
  if (root.extends !== undefined) {
    if (typeof root.extends !== 'string' || root.extends.trim() === '') {
      problems.push({ file: label, path: 'extends', expected: '"default", "seed" or a catalog file path', found: showValue(root.extends) });
    } else {
      const name = root.extends.trim();
      const parentFile = isBuiltin(name) ? builtinFile(name) : resolve(dirname(file), name);
      parent = loadFile(parentFile, isBuiltin(name) ? name : parentFile, seen);
    }
  }
  if (root.description !== undefined && typeof root.description !== 'string') {
    problems.push({ file: label, path: 'description', expected: 'text', found: showValue(root.description) });
  }
  if (root.host !== undefined && !isHostClass(root.host)) {
    problems.push({ file: label, path: 'host', expected: `the host class the numbers describe: ${HOST_CLASSES.join(' | ')}`, found: written(root.host) });
  }
  const own = new Map<string, Leaf>();
  for (const [key, section] of Object.entries(root)) {
    if (FILE_KEYS.includes(key)) continue;
    collectLeaves(label, section, [key], own, problems);
  }
  const overlays = new Map<HostClass, Map<string, Leaf>>();
  for (const [cls, leaves] of parent?.overlays ?? []) overlays.set(cls, new Map(leaves));
  if (root.hosts !== undefined) {
    if (!isRecord(root.hosts)) {
      problems.push({ file: label, path: 'hosts', expected: `sections per host class (${HOST_CLASSES.join(', ')}) of catalog entries`, found: written(root.hosts) });
    } else {
      for (const [cls, sections] of Object.entries(root.hosts)) {
        if (!isHostClass(cls)) {
          problems.push({ file: label, path: `hosts.${cls}`, expected: `a host class: ${HOST_CLASSES.join(' | ')}`, found: JSON.stringify(cls) });
          continue;
        }
        const mine = new Map<string, Leaf>();
        if (!isRecord(sections)) {
          problems.push({ file: label, path: `hosts.${cls}`, expected: 'sections of catalog entries', found: written(sections) });
          continue;
        }
        // Paths inside hosts.<class> are ordinary catalog paths.
        const here: Problem[] = [];
        for (const [key, section] of Object.entries(sections)) collectLeaves(label, section, [key], mine, here);
        problems.push(...here.map((p) => ({ ...p, path: `hosts.${cls}.${p.path}` })));
        const merged = overlays.get(cls) ?? new Map<string, Leaf>();
        for (const [path, leaf] of mine) merged.set(path, leaf);
        overlays.set(cls, merged);
      }
    }
  }
  if (problems.length > 0) throw new CatalogError(problems);
  const leaves = new Map(parent?.leaves ?? []);
  for (const [path, leaf] of own) leaves.set(path, leaf);
  const description = typeof root.description === 'string' ? root.description.trim() : (parent?.description ?? '');
  const host = isHostClass(root.host) ? root.host : (parent?.host ?? 'bare-metal');
  return { description, leaves, host, overlays };
}

function build(profile: string, label: string, content: FileContent): Catalog {
  const hostOverlays: Catalog['hostOverlays'] = {};
  for (const [cls, leaves] of content.overlays) {
    hostOverlays[cls] = [...leaves.values()].map((l) => ({ segments: l.slot.segments, value: l.value, provenance: { ...l.provenance } }));
  }
  const partial: Partial<Catalog> = { profile, description: content.description, host: content.host, hostOverlays, provenance: [] };
  for (const leaf of content.leaves.values()) {
    setLeaf(partial, leaf.slot, leaf.value);
    partial.provenance!.push({ ...leaf.provenance });
  }
  const missing = missingEntries(partial);
  if (missing.length > 0) {
    throw new CatalogError(
      missing.map((m) => ({
        file: label,
        path: m.path,
        expected: m.expected,
        found: 'nothing',
        hint: 'add the entry, or start the file with "extends: default" to take the rest from a profile',
      })),
    );
  }
  return partial as Catalog;
}

const builtinCache = new Map<string, Catalog>();

/**
 * Loads a catalog: "default" (reference-corrected), "seed" (the seed's numbers verbatim) or
 * the path of a catalog YAML file. Throws CatalogError with one problem per bad entry.
 * Built-in profiles are parsed once; every call returns a fresh copy.
 */
export function loadCatalog(nameOrPath: string): Catalog {
  if (isBuiltin(nameOrPath)) nameOrPath = canonicalCatalogName(nameOrPath);
  if (isBuiltin(nameOrPath)) {
    let cached = builtinCache.get(nameOrPath);
    if (!cached) {
      cached = build(nameOrPath, nameOrPath, loadFile(builtinFile(nameOrPath), nameOrPath, new Set()));
      builtinCache.set(nameOrPath, cached);
    }
    return structuredClone(cached);
  }
  const file = resolve(nameOrPath);
  return build(nameOrPath, nameOrPath, loadFile(file, nameOrPath, new Set()));
}
