/** `bpfsim calibrate`: measure this host's unit costs with real eBPF; `--validate` checks predictions. */
import type { Command } from 'commander';
import { runCalibrate } from '../calibrate/index.js';

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description("measure this host's costs with real eBPF (root) and write a catalog profile; --validate compares a real run with the simulation")
    .option('--out <file>', 'profile to write (default out/calibrate/profile-<host>.yaml)')
    .option('--quick', 'fewer repetitions (seconds instead of minutes)')
    .option('--validate', 'after measuring, run the real end-to-end experiment and the simulation side by side')
    .option('--profile <file>', 'validate this existing profile instead of measuring')
    .action(async (o: { out?: string; quick?: boolean; validate?: boolean; profile?: string }) => {
      const code = await runCalibrate({ ...o, log: (line) => process.stdout.write(line + '\n') });
      process.exitCode = code;
    });
}
