/**
 * The experiment machinery without long runs: derived-figure expressions, @point references,
 * the experiment file's checks (one line per problem, naming the field), findings (paired
 * ratios, thresholds in both directions) on a tiny real experiment, and the CLI's list and
 * error paths.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDerived, STANDARD_DERIVED } from '../src/experiments/derived.js';
import { evaluate, ExprError, parseExpr, references } from '../src/experiments/expr.js';
import { experimentPath, parseExperiment, runExperiment } from '../src/experiments/index.js';
import { InlineExecutor } from '../src/whatif/pool.js';
import { buildProgram } from '../src/cli/main.js';
import { modelErrorMessage } from './helpers/errors.js';

const lookup = (figs: Record<string, number>) => (f: string) => figs[f] ?? NaN;

describe('derived-figure expressions', () => {
  it('follow arithmetic precedence, unary minus and parentheses', () => {
    expect(evaluate(parseExpr('1 + 2 * 3'), lookup({}))).toBe(7);
    expect(evaluate(parseExpr('(1 + 2) * 3'), lookup({}))).toBe(9);
    expect(evaluate(parseExpr('-2 - -3'), lookup({}))).toBe(1);
    expect(evaluate(parseExpr('8 / 2 / 2'), lookup({}))).toBe(2);
    expect(evaluate(parseExpr('1e9 / 4e8'), lookup({}))).toBe(2.5);
    expect(evaluate(parseExpr('max(1, 5, 3) - min(4, 2) + abs(-1)'), lookup({}))).toBe(4);
  });

  it('read figures by dotted path, with indexes and @point references', () => {
    const e = parseExpr('(cpu.kernelNsPerSec - cpu.kernelNsPerSec@no-output) / occupancy.rings[1].meanBytes');
    expect(references(e)).toEqual([
      { figure: 'cpu.kernelNsPerSec' },
      { figure: 'cpu.kernelNsPerSec', point: 'no-output' },
      { figure: 'occupancy.rings[1].meanBytes' },
    ]);
    const v = evaluate(e, (f, p) => (p === 'no-output' ? 100 : f === 'cpu.kernelNsPerSec' ? 500 : 4));
    expect(v).toBe(100);
  });

  it('reject malformed text with the column of the problem', () => {
    const bad = ['1 +', 'a..b', '(1 + 2', 'foo(1)', 'a @ b', '2 ^ 3', 'abs(1, 2)'];
    for (const text of bad) expect(() => parseExpr(text), text).toThrow(ExprError);
    try {
      parseExpr('1 + * 2');
    } catch (e) {
      expect((e as ExprError).column).toBe(5);
    }
  });

  it('standard figures: per packet, per event, whole-CPU %, throughput change', () => {
    const figures: Record<string, number> = {
      'meta.simulatedNs': 1.05e9,
      'meta.warmupNs': 0.05e9,
      'meta.cpus': 4,
      'events.generated': 100_000,
      'events.consumed': 50_000,
      'events.submitted': 100_000,
      'events.submitCalls': 100_000, // in the measured window (1 s after warm-up)
      'events.wakeups.signalled': 25_000,
      'cpu.kernelNsPerSec': 5e7,
      'cpu.kernelPctMean': 1.25,
      'cpu.kernelPctSum': 5,
      'cpu.consumerNsPerSec': 4e8,
      'throughput.traced.deliveredPps': 1e5,
      'throughput.lossPct': 12,
    };
    addDerived(new Map([['p', figures]]), STANDARD_DERIVED);
    expect(figures['x.eventRate']).toBe(100_000);
    expect(figures['x.kernelPerPacketNs']).toBe(500);
    expect(figures['x.kernelPerEventNs']).toBe(500);
    expect(figures['x.consumerPerEventNs']).toBe(8000);
    expect(figures['x.kernelCpusPct']).toBe(5);
    expect(figures['x.throughputChangePct']).toBe(-12);
    expect(figures['x.wakeupsPerRecord']).toBe(0.25);
    expect(figures['x.submitCallsPerSec']).toBe(100_000);
  });

  it('leave out a figure that divides by zero, and see other points of the same replication', () => {
    const a: Record<string, number> = { k: 300, n: 10 };
    const floor: Record<string, number> = { k: 100, n: 0 };
    addDerived(new Map([['a', a], ['floor', floor]]), [{ name: 'x.outNs', source: '', expr: parseExpr('(k - k@floor) / n') }]);
    expect(a['x.outNs']).toBe(20);
    expect('x.outNs' in floor).toBe(false);
  });
});

const MODEL = `
name: tiny
cpus: 1
seed: 3
traffic: { arrival: poisson, rate: 50k, duration: 20ms }
datapath: { service: 1us }
probes:
  - name: p
    attach: kprobe
    program:
      - op: { name: work, cost: 100ns }
      - submit: { bytes: 64 }
consumer: { runtime: libbpf, callback: simple }
`;

function dirWithModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-exp-'));
  writeFileSync(join(dir, 'tiny.yaml'), MODEL);
  return dir;
}

function parse(text: string, dir = dirWithModel()) {
  return parseExperiment(text, 'exp.yaml', join(dir, 'exp.yaml'));
}

function problems(text: string): string[] {
  return modelErrorMessage(() => parse(text)).split('\n');
}

const HEAD = 'title: t\nquestion: q\nclaim: s\nmodel: tiny.yaml\n';

describe('experiment files', () => {
  it('are checked field by field, one line per problem, with hints', () => {
    const lines = problems(`${HEAD}runs:
  - name: a
    points: { x: {}, y: { whatif: batch=4 } }
    base: z
    derived: { x.bad: "1 +" , x.ref: "k@nowhere" }
  - name: s
    sweep: { output.pageCnt: [8, 16] }
  - name: s
    sweep: { output.pageCnt: [8] }
charts:
  - { name: c, type: line, run: a, x: output.pageCnt, y: events.lostPct }
  - { name: d, type: line, run: b, x: output.pageCnt, y: events.lostPct }
findings:
  - { label: f, ratio: { run: a, figure: events.lostPct, of: x, to: w } }
  - { label: g, value: { run: s, point: { traffic.rate: 1k }, figure: events.lostPct } }
`);
    const starts = [
      'exp.yaml: runs[0].base: expected a point of this run (x, y), got "z"',
      'exp.yaml: runs[0].derived.x.bad: expected an expression such as "cpu.kernelNsPerSec / x.eventRate", got "1 +" (unexpected end at column 4)',
      'exp.yaml: runs[0].derived.x.ref: expected a point of this run after "@" (x, y), got "nowhere"',
      'exp.yaml: runs[2].name: expected a name used once, got "s"',
      'exp.yaml: charts[0].run: expected a sweep run, got "a", a points run',
      'exp.yaml: charts[1].run: expected a run of this experiment (a, s), got "b"',
      'exp.yaml: findings[0].ratio.to: expected a point of run a (x, y), got "w"',
      "exp.yaml: findings[1].value.point.traffic.rate: expected a path of run s's sweep (output.pageCnt), got \"traffic.rate\"",
    ];
    for (const start of starts) expect(lines.some((l) => l.startsWith(start)), start).toBe(true);
    expect(lines).toHaveLength(starts.length);
  });

  it('check the shape first: a finding of two kinds is one problem', () => {
    const lines = problems(`${HEAD}runs:
  - { name: a, sweep: { output.pageCnt: [8] } }
findings:
  - { label: g, value: { run: a, figure: events.lostPct }, ratio: { run: a, figure: e, of: x, to: y } }
`);
    expect(lines).toEqual(['exp.yaml: findings[0]: expected exactly one of value, ratio, threshold, table, rejected, rank, got several']);
  });

  it('name unknown fields with a did-you-mean', () => {
    const lines = problems(`${HEAD}runs:\n  - name: a\n    sweep: { output.pageCnt: [8] }\n    shwo: [events.lostPct]\n`);
    expect(lines).toEqual(['exp.yaml: runs[0].shwo: unknown field (hint: did you mean "show"?)']);
  });

  it('point YAML syntax errors at a line and column', () => {
    const lines = problems(`${HEAD}runs:\n  - { name: a, sweep: { probes[0].attach: [kprobe] } }\n`);
    expect(lines[0]).toMatch(/^exp\.yaml: line 6, column \d+: expected valid YAML, got .*\(hint: quote keys/);
  });

  it('an unknown experiment name lists the shipped ones', () => {
    expect(() => experimentPath('early-retrun')).toThrow(/did you mean "early-return"\?/);
  });
});

describe('findings on a tiny experiment (real runs)', () => {
  const text = `${HEAD}replications: 3
runs:
  - name: pts
    points:
      full: {}
      floor: { set: ["probes[0].program[1]={op: {name: none, cost: 0ns}}"] }
      batched: { whatif: batch=8 }
    base: full
    derived:
      x.outputPerEventNs: (cpu.kernelNsPerSec - cpu.kernelNsPerSec@floor) / x.eventRate
  - name: sw
    sweep:
      output.pageCnt: [1, 2, 4]
      traffic.rate: [50k, 100k]
    show: [events.lostPct]
charts:
  - { name: lines, type: line, run: sw, x: output.pageCnt, y: events.lostPct, series: traffic.rate }
  - { name: bars, type: bars, run: pts, figures: [x.outputPerEventNs] }
findings:
  - { label: calls, ratio: { run: pts, figure: x.submitCallsPerSec, of: full, to: batched } }
  - { label: out, value: { run: pts, point: full, figure: x.outputPerEventNs } }
  - { label: from, threshold: { run: sw, figure: meta.cpus, x: output.pageCnt, atMost: 1, by: traffic.rate } }
  - { label: upto, threshold: { run: sw, figure: output.never, x: output.pageCnt, atMost: 1, mode: upTo } }
`;

  it('rejects a figure no run has before simulating', async () => {
    const exp = parse(text);
    await expect(runExperiment(exp, new InlineExecutor())).rejects.toThrow(/output\.never/);
  });

  it('pairs ratios over replications, finds thresholds, and draws every chart', async () => {
    const exp = parse(text.replace('figure: output.never', 'figure: meta.cpus').replace('atMost: 1, mode: upTo', 'atMost: 0, mode: upTo'));
    const done = await runExperiment(exp, new InlineExecutor());
    const [calls, out, from, upto] = done.result.findings;
    // batch=8: one output call per 8 events (a partial batch at the end aside).
    expect(calls.data.kind === 'ratio' && calls.data.estimate!.mean).toBeGreaterThan(7.5);
    expect(calls.data.kind === 'ratio' && calls.data.estimate!.mean).toBeLessThan(8.5);
    expect(calls.text).toMatch(/^\d+\.\d+x \[\d+\.\d+x, \d+\.\d+x\]$/);
    // The output path of a 64-byte perf record with the default catalog: tens to hundreds of ns.
    expect(out.data.kind === 'value' && out.data.estimate!.mean).toBeGreaterThan(30);
    expect(out.data.kind === 'value' && out.data.estimate!.mean).toBeLessThan(1500);
    // meta.cpus is 1 everywhere: "from" finds the smallest page count, "upTo" with 0 none.
    expect(from.text).toBe('rate=50k: 1; rate=100k: 1');
    expect(upto.text).toBe('none (already above at 1)');
    expect(done.charts.map((c) => c.name)).toEqual(['lines', 'bars']);
    const sw = done.result.runs.sw;
    expect(sw.kind === 'sweep' && sw.result.points.map((p) => p.label)).toEqual([
      'output.pageCnt=1 traffic.rate=50k', 'output.pageCnt=1 traffic.rate=100k',
      'output.pageCnt=2 traffic.rate=50k', 'output.pageCnt=2 traffic.rate=100k',
      'output.pageCnt=4 traffic.rate=50k', 'output.pageCnt=4 traffic.rate=100k',
    ]);
  }, 60_000);
});

describe('bpfsim experiment', () => {
  async function cli(args: string[]): Promise<{ code: number | undefined; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const w1 = process.stdout.write.bind(process.stdout);
    const w2 = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
    const before = process.exitCode;
    process.exitCode = undefined;
    try {
      const { main } = await import('../src/cli/main.js');
      await main(['node', 'bpfsim', ...args]);
      return { code: process.exitCode as number | undefined, out: out.join(''), err: err.join('') };
    } finally {
      process.stdout.write = w1;
      process.stderr.write = w2;
      process.exitCode = before;
    }
  }

  it('is registered', async () => {
    expect((await buildProgram()).commands.map((c) => c.name())).toContain('experiment');
  });

  it('--list names the experiments with their titles', async () => {
    const r = await cli(['experiment', '--list']);
    expect(r.code ?? 0).toBe(0);
    expect(r.out).toMatch(/^early-return\s+Early return/m);
    expect(r.out.trim().split('\n')).toHaveLength(8);
  });

  it('an unknown name is a usage error (exit 2, one line)', async () => {
    const r = await cli(['experiment', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^bpfsim experiment: expected an experiment name \(batching, /);
  });

  it('neither a name nor --all is a usage error', async () => {
    const r = await cli(['experiment']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/give one experiment NAME, or --all/);
  });
});
