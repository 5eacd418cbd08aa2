/**
 * The corpus of broken models in test/bad-models/. Each text file states the problems it must
 * give in header lines `# expect: <field path> | <fragment of the line>` (path `*`: any path);
 * the loader must give exactly those problems, one line each, as a ModelError.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem, ModelError, type Problem } from '../src/model/errors.js';
import { loadModel } from '../src/model/load.js';

const DIR = fileURLToPath(new URL('./bad-models/', import.meta.url));

interface Expectation {
  path: string;
  fragment: string;
}

/** Files that cannot carry comments. */
const WITHOUT_HEADER: Record<string, Expectation[]> = {
  'empty.yaml': [{ path: '', fragment: 'expected a model (fields name, traffic, datapath, ...), got an empty file' }],
  'binary.bin': [{ path: '', fragment: 'expected a YAML or JSON text file, got binary data (a NUL byte at offset 3)' }],
  'invalid-utf8.yaml': [{ path: '', fragment: 'got bytes that are not valid UTF-8 (hint: save the file as UTF-8)' }],
  'top-level-scalar.json': [{ path: '', fragment: 'expected a model: an object of fields (name, traffic, datapath, ...), got "just a string"' }],
};

function expectations(file: string): Expectation[] {
  if (WITHOUT_HEADER[file]) return WITHOUT_HEADER[file];
  const text = readFileSync(join(DIR, file), 'utf8');
  return [...text.matchAll(/^# expect: (.*?) \| (.*)$/gm)].map((m) => ({ path: m[1].trim(), fragment: m[2].trim() }));
}

function problemsOf(file: string): Problem[] {
  try {
    loadModel({ file: join(DIR, file) });
  } catch (e) {
    if (e instanceof ModelError) return e.problems;
    throw e;
  }
  throw new Error(`${file} loaded without a problem`);
}

const files = readdirSync(DIR).sort();

describe('bad models', () => {
  it('the corpus covers the brief', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const f of files) expect(expectations(f).length, `${f} states no expectation`).toBeGreaterThan(0);
  });

  it('problems come in the order of the fields in the file', () => {
    expect(problemsOf('unknown-fields.yaml').map((p) => p.path)).toEqual([
      'trafic', 'probes[0].attach', 'probes[0].atach', 'probes[0].program[0].fliter', 'output.page_cnt', 'consumer.colour',
    ]);
    // Missing top-level fields concern the whole file and come first.
    expect(problemsOf('missing-required.yaml').map((p) => p.path)).toEqual(['name', 'datapath', 'traffic.rate']);
  });

  for (const file of files) {
    it(file, () => {
      const problems = problemsOf(file);
      const lines = problems.map(formatProblem);
      const wanted = expectations(file);
      for (const w of wanted) {
        const match = problems.find((p, i) => (w.path === '*' || p.path === w.path) && lines[i].includes(w.fragment));
        expect(match, `no problem at "${w.path}" containing "${w.fragment}" in:\n${lines.join('\n')}`).toBeDefined();
      }
      // Nothing else: one line per problem, no follow-on noise.
      expect(lines, lines.join('\n')).toHaveLength(wanted.length);
      for (const line of lines) {
        expect(line).not.toMatch(/\n|\bat .*\.ts:\d+/); // one line, no stack trace
        expect(line.startsWith(`${join(DIR, file)}: `) || /^(--|\S+\.ya?ml: |\S+: )/.test(line)).toBe(true);
      }
    });
  }
});
