/**
 * The files a model may name besides itself (a trace of arrival times): read through this
 * interface so that resolution stays free of any host API. The command line reads the file
 * system (files-node.ts); the explore page has no files to offer.
 */

/** What the file is for: it sets the size limit and the wording of problems. */
export type ModelFileKind = 'trace';

/** The text, or why not (as a problem line: what was found, what was expected, a hint). */
export type TextRead = { path: string; text: string } | { path: string; found: string; expected?: string; hint?: string };

export interface ModelFiles {
  /**
   * The text of the file `name` refers to, relative to the model file `from` (labels such as
   * "<text>" and "--set" mean the working directory). `path` is what problem lines show.
   */
  readText(name: string, from: string, kind: ModelFileKind): TextRead;
}

/** For models given as text where no file system exists (the browser page). */
export const NO_FILES: ModelFiles = {
  readText: (name) => ({ path: name, found: 'a file the page cannot read', hint: 'the page runs models without a file system: use bpfsim run' }),
};
