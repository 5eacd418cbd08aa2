/**
 * Each preset in models/tools/ carries its tool's own defaults, as the tool's sources state them
 * (the preset files cite them): a preset drifting from its tool fails here.
 */
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.js';
import { falcoPresetBytes, tetragonPerfDataPages, tetragonRingbufBytes } from '../src/records/tools.js';

const load = (name: string) => loadModel({ file: `models/tools/${name}.yaml` });

describe('presets carry their tools\' defaults', () => {
  it('falco-modern-ebpf: buf_size_preset 4 (8 MiB) per ring, a ring per 2 CPUs, NO_WAKEUP, a consume-and-sleep reader from 500 us', () => {
    const { scenario: s, model } = load('falco-modern-ebpf');
    expect(model.tool).toBe('falco-modern-ebpf');
    expect(s.output.type).toBe('ringbuf');
    if (s.output.type !== 'ringbuf') return;
    expect(s.output.size).toBe(falcoPresetBytes(4));
    expect(s.output.size).toBe(8 * 1024 * 1024);
    expect(s.output.cpusPerBuffer).toBe(2);
    expect(s.output.hostBuffers).toBe(Math.ceil(s.cpus / 2));
    expect(s.output.notify).toBe('none');
    expect(model.consumer.loop).toBe('consume-sleep');
    expect(model.consumer.sleepInterval).toBe(500e3);
  });

  it('tetragon: one ringbuf of 64 KiB x CPUs in power-of-two pages, a 65535-event queue behind the reader', () => {
    const { scenario: s, model } = load('tetragon');
    expect(s.output.type).toBe('ringbuf');
    if (s.output.type !== 'ringbuf') return;
    expect(s.output.size).toBe(tetragonRingbufBytes(64 * 1024, s.memory.hostCpus, s.output.pageSize));
    expect(s.pipeline?.[0]).toMatchObject({ name: 'rb-queue', capacity: 65535, onFull: 'drop' });
    expect(model.tool).toBe('tetragon');
    // The perf path's rounding: 65535 bytes -> 16 pages, a power of two, plus a metadata page.
    expect(tetragonPerfDataPages(65535, 4096)).toBe(16);
    expect(tetragonPerfDataPages(65537, 4096)).toBe(32);
    expect(tetragonRingbufBytes(64 * 1024, 6, 4096)).toBe(512 * 1024);
  });

  it.each([
    ['tracee', 1024],
    ['bpftrace', 64],
    ['libbpf-tools', 64],
    ['bcc', 8],
  ])('%s: a perf buffer of %i pages per CPU, a wake-up per event', (name, pages) => {
    const { scenario: s, model } = load(name);
    expect(model.tool).toBe(name);
    expect(s.output.type).toBe('perf_buffer');
    if (s.output.type !== 'perf_buffer') return;
    expect(s.output.pageCnt).toBe(pages);
    expect(s.output.wakeupEvents).toBe(1);
  });

  it('bcc reads in Python; libbpf-tools polls with a 100 ms timeout (PERF_POLL_TIMEOUT_MS)', () => {
    expect(load('bcc').model.consumer.runtime).toBe('bcc-python');
    const lt = load('libbpf-tools').model.consumer;
    expect(lt.runtime).toBe('libbpf');
    expect(lt.pollTimeout).toBe(100e6);
  });
});
