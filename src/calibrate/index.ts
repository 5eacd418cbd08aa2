/**
 * `bpfsim calibrate [--out FILE] [--quick] [--validate] [--profile FILE]`
 *
 * Measures this host's unit costs with real eBPF (calibrate/: BPF C programs and a loader,
 * built here with clang and libbpf) and writes a catalog profile; with --validate, also runs
 * a small real experiment and prints it beside the simulation of the same set-ups.
 * Exit codes: 0 done; 1 a measurement or validation step failed; 2 cannot run here (not root,
 * no BPF, missing tools: the message says what to install).
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { catalogForHost, loadCatalog } from '../model/catalog.js';
import { ModelError } from '../model/errors.js';
import { checkPrereqs, DEBIAN_PACKAGES } from './prereq.js';
import { build, loadedPrograms, PACKAGE_ROOT, runStep, wasInterrupted, withSignalForwarding, type Built } from './runner.js';
import { gather, plan } from './measure.js';
import { explainFailure, parseKernelConfig } from './explain.js';
import { ProfileBuilder, profileYaml } from './profile.js';
import { isError, parseLines, type InfoRecord } from './records.js';
import { quantile } from './stats.js';
import { validateGrid, type ValidateOptions } from './validate-grid.js';
import { detectHostClass, type HostClass } from './host-class.js';

export interface CalibrateOptions {
  /** Profile file to write (default out/calibrate/profile-<host>.yaml). */
  out?: string;
  /** Fewer repetitions and shorter runs (CI: about two minutes in all). */
  quick?: boolean;
  /** Also run the real-vs-simulated validation. */
  validate?: boolean;
  /** Validate against this existing profile instead of measuring a new one. */
  profile?: string;
  /** Validation grid options (see validate-grid.ts). */
  reps?: number;
  from?: string;
  host?: HostClass;
  cells?: string[];
  allowBusy?: boolean;
  tolerance?: string;
  figures?: string[];
  writeOutputs?: ValidateOptions['writeOutputs'];
  saveRuns?: string;
  log: (line: string) => void;
}

function gridOptions(opts: CalibrateOptions, catalog: string): ValidateOptions {
  const { quick, reps, from, host, cells, allowBusy, tolerance, figures, writeOutputs, saveRuns, log } = opts;
  return { quick, reps, from, host, cells, allowBusy, tolerance, figures, writeOutputs, saveRuns, log, catalog };
}

/** Names of everything calibrate loads (bpftool shows at most 15 characters). */
const OUR_PROGRAMS = /^(run_ops|e_[a-z_]+|v_[a-z_]+|c_[a-z_]+)$/;

function readConfig(): Map<string, string> | undefined {
  try {
    return parseKernelConfig(gunzipSync(readFileSync('/proc/config.gz')).toString('utf8'));
  } catch {
    return undefined;
  }
}

function readLockdown(): string | undefined {
  try {
    return readFileSync('/sys/kernel/security/lockdown', 'utf8').trim();
  } catch {
    return undefined;
  }
}

function catalogLoads(file: string): boolean {
  try {
    loadCatalog(file);
    return true;
  } catch {
    return false;
  }
}

function defaultOut(): string {
  return join(PACKAGE_ROOT, 'out', 'calibrate', `profile-${hostname()}.yaml`);
}

function ns(v: number): string {
  return v >= 1e4 ? `${(v / 1e3).toFixed(1)} us` : `${v.toFixed(v >= 100 ? 0 : 1)} ns`;
}

function prereqsOrExit(log: (l: string) => void): number | undefined {
  const pre = checkPrereqs();
  for (const n of pre.notes) log(`note: ${n}`);
  if (pre.noBpf) {
    log(`bpfsim calibrate cannot run here: ${pre.noBpf}`);
    return 2;
  }
  if (pre.missing.length > 0) {
    log('bpfsim calibrate needs tools that are missing:');
    for (const m of pre.missing) log(`  ${m.what}: ${m.fix}`);
    log(`all at once (Debian): apt-get install -y ${DEBIAN_PACKAGES.join(' ')}`);
    return 2;
  }
  return undefined;
}

async function measureProfile(b: Built, opts: CalibrateOptions, out: string): Promise<{ code: number; info?: InfoRecord }> {
  const { log } = opts;
  log(`measuring (${opts.quick ? 'quick' : 'full'}):`);
  const g = await gather(plan(b, opts.quick === true), log);
  if (g.interrupted) {
    log('interrupted: no profile written');
    return { code: 130 };
  }
  const info = g.records.find((r): r is InfoRecord => r.kind === 'info');
  const bpfGone = g.failures.find((f) => /per-operation.*(load|open) failed: (Operation not permitted|Function not implemented)/.test(f));
  if (!info || bpfGone) {
    for (const f of g.failures) log(`failed: ${f}`);
    if (bpfGone) log('BPF is not usable by this process (the first program load was refused): calibrate needs root and a kernel with BPF');
    return { code: bpfGone ? 2 : 1 };
  }
  const config = readConfig();
  const lockdown = readLockdown();
  const refused = new Map(g.refusals.map((e) => [e.name, explainFailure(e.name, e.error, config, lockdown)]));
  const date = new Date().toISOString().slice(0, 10);
  // what is not measured comes from the default profile's numbers for this host class
  const hostClass = detectHostClass();
  const defaults = catalogForHost(loadCatalog('default'), hostClass.host).provenance;
  const profile = new ProfileBuilder(g.records, { date, defaults, refused }).build();
  const attached = g.records.flatMap((r) => (r.kind === 'attach' && !isError(r) ? [r.name] : []));
  const header = [
    `bpfsim catalog profile written by \`bpfsim calibrate${opts.quick ? ' --quick' : ''}\` on ${date}.`,
    `Host ${info.host}: ${info.cpuModel}, ${info.cpus} CPUs, ${info.machine}, kernel ${info.kernel}, libbpf ${info.libbpf}, JIT ${info.jit === 1 ? 'on' : info.jit}.`,
    `Use it with --catalog ${out}. Each entry's source says how it was measured, or that it was not (copied from the default profile).`,
    'Spreads: repetition means -> uniform over [p10, p90]; per-event samples (wake-ups) -> lognormal(mean, cv) up to p99.',
    `Attach types measured: ${attached.join(', ') || 'none'}.`,
    'Attach types the kernel refused:',
    ...(refused.size ? [...refused].map(([t, why]) => `  ${t}: ${why}`) : ['  none']),
    `Raw measurements: ${out.replace(/\.ya?ml$/, '')}.measurements.jsonl`,
  ];
  header.splice(2, 0, `Host class: ${hostClass.host} (${hostClass.evidence}).`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, profileYaml(profile, header, hostClass.host));
  if (!catalogLoads(out)) {
    // a simulator without host classes: the class stays in the header only
    writeFileSync(out, profileYaml(profile, header));
    log(`note: this simulator has no host classes; the profile says "${hostClass.host}" in its header only`);
  }
  writeFileSync(`${out.replace(/\.ya?ml$/, '')}.measurements.jsonl`, `${g.raw.join('\n')}\n`);
  try {
    loadCatalog(out);
  } catch (err) {
    log(`internal error: the profile written does not load as a catalog:`);
    for (const line of err instanceof ModelError ? String(err.message).split('\n') : [String(err)]) log(`  ${line}`);
    return { code: 1, info };
  }
  summarize(g.records, refused, log);
  log(`profile: ${out} (${profile.measured.size} entries measured, ${profile.entries.size - profile.measured.size} from the default profile)`);
  for (const f of g.failures) log(`failed: ${f}`);
  return { code: g.failures.length > 0 ? 1 : 0, info };
}

function summarize(records: ReturnType<typeof parseLines>['records'], refused: Map<string, string>, log: (l: string) => void): void {
  const get = (kind: string, name: string, size?: number) =>
    records.find((r) => !isError(r) && r.kind === kind && 'name' in r && r.name === name && (size === undefined || ('size' in r && r.size === size)));
  const med = (r: unknown): string => (r && typeof r === 'object' && 'samples' in r ? ns(quantile((r as { samples: number[] }).samples, 0.5)) : '-');
  log('attach costs (empty program, median added per call):');
  for (const r of records) if (r.kind === 'attach' && !isError(r)) log(`  ${r.name.padEnd(16)} ${med(r)}`);
  for (const [t, why] of refused) log(`  ${t.padEnd(16)} refused: ${why}`);
  log('per event (median):');
  log(`  ringbuf output 64 B ${med(get('op', 'submit.ringbuf.output', 64))}, perf output 64 B ${med(get('op', 'submit.perf_buffer.output', 64))}`);
  for (const b of ['ringbuf', 'perf_buffer']) {
    log(`  ${b} wake-up: producer ${med(get('wakeup', `${b}.producer`))} (nobody waiting ${med(get('wakeup', `${b}.producerNoWaiter`))}), consumer latency ${med(get('wakeup', `${b}.latency`))}`);
  }
}

export async function runCalibrate(opts: CalibrateOptions): Promise<number> {
  const { log } = opts;
  // recorded runs: a comparison only, no eBPF, no root
  if (opts.from) return validateGrid(gridOptions(opts, opts.profile ? resolve(opts.profile) : 'default'));
  const pre = prereqsOrExit(log);
  if (pre !== undefined) return pre;
  log('building calibrate/ (clang, bpftool, libbpf) ...');
  const built = build();
  if (!built.ok) {
    log('build failed:');
    for (const line of built.output.split('\n')) log(`  ${line}`);
    return 1;
  }
  const before = loadedPrograms();
  const t0 = Date.now();
  const code = await withSignalForwarding(async () => {
    let info: InfoRecord | undefined;
    let profile = opts.profile ? resolve(opts.profile) : undefined;
    if (profile && !existsSync(profile)) {
      log(`no such profile: ${profile}`);
      return 2;
    }
    let rc = 0;
    if (!profile) {
      const out = resolve(opts.out ?? defaultOut());
      const m = await measureProfile(built.built, opts, out);
      if (m.code === 2 || m.code === 130 || !m.info) return m.code;
      rc = m.code;
      info = m.info;
      profile = out;
    } else {
      const r = await runStep(built.built.loader, ['info']);
      info = parseLines(r.stdout, 'info').records.find((x): x is InfoRecord => x.kind === 'info');
      if (!info) return 1;
    }
    if (opts.validate && !wasInterrupted()) rc = Math.max(rc, await validateGrid(gridOptions(opts, profile), built.built));
    return rc;
  });
  const after = loadedPrograms();
  if (before && after) {
    const left = [...after].filter(([id, name]) => !before.has(id) && OUR_PROGRAMS.test(name));
    if (left.length > 0) {
      log(`error: programs still loaded after calibrate: ${left.map(([id, n]) => `${n} (id ${id})`).join(', ')}`);
      return 1;
    }
    log('checked: no calibrate program is left loaded');
  }
  log(`calibrate took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return code;
}
