/**
 * Packet captures, read as a stream: libpcap files (either byte order, micro- or nanosecond
 * timestamps) and pcapng (Section Header, Interface Description with if_tsresol/if_tsoffset,
 * Enhanced Packet blocks; other blocks skipped), told apart by their first bytes. Formats:
 * IETF draft-ietf-opsawg-pcap and draft-ietf-opsawg-pcapng. Only the first bytes of each frame
 * (enough for the headers RSS hashes) are kept; a record larger than any real frame is refused.
 */
import type { UserFileReader } from '../user-file.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/** What a capture tells about one packet. Times are ns from the capture's first packet. */
export type PacketVisitor = (time: number, wireBytes: number, linkType: number, head: Uint8Array) => void;

/** A capture that cannot be read: what was found, where, and a hint. No file contents. */
export class CaptureError extends Error {
  constructor(
    readonly found: string,
    readonly hint?: string,
  ) {
    super(found);
    this.name = 'CaptureError';
  }
}

/** Largest block or record accepted (a jumbo frame is 9 KiB; snaplen is at most 256 KiB). */
const MAX_RECORD_BYTES = 1024 * 1024;
/** Bytes of each frame handed to the visitor: link + IP (with extension headers) + ports. */
const HEAD_BYTES = 256;

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;

/** The capture format of a file from its first four bytes, or undefined (a text trace). */
export function captureFormat(first: Uint8Array): CaptureFormat | undefined {
  if (first.length < 4) return undefined;
  const be = ((first[0] << 24) | (first[1] << 16) | (first[2] << 8) | first[3]) >>> 0;
  const le = ((first[3] << 24) | (first[2] << 16) | (first[1] << 8) | first[0]) >>> 0;
  if (be === PCAPNG_SHB) return 'pcapng';
  if ([PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(be) || [PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(le)) return 'pcap';
  return undefined;
}

/** A window over the file: refilled in chunks, so memory stays bounded whatever the file size. */
class Window {
  private buf = Buffer.alloc(256 * 1024);
  private start = 0;
  private end = 0;
  private done = false;
  /** File offset of the next unread byte. */
  offset = 0;

  constructor(private readonly file: UserFileReader) {}

  /** True when n more bytes are available (false at a clean end of file with none left). */
  has(n: number): boolean {
    if (this.end - this.start >= n) return true;
    if (n > this.buf.length) {
      const bigger = Buffer.alloc(Math.max(n, 2 * this.buf.length));
      this.buf.copy(bigger, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
      this.buf = bigger;
    } else if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    while (!this.done && this.end < n) {
      const got = this.file.read(this.buf, this.end, this.buf.length - this.end);
      if (got === 0) this.done = true;
      this.end += got;
    }
    return this.end >= n;
  }

  /** True when the file has no byte left. */
  atEnd(): boolean {
    return !this.has(1);
  }

  /** The next n bytes (valid until the next call), which must exist: else the file is cut short. */
  take(n: number, what: string): Buffer {
    if (!this.has(n)) throw new CaptureError(`a file that ends inside ${what} (at byte ${this.offset})`, 'the capture was cut short: capture again, or cut it at a packet boundary (editcap)');
    const out = this.buf.subarray(this.start, this.start + n);
    this.start += n;
    this.offset += n;
    return out;
  }
}

/** Reads a pcap or pcapng stream, calling `visit` for every packet in file order; undefined (nothing read) when the file is neither. */
export function readCapture(file: UserFileReader, visit: PacketVisitor): CaptureFormat | undefined {
  const w = new Window(file);
  if (!w.has(4)) return undefined;
  const magic = Buffer.from(w.take(4, 'the header'));
  const format = captureFormat(magic);
  if (format === 'pcap') readPcap(w, magic, visit);
  else if (format === 'pcapng') readPcapng(w, visit);
  return format;
}

function checkLength(n: number, what: string, at: number): void {
  if (n > MAX_RECORD_BYTES) throw new CaptureError(`${what} of ${n} bytes at byte ${at}, more than any real frame (${MAX_RECORD_BYTES})`, 'the file is damaged or not a capture');
}

function readPcap(w: Window, magic: Buffer, visit: PacketVisitor): void {
  // The magic, written in the file's byte order, gives the order and the timestamp unit.
  const le = magic.readUInt32LE(0) === PCAP_MAGIC_US || magic.readUInt32LE(0) === PCAP_MAGIC_NS;
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const tickNs = u32(magic, 0) === PCAP_MAGIC_NS ? 1 : 1000;
  const header = w.take(20, 'the pcap header');
  const linkType = u32(header, 16) & 0xffff; // the upper bits carry FCS information
  let firstSec = 0;
  let firstFrac = 0;
  let seen = false;
  while (!w.atEnd()) {
    const at = w.offset;
    const h = w.take(16, 'a packet record header');
    const sec = u32(h, 0);
    const frac = u32(h, 4);
    const caplen = u32(h, 8);
    const wire = u32(h, 12);
    checkLength(caplen, 'a packet record', at);
    const data = w.take(caplen, 'a packet');
    if (!seen) {
      seen = true;
      firstSec = sec;
      firstFrac = frac;
    }
    // exact in float64: differences from the first packet, not epoch nanoseconds
    const t = (sec - firstSec) * 1e9 + (frac - firstFrac) * tickNs;
    visit(t, wire, linkType, data.subarray(0, Math.min(HEAD_BYTES, data.length)));
  }
}

interface Interface {
  linkType: number;
  /** if_tsresol as a divisor: units per second (for exact integer arithmetic). */
  unitsPerSec: bigint;
  offsetSec: bigint;
}

function readPcapng(w: Window, visit: PacketVisitor): void {
  // The block type was read. A section: its header, then blocks until the next section.
  let le = true;
  let interfaces: Interface[] = [];
  let firstNs: bigint | undefined;
  let blockType = PCAPNG_SHB;
  for (;;) {
    const at = w.offset - 4;
    const lenBytes = w.take(4, 'a block length');
    if (blockType === PCAPNG_SHB) {
      const bom = w.take(4, 'a section header');
      if (bom.readUInt32LE(0) === PCAPNG_BOM) le = true;
      else if (bom.readUInt32BE(0) === PCAPNG_BOM) le = false;
      else throw new CaptureError(`a pcapng section at byte ${at} without its byte-order magic`, 'the file is damaged');
      interfaces = [];
    }
    const total = le ? lenBytes.readUInt32LE(0) : lenBytes.readUInt32BE(0);
    checkLength(total, 'a pcapng block', at);
    const consumed = blockType === PCAPNG_SHB ? 12 : 8;
    if (total < consumed + 4 || total % 4 !== 0) throw new CaptureError(`a pcapng block at byte ${at} of length ${total}`, 'block lengths are multiples of 4, at least 12: the file is damaged');
    const body = w.take(total - consumed, 'a pcapng block');
    const u32 = (o: number) => (le ? body.readUInt32LE(o) : body.readUInt32BE(o));
    const u16 = (o: number) => (le ? body.readUInt16LE(o) : body.readUInt16BE(o));
    const bodyLen = total - consumed - 4;
    switch (blockType) {
      case 1: // Interface Description Block
        interfaces.push(describeInterface(body.subarray(0, bodyLen), u16, le));
        break;
      case 6: { // Enhanced Packet Block
        const ifc = interfaces[u32(0)];
        if (!ifc) throw new CaptureError(`a packet at byte ${at} on interface ${u32(0)}, which no Interface Description Block declared`, 'the file is damaged');
        const units = (BigInt(u32(4)) << 32n) | BigInt(u32(8));
        const caplen = u32(12);
        const wire = u32(16);
        if (20 + caplen > bodyLen) throw new CaptureError(`a packet at byte ${at} longer than its block`, 'the file is damaged');
        // ns since the epoch, exactly (BigInt): a float64 cannot hold it to the nanosecond
        const ns = ((units + ifc.offsetSec * ifc.unitsPerSec) * 1_000_000_000n) / ifc.unitsPerSec;
        if (firstNs === undefined) firstNs = ns;
        visit(Number(ns - firstNs), wire, ifc.linkType, body.subarray(20, 20 + Math.min(caplen, HEAD_BYTES)));
        break;
      }
      case 3: // Simple Packet Block
        throw new CaptureError(`a Simple Packet Block at byte ${at}: a packet without a timestamp`, 'replay needs arrival times: capture with timestamps (tcpdump -w writes Enhanced Packet Blocks)');
      case 2: // Packet Block (obsolete)
        throw new CaptureError(`an obsolete Packet Block at byte ${at}`, 'convert the capture: editcap -F pcapng in out');
      default:
        break; // name resolution, statistics, secrets, custom blocks: nothing for replay
    }
    if (w.atEnd()) return;
    const next = w.take(4, 'a block type');
    // (a new section's type, 0x0A0D0D0A, reads the same in either order)
    blockType = le ? next.readUInt32LE(0) : next.readUInt32BE(0);
  }
}

function describeInterface(body: Buffer, u16: (o: number) => number, le: boolean): Interface {
  const linkType = u16(0);
  let unitsPerSec = 1_000_000n;
  let offsetSec = 0n;
  // options from byte 8: code, length, value padded to 4
  for (let o = 8; o + 4 <= body.length; ) {
    const code = u16(o);
    const len = u16(o + 2);
    if (code === 0) break;
    if (code === 9 && len >= 1) {
      const r = body[o + 4];
      unitsPerSec = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
    } else if (code === 14 && len >= 8) {
      offsetSec = le ? body.readBigInt64LE(o + 4) : body.readBigInt64BE(o + 4);
    }
    o += 4 + Math.ceil(len / 4) * 4;
  }
  return { linkType, unitsPerSec, offsetSec };
}
