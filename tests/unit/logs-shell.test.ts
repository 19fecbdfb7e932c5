/**
 * "Open log folder" in the desktop app: the shell (shell/log-folder.ts) opens the folder the core names for
 * app:openLogFolder, through Electron's shell.openPath — the one thing stood in for here, by a function that
 * records the path and answers as openPath does. The archive and the calls are real.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { openingLogFolder } from '../../src/main/shell/log-folder';
import { tempDir } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

let archive: Archive;
let api: Api;
let viewer: ApiClient;

beforeAll(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { program: 'logs shell test' });
  api = createApi(archive);
  viewer = await clientAs(api, archive, 'viewer', 'zhao');
});

afterAll(async () => {
  await api.dispose();
  archive.close();
});

describe('app:openLogFolder in the desktop shell', () => {
  it("opens the archive's log folder and says so", async () => {
    const opened: string[] = [];
    const handler = openingLogFolder(viewer, (path) => {
      opened.push(path);
      return Promise.resolve('');
    });
    expect(await handler.invoke('app:openLogFolder', {})).toEqual({
      ok: true,
      value: { folder: join(archive.dir, 'logs'), appFolder: process.env.SLIPVAULT_LOG_DIR, opened: true },
    });
    expect(opened).toEqual([join(archive.dir, 'logs')]);
  });

  it('names the folder and the reason when it cannot be opened, and leaves every other call alone', async () => {
    const handler = openingLogFolder(viewer, () => Promise.resolve('Failed to open path'));
    const folder = join(archive.dir, 'logs');
    expect(await handler.invoke('app:openLogFolder', {})).toEqual({
      ok: false,
      error: { code: 'FILE_NOT_FOUND', message: `The log folder ${folder} could not be opened: Failed to open path`, details: { folder } },
    });
    expect(await handler.invoke('archive:status', {})).toMatchObject({ ok: true, value: { path: archive.dir } });
    expect(await handler.invoke('app:openLogFolder', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('is not opened for a connection that has not logged in', async () => {
    const opened: string[] = [];
    const handler = openingLogFolder(api.connect(), (path) => {
      opened.push(path);
      return Promise.resolve('');
    });
    expect(await handler.invoke('app:openLogFolder', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(opened).toEqual([]);
  });
});
