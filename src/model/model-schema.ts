/**
 * The model schema: the fields (schema.ts), then the checks across fields (checks.ts). Built
 * per page size (sizes may be written in pages, the ringbuf size is a multiple of a page).
 */
import type * as z from 'zod';
import { buildModelObject, type SchemaContext } from './schema.js';
import { crossChecks } from './checks.js';
import { DEFAULT_PAGE_SIZE } from '../units/parse.js';

/** The model schema for a page size: fields, then the checks across fields. */
function buildModelSchema(sc: SchemaContext) {
  return buildModelObject(sc).superRefine((m, ctx) => crossChecks(m, ctx, sc));
}

export type ModelSchema = ReturnType<typeof buildModelSchema>;

const built = new Map<string, ModelSchema>();

/** The schema for a page size and --force, built once per pair in a process (zod builds are not free). */
export function modelSchemaFor(sc: SchemaContext): ModelSchema {
  const key = `${sc.pageSize}/${sc.force === true}`;
  let schema = built.get(key);
  if (!schema) {
    schema = buildModelSchema({ pageSize: sc.pageSize, force: sc.force === true });
    built.set(key, schema);
  }
  return schema;
}

/** The schema for the default page size (JSON Schema export, --set path checks, problem texts). */
export function defaultModelSchema(): ModelSchema {
  return modelSchemaFor({ pageSize: DEFAULT_PAGE_SIZE });
}

/** A model as a user writes it (what loadModelObject accepts, typed loosely). */
export type RawModel = z.input<ModelSchema>;
