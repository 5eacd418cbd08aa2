/**
 * `bpfsim selftest` as a command: the table, --json, --case, --fingerprints, and the exit code
 * (0 all pass, 1 any row fails, 2 bad usage). A case that always fails is slipped in through a
 * wrapper of the case list, to show a failing row turns into exit 1.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ValidationCase } from '../src/validate/case.js';

vi.mock('../src/validate/index.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../src/validate/index.js')>();
  const { deterministicRow } = await import('../src/validate/case.js');
  const failing: ValidationCase = {
    id: 'always-fails',
    title: 'a case that always fails',
    packets: () => 0,
    run: () => [deterministicRow({ id: 'always-fails', title: 'a case that always fails' }, { quantity: 'two', unit: 'count' }, 2, 3, 0, 'on purpose')],
  };
  return { ...mod, selectCases: (filter = '') => (filter === 'always-fails' ? [failing] : mod.selectCases(filter)) };
});

const { main } = await import('../src/cli/main.js');

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  process.exitCode = undefined;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const selftest = async (...args: string[]) => {
  await main(['node', 'bpfsim', 'selftest', ...args]);
  return process.exitCode ?? 0;
};

describe('bpfsim selftest', () => {
  it('prints expected, simulated, CI, error and ok per row, then a summary; exit 0', async () => {
    expect(await selftest('--quick', '--case', 'md1k-0.9')).toBe(0);
    expect(out).toMatch(/expected\s+simulated\s+99\.9% CI \/ allowance\s+error\s+result/);
    expect(out).toMatch(/M\/D\/1\/K, rho 0\.9, K 10\n\s+P\(block\) = drop fraction\s+0\.01663\s+0\.0\d+\s+\[0\.0\d+, 0\.0\d+\]\s+[+-][\d.]+%\s+ok/);
    expect(out).toMatch(/all 1 rows pass \(2\.0 M packets simulated in [\d.]+ s\)/);
    expect(err).toBe('');
  }, 30_000);

  it('--json gives the rows with their CI and verdict', async () => {
    expect(await selftest('--quick', '--case', 'md1k-0.9', '--json')).toBe(0);
    const j = JSON.parse(out) as { profile: string; rows: { caseId: string; expected: number; lo: number; hi: number; pass: boolean; replications: number }[] };
    expect(j.profile).toBe('quick');
    expect(j.rows).toHaveLength(1);
    const r = j.rows[0];
    expect(r).toMatchObject({ caseId: 'md1k-0.9-10', pass: true, replications: 10 });
    expect(r.lo).toBeLessThanOrEqual(r.expected);
    expect(r.hi).toBeGreaterThanOrEqual(r.expected);
  }, 30_000);

  it('a failing row makes the exit code 1 and says FAIL', async () => {
    expect(await selftest('--case', 'always-fails')).toBe(1);
    expect(out).toMatch(/two\s+2\.000\s+3\.000\s+±0\s+\+50\.00%\s+FAIL/);
    expect(out).toMatch(/1 of 1 rows FAIL/);
  });

  it('an unknown --case is a usage error (exit 2, one line)', async () => {
    expect(await selftest('--case', 'no-such-case')).toBe(2);
    expect(err.trim()).toBe('bpfsim: --case: no validation case id contains "no-such-case"');
  });

  it('--fingerprints prints one pinned-style line per fingerprinted run', async () => {
    expect(await selftest('--fingerprints')).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l).toMatch(/^ {2}'[a-z0-9-]+': \['[0-9a-f]{8}', '[0-9a-f]{8}'\],$/);
  });
});
