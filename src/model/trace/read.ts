/**
 * A packet capture as a trace: arrival times (ns from the first packet), sizes on the wire,
 * and each packet's flow (an index into the distinct flows, -1 for a non-IP frame). Flows are
 * kept once each, so spreading them over CPUs costs one hash per flow.
 */
import { flowOf, SUPPORTED_LINK_TYPES } from './flow.js';
import { CaptureError, readCapture, type CaptureFormat } from './capture.js';
import { openUserFile } from '../user-file.js';

export interface CapturedTrace {
  format: CaptureFormat;
  times: number[];
  sizes: number[];
  /** Per packet: index into `flows`, or -1 (no IP flow: a NIC hashes it to 0). */
  flowOf: number[];
  /** RSS hash input of each distinct flow (addresses, then ports for TCP/UDP). */
  flows: Uint8Array[];
}

/**
 * Reads the capture at `path`, or returns undefined when the file is not a capture (a text
 * trace). Throws CaptureError (a malformed capture) or UserFileError (an unreadable file).
 */
export function readCaptureTrace(path: string, maxBytes: number): CapturedTrace | undefined {
  const file = openUserFile(path, maxBytes);
  const times: number[] = [];
  const sizes: number[] = [];
  const flowIndex: number[] = [];
  const flows: Uint8Array[] = [];
  const known = new Map<string, number>();
  let format: CaptureFormat | undefined;
  try {
    format = readCapture(file, (t, wire, linkType, head) => {
      const n = times.length;
      if (!SUPPORTED_LINK_TYPES.has(linkType)) {
        throw new CaptureError(`link type ${linkType} (packet ${n + 1})`, 'captures of Ethernet, Linux cooked (any), raw IP or loopback interfaces are read');
      }
      if (n > 0 && t < times[n - 1]) {
        throw new CaptureError(`packet ${n + 1} stamped before packet ${n}`, 'sort the capture by time first: reordercap in.pcap sorted.pcap');
      }
      times.push(t);
      sizes.push(wire);
      const flow = flowOf(linkType, head);
      if (flow === undefined) {
        flowIndex.push(-1);
        return;
      }
      const key = `${flow.protocol}:${Buffer.from(flow.hashInput).toString('hex')}`;
      let i = known.get(key);
      if (i === undefined) {
        i = flows.length;
        flows.push(flow.hashInput);
        known.set(key, i);
      }
      flowIndex.push(i);
    });
  } finally {
    file.close();
  }
  if (format === undefined) return undefined;
  return { format, times, sizes, flowOf: flowIndex, flows };
}
