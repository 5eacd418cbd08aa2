/**
 * Figure formatting for experiment tables and findings: the whatif formatter (unit from the
 * figure's name), plus per-second rates for derived names ending in "Rate" or "PerSec", and a
 * half-width that is float noise (below 1e-9 of the mean) shown as exact.
 */
import { formatRate } from '../units/format.js';
import type { FigureCI } from '../whatif/aggregate.js';
import { formatFigure } from '../report/figure-format.js';

function isRate(figure: string): boolean {
  const leaf = figure.split('.').pop() ?? figure;
  return /(?:Rate|PerSec)$/.test(leaf) && !leaf.endsWith('NsPerSec') && leaf !== 'bytesPerSec';
}

export function formatValue(figure: string, v: number): string {
  return isRate(figure) ? formatRate(v) : formatFigure(figure, v);
}

/** "12.3 ns ± 0.4 ns"; the mean alone with one replication or an exact result. */
export function formatEstimate(figure: string, ci: Pick<FigureCI, 'mean' | 'halfWidth'> | undefined): string {
  if (!ci) return 'n/a';
  const mean = formatValue(figure, ci.mean);
  if (!Number.isFinite(ci.halfWidth)) return mean;
  const half = ci.halfWidth <= 1e-9 * Math.abs(ci.mean) ? 0 : ci.halfWidth;
  return `${mean} ± ${formatValue(figure, half)}`;
}
