/**
 * Runs one HotFolder (hot-folder.ts) on a timer for as long as a UI session wants it, and keeps the
 * figures the UI shows: files imported and failed, the last error, when it last looked. Only one folder is
 * watched at a time; watching another stops the first. stop() waits for a pass in progress, so no file is
 * left half-moved.
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { HotFolderStatus } from '../../../shared/model';
import { HotFolder, type ImportOutcome } from './hot-folder';

export interface HotFolderWatcherOptions {
  intervalMs?: number;
  /** How long a file must stay unchanged before it is taken (HotFolder's quiet period). */
  quietMs?: number;
}

export class HotFolderWatcher {
  private folder: HotFolder | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private figures: Omit<HotFolderStatus, 'watching' | 'path'> = { done: 0, failed: 0, lastError: null, lastFile: null, lastScanAt: null };

  constructor(
    private readonly importFile: (path: string) => Promise<ImportOutcome>,
    private readonly options: HotFolderWatcherOptions = {},
  ) {}

  status(): HotFolderStatus {
    return { watching: this.folder !== null, path: this.folder?.folder ?? null, ...this.figures };
  }

  async watch(path: string): Promise<HotFolderStatus> {
    if (!isAbsolute(path))
      throw new SlipVaultError('VALIDATION', `The hot folder must be given as a full path, not "${path}".`, { path }).withMessage('hotFolder.notAbsolute', {
        path,
      });
    const folder = resolve(path);
    let isFolder: boolean;
    try {
      isFolder = statSync(folder).isDirectory();
    } catch {
      throw new SlipVaultError('NOT_FOUND', `The hot folder ${folder} does not exist.`, { path: folder }).withMessage('hotFolder.missing', { path: folder });
    }
    if (!isFolder)
      throw new SlipVaultError('VALIDATION', `${folder} is a file, not a folder.`, { path: folder }).withMessage('hotFolder.isFile', { path: folder });
    await this.stop();
    this.folder = new HotFolder(folder, this.importFile, this.options.quietMs);
    this.figures = { done: 0, failed: 0, lastError: null, lastFile: null, lastScanAt: null };
    this.schedule(0);
    return this.status();
  }

  async stop(): Promise<HotFolderStatus> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const active = this.folder;
    this.folder = null;
    await this.pass;
    const status = this.status();
    return active ? { ...status, path: active.folder } : status;
  }

  private schedule(delay: number): void {
    const folder = this.folder;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pass = this.scan(folder!).finally(() => {
        this.pass = null;
        if (this.folder === folder) this.schedule(this.options.intervalMs ?? 1000);
      });
    }, delay);
  }

  private async scan(folder: HotFolder): Promise<void> {
    try {
      for (const event of await folder.scan()) {
        this.figures.lastFile = event.file;
        if (event.outcome.ok) this.figures.done += 1;
        else {
          this.figures.failed += 1;
          this.figures.lastError = `${event.file}: ${event.outcome.reason}`;
        }
      }
    } catch (error) {
      this.figures.lastError = `The hot folder ${folder.folder} could not be read: ${(error as Error).message ?? String(error)}`;
    }
    this.figures.lastScanAt = new Date().toISOString();
  }
}
