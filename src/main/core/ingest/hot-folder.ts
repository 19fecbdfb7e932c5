/**
 * A hot folder that office scanners drop files into (scan-to-folder). A file is taken only once it is
 * complete: same size and modification time over a quiet period (a scanner still writing it keeps
 * changing both). After the import has committed it is moved to done/; a refused file goes to failed/
 * with `<name>.reason.txt` beside it, as does anything that is not a regular file (a pipe, a device).
 * Nothing is deleted.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { extname, basename, join } from 'node:path';

export const DONE_FOLDER = 'done';
export const FAILED_FOLDER = 'failed';

/** A batch file split by separator sheets or slip-number barcodes becomes several documents. */
export type ImportOutcome = { ok: true; archiveNos: string[] } | { ok: false; reason: string };

export interface HotFolderEvent {
  file: string;
  outcome: ImportOutcome;
  movedTo: string;
}

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

function freeName(folder: string, name: string): string {
  if (!existsSync(join(folder, name))) return join(folder, name);
  const extension = extname(name);
  const stem = basename(name, extension);
  for (let n = 2; ; n += 1) {
    const candidate = join(folder, `${stem} (${n})${extension}`);
    if (!existsSync(candidate)) return candidate;
  }
}

export class HotFolder {
  private readonly seen = new Map<string, Seen>();

  constructor(
    readonly folder: string,
    private readonly importFile: (path: string) => Promise<ImportOutcome>,
    /** How long a file must stay unchanged before it counts as completely written. */
    private readonly quietMs = 2000,
    private readonly clock: () => number = Date.now,
  ) {
    mkdirSync(join(folder, DONE_FOLDER), { recursive: true });
    mkdirSync(join(folder, FAILED_FOLDER), { recursive: true });
  }

  /** Files in the folder that have been unchanged for the quiet period. */
  private completeFiles(): string[] {
    const now = this.clock();
    const complete: string[] = [];
    const present = new Set<string>();
    for (const name of readdirSync(this.folder)) {
      // Hidden and partial files are scanners' temporary names, not finished scans.
      if (name.startsWith('.') || /\.(part|tmp|crdownload)$/i.test(name)) continue;
      const path = join(this.folder, name);
      let info;
      try {
        info = statSync(path);
      } catch {
        continue;
      }
      if (info.isDirectory()) continue;
      // A pipe, socket or device is nothing a scanner finishes writing: refused at once (into failed/), never read.
      if (!info.isFile()) {
        complete.push(path);
        continue;
      }
      present.add(path);
      const before = this.seen.get(path);
      if (!before || before.size !== info.size || before.mtimeMs !== info.mtimeMs) {
        this.seen.set(path, { size: info.size, mtimeMs: info.mtimeMs, since: now });
      } else if (info.size > 0 && now - before.since >= this.quietMs) {
        complete.push(path);
      }
    }
    for (const path of this.seen.keys()) if (!present.has(path)) this.seen.delete(path);
    return complete.sort();
  }

  /** One pass: imports every complete file and moves it out of the way. */
  async scan(): Promise<HotFolderEvent[]> {
    const events: HotFolderEvent[] = [];
    for (const path of this.completeFiles()) {
      const outcome = await this.importFile(path);
      const name = basename(path);
      const target = freeName(join(this.folder, outcome.ok ? DONE_FOLDER : FAILED_FOLDER), name);
      if (!outcome.ok) writeFileSync(`${target}.reason.txt`, `${outcome.reason}\n`);
      renameSync(path, target);
      this.seen.delete(path);
      events.push({ file: path, outcome, movedTo: target });
    }
    return events;
  }
}
