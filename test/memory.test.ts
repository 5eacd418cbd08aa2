/**
 * Long runs: memory stays flat as the packet count grows. Statistics stream into fixed-size
 * histograms, levels and series; rings and queues hold at most what their capacity allows. Two
 * checks between 1e5 and 1e6 packets (same model, ten times the duration, the same number of
 * series intervals): (1) every typed array and array reachable from the finished run, counted
 * byte by byte, does not grow; (2) coarse: the JS heap after garbage collection, with the whole
 * Result kept alive, does not grow by anything like a per-packet record.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { TracedRun } from '../src/datapath/traced.js';
import { runScenario } from '../src/simulation/simulate.js';
import { loadCatalog } from '../src/model/catalog.js';
import { consumer, exp, perfOutput, probe, scenario, submitStep } from './helpers/scenario.js';

/** 4 CPUs at 800k packets/s, a lossy perf buffer (so rings fill to their bound in any run). */
function model(packets: number) {
  const rate = 800_000;
  const duration = (packets / rate) * 1e9;
  return scenario({
    cpus: 4,
    traffic: { arrival: 'poisson', rate, duration, warmup: duration / 20, rss: 'random' },
    datapath: { service: { kind: 'lognormal', mean: 800, cv: 0.5 }, rxQueue: 256 },
    probes: [probe([{ kind: 'filter', pass: 0.8 }, submitStep(96)])],
    output: perfOutput({ pageCnt: 2 }),
    consumer: consumer({}, 6000),
    interval: duration / 50,
  });
}

/** Bytes in typed arrays plus 8 per array element, over everything reachable from `root`. */
function retainedBytes(root: unknown): number {
  const seen = new Set<object>();
  let bytes = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x !== 'object' || x === null || seen.has(x)) continue;
    seen.add(x);
    if (ArrayBuffer.isView(x)) {
      bytes += x.byteLength;
      continue;
    }
    if (Array.isArray(x)) bytes += 8 * x.length;
    if (x instanceof Map || x instanceof Set) bytes += 8 * x.size;
    for (const v of Object.values(x)) stack.push(v);
  }
  return bytes;
}

describe('memory does not grow with the number of packets', () => {
  it('the finished run holds the same arrays at 1e5 and 1e6 packets', () => {
    const measure = (packets: number) => {
      const run = new TracedRun(model(packets));
      run.run();
      expect(run.counters.packets).toBeGreaterThan(0.9 * packets);
      expect(run.counters.lostTotal).toBeGreaterThan(0); // the rings did fill
      return retainedBytes(run);
    };
    const small = measure(1e5);
    const large = measure(1e6);
    // 9e5 more packets; a single float per packet would be 7.2 MB. Allow a heap doubling (stale
    // events) and a ring-record array doubling: a few KiB, independent of the packet count.
    expect(large - small).toBeLessThan(64 * 1024);
    expect(small).toBeGreaterThan(100_000); // the walk does see the histograms (sanity)
  }, 60_000);

  it('coarse: the heap after GC, Result kept alive, grows by far less than a byte per packet', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const catalog = loadCatalog('default');
    const heapAfter = (packets: number) => {
      const result = runScenario(model(packets), catalog);
      gc();
      gc();
      const m = process.memoryUsage();
      expect(result.meta.packets.traced).toBeGreaterThan(0.9 * packets); // keeps the Result alive until here
      return m.heapUsed + m.arrayBuffers;
    };
    heapAfter(1e5); // warm the JIT and the module caches first
    const small = heapAfter(1e5);
    const large = heapAfter(1e6);
    expect(large - small).toBeLessThan(1e6 * 0.5);
  }, 60_000);
});
