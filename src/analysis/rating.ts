/**
 * The seed's impact grade (seed §监控指标映射 性能影响等级划分):
 *
 *   latency  < 5%   5-20%   20-50%   > 50%
 *   thruput  < 2%   2-10%   10-25%   > 25%
 *   grade    优秀    良好    中等     重
 *            excellent good  medium   heavy
 *
 * Each change is graded on its own row and the worse grade wins. A boundary value belongs
 * to the band it closes ("5-20%" includes 5 but not 20; "> 50%" excludes 50). Improvements
 * (negative changes, e.g. the seed's icmp_rtt -6.9% latency) count as 0.
 * Note: the seed's example column puts qdisc_drop_trace (+27.56% latency, -12.74% throughput)
 * under 良好, but by its own table those numbers grade 中等; this follows the table.
 */
import type { Grade } from '../result.js';

const ORDER: Grade[] = ['excellent', 'good', 'medium', 'heavy'];

/** Upper bounds of excellent, good and medium, in %. */
const LATENCY_BANDS = [5, 20, 50] as const;
const THROUGHPUT_BANDS = [2, 10, 25] as const;

function band(pct: number, bounds: readonly [number, number, number]): Grade {
  const x = Number.isFinite(pct) && pct > 0 ? pct : pct === Infinity ? Infinity : 0;
  if (x < bounds[0]) return 'excellent';
  if (x < bounds[1]) return 'good';
  if (x <= bounds[2]) return 'medium';
  return 'heavy';
}

function bandText(grade: Grade, bounds: readonly [number, number, number]): string {
  switch (grade) {
    case 'excellent':
      return `< ${bounds[0]}%`;
    case 'good':
      return `${bounds[0]}-${bounds[1]}%`;
    case 'medium':
      return `${bounds[1]}-${bounds[2]}%`;
    case 'heavy':
      return `> ${bounds[2]}%`;
  }
}

function signed(pct: number): string {
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(2)}%`;
}

/**
 * Grades a latency increase and a throughput loss (both in %, positive = worse) by the table
 * above; the worse of the two decides. The reason names both bands. No grade (null) when either
 * change is unmeasured: a run that measured nothing is not "excellent".
 */
export function rate(latencyPct: number | null, throughputLossPct: number | null): { grade: Grade | null; reason: string } {
  if (latencyPct === null || throughputLossPct === null) {
    const missing = [latencyPct === null ? 'latency' : '', throughputLossPct === null ? 'throughput' : ''].filter(Boolean).join(' and ');
    return { grade: null, reason: `not graded: the ${missing} change could not be measured (no packet completed in the measured window)` };
  }
  const lat = band(latencyPct, LATENCY_BANDS);
  const thr = band(throughputLossPct, THROUGHPUT_BANDS);
  const grade = ORDER[Math.max(ORDER.indexOf(lat), ORDER.indexOf(thr))];
  const latText = `latency ${signed(latencyPct)} (${lat}: ${bandText(lat, LATENCY_BANDS)})`;
  const thrText = `throughput ${signed(-throughputLossPct)} (${thr}: loss ${bandText(thr, THROUGHPUT_BANDS)})`;
  const decides = lat === thr ? 'both agree' : `the ${ORDER.indexOf(lat) > ORDER.indexOf(thr) ? 'latency' : 'throughput'} change decides`;
  return { grade, reason: `${latText}, ${thrText}; ${decides}: ${grade}` };
}
