/**
 * The page's state: a list of `path=value` overrides of the model, exactly what `bpfsim run`
 * takes as `--set`, so the page's model, the shareable URL and the equivalent CLI command are
 * the same thing. One entry per path; setting a field replaces what was set below it.
 */
import { stringify } from 'yaml';
import { applySet } from '../model/overrides.js';
import { formatProblem, type Problem } from '../model/errors.js';

/** Field path -> value as written (a YAML scalar or flow collection), in the order set. */
export type Overrides = ReadonlyArray<readonly [path: string, value: string]>;

/** Is `path` the same field as `parent` or one inside it? */
export function isWithin(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);
}

/** Sets one field; entries inside it are dropped (the new value replaces them). */
export function withOverride(overrides: Overrides, path: string, value: string): Overrides {
  const at = overrides.findIndex(([p]) => p === path);
  // An existing entry keeps its place, so the list (and the URL) does not reshuffle as a knob moves.
  if (at >= 0) return overrides.map((e, i) => (i === at ? ([path, value] as const) : e)).filter(([p], i) => i === at || !isWithin(p, path));
  return [...overrides.filter(([p]) => !isWithin(p, path)), [path, value] as const];
}

export function withoutOverride(overrides: Overrides, path: string): Overrides {
  return overrides.filter(([p]) => p !== path);
}

/** Path depth: a whole list set before a field inside it, whatever order they were set in. */
function depth(path: string): number {
  return (path.match(/[.[]/g) ?? []).length;
}

/** The overrides as `--set` arguments, in the order they must be applied. */
export function assignments(overrides: Overrides): string[] {
  return overrides
    .map(([p, v], i) => ({ p, v, i }))
    .sort((a, b) => depth(a.p) - depth(b.p) || a.i - b.i)
    .map(({ p, v }) => `${p}=${v}`);
}

/** The base model with the overrides applied, and the problems of those that do not apply. */
export function applyOverrides(base: Record<string, unknown>, overrides: Overrides): { model: Record<string, unknown>; problems: string[] } {
  const model = structuredClone(base);
  const problems: Problem[] = applySet(model, assignments(overrides));
  return { model, problems: problems.map(formatProblem) };
}

/** A value for `--set` in YAML flow form, on one line ("[{filter: {pass: 0.1}}, ...]"). */
export function flowValue(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trim();
}

/** `bpfsim run MODEL --set ...` with each argument quoted for a POSIX shell where needed. */
export function cliCommand(modelArg: string | undefined, overrides: Overrides, extra: string[] = []): string {
  const words = ['bpfsim', 'run', ...(modelArg ? [modelArg] : []), ...assignments(overrides).flatMap((a) => ['--set', a]), ...extra];
  return words.map(shellWord).join(' ');
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The model as run, as YAML: what the page would save as a model file. */
export function modelYaml(model: Record<string, unknown>, note: string): string {
  return `# ${note}\n${stringify(model)}`;
}

/** URL query <-> overrides and page settings; `set` repeats, one per override. */
export function toQuery(overrides: Overrides, settings: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const [p, v] of overrides) q.append('set', `${p}=${v}`);
  for (const [k, v] of Object.entries(settings)) if (v !== '') q.set(k, v);
  return q.toString();
}

export function fromQuery(query: string): { overrides: Overrides; settings: Record<string, string> } {
  const q = new URLSearchParams(query);
  let overrides: Overrides = [];
  const settings: Record<string, string> = {};
  for (const [k, v] of q) {
    if (k === 'set') {
      const eq = v.indexOf('=');
      if (eq > 0) overrides = withOverride(overrides, v.slice(0, eq).trim(), v.slice(eq + 1));
    } else settings[k] = v;
  }
  return { overrides, settings };
}
