/**
 * `bpfsim import`: a model of the BPF programs running on this host, from bpftool and the
 * kernel's run-time statistics over a sampling window. Needs root and bpftool.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { importPrerequisite, sampleHost } from '../hostimport/sample.js';
import { planImport, renderImportedModel } from '../hostimport/model.js';
import { loadModel } from '../model/load.js';
import { parseDuration } from '../units/parse.js';
import { UsageError } from './errors.js';

interface ImportOptions {
  window: string;
  id?: string[];
  name?: string[];
  out?: string;
  force?: boolean;
  sample?: string;
}

/** The sampling window's bounds: long enough for a rate, short enough to wait for. */
const MIN_WINDOW_MS = 100;
const MAX_WINDOW_MS = 600_000;

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('write a model of the BPF programs running on this host (root, bpftool): measured costs and rates, guesses marked')
    .option('--window <duration>', 'how long to sample the programs\' statistics', '2s')
    .option('--id <id...>', 'import only these program ids')
    .option('--name <text...>', 'import only programs whose name contains TEXT')
    .option('--out <file>', 'write the model here instead of printing it')
    .option('--force', 'overwrite --out if it exists')
    .option('--sample <file.json>', 'also write what was read from bpftool (to rebuild or check the model later)')
    .action(async (o: ImportOptions) => {
      const w = parseDuration(o.window);
      const windowMs = w.ok ? w.value / 1e6 : NaN;
      if (!(windowMs >= MIN_WINDOW_MS && windowMs <= MAX_WINDOW_MS)) throw new UsageError(`--window: expected a duration from 100ms to 10min such as "2s", got ${JSON.stringify(o.window)}`);
      const ids = (o.id ?? []).map((s) => {
        const n = Number(s);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--id: expected a program id (an integer >= 1), got ${JSON.stringify(s)}`);
        return n;
      });
      if (o.out !== undefined && existsSync(o.out) && !o.force) throw new UsageError(`--out: ${o.out} exists (pass --force to overwrite it)`);
      const why = importPrerequisite();
      if (why) throw new UsageError(`import: ${why}`);
      process.stderr.write(`sampling BPF program statistics for ${o.window}...\n`);
      const sample = await sampleHost(windowMs);
      if (o.sample) writeFileSync(o.sample, `${JSON.stringify(sample, null, 1)}\n`);
      const plan = planImport(sample, { ids, names: o.name ?? [] });
      if (plan.programs.length === 0) {
        const seen = plan.skipped.length ? `: ${plan.skipped.slice(0, 5).join('; ')}` : ': bpftool lists none that match';
        throw new UsageError(`import: no BPF program ran during the window${seen}`);
      }
      const command = ['bpfsim import', `--window ${o.window}`, ...ids.map((i) => `--id ${i}`), ...(o.name ?? []).map((n) => `--name ${n}`)].join(' ');
      const text = renderImportedModel(sample, plan, command);
      // valid by construction; loading proves it (a failure here is a bug, exit 1)
      loadModel({ text, file: o.out ?? '<imported model>' });
      if (o.out === undefined) process.stdout.write(text);
      else {
        writeFileSync(o.out, text);
        process.stderr.write(`wrote ${o.out} (${plan.programs.length} program${plan.programs.length > 1 ? 's' : ''}): try bpfsim run ${o.out}\n`);
      }
    });
}
