/**
 * Why the kernel refused a program or an attachment, in words: the kernel's own error (errno
 * and libbpf's message, verifier log included) plus what the kernel configuration says, when
 * it says something. Pure functions: the caller reads /proc/config.gz.
 */
import type { KernelError } from './records.js';

/** CONFIG_X=y|m|"str" lines of a kernel config; "# CONFIG_X is not set" gives "n". */
export function parseKernelConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const set = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (set) {
      out.set(set[1], set[2].replace(/^"|"$/g, ''));
      continue;
    }
    const unset = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/.exec(line);
    if (unset) out.set(unset[1], 'n');
  }
  return out;
}

/** Config options each attach type needs (any missing one explains a refusal). */
const NEEDS: Record<string, string[]> = {
  kprobe: ['CONFIG_KPROBES', 'CONFIG_KPROBE_EVENTS'],
  kretprobe: ['CONFIG_KPROBES', 'CONFIG_KPROBE_EVENTS'],
  kprobe_multi: ['CONFIG_FPROBE'],
  kretprobe_multi: ['CONFIG_FPROBE'],
  fentry: ['CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS', 'CONFIG_FUNCTION_TRACER'],
  fexit: ['CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS', 'CONFIG_FUNCTION_TRACER'],
  fmod_ret: ['CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS', 'CONFIG_FUNCTION_TRACER'],
  lsm: ['CONFIG_BPF_LSM'],
  tracepoint: ['CONFIG_FTRACE_SYSCALLS'],
  uprobe: ['CONFIG_UPROBE_EVENTS'],
  uretprobe: ['CONFIG_UPROBE_EVENTS'],
};

const TRAMPOLINE_TYPES = ['fentry', 'fexit', 'fmod_ret', 'lsm'];

/** The last meaningful lines of libbpf's output, joined on one line. */
export function kernelMessage(e: KernelError): string {
  const lines = e.detail
    .split('\n')
    .map((l) => l.replace(/^libbpf:\s*/, '').trim())
    .filter((l) => l !== '' && !/failed to load (object|BPF skeleton)|failed to load: -\d+$|try raising 'ulimit -l'/.test(l) && !/^-- (BEGIN|END)/.test(l));
  return lines.slice(-3).join('; ');
}

/**
 * One line: the kernel's error, then what explains it. `lockdown` is the content of
 * /sys/kernel/security/lockdown when known (e.g. "none [integrity] confidentiality").
 */
export function explainFailure(type: string, e: KernelError, config?: Map<string, string>, lockdown?: string): string {
  const parts = [`${e.stage} failed: ${e.message} (errno ${e.errno})`];
  const msg = kernelMessage(e);
  if (msg) parts.push(`libbpf: ${msg}`);
  const missing = (NEEDS[type] ?? []).filter((opt) => config !== undefined && (config.get(opt) ?? 'n') === 'n');
  if (missing.length > 0) parts.push(`kernel built without ${missing.join(', ')}`);
  if (missing.length === 0 && TRAMPOLINE_TYPES.includes(type) && e.stage === 'load' && e.errno === 1 && !/BEGIN PROG LOAD LOG|\d+: \(/.test(e.detail)) {
    parts.push('the kernel refused the BPF trampoline program type (BPF_PROG_TYPE_TRACING/LSM) before verification: EPERM with an empty verifier log, as root');
  }
  const mode = lockdown ? /\[(\w+)\]/.exec(lockdown)?.[1] : undefined;
  if (mode && mode !== 'none') parts.push(`kernel lockdown is "${mode}"`);
  return parts.join('; ');
}
