/* Helpers shared by the loader's subcommands and the Python shim. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"
#include "calib.skel.h"

volatile sig_atomic_t g_stop;

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int pin_cpu(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

int online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

void spin_ns(uint64_t ns)
{
	uint64_t end = now_ns() + ns;
	while (now_ns() < end)
		;
}

/* The last few KiB of libbpf's output: the verifier log and attach errors live here. */
static char g_log[8192];
static size_t g_log_len;

static int log_cb(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n <= 0)
		return 0;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (g_log_len + n >= sizeof(g_log)) {
		/* keep the tail: the reason is at the end */
		size_t drop = g_log_len + n - sizeof(g_log) + 1;
		if (drop > g_log_len)
			drop = g_log_len;
		memmove(g_log, g_log + drop, g_log_len - drop);
		g_log_len -= drop;
	}
	memcpy(g_log + g_log_len, line, n);
	g_log_len += n;
	g_log[g_log_len] = 0;
	return 0;
}

void capture_libbpf_log(void) { libbpf_set_print(log_cb); }
const char *libbpf_log_tail(void) { return g_log; }
void clear_libbpf_log(void) { g_log_len = 0; g_log[0] = 0; }

struct calib *open_calib(const char *const *progs, int nprogs)
{
	struct calib *skel = calib__open();
	struct bpf_program *p;

	if (!skel)
		return NULL;
	bpf_object__for_each_program(p, skel->obj) {
		bool keep = false;
		for (int i = 0; i < nprogs; i++)
			if (strcmp(bpf_program__name(p), progs[i]) == 0)
				keep = true;
		bpf_program__set_autoload(p, keep);
	}
	return skel;
}

int run_testrun(int prog_fd, uint64_t *wall_ns)
{
	__u64 args[6] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = args, .ctx_size_in = sizeof(args));
	uint64_t t0 = now_ns();
	int err = bpf_prog_test_run_opts(prog_fd, &o);
	if (wall_ns)
		*wall_ns = now_ns() - t0;
	return err ? -errno : (int)o.retval;
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void emit_samples(const char *kind, const char *name, const char *extra, const double *v, int n)
{
	printf("{\"kind\":");
	json_str(stdout, kind);
	printf(",\"name\":");
	json_str(stdout, name);
	if (extra && *extra)
		printf(",%s", extra);
	printf(",\"samples\":[");
	for (int i = 0; i < n; i++)
		printf("%s%.3f", i ? "," : "", v[i]);
	printf("]}\n");
	fflush(stdout);
}

void emit_error(const char *kind, const char *name, const char *stage, int err, const char *detail)
{
	printf("{\"kind\":");
	json_str(stdout, kind);
	printf(",\"name\":");
	json_str(stdout, name);
	printf(",\"error\":{\"stage\":");
	json_str(stdout, stage);
	printf(",\"errno\":%d,\"message\":", err < 0 ? -err : err);
	json_str(stdout, strerror(err < 0 ? -err : err));
	printf(",\"detail\":");
	json_str(stdout, detail ? detail : "");
	printf("}}\n");
	fflush(stdout);
}

long self_pid(void) { return (long)getpid(); }

/* The cheap syscall whose path the probes sit on: getpgid(self) walks the pid table and the
 * security_task_getpgid hook, so tracepoint, fentry, LSM and fmod_ret all fire on it. */
int getpgid_loop(long iters)
{
	long pid = getpid();
	for (long i = 0; i < iters; i++)
		syscall(SYS_getpgid, pid);
	return 0;
}

static int find_arg(int argc, char **argv, const char *name)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return i;
	return -1;
}

int arg_int(int argc, char **argv, const char *name, int def)
{
	int i = find_arg(argc, argv, name);
	return i >= 0 && i + 1 < argc ? atoi(argv[i + 1]) : def;
}

const char *arg_str(int argc, char **argv, const char *name, const char *def)
{
	int i = find_arg(argc, argv, name);
	return i >= 0 && i + 1 < argc ? argv[i + 1] : def;
}

bool arg_flag(int argc, char **argv, const char *name)
{
	return find_arg(argc, argv, name) >= 0;
}
