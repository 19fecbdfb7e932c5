/**
 * The shell's own small settings file (userData/settings.json): which archive folder was used last.
 * Unreadable or malformed settings are treated as empty; writes are atomic (tmp → rename).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';

export interface ShellSettings {
  lastArchive?: string;
}

export function parseSettings(text: string): ShellSettings {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const { lastArchive } = value as { lastArchive?: unknown };
    return typeof lastArchive === 'string' && lastArchive.length > 0 && isAbsolute(lastArchive) ? { lastArchive } : {};
  } catch {
    return {};
  }
}

export async function readSettings(file: string): Promise<ShellSettings> {
  try {
    return parseSettings(await readFile(file, 'utf8'));
  } catch {
    return {};
  }
}

export async function writeSettings(file: string, settings: ShellSettings): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(settings, null, 2)}\n`, 'utf8');
  await rename(tmp, file);
}
