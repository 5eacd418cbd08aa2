/**
 * The command line under the conditions a real user and a hostile tester create: output paths
 * that are missing, of the wrong kind, unwritable or on a full device (checked before the work,
 * one line, exit 2); SIGTERM from a job scheduler (finished replications written, exit 143);
 * knobs that multiply time (--replications) bounded; --jobs above the core count; part files
 * whose contents do not fit their sweep. Runs the built CLI (`npm run build` first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/bpfsim.js');
const MODEL = join(ROOT, 'models/tools/tracer-naive.yaml');
/** A model that would simulate for minutes: a command that did its work first would time out. */
const LONG = ['--duration', '2000s', '--force'];

function bpfsim(args: string[], opts: { cwd?: string; timeout?: number } = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: opts.timeout ?? 60_000, cwd: opts.cwd ?? ROOT });
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'bpfsim-cli-'));
}

/** One line on stderr, exit 2, no internal error, and it ended (did not time out). */
function expectUsageError(r: ReturnType<typeof bpfsim>, pattern: RegExp): void {
  expect(r.error, 'the command hung').toBeUndefined();
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/internal error/);
}

describe('output paths', () => {
  it('missing parent directories are created for --out, --chart, --report and --part', () => {
    const dir = tmp();
    const r = bpfsim(['run', MODEL, '--duration', '20ms', '--out', join(dir, 'a/b/out'), '--report', join(dir, 'c/d/r.html')]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'a/b/out/result.json'))).toBe(true);
    expect(statSync(join(dir, 'c/d/r.html')).size).toBeGreaterThan(1000);
    const s = bpfsim(['sweep', MODEL, '--duration', '20ms', '--replications', '2', '--vary', 'output.pageCnt=8,16', '--shard', '0/1', '--part', join(dir, 'e/f/part.json')]);
    expect(s.status, s.stderr).toBe(0);
    expect(existsSync(join(dir, 'e/f/part.json'))).toBe(true);
  }, 120_000);

  it('a path of the wrong kind or one that cannot be written is refused before the work', () => {
    const dir = tmp();
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    mkdirSync(join(dir, 'adir'));
    const cases: [string[], RegExp][] = [
      [['run', MODEL, ...LONG, '--out', '/proc/bpfsim-out'], /^bpfsim: --out \/proc\/bpfsim-out: cannot write there: /],
      [['run', MODEL, ...LONG, '--out', file], /^bpfsim: --out .*file\.txt: expected a directory, got a file$/],
      [['run', MODEL, ...LONG, '--chart', join(file, 'charts')], /^bpfsim: --chart .*: cannot write there: a path through something that is not a directory$/],
      [['run', MODEL, ...LONG, '--report', join(dir, 'adir')], /^bpfsim: --report .*adir: expected a file, got a directory$/],
      [['sweep', MODEL, ...LONG, '--shard', '0/2', '--part', join(file, 'p.json')], /^bpfsim: --part .*: cannot write there: /],
      [['run', MODEL, ...LONG, '--out', '/proc/self/x/y'], /^bpfsim: --out .*: cannot write there: /],
    ];
    for (const [args, pattern] of cases) expectUsageError(bpfsim(args, { timeout: 30_000 }), pattern);
  }, 240_000);

  it('writing to a full device is one line, exit 2', () => {
    // A 64 KiB tmpfs when this host lets us mount one (root), else /dev/full.
    const dir = tmp();
    const mnt = join(dir, 'tiny');
    mkdirSync(mnt);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status === 0;
    try {
      const target = mounted ? join(mnt, 'report.html') : '/dev/full';
      const r = bpfsim(['run', MODEL, '--duration', '20ms', '--report', target]);
      expectUsageError(r, new RegExp(`^bpfsim: cannot write ${target.replace(/[/.]/g, '\\$&')}: no space left on the device$`));
    } finally {
      if (mounted) spawnSync('umount', [mnt]);
    }
  }, 60_000);
});

describe('signals', () => {
  it('SIGTERM stops like Ctrl-C: finished replications written, "complete": false, exit 143', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, [BIN, 'sweep', MODEL, '--duration', '50ms', '--replications', '5000', '--jobs', '1', '--vary', 'output.pageCnt=8,16', '--out', dir], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const code = await new Promise<number | null>((resolveExit) => {
      setTimeout(() => child.kill('SIGTERM'), 6000);
      child.on('exit', (c) => resolveExit(c));
    });
    expect(code, stderr).toBe(143);
    const result = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { complete: boolean; points: { n: number }[] };
    expect(result.complete).toBe(false);
    expect(result.points.some((p) => p.n > 0), 'at least one replication finished in 6 s').toBe(true);
    expect(stderr).toMatch(/stopping/);
  }, 60_000);
});

describe('knobs that multiply time', () => {
  it('--replications 1e9 is refused at once with a hint naming the knob', () => {
    const r = bpfsim(['run', MODEL, '--replications', '1e9'], { timeout: 30_000 });
    expectUsageError(r, /--replications/);
    const s = bpfsim(['sweep', MODEL, '--replications', '1000000', '--vary', 'output.pageCnt=8..1024x2'], { timeout: 30_000 });
    expectUsageError(s, /^--replications: expected at most 10000 replications/);
    // Within the cap per point, but 9 points x 5000 replications x 50k packets is 2.25e9 packets.
    const t = bpfsim(['sweep', MODEL, '--replications', '5000', '--vary', 'output.pageCnt=8..2048x2'], { timeout: 30_000 });
    expectUsageError(t, /^--replications: expected work of at most 2\.00e9 simulated packets in all runs, got 5000 runs of 9 points: 2\.25e9 packets \(hint: lower --replications, shorten traffic\.duration \(--duration\), or pass --force\)$/);
  }, 60_000);

  it('--jobs above the core count warns', () => {
    const n = cpus().length;
    const r = bpfsim(['run', MODEL, '--duration', '20ms', '--replications', '2', '--jobs', String(n + 3)]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`--jobs ${n + 3} is more than the ${n} CPU`));
  }, 60_000);
});

describe('progress', () => {
  it('the ETA is blank until a run has finished, then elapsed / done x remaining', async () => {
    const { etaText } = await import('../src/cli/session.js');
    expect(etaText(5000, 0, 100)).toBe('');
    expect(etaText(0, 0, 0)).toBe('');
    expect(etaText(2000, 1, 11)).toBe('ETA 20s');
    expect(etaText(60_000, 10, 100)).toBe('ETA 9m00s');
    expect(etaText(3_600_000, 1, 3)).toBe('ETA 2h00m');
    expect(etaText(1000, 10, 10)).toBe('');
  });
});

describe('merge checks what is inside the parts', () => {
  type Part = { points: { index: number; runs: { rep: number; seed: number; figures: Record<string, unknown> }[] }[]; spec: { base: { file: string } } };

  /** Two shards of a small sweep, the first written with the model given by another path. */
  function shards(): { dir: string; parts: string[] } {
    const dir = tmp();
    const parts = [0, 1].map((i) => join(dir, `part-${i}.json`));
    const common = ['--duration', '20ms', '--replications', '2', '--jobs', '1', '--vary', 'output.pageCnt=8,16,32'];
    const a = bpfsim(['sweep', './models/tools/../tools/tracer-naive.yaml', ...common, '--shard', '0/2', '--part', parts[0]]);
    const b = bpfsim(['sweep', MODEL, ...common, '--shard', '1/2', '--part', parts[1]]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    return { dir, parts };
  }

  function tamper(file: string, change: (p: Part) => void): void {
    const p = JSON.parse(readFileSync(file, 'utf8')) as Part;
    change(p);
    writeFileSync(file, JSON.stringify(p));
  }

  it('the same model given by another path merges; tampered contents are refused, one line each', () => {
    const { parts } = shards();
    const ok = bpfsim(['merge', ...parts, '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as { points: { n: number }[] }).points.map((p) => p.n)).toEqual([2, 2, 2]);

    const cases: [(p: Part) => void, RegExp][] = [
      [(p) => (p.points[0].index = 7), /points\[0\]\.index: expected a point of the sweep, 0\.\.2, got 7/],
      [(p) => (p.points[0].index = 1), /points\[0\]\.index: expected a point of shard 0\/2, got 1/],
      [(p) => p.points[0].runs.pop(), /points\[0\]\.runs: expected 2 replications, as planned, got 1/],
      [(p) => (p.points[0].runs[1].seed = 99), /points\[0\]\.runs\[1\]\.seed: expected seed 12 \(the model's seed \+ 1\), got 99/],
      [(p) => (p.points[0].runs[0].figures['events.lostPct'] = 'lots'), /points\[0\]\.runs\[0\]\.figures\.events\.lostPct: expected a number, got "lots"/],
    ];
    for (const [change, pattern] of cases) {
      const { parts: fresh } = shards();
      tamper(fresh[0], change);
      const r = bpfsim(['merge', ...fresh]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  }, 240_000);

  it('parts of another model are refused with both models\' fingerprints', () => {
    const { dir, parts } = shards();
    const other = join(dir, 'other.json');
    const r = bpfsim(['sweep', MODEL, '--duration', '20ms', '--replications', '2', '--jobs', '1', '--vary', 'output.pageCnt=8,16,32', '--set', 'traffic.rate=50k', '--shard', '1/2', '--part', other]);
    expect(r.status, r.stderr).toBe(0);
    const m = bpfsim(['merge', parts[0], other]);
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/spec: expected the sweep of .* got a different sweep \(differs in the model \([0-9a-f]{12} vs [0-9a-f]{12}\)\)/);
  }, 120_000);
});

describe('sweep grids', () => {
  it('a grid of 1e9 points is refused before any point is loaded', () => {
    const r = bpfsim(['sweep', MODEL, '--vary', 'consumer.logBytes=1..1000', '--vary', 'output.wakeupEvents=1..1000', '--vary', 'datapath.rxQueue=1..1000'], { timeout: 30_000 });
    expectUsageError(r, /^--vary: expected a grid of at most 10000 points, got 1000 x 1000 x 1000 = 1\.00e9 points \(hint: /);
  }, 60_000);
});
