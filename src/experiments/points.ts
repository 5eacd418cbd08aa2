/**
 * Finding a run's point from a reference: a point's name, or the sweep values that pick one
 * grid point ({ output.pageCnt: 8 }: 8, "8" and "8.0" all match; so do "1ms" and 1000000).
 */
import type { GridPoint } from '../whatif/grid.js';
import { numericValue } from '../report/sweep-report.js';
import type { Replication } from '../whatif/replicate.js';
import type { FigureCIs } from '../whatif/aggregate.js';
import type { RunOutcome } from './execute.js';
import type { PointRef } from './schema.js';

export function sameValue(a: string | number, b: string | number): boolean {
  if (String(a) === String(b)) return true;
  const x = numericValue(String(a));
  const y = numericValue(String(b));
  return x !== undefined && y !== undefined && x === y;
}

/** Grid points matching every given path = value. */
export function matchingGrid(grid: readonly GridPoint[], paths: readonly string[], at: Record<string, string | number>): GridPoint[] {
  return grid.filter((g) => Object.entries(at).every(([path, v]) => sameValue(g.values[paths.indexOf(path)], v)));
}

export interface PointData {
  label: string;
  figures: FigureCIs;
  reps: Replication[];
}

/** The point a reference names, or undefined (not in this run: e.g. left out of the quick form). */
export function findPoint(run: RunOutcome, ref: PointRef | undefined): PointData | undefined {
  if (run.kind === 'reject') return undefined;
  if (run.kind === 'points') {
    const i = ref === undefined ? 0 : typeof ref === 'string' ? run.names.indexOf(ref) : -1;
    return i >= 0 && i < run.names.length ? { label: run.names[i], figures: run.result.variants[i].figures, reps: run.runs[i] } : undefined;
  }
  if (typeof ref === 'string') return undefined;
  const paths = run.result.vary.map((v) => v.path);
  const found = matchingGrid(run.grid, paths, ref ?? {});
  if (found.length !== 1) return undefined;
  const g = found[0];
  return { label: g.label, figures: run.result.points[g.index].figures, reps: run.runs[g.index] };
}
