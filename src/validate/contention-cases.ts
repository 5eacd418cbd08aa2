/**
 * Ringbuf producer contention against the kernel benchmark's multi-producer curve
 * (tools/testing/selftests/bpf/benchs/bench_ringbufs.c, rb-libbpf on a Xeon E5-2680 v4, posted
 * with the ringbuf series, lore.kernel.org 20200529075424.3139988-5-andriin@fb.com: one shared
 * ringbuf, N CPUs producing flat out): 1 -> 10.9, 2 -> 4.93, 4 -> 3.93, 16 -> 2.60, 52 -> 2.07 M
 * records/s in total.
 *
 * One producer never waits for the reserve lock: a record costs its own work plus the lock's
 * hold time. From two producers on, the lock serialises every record and each reservation
 * pays a cache-line hand-off, which grows as more CPUs spin on the line. The case states its
 * costs: c_1 = 1/10.916 M/s split into work outside the lock and the hold; hold + handoff =
 * 230 ns and 56 ns per doubling of the CPUs on the lock (the default catalog's fit to the same
 * curve). One deterministic run per N (constant costs), held, like the wake-up sweeps, to three
 * times the benchmark's own rms scatter about its best curve of the model's shape,
 * T(N) = a + b log2(N/2).
 */
import type { Scenario } from '../model/scenario.js';
import { TracedRun } from '../datapath/traced.js';
import { deterministicRow, type Profile, type ValidationCase, type ValidationRow } from './case.js';
import { constant, consumer, probe, queueScenario, ringbufOutput, submit } from './scenarios.js';
import { fitLine } from './queueing.js';

/** bench_ringbufs, Xeon E5-2680 v4, rb-libbpf, total M records/s by producing CPUs. */
export const RB_MULTI_PRODUCER: ReadonlyArray<{ n: number; mPerSec: number }> = [
  { n: 1, mPerSec: 10.916 },
  { n: 2, mPerSec: 4.931 },
  { n: 4, mPerSec: 3.926 },
  { n: 16, mPerSec: 2.604 },
  { n: 52, mPerSec: 2.074 },
];

/** Every point of the published curve from 2 producers on, for the scatter. */
const XEON_CURVE: ReadonlyArray<[number, number]> = [
  [2, 4.931], [3, 4.88], [4, 3.926], [8, 4.011], [12, 3.967], [16, 2.604], [20, 2.233], [24, 2.085],
  [28, 2.055], [32, 1.962], [36, 2.089], [40, 2.118], [44, 2.105], [48, 2.12], [52, 2.074],
];

const HOLD = 15;
// the lock adds PER_DOUBLING x log2(1 + other CPUs on it) to a hand-off: 159 + 56 = 215 at two
const HANDOFF = 159;
const PER_DOUBLING = 56;
const ONE_PRODUCER_NS = 1e3 / 10.916;
const PAYLOAD = 8;
const WARMUP = 2e5;
const WINDOW = 4e6;

export function contentionScenario(n: number, perDoubling = PER_DOUBLING): Scenario {
  return queueScenario({
    seed: 1,
    cpus: n,
    service: constant(ONE_PRODUCER_NS - HOLD),
    traffic: { arrival: 'saturate', rate: 0, duration: WARMUP + WINDOW, warmup: WARMUP },
    // the hold is the reservation's own critical section: part of the submit's cost
    probes: [probe([submit(PAYLOAD, constant(HOLD))])],
    output: ringbufOutput({
      size: 512 * 1024,
      notify: 'none',
      lock: { hold: constant(HOLD), handoff: constant(HANDOFF), perDoubling: constant(perDoubling) },
    }),
    // a reader on its own CPU that keeps up (the benchmark counts records produced and consumed)
    consumer: consumer(constant(10), { reader: 'ringbuf', pollTimeout: 2e4 }),
  });
}

/** The benchmark's relative rms scatter about its least-squares T(N) = a + b log2(N/2). */
export function contentionScatter(): number {
  const x = XEON_CURVE.map(([n]) => Math.log2(n / 2));
  const t = XEON_CURVE.map(([, m]) => 1e3 / m);
  const fit = fitLine(x, t);
  const sq = t.reduce((s, ti, i) => s + ((fit.a + fit.b * x[i] - ti) / ti) ** 2, 0);
  return Math.sqrt(sq / (t.length - 2));
}

/** One run: total records/s over the window after warm-up, and the events it lost. */
function runContention(s: Scenario): { rate: number; lost: number } {
  const run = new TracedRun(s);
  run.run();
  return { rate: (run.counters.delivered / WINDOW) * 1e9, lost: run.counters.lostTotal };
}

/** Total records/s of one run (the window after warm-up). */
export function contentionRate(s: Scenario): number {
  return runContention(s).rate;
}

export function contentionCase(): ValidationCase {
  const c = { id: 'ringbuf-contention', title: 'ringbuf reserve-lock contention, 1 to 52 producers vs bench_ringbufs rb-libbpf (Xeon)' };
  return {
    ...c,
    packets: () => RB_MULTI_PRODUCER.reduce((s, p) => s + p.mPerSec * 1e6 * ((WARMUP + WINDOW) / 1e9), 0),
    run(_profile: Profile) {
      const scatter = contentionScatter();
      const rows: ValidationRow[] = [];
      const rates: number[] = [];
      for (const p of RB_MULTI_PRODUCER) {
        const { rate, lost } = runContention(contentionScenario(p.n));
        if (lost > 0) throw new Error(`validation case invalid: ${c.id} lost ${lost} events at N=${p.n}`);
        rates.push(rate);
        const bench = p.mPerSec * 1e6;
        rows.push(deterministicRow(
          c,
          { quantity: `records/s, ${p.n} producer${p.n > 1 ? 's' : ''} vs bench`, unit: 'per-second' },
          bench,
          rate,
          p.n === 1 ? 2e9 / WINDOW : 3 * scatter * bench,
          p.n === 1
            ? 'one producer never waits: 1/(work + hold), within a record at each window edge'
            : `within 3x the benchmark's rms scatter (${(scatter * 100).toFixed(1)}%) about its own best T(N) = a + b log2(N/2)`,
        ));
      }
      let falls = 0;
      for (let i = 1; i < rates.length; i++) if (rates[i] < rates[i - 1]) falls++;
      rows.push(deterministicRow(c, { quantity: `steps where throughput falls (of ${rates.length - 1})`, unit: 'integer' }, rates.length - 1, falls, 0, 'every added producer contends more'));
      return rows;
    },
  };
}
