/** `bpfsim merge PARTS...`: combines the part files of a sharded sweep into the sweep result. */
import type { Command } from 'commander';
import { HEADLINE_FIGURES } from '../whatif/figures.js';
import { addOutputOptions, parseFigureList, type OutputOptions } from './whatif-options.js';
import { checkFigures } from '../whatif/figure-names.js';
import { mergeParts, readPart } from '../whatif/shard.js';
import { writeSweepOutputs } from './sweep.js';

export function registerMerge(program: Command): void {
  addOutputOptions(
    program
      .command('merge')
      .description('combine the part files of bpfsim sweep --shard I/N into the result one run would give')
      .argument('<parts...>', 'part files (one per shard, any order)'),
  ).action(async (files: string[], o: OutputOptions) => {
    const result = mergeParts(files.map((file) => ({ file, part: readPart(file) })));
    const metrics = parseFigureList(o.metric) ?? [...HEADLINE_FIGURES];
    checkFigures(metrics, result.points.find((p) => p.n > 0)?.figures ?? {}, '--metric');
    await writeSweepOutputs(result, o, metrics);
  });
}
