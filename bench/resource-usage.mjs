// Preloaded (node --import) into each CLI run bench:backup times: as the process exits, writes its CPU time and
// page faults — every thread's, the backup's worker threads included (getrusage RUSAGE_SELF) — as JSON to the
// file BENCH_RESOURCE_USAGE names. Worker threads inherit the preload; only the main thread reports.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BENCH_RESOURCE_USAGE;
if (isMainThread && file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const report = {
      userSeconds: usage.userCPUTime / 1e6,
      systemSeconds: usage.systemCPUTime / 1e6,
      minorPageFaults: usage.minorPageFault,
      majorPageFaults: usage.majorPageFault,
      maxRssMiB: usage.maxRSS / 1024,
    };
    writeFileSync(file, JSON.stringify(report));
  });
}
