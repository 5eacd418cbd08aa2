/**
 * Sweep grids: `--vary PATH=V1,V2,...` (repeatable) -> every combination of the values, in a
 * fixed order (the first --vary varies slowest). A value list may hold ranges:
 *   8..256x2         8, 16, 32, 64, 128, 256     (multiply by 2)
 *   1..4             1, 2, 3, 4                  (step 1)
 *   0.1..0.5+0.1     0.1, 0.2, 0.3, 0.4, 0.5     (add 0.1)
 *   100k..800kx2     100k, 200k, 400k, 800k      (a unit suffix is kept: the model parses it)
 * Commas inside braces, brackets or quotes do not split: `{dist: exponential, mean: 1us}`.
 */
import { ModelError } from '../model/errors.js';
import { parseFieldPath } from '../model/overrides.js';
import { bigNumber } from '../units/format.js';

export interface Vary {
  path: string;
  /** Values as --set would take them (YAML scalars or flow collections). */
  values: string[];
}

export interface GridPoint {
  index: number;
  /** One value per --vary, in --vary order. */
  values: string[];
  /** The point's `path=value` assignments. */
  set: string[];
  /** "output.pageCnt=8 traffic.rate=100k" */
  label: string;
}

/** A bad --vary: one problem line (exit 2 at the CLI). */
function bad(path: string, expected: string, found: string, hint?: string): ModelError {
  return new ModelError([{ file: '--vary', path, expected, found, ...(hint ? { hint } : {}) }]);
}

/** A range may not expand to more values than this (a typo guard). */
export const MAX_RANGE_VALUES = 10_000;
/** Most points of one grid: each is a model loaded and checked up front, then run; three
 * --vary of 1000 values would otherwise ask for 1e9 of them and exhaust memory first. */
export const MAX_GRID_POINTS = 10_000;

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const RANGE = new RegExp(String.raw`^(${NUM})([A-Za-zµ%]*?)\.\.(${NUM})([A-Za-zµ%]*?)(?:([x*+])(${NUM}))?$`);

/** Parses one `--vary PATH=LIST`. */
export function parseVary(text: string): Vary {
  const eq = text.indexOf('=');
  if (eq <= 0) throw bad('', 'PATH=V1,V2,... such as output.pageCnt=8..256x2', JSON.stringify(text));
  const path = text.slice(0, eq).trim();
  if (!parseFieldPath(path)) {
    throw bad('', 'a field path such as output.pageCnt or probes[0].program[1].filter.pass', JSON.stringify(path));
  }
  const items = splitTopLevel(text.slice(eq + 1));
  const values: string[] = [];
  for (const item of items) {
    if (item === '') throw bad(path, 'a value between commas', `an empty one in ${JSON.stringify(text.slice(eq + 1))}`);
    values.push(...expandItem(path, item));
  }
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw bad(path, 'distinct values', `${JSON.stringify(v)} twice`, 'check overlapping ranges');
    seen.add(v);
  }
  return { path, values };
}

/** Splits on commas outside {}, [] and quotes; trims each item. */
export function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(text.slice(start).trim());
  return items;
}

/** Rounds away float noise (0.30000000000000004 -> 0.3) while keeping 12 significant digits. */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}

function expandItem(path: string, item: string): string[] {
  const m = RANGE.exec(item);
  if (!m) return [item];
  const [, aText, aUnit, bText, bUnit, op, stepText] = m;
  if (aUnit !== bUnit && aUnit !== '' && bUnit !== '') {
    throw bad(path, `both ends of ${item} in one unit`, `"${aUnit}" and "${bUnit}"`, 'write e.g. 100k..1000kx2');
  }
  const unit = aUnit || bUnit;
  const a = Number(aText);
  const b = Number(bText);
  const kind = op === '+' ? 'add' : op ? 'mul' : 'add';
  const step = stepText === undefined ? 1 : Number(stepText);
  const range = (expected: string, found: string, hint?: string) => bad(path, `in range ${item}: ${expected}`, found, hint);
  if (b < a) throw range('the first end <= the last', `${a} > ${b}`);
  if (kind === 'add' && !(step > 0)) throw range('a step > 0 after "+"', String(stepText));
  if (kind === 'mul' && !(step > 1)) throw range('a factor > 1 after "x"', String(stepText));
  if (kind === 'mul' && !(a > 0)) throw range('a first end > 0 for a geometric range', String(a));
  const out: string[] = [];
  const tolerance = 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);
  for (let i = 0; ; i++) {
    const x = clean(kind === 'add' ? a + i * step : a * step ** i);
    if (x > b + tolerance) break;
    if (out.length >= MAX_RANGE_VALUES) throw range(`at most ${MAX_RANGE_VALUES} values`, 'more', 'use a larger step or factor');
    out.push(`${x}${unit}`);
  }
  return out;
}

/** Every combination of the values, first --vary slowest. No --vary: one point, the model. */
export function expandGrid(varies: readonly Vary[]): GridPoint[] {
  const paths = new Set<string>();
  for (const v of varies) {
    if (paths.has(v.path)) throw bad(v.path, 'each field in one --vary', 'it twice', 'put all its values in one --vary');
    paths.add(v.path);
  }
  const points = varies.reduce((n, v) => n * v.values.length, 1);
  if (points > MAX_GRID_POINTS) {
    const counts = varies.map((v) => `${v.values.length}`).join(' x ');
    throw bad('', `a grid of at most ${MAX_GRID_POINTS} points`, `${counts} = ${bigNumber(points)} points`,
      'fewer values per --vary (a larger step or factor), or fewer --vary; shards split the runs, not the grid');
  }
  let combos: string[][] = [[]];
  for (const v of varies) combos = combos.flatMap((c) => v.values.map((x) => [...c, x]));
  return combos.map((values, index) => ({
    index,
    values,
    set: values.map((x, i) => `${varies[i].path}=${x}`),
    label: values.map((x, i) => `${varies[i].path}=${x}`).join(' '),
  }));
}
