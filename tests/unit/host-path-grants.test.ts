/**
 * Paths from a page are used only when the user chose them: the check itself (which fields of which calls
 * are paths, symbolic links and `..` resolved first) and the preview host, where a page can name only
 * files it uploaded and folders under the host's --folder-root, and a refused call stores nothing.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/main/core/api';
import { clientAs } from '../helpers/sessions';
import { initArchive } from '../../src/main/core/archive';
import { PathGrants, guardPaths, namedPaths, refusedPath } from '../../src/main/host/path-grants';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { connectCaller, upload, type PreviewCaller } from '../helpers/preview-client';
import { tempDir, writeJpeg } from '../helpers/fixtures';

describe('refusedPath', () => {
  let root: string;
  let grants: PathGrants;
  beforeEach(() => {
    root = tempDir('slipvault-grants-');
    mkdirSync(join(root, 'backups'));
    grants = new PathGrants();
    grants.grantFolder(join(root, 'backups'));
  });

  it('refuses a file the user did not choose, naming it, and lets a granted one through', () => {
    const refusal = refusedPath('documents:import', { paths: ['/etc/passwd'] }, grants);
    expect(refusal?.code).toBe('FORBIDDEN');
    expect(refusal?.message).toMatch(/^\/etc\/passwd was not chosen by the user as the file to import, so documents:import may not use it/);
    expect(refusal?.details).toEqual({ method: 'documents:import', path: '/etc/passwd', use: 'file', reason: 'path-not-chosen' });

    const chosen = join(root, 'slip.jpg');
    writeFileSync(chosen, 'x');
    grants.grantFile(chosen);
    expect(refusedPath('documents:import', { paths: [chosen] }, grants)).toBeNull();
    expect(refusedPath('pages:add', { ref: 1, paths: [chosen, '/etc/shadow'] }, grants)?.message).toMatch(/^\/etc\/shadow was not chosen/);
    grants.revokeFile(chosen);
    expect(refusedPath('documents:import', { paths: [chosen] }, grants)).not.toBeNull();
  });

  it('knows every path field: backup targets, the restore folder, the hot folder (also as a setting)', () => {
    const inside = join(root, 'backups', 'set-1');
    const outside = join(root, 'elsewhere');
    expect(namedPaths('backup:restore', { target: inside, into: outside })).toEqual([
      { path: inside, use: 'folder', role: 'backup-target' },
      { path: outside, use: 'folder', role: 'restore-into' },
    ]);
    for (const method of ['backup:create', 'backup:verify', 'backup:list'] as const) {
      expect(refusedPath(method, { target: inside }, grants), method).toBeNull();
      expect(refusedPath(method, { target: outside }, grants)?.message, method).toMatch(/as the backup folder/);
    }
    expect(refusedPath('backup:prune', { target: outside, keep: 1 }, grants)).not.toBeNull();
    expect(refusedPath('backup:restore', { target: inside, into: outside }, grants)?.message).toMatch(/as the folder to restore into/);
    expect(refusedPath('hotFolder:watch', { path: '/etc' }, grants)?.message).toMatch(/^\/etc was not chosen by the user as the hot folder/);
    // The schema trims the hot folder; the check sees what the core will see.
    expect(refusedPath('hotFolder:watch', { path: ` ${inside} ` }, grants)).toBeNull();
    expect(refusedPath('settings:update', { changes: { hotFolderPath: '/etc' } }, grants)).not.toBeNull();
    expect(refusedPath('settings:update', { changes: { hotFolderPath: null } }, grants)).toBeNull();
    expect(refusedPath('settings:update', { changes: { reviewConfidenceThreshold: 50 } }, grants)).toBeNull();
    expect(refusedPath('archive:status', {}, grants)).toBeNull();
  });

  it('resolves `..`, relative paths and symbolic links before comparing', () => {
    expect(refusedPath('backup:list', { target: join(root, 'backups', '..', 'elsewhere') }, grants)).not.toBeNull();
    expect(refusedPath('backup:list', { target: 'backups' }, grants)).not.toBeNull();
    symlinkSync('/etc', join(root, 'backups', 'link'));
    expect(refusedPath('backup:list', { target: join(root, 'backups', 'link') }, grants)?.message).toMatch(/link was not chosen/);
    expect(refusedPath('backup:list', { target: join(root, 'backups', 'link', 'new') }, grants)).not.toBeNull();
  });

  it('leaves an input the contract refuses to the contract', () => {
    expect(refusedPath('documents:import', { paths: '/etc/passwd' }, grants)).toBeNull();
  });

  it('guards the handler table: a refused call never reaches the core; a confirmed folder is granted and goes through', async () => {
    const archive = await initArchive(join(root, 'archive'), { actor: 'clerk-wang' });
    const core = createApi(archive);
    const api = await clientAs(core, archive, 'admin', 'clerk-wang');
    try {
      const head = archive.audit.head();
      const refused = await guardPaths(api, grants).invoke('backup:list', { target: '/srv' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { path: '/srv', reason: 'path-not-chosen' } } });
      expect(archive.audit.head()).toEqual(head);

      const chosen = join(root, 'chosen');
      mkdirSync(chosen);
      const asked: string[] = [];
      const confirming = guardPaths(api, grants, { confirmFolder: async (named) => (asked.push(named.path), named.path !== '/etc') });
      expect(await confirming.invoke('backup:list', { target: chosen })).toEqual({ ok: true, value: [] });
      expect(await confirming.invoke('backup:list', { target: chosen })).toEqual({ ok: true, value: [] });
      expect(await confirming.invoke('hotFolder:watch', { path: '/etc' })).toMatchObject({ ok: false, error: { details: { reason: 'path-not-chosen' } } });
      expect(await confirming.invoke('documents:import', { paths: ['/etc/passwd'] })).toMatchObject({
        ok: false,
        error: { details: { reason: 'path-not-chosen' } },
      });
      // Asked once per folder; a file is never confirmed this way (only a drop or the file chooser grants it).
      expect(asked).toEqual([chosen, '/etc']);
      expect(archive.status().documents).toBe(0);
    } finally {
      await core.dispose();
      archive.close();
    }
  });
});

describe('the preview host', () => {
  let host: PreviewHost;
  let caller: PreviewCaller;
  let folderRoot: string;

  beforeEach(async () => {
    const renderer = tempDir('slipvault-renderer-');
    folderRoot = tempDir('slipvault-folder-root-');
    host = await startPreviewHost({ archiveDir: join(tempDir(), 'archive'), rendererRoot: renderer, backgroundOcr: false, folderRoots: [folderRoot] });
    caller = await connectCaller(host);
  });

  afterEach(async () => {
    caller.close();
    await host.close();
  });

  it('refuses to import a path the page did not upload, and stores nothing', async () => {
    const file = await writeJpeg(tempDir('slipvault-files-'), 'slip.jpg');
    const head = host.archive.audit.head();
    for (const path of ['/etc/passwd', file]) {
      const answer = await caller.call('documents:import', { paths: [path] });
      expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { path } } });
      expect(answer.error?.message).toContain(`${path} was not chosen by the user`);
    }
    expect(host.archive.status().documents).toBe(0);
    expect(host.archive.audit.head()).toEqual(head);

    const uploaded = await upload(host, 'slip.jpg', readFileSync(file));
    expect(await caller.call('documents:import', { paths: [uploaded.path] })).toMatchObject({ ok: true });
    expect(host.archive.status().documents).toBe(1);
  });

  it('lets the page use folders under --folder-root only', async () => {
    const target = join(folderRoot, 'backups');
    mkdirSync(target);
    expect(await caller.call('backup:list', { target })).toEqual({ ok: true, value: [] });
    const outside = tempDir('slipvault-outside-');
    expect(await caller.call('backup:list', { target: outside })).toMatchObject({ ok: false, error: { details: { path: outside } } });
    expect(await caller.call('backup:create', { target: '/', passphrase: 'lantern copper 47 river' })).toMatchObject({ ok: false });
    expect(await caller.call('backup:restore', { target, into: join(outside, 'restored'), passphrase: 'x' })).toMatchObject({
      ok: false,
      error: { details: { path: join(outside, 'restored') } },
    });
    expect(await caller.call('hotFolder:watch', { path: outside })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await caller.call('settings:update', { changes: { hotFolderPath: outside } })).toMatchObject({ ok: false });
    expect(host.archive.settings.get().hotFolderPath).toBeNull();
  });

  it('lets no folder through when started without --folder-root', async () => {
    const bare = await startPreviewHost({ archiveDir: join(tempDir(), 'archive'), rendererRoot: tempDir('slipvault-renderer-'), backgroundOcr: false });
    const bareCaller = await connectCaller(bare);
    try {
      const answer = await bareCaller.call('backup:list', { target: folderRoot });
      expect(answer.error?.message).toMatch(/in the browser preview: a folder under one given with --folder-root/);
    } finally {
      bareCaller.close();
      await bare.close();
    }
  });
});
