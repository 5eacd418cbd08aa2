/**
 * Which CPU each flow of a capture lands on. toeplitz: the NIC's RSS (Toeplitz hash, then the
 * indirection table, queue i served by CPU i mod cpus, as when each queue's interrupt is bound
 * to one CPU). flowhash: a software per-flow hash scaled onto the CPUs (as RPS does with the
 * kernel's flow hash, whose key is random per boot: this is a fixed hash of the same kind).
 * A frame without an IP flow gets hash 0, as a NIC gives it.
 */
import { defaultIndirectionTable, MICROSOFT_RSS_KEY, queueOf, toeplitzHash } from './toeplitz.js';

export interface NicSetup {
  queues: number;
  key: readonly number[];
  table: readonly number[];
}

/** The NIC setup from the model's fields (hex key "6d:5a:..."; defaults as `ethtool` shows them). */
export function nicSetup(cpus: number, nic: { queues?: number; key?: string; table?: number[] } | undefined): NicSetup {
  const queues = nic?.queues ?? cpus;
  const key = nic?.key ? (nic.key.replace(/:/g, '').match(/../g) ?? []).map((h) => parseInt(h, 16)) : MICROSOFT_RSS_KEY;
  return { queues, key, table: nic?.table ?? defaultIndirectionTable(queues) };
}

/** The CPU of each packet, from its flow index (-1: no flow). */
export function packetCpus(flowOf: readonly number[], flows: readonly Uint8Array[], mode: 'toeplitz' | 'flowhash', cpus: number, nic: NicSetup): number[] {
  const cpuOfHash = (h: number) => (mode === 'toeplitz' ? queueOf(h, nic.table) % cpus : Math.floor((h / 2 ** 32) * cpus));
  const byFlow = flows.map((f) => cpuOfHash(mode === 'toeplitz' ? toeplitzHash(nic.key, f) : flowHash(f)));
  const noFlow = cpuOfHash(0);
  return flowOf.map((i) => (i < 0 ? noFlow : byFlow[i]));
}

/** FNV-1a over the bytes, then murmur3's finaliser: every input bit moves every output bit. */
export function flowHash(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
