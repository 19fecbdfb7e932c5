/**
 * Where logs live. The owner of an archive writes into the archive's own folder, so the log travels with the
 * archive it describes; the app (Electron main, the preview host, anything outside a call) writes into the OS
 * user's log folder. SLIPVAULT_LOG_DIR overrides the app's folder (tests, or a folder on another drive).
 */
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

export const LOG_FILE = 'slipvault.log';

export function archiveLogFolder(archiveDir: string): string {
  return join(archiveDir, 'logs');
}

export function appLogFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.SLIPVAULT_LOG_DIR) return env.SLIPVAULT_LOG_DIR;
  if (platform === 'win32') return win32.join(env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local'), 'SlipVault', 'logs');
  if (platform === 'darwin') return posix.join(home, 'Library', 'Logs', 'SlipVault');
  // XDG: an empty XDG_STATE_HOME counts as unset.
  return posix.join(env.XDG_STATE_HOME || posix.join(home, '.local', 'state'), 'SlipVault', 'logs');
}
