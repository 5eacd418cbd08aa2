/**
 * From measurements to a catalog profile file (the format of models/catalog/*.yaml, loadable
 * with `--catalog FILE`). Every entry says where it comes from: "measured on HOST, kernel K,
 * DATE, by METHOD" with its spread in the note, or, where nothing was measured, the default
 * profile's entry copied with "not measured here: from default profile (...)".
 *
 * Spreads: a repetition mean (an average over many calls) becomes uniform over [p10, p90] of
 * the repetitions; a per-event sample set (wake-ups) becomes lognormal(mean, cv) over the
 * samples up to p99 (see stats.ts).
 */
import { stringify } from 'yaml';
import type { Dist } from '../distributions/types.js';
import type { Provenance } from '../model/catalog-types.js';
import type { CalibRecord, InfoRecord, PointsRecord, PyInfoRecord, SamplesRecord } from './records.js';
import { isError } from './records.js';
import { fitLine, mean, perEventDist, quantile, sd, spreadOfMeans, summarize } from './stats.js';

export interface ProfileEntry {
  value: unknown;
  source: string;
  assumption?: boolean;
  note?: string;
}

/** What the profile writer needs besides the records. */
export interface ProfileContext {
  /** ISO date of the run, e.g. "2026-11-25". */
  date: string;
  /** The default profile's provenance (loadCatalog('default').provenance). */
  defaults: Provenance[];
  /** Why each attach type that could not be measured was refused (type -> reason). */
  refused: Map<string, string>;
}

export interface Profile {
  entries: Map<string, ProfileEntry>;
  /** Catalog paths that were measured (the rest are default copies). */
  measured: Set<string>;
  info: InfoRecord;
}

// ---- formatting -------------------------------------------------------------------------

function num(v: number): string {
  const a = Math.abs(v);
  // about four significant digits: enough for a catalog, short enough to read
  const s = a >= 1000 ? v.toFixed(0) : a >= 100 ? v.toFixed(1) : a >= 10 ? v.toFixed(2) : v.toFixed(3);
  return s.replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');
}

/** A Dist as a catalog file writes it: "12ns", "10-20ns" or { dist: lognormal, ... }. */
export function distValue(d: Dist): unknown {
  switch (d.kind) {
    case 'const':
      return `${num(d.value)}ns`;
    case 'uniform':
      return `${num(d.min)}-${num(d.max)}ns`;
    case 'lognormal':
      return { dist: 'lognormal', mean: `${num(d.mean)}ns`, cv: Number(d.cv.toFixed(3)) };
    case 'normal':
      return { dist: 'normal', mean: `${num(d.mean)}ns`, sd: `${num(d.sd)}ns` };
    default:
      throw new Error(`internal error: profile writes no ${d.kind} distribution`);
  }
}

function describe(values: readonly number[], what: string): string {
  const s = summarize(values);
  return `${what}: n ${s.n}, median ${num(s.p50)} ns, p10 ${num(s.p10)}, p90 ${num(s.p90)}, min ${num(s.min)}, max ${num(s.max)} ns`;
}

const UNIFORM_NOTE = 'uniform over [p10, p90] of the repetition means';
const LOGNORMAL_NOTE = 'lognormal with the mean and cv of the per-event samples up to their p99';

// ---- methods ----------------------------------------------------------------------------

function opMethod(r: SamplesRecord): string {
  return `BPF_PROG_TEST_RUN of a raw_tp program calling it ${r.iters ?? '?'} times in bpf_loop, timed in the program with bpf_ktime_get_ns, minus the same loop empty; ${r.samples.length} repetitions`;
}

const ATTACH_METHOD = (r: SamplesRecord, what: string): string =>
  `${what} in a tight loop (${r.calls ?? '?'} calls per phase, median of 9 blocks) without and with an empty program attached, alternating, ${r.samples.length} rounds; the difference per call`;

const WAKE_METHOD =
  'BPF_PROG_TEST_RUN of a raw_tp program emitting one event: wall time of the test-run syscall when the event signals a wake-up (ringbuf BPF_RB_FORCE_WAKEUP; perf the 2nd event of wakeup_events=2) minus one that does not, paired';

// ---- the builder ------------------------------------------------------------------------

export class ProfileBuilder {
  readonly entries = new Map<string, ProfileEntry>();
  readonly measured = new Set<string>();
  private readonly samples = new Map<string, SamplesRecord>();
  private readonly points = new Map<string, PointsRecord[]>();
  readonly info: InfoRecord;
  private readonly py?: PyInfoRecord;

  constructor(
    records: readonly CalibRecord[],
    private readonly ctx: ProfileContext,
  ) {
    const info = records.find((r): r is InfoRecord => r.kind === 'info');
    if (!info) throw new Error('no info record: the loader did not report the host');
    this.info = info;
    this.py = records.find((r): r is PyInfoRecord => r.kind === 'pyinfo');
    for (const r of records) {
      if (isError(r)) continue;
      if (r.kind === 'op' || r.kind === 'attach' || r.kind === 'wakeup') {
        const key = `${r.kind}:${r.name}${r.size !== undefined && r.name.startsWith('submit.') ? `@${r.size}` : ''}`;
        if (r.samples.length > 0) this.samples.set(key, r);
      } else if (r.kind === 'consumer' || r.kind === 'python') {
        const key = `${r.kind}:${r.name}`;
        this.points.set(key, [...(this.points.get(key) ?? []), r]);
      }
    }
    for (const p of ctx.defaults) this.copyDefault(p);
  }

  private source(method: string): string {
    return `measured on ${this.info.host}, kernel ${this.info.kernel}, ${this.ctx.date}, by ${method}`;
  }

  private copyDefault(p: Provenance): void {
    let value: unknown = p.value;
    if (p.value.startsWith('{') || p.value.startsWith('[')) value = JSON.parse(p.value);
    else if (/^-?\d+(\.\d+)?$/.test(p.value)) value = Number(p.value);
    const entry: ProfileEntry = { value, source: `not measured here: from default profile (${p.source})` };
    if (p.assumption) entry.assumption = true;
    if (p.note) entry.note = p.note;
    this.entries.set(p.path, entry);
  }

  set(path: string, dist: Dist, method: string, note: string): void {
    this.entries.set(path, { value: distValue(dist), source: this.source(method), note });
    this.measured.add(path);
  }

  get(kind: string, name: string, size?: number): SamplesRecord | undefined {
    return this.samples.get(`${kind}:${name}${size !== undefined ? `@${size}` : ''}`);
  }

  /** Per-repetition straight-line fits of drain time against batch size. */
  fits(kind: 'consumer' | 'python', name: string): { intercept: number; slope: number }[] {
    return (this.points.get(`${kind}:${name}`) ?? []).map((r) => fitLine(r.points));
  }

  /** A repetition-mean measurement to a catalog path. */
  fromOp(path: string, kind: 'op', name: string, extraNote = ''): boolean {
    const r = this.get(kind, name);
    if (!r) return false;
    this.set(path, spreadOfMeans(r.samples), opMethod(r), `${UNIFORM_NOTE}. ${describe(r.samples, name)}${extraNote}`);
    return true;
  }

  build(): Profile {
    this.mapsAndHelpers();
    this.submit();
    this.attach();
    this.wakeups();
    this.consumers();
    this.entries.set('pageSize', { value: this.info.pageSize, source: this.source('sysconf(_SC_PAGESIZE)') });
    this.measured.add('pageSize');
    return { entries: this.entries, measured: this.measured, info: this.info };
  }

  private mapsAndHelpers(): void {
    const keyed = ' Keys 0-1023 present: lookups hit, updates replace, deletes find their key.';
    for (const type of ['hash', 'array', 'percpu_hash', 'percpu_array', 'lru_hash', 'lru_percpu_hash', 'lpm_trie']) {
      for (const op of ['lookup', 'update', 'delete']) this.fromOp(`maps.${type}.${op}`, 'op', `map.${type}.${op}`, keyed);
    }
    for (const type of ['array', 'percpu_array']) {
      const d = this.entries.get(`maps.${type}.delete`);
      if (d && !this.measured.has(`maps.${type}.delete`)) d.note = `${d.note ? `${d.note}. ` : ''}array maps have no delete: the kernel returns -EINVAL`;
    }
    // lpm_trie is not in the default profile: a type the catalog has needs all three ops.
    if (!['lookup', 'update', 'delete'].every((op) => this.entries.has(`maps.lpm_trie.${op}`))) {
      for (const op of ['lookup', 'update', 'delete']) {
        this.entries.delete(`maps.lpm_trie.${op}`);
        this.measured.delete(`maps.lpm_trie.${op}`);
      }
    }
    this.fromOp('maps.histogram.lookup', 'op', 'map.array.lookup', ' BCC makes BPF_HISTOGRAM an array (default profile note): the array lookup.');
    this.fromOp('maps.histogram.update', 'op', 'map.array.atomic_add', " BCC's hist.increment(): an array lookup and an atomic add.");
    const helpers: [string, string, string?][] = [
      ['ktime_get_ns', 'helper.ktime_get_ns'],
      ['get_current_pid_tgid', 'helper.get_current_pid_tgid'],
      ['get_current_uid_gid', 'helper.get_current_uid_gid'],
      ['get_current_comm', 'helper.get_current_comm'],
      ['get_smp_processor_id', 'helper.get_smp_processor_id'],
      ['get_current_task', 'helper.get_current_task'],
      ['probe_read', 'helper.probe_read_kernel.64', ' 64 bytes from a kernel address.'],
      ['probe_read_kernel', 'helper.probe_read_kernel.64', ' 64 bytes from a kernel address.'],
      ['probe_read_user', 'helper.probe_read_user.64', ' 64 bytes from a user address of the calling process.'],
      ['probe_read_str', 'helper.probe_read_kernel_str', ' a 24-byte string into a 64-byte buffer.'],
      ['probe_read_kernel_str', 'helper.probe_read_kernel_str', ' a 24-byte string into a 64-byte buffer.'],
      ['get_prandom_u32', 'helper.get_prandom_u32'],
      ['get_stackid', 'helper.get_stackid', ' the stack of a BPF_PROG_TEST_RUN call (bpf syscall), into a 1024-entry stack map.'],
      ['get_stack', 'helper.get_stack.16', ' up to 16 frames into a buffer.'],
    ];
    for (const [key, name, note] of helpers) {
      const small = key.startsWith('probe_read') && !key.endsWith('str') && key !== 'probe_read_user' ? this.get('op', 'helper.probe_read_kernel.8') : undefined;
      const extra = small ? `${note ?? ''} 8 bytes: median ${num(quantile(small.samples, 0.5))} ns.` : (note ?? '');
      this.fromOp(`helpers.${key}`, 'op', name, extra);
    }
    this.fromOp('submit.batchAdd', 'op', 'map.percpu_array.update', ' A per-CPU array update: adding one event to a per-CPU batch.');
  }

  private submit(): void {
    for (const [buffer, name, what] of [
      ['perf_buffer', 'submit.perf_buffer.output', 'bpf_perf_event_output(BPF_F_CURRENT_CPU) into a perf buffer opened with wakeup_events so large that no wake-up fires'],
      ['ringbuf', 'submit.ringbuf.output', 'bpf_ringbuf_output(BPF_RB_NO_WAKEUP), as BCC ringbuf_output'],
    ] as const) {
      const rows = [8, 64, 256, 1024, 4096].filter((size) => this.get('op', name, size));
      if (rows.length === 0) continue;
      for (const path of [...this.entries.keys()]) if (path.startsWith(`submit.${buffer}.`)) this.entries.delete(path);
      for (const size of rows) {
        const r = this.get('op', name, size)!;
        let extra = '';
        if (buffer === 'ringbuf') {
          const rs = this.get('op', 'submit.ringbuf.reserve_submit', size);
          if (rs) extra = ` bpf_ringbuf_reserve + submit (header word written, no payload copy): median ${num(quantile(rs.samples, 0.5))} ns.`;
        }
        this.set(`submit.${buffer}.${size}`, spreadOfMeans(r.samples), `${opMethod(r)}: ${what}, ${size}-byte payload`,
          `${UNIFORM_NOTE}. ${describe(r.samples, `${size} B`)}. No wake-up: charged separately (wakeup.*).${extra}`);
      }
    }
    const failed = [8, 64, 256, 1024, 4096].flatMap((size) =>
      (['ringbuf', 'perf_buffer'] as const).map((b) => ({ b, size, r: this.get('op', `submit.failed.${b}`, size) })),
    ).filter((x) => x.r);
    if (failed.length > 0) {
      const lo = Math.max(0, Math.min(...failed.map((x) => quantile(x.r!.samples, 0.1))));
      const hi = Math.max(0, Math.max(...failed.map((x) => quantile(x.r!.samples, 0.9))));
      const per = (b: string): string => {
        const all = failed.filter((x) => x.b === b).flatMap((x) => x.r!.samples);
        return all.length ? `${b} median ${num(quantile(all, 0.5))} ns` : `${b} not measured`;
      };
      this.set('submit.failed', lo === hi ? { kind: 'const', value: lo } : { kind: 'uniform', min: lo, max: hi },
        `${opMethod(failed[0].r!)}: output into a full buffer (ringbuf 8 KiB, perf 1 page, filled first), every call failing`,
        `uniform over the lowest p10 to the highest p90 of both buffer kinds and all payload sizes (one catalog entry serves both): ${per('ringbuf')}, ${per('perf_buffer')}`);
    }
  }

  private attach(): void {
    for (const type of ['tracepoint', 'raw_tracepoint', 'tp_btf', 'fentry', 'fexit', 'lsm', 'kprobe', 'kretprobe', 'uprobe', 'uretprobe']) {
      const r = this.get('attach', type);
      const refused = this.ctx.refused.get(type);
      if (!r) {
        const d = this.entries.get(`attach.${type}.entry`);
        if (d && refused) d.note = `${d.note ? `${d.note}. ` : ''}could not be measured on ${this.info.host}: ${refused}`;
        continue;
      }
      const user = type.startsWith('u');
      const what = user ? 'a call of a user function (uprobe target)' : 'getpgid(self) (the syscall whose path the probe sits on)';
      const path = type === 'tracepoint' ? ' The probe: syscalls/sys_enter_getpgid; enabling a syscall tracepoint also turns on the syscall tracing slow path.'
        : type === 'raw_tracepoint' || type === 'tp_btf' ? ' The probe: sys_enter, which fires for every syscall.'
        : type === 'lsm' ? ' The probe: lsm/task_getpgid.' : '';
      this.set(`attach.${type}.entry`, spreadOfMeans(r.samples), ATTACH_METHOD(r, what),
        `${UNIFORM_NOTE}. The whole round trip of an empty program, so exit is 0.${path} ${describe(r.samples, 'difference')}; bare loop median ${num(quantile(r.baseNs ?? [0], 0.5))} ns/call`);
      this.entries.set(`attach.${type}.exit`, { value: '0ns', source: this.source(`the same measurement as attach.${type}.entry`), note: 'counted in entry (the measurement is the whole round trip)' });
      this.measured.add(`attach.${type}.exit`);
    }
  }

  private wakeups(): void {
    for (const buffer of ['perf_buffer', 'ringbuf']) {
      for (const [field, name, method, extra] of [
        ['producer', 'producer', WAKE_METHOD, 'the consumer thread asleep in epoll_wait on the other CPU (300 us between pairs)'],
        ['producerNoWaiter', 'producerNoWaiter', WAKE_METHOD, 'nobody polling the buffer'],
        ['latency', 'latency', 'a consumer thread asleep in epoll_wait on the other CPU: from the event\'s bpf_ktime_get_ns() to its callback (CLOCK_MONOTONIC)', 'the same runs as wakeup.*.producer'],
      ] as const) {
        const r = this.get('wakeup', `${buffer}.${name}`);
        if (!r) continue;
        this.set(`wakeup.${buffer}.${field}`, perEventDist(r.samples), `${method}; ${extra}; ${r.samples.length} wake-ups`,
          `${LOGNORMAL_NOTE}. ${describe(r.samples, 'per wake-up')}, p99 ${num(quantile(r.samples, 0.99))} ns`);
      }
    }
  }

  /** Pooled per-repetition fit parameters of several measurements. */
  private pooled(kind: 'consumer' | 'python', names: string[], pick: 'intercept' | 'slope'): number[] {
    return names.flatMap((n) => this.fits(kind, n).map((f) => f[pick]));
  }

  private consumers(): void {
    const batchNote = (names: string[], kind: 'consumer' | 'python', pick: 'intercept' | 'slope'): string =>
      names.map((n) => {
        const v = this.fits(kind, n).map((f) => f[pick]);
        return v.length ? `${n} median ${num(quantile(v, 0.5))} ns` : `${n} not measured`;
      }).join(', ');
    const FIT = 'fill n events (BPF_PROG_TEST_RUN, not timed), drain them in one reader call, timed; n = 1..1024; a straight line t(n) = perBatch + perEvent x n fitted to each repetition';

    // libbpf (C)
    const cPoll = this.pooled('consumer', ['ringbuf.poll', 'perf_buffer.poll'], 'intercept');
    const cRead = this.pooled('consumer', ['ringbuf.consume', 'perf_buffer.consume'], 'slope');
    if (cPoll.length) {
      this.set('consumer.libbpf.pollCost', spreadOfMeans(cPoll), `${FIT}; ring_buffer__poll / perf_buffer__poll(timeout 0): perBatch`,
        `${UNIFORM_NOTE} (intercepts) of both buffer kinds: ${batchNote(['ringbuf.poll', 'perf_buffer.poll'], 'consumer', 'intercept')}`);
    }
    if (cRead.length) {
      this.set('consumer.libbpf.read', spreadOfMeans(cRead), `${FIT}; ring_buffer__consume / perf_buffer__consume with a callback that only counts: perEvent`,
        `${UNIFORM_NOTE} (slopes) of both buffer kinds: ${batchNote(['ringbuf.consume', 'perf_buffer.consume'], 'consumer', 'slope')}`);
    }
    const cycles = ['ringbuf', 'perf_buffer'].flatMap((b) => this.get('wakeup', `${b}.consumerCpuPerWake`)?.samples ?? []);
    if (cycles.length && cPoll.length && cRead.length) {
      // A wake-up cycle is one poll that slept plus the two records of the pair: what it costs
      // beyond a poll that did not sleep and the two reads is the wake-up's own cost.
      const kept = cycles.filter((v) => v <= quantile(cycles, 0.99));
      const extra = mean(cPoll) + 2 * mean(cRead);
      const m = Math.max(0, mean(kept) - extra);
      const cv = m > 0 ? sd(kept) / m : 0;
      const dist: Dist = m > 0 && cv > 0 ? { kind: 'lognormal', mean: m, cv } : { kind: 'const', value: m };
      const method = `the consumer thread's CPU time (CLOCK_THREAD_CPUTIME_ID) between consecutive waking events of the wake-up runs, minus the non-sleeping poll cost (${num(mean(cPoll))} ns) and two reads (${num(mean(cRead))} ns each)`;
      for (const runtime of ['libbpf', 'bcc-python']) {
        this.set(`consumer.${runtime}.wakeCost`, dist, method,
          `${LOGNORMAL_NOTE}, shifted by the subtraction. ${describe(cycles, 'CPU per wake-up cycle')}${runtime === 'bcc-python' ? '. Kernel-side: measured with the C reader, the same for a Python reader' : ''}`);
      }
    }

    // BCC Python (CPython + ctypes)
    const py = this.py ? `${this.py.implementation} ${this.py.version} (${this.py.executable})` : 'CPython';
    const PYFIT = `${FIT}; ${py} through ctypes callbacks of BCC's types and wrappers (table.py _RAW_CB_TYPE / _RINGBUF_CB_TYPE) called by libbpf's reader`;
    const bufs = ['ringbuf', 'perf_buffer'];
    const slopes = (variant: string): number[] => bufs.flatMap((b) => this.fits('python', `${b}.${variant}`).map((f) => f.slope));
    /** Paired per repetition and buffer: slope(variant) - slope(base). */
    const diff = (variant: string, base: string): number[] =>
      bufs.flatMap((b) => {
        const v = this.fits('python', `${b}.${variant}`);
        const w = this.fits('python', `${b}.${base}`);
        return v.slice(0, w.length).map((f, i) => f.slope - w[i].slope);
      });
    const pyEntries: [string, number[], string][] = [
      ['read', slopes('noop'), 'perEvent of an empty user callback: the C reader, the ctypes crossing and BCC\'s wrapper (the ringbuf wrapper\'s int(None) raises and is caught, as in BCC)'],
      ['decode', diff('decode', 'noop'), 'perEvent of b["events"].event(data) (ct.cast to a 56-byte Structure) minus the empty callback'],
      ['callback.simple', diff('simple', 'decode'), 'perEvent of decode + a counter increment, minus decode'],
      ['callback.medium', diff('medium', 'decode'), 'perEvent of decode + two fields parsed and summed into a dict, minus decode'],
      ['callback.complex', diff('complex', 'decode'), 'perEvent of decode + a formatted text line (time, comm, two addresses, numbers), minus decode'],
      ['log', diff('log', 'complex'), 'perEvent of the formatted line written to a file, minus formatting it'],
    ];
    for (const [field, values, what] of pyEntries) {
      if (values.length === 0) continue;
      const per = bufs.map((b) => {
        const v = field === 'read' ? this.fits('python', `${b}.noop`).map((f) => f.slope) : [];
        return v.length ? `${b} median ${num(quantile(v, 0.5))} ns` : '';
      }).filter(Boolean).join(', ');
      this.set(`consumer.bcc-python.${field}`, spreadOfMeans(values), `${PYFIT}: ${what}`,
        `${UNIFORM_NOTE} (slopes) of both buffer kinds. ${describe(values, field)}${per ? `; ${per}` : ''}`);
    }
    const pyPoll = this.pooled('python', ['ringbuf.poll', 'perf_buffer.poll'], 'intercept');
    if (pyPoll.length) {
      this.set('consumer.bcc-python.pollCost', spreadOfMeans(pyPoll), `${PYFIT}: perBatch of one poll call from Python (ctypes into the reader, epoll_wait, timeout 0)`,
        `${UNIFORM_NOTE} (intercepts) of both buffer kinds: ${batchNote(['ringbuf.poll', 'perf_buffer.poll'], 'python', 'intercept')}`);
    }
  }
}

/** The nested object of a catalog file from dotted paths. */
function nest(entries: Map<string, ProfileEntry>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, entry] of entries) {
    const seg = path.split('.');
    let obj = root;
    for (let i = 0; i < seg.length - 1; i++) {
      obj[seg[i]] ??= {};
      obj = obj[seg[i]] as Record<string, unknown>;
    }
    obj[seg[seg.length - 1]] = entry;
  }
  return root;
}

const SECTION_ORDER = ['pageSize', 'interpreterFactor', 'insn', 'attach', 'maps', 'helpers', 'submit', 'wakeup', 'ringbufLock', 'consumer', 'memory'];

/** The profile as catalog YAML, with a header that says what was measured and what was not. */
/** `host`: the host class measured (bare-metal or vm), written as the catalog's `host` field. */
export function profileYaml(p: Profile, headerLines: string[], host?: string): string {
  const nested = nest(p.entries);
  const ordered: Record<string, unknown> = {
    description: `Calibrated on ${p.info.host} (${p.info.cpuModel}, ${p.info.cpus} CPUs), kernel ${p.info.kernel}, libbpf ${p.info.libbpf}: ${p.measured.size} entries measured, ${p.entries.size - p.measured.size} from the default profile.`,
    ...(host ? { host } : {}),
  };
  for (const key of SECTION_ORDER) if (key in nested) ordered[key] = nested[key];
  for (const key of Object.keys(nested)) if (!(key in ordered)) ordered[key] = nested[key];
  const header = headerLines.map((l) => `# ${l}`.trimEnd()).join('\n');
  return `${header}\n\n${stringify(ordered, { lineWidth: 0 })}`;
}
