/**
 * The validation grid's comparison, run on real runs recorded on a 2-vCPU Firecracker VM
 * (test/fixtures/validate-grid/): deterministic, no eBPF. It proves the tolerance check bites:
 * cells that a catalog meets stop meeting it when the wake-up costs are broken 100x.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogForHost, loadCatalog } from '../src/model/catalog.js';
import { distMean } from '../src/distributions/moments.js';
import { GRID, cellArgs, gridCells } from '../src/calibrate/grid.js';
import { compareFigure, compareGrid, estimate, outsideTolerance, parseTolerance, ppFactor, verdictOf, FIGURES, type GridComparison } from '../src/calibrate/grid-compare.js';
import { gridCsv, CSV_COLUMNS, figureChart } from '../src/report/validation-grid.js';
import { kernelVersion, loadCellModel } from '../src/calibrate/grid-model.js';
import { readRuns, validateGrid } from '../src/calibrate/validate-grid.js';
import { busyReason } from '../src/calibrate/quiet.js';
import { detectHostClass } from '../src/calibrate/host-class.js';
import type { ValidateRecord } from '../src/calibrate/records.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'validate-grid', 'runs.jsonl');
const runs = readRuns(FIXTURE);
const records = runs.records;
const kernel = kernelVersion(records[0]?.host?.kernel ?? '');

describe('the grid', () => {
  it('has 36 cells with distinct names, and a quick subset that touches every mechanism', () => {
    expect(GRID).toHaveLength(36);
    expect(new Set(GRID.map((c) => c.name)).size).toBe(36);
    const quick = gridCells(true);
    expect(quick.length).toBeGreaterThanOrEqual(12);
    expect(quick.length).toBeLessThan(24);
    const has = (p: (c: (typeof quick)[number]) => boolean): boolean => quick.some(p);
    expect(has((c) => c.buffer === 'perf_buffer' && c.wakeupEvents > 1)).toBe(true);
    expect(has((c) => c.notify === 'force')).toBe(true);
    expect(has((c) => c.notify === 'nowake' && c.loop === 'consume-sleep')).toBe(true);
    expect(has((c) => c.place === 'same')).toBe(true);
    expect(has((c) => c.place === 'loaded')).toBe(true);
    expect(has((c) => c.mode === 'paced')).toBe(true);
    expect(has((c) => c.reader === 'python' && c.buffer === 'perf_buffer')).toBe(true);
    expect(has((c) => c.reader === 'python' && c.buffer === 'ringbuf')).toBe(true);
    expect(has((c) => c.size === 512)).toBe(true);
    expect(has((c) => c.costNs === 10000)).toBe(true);
  });
  it('passes every factor of a cell to the harness', () => {
    const c = GRID.find((x) => x.notify === 'nowake')!;
    const a = cellArgs(c, 300, 'tracepoint');
    const at = (k: string): string => a[a.indexOf(k) + 1];
    expect(at('--notify')).toBe('nowake');
    expect(at('--loop')).toBe('consume-sleep');
    expect(at('--rb-bytes')).toBe(String(c.rbBytes));
    expect(at('--ms')).toBe('300');
  });
});

describe('the recorded fixture', () => {
  it('holds three real runs of every grid cell, each with the figures and the quietness', () => {
    expect(runs.problems).toEqual([]);
    for (const cell of GRID) {
      const mine = records.filter((r) => r.name === cell.name);
      expect(mine.length, cell.name).toBe(3);
      for (const r of mine) {
        expect(r.setup.reader).toBe(cell.reader);
        expect(r.latency!.n).toBeGreaterThan(0);
        expect(r.consumer.pollsWithData).toBeDefined();
        expect(r.host!.before.samples).toBeGreaterThan(0);
        expect(r.host!.kernel).toMatch(/^\d+\.\d+/);
      }
    }
  });
  it('records Python pauses for the Python cells only', () => {
    for (const r of records) expect(r.pauses !== undefined, r.name).toBe(r.setup.reader === 'python');
  });
});

describe('comparison arithmetic', () => {
  it('gives the mean and the Student-t 95% half-width', () => {
    const e = estimate([1, 2, 3]);
    expect(e.mean).toBe(2);
    expect(e.ci).toBeCloseTo((4.303 * 1) / Math.sqrt(3), 3);
    expect(estimate([5]).ci).toBe(0);
  });
  it('scores a ratio both ways, and loss also by percentage points', () => {
    const rate = FIGURES.find((f) => f.key === 'callRate')!;
    expect(compareFigure(rate, estimate([100]), estimate([80])).factor).toBeCloseTo(1.25);
    expect(compareFigure(rate, estimate([100]), estimate([125])).verdict).toBe('within 25%');
    expect(compareFigure(rate, estimate([100]), estimate([300])).verdict).toBe('off');
    const loss = FIGURES.find((f) => f.key === 'lossPct')!;
    // 2% against 4%: 2 pp apart, not "2x off"
    expect(compareFigure(loss, estimate([2]), estimate([4])).verdict).toBe('within 25%');
    expect(compareFigure(loss, estimate([0]), estimate([30])).verdict).toBe('off');
    expect(ppFactor(5)).toBeCloseTo(1.25);
    expect(ppFactor(10)).toBeCloseTo(2);
    expect(verdictOf(1.25)).toBe('within 25%');
    expect(verdictOf(2)).toBe('within 2x');
    expect(verdictOf(2.01)).toBe('off');
  });
  it('reads tolerances as factors', () => {
    expect(parseTolerance('25%')).toBeCloseTo(1.25);
    expect(parseTolerance('2x')).toBe(2);
    expect(parseTolerance('1.5')).toBe(1.5);
    expect(parseTolerance('fast')).toBeUndefined();
    expect(parseTolerance('0.5x')).toBeUndefined();
  });
  it('marks a run whose host was busy, and says why', () => {
    const quiet = { idleShare: 1, otherBusyShare: 0, otherRunnable: 0, samples: 10 };
    const r = { host: { kernel: '6.18', date: '', before: quiet, during: { ...quiet, otherBusyShare: 0.4 } } } as ValidateRecord;
    expect(busyReason(r)).toMatch(/other tasks used 40% of the CPUs during/);
    expect(busyReason({ host: { kernel: '6.18', date: '', before: quiet, during: quiet } } as ValidateRecord)).toBeUndefined();
  });
  it('detects a virtual machine by the CPU flag or the DMI vendor', () => {
    const files = (m: Record<string, string>) => (p: string) => m[p];
    expect(detectHostClass(files({ '/proc/cpuinfo': 'flags\t\t: fpu vme hypervisor lahf_lm\n' })).host).toBe('vm');
    expect(detectHostClass(files({ '/proc/cpuinfo': 'flags : fpu', '/sys/class/dmi/id/sys_vendor': 'QEMU' })).host).toBe('vm');
    expect(detectHostClass(files({ '/proc/cpuinfo': 'flags : fpu vme', '/sys/class/dmi/id/sys_vendor': 'Dell Inc.' })).host).toBe('bare-metal');
  });
});

describe('cell models', () => {
  it('describe each recorded run as a model the loader accepts, with the reader it had', () => {
    for (const r of records.filter((_, i) => i % 3 === 0)) {
      const { loaded } = loadCellModel(r, { kernel, catalog: 'default' }, 1);
      const s = loaded.scenario;
      expect(s.consumer.runtime).toBe(r.setup.reader === 'python' ? 'bcc-python' : 'libbpf');
      expect(s.consumer.perEvent.callback).toEqual({ kind: 'const', value: r.setup.costNs });
      expect(s.consumer.perEvent.log).toEqual({ kind: 'const', value: 0 });
      expect(s.consumer.cpu).toBe(r.setup.place === 'same' ? 'shared' : 'dedicated');
      expect(s.output.type).toBe(r.setup.buffer);
      expect(s.datapath.service).toEqual({ kind: 'const', value: Number(Math.max(1, r.serviceNs).toFixed(1)) });
    }
  });
});

/** Every wake-up cost of the default catalog on a vm, 100 times its mean. */
function brokenWakeups(): Record<string, string> {
  const w = catalogForHost(loadCatalog('default'), 'vm').wakeup;
  const out: Record<string, string> = {};
  for (const buf of ['perf_buffer', 'ringbuf'] as const) {
    for (const k of ['producer', 'producerNoWaiter', 'latency'] as const) out[`wakeup.${buf}.${k}`] = `${(100 * distMean(w[buf][k])).toFixed(0)}ns`;
  }
  return out;
}

describe('the tolerance check bites', () => {
  // the fixture was recorded on a VM: simulate that host class
  const opts = { kernel, catalog: 'default', maxMs: 100, host: 'vm' as const };
  const good = compareGrid(records, opts);
  const broken = compareGrid(records, { ...opts, costs: brokenWakeups() });

  it('is deterministic: the same runs and catalog give the same comparison', () => {
    expect(JSON.stringify(compareGrid(records.slice(0, 9), opts))).toBe(JSON.stringify(compareGrid(records.slice(0, 9), opts)));
  }, 60_000);
  it('cells within 2x with the catalog fall outside when wake-ups cost 100x', () => {
    const within = good.cells.filter((c) => c.verdict !== 'off').map((c) => c.name);
    expect(within.length).toBeGreaterThanOrEqual(3);
    const after = broken.cells.filter((c) => within.includes(c.name));
    const fell = after.filter((c) => c.factor > 2);
    // every cell that wakes its reader per event or per batch is hit; only cells that never
    // wake (consume-sleep with NO_WAKEUP) may survive
    expect(fell.length).toBeGreaterThanOrEqual(Math.ceil(within.length / 2));
    expect(outsideTolerance(broken, 2, true).length).toBeGreaterThan(outsideTolerance(good, 2, true).length);
  });
  it('fails the exit code on recorded runs, through the command', async () => {
    // busy cells included (--allow-busy): the check is about the comparison, not the host
    const within = good.cells.filter((c) => c.verdict !== 'off').map((c) => c.name);
    const dir = mkdtempSync(join(tmpdir(), 'bpfsim-grid-'));
    const catalog = join(dir, 'broken.yaml');
    const lines = ['extends: default', 'description: "wake-ups 100x, to prove the tolerance check fails"'];
    const byPath = new Map<string, Record<string, string>>();
    for (const [path, v] of Object.entries(brokenWakeups())) {
      const [, buf, k] = path.split('.');
      byPath.set(buf, { ...(byPath.get(buf) ?? {}), [k]: v });
    }
    // the default profile's vm entries replace its wake-up costs on a vm: break both
    const wakeupSection = (indent: string): void => {
      lines.push(`${indent}wakeup:`);
      for (const [buf, entries] of byPath) {
        lines.push(`${indent}  ${buf}:`);
        for (const [k, v] of Object.entries(entries)) lines.push(`${indent}    ${k}: { value: ${v}, source: "test: 100x the default" }`);
      }
    };
    wakeupSection('');
    lines.push('hosts:', '  vm:');
    wakeupSection('    ');
    writeFileSync(catalog, `${lines.join('\n')}\n`);
    const log: string[] = [];
    const ok = await validateGrid({ from: FIXTURE, catalog: 'default', host: 'vm', cells: within, tolerance: '2x', allowBusy: true, simMs: 100, log: (l) => log.push(l) });
    expect(ok, log.slice(-3).join('\n')).toBe(0);
    const writeOutputs = async (g: GridComparison): Promise<string[]> => {
      writeFileSync(join(dir, 'g.csv'), gridCsv(g));
      return ['csv written'];
    };
    const bad = await validateGrid({ from: FIXTURE, catalog, host: 'vm', cells: within, tolerance: '2x', allowBusy: true, simMs: 100, writeOutputs, log: (l) => log.push(l) });
    expect(bad).toBe(1);
    expect(log.some((l) => /^FAIL: \d+ cell\(s\) outside the tolerance 2x/.test(l))).toBe(true);
    const csv = readFileSync(join(dir, 'g.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe(CSV_COLUMNS.join(','));
  }, 120_000);
  it('draws one point per cell against the y = x line and the bands', () => {
    const spec = figureChart(good, 'callRate') as { layer: { data: { values: unknown[] } }[] };
    expect(spec.layer).toHaveLength(4);
    expect(spec.layer[3].data.values).toHaveLength(good.cells.length);
    expect(gridCsv(good).split('\n').length).toBeGreaterThan(good.cells.length);
  });
});
