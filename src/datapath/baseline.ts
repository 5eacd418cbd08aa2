/**
 * The baseline twin: the same packets with no probes. Each CPU is then a plain FIFO queue
 * with a finite receive ring, so it needs no event list: a Lindley recursion over the same
 * arrival, RSS and service draws the traced run uses (common random numbers), keeping the
 * departure times of the packets in the system to decide drops exactly.
 */
import { makeSampler } from '../dist/sampler.js';
import type { Scenario } from '../model/scenario.js';
import { Streams } from '../engine/rng.js';
import { LogLinearHistogram } from '../metrics/histogram.js';
import { ArrivalSource } from './traffic.js';

export interface TwinOutcome {
  latency: LogLinearHistogram;
  /** Departures in (warmup, duration]. */
  delivered: number;
  /** Arrivals after warm-up that found the receive queue full. */
  rxDrops: number;
  /** Packets offered over the whole run (arrivals, or started packets under saturate). */
  packets: number;
}

export function serviceStreamName(cpu: number): string {
  return `service:cpu${cpu}`;
}

export function runBaseline(s: Scenario): TwinOutcome {
  return s.traffic.arrival === 'saturate' ? saturateBaseline(s) : openBaseline(s);
}

function openBaseline(s: Scenario): TwinOutcome {
  const streams = new Streams(s.seed);
  const src = new ArrivalSource(s.traffic, s.cpus, streams);
  const service = makeSampler(s.datapath.service);
  const svcRng = Array.from({ length: s.cpus }, (_, c) => streams.get(serviceStreamName(c)));
  const { warmup, duration } = s.traffic;
  const slots = s.datapath.rxQueue + 1; // waiting + the one in service
  // Per CPU: departure times of the packets in the system, oldest first (circular).
  const deps = new Float64Array(s.cpus * slots);
  const head = new Int32Array(s.cpus);
  const count = new Int32Array(s.cpus);
  const lastDep = new Float64Array(s.cpus);
  const out: TwinOutcome = { latency: new LogLinearHistogram(), delivered: 0, rxDrops: 0, packets: 0 };

  while (src.time !== Infinity) {
    const t = src.time;
    const c = src.cpu;
    const svc = service.sample(svcRng[c]); // drawn for every arrival, dropped or not (CRN)
    out.packets++;
    const base = c * slots;
    // Packets that left by t free their slots (a departure at t leaves before the arrival).
    while (count[c] > 0 && deps[base + head[c]] <= t) {
      head[c] = (head[c] + 1) % slots;
      count[c]--;
    }
    if (count[c] >= slots) {
      if (t >= warmup) out.rxDrops++;
    } else {
      const start = t > lastDep[c] ? t : lastDep[c];
      const dep = start + svc;
      lastDep[c] = dep;
      deps[base + ((head[c] + count[c]) % slots)] = dep;
      count[c]++;
      if (dep <= duration) {
        if (dep > warmup) out.delivered++;
        if (t >= warmup) out.latency.record(dep - t);
      }
    }
    src.advance();
  }
  return out;
}

/** A flat-out sender per CPU: the next packet starts when the previous one is done. */
function saturateBaseline(s: Scenario): TwinOutcome {
  const streams = new Streams(s.seed);
  const service = makeSampler(s.datapath.service);
  const { warmup, duration } = s.traffic;
  const out: TwinOutcome = { latency: new LogLinearHistogram(), delivered: 0, rxDrops: 0, packets: 0 };
  for (let c = 0; c < s.cpus; c++) {
    const rng = streams.get(serviceStreamName(c));
    let t = 0;
    for (;;) {
      const svc = service.sample(rng);
      out.packets++;
      const dep = t + svc;
      if (dep > duration) break;
      if (dep > warmup) out.delivered++;
      if (t >= warmup) out.latency.record(svc);
      t = dep;
    }
  }
  return out;
}
