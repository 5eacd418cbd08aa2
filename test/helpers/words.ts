/**
 * Words the product must not show users: where it came from (an internal analysis and our own
 * reference notes, their section numbers) and text a user of the English CLI cannot read.
 * Applied to CLI output, reports, experiment output and the catalog's sources.
 */
import { expect } from 'vitest';

export const FORBIDDEN_WORDS: { what: string; re: RegExp }[] = [
  { what: '"the seed"', re: /\bthe seed\b(?! (?:of|for|given|\d))/i },
  { what: '"seed\'s"', re: /\bseed['’]s\b/i },
  { what: 'a section number of internal notes (§)', re: /§/ },
  { what: 'a pointer into internal notes', re: /\breference\/|\breference §|\bseed\/|bcc-ebpf-overhead-analysis/i },
  { what: 'CJK text', re: /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/ },
];

/** Fails with the offending line when `text` contains a forbidden word. */
export function expectUserWords(text: string, where: string): void {
  for (const { what, re } of FORBIDDEN_WORDS) {
    const line = text.split('\n').find((l) => re.test(l));
    expect(line, `${where} shows ${what}`).toBeUndefined();
  }
}
