/* The calibration loader: each subcommand measures one thing and prints JSON lines on stdout. */
#ifndef BPFSIM_LOADER_H
#define BPFSIM_LOADER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct calib;

extern volatile sig_atomic_t g_stop;

/* ---- util.c ---- */
uint64_t now_ns(void);
uint64_t thread_cpu_ns(void);
int pin_cpu(int cpu);
int online_cpus(void);
void spin_ns(uint64_t ns);
/* libbpf messages are kept (not printed) so a failure can quote the kernel's reason. */
void capture_libbpf_log(void);
const char *libbpf_log_tail(void);
void clear_libbpf_log(void);
/* Opens the embedded object with every program's autoload off but the ones named. */
struct calib *open_calib(const char *const *progs, int nprogs);
int run_testrun(int prog_fd, uint64_t *wall_ns);
void json_str(FILE *f, const char *s);
void emit_samples(const char *kind, const char *name, const char *extra, const double *v, int n);
void emit_error(const char *kind, const char *name, const char *stage, int err, const char *detail);
int getpgid_loop(long iters);
long self_pid(void);
int arg_int(int argc, char **argv, const char *name, int def);
const char *arg_str(int argc, char **argv, const char *name, const char *def);
bool arg_flag(int argc, char **argv, const char *name);

/* ---- subcommands ---- */
int cmd_info(int argc, char **argv);
int cmd_ops(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_wakeup(int argc, char **argv);
int cmd_consumer(int argc, char **argv);
int cmd_validate(int argc, char **argv);

#endif
