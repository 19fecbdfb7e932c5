/**
 * A log that cannot be written never breaks work: with the archive's log on a full device (/dev/full answers
 * every write with ENOSPC) or in a read-only folder (a read-only bind mount: root ignores mode bits), real
 * `slipvault` runs import, list and check as usual, and each says so once on stderr.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initArchive } from '../../src/main/core/archive';
import { createApi } from '../../src/main/core/api';
import { archiveLogFolder, LOG_FILE } from '../../src/main/core/logging/log-folders';
import { ensureCliBuilt, slipvault, type CliRun } from '../helpers/cli';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

const USER = { SLIPVAULT_USER: 'li.na' };
const NOTICE = /slipvault: the log .*slipvault\.log cannot be written \((\w+)\); going on without it\.\n/g;

async function newArchive(): Promise<string> {
  const dir = join(tempDir(), 'archive');
  const archive = await initArchive(dir, { program: 'logs unwritable test' });
  const api = createApi(archive);
  await clientAs(api, archive, 'admin', 'li.na');
  await api.dispose();
  archive.close();
  return dir;
}

/** The run's notices about the log, by error code: exactly one per run is expected. */
function noticesOf(run: CliRun): string[] {
  return [...run.stderr.matchAll(NOTICE)].map((match) => match[1]!);
}

/** Import one slip, list, check: each a run of its own. */
async function importListCheck(dir: string): Promise<CliRun[]> {
  const jpeg = await writeJpeg(tempDir('slipvault-log-files-'), 'slip.jpg', 60, 90);
  const runs = [slipvault(['--archive', dir, 'import', jpeg], USER), slipvault(['--archive', dir, 'list'], USER), slipvault(['--archive', dir, 'check'], USER)];
  expect(runs.map((run) => run.status)).toEqual([0, 0, 0]);
  expect(runs[0]!.stdout).toMatch(/imported\s+SV-\d{4}-000001/);
  expect(runs[1]!.stdout).toContain('SV-');
  expect(runs[2]!.stdout).toMatch(/^Archive OK: 1 documents/);
  return runs;
}

function canMount(): { ok: boolean; reason: string } {
  const probe = tempDir('slipvault-mount-probe-');
  try {
    const bind = spawnSync('mount', ['--bind', probe, probe], { encoding: 'utf8' });
    if (bind.status !== 0) return { ok: false, reason: `bind mounts are not permitted here: ${bind.stderr.trim() || bind.error}` };
    const ro = spawnSync('mount', ['-o', 'remount,bind,ro', probe, probe], { encoding: 'utf8' });
    spawnSync('umount', [probe]);
    if (ro.status !== 0) return { ok: false, reason: `read-only remounts are not permitted here: ${ro.stderr.trim()}` };
    return { ok: true, reason: '' };
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

beforeAll(() => ensureCliBuilt());

describe('a full log disk', () => {
  it('is told once per run on stderr; import, list and check work as usual', async () => {
    const dir = await newArchive();
    const logFile = join(archiveLogFolder(dir), LOG_FILE);
    rmSync(logFile);
    symlinkSync('/dev/full', logFile);
    expect(() => writeFileSync(logFile, 'x', { flag: 'a' })).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    const runs = await importListCheck(dir);
    expect(runs.map(noticesOf)).toEqual([['ENOSPC'], ['ENOSPC'], ['ENOSPC']]);
  });
});

describe('a read-only log folder', () => {
  const mountable = canMount();
  let mounted: string | null = null;

  afterAll(() => {
    if (mounted) spawnSync('umount', [mounted]);
  });

  it.skipIf(!mountable.ok)(
    `is told once per run on stderr; work goes on and the folder is untouched ${mountable.ok ? '' : `(skipped: ${mountable.reason})`}`,
    async () => {
      const dir = await newArchive();
      const folder = archiveLogFolder(dir);
      const before = readFileSync(join(folder, LOG_FILE));
      expect(spawnSync('mount', ['--bind', folder, folder]).status).toBe(0);
      mounted = folder;
      expect(spawnSync('mount', ['-o', 'remount,bind,ro', folder, folder]).status).toBe(0);
      try {
        expect(() => writeFileSync(join(folder, 'probe'), 'x')).toThrow(expect.objectContaining({ code: 'EROFS' }));
        const runs = await importListCheck(dir);
        expect(runs.map(noticesOf)).toEqual([['EROFS'], ['EROFS'], ['EROFS']]);
      } finally {
        spawnSync('umount', [folder]);
        mounted = null;
      }
      expect(readdirSync(folder)).toEqual([LOG_FILE]);
      expect(readFileSync(join(folder, LOG_FILE))).toEqual(before);
    },
  );
});
