/**
 * What `bpfsim calibrate` needs before it measures anything, checked first: root, BPF with
 * BTF, tracefs, and the build tools (clang, bpftool, libbpf headers, a C compiler, make,
 * python3). Every missing piece is named with the Debian package that brings it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export interface Need {
  what: string;
  /** How to get it: a package to install or a step to take. */
  fix: string;
}

export interface PrereqReport {
  /** Missing build tools or files: install and retry. */
  missing: Need[];
  /** Why this process cannot use BPF at all (exit 2), if it cannot. */
  noBpf?: string;
  notes: string[];
}

/** The Debian packages that bring every tool the build uses. */
export const DEBIAN_PACKAGES = ['clang', 'libbpf-dev', 'bpftool', 'libelf-dev', 'zlib1g-dev', 'make', 'gcc', 'pkg-config', 'python3'];

const TOOLS: { cmd: string; pkg: string; why: string }[] = [
  { cmd: 'clang', pkg: 'clang', why: 'compiles the BPF programs (-target bpf)' },
  { cmd: 'bpftool', pkg: 'bpftool', why: 'writes vmlinux.h from BTF and the libbpf skeleton' },
  { cmd: 'make', pkg: 'make', why: 'runs calibrate/Makefile' },
  { cmd: 'cc', pkg: 'gcc', why: 'compiles the loader' },
  { cmd: 'python3', pkg: 'python3', why: 'measures the Python (BCC-style ctypes) callback cost' },
];

const HEADERS: { file: string; pkg: string }[] = [
  { file: '/usr/include/bpf/libbpf.h', pkg: 'libbpf-dev' },
  { file: '/usr/include/libelf.h', pkg: 'libelf-dev' },
  { file: '/usr/include/zlib.h', pkg: 'zlib1g-dev' },
];

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** The effective capability mask of this process, from /proc/self/status. */
function effectiveCaps(): bigint | undefined {
  try {
    const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('CapEff:'));
    return line ? BigInt(`0x${line.split(/\s+/)[1]}`) : undefined;
  } catch {
    return undefined;
  }
}

const CAP_SYS_ADMIN = 21n;
const CAP_PERFMON = 38n;
const CAP_BPF = 39n;

function hasCap(mask: bigint, cap: bigint): boolean {
  return ((mask >> cap) & 1n) === 1n;
}

/** tracefs holds the tracepoint ids the tracepoint attach needs; mount it if it is not. */
function ensureTracefs(notes: string[]): void {
  if (existsSync('/sys/kernel/tracing/events')) return;
  const r = spawnSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing'], { encoding: 'utf8' });
  if (r.status === 0) notes.push('mounted tracefs at /sys/kernel/tracing');
  else notes.push(`tracefs is not mounted and mounting it failed (${(r.stderr || '').trim()}): tracepoint attach will be refused`);
}

export function checkPrereqs(): PrereqReport {
  const missing: Need[] = [];
  const notes: string[] = [];
  if (process.platform !== 'linux') {
    return { missing, noBpf: `eBPF needs Linux; this is ${process.platform}`, notes };
  }
  const caps = effectiveCaps();
  const root = process.getuid?.() === 0;
  if (!root && (caps === undefined || !(hasCap(caps, CAP_BPF) && hasCap(caps, CAP_PERFMON) && hasCap(caps, CAP_SYS_ADMIN)))) {
    return {
      missing,
      noBpf: 'calibrate loads BPF programs and attaches probes: run it as root (sudo bpfsim calibrate), or with CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN',
      notes,
    };
  }
  if (!existsSync('/sys/kernel/btf/vmlinux')) {
    return { missing, noBpf: 'the kernel exposes no BTF (/sys/kernel/btf/vmlinux): it needs CONFIG_DEBUG_INFO_BTF=y for vmlinux.h and BTF-typed probes', notes };
  }
  if (!existsSync('/proc/sys/net/core/bpf_jit_enable') && !existsSync('/sys/fs/bpf')) {
    notes.push('neither /proc/sys/net/core/bpf_jit_enable nor /sys/fs/bpf exists: the kernel may lack BPF (CONFIG_BPF_SYSCALL)');
  }
  for (const t of TOOLS) if (!hasCommand(t.cmd)) missing.push({ what: `${t.cmd} (${t.why})`, fix: `apt-get install -y ${t.pkg}` });
  for (const h of HEADERS) if (!existsSync(h.file)) missing.push({ what: h.file, fix: `apt-get install -y ${h.pkg}` });
  ensureTracefs(notes);
  return { missing, notes };
}
