/**
 * The per-packet tracer model: bpfsim's default model (models/default.yaml: kprobe, map
 * lookup, two helpers, a 128-byte perf-buffer submit per packet, BCC Python consumer, 4 CPUs,
 * 400k packets/s), run as `bpfsim run` runs it: traced run, baseline twin, invariants, Result.
 */
import { loadModel } from '../dist/model/load.js';
import { runScenario } from '../dist/simulation/simulate.js';
import { cpuSince } from './mm1.js';

/** The default model, with its duration set for about `packets` packets. */
export function tracerModel(packets) {
  const probe = loadModel({});
  const seconds = packets / probe.scenario.traffic.rate;
  return loadModel({ duration: `${seconds}s`, force: true });
}

/** One run; packets = packets the traced run saw (the twin sees the same ones). */
export function runTracer(model) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = runScenario(model.scenario, model.catalog);
  const seconds = (performance.now() - t0) / 1e3;
  return { seconds, cpuSeconds: cpuSince(c0), packets: result.meta.packets.traced, result };
}
