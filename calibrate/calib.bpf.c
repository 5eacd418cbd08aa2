// SPDX-License-Identifier: GPL-2.0
/*
 * BPF side of `bpfsim calibrate`.
 *
 * run_ops: one BPF_PROG_TEST_RUN runs `n_iters` calls of one operation in bpf_loop and times
 *   them with bpf_ktime_get_ns; the loader subtracts the OP_NOP loop to get the cost per call.
 * e_*: empty programs, one per attach type, for the attach-cost measurement.
 * v_*: traced programs for wake-up, consumer and validation runs: submit an event per hit.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "calib.h"

char LICENSE[] SEC("license") = "GPL";

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4 * CALIB_MAP_KEYS);
	 __type(key, __u32); __type(value, __u64); } m_hash SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, CALIB_MAP_KEYS);
	 __type(key, __u32); __type(value, __u64); } m_array SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_HASH); __uint(max_entries, 4 * CALIB_MAP_KEYS);
	 __type(key, __u32); __type(value, __u64); } m_pcpu_hash SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, CALIB_MAP_KEYS);
	 __type(key, __u32); __type(value, __u64); } m_pcpu_array SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __uint(max_entries, 4 * CALIB_MAP_KEYS);
	 __type(key, __u32); __type(value, __u64); } m_lru_hash SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH); __uint(max_entries, 4 * CALIB_MAP_KEYS);
	 __type(key, __u32); __type(value, __u64); } m_lru_pcpu_hash SEC(".maps");

struct lpm_key { __u32 prefixlen; __u32 addr; };
struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, 4 * CALIB_MAP_KEYS);
	 __uint(map_flags, BPF_F_NO_PREALLOC);
	 __type(key, struct lpm_key); __type(value, __u64); } m_lpm SEC(".maps");

struct { __uint(type, BPF_MAP_TYPE_QUEUE); __uint(max_entries, CALIB_MAP_KEYS);
	 __type(value, __u64); } m_queue SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_STACK); __uint(max_entries, CALIB_MAP_KEYS);
	 __type(value, __u64); } m_stack SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_STACK_TRACE); __uint(max_entries, CALIB_MAP_KEYS);
	 __uint(key_size, sizeof(__u32)); __uint(value_size, 127 * sizeof(__u64)); } m_stacks SEC(".maps");

struct scratch { char data[CALIB_MAX_EVENT]; };
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1);
	 __type(key, __u32); __type(value, struct scratch); } m_scratch SEC(".maps");

/* Sizes are set by the loader before load. */
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 1 << 20); } rb SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } rb_small SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); __uint(key_size, sizeof(int));
	 __uint(value_size, sizeof(int)); } pb SEC(".maps");

/* Control and results, shared with the loader through the mmap'ed .bss. */
__u32 op;
__u32 n_iters;
__u32 ev_size;
__u64 elapsed_ns;
__u64 errors;
__u64 sink;
__u64 user_buf;

/* Traced programs: which process, where to submit, what happened. */
__u32 target_tgid;
__u32 out_kind;      /* 0: none, 1: ringbuf, 2: perf buffer */
__u32 rb_flags;
__u64 hits;
__u64 submitted;
__u64 failed;
__u64 seq;
__u32 syscall_nr;  /* the traced syscall, for raw_tracepoint/sys_enter */

/* Wake-ups the kernel actually delivered (irq_work ran), counted by fentry. */
__u64 rb_notifies;
__u64 perf_wakeups;

struct loop_ctx {
	void *ctx;
	void *buf;
	__u64 err;
	__u64 acc;
};

static __always_inline __u32 event_size(void)
{
	__u32 sz = ev_size;
	if (sz == 0 || sz > CALIB_MAX_EVENT)
		sz = 8;
	return sz;
}

#define RESERVE_CASE(N, FLAGS)                                   \
	case N: {                                                \
		__u64 *p = bpf_ringbuf_reserve(&rb, N, 0);        \
		if (!p) { lc->err++; return 0; }                 \
		*p = i;                                          \
		bpf_ringbuf_submit(p, FLAGS);                    \
		return 0;                                        \
	}

static __always_inline long reserve_submit(struct loop_ctx *lc, __u32 i, __u64 flags)
{
	switch (ev_size) {
	RESERVE_CASE(8, flags)
	RESERVE_CASE(64, flags)
	RESERVE_CASE(256, flags)
	RESERVE_CASE(1024, flags)
	RESERVE_CASE(4096, flags)
	default:
		lc->err++;
	}
	return 0;
}

static long op_step(__u32 i, struct loop_ctx *lc)
{
	__u32 k = i & (CALIB_MAP_KEYS - 1);
	__u64 v = i, *p;
	long r = 0;

	switch (op) {
	case OP_NOP:
		lc->acc += i;
		break;
	case OP_HASH_LOOKUP:
		p = bpf_map_lookup_elem(&m_hash, &k);
		if (p) lc->acc += *p; else lc->err++;
		break;
	case OP_HASH_UPDATE:
		r = bpf_map_update_elem(&m_hash, &k, &v, BPF_ANY);
		break;
	case OP_HASH_DELETE:
		r = bpf_map_delete_elem(&m_hash, &k);
		break;
	case OP_ARRAY_LOOKUP:
		p = bpf_map_lookup_elem(&m_array, &k);
		if (p) lc->acc += *p; else lc->err++;
		break;
	case OP_ARRAY_UPDATE:
		r = bpf_map_update_elem(&m_array, &k, &v, BPF_ANY);
		break;
	case OP_PCPU_HASH_LOOKUP:
		p = bpf_map_lookup_elem(&m_pcpu_hash, &k);
		if (p) lc->acc += *p; else lc->err++;
		break;
	case OP_PCPU_HASH_UPDATE:
		r = bpf_map_update_elem(&m_pcpu_hash, &k, &v, BPF_ANY);
		break;
	case OP_PCPU_HASH_DELETE:
		r = bpf_map_delete_elem(&m_pcpu_hash, &k);
		break;
	case OP_PCPU_ARRAY_LOOKUP:
		p = bpf_map_lookup_elem(&m_pcpu_array, &k);
		if (p) lc->acc += *p; else lc->err++;
		break;
	case OP_PCPU_ARRAY_UPDATE:
		r = bpf_map_update_elem(&m_pcpu_array, &k, &v, BPF_ANY);
		break;
	case OP_LRU_HASH_LOOKUP:
		p = bpf_map_lookup_elem(&m_lru_hash, &k);
		if (p) lc->acc += *p; else lc->err++;
		break;
	case OP_LRU_HASH_UPDATE:
		r = bpf_map_update_elem(&m_lru_hash, &k, &v, BPF_ANY);
		break;
	case OP_LRU_HASH_DELETE:
		r = bpf_map_delete_elem(&m_lru_hash, &k);
		break;
	case OP_LRU_PCPU_HASH_LOOKUP:
		p = bpf_map_lookup_elem(&m_lru_pcpu_hash, &k);
		if (p) lc->acc += *p; else lc->err++;
		break;
	case OP_LRU_PCPU_HASH_UPDATE:
		r = bpf_map_update_elem(&m_lru_pcpu_hash, &k, &v, BPF_ANY);
		break;
	case OP_LRU_PCPU_HASH_DELETE:
		r = bpf_map_delete_elem(&m_lru_pcpu_hash, &k);
		break;
	case OP_LPM_LOOKUP: {
		struct lpm_key key = { .prefixlen = 32, .addr = k };
		p = bpf_map_lookup_elem(&m_lpm, &key);
		if (p) lc->acc += *p; else lc->err++;
		break;
	}
	case OP_LPM_UPDATE: {
		struct lpm_key key = { .prefixlen = 32, .addr = k };
		r = bpf_map_update_elem(&m_lpm, &key, &v, BPF_ANY);
		break;
	}
	case OP_LPM_DELETE: {
		struct lpm_key key = { .prefixlen = 32, .addr = k };
		r = bpf_map_delete_elem(&m_lpm, &key);
		break;
	}
	case OP_QUEUE_PUSH_POP:
		r = bpf_map_push_elem(&m_queue, &v, BPF_ANY);
		if (!r) r = bpf_map_pop_elem(&m_queue, &v);
		break;
	case OP_STACK_PUSH_POP:
		r = bpf_map_push_elem(&m_stack, &v, BPF_ANY);
		if (!r) r = bpf_map_pop_elem(&m_stack, &v);
		break;
	case OP_KTIME_GET_NS:
		lc->acc += bpf_ktime_get_ns();
		break;
	case OP_GET_CURRENT_PID_TGID:
		lc->acc += bpf_get_current_pid_tgid();
		break;
	case OP_GET_CURRENT_UID_GID:
		lc->acc += bpf_get_current_uid_gid();
		break;
	case OP_GET_CURRENT_COMM: {
		char comm[CALIB_COMM_LEN];
		r = bpf_get_current_comm(comm, sizeof(comm));
		lc->acc += comm[0];
		break;
	}
	case OP_GET_SMP_PROCESSOR_ID:
		lc->acc += bpf_get_smp_processor_id();
		break;
	case OP_GET_CURRENT_TASK:
		lc->acc += bpf_get_current_task();
		break;
	case OP_PROBE_READ_KERNEL_8: {
		__u64 dst;
		r = bpf_probe_read_kernel(&dst, sizeof(dst), lc->buf);
		lc->acc += dst;
		break;
	}
	case OP_PROBE_READ_KERNEL_64: {
		__u64 dst[8];
		r = bpf_probe_read_kernel(dst, sizeof(dst), lc->buf);
		lc->acc += dst[7];
		break;
	}
	case OP_PROBE_READ_USER_64: {
		__u64 dst[8];
		r = bpf_probe_read_user(dst, sizeof(dst), (void *)user_buf);
		lc->acc += dst[7];
		break;
	}
	case OP_PROBE_READ_KERNEL_STR: {
		char dst[64];
		r = bpf_probe_read_kernel_str(dst, sizeof(dst), lc->buf);
		if (r > 0) r = 0;
		break;
	}
	case OP_GET_PRANDOM_U32:
		lc->acc += bpf_get_prandom_u32();
		break;
	case OP_GET_STACKID:
		r = bpf_get_stackid(lc->ctx, &m_stacks, 0);
		if (r >= 0) r = 0;
		break;
	case OP_GET_STACK: {
		__u64 frames[16];
		r = bpf_get_stack(lc->ctx, frames, sizeof(frames), 0);
		if (r >= 0) r = 0;
		break;
	}
	case OP_ARRAY_ATOMIC_ADD:
		p = bpf_map_lookup_elem(&m_array, &k);
		if (p) __sync_fetch_and_add(p, 1); else lc->err++;
		break;
	case OP_RB_OUTPUT:
		r = bpf_ringbuf_output(&rb, lc->buf, event_size(), 0);
		break;
	case OP_RB_OUTPUT_NOWAKE:
		r = bpf_ringbuf_output(&rb, lc->buf, event_size(), BPF_RB_NO_WAKEUP);
		break;
	case OP_RB_OUTPUT_FORCE:
		r = bpf_ringbuf_output(&rb, lc->buf, event_size(), BPF_RB_FORCE_WAKEUP);
		break;
	case OP_RB_RESERVE_SUBMIT:
		return reserve_submit(lc, i, 0);
	case OP_RB_RESERVE_SUBMIT_NOWAKE:
		return reserve_submit(lc, i, BPF_RB_NO_WAKEUP);
	case OP_PERF_OUTPUT:
	case OP_PERF_OUTPUT_FULL:
		r = bpf_perf_event_output(lc->ctx, &pb, BPF_F_CURRENT_CPU, lc->buf, event_size());
		break;
	case OP_RB_OUTPUT_FULL:
		r = bpf_ringbuf_output(&rb_small, lc->buf, event_size(), BPF_RB_NO_WAKEUP);
		break;
	}
	if (r < 0)
		lc->err++;
	return 0;
}

SEC("raw_tp")
int run_ops(void *ctx)
{
	struct loop_ctx lc = { .ctx = ctx };
	__u32 zero = 0;
	__u64 t0, t1;

	lc.buf = bpf_map_lookup_elem(&m_scratch, &zero);
	if (!lc.buf)
		return 1;
	t0 = bpf_ktime_get_ns();
	bpf_loop(n_iters, op_step, &lc, 0);
	t1 = bpf_ktime_get_ns();
	elapsed_ns = t1 - t0;
	errors = lc.err;
	sink = lc.acc;
	return 0;
}

/* ---- empty programs: the attach cost of each type, nothing else ---- */

SEC("tracepoint/syscalls/sys_enter_getpgid")
int e_tracepoint(void *ctx) { return 0; }

SEC("raw_tracepoint/sys_enter")
int e_raw_tp(void *ctx) { return 0; }

SEC("tp_btf/sys_enter")
int e_tp_btf(void *ctx) { return 0; }

SEC("fentry/__x64_sys_getpgid")
int e_fentry(void *ctx) { return 0; }

SEC("fexit/__x64_sys_getpgid")
int e_fexit(void *ctx) { return 0; }

SEC("fmod_ret/security_task_getpgid")
int e_fmod_ret(void *ctx) { return 0; }

SEC("lsm/task_getpgid")
int e_lsm(void *ctx) { return 0; }

SEC("kprobe")
int e_kprobe(void *ctx) { return 0; }

SEC("kretprobe")
int e_kretprobe(void *ctx) { return 0; }

SEC("kprobe.multi")
int e_kprobe_multi(void *ctx) { return 0; }

SEC("kretprobe.multi")
int e_kretprobe_multi(void *ctx) { return 0; }

SEC("uprobe")
int e_uprobe(void *ctx) { return 0; }

SEC("uretprobe")
int e_uretprobe(void *ctx) { return 0; }

/* ---- traced programs: one event per hit of the target process ---- */

static __always_inline int emit(void *ctx)
{
	struct calib_event *e;
	__u32 zero = 0;
	long r;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__sync_fetch_and_add(&hits, 1);
	e = bpf_map_lookup_elem(&m_scratch, &zero);
	if (!e)
		return 0;
	e->ts = bpf_ktime_get_ns();
	e->seq = __sync_fetch_and_add(&seq, 1);
	if (out_kind == 1)
		r = bpf_ringbuf_output(&rb, e, event_size(), rb_flags);
	else if (out_kind == 2)
		r = bpf_perf_event_output(ctx, &pb, BPF_F_CURRENT_CPU, e, event_size());
	else
		return 0;
	if (r < 0)
		__sync_fetch_and_add(&failed, 1);
	else
		__sync_fetch_and_add(&submitted, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpgid")
int v_tracepoint(void *ctx) { return emit(ctx); }

SEC("fentry/__x64_sys_getpgid")
int v_fentry(void *ctx) { return emit(ctx); }

SEC("raw_tracepoint/sys_enter")
int v_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	/* sys_enter fires for every syscall: keep only getpgid. */
	if (ctx->args[1] != syscall_nr)
		return 0;
	return emit(ctx);
}

/* Test-run entry to emit one event from the loader's own context (wake-up measurements). */
SEC("raw_tp")
int v_testrun(void *ctx) { return emit(ctx); }

SEC("fentry/bpf_ringbuf_notify")
int c_rb_notify(void *ctx) { __sync_fetch_and_add(&rb_notifies, 1); return 0; }

SEC("fentry/perf_event_wakeup")
int c_perf_wakeup(void *ctx) { __sync_fetch_and_add(&perf_wakeups, 1); return 0; }
