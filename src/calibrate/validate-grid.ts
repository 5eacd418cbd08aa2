/**
 * `bpfsim calibrate --validate`: the validation grid, real against simulated. Live, it runs
 * each cell's repetitions with real eBPF (waiting for a quiet host between runs) and saves
 * them raw; `--from FILE` compares recorded runs instead (no root, no eBPF). Then each cell
 * is simulated (one replication per real repetition) with the profile or catalog, and the
 * report lists the cells worst first with a verdict each and a total.
 *
 * Exit codes: 0 done (and within --tolerance when given); 1 a cell outside the tolerance, or
 * a run or simulation failed; 2 bad input (a --from file that is not a grid record file);
 * 3 skipped: the host is busy (other tasks use the CPUs), nothing judged.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Built } from './runner.js';
import { PACKAGE_ROOT } from './runner.js';
import { runGrid } from './grid-run.js';
import { gridCells } from './grid.js';
import { isError, parseLines, type ValidateRecord } from './records.js';
import { compareGrid, FIGURES, outsideTolerance, parseTolerance, type GridComparison } from './grid-compare.js';
import { gridText } from './grid-text.js';
import { kernelVersion } from './grid-model.js';
import { detectHostClass, type HostClass } from './host-class.js';
import { isClearlyBusy, sampleHost } from './quiet.js';

export const EXIT_BUSY = 3;

export interface ValidateOptions {
  quick?: boolean;
  /** Repetitions per cell (default 3). */
  reps?: number;
  /** Compare these recorded runs instead of running eBPF. */
  from?: string;
  /** Catalog name or profile path to simulate with. */
  catalog: string;
  /** Host class to simulate (default: detected; with --from, the one the records name). */
  host?: HostClass;
  /** Only these cells. */
  cells?: string[];
  allowBusy?: boolean;
  tolerance?: string;
  /** Figures that count in the verdicts (keys, e.g. callRate,lossPct). */
  figures?: string[];
  /** Simulated time per replication, ms (default 300: flat-out cells are steady well before). */
  simMs?: number;
  /**
   * Writes the comparison's files (--json, --csv, --html); the caller renders them (reports
   * live in a layer above this one). Returns the lines to log.
   */
  writeOutputs?: (g: GridComparison, title: string, notes: string[], meta: Record<string, unknown>) => Promise<string[]>;
  /** Where live runs are saved (default out/calibrate/validate-runs-<date>.jsonl). */
  saveRuns?: string;
  log: (line: string) => void;
}

/** Reads a file of recorded grid runs (one JSON record per line). Problems are bad input. */
export function readRuns(file: string): { records: ValidateRecord[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { records: [], problems: [`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`] };
  }
  const parsed = parseLines(text, file);
  const records = parsed.records.filter((r): r is ValidateRecord => r.kind === 'validate' && !isError(r));
  const problems = [...parsed.problems];
  if (records.length === 0 && problems.length === 0) problems.push(`${file}: expected validate records (one JSON object per line, "kind":"validate"), found none`);
  return { records, problems };
}

function write(file: string, text: string, log: (l: string) => void, what: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  log(`${what}: ${file}`);
}

export async function validateGrid(o: ValidateOptions, built?: Built): Promise<number> {
  const { log } = o;
  const tolerance = o.tolerance === undefined ? undefined : parseTolerance(o.tolerance);
  if (o.tolerance !== undefined && tolerance === undefined) {
    log(`--tolerance: expected a factor such as "25%", "2x" or "1.5", got "${o.tolerance}"`);
    return 2;
  }
  const unknownFigure = o.figures?.find((f) => !FIGURES.some((d) => d.key === f));
  if (unknownFigure !== undefined) {
    log(`--figures: expected figure names from ${FIGURES.map((d) => d.key).join(', ')}, got "${unknownFigure}"`);
    return 2;
  }
  let records: ValidateRecord[];
  let source: string;
  if (o.from) {
    const r = readRuns(o.from);
    for (const p of r.problems) log(p);
    if (r.problems.length > 0) return 2;
    records = o.cells?.length ? r.records.filter((x) => o.cells!.includes(x.name)) : r.records;
    source = `recorded runs ${o.from}`;
  } else {
    if (!built) return 1;
    const before = await sampleHost(1000);
    if (isClearlyBusy(before) && !o.allowBusy) {
      log(`skipped: the host is busy (other tasks used ${(100 * before!.otherBusyShare).toFixed(0)}% of the CPUs, ${before!.otherRunnable.toFixed(1)} runnable): real runs would measure them, not the tracer. Run on a quiet host, or pass --allow-busy to measure anyway (cells are marked).`);
      return EXIT_BUSY;
    }
    const cells = gridCells(o.quick === true, o.cells);
    const reps = o.reps ?? 3;
    const ms = o.quick ? 300 : 1000;
    log(`validation grid: ${cells.length} cells x ${reps} runs, ${ms} ms traced phase each`);
    // a short wait for a quiet moment before each run (quick: CI must not stall on a busy host)
    const run = await runGrid(built, cells, { reps, ms, log, waitQuietMs: o.allowBusy ? 0 : o.quick ? 3000 : 10000 });
    if (run.interrupted) return 130;
    for (const f of run.failures) log(`failed: ${f}`);
    records = run.records;
    const saved = o.saveRuns ?? join(PACKAGE_ROOT, 'out', 'calibrate', `validate-runs-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.jsonl`);
    if (run.raw.length) write(saved, `${run.raw.join('\n')}\n`, log, 'runs saved (compare again with --from)');
    source = 'runs just measured';
    if (run.failures.length > 0 && records.length === 0) return 1;
  }
  if (records.length === 0) {
    log('no runs to compare');
    return 1;
  }
  const kernel = kernelVersion(records[0].host?.kernel ?? 'unknown');
  const detected = detectHostClass();
  const host = o.host ?? (o.from ? records[0].host?.hostClass : detected.host);
  const g = compareGrid(records, { kernel, catalog: o.catalog, host, maxMs: o.simMs ?? 300, figures: o.figures });
  const header = [
    `simulated with ${o.catalog}${host ? `, host: ${host}` : ''}; real: ${source} (kernel ${records[0].host?.kernel ?? '?'}, ${records[0].host?.date ?? ''})`,
    'figures: mean ± 95% CI over the repetitions (simulated: one replication per real run, with its bare call cost).',
    'verdict per figure: error = max(sim/real, real/sim) (loss: or 5 pp ~ 25%, 10 pp ~ 2x); a cell takes its worst figure'
      + ` of: ${FIGURES.filter((f) => (o.figures ? o.figures.includes(f.key) : f.verdict)).map((f) => f.label).join(', ')}.`,
  ];
  for (const line of gridText(g, header)) log(line);
  const meta = { source, catalog: o.catalog, host: host ?? 'model default', kernel, runs: records.length, tolerance: o.tolerance ?? null };
  if (o.writeOutputs) for (const line of await o.writeOutputs(g, 'bpfsim validation grid: simulated against real', header, meta)) log(line);
  const busyShare = g.totals.busy / Math.max(1, g.totals.cells);
  if (!o.from && !o.allowBusy && busyShare > 0.5) {
    log(`skipped: ${g.totals.busy}/${g.totals.cells} cells were measured on a busy host; nothing judged (pass --allow-busy to judge the quiet ones anyway)`);
    return EXIT_BUSY;
  }
  if (tolerance !== undefined) {
    const bad = outsideTolerance(g, tolerance, o.allowBusy === true);
    if (bad.length > 0) {
      log(`FAIL: ${bad.length} cell(s) outside the tolerance ${o.tolerance}: ${bad.map((c) => `${c.name} (${c.factor.toFixed(2)}x)`).join(', ')}`);
      return 1;
    }
    const skipped = o.allowBusy ? 0 : g.totals.busy;
    log(`ok: every ${o.allowBusy ? '' : 'quiet '}cell is within ${o.tolerance}${skipped ? ` (${skipped} busy cell(s) not judged)` : ''}`);
  }
  return 0;
}
