/**
 * pipeline: bounded user-space stages behind the reader, each a FIFO queue served by its own
 * thread, dropping what finds it full. An unbounded, free stage changes nothing; a bounded one
 * under overload delivers at its service rate and drops the rest; stages chain.
 */
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.js';
import { runScenario } from '../src/simulation/simulate.js';
import { ModelError } from '../src/model/errors.js';

const run = (set: string[] = []) => {
  const { scenario, catalog } = loadModel({ duration: '60ms', set: ['traffic.warmup=5ms', ...set] });
  return runScenario(scenario, catalog);
};

describe('pipeline', () => {
  it('an unbounded stage that costs nothing changes nothing: the same Result, byte for byte, plus its section', () => {
    const without = run(['output.pageCnt=64']);
    const withStage = run(['output.pageCnt=64', 'pipeline=[{name: queue, capacity: infinite, cost: 0ns}]']);
    const { pipeline, ...rest } = withStage;
    expect(JSON.stringify(rest)).toBe(JSON.stringify(without));
    expect(pipeline).toHaveLength(1);
    expect(pipeline![0]).toMatchObject({ name: 'queue', capacity: null, dropped: 0, droppedPct: 0, maxWaiting: 0 });
    // Every event the reader handled after the warm-up went through the stage.
    expect(pipeline![0].offered).toBe(without.events.consumed);
    expect(pipeline![0].delivered).toBe(without.events.consumed);
  });

  it('a bounded stage slower than its input delivers one event per cost and drops the rest, holding at most its capacity', () => {
    // The default model's reader handles ~150-300k events/s; a stage at 20 us per event serves 50k/s.
    const r = run(['output.pageCnt=64', 'pipeline=[{name: slow, capacity: 100, cost: 20us}]']);
    const st = r.pipeline![0];
    const window = (r.meta.simulatedNs - r.meta.warmupNs) / 1e9;
    expect(st.offered).toBe(r.events.consumed);
    expect(st.offered).toBe(st.delivered + st.dropped);
    expect(st.maxWaiting).toBe(100);
    // Saturated: the thread is never idle, so over the window it serves window / cost events,
    // and accepts at most that plus the queue it holds at the end. Counts are of events
    // generated after the warm-up (as events.consumed), so the stage's first milliseconds go to
    // older events: a little less is counted, never more.
    const served = window / 20e-6;
    expect(st.delivered).toBeLessThanOrEqual(served + 100 + 1);
    expect(st.delivered).toBeGreaterThan(0.85 * served);
    expect(st.busyPct).toBeCloseTo(100, 6); // busy every instant of the window
    expect(st.droppedPct).toBeCloseTo((st.dropped / st.offered) * 100, 10);
  });

  it('stages chain: the second takes what the first delivered', () => {
    const r = run([
      'pipeline=[{name: a, capacity: 1000, cost: 1us}, {name: b, capacity: 10, cost: 15us}]',
    ]);
    const [a, b] = r.pipeline!;
    expect(b.offered).toBe(a.delivered);
    expect(b.dropped).toBeGreaterThan(0);
    expect(b.offered).toBe(b.delivered + b.dropped);
  });

  it('a capacity must be a count or "infinite"', () => {
    expect(() => run(['pipeline=[{name: q, capacity: lots, cost: 1us}]'])).toThrow(ModelError);
  });
});
