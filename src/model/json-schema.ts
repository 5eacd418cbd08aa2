/**
 * The model format as JSON Schema (draft 2020-12), generated from the zod schema so that
 * editors can complete and check model files (models/bpfsim.schema.json; `npm run schema`).
 * Fields parsed by the unit parsers are transforms in zod; their JSON form is registered
 * beside them in schema.ts (`customJsonSchema`) and substituted here.
 */
import * as z from 'zod';
import { customJsonSchema } from './fields.js';
import { defaultModelSchema } from './model-schema.js';

export function modelJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(defaultModelSchema(), {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    cycles: 'ref',
    override: (ctx) => {
      const custom = customJsonSchema(ctx.zodSchema);
      if (!custom) return;
      // Keep what zod derived from wrappers (description, default), add the value's form.
      for (const [k, v] of Object.entries(custom)) {
        if (!(k in ctx.jsonSchema)) (ctx.jsonSchema as Record<string, unknown>)[k] = v;
      }
    },
  }) as Record<string, unknown>;
  // The only cycle is a loop step's body; give its definition a readable name.
  const named = JSON.parse(JSON.stringify(schema).replaceAll('__schema0', 'step')) as Record<string, unknown>;
  return {
    $schema: named.$schema,
    title: 'bpfsim model',
    description: 'A model of a packet data path under an eBPF tracing tool (bpfsim). Durations: number = ns, or "500ns", "1.5us", "2ms", "1s". Rates: number = packets/s, or "400k", "1.2 Mpps". Sizes: number = bytes, or "256KiB", "4KB". Distributions: a duration (constant), a range "50-100ns" (uniform) or { dist: ..., ... }.',
    ...Object.fromEntries(Object.entries(named).filter(([k]) => k !== '$schema')),
  };
}

/** `npm run schema`: writes models/bpfsim.schema.json (run from the package root). */
async function main(): Promise<void> {
  const { writeFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const out = fileURLToPath(new URL('../../models/bpfsim.schema.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify(modelJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${out}`);
}

if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  await main();
}
