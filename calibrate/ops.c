/*
 * Per-operation costs with BPF_PROG_TEST_RUN.
 *
 * One test run of `run_ops` (a raw_tp program) calls one operation n times in bpf_loop and
 * times the loop with bpf_ktime_get_ns. Each sample is (t_op - t_nop) / n, where t_nop is the
 * same loop doing nothing, run right before: the loop and timer overhead cancel.
 *
 * Output per operation: {"kind":"op","name":...,"size":S?,"iters":n,"errors":e,"samples":[ns...]}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"
#include "calib.h"
#include "calib.skel.h"

#define RB_BYTES (16u << 20)
#define PB_PAGES 2048u          /* 8 MiB per CPU */
#define SMALL_RB_BYTES 8192u   /* one 4 KiB record fits, the next does not */
#define SMALL_PB_PAGES 1u

enum sink { S_NONE, S_RB, S_PERF_WAKE, S_PERF_NOWAKE, S_RB_FULL, S_PERF_FULL };

struct op_def {
	int op;
	const char *name;
	enum sink sink;
	bool sized;
	bool refill;   /* delete ops: the keys are put back before each sample */
	struct bpf_map *(*map)(struct calib *);
};

#define MAPFN(field) \
	static struct bpf_map *map_##field(struct calib *s) { return s->maps.field; }
MAPFN(m_hash) MAPFN(m_pcpu_hash) MAPFN(m_lru_hash) MAPFN(m_lru_pcpu_hash) MAPFN(m_lpm)

static const struct op_def OPS[] = {
	{ OP_HASH_LOOKUP, "map.hash.lookup" },
	{ OP_HASH_UPDATE, "map.hash.update" },
	{ OP_HASH_DELETE, "map.hash.delete", .refill = true, .map = map_m_hash },
	{ OP_ARRAY_LOOKUP, "map.array.lookup" },
	{ OP_ARRAY_UPDATE, "map.array.update" },
	{ OP_PCPU_HASH_LOOKUP, "map.percpu_hash.lookup" },
	{ OP_PCPU_HASH_UPDATE, "map.percpu_hash.update" },
	{ OP_PCPU_HASH_DELETE, "map.percpu_hash.delete", .refill = true, .map = map_m_pcpu_hash },
	{ OP_PCPU_ARRAY_LOOKUP, "map.percpu_array.lookup" },
	{ OP_PCPU_ARRAY_UPDATE, "map.percpu_array.update" },
	{ OP_LRU_HASH_LOOKUP, "map.lru_hash.lookup" },
	{ OP_LRU_HASH_UPDATE, "map.lru_hash.update" },
	{ OP_LRU_HASH_DELETE, "map.lru_hash.delete", .refill = true, .map = map_m_lru_hash },
	{ OP_LRU_PCPU_HASH_LOOKUP, "map.lru_percpu_hash.lookup" },
	{ OP_LRU_PCPU_HASH_UPDATE, "map.lru_percpu_hash.update" },
	{ OP_LRU_PCPU_HASH_DELETE, "map.lru_percpu_hash.delete", .refill = true, .map = map_m_lru_pcpu_hash },
	{ OP_LPM_LOOKUP, "map.lpm_trie.lookup" },
	{ OP_LPM_UPDATE, "map.lpm_trie.update" },
	{ OP_LPM_DELETE, "map.lpm_trie.delete", .refill = true, .map = map_m_lpm },
	{ OP_QUEUE_PUSH_POP, "map.queue.push_pop" },
	{ OP_STACK_PUSH_POP, "map.stack.push_pop" },
	{ OP_ARRAY_ATOMIC_ADD, "map.array.atomic_add" },
	{ OP_KTIME_GET_NS, "helper.ktime_get_ns" },
	{ OP_GET_CURRENT_PID_TGID, "helper.get_current_pid_tgid" },
	{ OP_GET_CURRENT_UID_GID, "helper.get_current_uid_gid" },
	{ OP_GET_CURRENT_COMM, "helper.get_current_comm" },
	{ OP_GET_SMP_PROCESSOR_ID, "helper.get_smp_processor_id" },
	{ OP_GET_CURRENT_TASK, "helper.get_current_task" },
	{ OP_PROBE_READ_KERNEL_8, "helper.probe_read_kernel.8" },
	{ OP_PROBE_READ_KERNEL_64, "helper.probe_read_kernel.64" },
	{ OP_PROBE_READ_USER_64, "helper.probe_read_user.64" },
	{ OP_PROBE_READ_KERNEL_STR, "helper.probe_read_kernel_str" },
	{ OP_GET_PRANDOM_U32, "helper.get_prandom_u32" },
	{ OP_GET_STACKID, "helper.get_stackid" },
	{ OP_GET_STACK, "helper.get_stack.16" },
	{ OP_RB_OUTPUT_NOWAKE, "submit.ringbuf.output", S_RB, true },
	{ OP_RB_OUTPUT, "submit.ringbuf.output_adaptive", S_RB, true },
	{ OP_RB_RESERVE_SUBMIT_NOWAKE, "submit.ringbuf.reserve_submit", S_RB, true },
	{ OP_RB_OUTPUT_FORCE, "submit.ringbuf.output_force_wakeup", S_RB, true },
	{ OP_PERF_OUTPUT, "submit.perf_buffer.output", S_PERF_NOWAKE, true },
	{ OP_PERF_OUTPUT, "submit.perf_buffer.output_wakeup", S_PERF_WAKE, true },
	{ OP_RB_OUTPUT_FULL, "submit.failed.ringbuf", S_RB_FULL, true },
	{ OP_PERF_OUTPUT_FULL, "submit.failed.perf_buffer", S_PERF_FULL, true },
};

static const unsigned SIZES[] = { 8, 64, 256, 1024, 4096 };

struct ctx {
	struct calib *skel;
	int prog_fd;
	struct ring_buffer *rb, *rb_small;
	struct perf_buffer *pb;
	enum sink pb_kind;
	char user_buf[64];
};

static int count_rb(void *c, void *d, size_t s) { return 0; }

static enum bpf_perf_event_ret count_raw(void *c, int cpu, struct perf_event_header *e)
{
	return LIBBPF_PERF_EVENT_CONT;
}

/* A perf buffer whose sampling wakes the reader on every event (libbpf's and BCC's
 * default) or practically never (wakeup_events huge; the D/2 watermark is kept out of reach
 * by the iteration count). */
static struct perf_buffer *open_pb(struct ctx *c, unsigned pages, unsigned wakeup_events)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.wakeup_events = wakeup_events,
		.size = sizeof(attr),
	};
	return perf_buffer__new_raw(bpf_map__fd(c->skel->maps.pb), pages, &attr, count_raw, c, NULL);
}

static int use_sink(struct ctx *c, enum sink s)
{
	if (s != S_PERF_WAKE && s != S_PERF_NOWAKE && s != S_PERF_FULL)
		return 0;
	if (c->pb && c->pb_kind == s)
		return 0;
	perf_buffer__free(c->pb);
	c->pb = open_pb(c, s == S_PERF_FULL ? SMALL_PB_PAGES : PB_PAGES,
			s == S_PERF_WAKE ? 1 : (1u << 30));
	c->pb_kind = s;
	return c->pb ? 0 : -errno;
}

static void drain(struct ctx *c, enum sink s)
{
	if (s == S_RB)
		ring_buffer__consume(c->rb);
	else if (s == S_PERF_WAKE || s == S_PERF_NOWAKE)
		perf_buffer__consume(c->pb);
	/* the *_FULL sinks stay full on purpose */
}

static int populate(struct bpf_map *m, bool lpm)
{
	__u64 v = 1;
	int fd = bpf_map__fd(m);
	for (__u32 k = 0; k < CALIB_MAP_KEYS; k++) {
		struct { __u32 plen, addr; } lk = { 32, k };
		if (bpf_map_update_elem(fd, lpm ? (void *)&lk : (void *)&k, &v, BPF_ANY))
			return -errno;
	}
	return 0;
}

static int populate_all(struct calib *s)
{
	struct bpf_map *maps[] = { s->maps.m_hash, s->maps.m_pcpu_hash, s->maps.m_lru_hash,
				   s->maps.m_lru_pcpu_hash };
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		if (populate(maps[i], false))
			return -1;
	return populate(s->maps.m_lpm, true);
}

/* Record bytes in the ring for a payload: the iteration count is capped so that one run
 * never fills more than a quarter of the ring (no loss, no watermark wake-up). */
static unsigned cap_iters(const struct op_def *d, unsigned n, unsigned size)
{
	unsigned long cap;
	if (d->sink == S_RB)
		cap = (RB_BYTES / 4) / (size + 8);
	else if (d->sink == S_PERF_WAKE || d->sink == S_PERF_NOWAKE)
		cap = (PB_PAGES * 4096ul / 4) / (size + 16);
	else
		return n;
	return cap < n ? (unsigned)cap : n;
}

static int run_once(struct ctx *c, int op, unsigned n, unsigned size, double *ns, unsigned long *errs)
{
	struct calib__bss *b = c->skel->bss;
	b->op = op;
	b->n_iters = n;
	b->ev_size = size;
	int r = run_testrun(c->prog_fd, NULL);
	if (r)
		return r < 0 ? r : -EINVAL;
	*ns = (double)b->elapsed_ns;
	*errs = b->errors;
	return 0;
}

static int measure(struct ctx *c, const struct op_def *d, unsigned size, int reps, unsigned n)
{
	double *v = calloc(reps, sizeof(double));
	unsigned long errs = 0, e;
	int err = use_sink(c, d->sink);
	char extra[128];
	int got = 0;

	if (err) {
		emit_error("op", d->name, "perf_buffer", err, libbpf_log_tail());
		free(v);
		return 0;
	}
	n = cap_iters(d, n, size);
	if (d->refill && n > CALIB_MAP_KEYS)
		n = CALIB_MAP_KEYS;   /* every delete finds its key */
	if (d->sink == S_RB_FULL || d->sink == S_PERF_FULL) {
		double ignored;
		run_once(c, d->op, n, size, &ignored, &e);   /* fill it first */
	}
	for (int r = -1; r < reps && !g_stop; r++) {   /* r = -1: warm-up, not kept */
		double t_nop, t_op;
		if (d->refill)
			populate(d->map(c->skel), d->op == OP_LPM_DELETE);
		if ((err = run_once(c, OP_NOP, n, size, &t_nop, &e)) ||
		    (err = run_once(c, d->op, n, size, &t_op, &e))) {
			emit_error("op", d->name, "test_run", err, libbpf_log_tail());
			free(v);
			return 0;
		}
		drain(c, d->sink);
		if (r < 0)
			continue;
		errs += e;
		v[got++] = (t_op - t_nop) / n;
	}
	if (d->sized)
		snprintf(extra, sizeof(extra), "\"size\":%u,\"iters\":%u,\"errors\":%lu", size, n, errs);
	else
		snprintf(extra, sizeof(extra), "\"iters\":%u,\"errors\":%lu", n, errs);
	emit_samples("op", d->name, extra, v, got);
	free(v);
	return 0;
}

int cmd_ops(int argc, char **argv)
{
	static const char *const progs[] = { "run_ops" };
	int reps = arg_int(argc, argv, "--reps", 10);
	unsigned n = (unsigned)arg_int(argc, argv, "--iters", 2000);
	const char *only = arg_str(argc, argv, "--only", NULL);
	struct ctx c = { 0 };
	int err;

	pin_cpu(0);
	c.skel = open_calib(progs, 1);
	if (!c.skel) {
		emit_error("op", "open", "open", -errno, libbpf_log_tail());
		return 1;
	}
	bpf_map__set_max_entries(c.skel->maps.rb, RB_BYTES);
	bpf_map__set_max_entries(c.skel->maps.rb_small, SMALL_RB_BYTES);
	if ((err = calib__load(c.skel))) {
		emit_error("op", "load", "load", err, libbpf_log_tail());
		calib__destroy(c.skel);
		return 1;
	}
	c.prog_fd = bpf_program__fd(c.skel->progs.run_ops);
	c.skel->bss->user_buf = (__u64)(unsigned long)c.user_buf;
	memset(c.user_buf, 'x', sizeof(c.user_buf) - 1);
	{
		/* the source of probe_read_kernel_str and of every event payload */
		int ncpu = libbpf_num_possible_cpus();
		size_t vsz = CALIB_MAX_EVENT * (size_t)ncpu;
		char *val = calloc(1, vsz);
		__u32 zero = 0;
		for (int i = 0; i < ncpu; i++)
			memset(val + (size_t)i * CALIB_MAX_EVENT, 'a', 24);
		bpf_map_update_elem(bpf_map__fd(c.skel->maps.m_scratch), &zero, val, BPF_ANY);
		free(val);
	}
	c.rb = ring_buffer__new(bpf_map__fd(c.skel->maps.rb), count_rb, NULL, NULL);
	if (!c.rb || populate_all(c.skel)) {
		emit_error("op", "setup", "setup", -errno, libbpf_log_tail());
		calib__destroy(c.skel);
		return 1;
	}
	for (size_t i = 0; i < sizeof(OPS) / sizeof(OPS[0]) && !g_stop; i++) {
		const struct op_def *d = &OPS[i];
		if (only && !strstr(d->name, only))
			continue;
		if (!d->sized) {
			measure(&c, d, 8, reps, n);
			continue;
		}
		for (size_t s = 0; s < sizeof(SIZES) / sizeof(SIZES[0]) && !g_stop; s++)
			measure(&c, d, SIZES[s], reps, n);
	}
	perf_buffer__free(c.pb);
	ring_buffer__free(c.rb);
	calib__destroy(c.skel);
	return 0;
}
