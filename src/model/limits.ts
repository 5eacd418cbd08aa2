/**
 * Bounds on the knobs that multiply a run's time or memory: a model is untrusted input, and
 * these keep one from asking for an hour-long or many-gigabyte simulation by accident. The
 * schema bounds single fields with them, the checks across fields bound their products.
 */

/** Above this many simulated packets a model is refused unless forced (a run would take minutes). */
export const MAX_PACKETS = 2e8;
/** Most CPUs a model may have (the kernel's NR_CPUS ceiling on common distributions is 8192;
 * per-CPU state and per-CPU rings make more than this a memory problem for the simulator). */
export const MAX_CPUS = 1024;
/** Largest count of one step or loop, and most hits of one probe per packet. */
export const MAX_STEP_COUNT = 1e6;
export const MAX_HITS_PER_PACKET = 1e4;
/** The simulator unrolls loops into a flat program: at most this many steps per probe. */
export const MAX_UNROLLED_STEPS = 1e5;
/** Above this many cost draws in probe programs a run takes minutes: refused unless forced. */
export const MAX_STEP_DRAWS = 4e9;
/** The simulator keeps one slot per queued packet per CPU (cpus x (rxQueue + 1) doubles). */
export const MAX_QUEUE_SLOTS = 2 ** 24;
/** Time-series cells (rings x intervals): above the first a run is refused unless forced; the
 * second is memory no run may take (about 32 bytes a cell). */
export const MAX_SERIES_CELLS = 1e6;
export const MAX_SERIES_CELLS_FORCED = 1e7;
/** Most replications of one point (also the --precision cap): 10 000 already narrow a CI to 1% of
 * one run's spread; more would only schedule work, and memory for it, without end. */
export const MAX_REPLICATIONS = 1e4;
/** Above this many simulated packets over all runs of one command (points x replications x the
 * packets of each run) a command is refused unless forced: ten runs at the single-run limit,
 * about half an hour on one core. */
export const MAX_TOTAL_PACKETS = 10 * MAX_PACKETS;

/** Events one pipeline stage may hold waiting: its departure times are kept, 8 bytes each (32 MiB). */
export const MAX_PIPELINE_CAPACITY = 2 ** 22;
