/** The generated JSON Schema: up to date in the repo, every field documented, strict objects. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelJsonSchema } from '../src/model/json-schema.js';

type Json = Record<string, unknown>;
const schema = modelJsonSchema() as Json;

/** Every property schema under `node`, with its path. */
function* properties(node: unknown, path: string): Generator<[string, Json]> {
  if (typeof node !== 'object' || node === null) return;
  const n = node as Json;
  if (n.properties && typeof n.properties === 'object') {
    for (const [k, v] of Object.entries(n.properties as Json)) {
      yield [`${path}.${k}`, v as Json];
      yield* properties(v, `${path}.${k}`);
    }
  }
  if (n.items) yield* properties(n.items, `${path}[]`);
  if (n.$defs) for (const [k, v] of Object.entries(n.$defs as Json)) yield* properties(v, `$defs.${k}`);
}

describe('model JSON Schema', () => {
  it('matches models/bpfsim.schema.json (run `npm run schema` after changing the schema)', () => {
    const file = JSON.parse(readFileSync(new URL('../models/bpfsim.schema.json', import.meta.url), 'utf8')) as Json;
    expect(file).toEqual(schema);
  });

  it('documents every field', () => {
    const undocumented = [...properties(schema, '')].filter(([, v]) => typeof v.description !== 'string' || v.description === '').map(([p]) => p);
    expect(undocumented).toEqual([]);
  });

  it('is strict and requires what the format requires', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'traffic', 'datapath']));
    const props = schema.properties as Record<string, Json>;
    expect((props.output.properties as Record<string, Json>).pageCnt.default).toBe(8);
    expect((props.output.properties as Record<string, Json>).size.default).toBe('256KiB');
    expect((props.traffic.properties as Record<string, Json>).duration.default).toBe('1s');
    // Unit fields say what they accept.
    expect(JSON.stringify((props.datapath.properties as Record<string, Json>).service)).toContain('lognormal');
    // Loop bodies refer back to the step definition.
    expect(JSON.stringify((schema.$defs as Json).step)).toContain('"$ref":"#/$defs/step"');
  });
});
