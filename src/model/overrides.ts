/**
 * `--set path=value`: changes a raw model object before validation. Paths are field paths as
 * the errors print them (`output.pageCnt`, `probes[0].program[1].filter.pass`); under `costs`
 * the rest of the path is one catalog path (`costs.wakeup.perf_buffer.producer=2us`). Values are
 * YAML scalars or flow collections ("64", "true", "1.2M", "{dist: exponential, mean: 1us}").
 * Missing object keys are created; a key the model format does not have is a problem with a
 * did-you-mean hint, checked against the schema.
 */
import { parseDocument } from 'yaml';
import { didYouMeanHint, formatPath, type Problem } from './errors.js';
import { defaultModelSchema } from './model-schema.js';
import { nodeKind, schemaAt } from './schema-walk.js';

const SET = '--set';

type Segment = string | number;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Splits `probes[0].program[1].filter.pass` into segments; undefined when malformed. */
export function parseFieldPath(text: string): Segment[] | undefined {
  const segments: Segment[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    if (segments.length > 0 && segments[0] === 'costs' && segments.length === 1 && rest.startsWith('.')) {
      // Everything after "costs." is one catalog path, dots and all.
      const key = rest.slice(1);
      if (key === '') return undefined;
      segments.push(key);
      return segments;
    }
    const m = (segments.length === 0 ? /^([A-Za-z_][\w-]*)/ : /^(?:\.([A-Za-z_][\w-]*)|\[(\d+)\])/).exec(rest);
    if (!m) return undefined;
    if (segments.length === 0) segments.push(m[1]);
    else segments.push(m[1] !== undefined ? m[1] : Number(m[2]));
    i += m[0].length;
  }
  return segments.length ? segments : undefined;
}

/** A --set value: YAML scalar or flow collection. */
/** Fields that hold a version: `--set kernel=4.19` means the text "4.19". */
const VERSION_FIELDS = ['kernel'];

function parseValue(text: string): { ok: true; value: unknown } | { ok: false; why: string } {
  if (text.trim() === '') return { ok: false, why: 'an empty value' };
  const doc = parseDocument(text, { logLevel: 'silent' });
  if (doc.errors.length > 0) {
    const message = doc.errors[0].message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, why: `${JSON.stringify(text)}: ${message}` };
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (e) {
    return { ok: false, why: `${JSON.stringify(text)}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}` };
  }
  if (value === null || value === undefined) return { ok: false, why: `${JSON.stringify(text)} (null)` };
  return { ok: true, value };
}

/**
 * Applies `path=value` assignments to `obj` in place. Returns one Problem per assignment that
 * could not be applied (the others are applied).
 */
export function applySet(obj: Record<string, unknown>, assignments: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  for (const assignment of assignments) {
    const problem = applyOne(obj, assignment);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** The normalised field path an assignment targets (for relabelling later problems), if valid. */
export function setTarget(assignment: string): string | undefined {
  const eq = assignment.indexOf('=');
  if (eq <= 0) return undefined;
  const segments = parseFieldPath(assignment.slice(0, eq).trim());
  return segments ? formatPath(segments) : undefined;
}

function applyOne(obj: Record<string, unknown>, assignment: string): Problem | undefined {
  const eq = assignment.indexOf('=');
  if (eq <= 0) {
    return { file: SET, path: '', expected: 'field=value such as output.pageCnt=64', found: JSON.stringify(assignment) };
  }
  const pathText = assignment.slice(0, eq).trim();
  const segments = parseFieldPath(pathText);
  if (!segments) {
    return {
      file: SET, path: '', expected: 'a field path such as output.pageCnt or probes[0].program[1].filter.pass',
      found: JSON.stringify(pathText),
    };
  }
  const text = assignment.slice(eq + 1);
  const parsed = parseValue(text);
  if (!parsed.ok) return { file: SET, path: formatPath(segments), expected: 'a value (YAML: 64, 1.2M, true, {dist: exponential, mean: 1us})', found: parsed.why };
  // A version is text wherever it is given: on the command line "5.10" is what was typed, not
  // the number 5.1 (in a file, YAML has already read it; the model asks for quotes there).
  const value = VERSION_FIELDS.includes(formatPath(segments)) && typeof parsed.value === 'number' ? { ok: true, value: text.trim() } : parsed;

  let node: unknown = obj;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const here = segments.slice(0, i + 1);
    const parentPath = formatPath(segments.slice(0, i)) || 'the model';
    const schemaNode = schemaAt(defaultModelSchema(), segments.slice(0, i));
    const kind = schemaNode ? nodeKind(schemaNode) : { kind: 'leaf' as const };
    const last = i === segments.length - 1;

    if (typeof seg === 'number') {
      if (kind.kind !== 'array' || !Array.isArray(node)) {
        return { file: SET, path: formatPath(here), expected: `a field of ${parentPath}`, found: `an index [${seg}]`, hint: `${parentPath} is not a list` };
      }
      if (seg >= node.length) {
        return {
          file: SET, path: formatPath(here), expected: `an index below ${node.length}`, found: String(seg),
          hint: node.length === 0 ? `${parentPath} is empty` : `${parentPath} has ${node.length} entr${node.length === 1 ? 'y' : 'ies'}`,
        };
      }
      if (last) node[seg] = value.value;
      else node = node[seg];
      continue;
    }

    if (kind.kind === 'object') {
      if (!kind.fields.includes(seg)) {
        const hint = didYouMeanHint(seg, kind.fields);
        return { file: SET, path: formatPath(here), expected: '', found: 'unknown field', ...(hint ? { hint } : {}) };
      }
    } else if (kind.kind !== 'record') {
      return { file: SET, path: formatPath(here), expected: `a field of ${parentPath}`, found: JSON.stringify(seg), hint: `${parentPath} has no fields; set it whole: --set '${parentPath}=...'` };
    }
    if (!isObject(node)) {
      return {
        file: SET, path: formatPath(here), expected: `${parentPath} to be an object`, found: JSON.stringify(node) ?? 'nothing',
        hint: `set it whole, e.g. --set '${parentPath}={...}'`,
      };
    }
    if (last) {
      // An own field even for "__proto__" (assignment would set the prototype and vanish), so
      // that the checks see and refuse it like any unknown field.
      Object.defineProperty(node, seg, { value: value.value, enumerable: true, writable: true, configurable: true });
    } else {
      if (node[seg] === undefined || node[seg] === null) {
        if (typeof segments[i + 1] === 'number') {
          return { file: SET, path: formatPath(here), expected: 'an existing list', found: 'nothing', hint: `${formatPath(here)} has no entries to index` };
        }
        node[seg] = {};
      }
      node = node[seg];
    }
  }
  return undefined;
}
