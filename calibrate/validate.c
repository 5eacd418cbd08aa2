/*
 * A real end-to-end run of one validation cell with a C (libbpf) reader, for
 * `bpfsim calibrate --validate` (the cell itself: vrun.c).
 *
 * The reader (this thread) polls (ring_buffer__poll / perf_buffer__poll, 100 ms timeout) or,
 * with --loop consume-sleep, calls *__consume() and sleeps --sleep-ms, and spins --cost ns per
 * record. Output: {"kind":"validate","name":...,"setup":{...},...} (see vrun_print).
 */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>
#include "loader.h"
#include "vrun.h"

static int spin_record(void *ctx, int cpu, void *data, unsigned size)
{
	long cost = *(long *)ctx;
	if (cost > 0)
		spin_ns((uint64_t)cost);
	return 0;
}

int cmd_validate(int argc, char **argv)
{
	struct vcfg c;
	static struct vrun r;   /* large (latency histogram): not on the stack */
	bool sleeper;

	vcfg_parse(&c, argc, argv);
	sleeper = strcmp(c.loop, "consume-sleep") == 0;
	if (vrun_open(&r, &c, spin_record, &c.cost_ns))
		return 1;
	vrun_reader_begin(&r);
	if (vrun_start(&r)) {
		emit_error("validate", c.name, "thread", -1, "could not start the producer thread");
		vrun_close(&r);
		return 1;
	}
	while (!r.done && !g_stop) {
		if (sleeper) {
			vrun_consume(&r);
			usleep((useconds_t)c.sleep_ms * 1000);
		} else {
			vrun_poll(&r, 100);
		}
	}
	vrun_consume(&r);   /* what is left once the producer stopped */
	vrun_reader_end(&r);
	vrun_finish(&r);
	if (r.attach_err) {
		emit_error("validate", c.name, "attach", r.attach_err, libbpf_log_tail());
		vrun_close(&r);
		return 1;
	}
	vrun_print(&r, stdout, NULL);
	printf("\n");
	fflush(stdout);
	vrun_close(&r);
	return 0;
}
