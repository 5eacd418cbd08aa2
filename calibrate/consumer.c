/*
 * The libbpf C reader's cost: per event and per batch.
 *
 * For batch sizes n = 1 .. 1024, the producer fills n events (BPF_PROG_TEST_RUN of run_ops,
 * no wake-up), then the reader drains them in one call, timed. The TypeScript side fits
 * t(n) = perBatch + perEvent * n to each repetition. Filling is not timed. Two calls are timed:
 *   consume: ring_buffer__consume / perf_buffer__consume (no syscall)
 *   poll:    ring_buffer__poll / perf_buffer__poll with timeout 0 (one epoll_wait, then drain)
 * The callback does nothing but count, so perEvent is the reader's own work per record.
 *
 * Output: {"kind":"consumer","name":"<buffer>.<call>","size":S,"points":[[n,ns],...]}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"
#include "calib.h"
#include "calib.skel.h"

static const unsigned BATCHES[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024 };
#define NB (sizeof(BATCHES) / sizeof(BATCHES[0]))

static unsigned long g_seen;

static int rb_count(void *ctx, void *data, size_t size) { g_seen++; return 0; }
static void pb_count(void *ctx, int cpu, void *data, __u32 size) { g_seen++; }

struct cctx {
	struct calib *skel;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	bool perf;
};

static int fill(struct cctx *c, unsigned n, unsigned size)
{
	struct calib__bss *b = c->skel->bss;
	/* adaptive: the first record of a batch wakes (the reader has caught up), which is what
	 * puts the ring on epoll's ready list for the poll variant */
	b->op = c->perf ? OP_PERF_OUTPUT : OP_RB_OUTPUT;
	b->n_iters = n;
	b->ev_size = size;
	int r = run_testrun(bpf_program__fd(c->skel->progs.run_ops), NULL);
	return r ? r : (b->errors ? -ENOSPC : 0);
}

static double drain(struct cctx *c, bool poll)
{
	uint64_t t0 = now_ns();
	if (c->perf)
		poll ? perf_buffer__poll(c->pb, 0) : perf_buffer__consume(c->pb);
	else
		poll ? ring_buffer__poll(c->rb, 0) : ring_buffer__consume(c->rb);
	return (double)(now_ns() - t0);
}

static int measure(struct cctx *c, bool poll, unsigned size, int reps, const char *buf)
{
	char line[4096];
	for (int r = -1; r < reps && !g_stop; r++) {   /* r = -1: warm-up */
		int n = snprintf(line, sizeof(line), "{\"kind\":\"consumer\",\"name\":\"%s.%s\",\"size\":%u,\"points\":[",
				 buf, poll ? "poll" : "consume", size);
		for (size_t i = 0; i < NB; i++) {
			int err = fill(c, BATCHES[i], size);
			if (err) {
				emit_error("consumer", buf, "fill", err, libbpf_log_tail());
				return err;
			}
			g_seen = 0;
			double t = drain(c, poll);
			if (g_seen != BATCHES[i]) {
				/* a partial drain would bias the fit: say so rather than guess */
				emit_error("consumer", buf, "drain", -EIO, "reader saw a different count than was produced");
				return -EIO;
			}
			n += snprintf(line + n, sizeof(line) - n, "%s[%u,%.1f]", i ? "," : "", BATCHES[i], t);
		}
		if (r >= 0)
			printf("%s]}\n", line);
	}
	fflush(stdout);
	return 0;
}

int cmd_consumer(int argc, char **argv)
{
	static const char *const progs[] = { "run_ops" };
	const char *buf = arg_str(argc, argv, "--buffer", "ringbuf");
	int reps = arg_int(argc, argv, "--reps", 10);
	unsigned size = (unsigned)arg_int(argc, argv, "--size", 64);
	struct cctx c = { .perf = strcmp(buf, "perf_buffer") == 0 };
	int err;

	pin_cpu(0);   /* producer and reader on one CPU: the perf reader sees CPU 0's ring */
	c.skel = open_calib(progs, 1);
	if (!c.skel || (err = calib__load(c.skel))) {
		emit_error("consumer", buf, "load", c.skel ? err : -errno, libbpf_log_tail());
		calib__destroy(c.skel);
		return 1;
	}
	if (c.perf)
		c.pb = perf_buffer__new(bpf_map__fd(c.skel->maps.pb), 256, pb_count, NULL, NULL, NULL);
	else
		c.rb = ring_buffer__new(bpf_map__fd(c.skel->maps.rb), rb_count, NULL, NULL);
	if (!c.pb && !c.rb) {
		emit_error("consumer", buf, "setup", -errno, libbpf_log_tail());
		calib__destroy(c.skel);
		return 1;
	}
	err = measure(&c, false, size, reps, buf);
	if (!err)
		err = measure(&c, true, size, reps, buf);
	perf_buffer__free(c.pb);
	ring_buffer__free(c.rb);
	calib__destroy(c.skel);
	return err ? 1 : 0;
}
