/**
 * The servers this OS user trusts, by certificate fingerprint, like SSH's known_hosts: a JSON file in the
 * user's configuration folder (`$XDG_CONFIG_HOME/slipvault`, `%APPDATA%\SlipVault` on Windows;
 * SLIPVAULT_CONFIG_DIR replaces it). Written whole to a temporary file and renamed, mode 0600.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SlipVaultError } from '../../shared/errors';
import { formatServerUrl, type ServerAddress } from './server-address';

export const KNOWN_SERVERS_FILE = 'known-servers.json';

interface KnownServer {
  fingerprint: string;
  trustedAt: string;
}

type KnownServers = Record<string, KnownServer>;

export function userConfigFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.SLIPVAULT_CONFIG_DIR) return env.SLIPVAULT_CONFIG_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'SlipVault');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'SlipVault');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'slipvault');
}

/** `AB:CD:…` whatever way the user typed it (with or without colons, any case, a `SHA256:` prefix). */
export function normalizeFingerprint(text: string): string | null {
  const hex = text
    .trim()
    .replace(/^sha-?256:/i, '')
    .replace(/[:\s]/g, '')
    .toUpperCase();
  return /^[0-9A-F]{64}$/.test(hex) ? hex.match(/../g)!.join(':') : null;
}

export class KnownServerStore {
  private readonly file: string;

  constructor(private readonly folder: string = userConfigFolder()) {
    this.file = join(folder, KNOWN_SERVERS_FILE);
  }

  private read(): KnownServers {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as { servers?: KnownServers };
      return parsed.servers ?? {};
    } catch {
      throw new SlipVaultError('CORRUPT_FILE', `${this.file} is not the JSON SlipVault writes; move it away (the servers in it will be asked about again).`, {
        file: this.file,
      }).withMessage('server.knownServersDamaged', { file: this.file });
    }
  }

  fingerprintOf(address: ServerAddress): string | null {
    return this.read()[formatServerUrl(address)]?.fingerprint ?? null;
  }

  trust(address: ServerAddress, fingerprint: string, now: Date = new Date()): void {
    const servers = { ...this.read(), [formatServerUrl(address)]: { fingerprint, trustedAt: now.toISOString() } };
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ servers }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
