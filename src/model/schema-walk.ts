/**
 * Walking a zod schema by field path: which node a path such as `probes[0].program` reaches,
 * and what it holds (an object's fields, a list, a record, a value). Used for did-you-mean hints
 * on unknown keys and for checking --set paths before they are applied.
 */
import type * as z from 'zod';

export type AnySchema = z.core.$ZodType;

/** Strips wrappers (optional, default, transforms, lazy) down to the node that has a shape. */
export function unwrap(s: AnySchema): AnySchema {
  for (let i = 0; i < 32; i++) {
    const def = s._zod.def as unknown as { type: string; innerType?: AnySchema; in?: AnySchema; getter?: () => AnySchema };
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else return s;
  }
  return s;
}

function options(s: AnySchema): AnySchema[] {
  const u = unwrap(s);
  const def = u._zod.def as unknown as { type: string; options?: AnySchema[] };
  return def.type === 'union' && def.options ? def.options.map(unwrap) : [u];
}

/** The schema node at a field path, or undefined when the path leaves the schema. */
export function schemaAt(root: AnySchema, path: readonly PropertyKey[]): AnySchema | undefined {
  let node: AnySchema | undefined = unwrap(root);
  for (const seg of path) {
    if (!node) return undefined;
    let next: AnySchema | undefined;
    for (const opt of options(node)) {
      const def = opt._zod.def as unknown as { type: string; shape?: Record<string, AnySchema>; element?: AnySchema; valueType?: AnySchema };
      if (def.type === 'object' && typeof seg === 'string' && def.shape && Object.hasOwn(def.shape, seg)) next = def.shape[seg];
      else if (def.type === 'array' && typeof seg === 'number' && def.element) next = def.element;
      else if (def.type === 'record' && typeof seg === 'string' && def.valueType) next = def.valueType;
      if (next) break;
    }
    node = next ? unwrap(next) : undefined;
  }
  return node;
}

/** What kind of node a schema node is, for --set: an object's field names, a list, a record, a leaf. */
export function nodeKind(node: AnySchema): { kind: 'object'; fields: string[] } | { kind: 'array' } | { kind: 'record' } | { kind: 'leaf' } {
  const fields: string[] = [];
  let array = false;
  let record = false;
  for (const opt of options(node)) {
    const def = opt._zod.def as unknown as { type: string; shape?: Record<string, AnySchema> };
    if (def.type === 'object' && def.shape) fields.push(...Object.keys(def.shape));
    if (def.type === 'array') array = true;
    if (def.type === 'record') record = true;
  }
  if (fields.length) return { kind: 'object', fields };
  if (array) return { kind: 'array' };
  if (record) return { kind: 'record' };
  return { kind: 'leaf' };
}
