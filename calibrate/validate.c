/*
 * A small real end-to-end run, for `bpfsim calibrate --validate`.
 *
 * The producer (this thread, CPU 0) calls getpgid in a loop, flat out or paced at a fixed
 * rate, first bare (baseline), then with a traced program attached that submits one event
 * per call into a ringbuf or a perf buffer. A consumer thread (CPU 1) reads with libbpf
 * (ring_buffer__poll / perf_buffer__poll, default notification) and spends a configured
 * time per event. Printed: call rate and latency of both phases, events hit / submitted /
 * failed / consumed / reported lost, consumer wake-ups and CPU time.
 *
 * Output: {"kind":"validate","name":...,"setup":{...},"baseline":{...},"traced":{...},...}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"
#include "calib.h"
#include "calib.skel.h"

struct vcfg {
	const char *name, *buffer, *mode, *attach;
	unsigned size, rb_bytes, pages;
	long cost_ns, rate, ms;
};

struct vstate {
	struct vcfg cfg;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	volatile bool done;
	unsigned long consumed, lost_reported, polls;
	long nvcsw;
	uint64_t cpu_ns;
};

struct phase {
	long calls;
	uint64_t ns;
	double latency_sum;
};

static void consume_one(struct vstate *s)
{
	s->consumed++;
	if (s->cfg.cost_ns > 0)
		spin_ns(s->cfg.cost_ns);
}

static int rb_cb(void *ctx, void *data, size_t size) { consume_one(ctx); return 0; }
static void pb_cb(void *ctx, int cpu, void *data, __u32 size) { consume_one(ctx); }
static void pb_lost(void *ctx, int cpu, __u64 cnt) { ((struct vstate *)ctx)->lost_reported += cnt; }

static void *consumer_main(void *arg)
{
	struct vstate *s = arg;
	struct rusage r0, r1;
	uint64_t c0;

	pin_cpu(1);
	getrusage(RUSAGE_THREAD, &r0);
	c0 = thread_cpu_ns();
	while (!s->done && !g_stop) {
		if (s->pb)
			perf_buffer__poll(s->pb, 100);
		else
			ring_buffer__poll(s->rb, 100);
		s->polls++;
	}
	/* what is left once the producer stopped */
	if (s->pb)
		perf_buffer__consume(s->pb);
	else
		ring_buffer__consume(s->rb);
	getrusage(RUSAGE_THREAD, &r1);
	s->nvcsw = r1.ru_nvcsw - r0.ru_nvcsw;
	s->cpu_ns = thread_cpu_ns() - c0;
	return NULL;
}

/* The workload: getpgid(self), flat out or at `rate` calls/s. In the paced mode a call's
 * latency runs from its scheduled start (as an arrival) to its return. */
static struct phase run_phase(const struct vcfg *c)
{
	struct phase p = { 0 };
	long pid = getpid();
	uint64_t t0 = now_ns(), end = t0 + (uint64_t)c->ms * 1000000ull;
	bool paced = strcmp(c->mode, "paced") == 0;
	double gap = paced ? 1e9 / (double)c->rate : 0;

	while (!g_stop) {
		uint64_t now = now_ns();
		if (now >= end)
			break;
		if (paced) {
			uint64_t due = t0 + (uint64_t)(gap * p.calls);
			while ((now = now_ns()) < due)
				;
			syscall(SYS_getpgid, pid);
			p.latency_sum += (double)(now_ns() - due);
		} else {
			for (int i = 0; i < 64; i++)
				syscall(SYS_getpgid, pid);
			p.calls += 63;
		}
		p.calls++;
	}
	p.ns = now_ns() - t0;
	if (!paced)
		p.latency_sum = (double)p.ns;   /* flat out: one call after another */
	return p;
}

static const char *prog_for(const char *attach)
{
	if (strcmp(attach, "fentry") == 0)
		return "v_fentry";
	if (strcmp(attach, "raw_tracepoint") == 0)
		return "v_raw_tp";
	return "v_tracepoint";
}

static void print_phase(const char *name, const struct phase *p)
{
	printf(",\"%s\":{\"calls\":%ld,\"ns\":%llu,\"rate\":%.1f,\"latencyNs\":%.2f}", name, p->calls,
	       (unsigned long long)p->ns, p->calls * 1e9 / (double)p->ns,
	       p->calls ? p->latency_sum / p->calls : 0.0);
}

int cmd_validate(int argc, char **argv)
{
	struct vcfg c = {
		.name = arg_str(argc, argv, "--name", "run"),
		.buffer = arg_str(argc, argv, "--buffer", "ringbuf"),
		.mode = arg_str(argc, argv, "--mode", "flat"),
		.attach = arg_str(argc, argv, "--attach", "tracepoint"),
		.size = (unsigned)arg_int(argc, argv, "--size", 64),
		.rb_bytes = (unsigned)arg_int(argc, argv, "--rb-bytes", 65536),
		.pages = (unsigned)arg_int(argc, argv, "--pages", 8),
		.cost_ns = arg_int(argc, argv, "--cost", 0),
		.rate = arg_int(argc, argv, "--rate", 50000),
		.ms = arg_int(argc, argv, "--ms", 500),
	};
	const char *progs[] = { prog_for(c.attach) };
	struct vstate s = { .cfg = c };
	bool perf = strcmp(c.buffer, "perf_buffer") == 0;
	struct calib *skel;
	struct bpf_link *link;
	struct phase flat, base, traced;
	pthread_t th;
	int err;

	pin_cpu(0);
	skel = open_calib(progs, 1);
	if (!skel) {
		emit_error("validate", c.name, "open", -errno, libbpf_log_tail());
		return 1;
	}
	bpf_map__set_max_entries(skel->maps.rb, c.rb_bytes);
	if ((err = calib__load(skel))) {
		emit_error("validate", c.name, "load", err, libbpf_log_tail());
		calib__destroy(skel);
		return 1;
	}
	skel->bss->target_tgid = getpid();
	skel->bss->syscall_nr = SYS_getpgid;
	skel->bss->ev_size = c.size;
	skel->bss->out_kind = perf ? 2 : 1;
	skel->bss->rb_flags = 0;   /* adaptive notification, the default */
	if (perf)
		s.pb = perf_buffer__new(bpf_map__fd(skel->maps.pb), c.pages, pb_cb, pb_lost, &s, NULL);
	else
		s.rb = ring_buffer__new(bpf_map__fd(skel->maps.rb), rb_cb, &s, NULL);
	if (!s.pb && !s.rb) {
		emit_error("validate", c.name, "reader", -errno, libbpf_log_tail());
		calib__destroy(skel);
		return 1;
	}

	run_phase(&(struct vcfg){ .mode = c.mode, .rate = c.rate, .ms = c.ms / 5 + 1 });   /* warm-up */
	/* the bare call's cost, flat out: the simulation's service time in both modes */
	flat = run_phase(&(struct vcfg){ .mode = "flat", .ms = c.ms / 3 + 1 });
	base = run_phase(&c);
	pthread_create(&th, NULL, consumer_main, &s);
	link = bpf_program__attach(bpf_object__find_program_by_name(skel->obj, progs[0]));
	if (!link) {
		err = -errno;
		s.done = true;
		pthread_join(th, NULL);
		emit_error("validate", c.name, "attach", err, libbpf_log_tail());
		perf_buffer__free(s.pb);
		ring_buffer__free(s.rb);
		calib__destroy(skel);
		return 1;
	}
	traced = run_phase(&c);
	bpf_link__destroy(link);
	usleep(200000);   /* let the consumer drain */
	s.done = true;
	pthread_join(th, NULL);

	printf("{\"kind\":\"validate\",\"name\":");
	json_str(stdout, c.name);
	printf(",\"setup\":{\"buffer\":\"%s\",\"mode\":\"%s\",\"attach\":\"%s\",\"size\":%u,"
	       "\"rbBytes\":%u,\"pages\":%u,\"costNs\":%ld,\"rate\":%ld,\"ms\":%ld,\"cpus\":%d}",
	       c.buffer, c.mode, c.attach, c.size, c.rb_bytes, c.pages, c.cost_ns, c.rate, c.ms,
	       online_cpus());
	printf(",\"serviceNs\":%.2f", flat.calls ? (double)flat.ns / flat.calls : 0.0);
	print_phase("baseline", &base);
	print_phase("traced", &traced);
	printf(",\"events\":{\"hits\":%llu,\"submitted\":%llu,\"failed\":%llu,\"consumed\":%lu,"
	       "\"lostReported\":%lu},\"consumer\":{\"voluntarySwitches\":%ld,\"polls\":%lu,\"cpuNs\":%llu}}\n",
	       (unsigned long long)skel->bss->hits, (unsigned long long)skel->bss->submitted,
	       (unsigned long long)skel->bss->failed, s.consumed, s.lost_reported, s.nvcsw, s.polls,
	       (unsigned long long)s.cpu_ns);
	fflush(stdout);
	perf_buffer__free(s.pb);
	ring_buffer__free(s.rb);
	calib__destroy(skel);
	return 0;
}
