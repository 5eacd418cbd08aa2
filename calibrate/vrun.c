/*
 * One validation cell (see vrun.h). The producer thread (CPU 0) calls getpgid flat out or
 * paced: warm-up, a flat-out bare phase (the call's cost: the simulation's service time), a
 * bare phase in the cell's mode, then the traced phase with one event per call. The reader
 * runs in the caller's thread (C or Python) on its own CPU, on the producer's, or beside a
 * background load. Quietness: /proc/stat idle and procs_running, minus this process's own
 * CPU time and running threads, before the cell and during the traced phase.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"
#include "calib.h"
#include "calib.skel.h"
#include "vrun.h"

#define DRAIN_US 200000
#define QUIET_BEFORE_MS 250
#define MONITOR_MS 20
#define LOAD_PERIOD_US 10000

void vcfg_parse(struct vcfg *c, int argc, char **argv)
{
	*c = (struct vcfg){
		.name = arg_str(argc, argv, "--name", "run"),
		.buffer = arg_str(argc, argv, "--buffer", "ringbuf"),
		.mode = arg_str(argc, argv, "--mode", "flat"),
		.attach = arg_str(argc, argv, "--attach", "tracepoint"),
		.notify = arg_str(argc, argv, "--notify", "adaptive"),
		.loop = arg_str(argc, argv, "--loop", "poll"),
		.place = arg_str(argc, argv, "--place", "own"),
		.reader = arg_str(argc, argv, "--reader", "c"),
		.size = (unsigned)arg_int(argc, argv, "--size", 64),
		.rb_bytes = (unsigned)arg_int(argc, argv, "--rb-bytes", 65536),
		.pages = (unsigned)arg_int(argc, argv, "--pages", 8),
		.wakeup_events = (unsigned)arg_int(argc, argv, "--wakeup-events", 1),
		.cost_ns = arg_int(argc, argv, "--cost", 0),
		.rate = arg_int(argc, argv, "--rate", 50000),
		.ms = arg_int(argc, argv, "--ms", 500),
		.sleep_ms = arg_int(argc, argv, "--sleep-ms", 10),
		.load_pct = arg_int(argc, argv, "--load", 60),
	};
}

/* ---- delivery latency histogram ---- */

static unsigned lat_bucket(uint64_t v)
{
	if (v < 32)
		return (unsigned)v;
	unsigned msb = 63 - (unsigned)__builtin_clzll(v);
	unsigned idx = 32 + (msb - 5) * 32 + (unsigned)((v >> (msb - 5)) - 32);
	return idx < VLAT_BUCKETS ? idx : VLAT_BUCKETS - 1;
}

static double lat_mid(unsigned idx)
{
	if (idx < 32)
		return idx;
	unsigned k = (idx - 32) / 32, sub = (idx - 32) % 32;
	return ((32.0 + sub) + 0.5) * (double)(1ull << k);
}

static double lat_quantile(const struct vrun *r, double q)
{
	if (!r->lat_n)
		return 0;
	uint64_t want = (uint64_t)(q * (double)(r->lat_n - 1)) + 1, seen = 0;
	for (unsigned i = 0; i < VLAT_BUCKETS; i++) {
		seen += r->lat_hist[i];
		if (seen >= want)
			return lat_mid(i);
	}
	return lat_mid(VLAT_BUCKETS - 1);
}

static void reader_snapshot(struct vrun *r, bool start);

/* The window's edges are seen here too: a reader that never catches up stays inside one
 * poll/consume call (libbpf drains while data keeps coming) for the whole traced phase. */
static inline void reader_window_edge(struct vrun *r)
{
	if (r->reader_window == 0 && r->traced_on)
		reader_snapshot(r, true);
	else if (r->reader_window == 1 && !r->traced_on)
		reader_snapshot(r, false);
}

void vrun_event(struct vrun *r, const void *data)
{
	const struct calib_event *e = data;
	uint64_t now = now_ns();
	reader_window_edge(r);
	r->consumed++;
	if (now > e->ts) {
		r->lat_hist[lat_bucket(now - e->ts)]++;
		r->lat_n++;
		r->lat_sum += (double)(now - e->ts);
	}
}

/* ---- buffers ---- */

static int rb_internal(void *ctx, void *data, size_t size)
{
	struct vrun *r = ctx;
	vrun_event(r, data);
	return r->on_record ? r->on_record(r->ctx, -1, data, (unsigned)size) : 0;
}

/* Raw perf records (perf_buffer__new_raw, for wakeup_events): SAMPLE is {header, u32 size, data}. */
static enum bpf_perf_event_ret pb_internal(void *ctx, int cpu, struct perf_event_header *h)
{
	struct vrun *r = ctx;
	if (h->type == PERF_RECORD_SAMPLE) {
		void *data = (char *)h + sizeof(*h) + sizeof(__u32);
		vrun_event(r, data);
		if (r->on_record)
			r->on_record(r->ctx, cpu, data, *(__u32 *)(h + 1));
	} else if (h->type == PERF_RECORD_LOST) {
		struct { struct perf_event_header h; __u64 id, lost; } *l = (void *)h;
		r->lost_reported += l->lost;
	}
	return LIBBPF_PERF_EVENT_CONT;
}

static const char *prog_for(const char *attach)
{
	if (strcmp(attach, "fentry") == 0)
		return "v_fentry";
	if (strcmp(attach, "raw_tracepoint") == 0)
		return "v_raw_tp";
	return "v_tracepoint";
}

int vrun_open(struct vrun *r, const struct vcfg *c, vrecord_fn on_record, void *ctx)
{
	const char *progs[] = { prog_for(c->attach) };
	int err;

	memset(r, 0, sizeof(*r));
	r->cfg = *c;
	r->on_record = on_record;
	r->ctx = ctx;
	r->perf = strcmp(c->buffer, "perf_buffer") == 0;
	r->producer_cpu = 0;
	r->reader_cpu = strcmp(c->place, "same") == 0 ? 0 : 1;
	if (online_cpus() < 2)
		r->reader_cpu = 0;
	r->skel = open_calib(progs, 1);
	if (!r->skel) {
		emit_error("validate", c->name, "open", -errno, libbpf_log_tail());
		return -1;
	}
	bpf_map__set_max_entries(r->skel->maps.rb, c->rb_bytes);
	if ((err = calib__load(r->skel))) {
		emit_error("validate", c->name, "load", err, libbpf_log_tail());
		calib__destroy(r->skel);
		r->skel = NULL;
		return -1;
	}
	r->skel->bss->target_tgid = getpid();
	r->skel->bss->syscall_nr = SYS_getpgid;
	r->skel->bss->ev_size = c->size;
	r->skel->bss->out_kind = r->perf ? 2 : 1;
	r->skel->bss->rb_flags = strcmp(c->notify, "force") == 0 ? BPF_RB_FORCE_WAKEUP
			       : strcmp(c->notify, "nowake") == 0 ? BPF_RB_NO_WAKEUP : 0;
	if (r->perf) {
		struct perf_event_attr attr = {
			.type = PERF_TYPE_SOFTWARE,
			.config = PERF_COUNT_SW_BPF_OUTPUT,
			.sample_type = PERF_SAMPLE_RAW,
			.sample_period = 1,
			.wakeup_events = c->wakeup_events ? c->wakeup_events : 1,
			.size = sizeof(attr),
		};
		r->pb = perf_buffer__new_raw(bpf_map__fd(r->skel->maps.pb), c->pages, &attr, pb_internal, r, NULL);
	} else {
		r->rb = ring_buffer__new(bpf_map__fd(r->skel->maps.rb), rb_internal, r, NULL);
	}
	if (!r->pb && !r->rb) {
		emit_error("validate", c->name, "reader", -errno, libbpf_log_tail());
		calib__destroy(r->skel);
		r->skel = NULL;
		return -1;
	}
	return 0;
}

/* ---- host quietness ---- */

static bool read_stat(uint64_t *busy, uint64_t *total, uint64_t *idle, int *running)
{
	FILE *f = fopen("/proc/stat", "r");
	char line[512];
	bool ok = false;
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[8] = { 0 };
		if (strncmp(line, "cpu ", 4) == 0 &&
		    sscanf(line + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
			   &v[4], &v[5], &v[6], &v[7]) >= 4) {
			uint64_t t = 0;
			for (int i = 0; i < 8; i++)
				t += v[i];
			*total = t;
			*idle = v[3] + v[4];
			*busy = t - *idle;
			ok = true;
		} else if (running && strncmp(line, "procs_running ", 14) == 0) {
			*running = atoi(line + 14);
		}
	}
	fclose(f);
	return ok;
}

/* This process's running threads (state R), to subtract from procs_running. */
static int own_running(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;
	if (!d)
		return 1;
	while ((de = readdir(d))) {
		char path[300], buf[256];
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/stat", de->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[len] = 0;
		char *p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == 'R')
			n++;
	}
	closedir(d);
	return n;
}

static uint64_t self_cpu_ns(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
	       ((uint64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
}

static double other_runnable_now(void)
{
	uint64_t b, t, i;
	int running = 0;
	read_stat(&b, &t, &i, &running);
	int own = own_running();
	return running > own ? running - own : 0;
}

static void window_begin(struct vrun *r)
{
	int running;
	read_stat(&r->stat_busy0, &r->stat_total0, &r->stat_idle0, &running);
	r->self_cpu0 = self_cpu_ns();
	r->runnable_sum = 0;
	r->runnable_n = 0;
}

static void window_end(struct vrun *r, struct vquiet *q)
{
	uint64_t busy, total, idle;
	int running;
	double tick = 1e9 / (double)sysconf(_SC_CLK_TCK);
	read_stat(&busy, &total, &idle, &running);
	double dt = (double)(total - r->stat_total0) * tick;
	double dbusy = (double)(busy - r->stat_busy0) * tick;
	double self = (double)(self_cpu_ns() - r->self_cpu0);
	q->idle_share = dt > 0 ? (double)(idle - r->stat_idle0) * tick / dt : 0;
	q->other_busy = dt > 0 && dbusy > self ? (dbusy - self) / dt : 0;
	q->other_runnable = r->runnable_n ? r->runnable_sum / r->runnable_n : 0;
	q->samples = r->runnable_n;
}

static void *monitor_main(void *arg)
{
	struct vrun *r = arg;
	cpu_set_t all;
	CPU_ZERO(&all);
	for (int i = 0; i < online_cpus() && i < CPU_SETSIZE; i++)
		CPU_SET(i, &all);
	sched_setaffinity(0, sizeof(all), &all);   /* not on the reader's CPU only */
	while (!r->done && !g_stop) {
		if (r->traced_on) {
			r->runnable_sum += other_runnable_now();
			r->runnable_n++;
		}
		usleep(MONITOR_MS * 1000);
	}
	return NULL;
}

/* Background load beside the reader: spins load_pct of every 10 ms on the reader's CPU. */
static void *load_main(void *arg)
{
	struct vrun *r = arg;
	uint64_t busy = (uint64_t)r->cfg.load_pct * LOAD_PERIOD_US * 10;   /* ns */
	pin_cpu(r->reader_cpu);
	while (!r->done && !g_stop) {
		spin_ns(busy);
		usleep(LOAD_PERIOD_US - (useconds_t)(busy / 1000));
	}
	return NULL;
}

/* ---- producer ---- */

/* getpgid(self), flat out or at `rate` calls/s. Paced: latency from the scheduled start. */
static struct vphase run_phase(const char *mode, long rate, long ms)
{
	struct vphase p = { 0 };
	long pid = getpid();
	uint64_t t0 = now_ns(), end = t0 + (uint64_t)ms * 1000000ull;
	bool paced = strcmp(mode, "paced") == 0;
	double gap = paced ? 1e9 / (double)rate : 0;

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

static void *producer_main(void *arg)
{
	struct vrun *r = arg;
	const struct vcfg *c = &r->cfg;
	struct bpf_link *link;

	pin_cpu(r->producer_cpu);
	run_phase(c->mode, c->rate, c->ms / 5 + 1);   /* warm-up */
	r->flat = run_phase("flat", 0, c->ms / 3 + 1);
	r->base = run_phase(c->mode, c->rate, c->ms / 2 + 1);
	link = bpf_program__attach(bpf_object__find_program_by_name(r->skel->obj, prog_for(c->attach)));
	if (!link) {
		r->attach_err = -errno;
	} else {
		window_begin(r);
		r->traced_on = true;
		r->traced = run_phase(c->mode, c->rate, c->ms);
		r->traced_on = false;
		window_end(r, &r->during);
		bpf_link__destroy(link);
	}
	usleep(DRAIN_US);   /* let the reader drain */
	r->done = true;
	return NULL;
}

int vrun_start(struct vrun *r)
{
	window_begin(r);
	for (int i = 0; i < QUIET_BEFORE_MS / MONITOR_MS; i++) {
		usleep(MONITOR_MS * 1000);
		r->runnable_sum += other_runnable_now();
		r->runnable_n++;
	}
	window_end(r, &r->before);
	if (strcmp(r->cfg.place, "loaded") == 0)
		r->load_started = pthread_create(&r->load, NULL, load_main, r) == 0;
	r->monitor_started = pthread_create(&r->monitor, NULL, monitor_main, r) == 0;
	r->producer_started = pthread_create(&r->producer, NULL, producer_main, r) == 0;
	return r->producer_started ? 0 : -1;
}

/* ---- reader ---- */

void vrun_reader_begin(struct vrun *r)
{
	pin_cpu(r->reader_cpu);
}

/* The reader's counters cover the traced phase only: snapshots taken by the reader thread
 * itself (its rusage and CPU clock) when it first sees the phase start, and again at its end. */
static void reader_snapshot(struct vrun *r, bool start)
{
	struct rusage ru;
	getrusage(RUSAGE_THREAD, &ru);
	if (start) {
		r->reader_r0_nvcsw = ru.ru_nvcsw;
		r->reader_r0_nivcsw = ru.ru_nivcsw;
		r->reader_t0_cpu = thread_cpu_ns();
		r->win_consumed0 = r->consumed;
		r->win_polls0 = r->polls;
		r->win_data0 = r->polls_with_data;
		r->reader_window = 1;
	} else {
		r->nvcsw = ru.ru_nvcsw - r->reader_r0_nvcsw;
		r->nivcsw = ru.ru_nivcsw - r->reader_r0_nivcsw;
		r->reader_cpu_ns = thread_cpu_ns() - r->reader_t0_cpu;
		r->win_consumed = r->consumed - r->win_consumed0;
		r->win_polls = r->polls - r->win_polls0;
		r->win_data = r->polls_with_data - r->win_data0;
		r->reader_window = 2;
	}
}

void vrun_reader_end(struct vrun *r)
{
	if (r->reader_window == 1)
		reader_snapshot(r, false);
}

static int counted(struct vrun *r, unsigned long before, int ret)
{
	r->polls++;
	if (r->consumed > before)
		r->polls_with_data++;
	reader_window_edge(r);
	return ret;
}

int vrun_poll(struct vrun *r, int timeout_ms)
{
	unsigned long before = r->consumed;
	return counted(r, before, r->pb ? perf_buffer__poll(r->pb, timeout_ms) : ring_buffer__poll(r->rb, timeout_ms));
}

int vrun_consume(struct vrun *r)
{
	unsigned long before = r->consumed;
	return counted(r, before, r->pb ? perf_buffer__consume(r->pb) : ring_buffer__consume(r->rb));
}

void vrun_finish(struct vrun *r)
{
	if (r->producer_started)
		pthread_join(r->producer, NULL);
	r->done = true;
	if (r->monitor_started)
		pthread_join(r->monitor, NULL);
	if (r->load_started)
		pthread_join(r->load, NULL);
}

/* ---- output ---- */

static void print_phase(FILE *f, const char *name, const struct vphase *p)
{
	fprintf(f, ",\"%s\":{\"calls\":%ld,\"ns\":%llu,\"rate\":%.1f,\"latencyNs\":%.2f}", name, p->calls,
		(unsigned long long)p->ns, p->ns ? p->calls * 1e9 / (double)p->ns : 0.0,
		p->calls ? p->latency_sum / p->calls : 0.0);
}

static void print_quiet(FILE *f, const char *name, const struct vquiet *q)
{
	fprintf(f, ",\"%s\":{\"idleShare\":%.4f,\"otherBusyShare\":%.4f,\"otherRunnable\":%.3f,\"samples\":%d}",
		name, q->idle_share, q->other_busy, q->other_runnable, q->samples);
}

/* The CPU's 'hypervisor' flag: set by every x86 hypervisor (CPUID leaf 1, ECX bit 31). */
static bool under_hypervisor(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	bool vm = false;
	if (!f)
		return false;
	while (!vm && fgets(line, sizeof(line), f))
		if (strncmp(line, "flags", 5) == 0 && strstr(line, " hypervisor"))
			vm = true;
	fclose(f);
	return vm;
}

void vrun_print(struct vrun *r, FILE *f, const char *extra)
{
	const struct vcfg *c = &r->cfg;
	struct calib__bss *b = r->skel->bss;
	struct utsname u;
	char date[32];
	time_t t = time(NULL);

	uname(&u);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	fprintf(f, "{\"kind\":\"validate\",\"name\":");
	json_str(f, c->name);
	fprintf(f, ",\"setup\":{\"buffer\":\"%s\",\"mode\":\"%s\",\"attach\":\"%s\",\"size\":%u,"
		   "\"rbBytes\":%u,\"pages\":%u,\"wakeupEvents\":%u,\"notify\":\"%s\",\"loop\":\"%s\","
		   "\"sleepMs\":%ld,\"place\":\"%s\",\"loadPct\":%ld,\"reader\":\"%s\",\"costNs\":%ld,"
		   "\"rate\":%ld,\"ms\":%ld,\"cpus\":%d}",
		c->buffer, c->mode, c->attach, c->size, c->rb_bytes, c->pages, c->wakeup_events, c->notify,
		c->loop, c->sleep_ms, c->place, strcmp(c->place, "loaded") == 0 ? c->load_pct : 0, c->reader,
		c->cost_ns, c->rate, c->ms, online_cpus());
	fprintf(f, ",\"serviceNs\":%.2f", r->flat.calls ? (double)r->flat.ns / r->flat.calls : 0.0);
	print_phase(f, "baseline", &r->base);
	print_phase(f, "traced", &r->traced);
	fprintf(f, ",\"events\":{\"hits\":%llu,\"submitted\":%llu,\"failed\":%llu,\"consumed\":%lu,"
		   "\"lostReported\":%lu}",
		(unsigned long long)b->hits, (unsigned long long)b->submitted, (unsigned long long)b->failed,
		r->consumed, r->lost_reported);
	fprintf(f, ",\"consumer\":{\"voluntarySwitches\":%ld,\"involuntarySwitches\":%ld,\"polls\":%lu,"
		   "\"pollsWithData\":%lu,\"cpuNs\":%llu,\"cpuPerEventNs\":%.1f}",
		r->nvcsw, r->nivcsw, r->win_polls, r->win_data, (unsigned long long)r->reader_cpu_ns,
		r->win_consumed ? (double)r->reader_cpu_ns / r->win_consumed : 0.0);
	fprintf(f, ",\"latency\":{\"n\":%llu,\"meanNs\":%.1f,\"p50Ns\":%.1f,\"p99Ns\":%.1f}",
		(unsigned long long)r->lat_n, r->lat_n ? r->lat_sum / r->lat_n : 0.0, lat_quantile(r, 0.5),
		lat_quantile(r, 0.99));
	fprintf(f, ",\"host\":{\"kernel\":");
	json_str(f, u.release);
	fprintf(f, ",\"date\":\"%s\",\"hostClass\":\"%s\"", date, under_hypervisor() ? "vm" : "bare-metal");
	print_quiet(f, "before", &r->before);
	print_quiet(f, "during", &r->during);
	fprintf(f, "}");
	if (extra && *extra)
		fprintf(f, ",%s", extra);
	fprintf(f, "}");
}

void vrun_close(struct vrun *r)
{
	perf_buffer__free(r->pb);
	ring_buffer__free(r->rb);
	calib__destroy(r->skel);
	r->pb = NULL;
	r->rb = NULL;
	r->skel = NULL;
}
