/**
 * README.md and docs/ keep their promises: two set-up commands, generated reference pages that
 * match the schema and the catalog, and links that lead somewhere.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldReferencePage, modelFieldTable } from '../src/model/field-docs.js';
import { catalogMarkdown } from '../src/model/catalog-docs.js';
import { loadCatalog } from '../src/model/catalog.js';

const readme = readFileSync('README.md', 'utf8');

describe('docs/reference (regenerate: npm run docs)', () => {
  it('holds the current model field reference', () => {
    expect(readFileSync('docs/reference/model-fields.md', 'utf8')).toBe(fieldReferencePage(modelFieldTable()));
  });

  it('holds the current catalog reference', () => {
    expect(readFileSync('docs/reference/catalog.md', 'utf8')).toBe(catalogMarkdown(loadCatalog('default')));
  });
});

describe('links in README.md and docs/', () => {
  const pages = ['README.md', ...readdirSync('docs', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
  it.each(pages)('%s holds no merge conflict markers', (page) => {
    expect(readFileSync(page, 'utf8')).not.toMatch(/^(<{7} |={7}$|>{7} )/m);
  });

  it.each(pages)('%s links only to files that exist', (page) => {
    const text = readFileSync(page, 'utf8');
    const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t));
    const missing = targets.filter((t) => !existsSync(join(dirname(page), t)));
    expect(missing).toEqual([]);
  });
});

describe('README', () => {
  it('links the four kinds of docs and the architecture page', () => {
    for (const page of ['docs/tutorial/', 'docs/how-to/', 'docs/reference/', 'docs/explanation/', 'docs/ARCHITECTURE.md']) expect(readme).toContain(page);
  });

  it('has exactly two set-up commands: the default model and the tests', () => {
    const setup = readme.split('## Set up')[1].split('\n## ')[0];
    const block = setup.match(/```sh\n([\s\S]*?)```/)![1].trim().split('\n');
    expect(block).toHaveLength(2);
    expect(block[0]).toMatch(/^npm ci && npm link && bpfsim run\b/);
    expect(block[1]).toMatch(/^bash \.ci\/run\b/);
  });
});
