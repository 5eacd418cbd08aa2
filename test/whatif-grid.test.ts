/**
 * Sweep grids, shards and figure names: what --vary accepts and expands to, the order of the
 * grid, that shards partition it, and which Result leaves count as figures.
 */
import { WARNING_CODES } from '../src/analysis/warnings.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { expandGrid, parseVary, splitTopLevel } from '../src/whatif/grid.js';
import { inShard, parseShard } from '../src/whatif/shard.js';
import { flattenFigures } from '../src/whatif/figures.js';
import type { Result } from '../src/result.js';
import { modelErrorMessage } from './helpers/errors.js';

const problemOf = modelErrorMessage;

describe('--vary values', () => {
  it('expands powers of two, steps and added steps, keeping a unit suffix', () => {
    expect(parseVary('output.pageCnt=8..256x2').values).toEqual(['8', '16', '32', '64', '128', '256']);
    expect(parseVary('cpus=1..4').values).toEqual(['1', '2', '3', '4']);
    expect(parseVary('probes[0].program[0].filter.pass=0.1..0.5+0.1').values).toEqual(['0.1', '0.2', '0.3', '0.4', '0.5']);
    expect(parseVary('traffic.rate=100k..800kx2').values).toEqual(['100k', '200k', '400k', '800k']);
    expect(parseVary('output.size=64KiB..1024KiBx4').values).toEqual(['64KiB', '256KiB', '1024KiB']);
  });

  it('mixes lists and ranges; commas inside braces and quotes do not split', () => {
    expect(parseVary('output.pageCnt=4,8..32x2,128').values).toEqual(['4', '8', '16', '32', '128']);
    expect(splitTopLevel('{dist: exponential, mean: 1us}, "a,b", [1, 2]')).toEqual(['{dist: exponential, mean: 1us}', '"a,b"', '[1, 2]']);
    expect(parseVary('datapath.service={dist: exponential, mean: 1us},800ns').values).toEqual(['{dist: exponential, mean: 1us}', '800ns']);
  });

  it('rejects malformed input with one line naming --vary and the field', () => {
    expect(problemOf(() => parseVary('output.pageCnt'))).toMatch(/^--vary: expected PATH=V1,V2/);
    expect(problemOf(() => parseVary('output.pageCnt=256..8x2'))).toMatch(/^--vary: output\.pageCnt: expected in range 256\.\.8x2: the first end <= the last/);
    expect(problemOf(() => parseVary('output.pageCnt=8..256x1'))).toMatch(/a factor > 1/);
    expect(problemOf(() => parseVary('traffic.rate=100k..1Mx2'))).toMatch(/in one unit, got "k" and "M"/);
    expect(problemOf(() => parseVary('output.pageCnt=8,8..16x2'))).toMatch(/distinct values, got "8" twice/);
    expect(problemOf(() => parseVary('cpus=1..1000000'))).toMatch(/at most 10000 values/);
    expect(problemOf(() => expandGrid([parseVary('cpus=1,2'), parseVary('cpus=3')]))).toMatch(/each field in one --vary/);
  });
});

describe('the grid', () => {
  it('is every combination, the first --vary slowest, each point with its --set assignments', () => {
    const grid = expandGrid([parseVary('output.pageCnt=8,16'), parseVary('traffic.rate=100k,200k,400k')]);
    expect(grid.map((g) => g.values)).toEqual([
      ['8', '100k'], ['8', '200k'], ['8', '400k'],
      ['16', '100k'], ['16', '200k'], ['16', '400k'],
    ]);
    expect(grid[4].set).toEqual(['output.pageCnt=16', 'traffic.rate=200k']);
    expect(grid.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(expandGrid([])).toHaveLength(1);
  });

  it('shards partition it: every point in exactly one shard', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 500 }), (n, points) => {
        for (let p = 0; p < points; p++) {
          let owners = 0;
          for (let i = 0; i < n; i++) if (inShard({ index: i, count: n }, p)) owners++;
          if (owners !== 1) return false;
        }
        return true;
      }),
    );
  });

  it('--shard is 0-based I/N and says so when given N/N', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3/4 ')).toEqual({ index: 3, count: 4 });
    expect(problemOf(() => parseShard('4/4'))).toMatch(/numbered 0\.\.3: use 3\/4 for the last/);
    expect(problemOf(() => parseShard('1-4'))).toMatch(/^--shard: expected I\/N/);
    expect(problemOf(() => parseShard('0/0'))).toMatch(/at least 1/);
  });
});

describe('figures of a Result', () => {
  const result = JSON.parse(readFileSync(new URL('./fixtures/perf-4cpu-lossy.json', import.meta.url), 'utf8')) as Result;
  const figures = flattenFigures(result);

  it('are the numeric leaves as dotted paths, list items indexed', () => {
    expect(figures['events.lostPct']).toBe(result.events.lostPct);
    expect(figures['latency.traced.p99']).toBe(result.latency.traced.p99);
    expect(figures['occupancy.rings[1].highWaterBytes']).toBe(result.occupancy.rings[1].highWaterBytes);
    expect(figures['cpu.kernelPctPerCpu[3]']).toBe(result.cpu.kernelPctPerCpu[3]);
    expect(figures['events.perCpu[2].lost']).toBe(result.events.perCpu[2].lost);
    for (const v of Object.values(figures)) expect(typeof v).toBe('number');
  });

  it('leave out series, histograms, strings, the version and the per-replication seed', () => {
    const paths = Object.keys(figures);
    expect(paths.some((p) => p.includes('.series') || p.includes('histograms'))).toBe(false);
    expect(paths).not.toContain('version');
    expect(paths).not.toContain('meta.seed');
    expect(paths.some((p) => p.startsWith('rating.grade'))).toBe(false);
    expect(paths).toContain('meta.simulatorEvents');
    // Warnings: one 0/1 figure per code (its mean over replications is the share of runs warned).
    const warned = paths.filter((p) => p.startsWith('warnings.'));
    expect(warned.sort()).toEqual(WARNING_CODES.map((c) => `warnings.${c}`).sort());
    for (const p of warned) expect([0, 1]).toContain(figures[p]);
  });
});
