/**
 * A run and a buffer size in the words of the real tool the model names: the drop counters its
 * users watch (under the tool's names), what it would print, and the setting that gives a
 * buffer of this size. Sources: falco.yaml and userspace/falco/event_drops.cpp (Falco);
 * pkg/observer and pkg/metrics (Tetragon); Tracee's --buffers flag; bpftrace's
 * BPFTRACE_PERF_RB_PAGES; libbpf-tools' PERF_BUFFER_PAGES; BCC's open_perf_buffer(page_cnt).
 */
import type { Result, ToolView } from '../result.js';
import type { Output } from '../model/scenario.js';
import { formatBytes } from '../units/format.js';
import {
  FALCO_DROP_THRESHOLD, FALCO_PRESET_MAX, FALCO_PRESET_MIN, falcoPresetBytes, TOOL_LABELS, type ToolName,
} from '../records/tools.js';

/** The buffer shape a setting is stated for: a perf buffer's pages per CPU or a ringbuf's bytes. */
export interface BufferShape {
  type: Output['type'];
  /** perf: pages per CPU; ringbuf: bytes of one ring. */
  size: number;
  pageSize: number;
  /** Ringbuf: CPUs per ring (Falco's cpus_for_each_buffer), undefined when one ring serves all. */
  cpusPerBuffer?: number;
  hostCpus: number;
}

/** Falco's preset for a ring of `bytes`, or null when no preset gives it. */
export function falcoPreset(bytes: number): number | null {
  for (let p = FALCO_PRESET_MIN; p <= FALCO_PRESET_MAX; p++) if (falcoPresetBytes(p) === bytes) return p;
  return null;
}

/** The tool's own setting for this buffer, e.g. "engine.modern_ebpf.buf_size_preset: 5". */
export function toolBufferSetting(tool: ToolName, b: BufferShape): string {
  const perf = b.type === 'perf_buffer';
  switch (tool) {
    case 'falco-modern-ebpf': {
      if (perf) return `a perf buffer of ${b.size} pages per CPU (the modern_ebpf driver uses a BPF ringbuf)`;
      const preset = falcoPreset(b.size);
      const k = `cpus_for_each_buffer: ${b.cpusPerBuffer ?? 0}`;
      return preset === null
        ? `no buf_size_preset gives ${formatBytes(b.size)} per buffer (presets ${FALCO_PRESET_MIN}..${FALCO_PRESET_MAX}: 1 MiB..512 MiB), ${k}`
        : `engine.modern_ebpf.buf_size_preset: ${preset}, ${k}`;
    }
    case 'tetragon':
      // Tetragon sizes its BPF ringbuf as --rb-size x possible CPUs (or --rb-size-total),
      // rounded up to a power of two pages; a perf ring as --rb-size rounded up to a power of
      // two pages plus one metadata page.
      return perf
        ? `--use-perf-ring-buffer --rb-size=${b.size * b.pageSize} (${b.size} pages per CPU, plus one metadata page)`
        : `--rb-size-total=${b.size} (--rb-size=${Math.floor(b.size / b.hostCpus)} on ${b.hostCpus} CPUs; rounded up to a power of two pages)`;
    case 'tracee':
      return perf ? `--buffers kernel.events=${b.size}` : `a ringbuf of ${formatBytes(b.size)} (Tracee's event buffer is a perf buffer)`;
    case 'bpftrace':
      return perf ? `BPFTRACE_PERF_RB_PAGES=${b.size}` : `a ringbuf of ${formatBytes(b.size)}`;
    case 'libbpf-tools':
      return perf ? `#define PERF_BUFFER_PAGES ${b.size}` : `bpf_map__set_max_entries(events, ${b.size})`;
    case 'bcc':
      return perf ? `open_perf_buffer(..., page_cnt=${b.size})` : `BPF_RINGBUF_OUTPUT(events, ${b.size / b.pageSize})`;
  }
}

/** The sizes a tool can be set to, when it offers a fixed menu: Falco's presets (ringbuf bytes). */
export function toolSizeRange(tool: ToolName, type: Output['type']): { min: number; max: number } | undefined {
  if (tool === 'falco-modern-ebpf' && type === 'ringbuf') return { min: falcoPresetBytes(FALCO_PRESET_MIN), max: falcoPresetBytes(FALCO_PRESET_MAX) };
  return undefined;
}

/** The buffer shape of a scenario's output. */
export function outputShape(out: Output, hostCpus: number, cpus: number): BufferShape {
  const perf = out.type === 'perf_buffer';
  const k = out.cpusPerBuffer;
  return {
    type: out.type,
    size: perf ? out.pageCnt : out.size,
    pageSize: out.pageSize,
    ...(!perf && k !== undefined && k < cpus ? { cpusPerBuffer: k } : {}),
    hostCpus,
  };
}

/** The run as the tool would report it. */
export function toolView(tool: ToolName, r: Result, shape: BufferShape): ToolView {
  const e = r.events;
  const seconds = (r.meta.simulatedNs - r.meta.warmupNs) / 1e9;
  const perSec = seconds > 0 ? e.lost / seconds : 0;
  const counters: ToolView['counters'] = [];
  const messages: string[] = [];
  switch (tool) {
    case 'falco-modern-ebpf': {
      const ratio = e.generated > 0 ? e.lost / e.generated : 0;
      counters.push(
        { name: 'scap.n_evts', value: e.generated, meaning: 'events the driver saw, drops included' },
        { name: 'scap.n_drops_buffer', value: e.lost, meaning: 'events dropped because their ring buffer was full' },
        { name: 'n_drops_buffer/s', value: perSec, meaning: 'the same, per second' },
        { name: 'drop ratio', value: ratio, meaning: `n_drops / n_evts over the run; syscall_event_drops alerts when a second's ratio is above ${FALCO_DROP_THRESHOLD}` },
      );
      if (ratio > FALCO_DROP_THRESHOLD) {
        messages.push(`Falco internal: syscall event drop. ${Math.round(perSec)} system calls dropped in last second.`);
      }
      break;
    }
    case 'tetragon':
      counters.push({ name: 'tetragon_bpf_missed_events_total', value: e.lost, meaning: 'events the BPF programs failed to send (ring full)' });
      if (r.pipeline !== undefined && r.pipeline.length > 0) {
        counters.push({ name: 'tetragon_observer_ringbuf_queue_events_lost_total', value: r.pipeline[0].dropped, meaning: `events dropped by the full channel behind the reader (${r.pipeline[0].name})` });
      }
      if (shape.type === 'perf_buffer') {
        counters.push({ name: 'tetragon_observer_ringbuf_events_lost_total', value: e.lostReported, meaning: 'perf LOST records the reader has read' });
      }
      break;
    case 'tracee':
      counters.push(
        { name: 'lost events', value: e.lostReported, meaning: 'losses the perf reader was told of (LOST records)' },
        { name: 'lost events/s', value: seconds > 0 ? e.lostReported / seconds : 0, meaning: 'as tracee-bench shows them' },
      );
      break;
    case 'bpftrace':
      if (e.lostReported > 0) messages.push(`Lost ${e.lostReported} events`);
      counters.push({ name: 'Lost N events', value: e.lostReported, meaning: 'what bpftrace prints: losses reported by perf LOST records' });
      break;
    case 'libbpf-tools':
      if (e.lostReported > 0) messages.push(`Lost ${e.lostReported} events (lost callback, summed over CPUs)`);
      counters.push({ name: 'lost_cb total', value: e.lostReported, meaning: 'losses passed to perf_buffer__new\'s lost callback' });
      break;
    case 'bcc':
      if (e.lostReported > 0) messages.push(`Possibly lost ${e.lostReported} samples`);
      counters.push({ name: 'Possibly lost N samples', value: e.lostReported, meaning: 'what BCC prints for each perf LOST record, summed' });
      break;
  }
  if (e.lostReported < e.lost && tool !== 'falco-modern-ebpf' && !(tool === 'tetragon' && shape.type === 'ringbuf')) {
    counters.push({ name: 'dropped by the kernel', value: e.lost, meaning: 'all events lost; a perf ring reports a loss only with the next record that fits' });
  }
  return { name: tool, label: TOOL_LABELS[tool], counters, messages, bufferSetting: toolBufferSetting(tool, shape) };
}
