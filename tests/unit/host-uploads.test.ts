/**
 * The preview host's uploads: a quota on what waits to be imported (413 with the reason, and room again
 * once an import used some), each upload removed once the call that used it has finished — import or
 * pages:add, success or failure — and unused ones swept after their time (then no longer importable).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { UploadStore, type UploadLimits } from '../../src/main/core/uploads/upload-store';
import { connectCaller, upload, type PreviewCaller } from '../helpers/preview-client';
import { tempDir, writeJpeg } from '../helpers/fixtures';

let host: PreviewHost | undefined;
let caller: PreviewCaller | undefined;

afterEach(async () => {
  caller?.close();
  await host?.close();
  host = caller = undefined;
});

async function start(uploadLimits: UploadLimits): Promise<{ host: PreviewHost; caller: PreviewCaller }> {
  host = await startPreviewHost({ archiveDir: join(tempDir(), 'archive'), rendererRoot: tempDir('slipvault-renderer-'), backgroundOcr: false, uploadLimits });
  caller = await connectCaller(host);
  return { host, caller };
}

const jpegBytes = async (name: string) => readFileSync(await writeJpeg(tempDir('slipvault-files-'), name));

describe('preview uploads', () => {
  it('refuses an upload past the quota of waiting uploads with 413, and takes it once an import made room', async () => {
    const slips = await Promise.all(['a.jpg', 'b.jpg', 'c.jpg'].map(jpegBytes));
    const biggest = Math.max(...slips.map((bytes) => bytes.length));
    const { host, caller } = await start({ maxPendingBytes: 2 * biggest });

    const first = await upload(host, 'a.jpg', slips[0]!);
    expect((await upload(host, 'b.jpg', slips[1]!)).status).toBe(200);
    const refused = await upload(host, 'c.jpg', slips[2]!);
    expect(refused.status).toBe(413);
    expect(refused.body.toString()).toMatch(/^Uploads waiting to be imported already take \d+ MiB of the \d+ MiB allowed; import them first/);

    expect(await caller.call('documents:import', { paths: [first.path] })).toMatchObject({ ok: true });
    expect((await upload(host, 'c.jpg', slips[2]!)).status).toBe(200);
  });

  it('refuses a single file over the per-file cap with 413', async () => {
    const { host } = await start({ maxFileBytes: 1000 });
    const answer = await upload(host, 'big.jpg', Buffer.alloc(1001));
    expect(answer.status).toBe(413);
    expect(answer.body.toString()).toMatch(/A file can be at most 1 MiB; this upload is larger/);
    expect((await upload(host, 'small.jpg', Buffer.alloc(1000))).status).toBe(200);
  });

  it('removes an upload once the import that used it has finished, whether it succeeded or failed', async () => {
    const { host, caller } = await start({});
    const good = await upload(host, 'slip.jpg', await jpegBytes('slip.jpg'));
    const bad = await upload(host, 'broken.jpg', Buffer.from('not a jpeg at all'));
    expect(existsSync(good.path!) && existsSync(bad.path!)).toBe(true);

    const imported = (await caller.call('documents:import', { paths: [good.path, bad.path] })) as {
      ok: true;
      value: { imported: unknown[]; failed: unknown[] };
    };
    expect(imported.value.imported).toHaveLength(1);
    expect(imported.value.failed).toHaveLength(1);
    expect(existsSync(good.path!)).toBe(false);
    expect(existsSync(bad.path!)).toBe(false);
    // Used up: the path is no longer one the page may name.
    expect(await caller.call('documents:import', { paths: [good.path] })).toMatchObject({ ok: false, error: { details: { reason: 'path-not-chosen' } } });
  });

  it('removes an upload that pages:add used, and one whose pages:add failed', async () => {
    const { host, caller } = await start({});
    const first = await upload(host, 'first.jpg', await jpegBytes('first.jpg'));
    const imported = (await caller.call('documents:import', { paths: [first.path] })) as { value: { imported: { document: { id: number } }[] } };
    const ref = imported.value.imported[0]!.document.id;

    const page = await upload(host, 'page.jpg', await jpegBytes('page.jpg'));
    expect(await caller.call('pages:add', { ref, paths: [page.path] })).toMatchObject({ ok: true });
    expect(existsSync(page.path!)).toBe(false);

    const broken = await upload(host, 'broken.png', Buffer.from('no image here'));
    expect(await caller.call('pages:add', { ref, paths: [broken.path] })).toMatchObject({ ok: false });
    expect(existsSync(broken.path!)).toBe(false);
  });

  it('sweeps uploads nobody imported once they are older than the limit', async () => {
    const { host, caller } = await start({ maxAgeMs: 300 });
    const unused = await upload(host, 'unused.jpg', await jpegBytes('unused.jpg'));
    expect(existsSync(unused.path!)).toBe(true);
    await expect.poll(() => existsSync(unused.path!), { timeout: 10_000, interval: 100 }).toBe(false);
    expect(await caller.call('documents:import', { paths: [unused.path] })).toMatchObject({ ok: false, error: { details: { reason: 'path-not-chosen' } } });
  });
});

describe('UploadStore', () => {
  it('sweeps by age, never an upload a call is using, and frees its quota', async () => {
    const removed: string[] = [];
    const store = await UploadStore.create({ maxAgeMs: 60_000 }, (path) => removed.push(path));
    try {
      const kept = await store.receive(Readable.from([Buffer.from('kept')]), 'kept.jpg', 4);
      const stale = await store.receive(Readable.from([Buffer.from('stale!')]), 'stale.jpg', null);
      expect(store.pendingBytes).toBe(10);
      expect(await store.sweep(Date.now())).toEqual([]);

      let swept: string[] = [];
      await store.use([kept.path], async () => {
        swept = await store.sweep(Date.now() + 61_000);
      });
      expect(swept).toEqual([stale.path]);
      expect(removed.sort()).toEqual([kept.path, stale.path].sort());
      expect(existsSync(kept.path) || existsSync(stale.path)).toBe(false);
      expect(store.pendingBytes).toBe(0);
    } finally {
      await store.close();
    }
    expect(existsSync(store.dir)).toBe(false);
  });
});
