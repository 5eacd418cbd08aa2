/**
 * Runs the validation grid for real: each cell repeated, C cells with the loader, Python cells
 * with pyreader.py. Every repetition's record is kept raw (the comparison, a fixture, or a
 * later `--from` reads them). Before each repetition the host's quietness is read from the
 * previous one; the loader itself measures it before and during its traced phase.
 */
import type { Built } from './runner.js';
import { runStep } from './runner.js';
import { cellArgs, type Cell } from './grid.js';
import { isError, parseLines, type ValidateRecord } from './records.js';
import { waitForQuiet } from './quiet.js';

export interface GridRun {
  records: ValidateRecord[];
  /** Raw JSON lines, as printed. */
  raw: string[];
  failures: string[];
  /** The attach type the kernel accepted (the first of tracepoint, raw_tracepoint, fentry). */
  attach?: string;
  interrupted: boolean;
}

export interface GridRunOptions {
  reps: number;
  ms: number;
  log: (line: string) => void;
  /** Before each repetition, wait up to this long for the host to be quiet (0: do not wait). */
  waitQuietMs?: number;
}

function commandFor(b: Built, c: Cell, args: string[]): [string, string[]] {
  return c.reader === 'python' ? ['python3', [b.pyreader, b.shim, ...args]] : [b.loader, ['validate', ...args]];
}

export async function runGrid(b: Built, cells: readonly Cell[], o: GridRunOptions): Promise<GridRun> {
  const out: GridRun = { records: [], raw: [], failures: [], interrupted: false };
  for (const c of cells) {
    const t0 = Date.now();
    let got = 0;
    for (let rep = 0; rep < o.reps; rep++) {
      if (o.waitQuietMs) await waitForQuiet(o.waitQuietMs);
      let rec: ValidateRecord | undefined;
      for (const a of out.attach ? [out.attach] : ['tracepoint', 'raw_tracepoint', 'fentry']) {
        const [cmd, args] = commandFor(b, c, cellArgs(c, o.ms, a));
        const r = await runStep(cmd, args);
        if (r.interrupted) {
          out.interrupted = true;
          return out;
        }
        const parsed = parseLines(r.stdout, `validate ${c.name}`);
        rec = parsed.records.find((x): x is ValidateRecord => x.kind === 'validate' && !isError(x));
        if (rec) {
          out.attach = a;
          out.raw.push(...r.stdout.split('\n').filter((l) => l.trim().startsWith('{"kind":"validate"')));
          break;
        }
        const err = parsed.records.find(isError);
        const why = err ? `${err.error.stage} failed: ${err.error.message}` : parsed.problems[0] ?? `exit ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').slice(-1)[0]}` : ''}`;
        out.failures.push(`${c.name} rep ${rep + 1} (${a}): ${why}`);
      }
      if (!rec) break;
      out.records.push(rec);
      got++;
    }
    o.log(`  ${c.name}: ${got}/${o.reps} runs, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return out;
}
