/*
 * bpfsim-calib: the measuring half of `bpfsim calibrate`.
 *
 *   bpfsim-calib info
 *   bpfsim-calib ops      [--reps R] [--iters N]
 *   bpfsim-calib attach   --type T [--rounds R] [--calls N]
 *   bpfsim-calib wakeup   --buffer ringbuf|perf_buffer [--count N]
 *   bpfsim-calib consumer --buffer ringbuf|perf_buffer [--reps R]
 *   bpfsim-calib validate --buffer ... --size BYTES --mode flat|paced [...]
 *
 * Every measurement is one JSON object per line on stdout; the TypeScript side parses them.
 * Nothing is pinned: programs, maps and links live in this process's file descriptors, so
 * they go away when it exits, however it exits. SIGINT/SIGTERM stop the loops early and the
 * normal teardown runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "loader.h"

static void on_signal(int sig) { (void)sig; g_stop = 1; }

static void read_cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (colon && strncmp(line, "model name", 10) == 0) {
			colon += 2;
			colon[strcspn(colon, "\n")] = 0;
			snprintf(buf, len, "%s", colon);
			break;
		}
	}
	fclose(f);
}

static int read_int_file(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;
	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

int cmd_info(int argc, char **argv)
{
	struct utsname u;
	char model[256];

	uname(&u);
	read_cpu_model(model, sizeof(model));
	printf("{\"kind\":\"info\",\"host\":");
	json_str(stdout, u.nodename);
	printf(",\"kernel\":");
	json_str(stdout, u.release);
	printf(",\"machine\":");
	json_str(stdout, u.machine);
	printf(",\"cpuModel\":");
	json_str(stdout, model);
	printf(",\"cpus\":%d,\"libbpf\":\"%u.%u\",\"jit\":%d,\"pageSize\":%ld}\n", online_cpus(),
	       libbpf_major_version(), libbpf_minor_version(),
	       read_int_file("/proc/sys/net/core/bpf_jit_enable"), sysconf(_SC_PAGESIZE));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
		{ "info", cmd_info }, { "ops", cmd_ops }, { "attach", cmd_attach },
		{ "wakeup", cmd_wakeup }, { "consumer", cmd_consumer }, { "validate", cmd_validate },
	};
	struct sigaction sa = { .sa_handler = on_signal };

	if (argc < 2) {
		fprintf(stderr, "usage: %s info|ops|attach|wakeup|consumer|validate [options]\n", argv[0]);
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	capture_libbpf_log();
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0) {
			int rc = cmds[i].fn(argc - 2, argv + 2);
			return g_stop ? 130 : rc;
		}
	fprintf(stderr, "unknown subcommand: %s\n", argv[1]);
	return 2;
}
