// `npm run docs`: regenerates the reference pages that come from the code: the model field
// reference (from the schema) and the cost catalog reference (from models/catalog/default.yaml).
import { writeFileSync } from 'node:fs';
import { modelFieldTable } from '../src/model/field-docs.js';
import { catalogMarkdown } from '../src/model/catalog-docs.js';
import { loadCatalog } from '../src/model/catalog.js';
import { fieldReferencePage } from '../src/model/field-docs.js';

writeFileSync('docs/reference/model-fields.md', fieldReferencePage(modelFieldTable()));
writeFileSync('docs/reference/catalog.md', catalogMarkdown(loadCatalog('default')));
