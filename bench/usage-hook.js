// Loaded with `node --import` into a process the bench times: at exit, the whole process's
// resource usage (all threads, workers included) goes to the file named by BPFSIM_BENCH_USAGE.
import { writeFileSync } from 'node:fs';

const out = process.env.BPFSIM_BENCH_USAGE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssMB: u.maxRSS / 1024 }));
  });
}
