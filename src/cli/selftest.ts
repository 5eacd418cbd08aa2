/**
 * `bpfsim selftest`: runs the validation suite (src/validate) and prints, per quantity, the
 * expected value, the simulated one with its confidence interval, the error and ok / FAIL.
 * Exit code 1 if any row fails (the simulator disagrees with theory), 0 otherwise.
 */
import type { Command } from 'commander';
import { formatRowLine, formatTableHeader, formatTableLegend, runValidation, selectCases, type Profile } from '../validate/index.js';
import { fingerprint, fingerprintScenarios } from '../validate/fingerprint.js';
import { UsageError } from './errors.js';

interface SelftestOptions {
  quick?: boolean;
  json?: boolean;
  case?: string;
  fingerprints?: boolean;
}

export function registerSelftest(program: Command): void {
  program
    .command('selftest')
    .description('check the simulator against queueing theory and the kernel wake-up benchmark; exit 1 on any failure')
    .option('--quick', 'fewer and shorter replications (wider confidence intervals, about 5x faster)')
    .option('--json', 'print the rows as JSON instead of the table')
    .option('--case <text>', 'only the cases whose id contains TEXT (e.g. mm1, little, wakeup)')
    .option('--fingerprints', 'print the event-trace fingerprints of the seeded regression runs instead (to update test/fingerprint.test.ts after a deliberate change)')
    .action((o: SelftestOptions) => {
      if (o.fingerprints) {
        for (const { id, scenario } of fingerprintScenarios()) {
          process.stdout.write(`  '${id}': ${JSON.stringify(fingerprint(scenario).hashes).replaceAll('"', "'").replaceAll(',', ', ')},\n`);
        }
        return;
      }
      const profile: Profile = o.quick ? 'quick' : 'full';
      const cases = selectCases(o.case ?? '');
      if (cases.length === 0) throw new UsageError(`--case: no validation case id contains "${o.case}"`);
      const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
      const t0 = performance.now();
      if (!o.json) process.stdout.write(formatTableHeader(profile, color) + '\n');
      const rows = runValidation(cases, profile, (_c, caseRows) => {
        if (o.json) return;
        const lines = caseRows.map((r, i) => formatRowLine(r, color, i === 0));
        process.stdout.write(lines.join('\n') + '\n');
      });
      const seconds = (performance.now() - t0) / 1000;
      if (o.json) process.stdout.write(JSON.stringify({ profile, rows }, null, 2) + '\n');
      else process.stdout.write(formatTableLegend(rows, cases.reduce((n, c) => n + c.packets(profile), 0), seconds, color) + '\n');
      if (rows.some((r) => !r.pass)) process.exitCode = 1;
    });
}
