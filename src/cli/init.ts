/**
 * `bpfsim init [--attach T --output O --consumer C --rate R ...] [--out FILE]`: writes a
 * commented model to start from. Choices not given as flags are asked for when stdin is a
 * terminal, and take their defaults otherwise.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { ATTACH_TYPES } from '../model/kernel.js';
import { parseChoices, renderTemplate, TEMPLATE_CONSUMERS, TEMPLATE_DEFAULTS, TEMPLATE_OUTPUTS, type TemplateChoices } from '../model/template.js';
import { UsageError } from './errors.js';

interface InitOptions {
  attach?: string;
  output?: string;
  consumer?: string;
  rate?: string;
  cpus?: string;
  eventBytes?: string;
  out?: string;
  force?: boolean;
}

const QUESTIONS: { key: keyof TemplateChoices; question: string; choices?: readonly string[] }[] = [
  { key: 'attach', question: 'Attach type', choices: ATTACH_TYPES },
  { key: 'output', question: 'Output buffer', choices: TEMPLATE_OUTPUTS },
  { key: 'consumer', question: 'Consumer', choices: TEMPLATE_CONSUMERS },
  { key: 'rate', question: 'Packet rate over all CPUs (e.g. 200k)' },
  { key: 'cpus', question: 'Data-path CPUs' },
  { key: 'eventBytes', question: 'Event size in bytes' },
];

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a commented model to start from (asks when run in a terminal, or takes flags)')
    .option('--attach <type>', `attach type: ${ATTACH_TYPES.join(' | ')} [${TEMPLATE_DEFAULTS.attach}]`)
    .option('--output <type>', `event buffer: ${TEMPLATE_OUTPUTS.join(' | ')} [${TEMPLATE_DEFAULTS.output}]`)
    .option('--consumer <runtime>', `reader: ${TEMPLATE_CONSUMERS.join(' | ')} [${TEMPLATE_DEFAULTS.consumer}]`)
    .option('--rate <pps>', 'packets/s over all CPUs, e.g. 200k [100k]')
    .option('--cpus <n>', `data-path CPUs [${TEMPLATE_DEFAULTS.cpus}]`)
    .option('--event-bytes <n>', `event payload in bytes [${TEMPLATE_DEFAULTS.eventBytes}]`)
    .option('--out <file>', 'write the model here instead of printing it')
    .option('--force', 'overwrite --out if it exists')
    .action(async (o: InitOptions) => {
      const raw: Partial<Record<keyof TemplateChoices, string>> = {
        attach: o.attach, output: o.output, consumer: o.consumer, rate: o.rate, cpus: o.cpus, eventBytes: o.eventBytes,
      };
      if (process.stdin.isTTY) await ask(raw);
      const { choices, problems } = parseChoices(raw);
      if (problems.length > 0) throw new UsageError(problems.map((p) => `${p.option}: expected ${p.expected}, got ${p.found}`).join('\nbpfsim: '));
      const text = renderTemplate(choices);
      if (o.out === undefined) {
        process.stdout.write(text);
        return;
      }
      if (existsSync(o.out) && !o.force) throw new UsageError(`--out: ${o.out} exists (pass --force to overwrite it)`);
      writeFileSync(o.out, text);
      process.stderr.write(`wrote ${o.out}: try bpfsim run ${o.out}\n`);
    });
}

/**
 * Asks for each choice not given as a flag; an empty answer keeps the default, and so does the
 * end of input (Ctrl-D) for every question left. Lines typed ahead are kept, not lost.
 */
async function ask(raw: Partial<Record<keyof TemplateChoices, string>>): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  try {
    for (const q of QUESTIONS) {
      if (raw[q.key] !== undefined) continue;
      const options = q.choices ? ` (${q.choices.join(', ')})` : '';
      const shown = q.key === 'rate' ? '100k' : String(TEMPLATE_DEFAULTS[q.key]);
      process.stderr.write(`${q.question}${options} [${shown}]: `);
      const next = await lines.next();
      if (next.done) {
        process.stderr.write('\n');
        break;
      }
      const answer = String(next.value).trim();
      if (answer !== '') raw[q.key] = answer;
    }
  } finally {
    rl.close();
  }
}
