/**
 * The warnings a report shows: the run's own, produced once with the Result
 * (src/analysis/warnings.ts holds the table of codes and thresholds).
 */
import type { Result } from '../result.js';

export function reportWarnings(result: Result): string[] {
  return result.warnings.map((w) => w.text);
}
