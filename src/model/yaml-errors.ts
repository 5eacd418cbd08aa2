/**
 * One YAML syntax error as a problem line: what was expected and what was found, from the
 * parser's first message line (never the source excerpt the parser appends).
 */
import type { YAMLError } from 'yaml';

export interface YamlProblem {
  expected: string;
  found: string;
  hint?: string;
}

export function yamlProblem(e: YAMLError, expected: string): YamlProblem {
  if (e.code === 'MULTIPLE_DOCS') {
    // The parser would keep the first document and drop the rest without a word.
    return { expected: 'one YAML document', found: 'a second document after "---"', hint: 'remove the "---" line; give each model its own file' };
  }
  return { expected, found: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') };
}
