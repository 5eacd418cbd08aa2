/** ModelFiles on the local file system: names relative to the model file's folder, read as untrusted. */
import { dirname, resolve as resolvePath } from 'node:path';
import type { ModelFileKind, ModelFiles } from './files.js';
import { MAX_TRACE_FILE_BYTES, readUserText, UserFileError } from './user-file.js';

/** Where relative paths in a model are resolved from: its folder, or the working directory. */
function baseDir(file: string): string {
  return file.startsWith('<') || file.startsWith('--') ? process.cwd() : dirname(resolvePath(file));
}

const LIMITS: Record<ModelFileKind, { maxBytes: number; what: string }> = {
  trace: { maxBytes: MAX_TRACE_FILE_BYTES, what: 'a trace file' },
};

export const NODE_FILES: ModelFiles = {
  readText(name, from, kind) {
    const path = resolvePath(baseDir(from), name);
    try {
      return { path, text: readUserText(path, LIMITS[kind].maxBytes, LIMITS[kind].what) };
    } catch (e) {
      if (!(e instanceof UserFileError)) throw e;
      return { path, found: e.found, ...(e.expected ? { expected: e.expected } : {}), ...(e.hint ? { hint: e.hint } : {}) };
    }
  },
};
