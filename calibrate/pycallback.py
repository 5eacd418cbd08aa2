#!/usr/bin/env python3
"""Python per-event callback cost, measured the way BCC calls a callback.

BCC wraps the user's function in a ctypes CFUNCTYPE (table.py: _RAW_CB_TYPE for perf
buffers, _RINGBUF_CB_TYPE for ringbufs, each with its try/except wrapper), and a C reader
(libbpf's ring_buffer__consume, or BCC's perf reader) calls it once per record. This script
does the same through libbpfsim_pyshim.so: it fills the buffer with n events, drains it in one
consume call, and prints the time per batch size for each callback variant as JSON lines:

  {"kind":"python","name":"<buffer>.<variant>","size":64,"points":[[n, ns], ...]}

The TypeScript side fits ns = perBatch + perEvent * n. Variants (each includes the previous
step's work, so differences isolate one step):
  noop     the BCC wrapper and an empty user function
  decode   + b["events"].event(data): ct.cast to the event Structure
  simple   + a counter increment                    (seed: "count only")
  medium   + parse fields and aggregate in a dict   (seed: "parse + aggregate")
  complex  + format a text line (time, comm, addresses)  (seed: "string processing")
  log      + write the line to a file               (seed: "... + write file")

Usage: pycallback.py SHIM.so [--reps R] [--size BYTES]
"""
import ctypes as ct
import json
import os
import platform
import socket
import struct
import sys
import tempfile
import time

BATCHES = [1, 4, 16, 64, 256, 1024]

# BCC's callback types (src/python/bcc/table.py).
_RAW_CB_TYPE = ct.CFUNCTYPE(None, ct.py_object, ct.c_int, ct.c_void_p, ct.c_int)
_RINGBUF_CB_TYPE = ct.CFUNCTYPE(ct.c_int, ct.c_void_p, ct.c_void_p, ct.c_int)


class Event(ct.Structure):
    _fields_ = [
        ("ts", ct.c_uint64),
        ("seq", ct.c_uint64),
        ("pid", ct.c_uint32),
        ("tid", ct.c_uint32),
        ("comm", ct.c_char * 16),
        ("bytes", ct.c_uint64),
        ("saddr", ct.c_uint32),
        ("daddr", ct.c_uint32),
    ]


class EventsTable:
    """b["events"].event(data), as BCC's table does it."""

    def __init__(self):
        self._event_class = Event

    def event(self, data):
        return ct.cast(data, ct.POINTER(self._event_class)).contents


def make_variants(log_file):
    events = EventsTable()
    counts = [0]
    agg = {}

    def noop(a, data, size):
        pass

    def decode(a, data, size):
        events.event(data)

    def simple(a, data, size):
        events.event(data)
        counts[0] += 1

    def medium(a, data, size):
        e = events.event(data)
        key = (e.pid, e.comm)
        agg[key] = agg.get(key, 0) + e.bytes

    def fmt(e):
        return "%-8s %-16s %6d %6d %-15s %-15s %8d" % (
            time.strftime("%H:%M:%S"),
            e.comm.decode("utf-8", "replace"),
            e.pid,
            e.tid,
            socket.inet_ntoa(struct.pack("I", e.saddr)),
            socket.inet_ntoa(struct.pack("I", e.daddr)),
            e.bytes,
        )

    def complex_(a, data, size):
        e = events.event(data)
        fmt(e)

    def log(a, data, size):
        e = events.event(data)
        log_file.write(fmt(e) + "\n")

    return [("noop", noop), ("decode", decode), ("simple", simple), ("medium", medium),
            ("complex", complex_), ("log", log)]


def bcc_perf_wrapper(callback):
    def raw_cb_(_, cpu, data, size):
        try:
            callback(cpu, data, size)
        except IOError as e:
            raise e
    return _RAW_CB_TYPE(raw_cb_)


def bcc_ringbuf_wrapper(callback):
    def ringbuf_cb_(ctx, data, size):
        try:
            ret = callback(ctx, data, size)
            try:
                ret = int(ret)
            except Exception:
                ret = 0
        except IOError as e:
            raise e
        return ret
    return _RINGBUF_CB_TYPE(ringbuf_cb_)


class Dispatch:
    """One registered C callback that forwards to the variant being measured."""

    def __init__(self):
        self.target = None

    def __call__(self, a, data, size):
        return self.target(a, data, size)


def measure(shim, buffer, variants, reps, size):
    dispatch = Dispatch()
    if buffer == "perf_buffer":
        fn = bcc_perf_wrapper(dispatch)
        shim.shim_perfbuf.argtypes = [_RAW_CB_TYPE, ct.py_object]
        err = shim.shim_perfbuf(fn, ct.py_object(dispatch))
    else:
        fn = bcc_ringbuf_wrapper(dispatch)
        shim.shim_ringbuf.argtypes = [_RINGBUF_CB_TYPE]
        err = shim.shim_ringbuf(fn)
    if err:
        fail(buffer, "setup", err, shim)
        return
    for name, cb in variants:
        dispatch.target = cb
        for rep in range(-1, reps):  # rep -1: warm-up, not printed
            points = []
            for n in BATCHES:
                err = shim.shim_fill(n, size)
                if err:
                    fail(buffer, "fill", err, shim)
                    return
                t0 = time.perf_counter_ns()
                got = shim.shim_consume()
                t = time.perf_counter_ns() - t0
                # ring_buffer__consume returns the records it read; perf_buffer__consume
                # returns 0 once every CPU's ring is drained
                if got != (0 if buffer == "perf_buffer" else n):
                    fail(buffer, "drain", -5, shim)
                    return
                points.append([n, t])
            if rep >= 0:
                emit({"kind": "python", "name": f"{buffer}.{name}", "size": size, "points": points})
    # BCC's poll: one ctypes call into the reader, epoll_wait, then the callbacks.
    dispatch.target = variants[0][1]
    for rep in range(-1, reps):
        points = []
        for n in BATCHES:
            shim.shim_fill(n, size)
            t0 = time.perf_counter_ns()
            shim.shim_poll(0)
            points.append([n, time.perf_counter_ns() - t0])
        if rep >= 0:
            emit({"kind": "python", "name": f"{buffer}.poll", "size": size, "points": points})


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def fail(buffer, stage, err, shim):
    shim.shim_log.restype = ct.c_char_p
    emit({"kind": "python", "name": buffer, "error": {
        "stage": stage, "errno": -err, "message": os.strerror(-err),
        "detail": (shim.shim_log() or b"").decode("utf-8", "replace")}})


def main():
    args = sys.argv[1:]
    if not args:
        sys.stderr.write(__doc__)
        return 2
    shim = ct.CDLL(args[0])
    reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 7
    size = int(args[args.index("--size") + 1]) if "--size" in args else 64
    emit({"kind": "pyinfo", "implementation": platform.python_implementation(),
          "version": platform.python_version(), "executable": sys.executable})
    with tempfile.TemporaryFile("w") as log_file:
        variants = make_variants(log_file)
        for buffer in ("ringbuf", "perf_buffer"):
            err = shim.shim_open()
            if err:
                fail(buffer, "load", err, shim)
                return 1
            try:
                measure(shim, buffer, variants, reps, size)
            finally:
                shim.shim_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
