/**
 * What `bpfsim import` reads from a live host: the BPF programs and maps bpftool lists, and the
 * kernel's run-time statistics of each program (run_cnt, run_time_ns) over a sampling window.
 * Statistics are counted only while kernel.bpf_stats_enabled is 1: it is turned on for the
 * window when it was off, and set back to what it was afterwards (also on Ctrl-C).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';

export const BPF_STATS_SYSCTL = '/proc/sys/kernel/bpf_stats_enabled';

/** One program as `bpftool prog show --json` lists it (the fields used). */
export interface BpftoolProg {
  id: number;
  type: string;
  name?: string;
  map_ids?: number[];
  run_cnt?: number;
  run_time_ns?: number;
}

/** One map as `bpftool map show --json` lists it (the fields used). */
export interface BpftoolMap {
  id: number;
  type: string;
  name?: string;
  bytes_key?: number;
  bytes_value?: number;
  max_entries?: number;
}

/** One link as `bpftool link show --json` lists it (where a program is attached, when known). */
export interface BpftoolLink {
  prog_id?: number;
  type?: string;
  attach_type?: string;
  tp_name?: string;
  func_name?: string;
  [k: string]: unknown;
}

/** Everything the model is built from: plain data, so a sample can be recorded and replayed. */
export interface HostSample {
  kernelRelease: string;
  onlineCpus: number;
  windowNs: number;
  /** prog show before and after the window (with statistics on). */
  before: BpftoolProg[];
  after: BpftoolProg[];
  maps: BpftoolMap[];
  links: BpftoolLink[];
  /** Whether statistics were already on (then left on), or turned on for the window. */
  statsWereEnabled: boolean;
}

/** Why an import cannot run here, in words, or undefined. */
export function importPrerequisite(): string | undefined {
  if (process.getuid?.() !== 0) return 'reading BPF programs and their statistics needs root (or CAP_SYS_ADMIN): run it with sudo';
  const r = spawnSync('bpftool', ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'bpftool is not installed (Debian/Ubuntu: apt-get install bpftool; Fedora: dnf install bpftool)';
  return undefined;
}

function bpftool<T>(args: string[]): T {
  const r = spawnSync('bpftool', [...args, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) throw new Error(`bpftool ${args.join(' ')} failed: ${(r.stderr || String(r.error)).trim().split('\n')[0]}`);
  return JSON.parse(r.stdout) as T;
}

function readStats(): string {
  return readFileSync(BPF_STATS_SYSCTL, 'utf8').trim();
}

/** Samples the host for `windowMs`, with statistics on during the window, restored after. */
export async function sampleHost(windowMs: number): Promise<HostSample> {
  const previous = readStats();
  const enabled = previous !== '0';
  const restore = () => {
    if (!enabled) writeFileSync(BPF_STATS_SYSCTL, previous);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    restore();
    process.kill(process.pid, sig);
  };
  if (!enabled) {
    writeFileSync(BPF_STATS_SYSCTL, '1');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    // bpftool reads the counters somewhere inside each call: the window runs mid-call to mid-call
    const timed = () => {
      const t0 = process.hrtime.bigint();
      const progs = bpftool<BpftoolProg[]>(['prog', 'show']);
      return { progs, at: Number(t0 + (process.hrtime.bigint() - t0) / 2n) };
    };
    const first = timed();
    await new Promise((ok) => setTimeout(ok, windowMs));
    const second = timed();
    const [before, after, windowNs] = [first.progs, second.progs, second.at - first.at];
    const maps = bpftool<BpftoolMap[]>(['map', 'show']);
    let links: BpftoolLink[] = [];
    try {
      links = bpftool<BpftoolLink[]>(['link', 'show']);
    } catch {
      // older bpftool: no links, attach points stay unknown
    }
    return { kernelRelease: release(), onlineCpus: cpus().length, windowNs, before, after, maps, links, statsWereEnabled: enabled };
  } finally {
    restore();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
