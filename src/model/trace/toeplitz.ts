/**
 * Receive-side scaling as a NIC does it: the Toeplitz hash of a packet's addresses and ports
 * under a 40-byte key, then an indirection table from the hash's low bits to a receive queue.
 * Algorithm and default key: Microsoft, "RSS hashing functions" and "Verifying the RSS hash
 * calculation" (learn.microsoft.com/windows-hardware/drivers/network); the same key is the
 * default of many NIC drivers (Intel 82599 datasheet, section 7.1.2.8).
 */

/** The key of Microsoft's RSS verification suite, the default of many NIC drivers. */
export const MICROSOFT_RSS_KEY: readonly number[] = [
  0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
  0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
];

/** Indirection-table entries when the model gives no table (Linux's ethtool default size). */
export const DEFAULT_TABLE_SIZE = 128;

/**
 * The Toeplitz hash of `input` under `key`: for every set bit of the input (most significant
 * bit of input[0] first), XOR in the 32 key bits that start at that bit position. The key must
 * be at least 4 bytes longer than the input (40 bytes cover an IPv6 4-tuple: 36 bytes).
 */
export function toeplitzHash(key: readonly number[], input: Uint8Array): number {
  if (key.length < input.length + 4) throw new RangeError(`a ${input.length}-byte input needs a key of ${input.length + 4} bytes or more`);
  let result = 0;
  // window holds the 32 key bits starting at the current input bit
  let window = ((key[0] << 24) | (key[1] << 16) | (key[2] << 8) | key[3]) >>> 0;
  for (let i = 0; i < input.length; i++) {
    const next = key[i + 4];
    const byte = input[i];
    for (let b = 7; b >= 0; b--) {
      if ((byte >> b) & 1) result ^= window;
      window = ((window << 1) | ((next >> b) & 1)) >>> 0;
    }
  }
  return result >>> 0;
}

/** ethtool's default table: entry i is queue i mod queues. */
export function defaultIndirectionTable(queues: number, size = DEFAULT_TABLE_SIZE): number[] {
  return Array.from({ length: size }, (_, i) => i % queues);
}

/** The receive queue a hash lands in: the table entry its low bits index (table size a power of two). */
export function queueOf(hash: number, table: readonly number[]): number {
  return table[hash & (table.length - 1)];
}
