/**
 * The files a model may name besides itself (a trace of arrival times): read through this
 * interface so that resolution stays free of any host API. The command line reads the file
 * system (files-node.ts); the explore page has no files to offer.
 */
export type FileRead = { path: string; bytes: Uint8Array } | { path: string; error: string };

export interface ModelFiles {
  /**
   * The file `name` refers to, relative to the model file `from` (labels such as "<text>" and
   * "--set" mean the working directory). `path` is what problem lines show.
   */
  read(name: string, from: string): FileRead;
}

/** For models given as text where no file system exists (the browser page). */
export const NO_FILES: ModelFiles = {
  read: (name) => ({ path: name, error: 'files cannot be read here: the page runs models without a file system' }),
};
