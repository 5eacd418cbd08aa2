/*
 * A small shared library for pycallback.py: it loads the calibration object, fills a ringbuf
 * or perf buffer with events (BPF_PROG_TEST_RUN), and drains it with libbpf's reader, which
 * calls back into Python through ctypes, the way BCC's ring_buffer_poll/consume (libbpf
 * ring_buffer__*) and perf_buffer_poll (a C reader calling a ctypes callback) do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"
#include "calib.h"
#include "calib.skel.h"
#include "vrun.h"

static struct calib *g_skel;
static struct ring_buffer *g_rb;
static struct perf_buffer *g_pb;

int shim_open(void)
{
	static const char *const progs[] = { "run_ops" };
	int err;

	capture_libbpf_log();
	pin_cpu(0);
	g_skel = open_calib(progs, 1);
	if (!g_skel)
		return -errno;
	bpf_map__set_max_entries(g_skel->maps.rb, 16u << 20);
	if ((err = calib__load(g_skel))) {
		calib__destroy(g_skel);
		g_skel = NULL;
		return err;
	}
	return 0;
}

const char *shim_log(void) { return libbpf_log_tail(); }

int shim_ringbuf(ring_buffer_sample_fn cb)
{
	g_rb = ring_buffer__new(bpf_map__fd(g_skel->maps.rb), cb, NULL, NULL);
	return g_rb ? 0 : -errno;
}

int shim_perfbuf(perf_buffer_sample_fn cb, void *ctx)
{
	g_pb = perf_buffer__new(bpf_map__fd(g_skel->maps.pb), 1024, cb, NULL, ctx, NULL);
	return g_pb ? 0 : -errno;
}

/* n events of `size` bytes into the open buffer; 0 or a negative errno. */
int shim_fill(int n, int size)
{
	struct calib__bss *b = g_skel->bss;
	b->op = g_pb ? OP_PERF_OUTPUT : OP_RB_OUTPUT;
	b->n_iters = n;
	b->ev_size = size;
	int r = run_testrun(bpf_program__fd(g_skel->progs.run_ops), NULL);
	return r ? r : (b->errors ? -ENOSPC : 0);
}

int shim_consume(void)
{
	return g_pb ? perf_buffer__consume(g_pb) : ring_buffer__consume(g_rb);
}

int shim_poll(int timeout_ms)
{
	return g_pb ? perf_buffer__poll(g_pb, timeout_ms) : ring_buffer__poll(g_rb, timeout_ms);
}

void shim_close(void)
{
	perf_buffer__free(g_pb);
	ring_buffer__free(g_rb);
	calib__destroy(g_skel);
	g_pb = NULL;
	g_rb = NULL;
	g_skel = NULL;
}

/* ---- one validation cell with a Python reader (pyreader.py): the producer is a C thread
 * of this process, the reader is the Python thread that calls shim_vpoll/shim_vconsume, and
 * each record goes to a ctypes callback with BCC's signature (perf: _RAW_CB_TYPE, ringbuf:
 * _RINGBUF_CB_TYPE). ---- */

static struct vrun g_v;
static void *g_pycb, *g_pyctx;

typedef void (*bcc_perf_cb)(void *ctx, int cpu, void *data, int size);
typedef int (*bcc_ringbuf_cb)(void *ctx, void *data, int size);

static int py_record(void *ctx, int cpu, void *data, unsigned size)
{
	if (g_v.perf) {
		((bcc_perf_cb)g_pycb)(g_pyctx, cpu, data, (int)size);
		return 0;
	}
	return ((bcc_ringbuf_cb)g_pycb)(NULL, data, (int)size);
}

int shim_vopen(int argc, char **argv, void *cb, void *ctx)
{
	struct vcfg c;
	capture_libbpf_log();
	vcfg_parse(&c, argc, argv);
	g_pycb = cb;
	g_pyctx = ctx;
	return vrun_open(&g_v, &c, py_record, NULL) ? -EINVAL : 0;
}

/* Pins the calling (reader) thread and starts the producer. */
int shim_vstart(void)
{
	vrun_reader_begin(&g_v);
	return vrun_start(&g_v);
}

int shim_vdone(void) { return g_v.done || g_stop; }
int shim_vtracing(void) { return g_v.traced_on; }
int shim_vpoll(int timeout_ms) { return vrun_poll(&g_v, timeout_ms); }
int shim_vconsume(void) { return vrun_consume(&g_v); }

/* Ends the cell; returns its JSON record (with `extra` inside), or an error record. The
 * string stays valid until the next shim_vfinish or shim_vclose. */
const char *shim_vfinish(const char *extra)
{
	static char *out;
	size_t len;
	FILE *f;

	vrun_reader_end(&g_v);
	vrun_finish(&g_v);
	free(out);
	out = NULL;
	f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	if (g_v.attach_err) {
		fprintf(f, "{\"kind\":\"validate\",\"name\":");
		json_str(f, g_v.cfg.name);
		fprintf(f, ",\"error\":{\"stage\":\"attach\",\"errno\":%d,\"message\":", -g_v.attach_err);
		json_str(f, strerror(-g_v.attach_err));
		fprintf(f, ",\"detail\":");
		json_str(f, libbpf_log_tail());
		fprintf(f, "}}");
	} else {
		vrun_print(&g_v, f, extra);
	}
	fclose(f);
	return out;
}

void shim_vclose(void) { vrun_close(&g_v); }
