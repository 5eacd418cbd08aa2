/**
 * Model errors: one Problem per thing wrong with a model, each naming the file, the field path,
 * what was expected, what was found and (where we can tell) how to fix it. The CLI prints
 * `formatProblem` lines and exits 2; nothing here ever shows a stack trace to the user.
 */

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
  return p.hint ? `${where}: ${what} (hint: ${p.hint})` : `${where}: ${what}`;
}

/** Renders a value found in a model the way the user wrote it, briefly. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v instanceof Date) return `a date (${v.toISOString().slice(0, 10)}; quote it to keep it text)`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', ...' : ''}`;
  }
  return typeof v;
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

/** Edit distance (insert, delete, substitute, adjacent swap), for did-you-mean hints. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const sub = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + sub);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}

/** The closest candidate to `word` if it is close enough to be a likely typo, else undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    // Case and separator slips ("page_cnt" for "pageCnt") count as exact.
    const score = lc.replace(/[-_ ]/g, '') === w.replace(/[-_ ]/g, '') ? 0 : editDistance(w, lc);
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.min(3, Math.floor(Math.max(w.length, best.length) / 3)));
  return bestScore <= limit || (w.length >= 3 && best.toLowerCase().startsWith(w)) ? best : undefined;
}

/** `did you mean "attach"?`, or a list of the valid names when nothing is close. */
export function didYouMeanHint(word: string, candidates: readonly string[], listLimit = 12): string | undefined {
  const c = closest(word, candidates);
  if (c !== undefined) return `did you mean "${c}"?`;
  if (candidates.length === 0) return undefined;
  const shown = candidates.slice(0, listLimit).join(', ');
  return `valid: ${shown}${candidates.length > listLimit ? ', ...' : ''}`;
}
