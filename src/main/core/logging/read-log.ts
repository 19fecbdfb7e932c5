/** The newest lines of a rotated log (rotating-file.ts), read back across its files, oldest first. */
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_LIMITS, rotatedName } from './rotating-file';

/** One log line as pino wrote it; a line cut short (a crash, a full disk) comes back as `{ unreadable }`. */
export type LogEntry = Record<string, unknown>;

function parseLine(line: string): LogEntry {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as LogEntry;
  } catch {
    // Falls through: shown as it is.
  }
  return { unreadable: line };
}

export function readRecentEntries(file: string, count: number, files: number = DEFAULT_LIMITS.files): LogEntry[] {
  let lines: string[] = [];
  for (let generation = 0; generation < files && lines.length < count; generation++) {
    const name = rotatedName(file, generation);
    if (!existsSync(name)) continue;
    lines = [
      ...readFileSync(name, 'utf8')
        .split('\n')
        .filter((line) => line.length > 0),
      ...lines,
    ];
  }
  return lines.slice(-count).map(parseLine);
}
