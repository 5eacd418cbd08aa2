/**
 * The measurement plan: which steps run, with how many repetitions (quick or full), and how
 * their output is gathered. A step that exits non-zero, prints a malformed line, or reports
 * an error other than an attach type the kernel refuses, is a failed measurement.
 */
import type { Built } from './runner.js';
import { runStep } from './runner.js';
import type { CalibRecord, ErrorRecord } from './records.js';
import { isError, parseLines } from './records.js';

export interface Step {
  label: string;
  cmd: string;
  args: string[];
}

export function plan(b: Built, quick: boolean): Step[] {
  const q = <T>(a: T, b2: T): T => (quick ? a : b2);
  const steps: Step[] = [
    { label: 'host', cmd: b.loader, args: ['info'] },
    { label: 'per-operation costs (BPF_PROG_TEST_RUN)', cmd: b.loader, args: ['ops', '--reps', String(q(7, 15)), '--iters', '2000'] },
    { label: 'attach costs (getpgid / uprobe loop)', cmd: b.loader, args: ['attach', '--rounds', String(q(5, 11)), '--calls', String(q(90000, 270000))] },
  ];
  for (const buffer of ['ringbuf', 'perf_buffer']) {
    const count = String(q(150, 500));
    steps.push(
      { label: `wake-ups, ${buffer}, nobody waiting`, cmd: b.loader, args: ['wakeup', '--buffer', buffer, '--count', count] },
      { label: `wake-ups, ${buffer}, consumer asleep`, cmd: b.loader, args: ['wakeup', '--buffer', buffer, '--count', count, '--waiter'] },
      { label: `libbpf reader, ${buffer}`, cmd: b.loader, args: ['consumer', '--buffer', buffer, '--reps', String(q(5, 15))] },
    );
  }
  steps.push({ label: 'Python callbacks (ctypes, as BCC)', cmd: 'python3', args: [b.python, b.shim, '--reps', String(q(3, 9))] });
  return steps;
}

export interface Gathered {
  records: CalibRecord[];
  /** Raw lines, for the measurements file written beside the profile. */
  raw: string[];
  /** Failed steps, one line each. */
  failures: string[];
  /** Attach types the kernel refused (expected on some kernels: reported, not failures). */
  refusals: ErrorRecord[];
  interrupted: boolean;
}

export async function gather(steps: Step[], log: (line: string) => void): Promise<Gathered> {
  const out: Gathered = { records: [], raw: [], failures: [], refusals: [], interrupted: false };
  for (const step of steps) {
    const t0 = Date.now();
    const r = await runStep(step.cmd, step.args);
    if (r.interrupted) {
      out.interrupted = true;
      log(`  ${step.label}: interrupted`);
      break;
    }
    const parsed = parseLines(r.stdout, step.label);
    out.raw.push(...r.stdout.split('\n').filter((l) => l.trim() !== ''));
    for (const rec of parsed.records) {
      if (!isError(rec)) out.records.push(rec);
      else if (rec.kind === 'attach') out.refusals.push(rec);
      else out.failures.push(`${step.label}: ${rec.name}: ${rec.error.stage} failed: ${rec.error.message} (${rec.error.detail.split('\n').filter(Boolean).slice(-1)[0] ?? ''})`);
    }
    for (const p of parsed.problems) out.failures.push(p);
    if (r.code !== 0) out.failures.push(`${step.label}: exited with ${r.code ?? r.signal}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').slice(-2).join(' ')}` : ''}`);
    log(`  ${step.label}: ${((Date.now() - t0) / 1000).toFixed(1)} s, ${parsed.records.length} results`);
  }
  return out;
}
