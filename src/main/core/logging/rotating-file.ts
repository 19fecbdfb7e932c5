/**
 * A log file rotated by size: `slipvault.log` grows to `maxBytes`, then becomes `slipvault.log.1` (the older
 * ones move up one number) and a new one starts; `files` files are kept in all, the oldest is dropped.
 *
 * Each line is appended with its own open/write/close, synchronously: a line is on disk before the code that
 * logged it goes on (a crash right after still leaves it), no descriptor is held open between lines (the
 * folder can be moved or deleted while the program runs, and on Windows a held file could not be renamed),
 * and the size is read from the file itself, not remembered.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotationLimits {
  /** A file is rotated before a line would take it past this size (a single longer line gets a file of its own). */
  maxBytes: number;
  /** How many files are kept, the one being written included. */
  files: number;
}

export const DEFAULT_LIMITS: RotationLimits = { maxBytes: 5 * 1024 * 1024, files: 5 };

/** `slipvault.log`, `slipvault.log.1`, … `slipvault.log.<files-1>`: newest first. */
export function rotatedName(file: string, generation: number): string {
  return generation === 0 ? file : `${file}.${generation}`;
}

function openForAppend(file: string): number {
  try {
    return openSync(file, 'a');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(file), { recursive: true });
    return openSync(file, 'a');
  }
}

function rotate(file: string, files: number): void {
  rmSync(rotatedName(file, files - 1), { force: true });
  for (let generation = files - 1; generation >= 1; generation--) {
    try {
      renameSync(rotatedName(file, generation - 1), rotatedName(file, generation));
    } catch (error) {
      // Fewer files than the limit so far: a gap is nothing to move.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** Appends `text` to `file`, rotating first when it would grow past the limit. Throws what the file system throws. */
export function appendRotating(file: string, text: string, limits: RotationLimits = DEFAULT_LIMITS): void {
  const bytes = Buffer.from(text, 'utf8');
  let fd = openForAppend(file);
  try {
    const size = fstatSync(fd).size;
    if (size > 0 && size + bytes.length > limits.maxBytes) {
      closeSync(fd);
      fd = -1;
      rotate(file, limits.files);
      fd = openForAppend(file);
    }
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
