/**
 * The files a model may name besides itself (a trace: a packet capture or a text file of
 * timestamps): read through this interface so that resolution stays free of any host API. The
 * command line reads the file system (files-node.ts); the explore page has no files to offer.
 */
import type { CapturedTrace } from './trace/read.js';

/** A trace as read: a capture's packets, or the text of a timestamp file, or why not. */
export type TraceRead =
  | { path: string; captured: CapturedTrace }
  | { path: string; text: string }
  | { path: string; problem: { expected: string; found: string; hint?: string } };

export interface ModelFiles {
  /**
   * The trace `name` refers to, relative to the model file `from` (labels such as "<text>" and
   * "--set" mean the working directory). `path` is what problem lines show.
   */
  readTrace(name: string, from: string): TraceRead;
}

/** For models given as text where no file system exists (the browser page). */
export const NO_FILES: ModelFiles = {
  readTrace: (name) => ({
    path: name,
    problem: { expected: 'a trace file the page can read', found: `${JSON.stringify(name)}: the page has no file system`, hint: 'run trace models with bpfsim run' },
  }),
};
