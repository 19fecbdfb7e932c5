/**
 * The log file rotated by size (core/logging/rotating-file.ts), written through the real pino logger, and read
 * back across its files; the app's log folder on each OS.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appLogFolder, LOG_FILE } from '../../src/main/core/logging/log-folders';
import { createLog } from '../../src/main/core/logging/logger';
import { readRecentEntries } from '../../src/main/core/logging/read-log';
import { rotatedName } from '../../src/main/core/logging/rotating-file';
import { tempDir } from '../helpers/fixtures';

const LIMITS = { maxBytes: 2000, files: 3 };

function linesOf(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a log rotated by size', () => {
  it('moves a full file to .1, keeps `files` files in all and drops the oldest lines', () => {
    const file = join(tempDir(), 'logs', LOG_FILE);
    const log = createLog(file, 'core', LIMITS);
    for (let n = 0; n < 200; n++) log.info({ n, call: 'documents:list', ms: 1.5 }, 'call');

    const names = [0, 1, 2].map((generation) => rotatedName(file, generation));
    expect(names.map((name) => existsSync(name))).toEqual([true, true, true]);
    expect(existsSync(rotatedName(file, 3))).toBe(false);
    for (const name of names) expect(statSync(name).size).toBeLessThanOrEqual(LIMITS.maxBytes);

    // Oldest file first, the lines run on without a gap up to the last one written; the first ones are gone.
    const kept = [...names].reverse().flatMap((name) => linesOf(name).map((line) => line.n as number));
    expect(kept.at(-1)).toBe(199);
    expect(kept[0]).toBeGreaterThan(0);
    expect(kept).toEqual(kept.map((_, index) => kept[0]! + index));
    // Full files were rotated, not cut short: each older file is nearly full.
    for (const name of names.slice(1)) expect(statSync(name).size).toBeGreaterThan(LIMITS.maxBytes - 200);

    const recent = readRecentEntries(file, 1000, LIMITS.files);
    expect(recent.map((entry) => entry.n)).toEqual(kept);
    expect(readRecentEntries(file, 5, LIMITS.files).map((entry) => entry.n)).toEqual([195, 196, 197, 198, 199]);
  });

  it('gives a line longer than the limit a file of its own, whole', () => {
    const file = join(tempDir(), LOG_FILE);
    const log = createLog(file, 'core', LIMITS);
    log.info('before');
    log.info({ long: 'x'.repeat(3000) }, 'long');
    log.info('after');
    expect(linesOf(rotatedName(file, 2)).map((line) => line.msg)).toEqual(['before']);
    expect(linesOf(rotatedName(file, 1)).map((line) => line.msg)).toEqual(['long']);
    expect(linesOf(file).map((line) => line.msg)).toEqual(['after']);
  });

  it('creates its folder when the first line is written', () => {
    const file = join(tempDir(), 'a', 'b', LOG_FILE);
    createLog(file, 'app').warn('first');
    expect(linesOf(file)).toEqual([expect.objectContaining({ msg: 'first', name: 'app', level: 40 })]);
  });

  it('reads a line cut short as unreadable instead of failing', () => {
    const dir = tempDir();
    const file = join(dir, LOG_FILE);
    const log = createLog(file, 'core', LIMITS);
    log.info('whole');
    appendFileSync(file, '{"level":30,"ti'); // as a crash mid-write leaves it
    expect(readRecentEntries(file, 10)).toEqual([expect.objectContaining({ msg: 'whole' }), { unreadable: '{"level":30,"ti' }]);
  });
});

describe("the app's log folder", () => {
  const home = '/home/li';
  it('follows each OS, and SLIPVAULT_LOG_DIR overrides it', () => {
    expect(appLogFolder({}, 'linux', home)).toBe('/home/li/.local/state/SlipVault/logs');
    expect(appLogFolder({ XDG_STATE_HOME: '/srv/state' }, 'linux', home)).toBe('/srv/state/SlipVault/logs');
    expect(appLogFolder({ XDG_STATE_HOME: '' }, 'linux', home)).toBe('/home/li/.local/state/SlipVault/logs');
    expect(appLogFolder({}, 'darwin', '/Users/li')).toBe('/Users/li/Library/Logs/SlipVault');
    expect(appLogFolder({ LOCALAPPDATA: 'C:\\Users\\li\\AppData\\Local' }, 'win32', 'C:\\Users\\li')).toBe('C:\\Users\\li\\AppData\\Local\\SlipVault\\logs');
    expect(appLogFolder({}, 'win32', 'C:\\Users\\li')).toBe('C:\\Users\\li\\AppData\\Local\\SlipVault\\logs');
    expect(appLogFolder({ SLIPVAULT_LOG_DIR: '/tmp/logs', XDG_STATE_HOME: '/srv/state' }, 'linux', home)).toBe('/tmp/logs');
  });
});
