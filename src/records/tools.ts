/**
 * The real tools a model may say it is (`tool:`), so that results and sizing answers speak the
 * tool's own words: the counters its users watch and the setting that sizes its buffer. The
 * defaults behind each preset live in models/tools/<name>.yaml with their sources.
 */

export const TOOL_NAMES = ['falco-modern-ebpf', 'tetragon', 'tracee', 'bpftrace', 'libbpf-tools', 'bcc'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** Falco's buf_size_preset table: index i (1..10) is 2^(19 + i) bytes, 1 MiB .. 512 MiB (falco.yaml). */
export const FALCO_PRESET_MIN = 1;
export const FALCO_PRESET_MAX = 10;
export function falcoPresetBytes(preset: number): number {
  return 2 ** (19 + preset);
}

/**
 * Falco's syscall_event_drops.threshold: an alert when dropped / all events over the last
 * second exceeds it (falco.yaml default .1, userspace/falco/event_drops.cpp).
 */
export const FALCO_DROP_THRESHOLD = 0.1;

/** How each tool is named to users. */
export const TOOL_LABELS: Record<ToolName, string> = {
  'falco-modern-ebpf': 'Falco (modern_ebpf driver)',
  tetragon: 'Tetragon',
  tracee: 'Tracee',
  bpftrace: 'bpftrace',
  'libbpf-tools': 'libbpf-tools',
  bcc: 'BCC (Python)',
};

/**
 * Tetragon's BPF ringbuf: --rb-size (default 64 KiB) x possible CPUs, rounded up to a power of
 * two pages (pkg/config/config_linux.go GetRBSize).
 */
export function tetragonRingbufBytes(perCpuBytes: number, cpus: number, pageSize: number): number {
  const pages = Math.floor((perCpuBytes * cpus) / pageSize);
  return 2 ** Math.ceil(Math.log2(pages)) * pageSize;
}

/**
 * Tetragon's perf ring per CPU with --use-perf-ring-buffer: --rb-size (default 65535 bytes)
 * rounded up to whole pages, then to a power of two pages, plus one metadata page
 * (pkg/observer/observer_linux.go perfBufferSize). Returns the data pages.
 */
export function tetragonPerfDataPages(perCpuBytes: number, pageSize: number): number {
  return 2 ** Math.ceil(Math.log2(Math.ceil(perCpuBytes / pageSize)));
}
