/**
 * `bpfsim calibrate --validate`: a few real end-to-end runs (a syscall loop with a traced
 * program submitting into a ringbuf or a perf buffer, a libbpf consumer with a set per-event
 * cost), the same set-ups simulated with the measured profile, and the two side by side.
 * Nothing is fitted to these runs: the simulation sees only the profile and the set-up
 * (plus the run's own bare syscall cost, measured flat out, as the data path's service time).
 */
import { loadModel } from '../model/load.js';
import { runScenario } from '../simulation/simulate.js';
import type { Result } from '../result.js';
import type { ValidateRecord } from './records.js';

export interface Setup {
  name: string;
  buffer: 'ringbuf' | 'perf_buffer';
  mode: 'flat' | 'paced';
  /** Calls/s in the paced mode. */
  rate: number;
  /** Event payload, bytes. */
  size: number;
  rbBytes: number;
  pages: number;
  /** Consumer's per-event cost, ns (a busy spin in the callback). */
  costNs: number;
}

export function setups(quick: boolean): Setup[] {
  const rb = (name: string, mode: Setup['mode'], rbBytes: number, costNs: number, rate = 0): Setup =>
    ({ name, buffer: 'ringbuf', mode, rate, size: 64, rbBytes, pages: 8, costNs });
  const pb = (name: string, mode: Setup['mode'], pages: number, costNs: number, rate = 0): Setup =>
    ({ name, buffer: 'perf_buffer', mode, rate, size: 64, rbBytes: 65536, pages, costNs });
  const base = [
    rb('rb-64K-flat-fast', 'flat', 65536, 0),
    rb('rb-64K-flat-slow2us', 'flat', 65536, 2000),
    rb('rb-16K-flat-slow2us', 'flat', 16384, 2000),
    pb('pb-8p-flat-fast', 'flat', 8, 0),
    pb('pb-8p-flat-slow2us', 'flat', 8, 2000),
    pb('pb-2p-flat-slow2us', 'flat', 2, 2000),
    rb('rb-64K-paced20k-fast', 'paced', 65536, 0, 20000),
    pb('pb-8p-paced20k-fast', 'paced', 8, 0, 20000),
  ];
  if (quick) return base;
  return [
    ...base,
    rb('rb-256K-flat-slow2us', 'flat', 262144, 2000),
    pb('pb-64p-flat-slow2us', 'flat', 64, 2000),
    rb('rb-64K-paced50k-slow10us', 'paced', 65536, 10000, 50000),
    pb('pb-8p-paced50k-fast', 'paced', 8, 0, 50000),
  ];
}

export function loaderArgs(s: Setup, ms: number, attach: string): string[] {
  return ['validate', '--name', s.name, '--buffer', s.buffer, '--mode', s.mode, '--attach', attach,
    '--size', String(s.size), '--rb-bytes', String(s.rbBytes), '--pages', String(s.pages),
    '--cost', String(s.costNs), '--rate', String(s.rate || 1), '--ms', String(ms)];
}

/** "6.18.44-fc-v669" -> "6.18". */
export function kernelVersion(release: string): string {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? `${m[1]}.${m[2]}` : release;
}

/** The model of one measured run: one data-path CPU (the loop's), a dedicated consumer CPU. */
export function modelFor(r: ValidateRecord, kernel: string): string {
  const s = r.setup;
  const service = Math.max(1, r.serviceNs);
  const traffic = s.mode === 'flat'
    ? `  arrival: saturate\n`
    : `  arrival: constant\n  rate: ${s.rate}\n`;
  const output = s.buffer === 'ringbuf'
    ? `  type: ringbuf\n  size: ${s.rbBytes}\n  notify: adaptive\n`
    : `  type: perf_buffer\n  pageCnt: ${s.pages}\n  wakeupEvents: 1\n`;
  return `name: "validate ${r.name}"
kernel: "${kernel}"
cpus: 1
seed: 1
traffic:
${traffic}  duration: ${s.ms}ms
  warmup: ${Math.max(1, Math.round(s.ms / 10))}ms
datapath:
  service: ${service.toFixed(1)}ns
  rxQueue: 100000
probes:
  - name: getpgid
    attach: ${s.attach}
    program:
      - helper: get_current_pid_tgid
      - map: { type: percpu_array, op: lookup }
      - helper: ktime_get_ns
      - submit: { bytes: ${s.size} }
output:
${output}consumer:
  runtime: libbpf
  callback: ${s.costNs}ns
  cpu: dedicated
  pollTimeout: 100ms
  logBytes: 0
# The real consumer's callback counts and spins for costNs: it decodes and logs nothing.
costs:
  consumer.libbpf.decode: 0ns
  consumer.libbpf.log: 0ns
`;
}

export interface Metric {
  name: string;
  unit: string;
  measured: number;
  predicted: number;
}

export interface Comparison {
  setup: string;
  metrics: Metric[];
}

/** The four quantities the issue asks for, measured and predicted. */
export function compare(r: ValidateRecord, res: Result): Comparison {
  const seconds = r.setup.ms / 1000;
  const simSeconds = (res.meta.simulatedNs - 0) / 1e9;
  const measuredWindow = r.traced.ns / 1e9;
  return {
    setup: r.name,
    metrics: [
      { name: 'call rate', unit: '/s', measured: r.traced.rate, predicted: res.throughput.traced.deliveredPps },
      {
        name: 'latency added',
        unit: 'ns',
        measured: r.traced.latencyNs - r.baseline.latencyNs,
        predicted: (res.latency.traced.mean ?? NaN) - (res.latency.baseline.mean ?? NaN),
      },
      {
        name: 'events lost',
        unit: '%',
        measured: r.events.hits > 0 ? (100 * r.events.failed) / r.events.hits : 0,
        predicted: res.events.lostPct,
      },
      {
        name: 'wake-ups',
        unit: '/s',
        measured: r.consumer.voluntarySwitches / Math.max(measuredWindow, seconds),
        predicted: res.events.wakeups.consumerWakes / (simSeconds > 0 ? simSeconds : seconds),
      },
    ],
  };
}

export function simulate(r: ValidateRecord, profile: string, kernel: string): Result {
  const loaded = loadModel({ text: modelFor(r, kernel), file: `<validate ${r.name}>`, catalog: profile, force: true });
  return runScenario(loaded.scenario, loaded.catalog);
}

/** predicted / measured; undefined when both are ~0 (agreement on nothing). */
export function ratio(m: Metric): number | undefined {
  const eps = m.unit === '%' ? 0.05 : 1e-9;
  if (Math.abs(m.measured) < eps && Math.abs(m.predicted) < eps) return undefined;
  if (Math.abs(m.measured) < eps) return Infinity;
  return m.predicted / m.measured;
}

function fmt(v: number, unit: string): string {
  if (!Number.isFinite(v)) return String(v);
  if (unit === '%') return `${v.toFixed(1)}%`;
  const a = Math.abs(v);
  const s = a >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : a >= 1e4 ? `${(v / 1e3).toFixed(1)}k` : a >= 100 ? v.toFixed(0) : v.toFixed(1);
  return unit === 'ns' ? `${s} ns` : `${s}${unit}`;
}

function fmtRatio(x: number | undefined): string {
  if (x === undefined) return '—';
  if (!Number.isFinite(x)) return '∞';
  return `${x.toFixed(2)}x`;
}

/** The side-by-side table and the largest disagreements. */
export function formatComparisons(cs: Comparison[], top = 5): string[] {
  const rows: string[][] = [['set-up', 'metric', 'measured', 'predicted', 'ratio']];
  for (const c of cs) {
    for (const m of c.metrics) rows.push([c.setup, m.name, fmt(m.measured, m.unit), fmt(m.predicted, m.unit), fmtRatio(ratio(m))]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const worst = cs
    .flatMap((c) => c.metrics.map((m) => ({ c, m, r: ratio(m) })))
    .filter((x) => x.r !== undefined)
    .map((x) => ({ ...x, off: x.r === Infinity || x.r! <= 0 ? Infinity : Math.abs(Math.log(x.r!)) }))
    .sort((a, b) => b.off - a.off)
    .slice(0, top);
  lines.push('', 'largest disagreements (predicted / measured):');
  for (const w of worst) {
    lines.push(`  ${w.c.setup} ${w.m.name}: measured ${fmt(w.m.measured, w.m.unit)}, predicted ${fmt(w.m.predicted, w.m.unit)} (${fmtRatio(w.r)})`);
  }
  return lines;
}
