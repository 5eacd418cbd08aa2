/**
 * Command-line options shared by sweep, size, compare and merge: replications, precision,
 * workers, which figures to show, where to write. Parsing errors are ModelErrors (one line,
 * the option as the "file", exit 2).
 */
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { ModelError } from '../model/errors.js';
import { MAX_REPLICATIONS } from '../model/limits.js';
import type { Scenario } from '../model/scenario.js';
import { checkWorkBudget } from '../whatif/budget.js';
import { defaultJobs } from '../whatif/pool.js';
import type { ReplicationPlan } from '../whatif/replicate.js';

export interface ReplicationOptions {
  replications: string;
  precision?: string;
  precisionOn?: string;
  maxReplications: string;
  jobs?: string;
}

export interface OutputOptions {
  metric?: string;
  json?: boolean;
  csv?: boolean;
  out?: string;
  chart?: string;
  report?: string;
}

export const DEFAULT_REPLICATIONS = 5;
export const DEFAULT_MAX_REPLICATIONS = 50;

export function addReplicationOptions(cmd: Command, precisionDefault: string): Command {
  return cmd
    .option('--replications <n>', 'independent replications (seeds S, S+1, ...) per point; figures get a 95% CI', String(DEFAULT_REPLICATIONS))
    .option('--precision <rel>', 'add replications until the CI half-width is below this fraction of the mean, e.g. 5%')
    .option('--precision-on <figures>', `figures the precision goal applies to, comma-separated [${precisionDefault}]`)
    .option('--max-replications <n>', 'cap on replications under --precision', String(DEFAULT_MAX_REPLICATIONS))
    .option('--jobs <n>', 'parallel runs (worker threads) [all cores]; results do not depend on it');
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--metric <figures>', 'figures to show in the table and charts, comma-separated (e.g. events.lostPct,cpu.kernelPctMean)')
    .option('--json', 'print the result as JSON instead of the table')
    .option('--csv', 'print the result as CSV instead of the table')
    .option('--out <dir>', 'write the JSON, CSV and table into DIR')
    .option('--chart <dir>', 'write charts (vega-lite JSON, SVG, PNG) into DIR')
    .option('--report <file.html>', 'write a self-contained HTML report (tables and charts)');
}

function usage(option: string, expected: string, found: string, hint?: string): ModelError {
  return new ModelError([{ file: option, path: '', expected, found: JSON.stringify(found), ...(hint ? { hint } : {}) }]);
}

export function parseIntOption(text: string, option: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw usage(option, `an integer >= ${min}`, text);
  return n;
}

/** "5%" -> 0.05; "0.05" -> 0.05 (a fraction). */
export function parseRelative(text: string, option: string): number {
  const pct = text.trim().endsWith('%');
  const x = Number(pct ? text.trim().slice(0, -1) : text) / (pct ? 100 : 1);
  if (!Number.isFinite(x) || x <= 0 || x >= 1) throw usage(option, 'a relative half-width such as 5% or 0.05', text);
  return x;
}

/** "0.1%" -> 0.1; "0.1" -> 0.1 (percent, like events.lostPct). */
export function parsePercent(text: string, option: string): number {
  const t = text.trim();
  const x = Number(t.endsWith('%') ? t.slice(0, -1) : t);
  if (t === '' || !Number.isFinite(x) || x < 0 || x >= 100) throw usage(option, 'a percentage in [0, 100) such as 0.1%', text);
  return x;
}

export function parseFigureList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return list.length ? list : undefined;
}

/** Replications are bounded: past MAX_REPLICATIONS a CI gains nothing and the schedule runs out of memory. */
function replicationCount(text: string, option: string, min: number): number {
  const n = parseIntOption(text, option, min);
  if (n > MAX_REPLICATIONS) {
    throw usage(option, `at most ${MAX_REPLICATIONS} replications`, text, `a CI narrows as 1/sqrt(n): lower ${option}, or ask for a precision with --precision`);
  }
  return n;
}

/** The most replications a plan may run per point (its cap under --precision). */
export function plannedReplications(plan: ReplicationPlan): number {
  return plan.precision ? plan.precision.maxReplications : plan.replications;
}

/** The work of `plan` over these points, bounded like one run (--force lifts it). */
export function checkPlanBudget(scenarios: readonly Scenario[], plan: ReplicationPlan, force?: boolean): void {
  checkWorkBudget(scenarios, plannedReplications(plan), { force, option: plan.precision ? '--max-replications' : '--replications' });
}

export function replicationPlan(o: ReplicationOptions, precisionDefault: readonly string[]): ReplicationPlan {
  const replications = replicationCount(o.replications, '--replications', 1);
  if (o.precision === undefined) return { replications };
  const maxReplications = replicationCount(o.maxReplications, '--max-replications', 2);
  if (maxReplications < replications) throw usage('--max-replications', `at least --replications (${replications})`, o.maxReplications);
  return {
    replications: Math.max(2, replications),
    precision: { target: parseRelative(o.precision, '--precision'), figures: parseFigureList(o.precisionOn) ?? [...precisionDefault], maxReplications },
  };
}

export function jobsOption(o: { jobs?: string }): number {
  if (o.jobs === undefined) return defaultJobs();
  const jobs = parseIntOption(o.jobs, '--jobs', 1);
  const cores = availableParallelism();
  // More workers than CPUs only share them: each run gets slower, none finishes sooner.
  if (jobs > cores) process.stderr.write(`bpfsim: warning: --jobs ${jobs} is more than the ${cores} CPU${cores > 1 ? 's' : ''} of this machine; runs will share them (results do not change)\n`);
  return jobs;
}
