/**
 * M/M/1 three ways, on the same customers: bpfsim's real TracedRun with no probes (what a
 * user runs), a bare Lindley recursion over the same RNG streams and samplers (the limit: no
 * event list, no statistics), and SimPy 2 (see simpy.js). rho = 0.8, mean service 1 us.
 */
import { loadModel } from '../dist/model/load.js';
import { TracedRun } from '../dist/datapath/traced.js';
import { serviceStreamName } from '../dist/datapath/baseline.js';
import { makeSampler } from '../dist/distributions/sampler.js';
import { Streams } from '../dist/engine/rng.js';

export const MM1_RHO = 0.8;
const SERVICE_NS = 1000;

/** The M/M/1 model as a user would write it: one CPU, Poisson arrivals, exponential service. */
export function mm1Scenario(customers, seed = 1) {
  const rate = (MM1_RHO * 1e9) / SERVICE_NS;
  const seconds = customers / rate;
  const text = `
name: M/M/1 bench
cpus: 1
seed: ${seed}
traffic: { arrival: poisson, rate: ${rate}, duration: ${seconds}s, warmup: 0s }
datapath:
  service: { dist: exponential, mean: ${SERVICE_NS}ns }
  rxQueue: 100000   # never reached at rho 0.8 (P = 0.8^100000)
probes: []
`;
  return loadModel({ text, force: true }).scenario;
}

/** bpfsim's event-driven run. Events = arrivals + departures. */
export function runEngine(s) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const run = new TracedRun(s);
  run.run();
  const seconds = (performance.now() - t0) / 1e3;
  const cpuSeconds = cpuSince(c0);
  const k = run.counters;
  return {
    seconds,
    cpuSeconds,
    customers: k.departedTotal,
    events: k.packets + k.departedTotal,
    meanSojourn: run.latency.mean,
  };
}

/**
 * The Lindley recursion W(n+1) = max(0, W(n) + S(n) - A(n+1)) over the same streams and
 * samplers the engine uses: the work every simulator of this queue must do, and nothing else.
 */
export function runLindley(s) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const streams = new Streams(s.seed);
  const arrivals = streams.get('arrivals');
  const serviceRng = streams.get(serviceStreamName(0));
  const gap = makeSampler({ kind: 'exponential', mean: 1e9 / s.traffic.rate });
  const service = makeSampler(s.datapath.service);
  const end = s.traffic.duration;
  let t = gap.sample(arrivals);
  let lastDeparture = 0;
  let customers = 0;
  let sojourn = 0;
  while (t <= end) {
    const start = t > lastDeparture ? t : lastDeparture;
    lastDeparture = start + service.sample(serviceRng);
    sojourn += lastDeparture - t;
    customers++;
    t += gap.sample(arrivals);
  }
  const seconds = (performance.now() - t0) / 1e3;
  return { seconds, cpuSeconds: cpuSince(c0), customers, meanSojourn: sojourn / customers };
}

/** CPU seconds of this process since `c0` (process.cpuUsage()): the figure other jobs disturb least. */
export function cpuSince(c0) {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/** Fastest of `reps` runs (other processes on the machine only ever slow a run down). */
export function best(reps, fn) {
  let out;
  for (let i = 0; i < reps; i++) {
    const r = fn();
    if (out === undefined || r.seconds < out.seconds) out = r;
  }
  return out;
}
