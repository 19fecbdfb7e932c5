/**
 * Small tmpfs mounts for the full-disk and read-only cases. Mounting needs root (CI runs as root); elsewhere
 * `canMountTmpfs` is false and the tests that need it are reported as skipped, not passed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { tempDir } from './fixtures';

export function mountTmpfs(dir: string, options: string): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status === 0;
}

export const canMountTmpfs = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = tempDir('slipvault-mount-probe-');
  if (!mountTmpfs(probe, 'size=1m')) return false;
  execFileSync('umount', [probe]);
  return true;
})();
