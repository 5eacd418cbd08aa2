#!/usr/bin/env python3
"""One validation cell with a Python reader, the way a BCC tool reads its buffer.

The producer (a C thread of this process, in libbpfsim_pyshim.so) calls getpgid with a
traced program attached; this thread is the reader: a loop of poll calls (BCC's
`while True: b.perf_buffer_poll()` / `b.ring_buffer_poll()`) or, with --loop consume-sleep,
consume then time.sleep. Each record reaches a ctypes callback with BCC's own types and
wrappers, which decodes it (`b["events"].event(data)`) and then spins --cost ns.

Pauses (stalls) of the reader are recorded: CPython's garbage collector (gc.callbacks,
start to stop) and gaps between two records of one poll call longer than 50 us that are not
the callback's own work (descheduling, page faults, anything else that stopped the thread).

Usage: pyreader.py SHIM.so --name N --buffer ringbuf|perf_buffer [the loader's validate options]
Output: the loader's validate record plus "pauses" and "python", one JSON line.
"""
import ctypes as ct
import gc
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pycallback as bcc  # noqa: E402  (BCC's callback types, wrappers and event decoding)

GAP_NS = 50_000
MAX_PAUSES = 5000


class Pauses:
    def __init__(self, shim):
        self.shim = shim
        self.gc_ns = []
        self.gap_ns = []
        self.gc_start = 0
        self.last_end = 0

    def on_gc(self, phase, info):
        now = time.perf_counter_ns()
        if phase == "start":
            self.gc_start = now
        elif self.gc_start and self.shim.shim_vtracing() and len(self.gc_ns) < MAX_PAUSES:
            self.gc_ns.append(now - self.gc_start)

    def gap(self, start):
        # a gap counts only between two records of one poll call (last_end is reset per call)
        if self.last_end and start - self.last_end > GAP_NS and len(self.gap_ns) < MAX_PAUSES:
            self.gap_ns.append(start - self.last_end)


def option(args, name, default):
    return args[args.index(name) + 1] if name in args else default


def main():
    args = sys.argv[1:]
    if not args:
        sys.stderr.write(__doc__)
        return 2
    shim = ct.CDLL(args[0])
    opts = args[1:]
    cost = int(option(opts, "--cost", "0"))
    perf = option(opts, "--buffer", "ringbuf") == "perf_buffer"
    sleeper = option(opts, "--loop", "poll") == "consume-sleep"
    sleep_s = int(option(opts, "--sleep-ms", "10")) / 1000.0
    pauses = Pauses(shim)
    events = bcc.EventsTable()
    seen = [0]

    def user_callback(*cb_args):
        start = time.perf_counter_ns()
        pauses.gap(start)
        events.event(cb_args[-2])
        seen[0] += 1
        if cost:
            end = start + cost
            while time.perf_counter_ns() < end:
                pass
        pauses.last_end = time.perf_counter_ns()

    fn = bcc.bcc_perf_wrapper(user_callback) if perf else bcc.bcc_ringbuf_wrapper(user_callback)
    argv = (ct.c_char_p * (len(opts) + 2))(*[a.encode() for a in opts + ["--reader", "python"]])
    # the perf callback's first argument is a Python object (BCC passes its own), the ringbuf's a plain pointer
    shim.shim_vopen.argtypes = [ct.c_int, ct.POINTER(ct.c_char_p), ct.c_void_p, ct.py_object]
    ctx = pauses
    err = shim.shim_vopen(len(opts) + 2, argv, ct.cast(fn, ct.c_void_p), ct.py_object(ctx))
    if err:
        shim.shim_log.restype = ct.c_char_p
        sys.stdout.write(json.dumps({"kind": "validate", "name": option(opts, "--name", "run"), "error": {
            "stage": "open", "errno": -err, "message": os.strerror(-err),
            "detail": (shim.shim_log() or b"").decode("utf-8", "replace")}}) + "\n")
        return 1
    gc.callbacks.append(pauses.on_gc)
    if shim.shim_vstart():
        sys.stderr.write("could not start the producer thread\n")
        shim.shim_vclose()
        return 1
    while not shim.shim_vdone():
        pauses.last_end = 0
        if sleeper:
            shim.shim_vconsume()
            time.sleep(sleep_s)
        else:
            shim.shim_vpoll(100)
    pauses.last_end = 0
    shim.shim_vconsume()
    gc.callbacks.remove(pauses.on_gc)
    extra = json.dumps({
        "pauses": {"gcNs": pauses.gc_ns, "gapNs": pauses.gap_ns, "gapThresholdNs": GAP_NS},
        "python": {"implementation": platform.python_implementation(), "version": platform.python_version()},
    })[1:-1]
    shim.shim_vfinish.restype = ct.c_char_p
    shim.shim_vfinish.argtypes = [ct.c_char_p]
    line = shim.shim_vfinish(extra.encode())
    shim.shim_vclose()
    if not line:
        return 1
    sys.stdout.write(line.decode() + "\n")
    sys.stdout.flush()
    return 1 if b'"error"' in line[:200] else 0


if __name__ == "__main__":
    sys.exit(main())
