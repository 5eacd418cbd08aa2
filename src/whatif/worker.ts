/**
 * Worker-thread entry: receives RunTasks, answers with figures or a serialised error. Loaded
 * compiled (dist/whatif/worker.js) in production and through tsx under the tests.
 */
import { parentPort } from 'node:worker_threads';
import { ModelError } from '../model/errors.js';
import { runTask, type RunTask } from './task.js';
import type { WorkerReply } from './pool.js';

if (!parentPort) throw new Error('whatif/worker.ts must run in a worker thread');
const port = parentPort;

port.on('message', (msg: { id: number; task: RunTask }) => {
  let reply: WorkerReply;
  try {
    reply = { id: msg.id, ok: true, figures: runTask(msg.task) };
  } catch (e) {
    reply =
      e instanceof ModelError
        ? { id: msg.id, ok: false, problems: e.problems }
        : { id: msg.id, ok: false, message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
  }
  port.postMessage(reply);
});
