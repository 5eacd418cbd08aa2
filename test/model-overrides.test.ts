/** --set: assignments by field path, values as YAML, paths checked against the schema. */
import { describe, expect, it } from 'vitest';
import { formatProblem, ModelError } from '../src/model/errors.js';
import { loadModel } from '../src/model/load.js';
import { applySet, parseFieldPath } from '../src/model/overrides.js';

function model(): Record<string, unknown> {
  return {
    name: 'm',
    traffic: { rate: '400k' },
    datapath: { service: '800ns' },
    probes: [{ name: 'p', attach: 'kprobe', program: [{ helper: 'ktime_get_ns' }, { filter: { pass: 0.5 } }] }],
    output: { pageCnt: 8 },
  };
}

describe('parseFieldPath', () => {
  it('splits keys and indices', () => {
    expect(parseFieldPath('probes[0].program[1].filter.pass')).toEqual(['probes', 0, 'program', 1, 'filter', 'pass']);
    expect(parseFieldPath('consumer.runtime')).toEqual(['consumer', 'runtime']);
  });
  it('keeps a catalog path under costs whole', () => {
    expect(parseFieldPath('costs.consumer.bcc-python.callback.medium')).toEqual(['costs', 'consumer.bcc-python.callback.medium']);
  });
  it('rejects malformed paths', () => {
    for (const bad of ['', '.a', 'a..b', 'a[x]', 'a[0', '[0]', 'a.', 'costs.']) expect(parseFieldPath(bad), bad).toBeUndefined();
  });
});

describe('applySet', () => {
  it('sets numbers, text, booleans and flow collections parsed as YAML', () => {
    const m = model();
    const problems = applySet(m, [
      'output.pageCnt=64',
      'probes[0].program[1].filter.pass=0.1',
      'traffic.rate=1.2M',
      'jit=false',
      'consumer.callback={dist: exponential, mean: 1us}',
    ]);
    expect(problems).toEqual([]);
    expect((m.output as Record<string, unknown>).pageCnt).toBe(64);
    expect((m.probes as { program: { filter: { pass: number } }[] }[])[0].program[1].filter.pass).toBe(0.1);
    expect((m.traffic as Record<string, unknown>).rate).toBe('1.2M');
    expect(m.jit).toBe(false);
    expect((m.consumer as Record<string, unknown>).callback).toEqual({ dist: 'exponential', mean: '1us' });
  });

  it('creates missing objects on the way', () => {
    const m = model();
    expect(applySet(m, ['metrics.interval=1ms', 'costs.wakeup.perf_buffer.producer=2us'])).toEqual([]);
    expect(m.metrics).toEqual({ interval: '1ms' });
    expect(m.costs).toEqual({ 'wakeup.perf_buffer.producer': '2us' });
  });

  it('reports unknown fields with did-you-mean, and applies the rest', () => {
    const m = model();
    const problems = applySet(m, ['output.pageCount=64', 'traffic.rate=1M']);
    expect(problems.map(formatProblem)).toEqual(['--set: output.pageCount: unknown field (hint: did you mean "pageCnt"?)']);
    expect((m.traffic as Record<string, unknown>).rate).toBe('1M');
    expect((m.output as Record<string, unknown>).pageCount).toBeUndefined();
  });

  it('reports bad paths, indices and values', () => {
    const m = model();
    const lines = applySet(m, [
      'output.pageCnt',
      'probes[3].name=x',
      'output[0]=1',
      'probes[0].program[0].helper.count=2',
      'traffic.rate=',
      'a..b=1',
      'maps[0].name=x',
      'traffic.rate={',
    ]).map(formatProblem);
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^--set: expected field=value such as output\.pageCnt=64, got "output\.pageCnt"$/);
    expect(lines[1]).toMatch(/^--set: probes\[3\]: expected an index below 1, got 3 \(hint: probes has 1 entry\)$/);
    expect(lines[2]).toMatch(/^--set: output\[0\]: expected a field of output, got an index \[0\]/);
    expect(lines[3]).toMatch(/^--set: probes\[0\]\.program\[0\]\.helper\.count: expected probes\[0\]\.program\[0\]\.helper to be an object, got "ktime_get_ns"/);
    expect(lines[4]).toMatch(/^--set: traffic\.rate: expected a value .* got an empty value$/);
    expect(lines[5]).toMatch(/^--set: expected a field path/);
    expect(lines[6]).toMatch(/^--set: maps: expected an existing list, got nothing/);
    expect(lines[7]).toBe('--set: traffic.rate: expected a value (YAML: 64, 1.2M, true, {dist: exponential, mean: 1us}), got "{": Flow map must end with a }');
  });

  it('a problem in a value set on the command line is attributed to --set', () => {
    try {
      loadModel({ set: ['output.pageCnt=12'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      expect((e as ModelError).problems.map(formatProblem)).toEqual([
        '--set: output.pageCnt: expected a power of two, got 12 (hint: page_cnt must be a power of two: use 8 or 16)',
      ]);
    }
  });
});
