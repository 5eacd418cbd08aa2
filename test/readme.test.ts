/** README.md keeps its promises: two set-up commands, and a field reference that matches the schema. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelFieldTable } from '../src/model/field-docs.js';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('holds the current field reference (regenerate: bpfsim schema --markdown)', () => {
    const m = readme.match(/<!-- fields:begin -->\n([\s\S]*?)<!-- fields:end -->/);
    expect(m, 'field markers').not.toBeNull();
    expect(m![1]).toBe(modelFieldTable());
  });

  it('has exactly two set-up commands: the default model and the tests', () => {
    const setup = readme.split('## Set up')[1].split('\n## ')[0];
    const block = setup.match(/```sh\n([\s\S]*?)```/)![1].trim().split('\n');
    expect(block).toHaveLength(2);
    expect(block[0]).toMatch(/^npm ci && npm link && bpfsim run\b/);
    expect(block[1]).toMatch(/^bash \.ci\/run\b/);
  });
});
