/**
 * Output paths (--out, --chart: directories; --report, --part: files) are checked before any
 * work starts: a missing parent is created, a path of the wrong kind or one that cannot be
 * written is a usage error (exit 2, one line) now, not an internal error after minutes of
 * simulation. Writes at the end that still fail (a full disk) become one line too.
 */
import { accessSync, closeSync, constants, mkdirSync, openSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

export interface OutputPathFlags {
  out?: unknown;
  chart?: unknown;
  report?: unknown;
  part?: unknown;
  html?: unknown;
}

/** Which flags name a directory and which a file; calibrate's, init's and import's --out is a file. */
const KINDS: Record<string, { dirs: (keyof OutputPathFlags)[]; files: (keyof OutputPathFlags)[] }> = {
  calibrate: { dirs: [], files: ['out'] },
  explore: { dirs: [], files: ['html'] },
  init: { dirs: [], files: ['out'] },
  import: { dirs: [], files: ['out'] },
};
const DEFAULT_KINDS = { dirs: ['out', 'chart'] as (keyof OutputPathFlags)[], files: ['report', 'part'] as (keyof OutputPathFlags)[] };

/** Why an fs call failed, in words. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'a read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENOTDIR':
      return 'a path through something that is not a directory';
    case 'EISDIR':
      return 'a directory';
    case 'ENOENT':
      return 'a path that cannot be created here';
    case 'EEXIST':
      return 'a file of another kind is in the way';
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * mkdir -p, one component at a time: fs.mkdirSync's recursive mode loops forever on some
 * pseudo file systems (a path under /proc), which is how `--out /proc/x` hung.
 */
export function makeDirectory(dir: string): void {
  const abs = resolve(dir);
  const st = statOrUndefined(abs);
  if (st) {
    if (!st.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    return;
  }
  const parent = dirname(abs);
  if (parent !== abs) makeDirectory(parent);
  try {
    mkdirSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(abs).isDirectory()) throw e;
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (a write would wait for a reader)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function checkDirectory(flag: string, dir: string): void {
  try {
    const st = statOrUndefined(dir);
    if (st && !st.isDirectory()) throw new UsageError(`--${flag} ${dir}: expected a directory, got ${st.isFile() ? 'a file' : kindOf(st)}`);
    makeDirectory(dir);
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--${flag} ${dir}: cannot write there: ${fsReason(e)}`);
  }
}

function checkFile(flag: string, file: string): void {
  try {
    const st = statOrUndefined(file);
    // Regular files, and character devices (/dev/null, /dev/stdout) that a user may mean.
    if (st && !st.isFile() && !st.isCharacterDevice()) throw new UsageError(`--${flag} ${file}: expected a file, got ${kindOf(st)}`);
    makeDirectory(dirname(resolve(file)));
    if (st) {
      accessSync(file, constants.W_OK);
      return;
    }
    // Nothing there yet: create it to be sure it can be, then leave no trace.
    closeSync(openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NONBLOCK));
    unlinkSync(file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--${flag} ${file}: cannot write there: ${fsReason(e)}`);
  }
}

/** Checks (and prepares) every output path command `command` was given. Throws UsageError. */
export function checkOutputPaths(command: string, flags: OutputPathFlags): void {
  const kinds = KINDS[command] ?? DEFAULT_KINDS;
  for (const flag of kinds.dirs) {
    const v = flags[flag];
    if (typeof v === 'string' && v !== '') checkDirectory(flag, v);
  }
  for (const flag of kinds.files) {
    const v = flags[flag];
    if (typeof v === 'string' && v !== '') checkFile(flag, v);
  }
}

/** A write of results that failed after the work (a full disk): one line, exit 2. */
export function writeFailure(path: string, e: unknown): UsageError {
  return new UsageError(`cannot write ${path}: ${fsReason(e)}`);
}

/** Writes one result file; a failure names the file (Node's write errors do not). */
export function writeOutputFile(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw writeFailure(path, e);
  }
}

/** Runs a writer of many files (charts, an experiment's folder); a failure names `path`. */
export async function writingInto<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === undefined) throw e;
    throw writeFailure(path, e);
  }
}
