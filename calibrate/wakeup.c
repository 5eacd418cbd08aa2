/*
 * Wake-ups: what a wake-up costs the producer, and how long the consumer takes to run.
 *
 * The producer (CPU 0) emits events with BPF_PROG_TEST_RUN of v_testrun, in pairs: one that
 * does not wake (ringbuf BPF_RB_NO_WAKEUP; perf: the first of wakeup_events=2) and one that
 * does (BPF_RB_FORCE_WAKEUP; perf: the second). The difference of the two test-run syscalls'
 * wall time is the producer's share of one wake-up: irq_work, its interrupt, wake_up.
 * Between pairs the producer sleeps long enough for the consumer to be asleep again.
 *
 * With --waiter, a consumer thread (CPU 1) sleeps in ring_buffer__poll / perf_buffer__poll;
 * it records, per waking event, the delay from the event's bpf_ktime_get_ns() to its
 * callback (wake-up latency), and its own CPU time per wake-up cycle.
 *
 * Output: {"kind":"wakeup","name":"<buffer>.<what>","samples":[ns...]}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"
#include "calib.h"
#include "calib.skel.h"

#define WARMUP_PAIRS 10

struct wctx {
	bool perf;
	struct calib *skel;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	volatile bool done;
	double *latency, *cycle_cpu;
	int n_lat, n_cycle, cap;
	uint64_t last_cpu;
};

static void on_event(struct wctx *w, const struct calib_event *e)
{
	uint64_t t = now_ns();
	if (!(e->seq & 1))
		return;   /* the non-waking event of the pair */
	if (e->seq < 2 * WARMUP_PAIRS) {
		w->last_cpu = thread_cpu_ns();   /* thread start-up and cold caches: not kept */
		return;
	}
	if (w->n_lat < w->cap)
		w->latency[w->n_lat++] = (double)(t - e->ts);
	uint64_t cpu = thread_cpu_ns();
	if (w->last_cpu && w->n_cycle < w->cap)
		w->cycle_cpu[w->n_cycle++] = (double)(cpu - w->last_cpu);
	w->last_cpu = cpu;
}

static int rb_cb(void *ctx, void *data, size_t size)
{
	on_event(ctx, data);
	return 0;
}

/* Raw perf records: PERF_RECORD_SAMPLE is {header, u32 size, data}. */
static enum bpf_perf_event_ret pb_cb(void *ctx, int cpu, struct perf_event_header *h)
{
	if (h->type == PERF_RECORD_SAMPLE)
		on_event(ctx, (const struct calib_event *)((char *)h + sizeof(*h) + sizeof(__u32)));
	return LIBBPF_PERF_EVENT_CONT;
}

static void *consumer_main(void *arg)
{
	struct wctx *w = arg;
	pin_cpu(1);
	while (!w->done && !g_stop) {
		if (w->perf)
			perf_buffer__poll(w->pb, 100);
		else
			ring_buffer__poll(w->rb, 100);
	}
	return NULL;
}

static struct perf_buffer *open_pb_wakeup2(struct wctx *w)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.wakeup_events = 2,
		.size = sizeof(attr),
	};
	return perf_buffer__new_raw(bpf_map__fd(w->skel->maps.pb), 64, &attr, pb_cb, w, NULL);
}

static int run_pairs(struct wctx *w, int count, bool waiter, double *cost)
{
	int prog = bpf_program__fd(w->skel->progs.v_testrun);
	int warm = bpf_program__fd(w->skel->progs.run_ops);
	struct calib__bss *b = w->skel->bss;
	int got = 0;

	for (int i = -WARMUP_PAIRS; i < count && !g_stop; i++) {
		uint64_t quiet, loud;
		struct timespec gap = { 0, 300000 };   /* 300 us: the consumer is back asleep */
		nanosleep(&gap, NULL);
		b->op = OP_NOP;
		b->n_iters = 1;
		run_testrun(warm, NULL);
		b->rb_flags = BPF_RB_NO_WAKEUP;
		if (run_testrun(prog, &quiet) < 0)
			return -errno;
		b->rb_flags = BPF_RB_FORCE_WAKEUP;
		if (run_testrun(prog, &loud) < 0)
			return -errno;
		if (i >= 0)
			cost[got++] = (double)loud - (double)quiet;

		if (!waiter) {
			if (w->perf)
				perf_buffer__consume(w->pb);
			else
				ring_buffer__consume(w->rb);
		}
	}
	return got;
}

int cmd_wakeup(int argc, char **argv)
{
	static const char *const progs[] = { "v_testrun", "run_ops" };
	const char *buf = arg_str(argc, argv, "--buffer", "ringbuf");
	int count = arg_int(argc, argv, "--count", 300);
	bool waiter = arg_flag(argc, argv, "--waiter");
	struct wctx w = { .perf = strcmp(buf, "perf_buffer") == 0, .cap = count };
	double *cost = calloc(count, sizeof(double));
	char name[64];
	pthread_t th;
	int err = 0, got;

	w.latency = calloc(count, sizeof(double));
	w.cycle_cpu = calloc(count, sizeof(double));
	pin_cpu(0);
	w.skel = open_calib(progs, 2);
	if (!w.skel || (err = calib__load(w.skel))) {
		emit_error("wakeup", buf, "load", w.skel ? err : -errno, libbpf_log_tail());
		calib__destroy(w.skel);
		return 1;
	}
	w.skel->bss->target_tgid = getpid();
	w.skel->bss->ev_size = sizeof(struct calib_event);
	w.skel->bss->out_kind = w.perf ? 2 : 1;
	if (w.perf)
		w.pb = open_pb_wakeup2(&w);
	else
		w.rb = ring_buffer__new(bpf_map__fd(w.skel->maps.rb), rb_cb, &w, NULL);
	if (!w.pb && !w.rb) {
		emit_error("wakeup", buf, "setup", -errno, libbpf_log_tail());
		calib__destroy(w.skel);
		return 1;
	}
	if (waiter)
		pthread_create(&th, NULL, consumer_main, &w);
	got = run_pairs(&w, count, waiter, cost);
	if (waiter) {
		w.done = true;
		pthread_join(th, NULL);
	}
	if (got < 0) {
		emit_error("wakeup", buf, "test_run", got, libbpf_log_tail());
	} else {
		snprintf(name, sizeof(name), "%s.%s", buf, waiter ? "producer" : "producerNoWaiter");
		emit_samples("wakeup", name, "", cost, got);
		if (waiter) {
			snprintf(name, sizeof(name), "%s.latency", buf);
			emit_samples("wakeup", name, "", w.latency, w.n_lat);
			snprintf(name, sizeof(name), "%s.consumerCpuPerWake", buf);
			emit_samples("wakeup", name, "", w.cycle_cpu, w.n_cycle);
		}
	}
	perf_buffer__free(w.pb);
	ring_buffer__free(w.rb);
	calib__destroy(w.skel);
	free(cost);
	free(w.latency);
	free(w.cycle_cpu);
	return got < 0;
}
