/**
 * Reading a file a user named (model, catalog, trace, experiment, part). Such a path is
 * untrusted: it may be a device that never ends (/dev/zero), a FIFO that never opens, a
 * directory, or a file far larger than any real input. Only regular files are read, at most
 * `maxBytes` of them, and nothing of their contents ever goes into the error.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { formatBytes } from '../units/format.js';

/** Models, catalogs and experiment files are a few kilobytes; this is far above any real one. */
export const MAX_MODEL_FILE_BYTES = 1024 * 1024;
/** A timestamp trace of about five million packets (its lines are split in memory). */
export const MAX_TRACE_FILE_BYTES = 64 * 1024 * 1024;

/** Why a user file cannot be read: `found` for a problem line, and a hint. No file contents. */
export class UserFileError extends Error {
  constructor(
    readonly found: string,
    readonly hint?: string,
    /** Set when the file was read but is not text: what it should have been. */
    readonly expected?: string,
  ) {
    super(found);
    this.name = 'UserFileError';
  }
}

function why(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'a file you may not read';
    case 'EISDIR':
      return 'a directory';
    case 'ENOTDIR':
      return 'a path through something that is not a directory';
    case 'ELOOP':
      return 'a loop of symbolic links';
    default:
      return `an unreadable file (${code ?? 'error'})`;
  }
}

/** The kind of a non-regular file, in words. */
function kindOf(st: ReturnType<typeof fstatSync>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The bytes of the regular file at `path`, at most `maxBytes` (see openUserFile). Throws UserFileError. */
export function readUserFile(path: string, maxBytes: number = MAX_MODEL_FILE_BYTES): Buffer {
  const file = openUserFile(path, maxBytes);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = file.read(chunk, 0, chunk.length);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks, total);
  } finally {
    file.close();
  }
}

/** A user file open for reading in pieces (large inputs such as packet captures are streamed). */
export interface UserFileReader {
  /** Reads up to `length` bytes into buf at offset; 0 at the end. Throws UserFileError past maxBytes. */
  read(buf: Buffer, offset: number, length: number): number;
  close(): void;
}

/**
 * Opens the regular file at `path` for reading at most `maxBytes` (a larger file is refused,
 * whatever its size claims: /proc files say 0). Throws UserFileError.
 */
export function openUserFile(path: string, maxBytes: number = MAX_MODEL_FILE_BYTES): UserFileReader {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new UserFileError(why((e as NodeJS.ErrnoException).code));
  }
  const tooBig = (): UserFileError =>
    new UserFileError(`a file larger than ${formatBytes(maxBytes)}`, 'this is not the file you meant, or split it');
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UserFileError(kindOf(st), 'give the path of a regular file');
    if (st.size > maxBytes) throw tooBig();
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  let total = 0;
  return {
    read(buf, offset, length) {
      let n: number;
      try {
        n = readSync(fd, buf, offset, Math.min(length, maxBytes + 1 - total), null);
      } catch (e) {
        throw new UserFileError(why((e as NodeJS.ErrnoException).code));
      }
      total += n;
      if (total > maxBytes) throw tooBig();
      return n;
    },
    close() {
      closeSync(fd);
    },
  };
}

/** Bytes -> UTF-8 text; a NUL byte or invalid UTF-8 is refused (not a text file). */
export function decodeUserText(bytes: Uint8Array, whatFile = 'the model file'): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new UserFileError(`binary data (a NUL byte at offset ${nul})`, `is this ${whatFile}?`, 'a YAML or JSON text file');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UserFileError('bytes that are not valid UTF-8', 'save the file as UTF-8', 'a YAML or JSON text file in UTF-8');
  }
}

/** readUserFile + decodeUserText. */
export function readUserText(path: string, maxBytes?: number, whatFile?: string): string {
  return decodeUserText(readUserFile(path, maxBytes), whatFile);
}
