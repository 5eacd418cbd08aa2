/** ModelFiles on the local file system: names relative to the model file's folder, read as untrusted. */
import { dirname, resolve as resolvePath } from 'node:path';
import { showValue } from '../units/parse.js';
import type { ModelFiles, TraceRead } from './files.js';
import { CaptureError } from './trace/capture.js';
import { readCaptureTrace } from './trace/read.js';
import { MAX_TRACE_FILE_BYTES, readUserText, UserFileError } from './user-file.js';

/** Where relative paths in a model are resolved from: its folder, or the working directory. */
function baseDir(file: string): string {
  return file.startsWith('<') || file.startsWith('--') ? process.cwd() : dirname(resolvePath(file));
}

/** A capture, or else a text file of timestamps; every failure as the problem line it makes. */
function readTrace(name: string, from: string): TraceRead {
  const path = resolvePath(baseDir(from), name);
  try {
    const captured = readCaptureTrace(path, MAX_TRACE_FILE_BYTES);
    if (captured) return { path, captured };
  } catch (e) {
    if (e instanceof CaptureError) return { path, problem: { expected: 'a pcap or pcapng capture', found: `${showValue(name)}: ${e.found}`, ...(e.hint ? { hint: e.hint } : {}) } };
    if (!(e instanceof UserFileError)) throw e;
    const hint = e.hint ? { hint: e.hint } : {};
    return { path, problem: { expected: e.expected ?? 'a readable trace file (relative to the model file)', found: `${showValue(name)} (${e.found}: ${path})`, ...hint } };
  }
  try {
    return { path, text: readUserText(path, MAX_TRACE_FILE_BYTES, 'a trace file (a pcap or pcapng capture, or timestamps)') };
  } catch (e) {
    if (!(e instanceof UserFileError)) throw e;
    // A file that was read but is not text: neither a capture nor timestamps.
    const expected = e.expected ? 'a pcap or pcapng capture, or a text file of timestamps' : 'a readable trace file (relative to the model file)';
    const hint = e.expected ? 'tcpdump -w and dumpcap write captures this reads' : e.hint;
    return { path, problem: { expected, found: `${e.found}: ${path}`, ...(hint ? { hint } : {}) } };
  }
}

export const NODE_FILES: ModelFiles = { readTrace };
