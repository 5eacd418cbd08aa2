/**
 * `bpfsim experiment NAME [--quick] [--out DIR]`: runs one of the shipped experiments (or an
 * experiment file), prints its summary and findings, and writes out/NAME/. `--list` names them,
 * `--all` runs every one (what `npm run experiments` does).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { experimentPath, listExperiments, loadExperiment, plannedRuns, runExperiment, summaryText, writeExperiment } from '../experiments/index.js';
import { jobsOption } from './whatif-options.js';
import { runSession } from './session.js';
import { UsageError } from './errors.js';
import { writingInto } from './output-paths.js';

interface ExperimentOptions {
  quick?: boolean;
  out: string;
  list?: boolean;
  all?: boolean;
  jobs?: string;
}

export function registerExperiment(program: Command): void {
  program
    .command('experiment')
    .description('run an experiment (a question about a tool\'s cost answered by simulation): tables, findings, charts, HTML report')
    .argument('[name]', 'experiment name (see --list) or an experiment file')
    .option('--quick', 'the reduced form: short runs, few replications (as CI runs it)')
    .option('--out <dir>', 'write DIR/<name>/ (JSON, CSV, charts, report.html)', 'out')
    .option('--list', 'list the experiments')
    .option('--all', 'run every experiment')
    .option('--jobs <n>', 'parallel runs (worker threads) [all cores]; results do not depend on it')
    .action(async (name: string | undefined, o: ExperimentOptions) => {
      if (o.list) {
        const entries = listExperiments();
        const width = Math.max(...entries.map((e) => e.name.length));
        for (const e of entries) process.stdout.write(`${e.name.padEnd(width)}  ${e.title}\n`);
        return;
      }
      if ((o.all === true) === (name !== undefined)) throw new UsageError('experiment: give one experiment NAME, or --all (--list shows the names)');
      const files = o.all ? listExperiments().map((e) => e.file) : [experimentPath(name!)];
      // Load (and validate) every experiment before running any.
      const experiments = files.map((f) => loadExperiment(f, { quick: o.quick ?? false }));
      const jobs = jobsOption(o);
      const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
      for (const exp of experiments) {
        const t0 = performance.now();
        const { value: done, interrupted, exitCode } = await runSession({ jobs, planned: plannedRuns(exp), label: exp.name }, (exec, run) => runExperiment(exp, exec, run));
        const seconds = (performance.now() - t0) / 1000;
        process.stdout.write(summaryText(exp, done.result, color));
        const dir = join(o.out, exp.name);
        const written = await writingInto(dir, () => writeExperiment(dir, exp, done.result, done.charts));
        process.stdout.write(`\nWrote ${dir}/ (${written.length} files: report.html, experiment.json, CSV, ${done.charts.length} charts) in ${seconds.toFixed(1)} s\n\n`);
        if (interrupted) {
          process.exitCode = exitCode;
          return;
        }
      }
    });
}
