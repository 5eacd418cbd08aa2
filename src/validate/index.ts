/**
 * The validation suite: the simulator against queueing theory, Little's law and the kernel's
 * wake-up benchmark. The same cases run under `npm test` and `bpfsim selftest`.
 */
import type { Profile, ValidationCase, ValidationRow } from './case.js';
import { queueCases } from './queue-cases.js';
import { ringCases } from './ring-cases.js';
import { wakeupCases } from './wakeup-cases.js';
import { contentionCase } from './contention-cases.js';
import { probeCostCase } from './probe-cost-cases.js';

export { CI_LEVEL, PROFILES, type Profile, type Unit, type ValidationCase, type ValidationRow } from './case.js';
export { formatRowLine, formatTableHeader, formatTableLegend } from './format.js';

/** Every case, in the order the table shows them. */
export function validationCases(): ValidationCase[] {
  return [...queueCases(), ...ringCases(), ...wakeupCases(), contentionCase(), probeCostCase()];
}

/** Cases whose id contains `filter` (all when it is empty). */
export function selectCases(filter = ''): ValidationCase[] {
  return validationCases().filter((c) => c.id.includes(filter));
}

/** Runs cases in order, handing each one's rows to `onCase` as soon as it is done. */
export function runValidation(
  cases: ValidationCase[],
  profile: Profile,
  onCase: (c: ValidationCase, rows: ValidationRow[]) => void = () => {},
): ValidationRow[] {
  const all: ValidationRow[] = [];
  for (const c of cases) {
    const rows = c.run(profile);
    onCase(c, rows);
    all.push(...rows);
  }
  return all;
}
