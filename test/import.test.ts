/**
 * `bpfsim import`: a model of the BPF programs on a host. Deterministic part: a recorded
 * bpftool sample of the calibrate harness's program rebuilds a model that loads and charges
 * exactly run_time_ns / run_cnt per run. Live part (root, bpftool, the calibrate build): load
 * the harness's tracepoint program, import it (statistics restored after), simulate, and compare
 * the imported program cost to run_time_ns / run_cnt read by the test itself over a window
 * enclosing the import's, within 10%.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distMean } from '../src/distributions/sampler.js';
import { planImport, renderImportedModel } from '../src/hostimport/model.js';
import { BPF_STATS_SYSCTL, importPrerequisite, sampleHost, type BpftoolProg, type HostSample } from '../src/hostimport/sample.js';
import { loadModel } from '../src/model/load.js';
import type { Step } from '../src/model/scenario.js';
import { runScenario } from '../src/simulation/simulate.js';
import { build } from '../src/calibrate/runner.js';

/** The per-run cost the model charges for a probe's program: the mean of its steps' costs. */
function programCost(steps: Step[]): number {
  return steps.reduce((sum, s) => sum + (s.kind === 'op' ? s.count * distMean(s.cost) : s.kind === 'submit' ? distMean(s.cost) : 0), 0);
}

describe('bpfsim import from a recorded sample', () => {
  const sample = JSON.parse(readFileSync(resolve(__dirname, 'fixtures/import/calib-tracepoint.sample.json'), 'utf8')) as HostSample;

  it('builds a model that loads, charging run_time_ns / run_cnt of the window per run, at the measured run rate', () => {
    const plan = planImport(sample, { names: ['v_tracepoint'] });
    expect(plan.programs).toHaveLength(1);
    const text = renderImportedModel(sample, plan, 'bpfsim import --name v_tracepoint');
    const { scenario, model } = loadModel({ text, file: 'imported.yaml' });
    const [b, a] = [sample.before[0], sample.after[0]];
    const perRun = (a.run_time_ns! - b.run_time_ns!) / (a.run_cnt! - b.run_cnt!);
    expect(programCost(scenario.probes[0].program)).toBeCloseTo(perRun, 0);
    expect(scenario.traffic.rate).toBeCloseTo((a.run_cnt! - b.run_cnt!) / (sample.windowNs / 1e9), 0);
    expect(model.probes[0].attach).toBe('tracepoint');
    // the ring buffer the program writes to, at its size; the global-data map is left out
    expect(model.output).toMatchObject({ type: 'ringbuf', size: sample.maps.find((m) => m.type === 'ringbuf')!.max_entries });
    expect(model.maps.map((m) => m.name)).not.toContain('calib.bss');
    // every guess is marked as one
    for (const field of ['service', 'bytes', 'runtime', 'arrival']) expect(text).toMatch(new RegExp(`${field}: .*# guessed`));
  });

  it('leaves out programs that did not run, and says so', () => {
    const idle: HostSample = { ...sample, after: sample.before };
    const plan = planImport(idle);
    expect(plan.programs).toEqual([]);
    expect(plan.skipped).toEqual([expect.stringMatching(/v_tracepoint .*did not run during the window/)]);
  });
});

const why = importPrerequisite();
describe.skipIf(why !== undefined)(`bpfsim import on this host${why ? ` (skipped: ${why})` : ''}`, () => {
  it('imports the calibrate harness program; its cost matches run_time_ns / run_cnt within 10%', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-import-'));
    const built = build(join(dir, 'build'));
    if (!built.ok) {
      // the prerequisites (clang, libbpf, bpftool) are what `bpfsim calibrate` needs: CI installs them
      throw new Error(`the calibrate harness does not build here:\n${built.output}`);
    }
    const statsBefore = readFileSync(BPF_STATS_SYSCTL, 'utf8').trim();
    // a tracepoint program on getpgid writing a 64-byte ringbuf record per call, called flat out
    // (paced calls swing between a reader woken for every event and catching up: the program's
    // cost moves 2x from one second to the next; flat out it holds within a few %)
    const harness = spawn(built.built.loader, ['validate', '--buffer', 'ringbuf', '--mode', 'flat', '--ms', '10000'], { stdio: 'ignore' });
    try {
      const id = await attachedProgram('v_tracepoint', 30_000);
      const bin = resolve(__dirname, '..', 'bin', 'bpfsim.js');
      const importTo = (out: string, window: string) =>
        execFileSync('node', [bin, 'import', '--window', window, '--id', String(id), '--out', out], { stdio: 'pipe' });
      // statistics off: the import turns them on for its window and back off after
      writeFileSync(BPF_STATS_SYSCTL, '0');
      importTo(join(dir, 'first.yaml'), '500ms');
      expect(readFileSync(BPF_STATS_SYSCTL, 'utf8').trim()).toBe('0');
      expect(loadModel({ file: join(dir, 'first.yaml') }).scenario.probes).toHaveLength(1);
      // The kernel's own figure over a window that encloses the import's (the program's cost
      // moves with the host's load from one second to the next, so the windows must overlap;
      // the import runs in this process, as the CLI runs it, so the two differ by a bpftool call).
      let text = '';
      const measured = await aroundWindow(id, async () => {
        const sample = await sampleHost(3000);
        text = renderImportedModel(sample, planImport(sample, { ids: [id] }), 'bpfsim import --window 3s');
      });
      const loaded = loadModel({ text, file: 'imported.yaml' });
      const imported = programCost(loaded.scenario.probes[0].program);
      expect(Math.abs(imported / measured.costNs - 1), `imported ${imported} ns, measured ${measured.costNs.toFixed(1)} ns`).toBeLessThan(0.1);
      expect(Math.abs(loaded.scenario.traffic.rate / measured.rate - 1), `imported ${loaded.scenario.traffic.rate}/s, measured ${measured.rate.toFixed(0)}/s`).toBeLessThan(0.25);
      const r = runScenario({ ...loaded.scenario, traffic: { ...loaded.scenario.traffic, duration: 50e6, warmup: 5e6 } }, loaded.catalog);
      expect(r.events.generated).toBeGreaterThan(0);
    } finally {
      harness.kill('SIGINT');
      await new Promise((ok) => harness.on('exit', ok));
      writeFileSync(BPF_STATS_SYSCTL, statsBefore);
    }
  }, 90_000);
});

function progs(): BpftoolProg[] {
  return JSON.parse(execFileSync('bpftool', ['prog', 'show', '--json']).toString()) as BpftoolProg[];
}

/** The id of the program named `name` once a link attaches it (the harness attaches after its bare phase). */
async function attachedProgram(name: string, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const prog = progs().find((p) => p.name === name);
    if (prog) {
      const links = JSON.parse(spawnSync('bpftool', ['link', 'show', '--json']).stdout.toString() || '[]') as { prog_id?: number }[];
      if (links.some((l) => l.prog_id === prog.id)) return prog.id;
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`${name} was not attached within ${timeoutMs} ms`);
}

/** run_time_ns / run_cnt and runs per second of program `id` while `fn` runs, statistics on. */
async function aroundWindow(id: number, fn: () => Promise<void>): Promise<{ costNs: number; rate: number }> {
  const previous = readFileSync(BPF_STATS_SYSCTL, 'utf8').trim();
  writeFileSync(BPF_STATS_SYSCTL, '1');
  try {
    const t0 = performance.now();
    const a = progs().find((p) => p.id === id)!;
    await fn();
    const b = progs().find((p) => p.id === id)!;
    const runs = b.run_cnt! - (a.run_cnt ?? 0);
    return { costNs: (b.run_time_ns! - (a.run_time_ns ?? 0)) / runs, rate: runs / ((performance.now() - t0) / 1e3) };
  } finally {
    writeFileSync(BPF_STATS_SYSCTL, previous);
  }
}
