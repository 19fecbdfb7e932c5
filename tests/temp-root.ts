import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary folder of a test run (made by the tests, or by the programs and workers they start) goes
 * into one folder of that run, removed when the run ends: left in /tmp, the runs on one machine had piled
 * up 55 GB in 24,000 folders.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'slipvault-test-run-'));
  // os.tmpdir() reads it, in the test processes forked after this and in everything they spawn.
  process.env.TMPDIR = root;
  // Archives opened by tests record their audit anchors here, not in the user's own anchor folder.
  process.env.SLIPVAULT_ANCHOR_DIR = join(root, 'anchors');
  // And the app's log (an unexpected error outside any call, the shell's start) goes here, not into the user's.
  process.env.SLIPVAULT_LOG_DIR = join(root, 'app-logs');
  return () => {
    try {
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      // A file system a failed test left mounted in it, say: say so, and do not fail the run for it.
      process.stderr.write(`The test run's temporary folder ${root} was not removed: ${(error as Error).message}\n`);
    }
  };
}
