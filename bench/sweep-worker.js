/**
 * A bench sweep worker: runs the tasks it is sent (one default-model run each, with --set
 * overrides) and answers each with a few figures. See sweep.js.
 */
import { parentPort } from 'node:worker_threads';
import { loadModel } from '../dist/model/load.js';
import { runScenario } from '../dist/datapath/simulate.js';

parentPort.on('message', (task) => {
  const m = loadModel({ set: task.set, seed: task.seed, duration: task.duration, force: true });
  const r = runScenario(m.scenario, m.catalog);
  parentPort.postMessage({ id: task.id, lostPct: r.events.lostPct, packets: r.meta.packets.traced });
});
