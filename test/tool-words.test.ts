/**
 * Results and sizing answers in the words of the tool a model names (`tool:`): the counters
 * are the Result's own figures under the tool's names, messages appear exactly when the tool
 * would print them, and `size` answers with the tool's setting.
 */
import { describe, expect, it } from 'vitest';
import { loadModel } from '../src/model/load.js';
import { runScenario } from '../src/simulation/simulate.js';
import { falcoPreset, toolBufferSetting } from '../src/analysis/tool-words.js';
import { falcoPresetBytes } from '../src/records/tools.js';
import { baseModel } from '../src/whatif/base.js';
import { InlineExecutor } from '../src/whatif/pool.js';
import { runSize } from '../src/whatif/size.js';
import { ringbufRecordBytes } from '../src/records/sizes.js';

const run = (file: string, set: string[] = []) => {
  const { scenario, catalog } = loadModel({ file, duration: '60ms', set: ['traffic.warmup=5ms', ...set] });
  return runScenario(scenario, catalog);
};
const counter = (r: ReturnType<typeof run>, name: string) => r.tool!.counters.find((c) => c.name === name)?.value;

describe('tool settings', () => {
  it("Falco's presets are 1 MiB x 2^(i-1), i = 1..10 (falco.yaml's table)", () => {
    expect(falcoPresetBytes(1)).toBe(1 << 20);
    expect(falcoPresetBytes(4)).toBe(8 << 20);
    expect(falcoPresetBytes(10)).toBe(512 << 20);
    expect(falcoPreset(16 << 20)).toBe(5);
    expect(falcoPreset(3 << 20)).toBeNull();
  });

  it('each tool states a buffer in its own setting', () => {
    const perf = { type: 'perf_buffer' as const, size: 64, pageSize: 4096, hostCpus: 8 };
    const rb = { type: 'ringbuf' as const, size: 512 * 1024, pageSize: 4096, hostCpus: 8 };
    expect(toolBufferSetting('bpftrace', perf)).toBe('BPFTRACE_PERF_RB_PAGES=64');
    expect(toolBufferSetting('bcc', { ...perf, size: 8 })).toBe('open_perf_buffer(..., page_cnt=8)');
    expect(toolBufferSetting('tracee', { ...perf, size: 1024 })).toBe('--buffers kernel.events=1024');
    expect(toolBufferSetting('libbpf-tools', perf)).toBe('#define PERF_BUFFER_PAGES 64');
    // Tetragon: --rb-size per CPU x CPUs is the ringbuf total.
    expect(toolBufferSetting('tetragon', rb)).toContain('--rb-size-total=524288 (--rb-size=65536 on 8 CPUs');
    expect(toolBufferSetting('falco-modern-ebpf', { ...rb, size: 8 << 20, cpusPerBuffer: 2 })).toBe('engine.modern_ebpf.buf_size_preset: 4, cpus_for_each_buffer: 2');
  });
});

describe('run results in the tool\'s words', () => {
  it('the Falco preset: n_drops_buffer is the events lost, and the drop alert fires exactly above a 0.1 ratio', () => {
    const quiet = run('models/tools/falco-modern-ebpf.yaml');
    expect(quiet.tool!.bufferSetting).toBe('engine.modern_ebpf.buf_size_preset: 4, cpus_for_each_buffer: 2');
    expect(counter(quiet, 'scap.n_drops_buffer')).toBe(quiet.events.lost);
    expect(counter(quiet, 'scap.n_evts')).toBe(quiet.events.generated);
    // Falco maps each 8 MiB ring twice: 2 rings on 4 CPUs, 16 MiB resident, 32 MiB virtual.
    expect(quiet.memory.buffersVirtual! - 2 * quiet.memory.buffers).toBeLessThan(0);
    expect(quiet.memory.buffersVirtual).toBeGreaterThanOrEqual(2 * 2 * (8 << 20));
    // A 1 MiB ring under a steady overload drops well over 10%: the alert's message appears.
    const loud = run('models/tools/falco-modern-ebpf.yaml', ['output.size=1MiB', 'traffic.arrival=poisson', 'traffic.rate=600k']);
    const ratio = loud.events.lost / loud.events.generated;
    expect(counter(loud, 'drop ratio')).toBeCloseTo(ratio, 12);
    expect(ratio > 0.1).toBe(loud.tool!.messages.some((m) => m.startsWith('Falco internal: syscall event drop.')));
    expect(ratio).toBeGreaterThan(0.1);
    expect(loud.tool!.bufferSetting).toBe('engine.modern_ebpf.buf_size_preset: 1, cpus_for_each_buffer: 2');
  });

  it('BCC and bpftrace print the losses their reader was told of (perf LOST records), not the kernel\'s whole count', () => {
    const bcc = run('models/tools/bcc.yaml', ['traffic.rate=300k']);
    expect(bcc.events.lostReported).toBeGreaterThan(0);
    expect(bcc.tool!.messages).toEqual([`Possibly lost ${bcc.events.lostReported} samples`]);
    expect(counter(bcc, 'dropped by the kernel')).toBe(bcc.events.lost);
    const bt = run('models/tools/bpftrace.yaml', ['output.pageCnt=1', 'traffic.rate=1M']);
    expect(bt.events.lostReported).toBeGreaterThan(0);
    expect(bt.tool!.messages).toEqual([`Lost ${bt.events.lostReported} events`]);
    // No loss, no message.
    expect(run('models/tools/bpftrace.yaml').tool!.messages).toEqual([]);
  });

  it("Tetragon: missed events are the ring's losses, the queue counter is the rb-queue stage's drops", () => {
    const r = run('models/tools/tetragon.yaml', ['traffic.rate=400k', 'pipeline[0].capacity=1000']);
    expect(r.pipeline![0].dropped).toBeGreaterThan(0);
    expect(counter(r, 'tetragon_observer_ringbuf_queue_events_lost_total')).toBe(r.pipeline![0].dropped);
    expect(counter(r, 'tetragon_bpf_missed_events_total')).toBe(r.events.lost);
  });

  it('a model without tool: has no tool section', () => {
    expect(run('models/default.yaml').tool).toBeUndefined();
  });
});

describe('size answers with the tool\'s setting', () => {
  // One CPU, a constant 1.5M events/s into a ringbuf that never notifies; the reader drains only
  // on its 8 ms poll timeout, fast. The ring must hold one period's 12,000 records of 136 B
  // (1.63 MB): 1 MiB (7,710 records) is short, 2 MiB (15,420) holds them: Falco's preset 2.
  const REC = ringbufRecordBytes(128);
  const text = `
name: poll-period ringbuf as Falco
tool: falco-modern-ebpf
cpus: 1
seed: 3
traffic: { arrival: constant, rate: 1.5M, duration: 50ms, warmup: 10ms }
datapath: { service: 200ns, rxQueue: 100000 }
probes:
  - { name: p, attach: fentry, entry: 5ns, exit: 0ns, program: [ { submit: { bytes: 128, cost: 50ns } } ] }
output: { type: ringbuf, size: 8MiB, notify: none }
consumer: { runtime: libbpf, callback: 20ns, pollTimeout: 8ms, stalls: none, logSink: none }
costs:
  wakeup.ringbuf.latency: 0ns
  sched.idleExit: 0ns
  consumer.libbpf.read: 10ns
  consumer.libbpf.decode: 10ns
  consumer.libbpf.log: 0ns
`;
  it('a known answer, 2 MiB, comes back as buf_size_preset: 2, searched within the presets only', async () => {
    expect(Math.floor(((1 << 20) - 8) / REC)).toBeLessThan(12000);
    expect(Math.floor(((2 << 20) - 8) / REC)).toBeGreaterThan(12000);
    const loaded = loadModel({ text, file: 'falco-poll.yaml' });
    const result = await runSize({ base: baseModel(loaded, {}), targetLossPct: 0.1, plan: { replications: 2 } }, loaded, new InlineExecutor());
    expect(result.verdict).toBe('found');
    expect(result.answer!.size).toBe(2 << 20);
    expect(result.tool!.answerSetting).toBe('engine.modern_ebpf.buf_size_preset: 2, cpus_for_each_buffer: 0');
    expect(result.notes[0]).toContain('buf_size_preset: 2');
    expect(result.range).toEqual({ min: 1 << 20, max: 512 << 20 });
  });
});
