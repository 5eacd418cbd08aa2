/**
 * The model schema: the fields (schema.ts), then the checks across fields (checks.ts). Built
 * per page size (sizes may be written in pages, the ringbuf size is a multiple of a page).
 */
import type * as z from 'zod';
import { buildModelObject, type SchemaContext } from './schema.js';
import { crossChecks } from './checks.js';

/** The model schema for a page size: fields, then the checks across fields. */
export function buildModelSchema(sc: SchemaContext) {
  return buildModelObject(sc).superRefine((m, ctx) => crossChecks(m, ctx, sc));
}

/** The schema for 4 KiB pages (JSON Schema export, --set path checks, types). */
export const modelSchema = buildModelSchema({ pageSize: 4096 });

/** A model as a user writes it (what loadModelObject accepts, typed loosely). */
export type RawModel = z.input<typeof modelSchema>;
