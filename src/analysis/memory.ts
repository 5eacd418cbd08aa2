/**
 * The seed's memory breakdown (seed §内存占用预估):
 *   total = base + Σ maps + event buffers + JIT code + other,
 * at the maps' maximum (max_entries) and at their typical fill.
 *
 * Map sizes follow the catalog's `memory.formulas`:
 * - 'seed': the seed's table as written (seed §Userspace 程序资源开销 2, 组成部分 2): HASH
 *   entries x (key + value + overhead), LRU + lruExtra, PERCPU_HASH CPUs x entries x
 *   (key + value + overhead), ARRAY entries x value, PERCPU_ARRAY CPUs x entries x value,
 *   STACK_TRACE entries x 127 x 8, HISTOGRAM buckets x (key + u64), SOCKMAP/SOCKHASH entries
 *   x 32. Typical = fill x maximum for hash-like maps, 100% for preallocated arrays.
 * - 'kernel': reference §5: keys and values rounded up to 8 bytes, a 16-byte bucket per
 *   power-of-two bucket, a 48-byte element header, NCPU extra elements for plain hash maps,
 *   per-CPU values (value x NCPU) plus a pointer per element. Hash maps are preallocated by
 *   default (BCC and libbpf), so their typical size is their maximum.
 * Per-CPU maps and perf buffers count the host's CPUs (MemoryParams.hostCpus).
 * No Node-only API here.
 */
import type { Catalog } from '../model/catalog-types.js';
import type { MapSpec, Scenario } from '../model/scenario.js';
import type { MemoryBreakdown } from '../result.js';

export interface MapMemory {
  maxBytes: number;
  typicalBytes: number;
}

/** Fill fraction clamped to [0, 1]. */
function fillOf(spec: MapSpec): number {
  return Math.min(1, Math.max(0, spec.fill));
}

function hashOverhead(catalog: Catalog, kernelMajor: number): number {
  const byMajor = catalog.memory.hashOverhead.byKernelMajor[String(kernelMajor)];
  return byMajor ?? catalog.memory.hashOverhead.default;
}

/** The seed's formulas (seed §Userspace 程序资源开销 2, 各 Map 类型内存计算公式). */
function seedMapMemory(spec: MapSpec, catalog: Catalog, kernelMajor: number, cpus: number): MapMemory {
  const { key, value, maxEntries: n } = spec;
  const o = hashOverhead(catalog, kernelMajor);
  const lru = catalog.memory.lruExtra;
  const filled = (max: number): MapMemory => ({ maxBytes: max, typicalBytes: max * fillOf(spec) });
  const full = (max: number): MapMemory => ({ maxBytes: max, typicalBytes: max });
  switch (spec.type) {
    case 'hash':
    case 'hash_of_maps':
      return filled(n * (key + value + o));
    case 'lru_hash':
      return filled(n * (key + value + o + lru));
    case 'percpu_hash':
      return filled(cpus * n * (key + value + o));
    case 'lru_percpu_hash':
      return filled(cpus * n * (key + value + o + lru));
    case 'percpu_array':
      return full(cpus * n * value);
    case 'stack_trace':
      return filled(n * catalog.memory.stackTraceEntry);
    case 'histogram':
      // The seed's "buckets x (key + u64)": its value is the u64 counter.
      return filled(n * (key + value));
    case 'sockmap':
      return full(n * 32);
    case 'sockhash':
      return filled(n * 32);
    case 'lpm_trie':
      // Not in the seed's table: entries x (key + value), allocated as entries arrive.
      return filled(n * (key + value));
    case 'ringbuf':
    case 'perf_event_array':
      // Their memory is the output buffer, counted under buffers.
      return full(0);
    default:
      // ARRAY: max_entries x value_size (预分配); the seed's QUEUE/STACK and the fd arrays alike.
      return full(n * value);
  }
}

const round8 = (x: number): number => Math.ceil(x / 8) * 8;

function pow2AtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** The kernel's layout (reference §5.1 hash, §5.2 array). */
function kernelMapMemory(spec: MapSpec, catalog: Catalog, kernelMajor: number, cpus: number): MapMemory {
  const { maxEntries: n } = spec;
  const k = round8(spec.key);
  const v = round8(spec.value);
  const header = hashOverhead(catalog, kernelMajor);
  const lru = catalog.memory.lruExtra;
  const buckets = pow2AtLeast(n) * catalog.memory.hashBucket;
  const pointer = 8;
  const full = (max: number): MapMemory => ({ maxBytes: max, typicalBytes: max });
  switch (spec.type) {
    case 'hash':
    case 'hash_of_maps':
      // Preallocated with NCPU extra elements for the per-CPU free lists.
      return full(buckets + (n + cpus) * (header + k + v));
    case 'percpu_hash':
      return full(buckets + n * (header + k + pointer) + n * cpus * v);
    case 'lru_hash':
      return full(buckets + n * (header + lru + k + v));
    case 'lru_percpu_hash':
      return full(buckets + n * (header + lru + k + pointer) + n * cpus * v);
    case 'histogram':
      // BCC makes an int-keyed BPF_HISTOGRAM an array, any other key a hash (b_frontend_action.cpp).
      return spec.key === 4
        ? full(n * v)
        : full(buckets + (n + cpus) * (header + k + v));
    case 'percpu_array':
      return full(n * pointer + n * cpus * v);
    case 'stack_trace':
      // Preallocated buckets of 127 frames behind a power-of-two pointer array.
      return full(pow2AtLeast(n) * pointer + n * catalog.memory.stackTraceEntry);
    case 'queue':
    case 'stack':
      return full((n + 1) * spec.value);
    case 'lpm_trie': {
      // Nodes are allocated on insert: header + key + value each (no preallocation).
      const max = n * (header + k + v);
      return { maxBytes: max, typicalBytes: max * fillOf(spec) };
    }
    case 'ringbuf':
    case 'perf_event_array':
      // The rings are counted under buffers; a perf event array holds one pointer per CPU.
      return full(spec.type === 'perf_event_array' ? n * pointer : 0);
    case 'sockhash':
      return full(buckets + (n + cpus) * (header + k + pointer));
    default:
      // ARRAY and the arrays of pointers (sockmap, devmap, cpumap, xskmap, prog_array, ...).
      return full(n * (spec.type === 'array' ? v : pointer));
  }
}

/** Memory of one map at max_entries and at its fill, by the catalog's formulas. */
export function mapMemory(spec: MapSpec, catalog: Catalog, kernelMajor: number, hostCpus: number): MapMemory {
  return catalog.memory.formulas === 'static'
    ? seedMapMemory(spec, catalog, kernelMajor, hostCpus)
    : kernelMapMemory(spec, catalog, kernelMajor, hostCpus);
}

/**
 * Output buffer memory. perf: host CPUs x (pageCnt + metadata pages) x page size (seed:
 * num_CPUs x pages x 4KB, metadata pages 0 in the seed profile, 1 in default, reference §1.1);
 * ringbuf: size + metadata pages (reference §2.1: 3; the seed: 0).
 */
export function bufferMemory(s: Scenario, catalog: Catalog): number {
  const out = s.output;
  if (out.type === 'perf_buffer') {
    return s.memory.hostCpus * (out.pageCnt + catalog.memory.perfMetaPages) * out.pageSize;
  }
  return out.size + catalog.memory.ringbufMetaPages * out.pageSize;
}

/** The seed's breakdown for a scenario: base, maps, buffers, JIT, other; max and typical. */
export function memoryBreakdown(s: Scenario, catalog: Catalog): MemoryBreakdown {
  const maps = s.maps.map((m) => {
    const mem = mapMemory(m, catalog, s.kernel.major, s.memory.hostCpus);
    return { name: m.name, type: m.type, maxBytes: mem.maxBytes, typicalBytes: mem.typicalBytes };
  });
  const mapsMaxBytes = maps.reduce((a, m) => a + m.maxBytes, 0);
  const mapsTypicalBytes = maps.reduce((a, m) => a + m.typicalBytes, 0);
  const buffers = bufferMemory(s, catalog);
  // One program per probe (each attach point loads its own program).
  const jit = s.probes.length * s.memory.jitPerProgram;
  const fixed = s.memory.base + buffers + jit + s.memory.other;
  return {
    base: s.memory.base,
    maps,
    mapsMaxBytes,
    mapsTypicalBytes,
    buffers,
    jit,
    other: s.memory.other,
    total: { maxBytes: fixed + mapsMaxBytes, typicalBytes: fixed + mapsTypicalBytes },
  };
}
