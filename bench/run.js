/**
 * bpfsim's benchmark: `npm run bench` (builds, then runs this on the compiled code).
 *
 *   node bench/run.js [--json] [--quick]
 *
 * Prints a table of figures, ratios and targets. With --json the last line is one JSON object
 * (heapEventsPerSec, startupMs, cliVsSimpy, tracerPacketsPerSec, tracerVsFloor, sweepScaling,
 * rssMB, and the figures behind them) to compare across commits. --quick runs smaller sizes
 * (no 1e8-packet run) for a fast look; its figures are noisier.
 *
 * In-process figures are the fastest of a few runs: other load on the machine only ever slows a
 * run down. Whole-process figures (start-up, `bpfsim run` vs SimPy, sweep, RSS) time a process
 * from spawn to exit and read its CPU time (all threads) and peak RSS at exit. The load
 * average is printed beside the table: wall-time ratios mean little on a busy machine, CPU-time
 * ratios less so.
 */
import { availableParallelism, loadavg } from 'node:os';
import { MM1_RHO, best, mm1Scenario, runEngine, runLindley } from './mm1.js';
import { runHeapMM1, runHold } from './heap.js';
import { runSimPyProcess } from './simpy.js';
import { runTracer, tracerModel } from './tracer.js';
import { runFloor } from './floor.js';
import { runSweep } from './sweep.js';
import { cliMM1, cliRss, startupMs } from './cli.js';
import { runExplore } from './explore.js';

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const quick = args.has('--quick');
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

const SIZE = quick
  ? {
      hold: 2e6, heapMM1: 5e5, mm1: 2e6, cliMM1: 2e5, tracer: 5e5,
      rss: [[1e6, 4], [1e6, 1024]],
      sweep: { pageCnts: [8, 64], callbacks: ['simple', 'complex'], reps: 2, packets: 2e5 },
    }
  : {
      hold: 2e7, heapMM1: 5e6, mm1: 1e7, cliMM1: 1e6, tracer: 2e6,
      rss: [[1e6, 4], [1e7, 4], [1e8, 4], [1e6, 1024], [1e7, 1024]],
      // 10 page_cnt values x 4 consumer speeds; 2 replications of 250k packets.
      sweep: { pageCnts: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], callbacks: ['simple', 'medium', 'complex', '20us'], reps: 2, packets: 2.5e5 },
    };

const TARGET = {
  heapEventsPerSec: 2e7,
  startupMs: 300,
  cliVsSimpy: 30,
  tracerVsFloor: 0.5,
  sweepScaling: 1.7,
  rssMB: 150,
};

const load0 = loadavg()[0];

// ---- the event heap ---------------------------------------------------------------------------
log(`event heap: hold model (${SIZE.hold} events, 1000 pending), M/M/1 with every arrival and departure an event (${SIZE.heapMM1} customers) ...`);
runHold(SIZE.hold / 10);
runHeapMM1(SIZE.heapMM1 / 10);
const hold = best(3, () => runHold(SIZE.hold));
const heapMM1 = best(3, () => runHeapMM1(SIZE.heapMM1, MM1_RHO));
const holdEps = hold.events / hold.seconds;
const heapMM1Eps = heapMM1.events / heapMM1.seconds;
const heapEventsPerSec = Math.min(holdEps, heapMM1Eps);

// ---- M/M/1 on the no-probe path, and the bare Lindley recursion --------------------------------
log(`M/M/1, ${SIZE.mm1} customers: TracedRun with no probes (its Lindley path) and the bare recursion ...`);
const mm1 = mm1Scenario(SIZE.mm1);
runEngine(mm1Scenario(2e5));
runLindley(mm1Scenario(2e5));
const noProbe = best(3, () => runEngine(mm1));
const lindley = best(3, () => runLindley(mm1));
const noProbeCps = noProbe.customers / noProbe.seconds;
const lindleyCps = lindley.customers / lindley.seconds;
const theorySojourn = 1000 / (1 - MM1_RHO);

// ---- whole processes: start-up, bpfsim run vs SimPy 2 --------------------------------------------
log('start-up: bpfsim run --help, fastest of 7 ...');
const startup = startupMs(7);
log(`M/M/1 as whole processes, ${SIZE.cliMM1} customers: bpfsim run (fastest of 3), SimPy 2 (fastest of ${quick ? 2 : 1}) ...`);
const cli = cliMM1(SIZE.cliMM1, MM1_RHO, 3);
const simpy = runSimPyProcess(SIZE.cliMM1, MM1_RHO, quick ? 2 : 1, log);
const perCustomer = (r) => r.cpuSeconds / r.customers;
const cliVsSimpy = simpy.skipped ? null : perCustomer(simpy) / perCustomer(cli);
const cliVsSimpyWall = simpy.skipped ? null : simpy.seconds / simpy.customers / (cli.seconds / cli.customers);

// ---- the tracer model and its floor ---------------------------------------------------------------
log(`tracer model (models/default.yaml), ${SIZE.tracer} packets: traced run + baseline twin, and its floor (draws + Lindley) ...`);
const model = tracerModel(SIZE.tracer);
// V8 needs a couple of million packets to settle its optimised code: warm up, report the steady state.
for (let i = 0; i < 2; i++) runTracer(tracerModel(SIZE.tracer / 2));
runFloor(tracerModel(SIZE.tracer / 2));
const tracer = best(5, () => runTracer(model));
const floor = best(5, () => runFloor(model));
const tracerPps = tracer.packets / tracer.seconds;
const floorPps = floor.packets / floor.seconds;
// Per CPU-second: both run in this process, so time spent waiting for a core (other jobs) drops out.
const tracerVsFloor = tracer.packets / tracer.cpuSeconds / (floor.packets / floor.cpuSeconds);
const tracerVsFloorWall = tracerPps / floorPps;

// ---- peak RSS through the CLI ------------------------------------------------------------------------
const rss = [];
for (const [packets, cpus] of SIZE.rss) {
  log(`peak RSS: bpfsim run, ${packets} packets over ${cpus} CPUs ...`);
  rss.push(cliRss(packets, cpus));
}
const rssMB = Math.max(...rss.map((r) => r.maxRssMB));

// ---- sweep scaling -------------------------------------------------------------------------------------
log(`sweep (bpfsim sweep): ${SIZE.sweep.pageCnts.length * SIZE.sweep.callbacks.length * SIZE.sweep.reps} runs of ${SIZE.sweep.packets} packets, --jobs 1 then --jobs 2 ...`);
const sweep1 = runSweep(SIZE.sweep, 1);
const sweep2 = runSweep(SIZE.sweep, 2);
const sweepScaling = sweep1.seconds / sweep2.seconds;
const sweepCpuRatio = sweep2.cpuSeconds / sweep1.cpuSeconds;
const sameFigures = sweep1.json === sweep2.json;
// ---- explore page: a re-run in the browser -----------------------------------------------------------
log('explore page: default model at 0.2 s simulated, re-run in headless Chromium ...');
const explore = await runExplore(quick ? 3 : 5);
const load1 = loadavg()[0];

// ---- report -------------------------------------------------------------------------------------------
const M = (x) => `${(x / 1e6).toFixed(2)} M`;
const mark = (ok) => (ok ? 'met' : 'MISSED');
const rows = [
  ['event heap, hold model (1000 pending)', `${M(holdEps)} events/s`, `${hold.events} pops + pushes, CPU time: ${M(hold.events / hold.cpuSeconds)}/s`, ''],
  ['event heap, M/M/1 (arrivals, departures)', `${M(heapMM1Eps)} events/s`, `${heapMM1.customers} customers, CPU time: ${M(heapMM1.events / heapMM1.cpuSeconds)}/s`, `slower of the two >= 20 M/s: ${mark(heapEventsPerSec >= TARGET.heapEventsPerSec)}`],
  ['M/M/1 no-probe path (TracedRun, Lindley)', `${M(noProbeCps)} customers/s`, `CPU time: ${M(noProbe.customers / noProbe.cpuSeconds)}/s`, ''],
  ['M/M/1 bare Lindley recursion', `${M(lindleyCps)} customers/s`, `no-probe path / bare ${(noProbeCps / lindleyCps).toFixed(2)}`, ''],
  ['start-up, bpfsim run --help', `${startup.toFixed(0)} ms`, 'whole process, wall', `<= 300 ms: ${mark(startup <= TARGET.startupMs)}`],
  ['bpfsim run, M/M/1 (whole process)', `${cli.seconds.toFixed(2)} s`, `${cli.customers} customers, CPU ${cli.cpuSeconds.toFixed(2)} s`, ''],
  simpy.skipped
    ? ['SimPy 2 M/M/1 (whole process)', `skipped: ${simpy.skipped}`, '', '']
    : ['SimPy 2.3.1 M/M/1 (whole process)', `${simpy.seconds.toFixed(2)} s`, `${simpy.customers} customers, CPU ${simpy.cpuSeconds.toFixed(2)} s`, ''],
  ['bpfsim run vs SimPy, CPU per customer', cliVsSimpy === null ? 'n/a' : `${cliVsSimpy.toFixed(0)}x`, cliVsSimpyWall === null ? '' : `wall: ${cliVsSimpyWall.toFixed(0)}x`, cliVsSimpy === null ? '' : `>= 30x: ${mark(cliVsSimpy >= TARGET.cliVsSimpy)}`],
  ['tracer model, traced + twin (warm)', `${M(tracerPps)} packets/s`, `CPU time: ${M(tracer.packets / tracer.cpuSeconds)}/s`, ''],
  ['tracer floor (its draws + Lindley)', `${M(floorPps)} packets/s`, `CPU time: ${M(floor.packets / floor.cpuSeconds)}/s; tracer / floor ${tracerVsFloor.toFixed(2)} (CPU), ${tracerVsFloorWall.toFixed(2)} (wall)`, `>= 0.5: ${mark(tracerVsFloor >= TARGET.tracerVsFloor)}`],
  ...rss.map((r) => [`peak RSS, bpfsim run, ${r.packets.toExponential().replace('+', '')} packets, ${r.cpus} CPUs`, `${r.maxRssMB.toFixed(0)} MB`, `${r.seconds.toFixed(1)} s`, `< 150 MB: ${mark(r.maxRssMB < TARGET.rssMB)}`]),
  ['sweep --jobs 1 (bpfsim sweep)', `${sweep1.seconds.toFixed(2)} s`, `${sweep1.runs} runs, CPU ${sweep1.cpuSeconds.toFixed(2)} s`, ''],
  ['sweep --jobs 2', `${sweep2.seconds.toFixed(2)} s`, `CPU ${sweep2.cpuSeconds.toFixed(2)} s (x${sweepCpuRatio.toFixed(2)} of one job)${sameFigures ? ', same figures' : ', FIGURES DIFFER'}`, `scaling ${sweepScaling.toFixed(2)}x, >= 1.7x: ${mark(sweepScaling >= TARGET.sweepScaling)}`],
  explore.skipped
    ? ['explore page re-run (0.2 s simulated)', `skipped: ${explore.skipped}`, '', '']
    : ['explore page re-run (0.2 s simulated)', `${explore.pageMs.toFixed(0)} ms`, `worker ${explore.simMs.toFixed(0)} ms; the same run in Node ${explore.nodeMs.toFixed(0)} ms`, `< 500 ms: ${mark(explore.pageMs < 500)}`],
];
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
console.log(`bpfsim bench (${quick ? 'quick' : 'full'}): node ${process.version}, ${availableParallelism()} CPUs, load average ${load0.toFixed(2)} -> ${load1.toFixed(2)}`);
console.log(line(['figure', 'value', 'detail', 'target']));
for (const r of rows) console.log(line(r));
console.log(
  `check: M/M/1 mean sojourn ${(noProbe.meanSojourn / 1000).toFixed(3)} us (no-probe path), ${(lindley.meanSojourn / 1000).toFixed(3)} us (Lindley), ` +
    `${(heapMM1.meanSojourn / 1000).toFixed(3)} us (heap M/M/1), ${(cli.meanSojournNs / 1000).toFixed(3)} us (bpfsim run)` +
    `${simpy.skipped ? '' : `, ${simpy.meanSojourn.toFixed(3)} us (SimPy)`}; theory ${(theorySojourn / 1000).toFixed(3)} us`,
);

if (json) {
  console.log(
    JSON.stringify({
      quick,
      node: process.version,
      cpus: availableParallelism(),
      loadAverage: [load0, load1],
      holdEventsPerSec: holdEps,
      holdEventsPerCpuSec: hold.events / hold.cpuSeconds,
      heapMM1EventsPerSec: heapMM1Eps,
      heapMM1EventsPerCpuSec: heapMM1.events / heapMM1.cpuSeconds,
      noProbePathCustomersPerSec: noProbeCps,
      lindleyCustomersPerSec: lindleyCps,
      cliMM1: { customers: cli.customers, seconds: cli.seconds, cpuSeconds: cli.cpuSeconds },
      simpy: simpy.skipped ? { skipped: simpy.skipped } : { customers: simpy.customers, seconds: simpy.seconds, cpuSeconds: simpy.cpuSeconds },
      cliVsSimpyWall,
      tracerPacketsPerCpuSec: tracer.packets / tracer.cpuSeconds,
      floorPacketsPerSec: floorPps,
      floorPacketsPerCpuSec: floor.packets / floor.cpuSeconds,
      tracerVsFloorWall,
      rssRuns: rss,
      sweepSeconds: { jobs1: sweep1.seconds, jobs2: sweep2.seconds },
      sweepCpuSeconds: { jobs1: sweep1.cpuSeconds, jobs2: sweep2.cpuSeconds },
      heapEventsPerSec,
      startupMs: startup,
      cliVsSimpy,
      tracerPacketsPerSec: tracerPps,
      tracerVsFloor,
      sweepScaling,
      rssMB,
      exploreRerunMs: explore.skipped ? null : explore.pageMs,
      exploreRerunWorkerMs: explore.skipped ? null : explore.simMs,
      exploreRerunNodeMs: explore.skipped ? null : explore.nodeMs,
    }),
  );
}
