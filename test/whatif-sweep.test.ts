/**
 * Sweeps: the same result whatever the number of workers (adaptive replication rounds
 * included), sharded-and-merged equal to unsharded (as objects, as bytes and through the CLI),
 * and a bad point reported before anything runs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadModel } from '../src/model/load.js';
import { ModelError } from '../src/model/errors.js';
import { baseModel } from '../src/whatif/base.js';
import { parseVary } from '../src/whatif/grid.js';
import { createExecutor, type Executor } from '../src/whatif/pool.js';
import { inShard, makePart, mergeParts, partJson, readPart } from '../src/whatif/shard.js';
import { runSweep, runSweepPoints, type SweepSpec } from '../src/whatif/sweep.js';
import { sweepCsv, sweepJson } from '../src/report/sweep-report.js';
import { relativeHalfWidth } from '../src/whatif/aggregate.js';
import { registerSweep } from '../src/cli/sweep.js';
import { registerMerge } from '../src/cli/merge.js';

// The built-in default model, cut short: 20 ms simulated, 4 CPUs at 400 kpps, lossy perf buffers.
const SHORT = ['--duration', '20ms', '--set', 'traffic.warmup=2ms'];
const loaded = loadModel({ duration: '20ms', set: ['traffic.warmup=2ms'] });

function spec(over: Partial<SweepSpec> = {}): SweepSpec {
  return {
    base: baseModel(loaded, {}),
    vary: [parseVary('output.pageCnt=8..64x2'), parseVary('traffic.rate=200k,400k')],
    plan: { replications: 2 },
    ...over,
  };
}

async function withExecutor<T>(jobs: number, fn: (e: Executor) => Promise<T>): Promise<T> {
  const exec = createExecutor(jobs);
  try {
    return await fn(exec);
  } finally {
    await exec.close();
  }
}

describe('sweep', () => {
  it('gives byte-identical results with --jobs 1 and --jobs 2, precision rounds included', async () => {
    const s = spec({
      vary: [parseVary('output.pageCnt=8,32')],
      plan: { replications: 2, precision: { target: 0.01, figures: ['cpu.kernelPctMean'], maxReplications: 6 } },
    });
    const one = await withExecutor(1, (e) => runSweep(s, e));
    const two = await withExecutor(2, (e) => runSweep(s, e));
    expect(sweepJson(two)).toBe(sweepJson(one));
    expect(sweepCsv(two)).toBe(sweepCsv(one));
    // The precision goal drove the rounds: each point met it or hit the cap.
    for (const p of one.points) {
      const rel = relativeHalfWidth(p.figures['cpu.kernelPctMean']);
      expect(p.n).toBeGreaterThanOrEqual(2);
      expect(p.n).toBeLessThanOrEqual(6);
      expect(rel <= 0.01 || (p.n === 6 && p.capped)).toBe(true);
    }
    expect(one.complete).toBe(true);
  }, 60_000);

  it('sharded and merged equals unsharded, whatever the shard order and their jobs', async () => {
    const s = spec();
    const whole = await withExecutor(1, (e) => runSweep(s, e));
    expect(whole.points).toHaveLength(8);
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-shard-'));
    try {
      const files: string[] = [];
      for (const index of [2, 0, 1]) {
        const shard = { index, count: 3 };
        const run = await withExecutor(index === 1 ? 2 : 1, (e) => runSweepPoints(s, e, { only: (i) => inShard(shard, i) }));
        const file = join(dir, `part-${index}.json`);
        writeFileSync(file, partJson(makePart(s, shard, run.points, !run.interrupted)));
        files.push(file);
      }
      const merged = mergeParts(files.map((file) => ({ file, part: readPart(file) })));
      expect(merged).toEqual(whole);
      expect(sweepJson(merged)).toBe(sweepJson(whole));
      // A missing shard is named, with the command that makes it.
      expect(() => mergeParts(files.slice(0, 2).map((file) => ({ file, part: readPart(file) })))).toThrow(/none for shard 1 \(hint: run bpfsim sweep \.\.\. --shard 1\/3\)/);
      // Parts of another sweep are refused.
      const other = { ...readPart(files[0]), spec: spec({ plan: { replications: 3 } }) };
      expect(() => mergeParts([{ file: 'a', part: readPart(files[1]) }, { file: 'b', part: other }])).toThrow(/b: spec: expected the sweep of a .*differs in replications/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('reports a bad point before running anything, as a --vary problem', () => {
    const bad = spec({ vary: [parseVary('output.pageCnt=8,12')] });
    const exec = { size: 1, run: vi.fn(), close: vi.fn() } as unknown as Executor;
    return runSweep(bad, exec).then(
      () => expect.unreachable(),
      (e) => {
        expect(e).toBeInstanceOf(ModelError);
        expect((e as ModelError).message).toBe('--vary: output.pageCnt: expected a power of two, got 12 (hint: page_cnt must be a power of two: use 8 or 16)');
        expect(exec.run).not.toHaveBeenCalled();
      },
    );
  });
});

describe('sweep and merge on the command line', () => {
  let out: string[] = [];
  afterEach(() => vi.restoreAllMocks());

  async function cli(...args: string[]): Promise<string> {
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command('bpfsim').exitOverride();
    registerSweep(program);
    registerMerge(program);
    await program.parseAsync(['node', 'bpfsim', ...args]);
    vi.restoreAllMocks();
    return out.join('');
  }

  it('bpfsim merge of --shard parts prints what one bpfsim sweep prints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-cli-shard-'));
    try {
      const args = ['sweep', '--vary', 'output.pageCnt=8,16,32', ...SHORT, '--replications', '2', '--jobs', '1'];
      const whole = await cli(...args, '--json');
      for (const i of [0, 1]) await cli(...args, '--shard', `${i}/2`, '--part', join(dir, `p${i}.json`));
      const merged = await cli('merge', join(dir, 'p1.json'), join(dir, 'p0.json'), '--json');
      expect(merged).toBe(whole);
      expect(JSON.parse(whole).points.map((p: { n: number }) => p.n)).toEqual([2, 2, 2]);
      const table = await cli('merge', join(dir, 'p0.json'), join(dir, 'p1.json'), '--metric', 'events.lostPct');
      expect(table).toMatch(/output\.pageCnt\s+n\s+events\.lostPct/);
      expect(JSON.parse(readFileSync(join(dir, 'p0.json'), 'utf8')).shard).toEqual({ index: 0, count: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
