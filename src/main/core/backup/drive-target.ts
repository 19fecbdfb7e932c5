/**
 * Finds the folder a scheduled backup writes to. A folder target must exist as it is (a missing folder is
 * most often an unplugged drive, and backing up onto the internal disk instead would be no backup). A drive
 * target names the drive by its volume label, the way an office names its backup disks ("BACKUP-A"), so
 * whichever mount point or drive letter the system gave it today is found:
 * - Linux: desktops mount removable drives at /run/media/<user>/<label> (udisks2, Fedora, Arch) or
 *   /media/<user>/<label> (Debian, Ubuntu); /media/<label> and /mnt/<label> are common hand-made mounts.
 * - macOS: /Volumes/<label>.
 * - Windows: the drive letter whose volume label matches, asked from Win32_LogicalDisk through PowerShell.
 * The folder on the drive is created when the drive is there.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { ScheduledTarget } from '../../../shared/backup-schedule';
import { SlipVaultError } from '../../../shared/errors';
import { toStorageError } from '../fs-errors';

export interface DriveLookup {
  platform: NodeJS.Platform;
  /** The folders a drive's label is looked for in, on Linux and macOS. */
  mountRoots: string[];
}

export function systemDriveLookup(platform: NodeJS.Platform = process.platform): DriveLookup {
  if (platform === 'darwin') return { platform, mountRoots: ['/Volumes'] };
  if (platform === 'win32') return { platform, mountRoots: [] };
  const user = userInfo().username;
  return { platform, mountRoots: [`/run/media/${user}`, `/media/${user}`, '/media', '/mnt'] };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The label travels in an environment variable, never inside the command text. */
const WINDOWS_DRIVE_QUERY =
  'Get-CimInstance Win32_LogicalDisk | Where-Object { $_.VolumeName -eq $env:SLIPVAULT_DRIVE_LABEL } | Select-Object -First 1 -ExpandProperty DeviceID';

function windowsDriveRoot(label: string): Promise<string | null> {
  return new Promise((resolvePromise) => {
    execFile(
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_DRIVE_QUERY],
      { env: { ...process.env, SLIPVAULT_DRIVE_LABEL: label }, timeout: 30_000, windowsHide: true },
      (error, stdout) => {
        const letter = stdout.trim();
        resolvePromise(!error && /^[A-Z]:$/i.test(letter) ? `${letter}\\` : null);
      },
    );
  });
}

async function driveRoot(label: string, lookup: DriveLookup): Promise<string> {
  const root = lookup.platform === 'win32' ? await windowsDriveRoot(label) : (lookup.mountRoots.map((base) => join(base, label)).find(isFolder) ?? null);
  if (root) return root;
  const where =
    lookup.platform === 'win32' ? 'no drive letter has that volume label' : `looked in ${lookup.mountRoots.map((base) => join(base, label)).join(', ')}`;
  throw new SlipVaultError(
    'FILE_NOT_FOUND',
    `The backup drive labelled "${label}" is not connected (${where}). Connect it; the backup runs as soon as it is found.`,
    {
      reason: 'drive-missing',
      label,
    },
  ).withMessage('backup.driveMissing', { label });
}

/** The folder to back up into now, or FILE_NOT_FOUND naming what is missing. */
export async function resolveScheduledTarget(target: ScheduledTarget, lookup: DriveLookup): Promise<string> {
  if (target.kind === 'folder') {
    if (isFolder(target.path)) return target.path;
    throw new SlipVaultError(
      'FILE_NOT_FOUND',
      `The backup folder ${target.path} is not there (is its drive connected?). The backup runs as soon as it is back.`,
      {
        reason: 'folder-missing',
        target: target.path,
      },
    ).withMessage('backup.folderMissing', { folder: target.path });
  }
  const folder = join(await driveRoot(target.label, lookup), target.folder);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw toStorageError(error, `The folder ${folder} on the backup drive "${target.label}" could not be created`);
  }
  return folder;
}
