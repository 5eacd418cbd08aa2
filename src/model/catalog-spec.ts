/**
 * The shape of a cost catalog: which dotted paths exist, what each leaf holds, which are
 * required. Catalog files mirror the Catalog object (src/model/catalog-types.ts) path for path,
 * with two exceptions that this module maps: size-table rows (`submit.perf_buffer.128` is the
 * row for 128-byte payloads) and `memory.hashOverhead.<kernel major>|default`.
 * No Node-only API here (overrides are applied in the browser too).
 */
import type { Dist } from '../distributions/types.js';
import { parseDist } from '../distributions/parse.js';
import { parseBytes, parseCount, type Parsed, fail, ok } from '../units/parse.js';
import { LOG_SINKS, type Catalog, type SizeTable } from './catalog-types.js';
import { ATTACH_TYPES, MAP_TYPES } from './kernel.js';
import { likelyName } from './errors.js';
import { sizeTableProblem } from './catalog-size.js';

export type LeafKind = 'dist' | 'size' | 'number' | 'count' | { oneOf: readonly string[] };
export type LeafValue = Dist | number | string;

type Node =
  | { type: 'leaf'; kind: LeafKind }
  /** Named fields, all required. */
  | { type: 'object'; fields: Record<string, Node> }
  /**
   * Keys chosen by the catalog: from a fixed list (`keys`), any name (`names`), payload sizes
   * (`sizes`, the rows of a size table) or kernel majors plus "default" (`majors`).
   * `require`: which keys must be present.
   */
  | {
      type: 'keyed';
      keys: readonly string[] | 'names' | 'sizes' | 'majors';
      child: Node;
      require: 'all' | 'some' | 'none' | readonly string[];
    };

const leaf = (kind: LeafKind): Node => ({ type: 'leaf', kind });
const object = (fields: Record<string, Node>): Node => ({ type: 'object', fields });
const DIST = leaf('dist');
const SIZE = leaf('size');

export const CONSUMER_RUNTIMES = ['bcc-python', 'libbpf'] as const;
export const OUTPUT_TYPES = ['perf_buffer', 'ringbuf'] as const;
export const MEMORY_FORMULAS = ['kernel', 'static'] as const;


const wakeup = object({ producer: DIST, producerNoWaiter: DIST, coalesced: DIST, pending: DIST, latency: DIST });
const consumer = object({
  pollCost: DIST,
  wakeCost: DIST,
  read: DIST,
  decode: DIST,
  callback: object({ simple: DIST, medium: DIST, complex: DIST }),
  log: DIST,
  lost: DIST,
  aggregatePerEntry: DIST,
  baseMemory: SIZE,
});
const sizeTable: Node = { type: 'keyed', keys: 'sizes', child: DIST, require: 'some' };

/** The catalog schema. Top-level `description` and `extends` are file metadata, not leaves. */
const SCHEMA: Node = object({
  pageSize: SIZE,
  interpreterFactor: leaf('number'),
  insn: DIST,
  attach: { type: 'keyed', keys: ATTACH_TYPES, child: object({ entry: DIST, exit: DIST }), require: 'all' },
  maps: { type: 'keyed', keys: MAP_TYPES, child: object({ lookup: DIST, update: DIST, delete: DIST }), require: 'some' },
  helpers: { type: 'keyed', keys: 'names', child: DIST, require: 'none' },
  submit: object({ perf_buffer: sizeTable, ringbuf: sizeTable, failed: DIST, batchAdd: DIST }),
  wakeup: object({ perf_buffer: wakeup, ringbuf: wakeup }),
  ringbufLock: object({ hold: DIST, handoff: DIST, perDoubling: DIST }),
  sched: object({ contextSwitch: DIST, slice: DIST, idleAfter: DIST, idleExit: DIST }),
  stalls: object({
    'bcc-python': object({ gcEvery: leaf('number'), gcPause: DIST }),
    libbpf: object({ gcEvery: leaf('number'), gcPause: DIST }),
    sink: { type: 'keyed', keys: LOG_SINKS, child: object({ every: SIZE, pause: DIST }), require: 'all' },
  }),
  consumer: { type: 'keyed', keys: CONSUMER_RUNTIMES, child: consumer, require: 'all' },
  memory: object({
    formulas: leaf({ oneOf: MEMORY_FORMULAS }),
    hashOverhead: { type: 'keyed', keys: 'majors', child: SIZE, require: ['default'] },
    hashBucket: SIZE,
    lruExtra: SIZE,
    stackTraceEntry: SIZE,
    jitPerProgram: SIZE,
    other: SIZE,
    perfMetaPages: leaf('count'),
    ringbufMetaPages: leaf('count'),
  }),
});

/** A leaf path once checked: its canonical segments (size rows as whole bytes) and kind. */
export interface LeafSlot {
  segments: string[];
  path: string;
  kind: LeafKind;
}

/** Why a path is not a catalog leaf: what was expected, and a did-you-mean hint. */
export interface PathProblem {
  expected: string;
  found: string;
  hint?: string;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAJOR_RE = /^\d+$/;

function keysOf(node: Node): string[] {
  if (node.type === 'object') return Object.keys(node.fields);
  if (node.type === 'keyed' && Array.isArray(node.keys)) return [...(node.keys as readonly string[])];
  return [];
}

function unknownKey(segments: readonly string[], i: number, candidates: readonly string[]): PathProblem {
  const where = segments.slice(0, i).join('.');
  const guess = likelyName(segments[i], candidates);
  const expected = where === '' ? 'a catalog path' : `a catalog path under "${where}"`;
  const hint =
    guess !== undefined
      ? `did you mean "${[...segments.slice(0, i), guess, ...segments.slice(i + 1)].join('.')}"?`
      : candidates.length > 0
        ? `${where === '' ? 'sections' : `entries under ${where}`}: ${candidates.slice(0, 14).join(', ')}${candidates.length > 14 ? ', ...' : ''}`
        : undefined;
  const found = `"${segments.join('.')}"`;
  return hint === undefined ? { expected, found } : { expected, found, hint };
}

/**
 * Checks a dotted path against the schema. Size-table row keys are normalised to whole bytes
 * ("submit.perf_buffer.1KiB" -> "submit.perf_buffer.1024"), so that paths compare equal.
 */
export function classifyPath(path: string): LeafSlot | PathProblem {
  const segments = path.split('.');
  const canonical: string[] = [];
  let node: Node = SCHEMA;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (node.type === 'leaf') {
      return { expected: `a catalog path ending at "${canonical.join('.')}"`, found: `"${path}"`, hint: `"${canonical.join('.')}" is a single value` };
    }
    if (node.type === 'object') {
      const next: Node | undefined = Object.hasOwn(node.fields, seg) ? node.fields[seg] : undefined;
      if (next === undefined) return unknownKey(segments, i, keysOf(node));
      canonical.push(seg);
      node = next;
      continue;
    }
    const keys = node.keys;
    if (keys === 'sizes') {
      const bytes = parseBytes(seg);
      if (!bytes.ok) {
        return { expected: `a row key that is a payload size in bytes under "${canonical.join('.')}"`, found: `"${path}"`, hint: 'rows are keyed by payload size, e.g. submit.perf_buffer.128 or submit.perf_buffer.1KiB' };
      }
      canonical.push(String(bytes.value));
    } else if (keys === 'majors') {
      if (seg !== 'default' && !MAJOR_RE.test(seg)) {
        return { expected: `a kernel major version (e.g. "5") or "default" under "${canonical.join('.')}"`, found: `"${path}"` };
      }
      canonical.push(seg);
    } else if (keys === 'names') {
      if (!NAME_RE.test(seg)) return { expected: `a name (letters, digits, _) under "${canonical.join('.')}"`, found: `"${path}"` };
      canonical.push(seg);
    } else {
      if (!keys.includes(seg)) return unknownKey(segments, i, keys);
      canonical.push(seg);
    }
    node = node.child;
  }
  if (node.type !== 'leaf') {
    const sub = keysOf(node);
    return {
      expected: 'a path to a single catalog value',
      found: `"${path}"`,
      hint: sub.length > 0 ? `give one of ${canonical.join('.')}.{${sub.join(',')}}` : `give a key under ${canonical.join('.')}`,
    };
  }
  return { segments: canonical, path: canonical.join('.'), kind: node.kind };
}

export function isPathProblem(x: LeafSlot | PathProblem): x is PathProblem {
  return !('kind' in x);
}

function kindExpected(kind: LeafKind): string {
  if (kind === 'dist') return 'a duration such as "50ns" or "50-100ns", or { dist: ... }';
  if (kind === 'size') return 'a size in bytes such as 4096 or "60MiB"';
  if (kind === 'number') return 'a number >= 0';
  if (kind === 'count') return 'a whole number >= 0';
  return `one of ${kind.oneOf.join(', ')}`;
}

/** Parses a leaf's value by its kind. */
export function parseLeafValue(kind: LeafKind, raw: unknown): Parsed<LeafValue> {
  if (kind === 'dist') return parseDist(raw);
  if (kind === 'size') return parseBytes(raw);
  if (kind === 'number') return parseCount(raw, { min: 0 });
  if (kind === 'count') return parseCount(raw, { min: 0, integer: true });
  if (typeof raw === 'string' && kind.oneOf.includes(raw)) return ok(raw);
  return fail(kindExpected(kind), raw);
}

// ---- the catalog object, path by path --------------------------------------------------

type Loose = Record<string, unknown>;

function child(obj: Loose, key: string): Loose {
  const existing = obj[key];
  if (typeof existing === 'object' && existing !== null) return existing as Loose;
  const created: Loose = {};
  obj[key] = created;
  return created;
}

/** Inserts or replaces the row for `bytes` of a size table, keeping rows sorted by size. */
function setRow(table: SizeTable, bytes: number, cost: Dist): void {
  const at = table.bytes.indexOf(bytes);
  if (at >= 0) {
    table.cost[at] = cost;
    return;
  }
  let i = 0;
  while (i < table.bytes.length && table.bytes[i] < bytes) i++;
  table.bytes.splice(i, 0, bytes);
  table.cost.splice(i, 0, cost);
}

/** Writes one leaf into a (partial) catalog object at its canonical path. */
export function setLeaf(target: Partial<Catalog> | Catalog, slot: Pick<LeafSlot, 'segments'>, value: LeafValue): void {
  const seg = slot.segments;
  const root = target as unknown as Loose;
  if (seg[0] === 'submit' && seg.length === 3 && (seg[1] === 'perf_buffer' || seg[1] === 'ringbuf')) {
    const submit = child(root, 'submit');
    const table = (submit[seg[1]] as SizeTable | undefined) ?? { bytes: [], cost: [] };
    submit[seg[1]] = table;
    setRow(table, Number(seg[2]), value as Dist);
    return;
  }
  if (seg[0] === 'memory' && seg[1] === 'hashOverhead') {
    const overhead = child(child(root, 'memory'), 'hashOverhead');
    const byMajor = child(overhead, 'byKernelMajor');
    if (seg[2] === 'default') overhead.default = value;
    else byMajor[seg[2]] = value;
    return;
  }
  let obj = root;
  for (let i = 0; i < seg.length - 1; i++) obj = child(obj, seg[i]);
  obj[seg[seg.length - 1]] = value;
}

/** What a complete catalog lacks, as paths with what belongs there (empty when complete). */
export function missingEntries(catalog: Partial<Catalog> | Catalog): { path: string; expected: string }[] {
  const out: { path: string; expected: string }[] = [];
  walkRequired(SCHEMA, catalog as unknown, [], out);
  return out;
}

function walkRequired(node: Node, value: unknown, at: string[], out: { path: string; expected: string }[]): void {
  const path = at.join('.');
  if (node.type === 'leaf') {
    if (value === undefined) out.push({ path, expected: kindExpected(node.kind) });
    return;
  }
  if (value === undefined || value === null || typeof value !== 'object') {
    out.push({ path, expected: node.type === 'object' ? `entries ${keysOf(node).join(', ')}` : 'at least one entry' });
    return;
  }
  const obj = value as Loose;
  if (node.type === 'object') {
    for (const [key, sub] of Object.entries(node.fields)) walkRequired(sub, obj[key], [...at, key], out);
    return;
  }
  if (node.keys === 'sizes') {
    const problem = sizeTableProblem(obj as unknown as SizeTable);
    if (problem) out.push({ path, expected: problem });
    return;
  }
  if (node.keys === 'majors') {
    // Stored as { byKernelMajor, default } (see setLeaf).
    if (obj.default === undefined) out.push({ path: `${path}.default`, expected: kindExpected((node.child as { kind: LeafKind }).kind) });
    return;
  }
  const present = Object.keys(obj);
  const listed = Array.isArray(node.keys) ? (node.keys as readonly string[]) : [];
  const required = node.require === 'all' ? listed : Array.isArray(node.require) ? (node.require as readonly string[]) : [];
  for (const key of required) if (!present.includes(key)) out.push({ path: `${path}.${key}`, expected: 'an entry (every one is required)' });
  if (node.require === 'some' && present.length === 0) out.push({ path, expected: 'at least one entry' });
  for (const key of present) walkRequired(node.child, obj[key], [...at, key], out);
}
