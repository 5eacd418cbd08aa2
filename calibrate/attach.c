/*
 * Attach cost on a real kernel path: a tight loop of a cheap syscall (getpgid on itself), or
 * of a user function for uprobes, timed without and with an empty program attached.
 *
 * Each round runs the loop bare, attaches, runs it again, detaches; the sample is the
 * difference per call. Alternating rounds keep drift (frequency, other load) out of the
 * difference. A type the kernel refuses is reported with its error and libbpf's message.
 *
 * Output: {"kind":"attach","name":T,"calls":N,"baseNs":[..],"withNs":[..],"samples":[diff..]}
 *     or  {"kind":"attach","name":T,"error":{"stage":"load"|"attach",...}}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>
#include "loader.h"
#include "calib.skel.h"

enum how { AUTO, KPROBE, KPROBE_MULTI, UPROBE };

struct attach_def {
	const char *name;
	const char *prog;
	enum how how;
	bool ret;
	bool on_syscall_fn;    /* the program's target is the arch's getpgid syscall function */
};

static const struct attach_def TYPES[] = {
	{ "tracepoint", "e_tracepoint", AUTO },
	{ "raw_tracepoint", "e_raw_tp", AUTO },
	{ "tp_btf", "e_tp_btf", AUTO },
	{ "fentry", "e_fentry", AUTO, false, true },
	{ "fexit", "e_fexit", AUTO, false, true },
	{ "fmod_ret", "e_fmod_ret", AUTO },
	{ "lsm", "e_lsm", AUTO },
	{ "kprobe", "e_kprobe", KPROBE, false },
	{ "kretprobe", "e_kretprobe", KPROBE, true },
	{ "kprobe_multi", "e_kprobe_multi", KPROBE_MULTI, false },
	{ "kretprobe_multi", "e_kretprobe_multi", KPROBE_MULTI, true },
	{ "uprobe", "e_uprobe", UPROBE, false },
	{ "uretprobe", "e_uretprobe", UPROBE, true },
};

/* The user-space function the uprobes sit on; the loop calls it like the syscall loop calls
 * getpgid. noinline + the asm keep the call and its body. */
__attribute__((noinline, used)) int bpfsim_uprobe_target(int x)
{
	__asm__ volatile("" : "+r"(x));
	return x + 1;
}

static void uprobe_loop(long iters)
{
	int acc = 0;
	for (long i = 0; i < iters; i++)
		acc = bpfsim_uprobe_target(acc);
	__asm__ volatile("" : : "r"(acc));
}

static void syscall_fn_name(char *buf, size_t len)
{
	struct utsname u;
	uname(&u);
	if (strcmp(u.machine, "aarch64") == 0)
		snprintf(buf, len, "__arm64_sys_getpgid");
	else if (strcmp(u.machine, "s390x") == 0)
		snprintf(buf, len, "__s390x_sys_getpgid");
	else
		snprintf(buf, len, "__x64_sys_getpgid");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* ns per call: the median over 9 blocks, so that one interrupt or preemption in a block does
 * not move the sample. */
#define BLOCKS 9
static double time_loop(const struct attach_def *d, long calls)
{
	double per[BLOCKS];
	long n = calls / BLOCKS > 0 ? calls / BLOCKS : 1;
	for (int b = 0; b < BLOCKS; b++) {
		uint64_t t0 = now_ns();
		if (d->how == UPROBE)
			uprobe_loop(n);
		else
			getpgid_loop(n);
		per[b] = (double)(now_ns() - t0) / n;
	}
	qsort(per, BLOCKS, sizeof(double), cmp_double);
	return per[BLOCKS / 2];
}

static struct bpf_link *do_attach(const struct attach_def *d, struct bpf_program *p, const char *fn)
{
	switch (d->how) {
	case KPROBE:
		return bpf_program__attach_kprobe(p, d->ret, fn);
	case KPROBE_MULTI: {
		LIBBPF_OPTS(bpf_kprobe_multi_opts, o, .retprobe = d->ret);
		return bpf_program__attach_kprobe_multi_opts(p, fn, &o);
	}
	case UPROBE: {
		LIBBPF_OPTS(bpf_uprobe_opts, o, .retprobe = d->ret, .func_name = "bpfsim_uprobe_target");
		return bpf_program__attach_uprobe_opts(p, 0, "/proc/self/exe", 0, &o);
	}
	default:
		return bpf_program__attach(p);
	}
}

static int measure_type(const struct attach_def *d, int rounds, long calls)
{
	const char *progs[] = { d->prog };
	char fn[64], extra[8192];
	struct bpf_program *p;
	struct calib *skel;
	double *base = calloc(rounds, sizeof(double)), *with = calloc(rounds, sizeof(double));
	double *diff = calloc(rounds, sizeof(double));
	int err = 0, got = 0;

	syscall_fn_name(fn, sizeof(fn));
	clear_libbpf_log();
	skel = open_calib(progs, 1);
	if (!skel) {
		emit_error("attach", d->name, "open", -errno, libbpf_log_tail());
		goto out;
	}
	p = bpf_object__find_program_by_name(skel->obj, d->prog);
	if (d->on_syscall_fn)
		bpf_program__set_attach_target(p, 0, fn);
	if ((err = calib__load(skel))) {
		emit_error("attach", d->name, "load", err, libbpf_log_tail());
		goto out;
	}
	/* warm-up: caches, and the first attach (which may build trampolines) */
	time_loop(d, calls / 4);
	for (int r = 0; r < rounds && !g_stop; r++) {
		struct bpf_link *l;
		base[got] = time_loop(d, calls);
		clear_libbpf_log();
		l = do_attach(d, p, fn);
		if (!l) {
			emit_error("attach", d->name, "attach", -errno, libbpf_log_tail());
			goto out;
		}
		with[got] = time_loop(d, calls);
		bpf_link__destroy(l);
		diff[got] = with[got] - base[got];
		got++;
	}
	{
		int n = snprintf(extra, sizeof(extra), "\"calls\":%ld,\"baseNs\":[", calls);
		for (int i = 0; i < got; i++)
			n += snprintf(extra + n, sizeof(extra) - n, "%s%.3f", i ? "," : "", base[i]);
		n += snprintf(extra + n, sizeof(extra) - n, "],\"withNs\":[");
		for (int i = 0; i < got; i++)
			n += snprintf(extra + n, sizeof(extra) - n, "%s%.3f", i ? "," : "", with[i]);
		snprintf(extra + n, sizeof(extra) - n, "]");
	}
	emit_samples("attach", d->name, extra, diff, got);
out:
	calib__destroy(skel);
	free(base);
	free(with);
	free(diff);
	return 0;
}

int cmd_attach(int argc, char **argv)
{
	const char *only = arg_str(argc, argv, "--type", NULL);
	int rounds = arg_int(argc, argv, "--rounds", 7);
	long calls = arg_int(argc, argv, "--calls", 200000);

	pin_cpu(0);
	for (size_t i = 0; i < sizeof(TYPES) / sizeof(TYPES[0]) && !g_stop; i++)
		if (!only || strcmp(only, TYPES[i].name) == 0)
			/* a uprobe hit costs ~100x a syscall: fewer calls keep the round short */
			measure_type(&TYPES[i], rounds, TYPES[i].how == UPROBE ? calls / 20 : calls);
	return 0;
}
