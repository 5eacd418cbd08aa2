/**
 * Kernel versions and the BPF features they have. A model names a kernel ("5.15",
 * "4.19.90-openeuler"); a feature it lacks is a model error that says what to use instead.
 *
 * Versions: reference/ebpf-datapath-facts.md §6 (checked), the rest from BCC
 * docs/kernel-versions.md (commit given beside each row). openEuler 4.19.90 is a named profile
 * (seed §针对 openEuler 4.19.90 的特别建议: no fentry/fexit, tp_btf, ringbuf, CO-RE).
 * No Node-only API here.
 */
import type { KernelInfo, MapType } from './scenario.js';

export type KernelFeature =
  | 'kprobe'
  | 'tc'
  | 'prog_array'
  | 'perf_event_array'
  | 'perf_event_output'
  | 'percpu_maps'
  | 'stack_trace'
  | 'tracepoint'
  | 'cgroup_array'
  | 'xdp'
  | 'lru_maps'
  | 'lpm_trie'
  | 'prog_test_run'
  | 'map_in_map'
  | 'sockmap'
  | 'devmap'
  | 'cpumap'
  | 'raw_tracepoint'
  | 'btf'
  | 'sockhash'
  | 'xskmap'
  | 'queue_stack'
  | 'bpf_stats'
  | 'large_programs'
  | 'bounded_loops'
  | 'btf_vmlinux'
  | 'fentry'
  | 'fexit'
  | 'tp_btf'
  | 'lsm'
  | 'ringbuf'
  | 'cap_bpf'
  | 'sleepable';

interface FeatureRule {
  /** First mainline version with the feature: [major, minor]. */
  since: readonly [number, number];
  /** What the feature is, as the message names it. */
  what: string;
  /** What to use instead on an older kernel. */
  instead: string;
  /** Where the version comes from. */
  source: string;
}

const REF6 = 'kernel commit';
const BCC_KV = 'BCC docs/kernel-versions.md';

const RULES: Record<KernelFeature, FeatureRule> = {
  kprobe: { since: [4, 1], what: 'BPF on kprobes', instead: 'use a kernel with BPF tracing (4.1+)', source: `${BCC_KV} 2541517c32be` },
  tc: { since: [4, 1], what: 'cls_bpf (tc) programs', instead: 'use attach: kprobe', source: `${BCC_KV} e2e9b6541dd4` },
  prog_array: { since: [4, 2], what: 'tail calls (prog_array)', instead: 'use one larger program', source: `${BCC_KV} 04fd61ab36ec` },
  perf_event_array: { since: [4, 3], what: 'perf event array maps', instead: 'use in-kernel aggregation (aggregate steps)', source: `${REF6} ea317b267e9d` },
  perf_event_output: { since: [4, 4], what: 'bpf_perf_event_output', instead: 'use in-kernel aggregation (aggregate steps)', source: `${REF6} a43eec304259` },
  percpu_maps: { since: [4, 6], what: 'per-CPU hash and array maps', instead: 'use type: hash or array', source: `${BCC_KV} 824bd0ce6c7c, a10423b87a7e` },
  stack_trace: { since: [4, 6], what: 'stack trace maps', instead: 'leave out the stack trace map', source: `${BCC_KV} d5a3b1f69186` },
  tracepoint: { since: [4, 7], what: 'BPF on tracepoints', instead: 'use attach: kprobe', source: `${BCC_KV} 98b5c2c65c29` },
  cgroup_array: { since: [4, 8], what: 'cgroup array maps', instead: 'use type: hash', source: `${BCC_KV} 4ed8ec521ed5` },
  xdp: { since: [4, 8], what: 'XDP programs', instead: 'use attach: tc', source: `${BCC_KV} 6a773a15a1e8` },
  lru_maps: { since: [4, 10], what: 'LRU hash maps', instead: 'use type: hash (and delete entries yourself)', source: `${BCC_KV} 29ba732acbee` },
  lpm_trie: { since: [4, 11], what: 'LPM trie maps', instead: 'use type: hash', source: `${BCC_KV} b95a5c4db09b` },
  prog_test_run: { since: [4, 12], what: 'BPF_PROG_TEST_RUN', instead: 'measure on a live probe', source: `${REF6} 1cf1cae963c2` },
  map_in_map: { since: [4, 12], what: 'map-in-map (array_of_maps, hash_of_maps)', instead: 'use one flat map', source: `${BCC_KV} 56f668dfe00d, bcc6b1b7ebf8` },
  sockmap: { since: [4, 14], what: 'sockmap', instead: 'leave out the sockmap', source: `${BCC_KV} 174a79ff9515` },
  devmap: { since: [4, 14], what: 'devmap', instead: 'leave out the devmap', source: `${BCC_KV} 546ac1ffb70d` },
  cpumap: { since: [4, 15], what: 'cpumap', instead: 'leave out the cpumap', source: `${BCC_KV} 6710e1126934` },
  raw_tracepoint: { since: [4, 17], what: 'raw_tracepoint', instead: 'use attach: tracepoint or kprobe', source: `${REF6} c4f6699dfcb8` },
  btf: { since: [4, 18], what: 'BTF', instead: 'use BCC, which compiles against the kernel headers', source: `${REF6} 69b693f0aefa` },
  sockhash: { since: [4, 18], what: 'sockhash', instead: 'use type: sockmap', source: `${BCC_KV} 81110384441a` },
  xskmap: { since: [4, 18], what: 'AF_XDP socket maps', instead: 'leave out the xskmap', source: `${BCC_KV} fbfc504a24f5` },
  queue_stack: { since: [4, 20], what: 'queue and stack maps', instead: 'use type: array with an index', source: `${BCC_KV} f1a2e44a3aec` },
  bpf_stats: { since: [5, 1], what: 'program run statistics (kernel.bpf_stats_enabled)', instead: 'measure with perf instead', source: `${REF6} 492ecee892c2` },
  large_programs: { since: [5, 2], what: 'programs over 4096 instructions (1M limit)', instead: 'keep each program under 4096 instructions, or split it with tail calls', source: `${REF6} c04c0d2b968a` },
  bounded_loops: { since: [5, 3], what: 'bounded loops', instead: 'unroll the loop (#pragma unroll): repeat its steps instead of loop:', source: `${REF6} 2589726d12a1` },
  btf_vmlinux: { since: [5, 4], what: 'kernel BTF in /sys/kernel/btf/vmlinux (CO-RE)', instead: 'use BCC, which compiles against the kernel headers at run time', source: 'kernel commit 341dfcf8d78e "btf: expose BTF info through sysfs" (5.4)' },
  fentry: { since: [5, 5], what: 'fentry', instead: 'use attach: raw_tracepoint (4.17+) or kprobe', source: `${REF6} fec56f5890d9` },
  fexit: { since: [5, 5], what: 'fexit', instead: 'use attach: kretprobe', source: `${REF6} fec56f5890d9` },
  tp_btf: { since: [5, 5], what: 'tp_btf', instead: 'use attach: raw_tracepoint (4.17+) or tracepoint', source: `${REF6} f1b9509c2fb0` },
  lsm: { since: [5, 7], what: 'BPF LSM programs', instead: 'use attach: kprobe on the security_* hook', source: `${REF6} fc611f47f218` },
  ringbuf: { since: [5, 8], what: 'ringbuf', instead: 'use output.type: perf_buffer', source: `${REF6} 457f44363a88` },
  cap_bpf: { since: [5, 8], what: 'CAP_BPF', instead: 'run as root (CAP_SYS_ADMIN)', source: 'kernel patch "bpf, capability: Introduce CAP_BPF" (bpf-next 2020-05-15, Linux 5.8)' },
  sleepable: { since: [5, 10], what: 'sleepable programs', instead: 'use non-sleepable probes', source: `${REF6} 1e6c62a88215` },
};

/** Features a named profile lacks whatever its version says (distribution kernels). */
interface KernelProfile {
  base: readonly [number, number, number];
  lacks: readonly KernelFeature[];
  source: string;
}

const PROFILES: Record<string, KernelProfile> = {
  'openeuler-4.19.90': {
    base: [4, 19, 90],
    // The version rules already exclude these; listing them keeps the profile's statement explicit.
    lacks: ['fentry', 'fexit', 'tp_btf', 'ringbuf', 'btf_vmlinux'],
    source: 'openEuler 4.19.90 kernel: a 4.19 base, no fentry/fexit, tp_btf, ringbuf or kernel BTF (CO-RE) backported',
  },
};

/** The attach types a model may name (model-format.md). */
export const ATTACH_TYPES = [
  'kprobe', 'kretprobe', 'tracepoint', 'raw_tracepoint', 'tp_btf', 'fentry', 'fexit',
  'uprobe', 'uretprobe', 'lsm', 'xdp', 'tc',
] as const;
export type AttachType = (typeof ATTACH_TYPES)[number];

const ATTACH_FEATURE: Record<AttachType, KernelFeature> = {
  kprobe: 'kprobe',
  kretprobe: 'kprobe',
  // uprobes reach BPF through the same perf kprobe/uprobe event path (4.1).
  uprobe: 'kprobe',
  uretprobe: 'kprobe',
  tracepoint: 'tracepoint',
  raw_tracepoint: 'raw_tracepoint',
  tp_btf: 'tp_btf',
  fentry: 'fentry',
  fexit: 'fexit',
  lsm: 'lsm',
  xdp: 'xdp',
  tc: 'tc',
};

/** Every map type of the Scenario contract, for validation and listings. */
export const MAP_TYPES = [
  'hash', 'array', 'percpu_hash', 'percpu_array', 'lru_hash', 'lru_percpu_hash', 'stack_trace',
  'lpm_trie', 'queue', 'stack', 'histogram', 'sockmap', 'sockhash', 'devmap', 'cpumap', 'xskmap',
  'prog_array', 'cgroup_array', 'array_of_maps', 'hash_of_maps', 'perf_event_array', 'ringbuf',
] as const satisfies readonly MapType[];

// Compile-time check that MAP_TYPES lists every MapType.
type MissingMapType = Exclude<MapType, (typeof MAP_TYPES)[number]>;
const mapTypesComplete: MissingMapType extends never ? true : never = true;
void mapTypesComplete;

const MAP_FEATURE: Partial<Record<MapType, KernelFeature>> = {
  percpu_hash: 'percpu_maps',
  percpu_array: 'percpu_maps',
  lru_hash: 'lru_maps',
  lru_percpu_hash: 'lru_maps',
  stack_trace: 'stack_trace',
  lpm_trie: 'lpm_trie',
  queue: 'queue_stack',
  stack: 'queue_stack',
  sockmap: 'sockmap',
  sockhash: 'sockhash',
  devmap: 'devmap',
  cpumap: 'cpumap',
  xskmap: 'xskmap',
  prog_array: 'prog_array',
  cgroup_array: 'cgroup_array',
  array_of_maps: 'map_in_map',
  hash_of_maps: 'map_in_map',
  perf_event_array: 'perf_event_array',
  ringbuf: 'ringbuf',
};

const VERSION_RE = /^(\d+)\.(\d+)(?:\.(\d+))?/;

/**
 * Parses a kernel version as a model writes it: "5.15", "6.1.0", "5.15.0-91-generic",
 * "4.19.90-openeuler", "openeuler-4.19.90", "4.19.90-2204.3.0.0146.oe1.x86_64".
 * Returns null when no major.minor version can be read.
 */
export function parseKernel(version: string): KernelInfo | null {
  const text = version.trim();
  const lower = text.toLowerCase();
  const isOpenEuler = lower.includes('openeuler') || /\.oe\d/.test(lower);
  const numeric = lower.replace(/^openeuler[-_ ]?/, '');
  const m = VERSION_RE.exec(numeric);
  if (!m) return null;
  const info: KernelInfo = {
    version: text,
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
  };
  if (isOpenEuler) {
    const name = `openeuler-${info.major}.${info.minor}.${info.patch}`;
    if (PROFILES[name]) info.profile = name;
  }
  return info;
}

/** The names of the kernel profiles bpfsim knows ("openeuler-4.19.90"). */
export function kernelProfiles(): string[] {
  return Object.keys(PROFILES);
}

function atLeast(k: KernelInfo, since: readonly [number, number]): boolean {
  return k.major > since[0] || (k.major === since[0] && k.minor >= since[1]);
}

/** Whether the kernel has the feature (version rule and named-profile exclusions). */
export function hasFeature(feature: KernelFeature, kernel: KernelInfo): boolean {
  return featureProblem(feature, kernel) === null;
}

/**
 * Why the kernel cannot run the feature, with what to use instead; null when it can. E.g.
 * ringbuf on 4.19.90-openeuler: "ringbuf needs kernel 5.8 or later; 4.19.90-openeuler lacks it",
 * hint "use output.type: perf_buffer".
 */
export function featureProblem(feature: KernelFeature, kernel: KernelInfo): { message: string; hint: string } | null {
  const rule = RULES[feature];
  const [maj, min] = rule.since;
  if (!atLeast(kernel, rule.since)) {
    return { message: `${rule.what} needs kernel ${maj}.${min} or later; ${kernel.version} lacks it`, hint: rule.instead };
  }
  const profile = kernel.profile ? PROFILES[kernel.profile] : undefined;
  if (profile && profile.lacks.includes(feature)) {
    return { message: `${rule.what} is not available on ${kernel.profile} (${profile.source})`, hint: rule.instead };
  }
  return null;
}

/** The first mainline version with the feature, e.g. "5.8", and where that comes from. */
export function featureSince(feature: KernelFeature): { version: string; source: string } {
  const rule = RULES[feature];
  return { version: `${rule.since[0]}.${rule.since[1]}`, source: rule.source };
}

/** The feature an attach type needs, or null for an unknown attach type. */
export function attachFeature(attach: string): KernelFeature | null {
  return (ATTACH_FEATURE as Record<string, KernelFeature>)[attach] ?? null;
}

/** The feature a map type needs beyond basic hash/array maps (null: none, or unknown type). */
export function mapFeature(type: string): KernelFeature | null {
  return (MAP_FEATURE as Record<string, KernelFeature>)[type] ?? null;
}

/** The verifier's instruction limit for a privileged program (4096 before 5.2, 1M after). */
export function maxInstructions(kernel: KernelInfo): number {
  return atLeast(kernel, RULES.large_programs.since) ? 1_000_000 : 4096;
}

/**
 * Sizes the kernel cannot have. `max_entries` is a __u32 in `union bpf_attr` (BPF_MAP_CREATE),
 * so a map holds at most 2^32 - 1 entries and a ringbuf (whose max_entries is its data size in
 * bytes, a power of two) at most 2^31 bytes; RINGBUF_MAX_DATA_SZ (~64 GiB) is larger still.
 */
export const MAX_MAP_ENTRIES = 2 ** 32 - 1;
export const MAX_RINGBUF_BYTES = 2 ** 31;

/**
 * Most data pages of one perf buffer: rb_alloc (kernel/events/ring_buffer.c) keeps a pointer per
 * page in one kmalloc of at most PAGE_SIZE << MAX_PAGE_ORDER (order 10), and fails above it:
 * with the struct's header, the largest power of two that fits is pageSize * 64 pages
 * (2^18 pages, 1 GiB per CPU, with 4 KiB pages).
 */
export function maxPerfPages(pageSize: number): number {
  return pageSize * 64;
}
