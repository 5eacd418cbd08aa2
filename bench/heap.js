/**
 * The event heap measured on models whose every event goes through it (bpfsim's EventHeap,
 * Streams and samplers, compiled):
 *  - hold: the classic hold model (Jones, "An empirical comparison of priority-queue and
 *    event-set implementations", CACM 29(4), 1986): N events pending; each step pops the
 *    earliest and pushes one at its time plus an exponential increment. Heap size stays N.
 *  - M/M/1 with arrivals and departures as events: an arrival schedules the next arrival and,
 *    when the server is idle, its departure; a departure starts the next customer waiting.
 * Events/s = pops per wall second of the loop.
 */
import { EventHeap } from '../dist/engine/heap.js';
import { Streams } from '../dist/engine/rng.js';
import { makeSampler } from '../dist/distributions/sampler.js';
import { cpuSince } from './mm1.js';

/** `steps` pops of a hold model with `pending` events in the heap. */
export function runHold(steps, pending = 1000, seed = 1) {
  const rng = new Streams(seed).get('hold');
  const inc = makeSampler({ kind: 'exponential', mean: 1 });
  const heap = new EventHeap(pending);
  for (let i = 0; i < pending; i++) heap.push(inc.sample(rng), i);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let check = 0;
  for (let i = 0; i < steps; i++) {
    heap.pop();
    check += heap.topA;
    heap.push(heap.topTime + inc.sample(rng), heap.topA);
  }
  const seconds = (performance.now() - t0) / 1e3;
  return { seconds, cpuSeconds: cpuSince(c0), events: steps, check };
}

const ARRIVAL = 0;
const DEPARTURE = 1;

/** M/M/1 (rho, mean service 1000 ns) for `customers` arrivals, every arrival and departure a heap event. */
export function runHeapMM1(customers, rho = 0.8, seed = 1) {
  const streams = new Streams(seed);
  const arrivals = streams.get('arrivals');
  const services = streams.get('service');
  const gap = makeSampler({ kind: 'exponential', mean: 1000 / rho });
  const service = makeSampler({ kind: 'exponential', mean: 1000 });
  const heap = new EventHeap(64);
  // FIFO of waiting customers' arrival times (a ring that doubles when full).
  let fifo = new Float64Array(1024);
  let head = 0;
  let count = 0;
  let busy = false;
  let inService = 0; // arrival time of the customer in service
  let arrived = 0;
  let departed = 0;
  let sojourn = 0;
  let events = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  heap.push(gap.sample(arrivals), ARRIVAL);
  while (heap.size > 0) {
    heap.pop();
    events++;
    const t = heap.topTime;
    if (heap.topA === ARRIVAL) {
      if (++arrived < customers) heap.push(t + gap.sample(arrivals), ARRIVAL);
      if (!busy) {
        busy = true;
        inService = t;
        heap.push(t + service.sample(services), DEPARTURE);
      } else {
        if (count === fifo.length) {
          const bigger = new Float64Array(fifo.length * 2);
          for (let i = 0; i < count; i++) bigger[i] = fifo[(head + i) % fifo.length];
          fifo = bigger;
          head = 0;
        }
        fifo[(head + count++) % fifo.length] = t;
      }
    } else {
      departed++;
      sojourn += t - inService;
      if (count > 0) {
        inService = fifo[head];
        head = (head + 1) % fifo.length;
        count--;
        heap.push(t + service.sample(services), DEPARTURE);
      } else {
        busy = false;
      }
    }
  }
  const seconds = (performance.now() - t0) / 1e3;
  return { seconds, cpuSeconds: cpuSince(c0), events, customers: departed, meanSojourn: sojourn / departed };
}
