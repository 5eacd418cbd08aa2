/**
 * zod issues -> Problems: one line per problem with the field path, what was expected, what was
 * found and a hint. Unknown keys become one problem each with a did-you-mean over the fields the
 * schema has there; unions are untangled to the branch the user meant.
 */
import type * as z from 'zod';
import { didYouMeanHint, formatPath, type Problem } from './errors.js';
import { shapeExpectation } from './fields.js';
import { nodeKind, schemaAt } from './schema-walk.js';
import { showValue } from '../units/parse.js';

type Path = (string | number)[];
type AnySchema = z.core.$ZodType;

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object (key: value fields)',
  array: 'a list',
  record: 'an object (key: value fields)',
};

function limitText(origin: string, op: string, limit: unknown): string {
  if (origin === 'string') return op.startsWith('>') && limit === 1 ? 'non-empty text' : `text of length ${op} ${String(limit)}`;
  if (origin === 'array') return `a list with ${op} ${String(limit)} entries`;
  return `a number ${op} ${String(limit)}`;
}

type Issue = z.core.$ZodIssue;

/** Converts zod issues to Problems (unknown keys become one Problem each, unions are untangled). */
export function issuesToProblems(issues: readonly Issue[], file: string, root: AnySchema, prefix: Path = []): Problem[] {
  const out: Problem[] = [];
  for (const iss of issues) {
    const path: Path = [...prefix, ...(iss.path as Path)];
    const input = (iss as { input?: unknown }).input;
    const at = (expected: string, found: string, hint?: string): void => {
      out.push(hint ? { file, path: formatPath(path), expected, found, hint } : { file, path: formatPath(path), expected, found });
    };
    switch (iss.code) {
      case 'custom': {
        const params = iss.params as { expected?: string; found?: string; hint?: string; reported?: boolean } | undefined;
        if (params?.reported) break;
        at(params?.expected ?? iss.message, params?.found ?? showValue(input), params?.hint);
        break;
      }
      case 'unrecognized_keys': {
        const node = schemaAt(root, path);
        const kind = node ? nodeKind(node) : undefined;
        const known = kind?.kind === 'object' ? kind.fields : [];
        for (const key of iss.keys) {
          const hint = didYouMeanHint(key, known);
          out.push({ file, path: formatPath([...path, key]), expected: '', found: 'unknown field', ...(hint ? { hint } : {}) });
        }
        break;
      }
      case 'invalid_type': {
        const node = schemaAt(root, path);
        const special = node ? shapeExpectation(node) : undefined;
        const received = (iss as { received?: string }).received;
        const found = received === 'NaN' || received === 'Infinity' || received === '-Infinity' ? received : showValue(input);
        if (input === undefined && received === undefined) at(special?.expected ?? TYPE_WORDS[iss.expected] ?? iss.expected, 'nothing', 'this field is required');
        else at(special?.expected ?? TYPE_WORDS[iss.expected] ?? iss.expected, found, special?.hint);
        break;
      }
      case 'invalid_value': {
        const values = iss.values.map(String);
        const hint = typeof input === 'string' ? didYouMeanHint(input, values, false) : input === undefined ? 'this field is required' : undefined;
        at(values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.join(', ')}`, showValue(input), hint);
        break;
      }
      case 'too_small':
        at(limitText(iss.origin, iss.inclusive ? '>=' : '>', iss.minimum), showValue(input));
        break;
      case 'too_big':
        at(limitText(iss.origin, iss.inclusive ? '<=' : '<', iss.maximum), showValue(input));
        break;
      case 'invalid_union': {
        // Keep the branches that got past the type check at the top: the user meant one of those.
        const meant = iss.errors.filter((branch) => !branch.every((b) => b.code === 'invalid_type' && b.path.length === 0));
        if (meant.length > 0) {
          out.push(...issuesToProblems(meant[0], file, root, path));
        } else {
          const words = iss.errors.map((branch) => {
            const first = branch[0];
            return first && first.code === 'invalid_type' ? (TYPE_WORDS[first.expected] ?? first.expected) : 'another form';
          });
          at([...new Set(words)].join(' or '), showValue(input));
        }
        break;
      }
      default:
        at(iss.message, showValue(input));
    }
  }
  return out;
}

