import { describe, expect, it } from 'vitest';
import {
  ATTACH_TYPES,
  type KernelFeature,
  attachFeature,
  featureProblem,
  featureSince,
  hasFeature,
  mapFeature,
  maxInstructions,
  parseKernel,
} from '../src/model/kernel.js';
import type { KernelInfo } from '../src/model/scenario.js';

function kernel(v: string): KernelInfo {
  const k = parseKernel(v);
  if (!k) throw new Error(`unparsable ${v}`);
  return k;
}

describe('parseKernel', () => {
  it('reads major.minor[.patch] with or without a distribution suffix', () => {
    expect(parseKernel('5.15')).toEqual({ version: '5.15', major: 5, minor: 15, patch: 0 });
    expect(parseKernel('6.1.0')).toEqual({ version: '6.1.0', major: 6, minor: 1, patch: 0 });
    expect(parseKernel('5.15.0-91-generic')).toMatchObject({ major: 5, minor: 15, patch: 0 });
    expect(parseKernel(' 4.19.90 ')).toMatchObject({ version: '4.19.90', patch: 90 });
    expect(parseKernel('4.19.90')?.profile).toBeUndefined();
  });

  it('names the openEuler 4.19.90 profile in all its spellings', () => {
    for (const v of ['4.19.90-openeuler', 'openeuler-4.19.90', 'openEuler-4.19.90', '4.19.90-2204.3.0.0146.oe1.x86_64']) {
      expect(parseKernel(v), v).toMatchObject({ major: 4, minor: 19, patch: 90, profile: 'openeuler-4.19.90' });
    }
    expect(parseKernel('4.19.90-openeuler')?.version).toBe('4.19.90-openeuler');
    // openEuler on another kernel is that kernel, with no named profile.
    expect(parseKernel('5.10.0-60.18.0.50.oe2203.x86_64')?.profile).toBeUndefined();
  });

  it('rejects what is not a version', () => {
    for (const v of ['', 'latest', 'five', '5', 'v5.15', 'openeuler']) expect(parseKernel(v), v).toBeNull();
  });
});

describe('featureProblem', () => {
  it('ringbuf on 4.19.90-openeuler: needs 5.8, use perf_buffer', () => {
    expect(featureProblem('ringbuf', kernel('4.19.90-openeuler'))).toEqual({
      message: 'ringbuf needs kernel 5.8 or later; 4.19.90-openeuler lacks it',
      hint: 'use output.type: perf_buffer',
    });
  });

  it('fentry on 4.19 suggests raw_tracepoint or kprobe', () => {
    const p = featureProblem('fentry', kernel('4.19'));
    expect(p?.message).toBe('fentry needs kernel 5.5 or later; 4.19 lacks it');
    expect(p?.hint).toMatch(/raw_tracepoint/);
    expect(p?.hint).toMatch(/kprobe/);
  });

  it('fexit suggests kretprobe, tp_btf suggests raw_tracepoint, bounded loops suggest unrolling', () => {
    expect(featureProblem('fexit', kernel('4.19'))?.hint).toMatch(/kretprobe/);
    expect(featureProblem('tp_btf', kernel('5.4'))?.hint).toMatch(/raw_tracepoint/);
    expect(featureProblem('bounded_loops', kernel('5.2'))?.hint).toMatch(/unroll/);
  });

  // reference/ebpf-datapath-facts.md §6: [feature, first version, last version without it].
  const boundaries: [KernelFeature, string, string][] = [
    ['perf_event_array', '4.3', '4.2'],
    ['prog_test_run', '4.12', '4.11'],
    ['raw_tracepoint', '4.17', '4.16'],
    ['btf', '4.18', '4.17'],
    ['bpf_stats', '5.1', '5.0'],
    ['large_programs', '5.2', '5.1'],
    ['bounded_loops', '5.3', '5.2'],
    ['fentry', '5.5', '5.4'],
    ['fexit', '5.5', '5.4'],
    ['tp_btf', '5.5', '5.4'],
    ['lsm', '5.7', '5.6'],
    ['ringbuf', '5.8', '5.7'],
    ['cap_bpf', '5.8', '5.7'],
    ['sleepable', '5.10', '5.9'],
  ];
  for (const [feature, since, before] of boundaries) {
    it(`${feature}: present from ${since}, missing in ${before}`, () => {
      expect(featureSince(feature).version).toBe(since);
      expect(featureProblem(feature, kernel(since))).toBeNull();
      expect(featureProblem(feature, kernel(`${since}.3`))).toBeNull();
      expect(featureProblem(feature, kernel(before))?.message).toContain(`needs kernel ${since} or later`);
      expect(hasFeature(feature, kernel('6.1'))).toBe(true);
    });
  }

  it('compares minor versions numerically (4.9 < 4.17 < 4.19)', () => {
    expect(hasFeature('raw_tracepoint', kernel('4.9'))).toBe(false);
    expect(hasFeature('raw_tracepoint', kernel('4.19'))).toBe(true);
    expect(hasFeature('ringbuf', kernel('5.10'))).toBe(true);
  });

  it('openEuler 4.19.90 has raw_tracepoint, tracepoint and kprobe, but not fentry, tp_btf, ringbuf or CO-RE', () => {
    const oe = kernel('openeuler-4.19.90');
    for (const f of ['raw_tracepoint', 'tracepoint', 'kprobe', 'perf_event_output'] as const) expect(hasFeature(f, oe), f).toBe(true);
    for (const f of ['fentry', 'fexit', 'tp_btf', 'ringbuf', 'btf_vmlinux'] as const) expect(hasFeature(f, oe), f).toBe(false);
  });
});

describe('attach and map features', () => {
  it('maps every attach type of the model format to a feature', () => {
    for (const a of ATTACH_TYPES) expect(attachFeature(a), a).not.toBeNull();
    expect(attachFeature('fentry')).toBe('fentry');
    expect(attachFeature('kretprobe')).toBe('kprobe');
    expect(attachFeature('raw_tracepoint')).toBe('raw_tracepoint');
    expect(attachFeature('kprobes')).toBeNull();
  });

  it('kprobe-family attach types work on 4.19.90-openeuler; fentry and tp_btf do not', () => {
    const oe = kernel('4.19.90-openeuler');
    const ok = ATTACH_TYPES.filter((a) => featureProblem(attachFeature(a)!, oe) === null);
    expect(ok.sort()).toEqual(['kprobe', 'kretprobe', 'raw_tracepoint', 'tc', 'tracepoint', 'uprobe', 'uretprobe', 'xdp']);
  });

  it('map types carry their kernel feature', () => {
    expect(mapFeature('ringbuf')).toBe('ringbuf');
    expect(mapFeature('lru_hash')).toBe('lru_maps');
    expect(mapFeature('hash')).toBeNull();
    expect(featureProblem(mapFeature('queue')!, kernel('4.19'))?.message).toMatch(/4\.20/);
  });

  it('the instruction limit is 4096 before 5.2 and 1M after', () => {
    expect(maxInstructions(kernel('4.19.90-openeuler'))).toBe(4096);
    expect(maxInstructions(kernel('5.2'))).toBe(1_000_000);
  });
});
