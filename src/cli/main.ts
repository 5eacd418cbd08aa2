/**
 * The bpfsim command line: parses arguments and calls; no simulation logic lives here.
 *
 * Start-up: a command's module (and everything it imports: zod, yaml, the simulator) loads only
 * when that command runs. `bpfsim run ...` loads run.ts alone; the full list loads only for
 * `bpfsim --help`, `--version`, or a word that is no command (so commander can list them all).
 */
import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../version.js';
import { exitCodeFor } from './errors.js';
import { checkOutputPaths } from './output-paths.js';

type Register = (program: Command) => void;

/** Every command, in the order `bpfsim --help` lists them. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  run: async () => (await import('./run.js')).registerRun,
  selftest: async () => (await import('./selftest.js')).registerSelftest,
  estimate: async () => (await import('./estimate.js')).registerEstimate,
  catalog: async () => (await import('./catalog.js')).registerCatalog,
  schema: async () => (await import('./schema.js')).registerSchema,
  calibrate: async () => (await import('./calibrate.js')).registerCalibrate,
  experiment: async () => (await import('./experiment.js')).registerExperiment,
  sweep: async () => (await import('./sweep.js')).registerSweep,
  size: async () => (await import('./size.js')).registerSize,
  compare: async () => (await import('./compare.js')).registerCompare,
  merge: async () => (await import('./merge.js')).registerMerge,
  explore: async () => (await import('./explore.js')).registerExplore,
  init: async () => (await import('./init.js')).registerInit,
  import: async () => (await import('./import.js')).registerImport,
};

/** The command an argv names (`bpfsim help X` names X), or undefined. */
export function commandOf(argv: readonly string[]): string | undefined {
  const words = argv.slice(2);
  const i = words.findIndex((w) => !w.startsWith('-'));
  if (i < 0) return undefined;
  const word = words[i] === 'help' ? words[i + 1] : words[i];
  return word !== undefined && Object.hasOwn(COMMANDS, word) ? word : undefined;
}

/** The program with the command `argv` names, or with every command when it names none. */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('bpfsim')
    .description('Discrete-event simulator of the packet data path under eBPF tracing tools (BCC / libbpf)')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const one = commandOf(argv);
  const names = one === undefined ? Object.keys(COMMANDS) : [one];
  const registers = await Promise.all(names.map((n) => COMMANDS[n]()));
  for (const register of registers) register(program);
  // Output paths are checked (and missing parents made) before any command does its work.
  // Only paths the user gave: a default (experiment's out/) is made when it is written, so that
  // `bpfsim experiment --list` leaves no empty folder behind.
  program.hook('preAction', (_program, action) => {
    const given = Object.fromEntries(Object.entries(action.opts()).filter(([k]) => action.getOptionValueSource(k) !== 'default'));
    checkOutputPaths(action.name(), given);
  });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    const program = await buildProgram(argv);
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
