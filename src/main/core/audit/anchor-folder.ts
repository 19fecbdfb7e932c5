/**
 * Where anchors live: a per-OS-user folder outside every archive, so that whoever can write an archive's
 * database cannot also rewrite the heads recorded for it. SLIPVAULT_ANCHOR_DIR overrides it (tests, or a
 * folder on another drive).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function anchorFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.SLIPVAULT_ANCHOR_DIR) return env.SLIPVAULT_ANCHOR_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'SlipVault', 'anchors');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'SlipVault', 'anchors');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'SlipVault', 'anchors');
}

/** Archive ids name files in the folder: anything but a plain id (a rewritten `archive_id`) must not become a path. */
const ARCHIVE_ID = /^[A-Za-z0-9-]{1,64}$/;

export function assertArchiveId(archiveId: string): void {
  if (!ARCHIVE_ID.test(archiveId)) throw new Error(`the archive id ${JSON.stringify(archiveId)} is not a valid archive id`);
}
