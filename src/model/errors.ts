/**
 * Model errors: one Problem per thing wrong with a model, each naming the file, the field path,
 * what was expected, what was found and (where we can tell) how to fix it. The CLI prints
 * `formatProblem` lines and exits 2; nothing here ever shows a stack trace to the user.
 */
import { closest } from '../distributions/parse.js';

export interface Problem {
  /** The model file (or "--set", "<text>", a trace file ...). */
  file: string;
  /** Field path such as `probes[0].program[2].op.cost`, or "line 3, column 5" for syntax errors. */
  path: string;
  /** What a valid value looks like. Empty when `found` says it all ("unknown field"). */
  expected: string;
  /** What the model has, quoted as written. */
  found: string;
  hint?: string;
}

export class ModelError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ModelError';
    this.problems = problems;
  }
}

/** `models/x.yaml: probes[0].cost: expected a duration such as "50ns", got "fast" (hint: ...)` */
export function formatProblem(p: Problem): string {
  const where = p.path === '' ? p.file : `${p.file}: ${p.path}`;
  const what = p.expected === '' ? p.found : `expected ${p.expected}, got ${p.found}`;
  return oneLine(p.hint ? `${where}: ${what} (hint: ${p.hint})` : `${where}: ${what}`);
}

/** The last guard of "one line per problem": control characters (a newline in a value) become spaces. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/** Formats a field path from segments: ['probes', 0, 'program'] -> "probes[0].program". */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? String(s) : `.${String(s)}`;
  }
  return out;
}

/** A likely intended name: a close spelling, or a name the word extends or abbreviates ("hashmap", "lru"). */
export function likelyName(word: string, candidates: readonly string[]): string | undefined {
  const near = closest(word, candidates);
  if (near !== undefined) return near;
  const w = word.toLowerCase();
  if (w.length < 3) return undefined;
  const prefixes = candidates.filter((c) => c.length >= 3 && w.startsWith(c.toLowerCase()));
  if (prefixes.length) return prefixes.reduce((a, b) => (b.length > a.length ? b : a));
  const extensions = candidates.filter((c) => c.toLowerCase().startsWith(w));
  if (extensions.length) return extensions.reduce((a, b) => (b.length < a.length ? b : a));
  return undefined;
}

/**
 * `did you mean "attach"?`; when nothing is close, a list of the valid names (unless `list` is
 * false, for messages that already list them).
 */
export function didYouMeanHint(word: string, candidates: readonly string[], list = true, listLimit = 12): string | undefined {
  const c = likelyName(word, candidates);
  if (c !== undefined) return `did you mean "${c}"?`;
  if (!list || candidates.length === 0) return undefined;
  const shown = candidates.slice(0, listLimit).join(', ');
  return `valid: ${shown}${candidates.length > listLimit ? ', ...' : ''}`;
}
