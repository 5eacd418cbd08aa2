/**
 * The SimPy 2 reference (simpy_mm1.py) run as a child process. Debian's python3-simpy is
 * SimPy 2.3.1; it lives in the system Python's dist-packages, so /usr/bin/python3 is tried
 * before whatever `python3` is first on PATH. When no Python can import SimPy.Simulation the
 * bench installs the package with apt-get (as root), and skips this row with the reason when
 * that is impossible.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./simpy_mm1.py', import.meta.url));
const PYTHONS = ['/usr/bin/python3', 'python3'];

function pythonWithSimPy() {
  for (const py of PYTHONS) {
    const r = spawnSync(py, ['-c', 'import SimPy.Simulation'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

function tryInstall(log) {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root, cannot apt-get install python3-simpy';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log('installing python3-simpy (apt-get) ...');
  try {
    execFileSync('apt-get', ['install', '-y', '-q', 'python3-simpy'], { stdio: 'ignore', env });
    return null;
  } catch {
    try {
      execFileSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
      execFileSync('apt-get', ['install', '-y', '-q', 'python3-simpy'], { stdio: 'ignore', env });
      return null;
    } catch (e) {
      return `apt-get install python3-simpy failed: ${String(e.message).split('\n')[0]}`;
    }
  }
}

/** A Python that imports SimPy.Simulation (installing python3-simpy if need be), or { skipped }. */
function findOrInstallPython(log) {
  const py = pythonWithSimPy();
  if (py !== null) return py;
  const why = tryInstall(log);
  if (why) return { skipped: why };
  return pythonWithSimPy() ?? { skipped: 'python3-simpy installed but SimPy.Simulation does not import' };
}

// Runs a script as __main__ and, at exit, writes the process's user and system CPU seconds.
const USAGE_WRAPPER = [
  'import sys, runpy, resource, json, atexit',
  'out = sys.argv.pop(1)',
  'atexit.register(lambda: open(out, "w").write(json.dumps(list(resource.getrusage(resource.RUSAGE_SELF)[:2]))))',
  'sys.argv = sys.argv[1:]',
  'runpy.run_path(sys.argv[0], run_name="__main__")',
].join('\n');

/**
 * The SimPy M/M/1 as a whole process (interpreter start-up and imports included), the fastest
 * of `reps`: { seconds (wall), cpuSeconds, customers } or { skipped }.
 */
export function runSimPyProcess(customers, rho, reps, log) {
  const py = findOrInstallPython(log);
  if (typeof py !== 'string') return py;
  const dir = mkdtempSync(join(tmpdir(), 'bpfsim-simpy-'));
  try {
    let best;
    for (let i = 0; i < reps; i++) {
      const usage = join(dir, `usage-${i}.json`);
      const t0 = performance.now();
      const r = spawnSync(py, ['-c', USAGE_WRAPPER, usage, SCRIPT, String(customers), String(rho), String(i + 1)], { encoding: 'utf8' });
      const seconds = (performance.now() - t0) / 1e3;
      if (r.status !== 0) return { skipped: `simpy_mm1.py failed: ${(r.stderr || '').trim().split('\n').pop()}` };
      const [user, sys] = JSON.parse(readFileSync(usage, 'utf8'));
      const res = JSON.parse(r.stdout.trim().split('\n').pop());
      const run = { seconds, cpuSeconds: user + sys, customers: res.customers, meanSojourn: res.meanSojourn };
      if (best === undefined || run.seconds < best.seconds) best = run;
    }
    return best;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
