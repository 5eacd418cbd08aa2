/**
 * Sweep scaling: the same grid of runs (page_cnt x consumer speed x replications of the
 * default tracer model) on a pool of 1 and of 2 worker threads; scaling = time(1) / time(2).
 * Each run is a whole `runScenario` in a worker, as a what-if sweep does it.
 */
import { Worker } from 'node:worker_threads';

const WORKER = new URL('./sweep-worker.js', import.meta.url);

/** The grid: every (pageCnt, callback) pair, `reps` seeds each, `packets` per run. */
export function sweepTasks({ pageCnts, callbacks, reps, packets, rate = 400_000 }) {
  const tasks = [];
  const duration = `${packets / rate}s`;
  for (const p of pageCnts) {
    for (const cb of callbacks) {
      for (let rep = 0; rep < reps; rep++) {
        tasks.push({ id: tasks.length, set: [`output.pageCnt=${p}`, `consumer.callback=${cb}`], seed: rep + 1, duration });
      }
    }
  }
  return tasks;
}

/** Runs all tasks on `jobs` workers; resolves to { seconds, packets, results[] by task id }. */
export async function runSweep(tasks, jobs) {
  const workers = Array.from({ length: jobs }, () => new Worker(WORKER));
  // Workers load their modules before the clock starts: a ping round trip each.
  await Promise.all(workers.map((w) => warm(w)));
  const results = new Array(tasks.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          const feed = () => {
            if (next >= tasks.length) return resolve();
            w.postMessage(tasks[next++]);
          };
          w.on('message', (msg) => {
            results[msg.id] = msg;
            feed();
          });
          w.on('error', reject);
          feed();
        }),
    ),
  );
  const seconds = (performance.now() - t0) / 1e3;
  await Promise.all(workers.map((w) => w.terminate()));
  return { seconds, packets: results.reduce((s, r) => s + r.packets, 0), results };
}

function warm(w) {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.postMessage({ id: -1, set: [], seed: 1, duration: '100ms' });
  });
}
