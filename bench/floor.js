/**
 * The floor of the tracer model: the random draws the simulator makes for every packet and
 * every event of that model, and a Lindley step per packet on its CPU, with nothing else (no
 * event list, no rings, no consumer state, no statistics). Same samplers, same distributions,
 * same process as the tracer row: tracerVsFloor = tracer packets/s / floor packets/s says how
 * much of the simulator's time is bookkeeping beyond the draws it cannot avoid.
 *
 * Per packet: the arrival gap, the CPU (RSS), the baseline service; per probe hit: entry, each
 * op step's cost (x its count), a filter's pass draw, the submit's cost, exit; per event: the
 * producer's wake-up cost and the consumer's read, decode, callback and log costs.
 */
import { Streams } from '../dist/engine/rng.js';
import { makeSampler } from '../dist/distributions/sampler.js';
import { cpuSince } from './mm1.js';

/** A probe program as a flat list of draws: { sampler, count } or { pass } or { submit }. */
function flatten(steps, out) {
  for (const st of steps) {
    if (st.kind === 'op') out.push({ sampler: makeSampler(st.cost), count: st.count });
    else if (st.kind === 'aggregate') out.push({ sampler: makeSampler(st.cost), count: 1 });
    else if (st.kind === 'filter') out.push({ pass: st.pass });
    else if (st.kind === 'submit') out.push({ submit: makeSampler(st.cost) });
    else if (st.kind === 'loop') for (let i = 0; i < st.count; i++) flatten(st.body, out);
  }
  return out;
}

/** The floor for a loaded model ({ scenario }): { seconds, cpuSeconds, packets }. */
export function runFloor(model) {
  const s = model.scenario;
  const streams = new Streams(s.seed);
  const arrivals = streams.get('arrivals');
  const rss = streams.get('rss');
  const svcRng = streams.get('service');
  const probeRng = streams.get('probes');
  const costRng = streams.get('consumer');
  const gap = makeSampler({ kind: 'exponential', mean: 1e9 / s.traffic.rate });
  const service = makeSampler(s.datapath.service);
  const probes = s.probes.map((p) => ({ entry: makeSampler(p.entry), exit: makeSampler(p.exit), hits: p.hitsPerPacket, steps: flatten(p.program, []) }));
  const wake = makeSampler(s.output.wakeup.producer);
  const ev = s.consumer.perEvent;
  const [read, decode, callback, log] = [ev.read, ev.decode, ev.callback, ev.log].map(makeSampler);
  const cpus = s.cpus;
  const lastDeparture = new Float64Array(cpus);
  const end = s.traffic.duration;
  let t = 0;
  let packets = 0;
  let check = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (;;) {
    t += gap.sample(arrivals);
    if (t > end) break;
    packets++;
    const c = Math.floor(rss.double() * cpus);
    let work = service.sample(svcRng);
    let events = 0;
    for (const p of probes) {
      const hits = Math.floor(p.hits) + (probeRng.double() < p.hits % 1 ? 1 : 0);
      for (let h = 0; h < hits; h++) {
        work += p.entry.sample(probeRng);
        for (const st of p.steps) {
          if (st.pass !== undefined) {
            if (probeRng.double() >= st.pass) break;
          } else if (st.submit !== undefined) {
            work += st.submit.sample(probeRng);
            events++;
          } else {
            for (let k = st.count; k > 0; k--) work += st.sampler.sample(probeRng);
          }
        }
        work += p.exit.sample(probeRng);
      }
    }
    for (let e = 0; e < events; e++) {
      work += wake.sample(probeRng);
      check += read.sample(costRng) + decode.sample(costRng) + callback.sample(costRng) + log.sample(costRng);
    }
    const start = t > lastDeparture[c] ? t : lastDeparture[c];
    lastDeparture[c] = start + work;
  }
  const seconds = (performance.now() - t0) / 1e3;
  return { seconds, cpuSeconds: cpuSince(c0), packets, check };
}
