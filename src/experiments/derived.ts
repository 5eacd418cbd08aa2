/**
 * Derived figures, computed per replication before aggregation (so they get their own CIs and
 * pair like any figure). Every run gets the standard ones (x.*); an experiment adds its own,
 * which may refer to another point of the same run in the same replication (`fig@point`).
 * A non-finite result (a division by zero: no events) is left out, as figures are.
 */
import type { Figures } from '../whatif/figures.js';
import { evaluate, parseExpr, type Expr } from './expr.js';

export interface Derived {
  name: string;
  source: string;
  expr: Expr;
}

/**
 * Per-packet and per-event figures the Result leaves to arithmetic. Names end in their unit so
 * the tables format them (…Ns in ns, …Pct in %). Every count of the Result (events, submits,
 * wake-ups) covers the measured window, after warm-up.
 */
const STANDARD: [string, string][] = [
  ['x.windowSec', '(meta.simulatedNs - meta.warmupNs) / 1e9'],
  ['x.eventRate', 'events.generated / x.windowSec'],
  ['x.consumedRate', 'events.consumed / x.windowSec'],
  ['x.kernelPerPacketNs', 'cpu.kernelNsPerSec / throughput.traced.deliveredPps'],
  ['x.kernelPerEventNs', 'cpu.kernelNsPerSec / x.eventRate'],
  ['x.consumerPerEventNs', 'cpu.consumerNsPerSec * x.windowSec / events.consumed'],
  ['x.kernelCpusPct', 'cpu.kernelPctSum'],
  ['x.throughputChangePct', '-throughput.lossPct'],
  ['x.wakeupsPerRecord', 'events.wakeups.signalled / events.submitted'],
  ['x.submitCallsPerSec', 'events.submitCalls / x.windowSec'],
];

export const STANDARD_DERIVED: Derived[] = STANDARD.map(([name, source]) => ({ name, source, expr: parseExpr(source) }));

/**
 * Adds the derived figures to every point's figures of one replication, in order (a derived
 * figure may use the ones before it). `points` maps point names to their figures (for @refs);
 * figures are modified in place.
 */
export function addDerived(points: Map<string, Figures>, derived: readonly Derived[]): void {
  for (const d of derived) {
    const values = new Map<string, number>();
    for (const [name, figures] of points) {
      const v = evaluate(d.expr, (figure, point) => {
        const source = point === undefined ? figures : points.get(point);
        const x = source?.[figure];
        return x === undefined ? NaN : x;
      });
      values.set(name, v);
    }
    // Written after all points are evaluated, so a @ref never sees this figure half-done.
    for (const [name, v] of values) {
      if (Number.isFinite(v)) points.get(name)![d.name] = v;
    }
  }
}
