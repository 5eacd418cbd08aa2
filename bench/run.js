/**
 * bpfsim's benchmark: `npm run bench` (builds, then runs this on the compiled code).
 *
 *   node bench/run.js [--json] [--quick]
 *
 * Prints a table of figures, ratios and targets (issue 7). With --json the last line is one
 * JSON object (engineEventsPerSec, lindleyRatio, simpyRatio, tracerPacketsPerSec,
 * sweepScaling, rssMB keyed by packet count, ...) to compare across commits. --quick runs
 * smaller sizes (and skips the 1e8-packet RSS run) for a fast look; its figures are noisier.
 *
 * Every timed figure is the fastest of a few runs: other load on the machine only ever slows
 * a run down. The load average is printed beside the table, since the sweep scaling in
 * particular means little on a machine whose cores are busy with something else.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MM1_RHO, best, mm1Scenario, runEngine, runLindley } from './mm1.js';
import { runSimPy } from './simpy.js';
import { runTracer, tracerModel } from './tracer.js';
import { runSweep } from './sweep.js';
import { runExplore } from './explore.js';

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const quick = args.has('--quick');
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

const SIZE = quick
  ? { mm1: 2e6, simpy: 1e5, tracer: 5e5, rss: [1e6, 1e7], sweep: { pageCnts: [8, 64], callbacks: ['simple', 'complex'], reps: 2, packets: 2e5 } }
  : {
      mm1: 1e7,
      simpy: 3e5,
      tracer: 2e6,
      rss: [1e6, 1e7, 1e8],
      // 10 page_cnt values x 4 consumer speeds, as in the issue; 2 replications of 250k packets.
      sweep: { pageCnts: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], callbacks: ['simple', 'medium', 'complex', '20us'], reps: 2, packets: 2.5e5 },
    };

const TARGET = {
  engineEventsPerSec: 20e6,
  simpyRatio: 50,
  lindleyRatio: 0.4,
  tracerPacketsPerSec: 2e6,
  rssMB: 150,
  sweepScaling: 1.8,
};

const load0 = loadavg()[0];

// ---- M/M/1: engine, Lindley bound, SimPy ---------------------------------------------------
log(`M/M/1, ${SIZE.mm1} customers, rho ${MM1_RHO}: bpfsim engine and Lindley recursion ...`);
const mm1 = mm1Scenario(SIZE.mm1);
runEngine(mm1Scenario(2e5)); // warm the JIT on a short run first
runLindley(mm1Scenario(2e5));
const engine = best(3, () => runEngine(mm1));
const lindley = best(3, () => runLindley(mm1));
const engineCps = engine.customers / engine.seconds;
const lindleyCps = lindley.customers / lindley.seconds;
const theorySojourn = 1000 / (1 - MM1_RHO);

log(`M/M/1 in SimPy 2, ${SIZE.simpy} customers ...`);
const simpy = runSimPy(SIZE.simpy, MM1_RHO, 2, log);
const simpyCps = simpy.skipped ? null : simpy.customers / simpy.seconds;

// ---- the tracer model -------------------------------------------------------------------------
log(`tracer model (models/default.yaml), ${SIZE.tracer} packets, traced run + baseline twin ...`);
const model = tracerModel(SIZE.tracer);
// V8 needs a couple of million packets to settle its optimised code (deopts and re-opts as
// new paths warm up): warm up first and report the steady state; the first run in a fresh
// process (cold) is the 1e6 RSS run below.
for (let i = 0; i < 2; i++) runTracer(tracerModel(SIZE.tracer / 2));
const tracer = best(5, () => runTracer(model));
const tracerPps = tracer.packets / tracer.seconds;

// ---- peak RSS, each size in a fresh process --------------------------------------------------
const rss = {};
for (const n of SIZE.rss) {
  log(`peak RSS at ${n} packets (child process) ...`);
  const child = fileURLToPath(new URL('./rss-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`rss-child ${n} failed: ${r.stderr}`);
  rss[n.toExponential().replace('+', '')] = JSON.parse(r.stdout.trim().split('\n').pop());
}
const rssValues = Object.values(rss).map((r) => r.maxRssMB);
const rssMax = Math.max(...rssValues);
const rssSpread = rssMax - Math.min(...rssValues);

// ---- sweep scaling ----------------------------------------------------------------------------
log(`sweep (bpfsim sweep): ${SIZE.sweep.pageCnts.length * SIZE.sweep.callbacks.length * SIZE.sweep.reps} runs of ${SIZE.sweep.packets} packets, --jobs 1 then --jobs 2 ...`);
const sweep1 = runSweep(SIZE.sweep, 1);
const sweep2 = runSweep(SIZE.sweep, 2);
const sweepScaling = sweep1.seconds / sweep2.seconds;
const sameFigures = sweep1.json === sweep2.json;
// ---- explore page: a re-run in the browser ---------------------------------------------------
log('explore page: default model at 0.2 s simulated, re-run in headless Chromium ...');
const explore = await runExplore(quick ? 3 : 5);
const load1 = loadavg()[0];

// ---- report -------------------------------------------------------------------------------------
const M = (x) => `${(x / 1e6).toFixed(2)} M`;
const k = (x) => `${(x / 1e3).toFixed(0)} k`;
const mark = (ok) => (ok ? 'met' : 'MISSED');
const rows = [
  ['M/M/1 engine (TracedRun, no probes)', `${M(engine.events / engine.seconds)} events/s`, `${M(engineCps)} customers/s (CPU time: ${M(engine.customers / engine.cpuSeconds)})`, `>= 20 M events/s: ${mark(engine.events / engine.seconds >= TARGET.engineEventsPerSec)}`],
  ['M/M/1 Lindley recursion (the bound)', `${M(lindleyCps)} customers/s`, `bpfsim/Lindley ${(engineCps / lindleyCps).toFixed(2)}`, `>= 0.40: ${mark(engineCps / lindleyCps >= TARGET.lindleyRatio)}`],
  simpy.skipped
    ? ['M/M/1 SimPy 2', `skipped: ${simpy.skipped}`, '', '']
    : ['M/M/1 SimPy 2.3.1', `${k(simpyCps)} customers/s`, `bpfsim/SimPy ${(engineCps / simpyCps).toFixed(0)}x`, `>= 50x: ${mark(engineCps / simpyCps >= TARGET.simpyRatio)}`],
  ['tracer model, traced + baseline twin (warm)', `${M(tracerPps)} packets/s`, `${tracer.packets} in ${tracer.seconds.toFixed(2)} s (CPU time: ${M(tracer.packets / tracer.cpuSeconds)}/s)`, `>= 2 M/s: ${mark(tracerPps >= TARGET.tracerPacketsPerSec)}`],
  ['tracer model, cold (first run in a process)', `${M(rss['1e6'].packets / rss['1e6'].seconds)} packets/s`, `${rss['1e6'].packets} packets in ${rss['1e6'].seconds.toFixed(2)} s`, ''],
  ...Object.entries(rss).map(([n, r]) => [`peak RSS, ${n} packets`, `${r.maxRssMB.toFixed(0)} MB`, `run ${r.seconds.toFixed(1)} s, ${M(r.packets / r.seconds)} packets/s`, `< 150 MB: ${mark(r.maxRssMB < TARGET.rssMB)}`]),
  ['peak RSS spread over sizes', `${rssSpread.toFixed(0)} MB`, 'flat is the goal', ''],
  ['sweep --jobs 1 (bpfsim sweep)', `${sweep1.seconds.toFixed(2)} s`, `${sweep1.runs} runs, ${M(sweep1.packets / sweep1.seconds)} packets/s`, ''],
  ['sweep --jobs 2', `${sweep2.seconds.toFixed(2)} s`, `scaling ${sweepScaling.toFixed(2)}x${sameFigures ? ', same figures' : ', FIGURES DIFFER'}`, `>= 1.8x: ${mark(sweepScaling >= TARGET.sweepScaling)}`],
  explore.skipped
    ? ['explore page re-run (0.2 s simulated)', `skipped: ${explore.skipped}`, '', '']
    : ['explore page re-run (0.2 s simulated)', `${explore.pageMs.toFixed(0)} ms`, `worker ${explore.simMs.toFixed(0)} ms; the same run in Node ${explore.nodeMs.toFixed(0)} ms (page/Node ${(explore.pageMs / explore.nodeMs).toFixed(2)})`, `< 500 ms: ${mark(explore.pageMs < 500)}`],
];
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(`bpfsim bench (${quick ? 'quick' : 'full'}): node ${process.version}, ${availableParallelism()} CPUs, load average ${load0.toFixed(2)} -> ${load1.toFixed(2)}`);
console.log(line(['figure', 'value', 'detail', 'target']));
for (const r of rows) console.log(line(r));
console.log(
  `check: M/M/1 mean sojourn ${(engine.meanSojourn / 1000).toFixed(3)} us (bpfsim), ${(lindley.meanSojourn / 1000).toFixed(3)} us (Lindley)` +
    `${simpy.skipped ? '' : `, ${simpy.meanSojourn.toFixed(3)} us (SimPy)`}; theory ${(theorySojourn / 1000).toFixed(3)} us`,
);

if (json) {
  console.log(
    JSON.stringify({
      quick,
      node: process.version,
      cpus: availableParallelism(),
      loadAverage: [load0, load1],
      engineEventsPerSec: engine.events / engine.seconds,
      engineCustomersPerSec: engineCps,
      lindleyCustomersPerSec: lindleyCps,
      lindleyRatio: engineCps / lindleyCps,
      simpyCustomersPerSec: simpyCps,
      simpyRatio: simpyCps === null ? null : engineCps / simpyCps,
      simpySkipped: simpy.skipped ?? null,
      tracerPacketsPerSec: tracerPps,
      tracerPacketsPerCpuSec: tracer.packets / tracer.cpuSeconds,
      engineCustomersPerCpuSec: engine.customers / engine.cpuSeconds,
      tracerColdPacketsPerSec: rss['1e6'].packets / rss['1e6'].seconds,
      exploreRerunMs: explore.skipped ? null : explore.pageMs,
      exploreRerunWorkerMs: explore.skipped ? null : explore.simMs,
      exploreRerunNodeMs: explore.skipped ? null : explore.nodeMs,
      rssMB: Object.fromEntries(Object.entries(rss).map(([n, r]) => [n, r.maxRssMB])),
      sweepSeconds: { jobs1: sweep1.seconds, jobs2: sweep2.seconds },
      sweepScaling,
    }),
  );
}
