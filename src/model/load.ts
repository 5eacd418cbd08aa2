/**
 * Loading a model from a file (or text, or the built-in default model) on this machine: the
 * file system side of load-core.ts, which does the rest.
 */
import { dirname, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from './catalog.js';
import { NODE_FILES } from './files-node.js';
import { loadModelObjectWith, loadModelText, oneProblem, type LoadEnv, type LoadedModel, type ModelLoadOptions } from './load-core.js';
import { readUserText, UserFileError } from './user-file.js';

export { parseModelText, type LoadedModel, type ModelLoadOptions } from './load-core.js';

export interface LoadOptions extends ModelLoadOptions {
  /** Model file; undefined (and no text) = the built-in default model. */
  file?: string;
  /** Model text (YAML or JSON) instead of a file; `file` then only labels problems. */
  text?: string;
}

/** Catalog names that are not paths. */
function isCatalogName(name: string): boolean {
  return /^[\w-]+$/.test(name);
}

/** Catalogs and files from the file system. */
export const NODE_ENV: LoadEnv = {
  catalog: (ref, from) =>
    loadCatalog(isCatalogName(ref) ? ref : from === undefined ? resolvePath(ref) : resolvePath(dirname(resolvePath(from)), ref)),
  files: NODE_FILES,
};

/** The package root: two levels up from src/model (vitest) and from dist/model (compiled). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The built-in default model. */
export const DEFAULT_MODEL_PATH = resolvePath(PACKAGE_ROOT, 'models/default.yaml');

function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** Loads a model file (or text, or the default model) and resolves it. Throws ModelError. */
export function loadModel(opts: LoadOptions = {}): LoadedModel {
  let file: string;
  let text: string;
  if (opts.text !== undefined) {
    file = opts.file ?? '<text>';
    text = opts.text;
  } else {
    const path = opts.file ?? DEFAULT_MODEL_PATH;
    file = opts.file ?? displayPath(DEFAULT_MODEL_PATH);
    try {
      text = readUserText(path);
    } catch (e) {
      if (!(e instanceof UserFileError)) throw e;
      throw oneProblem(file, '', e.expected ?? 'a readable model file', e.found, e.hint);
    }
  }
  return loadModelText(NODE_ENV, text, file, opts);
}

/**
 * Validates and resolves a model given as an object (parsed YAML, or built in code). `file`
 * labels problems and anchors relative paths (trace, catalog). The object is not modified.
 */
export function loadModelObject(obj: unknown, file: string, opts: ModelLoadOptions = {}): LoadedModel {
  return loadModelObjectWith(NODE_ENV, obj, file, opts);
}
