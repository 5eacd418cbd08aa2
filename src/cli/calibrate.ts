/** `bpfsim calibrate`: measure this host's unit costs with real eBPF; `--validate` checks predictions. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { runCalibrate, type CalibrateOptions } from '../calibrate/index.js';
import type { GridComparison } from '../calibrate/grid-compare.js';

interface FileOptions {
  json?: string;
  csv?: string;
  html?: string;
}

/** The validation grid's --json / --csv / --html files; returns what was written. */
function gridWriter(o: FileOptions) {
  return async (g: GridComparison, title: string, notes: string[], meta: Record<string, unknown>): Promise<string[]> => {
    if (!o.json && !o.csv && !o.html) return [];
    const { gridCsv, gridHtml, gridJson } = await import('../report/validation-grid.js');
    const out: string[] = [];
    const write = (file: string, text: string, what: string): void => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      out.push(`${what}: ${file}`);
    };
    if (o.json) write(o.json, gridJson(g, meta), 'json');
    if (o.csv) write(o.csv, gridCsv(g), 'csv');
    if (o.html) write(o.html, await gridHtml(g, title, notes, meta), 'html report');
    return out;
  };
}

const positiveInt = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 50) {
    process.stderr.write(`bpfsim calibrate: ${name}: expected a whole number from 1 to 50, got "${v}"\n`);
    process.exit(2);
  }
  return n;
};

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description("measure this host's costs with real eBPF (root) and write a catalog profile; --validate runs the validation grid, real against simulated")
    .option('--out <file>', 'profile to write (default out/calibrate/profile-<host>.yaml)')
    .option('--quick', 'fewer repetitions (seconds instead of minutes); with --validate the quick subset of the grid')
    .option('--validate', 'after measuring, run the validation grid for real and simulate each cell with the profile')
    .option('--profile <file>', 'validate this existing profile (or catalog) instead of measuring')
    .option('--from <file>', 'compare recorded grid runs (a runs .jsonl) instead of running eBPF; no root needed')
    .option('--reps <n>', 'real runs per cell (default 3)', positiveInt('--reps'))
    .addOption(new Option('--host <class>', 'host class to simulate (default: detected here; with --from: the class the runs recorded)').choices(['bare-metal', 'vm']))
    .option('--cells <names>', 'only these cells (comma-separated names)', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--allow-busy', 'measure even when other tasks keep the host busy, and hold busy cells to --tolerance too (they stay marked)')
    .option('--tolerance <factor>', 'exit 1 when a cell measured on a quiet host is off by more than this ("25%", "2x")')
    .option('--figures <keys>', 'figures that count in the verdicts (default all but latency p99): callRate, lossPct, sleepsEnded, pollsWithData, readerCpuPerEvent, latencyP50, latencyP99', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--json <file>', 'write the comparison as JSON')
    .option('--csv <file>', 'write the comparison as CSV (one row per cell and figure)')
    .option('--html <file>', 'write an HTML report with simulated-vs-real charts')
    .option('--save-runs <file>', 'where to save the real runs (default out/calibrate/validate-runs-<time>.jsonl)')
    .action(async (o: Omit<CalibrateOptions, 'log' | 'writeOutputs'> & FileOptions) => {
      if (o.from && !o.validate) o.validate = true;
      const { json, csv, html, ...rest } = o;
      const code = await runCalibrate({ ...rest, writeOutputs: gridWriter({ json, csv, html }), log: (line) => process.stdout.write(line + '\n') });
      process.exitCode = code;
    });
}
