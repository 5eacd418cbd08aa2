/** ModelFiles on the local file system: names relative to the model file's folder. */
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type { ModelFiles } from './files.js';

/** Where relative paths in a model are resolved from: its folder, or the working directory. */
function baseDir(file: string): string {
  return file.startsWith('<') || file.startsWith('--') ? process.cwd() : dirname(resolvePath(file));
}

export const NODE_FILES: ModelFiles = {
  read(name, from) {
    const path = resolvePath(baseDir(from), name);
    try {
      return { path, bytes: readFileSync(path) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { path, error: code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable') };
    }
  },
};
