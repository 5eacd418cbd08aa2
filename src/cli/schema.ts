/** `bpfsim schema`: the model format as JSON Schema (for editors) or as a Markdown field table. */
import type { Command } from 'commander';
import { modelJsonSchema } from '../model/json-schema.js';
import { modelFieldTable } from '../model/field-docs.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the model JSON Schema (point your editor at it), or --markdown for the field reference')
    .option('--markdown', 'the field reference as a Markdown table')
    .action((o: { markdown?: boolean }) => {
      process.stdout.write(o.markdown ? modelFieldTable() : JSON.stringify(modelJsonSchema(), null, 2) + '\n');
    });
}
