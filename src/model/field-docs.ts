/**
 * The model's field reference as a Markdown table, generated from the JSON Schema (itself
 * generated from the zod schema), so the README, the schema and the validator cannot drift
 * apart. `bpfsim schema --markdown` prints it; a test keeps README.md's copy current.
 */
import { modelJsonSchema } from './json-schema.js';

type Node = Record<string, unknown> & {
  description?: string;
  properties?: Record<string, Node>;
  items?: Node;
  anyOf?: Node[];
  $ref?: string;
};

/** A distribution's inner fields (dist, mean, cv, ...) are documented once, not per field. */
function isDist(node: Node): boolean {
  return (node.anyOf ?? []).some((alt) => alt.properties !== undefined && 'dist' in alt.properties);
}

function rows(node: Node, path: string, defs: Record<string, Node>, out: [string, string][]): void {
  if (node.$ref) {
    const def = defs[node.$ref.split('/').pop()!];
    // Program steps: one row per step kind, then its fields.
    for (const [kind, step] of Object.entries(def.properties ?? {})) {
      out.push([`${path}.${kind}`, step.description ?? '']);
      if (kind !== 'loop') fields(step, `${path}.${kind}`, defs, out);
      else out.push([`${path}.loop.count`, step.properties?.count?.description ?? ''], [`${path}.loop.body`, 'Steps repeated count times (the same step kinds).']);
    }
    return;
  }
  fields(node, path, defs, out);
}

function fields(node: Node, path: string, defs: Record<string, Node>, out: [string, string][]): void {
  if (isDist(node)) return;
  const objects = [node, ...(node.anyOf ?? [])].filter((n) => n.properties || n.items || n.$ref);
  for (const obj of objects) {
    for (const [key, child] of Object.entries(obj.properties ?? {})) {
      const p = path === '' ? key : `${path}.${key}`;
      if (out.some(([q]) => q === p)) continue;
      out.push([p, child.description ?? '']);
      rows(child, p, defs, out);
    }
    if (obj.items) rows(obj.items, `${path}[]`, defs, out);
    if (obj.$ref) rows(obj, path, defs, out);
  }
}

export function modelFieldTable(): string {
  const schema = modelJsonSchema() as Node & { $defs?: Record<string, Node> };
  const out: [string, string][] = [];
  fields(schema, '', schema.$defs ?? {}, out);
  const esc = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return ['| field | meaning [default] |', '|---|---|', ...out.map(([p, d]) => `| \`${p}\` | ${esc(d)} |`)].join('\n') + '\n';
}
