/**
 * The archive a desktop or preview host opens its pages on, remembered per OS user: nothing (this computer's
 * archive) or a server's address with the fingerprint trusted for it. Kept beside the trusted servers
 * (network/known-servers.ts) in the user's configuration folder; never a user name or password.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SlipVaultError } from '../../shared/errors';
import { normalizeFingerprint } from '../network/known-servers';
import { formatServerUrl, parseServerUrl, type ServerAddress } from '../network/server-address';

export const SERVER_CHOICE_FILE = 'server-connection.json';

export interface ServerChoice {
  address: ServerAddress;
  fingerprint: string;
}

export class ServerChoiceFile {
  private readonly file: string;

  /** `folder`: the OS user's configuration folder; the offline copies (offline-cache.ts) and the offline queue (offline-queue.ts) live beside the choice. */
  constructor(readonly folder: string) {
    this.file = join(folder, SERVER_CHOICE_FILE);
  }

  /** The remembered server, or null for this computer's archive. */
  read(): ServerChoice | null {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const damaged = () =>
      new SlipVaultError('CORRUPT_FILE', `${this.file} is not the JSON SlipVault writes; move it away and connect to the server again in Settings.`, {
        file: this.file,
      }).withMessage('connection.choiceDamaged', { file: this.file });
    let parsed: { server?: unknown; fingerprint?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw damaged();
    }
    const fingerprint = typeof parsed.fingerprint === 'string' ? normalizeFingerprint(parsed.fingerprint) : null;
    if (typeof parsed.server !== 'string' || !fingerprint) throw damaged();
    try {
      return { address: parseServerUrl(parsed.server), fingerprint };
    } catch {
      throw damaged();
    }
  }

  remember(choice: ServerChoice): void {
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ server: formatServerUrl(choice.address), fingerprint: choice.fingerprint }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }

  forget(): void {
    rmSync(this.file, { force: true });
  }
}
