/**
 * Bare metal or a virtual machine? Wake-ups (IPIs) and scheduling cost several times more
 * under a hypervisor, so a profile records the class it was measured on and the validation
 * simulates that class. Evidence, in order: the CPU's "hypervisor" flag (set by every x86
 * hypervisor through CPUID), /sys/hypervisor/type (Xen), the DMI vendor strings.
 */
import { readFileSync } from 'node:fs';

export type HostClass = 'bare-metal' | 'vm';

const VM_VENDORS = /\b(QEMU|KVM|VMware|VirtualBox|innotek|Xen|Microsoft Corporation|Amazon EC2|Google|Firecracker|Parallels|Bochs|BHYVE|OpenStack)\b/i;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export interface HostClassGuess {
  host: HostClass;
  /** What decided it, for the profile's header and the validation's output. */
  evidence: string;
}

export function detectHostClass(readText: (path: string) => string | undefined = read): HostClassGuess {
  const cpuinfo = readText('/proc/cpuinfo') ?? '';
  if (/^flags\s*:.*\bhypervisor\b/m.test(cpuinfo)) return { host: 'vm', evidence: "the CPU flags include 'hypervisor' (/proc/cpuinfo)" };
  const xen = readText('/sys/hypervisor/type')?.trim();
  if (xen) return { host: 'vm', evidence: `/sys/hypervisor/type is ${xen}` };
  for (const f of ['sys_vendor', 'product_name', 'bios_vendor']) {
    const v = readText(`/sys/class/dmi/id/${f}`)?.trim();
    if (v && VM_VENDORS.test(v)) return { host: 'vm', evidence: `/sys/class/dmi/id/${f} is "${v}"` };
  }
  return { host: 'bare-metal', evidence: "no 'hypervisor' CPU flag and no virtual-machine vendor in DMI" };
}
