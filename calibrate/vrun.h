/*
 * One cell of the validation grid, shared by the C reader (validate.c) and the Python
 * BCC-style reader (pyshim.c + pyreader.py): the producer thread, the traced program, the
 * buffer, the reader's bookkeeping (delivery latency, wake-ups counted two ways, CPU), the
 * background load, and the host's quietness before and during the run.
 */
#ifndef BPFSIM_VRUN_H
#define BPFSIM_VRUN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct calib;
struct ring_buffer;
struct perf_buffer;

/* The reader's own work per record (after the bookkeeping); cpu is -1 for a ringbuf. */
typedef int (*vrecord_fn)(void *ctx, int cpu, void *data, unsigned size);

struct vcfg {
	const char *name, *buffer, *mode, *attach;
	const char *notify;   /* ringbuf: adaptive | force | nowake */
	const char *loop;     /* poll | consume-sleep */
	const char *place;    /* own | same | loaded: the reader's CPU */
	const char *reader;   /* c | python */
	unsigned size, rb_bytes, pages, wakeup_events;
	long cost_ns, rate, ms, sleep_ms, load_pct;
};

struct vphase {
	long calls;
	uint64_t ns;
	double latency_sum;
};

/* Log-linear histogram of delivery latency: 32 sub-buckets per power of two (~3%). */
#define VLAT_BUCKETS 1920

struct vquiet {
	double idle_share;      /* idle over all CPUs */
	double other_busy;      /* busy share of all CPUs not used by this process */
	double other_runnable;  /* mean runnable tasks that are not this process's */
	int samples;
};

struct vrun {
	struct vcfg cfg;
	struct calib *skel;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	bool perf;
	vrecord_fn on_record;   /* the reader's work per record, after the bookkeeping */
	void *ctx;
	int producer_cpu, reader_cpu;
	pthread_t producer, load, monitor;
	bool load_started, monitor_started, producer_started;
	volatile bool traced_on;   /* the traced phase runs (monitor samples) */
	volatile bool done;        /* producer finished and the drain delay passed */
	int attach_err;
	/* reader */
	unsigned long consumed, lost_reported, polls, polls_with_data;
	long nvcsw, nivcsw;
	uint64_t reader_cpu_ns, reader_t0_cpu;
	long reader_r0_nvcsw, reader_r0_nivcsw;
	int reader_window;   /* 0 before the traced phase, 1 in it, 2 after */
	unsigned long win_consumed0, win_polls0, win_data0, win_consumed, win_polls, win_data;
	uint64_t lat_hist[VLAT_BUCKETS], lat_n;
	double lat_sum;
	/* producer */
	struct vphase flat, base, traced;
	/* host */
	struct vquiet before, during;
	uint64_t stat_busy0, stat_total0, stat_idle0, self_cpu0;
	double runnable_sum;
	int runnable_n;
};

/* Parses --name --buffer --mode --attach --notify --loop --place --reader --size --rb-bytes
 * --pages --wakeup-events --cost --rate --ms --sleep-ms --load. */
void vcfg_parse(struct vcfg *c, int argc, char **argv);
/* Loads the traced program and opens the buffer. On failure prints an error record, returns -1. */
int vrun_open(struct vrun *r, const struct vcfg *c, vrecord_fn on_record, void *ctx);
/* Samples the host before, then starts the producer thread (phases, attach, traced, detach). */
int vrun_start(struct vrun *r);
/* The reader thread calls these around its loop, and vrun_event for each record. */
void vrun_reader_begin(struct vrun *r);
void vrun_reader_end(struct vrun *r);
void vrun_event(struct vrun *r, const void *data);
int vrun_poll(struct vrun *r, int timeout_ms);
int vrun_consume(struct vrun *r);
/* Joins the helper threads. */
void vrun_finish(struct vrun *r);
/* The cell's JSON record (no newline); `extra` is appended verbatim inside the object. */
void vrun_print(struct vrun *r, FILE *f, const char *extra);
void vrun_close(struct vrun *r);

#endif
