/**
 * The work a command asks for, bounded by the rule that bounds one run (--force lifts it):
 * points x replications x packets per run. `--replications 1e9` is refused at once, with a
 * hint naming the knob, instead of being scheduled and exhausting memory.
 */
import { distMean } from '../distributions/moments.js';
import { ModelError } from '../model/errors.js';
import { MAX_TOTAL_PACKETS } from '../model/limits.js';
import type { Scenario } from '../model/scenario.js';
import { bigNumber } from '../units/format.js';

/** Expected packets of one run (for saturate, the baseline capacity: an upper bound). */
export function packetsPerRun(s: Scenario): number {
  const seconds = s.traffic.duration / 1e9;
  if (s.traffic.arrival === 'saturate') {
    const mean = distMean(s.datapath.service);
    return mean > 0 ? (s.cpus * s.traffic.duration) / mean : Infinity;
  }
  return s.traffic.times?.length ?? s.traffic.rate * seconds;
}

/**
 * Throws (as a problem of `option`, the knob that multiplies) when `runs` runs of the given
 * scenarios would simulate more than MAX_TOTAL_PACKETS packets, unless forced.
 */
export function checkWorkBudget(scenarios: readonly Scenario[], runsPerScenario: number, opts: { force?: boolean; option: string }): void {
  if (opts.force) return;
  const packets = scenarios.reduce((sum, s) => sum + packetsPerRun(s), 0) * runsPerScenario;
  if (packets <= MAX_TOTAL_PACKETS) return;
  throw new ModelError([{
    file: opts.option,
    path: '',
    expected: `work of at most ${bigNumber(MAX_TOTAL_PACKETS)} simulated packets in all runs`,
    found: `${bigNumber(runsPerScenario)} run${runsPerScenario === 1 ? '' : 's'} of ${scenarios.length} point${scenarios.length === 1 ? '' : 's'}: ${bigNumber(packets)} packets`,
    hint: `lower ${opts.option}, shorten traffic.duration (--duration), or pass --force`,
  }]);
}
