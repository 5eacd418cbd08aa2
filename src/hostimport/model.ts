/**
 * A model from a host sample: each BPF program that ran during the window becomes a probe whose
 * program cost is what the kernel measured (run_time_ns / run_cnt over the window); the busiest
 * program's run rate is the traffic rate, the others run that many times fewer or more per
 * packet; the output buffer is the ring buffer or perf event array the programs use. What
 * bpftool cannot tell (the event size, the attach point of some types, the data path's own cost,
 * the reader) is guessed, and the model's comments say which is which.
 */
import type { BpftoolLink, BpftoolMap, BpftoolProg, HostSample } from './sample.js';
import { MAP_TYPES } from '../model/kernel.js';

/** bpftool program types -> the model's attach types (guessed where one type covers several). */
const ATTACH_OF_TYPE: Record<string, { attach: string; guessed?: string }> = {
  tracepoint: { attach: 'tracepoint' },
  raw_tracepoint: { attach: 'raw_tracepoint' },
  raw_tracepoint_writable: { attach: 'raw_tracepoint' },
  kprobe: { attach: 'kprobe', guessed: 'bpftool shows kprobe, kretprobe, uprobe and uretprobe programs all as type kprobe' },
  tracing: { attach: 'fentry', guessed: 'bpftool shows fentry, fexit and tp_btf programs all as type tracing' },
  lsm: { attach: 'lsm' },
  xdp: { attach: 'xdp' },
  sched_cls: { attach: 'tc' },
  sched_act: { attach: 'tc' },
};

/** The link attach types that say which of a program type's attach types it is. */
const ATTACH_OF_LINK: Record<string, string> = {
  trace_fentry: 'fentry',
  trace_fexit: 'fexit',
  trace_raw_tp: 'tp_btf',
  lsm_mac: 'lsm',
};

/** Event payload assumed when the program's own code is not read (the catalog's mid size). */
export const GUESSED_EVENT_BYTES = 64;
/** Baseline cost of the traced event without BPF: not visible to bpftool. */
export const GUESSED_SERVICE = '1us';

export interface ImportedProgram {
  id: number;
  name: string;
  attach: string;
  /** Where it is attached, when a link says. */
  target?: string;
  attachGuess?: string;
  runs: number;
  runTimeNs: number;
  /** run_time_ns / run_cnt over the window. */
  costNs: number;
  /** Runs per second over the window. */
  rate: number;
  output?: BpftoolMap;
  outputGuess?: string;
  maps: BpftoolMap[];
}

export interface ImportPlan {
  programs: ImportedProgram[];
  /** Programs seen but left out, with the reason. */
  skipped: string[];
}

/** Which programs to import: those that ran in the window, optionally picked by id or name. */
export function planImport(sample: HostSample, pick: { ids?: number[]; names?: string[] } = {}): ImportPlan {
  const before = new Map(sample.before.map((p) => [p.id, p]));
  const maps = new Map(sample.maps.map((m) => [m.id, m]));
  const links = new Map<number, BpftoolLink>();
  for (const l of sample.links) if (typeof l.prog_id === 'number') links.set(l.prog_id, l);
  const programs: ImportedProgram[] = [];
  const skipped: string[] = [];
  for (const p of sample.after) {
    const name = p.name ?? `prog_${p.id}`;
    if (pick.ids?.length && !pick.ids.includes(p.id)) continue;
    if (pick.names?.length && !pick.names.some((n) => name.includes(n))) continue;
    const b = before.get(p.id);
    const runs = (p.run_cnt ?? 0) - (b?.run_cnt ?? 0);
    const runTimeNs = (p.run_time_ns ?? 0) - (b?.run_time_ns ?? 0);
    const label = `${name} (id ${p.id}, ${p.type})`;
    if (!b) {
      skipped.push(`${label}: loaded during the window`);
      continue;
    }
    if (runs <= 0) {
      skipped.push(`${label}: did not run during the window`);
      continue;
    }
    const kind = ATTACH_OF_TYPE[p.type];
    if (!kind) {
      skipped.push(`${label}: program type ${p.type} has no attach cost in the catalog`);
      continue;
    }
    const link = links.get(p.id);
    const linkAttach = typeof link?.attach_type === 'string' ? ATTACH_OF_LINK[link.attach_type] : undefined;
    const target = linkTarget(link);
    const used = (p.map_ids ?? []).map((id) => maps.get(id)).filter((m): m is BpftoolMap => m !== undefined);
    const ringbufs = used.filter((m) => m.type === 'ringbuf');
    const perfs = used.filter((m) => m.type === 'perf_event_array');
    const output = ringbufs[0] ?? perfs[0];
    const outputGuess = ringbufs.length + perfs.length > 1
      ? `the program uses ${ringbufs.length + perfs.length} output maps (${[...ringbufs, ...perfs].map((m) => m.name ?? m.id).join(', ')}); ${output?.name ?? output?.id} is taken`
      : undefined;
    programs.push({
      id: p.id,
      name,
      attach: linkAttach ?? kind.attach,
      ...(target ? { target } : {}),
      ...(linkAttach === undefined && kind.guessed ? { attachGuess: kind.guessed } : {}),
      runs,
      runTimeNs,
      costNs: runTimeNs / runs,
      rate: runs / (sample.windowNs / 1e9),
      ...(output ? { output } : {}),
      ...(outputGuess ? { outputGuess } : {}),
      // libbpf's global data maps ("obj.bss", ".rodata") are not maps a user declares
      maps: used.filter((m) => m !== output && !(m.name ?? '').includes('.') && (MAP_TYPES as readonly string[]).includes(m.type)),
    });
  }
  programs.sort((a, b) => b.rate - a.rate || a.id - b.id);
  return { programs, skipped };
}

function linkTarget(link: BpftoolLink | undefined): string | undefined {
  if (!link) return undefined;
  for (const k of ['tp_name', 'func_name', 'target_name', 'tracepoint', 'func']) {
    const v = link[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** YAML scalar: names from the host are quoted (they may hold ':' or '#'). */
function q(s: string): string {
  return JSON.stringify(s);
}

function fmtNs(ns: number): string {
  return `${Number(ns.toPrecision(4))}ns`;
}

/** The model text, commented: what was measured, what was guessed. */
export function renderImportedModel(sample: HostSample, plan: ImportPlan, command: string): string {
  const progs = plan.programs;
  if (progs.length === 0) throw new Error('no program to import');
  const lead = progs[0];
  const cpus = Math.min(sample.onlineCpus, 256);
  const [major, minor] = sample.kernelRelease.split(/[.-]/);
  const windowS = sample.windowNs / 1e9;
  const out = progs.find((p) => p.output)?.output;
  const L: string[] = [];
  const f = (text: string, comment: string) => L.push(`${`${text} `.padEnd(36)}# ${comment}`);
  L.push(`# Imported from this host by \`${command}\`.`);
  L.push(`# MEASURED: program costs and run rates from the kernel's statistics (run_time_ns / run_cnt,`);
  L.push(`# kernel.bpf_stats_enabled ${sample.statsWereEnabled ? 'already on' : 'turned on for the window, then off again'}) over ${windowS.toFixed(2)} s; maps and`);
  L.push('# their sizes from `bpftool map show`; kernel and CPU count from this host.');
  L.push('# GUESSED (edit these): the data path\'s own cost, the event size, the reader, and any attach');
  L.push('# type bpftool cannot tell apart; each is marked "guessed" below.');
  for (const s of plan.skipped) L.push(`# not imported: ${s}`);
  L.push(`name: ${q(`imported from ${progs.map((p) => p.name).join(', ')}`.slice(0, 200))}`);
  f(`kernel: "${major}.${minor}"`, `measured: ${sample.kernelRelease}`);
  f(`cpus: ${cpus}`, 'measured: online CPUs; guessed: events come from all of them');
  L.push('traffic:');
  f('  arrival: poisson', 'guessed: arrival process (the statistics give only the mean rate)');
  f(`  rate: ${Number(lead.rate.toPrecision(6))}`, `measured: ${lead.name} ran ${lead.runs} times in ${windowS.toFixed(2)} s`);
  f('  duration: 1s', 'simulated time');
  L.push('datapath:');
  f(`  service: ${GUESSED_SERVICE}`, 'guessed: cost of the traced event with no BPF attached (bpftool cannot see it)');
  L.push('probes:');
  for (const p of progs) {
    L.push(`  - name: ${q(p.target ? `${p.name} on ${p.target}` : p.name)}`);
    f(`    attach: ${p.attach}`, p.attachGuess ? `guessed: ${p.attachGuess}` : p.target ? `measured: link to ${p.target}` : `measured: program type`);
    if (p !== lead) f(`    hitsPerPacket: ${Number((p.rate / lead.rate).toPrecision(6))}`, `measured: runs ${Number(p.rate.toPrecision(4))}/s vs ${Number(lead.rate.toPrecision(4))}/s`);
    L.push('    program:');
    L.push(`      - op:`);
    f(`          name: ${q('measured run time')}`, `measured: id ${p.id}, ${p.runTimeNs} ns over ${p.runs} runs`);
    f(`          cost: ${fmtNs(p.costNs)}`, 'run_time_ns / run_cnt: the whole program, helpers and output included');
    if (p.output && p.output === out) {
      L.push(`      - submit:`);
      f(`          bytes: ${GUESSED_EVENT_BYTES}`, `guessed: event size (the program writes to ${p.output.type} ${p.output.name ?? p.output.id})`);
      f('          cost: 0ns', 'the output call is inside the measured run time');
      if (p.outputGuess) L.push(`      # guessed: ${p.outputGuess}`);
    }
  }
  L.push('output:');
  if (out?.type === 'ringbuf') {
    f('  type: ringbuf', `measured: map ${out.name ?? out.id}`);
    f(`  size: ${out.max_entries}`, 'measured: max_entries');
  } else if (out) {
    f('  type: perf_buffer', `measured: perf event array ${out.name ?? out.id}`);
    f('  pageCnt: 8', "guessed: pages per CPU are the reader's choice, not visible in the map (BCC's default)");
  } else {
    L.push('  # no program uses a ring buffer or perf event array: nothing reaches user space per event');
  }
  L.push('consumer:');
  f('  runtime: libbpf', 'guessed: the reader (bcc-python for a BCC tool)');
  f('  callback: simple', 'guessed: the work per event in user space');
  const maps = dedupe(progs.flatMap((p) => p.maps));
  if (maps.length > 0) {
    L.push('maps:                                # measured: bpftool map show (fill guessed: half full)');
    for (const m of maps) {
      L.push(`  - { name: ${q(m.name ?? `map_${m.id}`)}, type: ${m.type}, key: ${m.bytes_key ?? 0}, value: ${m.bytes_value ?? 0}, maxEntries: ${m.max_entries ?? 1}, fill: 0.5 }`);
    }
  }
  L.push('');
  return L.join('\n');
}

function dedupe(maps: BpftoolMap[]): BpftoolMap[] {
  const seen = new Set<string>();
  return maps.filter((m) => {
    const key = m.name ?? `map_${m.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
