/**
 * Exact record sizes in the kernel's rings (reference/ebpf-datapath-facts.md §1.3, §2.2).
 */

/** perf buffer: perf_event_header (8) + u32 size + payload, padded to 8: 8 + round_up(S + 4, 8). */
export function perfRecordBytes(payload: number): number {
  return 8 + Math.ceil((payload + 4) / 8) * 8;
}

/** BPF ringbuf: 8-byte header + payload, padded to 8: round_up(S + 8, 8). */
export function ringbufRecordBytes(payload: number): number {
  return Math.ceil((payload + 8) / 8) * 8;
}

/** The size a perf callback is told: round_up(S + 4, 8) - 4 (the padded size, not S). */
export function perfSizeSeenByCallback(payload: number): number {
  return Math.ceil((payload + 4) / 8) * 8 - 4;
}

/** PERF_RECORD_LOST: header 8 + id 8 + lost 8 (no sample_id_all in BCC or libbpf). */
export const PERF_LOST_RECORD_BYTES = 24;

/**
 * Neither ring can ever fill its last 8 bytes: a record fits only while
 * used + size <= data size - 8 (perf CIRC_SPACE, ringbuf's `new_prod_pos - cons_pos > mask`).
 */
export const RING_UNUSABLE_BYTES = 8;

/** Records of one size that fit in an empty ring of `dataBytes`: floor((D - 8) / rec). */
export function recordsThatFit(dataBytes: number, recordBytes: number): number {
  return Math.floor((dataBytes - RING_UNUSABLE_BYTES) / recordBytes);
}
