// `npm run docs`: regenerates the model field reference in README.md from the schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { modelFieldTable } from '../src/model/field-docs.js';
const r = readFileSync('README.md', 'utf8');
writeFileSync('README.md', r.replace(/<!-- fields:begin -->\n[\s\S]*?<!-- fields:end -->/, `<!-- fields:begin -->\n${modelFieldTable()}<!-- fields:end -->`));
