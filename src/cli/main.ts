/** The bpfsim command line: parses arguments and calls; no simulation logic lives here. */
import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../version.js';
import { exitCodeFor } from './errors.js';
import { registerRun } from './run.js';
import { registerSelftest } from './selftest.js';
import { registerEstimate } from './estimate.js';
import { registerCatalog } from './catalog.js';
import { registerSchema } from './schema.js';
import { registerCalibrate } from './calibrate.js';
import { registerExperiment } from './experiment.js';
import { registerSweep } from './sweep.js';
import { registerSize } from './size.js';
import { registerCompare } from './compare.js';
import { registerMerge } from './merge.js';
import { registerExplore } from './explore.js';

export function buildProgram(): Command {
  const program = new Command('bpfsim')
    .description('Discrete-event simulator of the packet data path under eBPF tracing tools (BCC / libbpf)')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRun(program);
  registerSelftest(program);
  registerEstimate(program);
  registerCatalog(program);
  registerSchema(program);
  registerCalibrate(program);
  registerExperiment(program);
  registerSweep(program);
  registerSize(program);
  registerCompare(program);
  registerMerge(program);
  registerExplore(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message; bad usage is exit 2, --help/--version exit 0
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = exitCodeFor(err, (line) => process.stderr.write(line + '\n'));
  }
}
