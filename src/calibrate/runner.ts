/**
 * Builds the measuring programs from calibrate/ and runs them one step at a time. Ctrl-C (or
 * SIGTERM) is passed on to the running step, which stops its loops and tears down what it
 * loaded; nothing is pinned, so whatever happens the kernel drops it with the process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Package root: two levels up from src/calibrate (tsx, vitest) and from dist/calibrate. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CALIBRATE_SRC = join(PACKAGE_ROOT, 'calibrate');
export const DEFAULT_BUILD_DIR = join(PACKAGE_ROOT, 'out', 'calibrate', 'build');

export interface Built {
  loader: string;
  shim: string;
  python: string;
  /** The Python (BCC-style) reader of a validation cell. */
  pyreader: string;
}

/** make -C calibrate BUILD=dir. Returns the programs or the build's last lines of output. */
export function build(buildDir = DEFAULT_BUILD_DIR): { ok: true; built: Built } | { ok: false; output: string } {
  mkdirSync(buildDir, { recursive: true });
  const r = spawnSync('make', ['-C', CALIBRATE_SRC, `BUILD=${buildDir}`], { encoding: 'utf8' });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
    return { ok: false, output: out.split('\n').slice(-25).join('\n') };
  }
  return {
    ok: true,
    built: {
      loader: join(buildDir, 'bpfsim-calib'),
      shim: join(buildDir, 'libbpfsim_pyshim.so'),
      python: join(CALIBRATE_SRC, 'pycallback.py'),
      pyreader: join(CALIBRATE_SRC, 'pyreader.py'),
    },
  };
}

export interface StepResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  interrupted: boolean;
}

let interrupted = false;
let current: ReturnType<typeof spawn> | undefined;

function forward(signal: NodeJS.Signals): void {
  interrupted = true;
  current?.kill(signal);
}

/** Installs the Ctrl-C forwarding for the duration of `fn`. */
export async function withSignalForwarding<T>(fn: () => Promise<T>): Promise<T> {
  const onInt = (): void => forward('SIGINT');
  const onTerm = (): void => forward('SIGTERM');
  interrupted = false;
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await fn();
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

export function wasInterrupted(): boolean {
  return interrupted;
}

/** Runs one measuring command to completion, collecting its JSON lines. */
export function runStep(cmd: string, args: string[]): Promise<StepResult> {
  if (interrupted) return Promise.resolve({ stdout: '', stderr: '', code: null, signal: 'SIGINT', interrupted: true });
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => {
      current = undefined;
      resolve({ stdout, stderr: `${stderr}${String(err)}`, code: 127, signal: null, interrupted });
    });
    child.on('close', (code, signal) => {
      current = undefined;
      resolve({ stdout, stderr, code, signal, interrupted });
    });
  });
}

/** IDs and names of the BPF programs loaded in the kernel now (bpftool), to check for leftovers. */
export function loadedPrograms(): Map<number, string> | undefined {
  const r = spawnSync('bpftool', ['-j', 'prog', 'show'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  try {
    const list = JSON.parse(r.stdout) as { id: number; name?: string }[];
    return new Map(list.map((p) => [p.id, p.name ?? '']));
  } catch {
    return undefined;
  }
}
