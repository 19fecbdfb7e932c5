/**
 * The preview host over a real archive and real sockets: token, Origin and Host checks; contract calls and
 * events round-trip over the WebSocket; blobs and uploads over HTTP.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { readLockHolder } from '../../src/main/core/lock';
import { connectToOwner, isServing } from '../../src/main/owner/client';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { ensureUser, TEST_PASSWORD } from '../helpers/sessions';
import { http as httpTo } from '../helpers/preview-client';

let host: PreviewHost;
let archiveDir: string;

beforeEach(async () => {
  const renderer = tempDir('slipvault-renderer-');
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>SlipVault</title>');
  writeFileSync(join(renderer, 'app.js'), 'console.log(1)');
  archiveDir = join(tempDir(), 'new-archive');
  // The transport itself is under test here; background OCR has its own test (background-ocr.test.ts).
  host = await startPreviewHost({ archiveDir, rendererRoot: renderer, actor: 'clerk-wang', backgroundOcr: false });
});

afterEach(async () => {
  await host.close();
});

const http = (path: string, options: Parameters<typeof httpTo>[2] = {}) => httpTo(host, path, options);

/** Opens a socket; resolves with it when open, rejects with the HTTP status when refused. */
function openSocket(token: string, origin: string | undefined): Promise<WebSocket> {
  return new Promise((resolveSocket, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${encodeURIComponent(token)}`, { origin });
    ws.once('open', () => resolveSocket(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function rpc(ws: WebSocket) {
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  const events: unknown[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { kind: string; id?: number; result?: unknown };
    if (message.kind === 'result' && typeof message.id === 'number') pending.get(message.id)?.(message.result);
    if (message.kind === 'event') events.push(message);
  });
  const client = {
    events,
    call(method: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
      const id = next++;
      return new Promise((done) => {
        pending.set(id, done as (result: unknown) => void);
        ws.send(JSON.stringify({ id, method, input }));
      });
    },
    /** Logs this socket in as the host's clerk (each socket is its own session). */
    async login() {
      await ensureUser(host.archive, 'clerk-wang', 'admin');
      expect(await client.call('auth:login', { username: 'clerk-wang', password: TEST_PASSWORD })).toMatchObject({ ok: true });
      return client;
    },
  };
  return client;
}

describe('preview host', () => {
  it('creates the archive folder and serves the renderer, refusing paths outside it', async () => {
    expect(existsSync(join(archiveDir, 'slipvault.db'))).toBe(true);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    const index = await http('/');
    expect(index.status).toBe(200);
    expect(index.type).toContain('text/html');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/.hidden.js', '/app.exe', '/nope.js']) {
      expect((await http(path)).status, path).toBe(404);
    }
    expect((await http('/', { headers: { Host: 'evil.example:80' } })).status).toBe(421);
  });

  it('refuses a WebSocket with a wrong token, a wrong Origin, or no Origin', async () => {
    await expect(openSocket('not-the-token', host.origin)).rejects.toThrow('refused 403');
    await expect(openSocket(host.token.slice(1), host.origin)).rejects.toThrow('refused 403');
    await expect(openSocket(host.token, 'http://evil.example')).rejects.toThrow('refused 403');
    await expect(openSocket(host.token, `http://localhost:${host.port}`)).rejects.toThrow('refused 403');
    await expect(openSocket(host.token, undefined)).rejects.toThrow('refused 403');
  });

  it('round-trips contract calls and events against the real archive, and serves its blobs with the token only', async () => {
    const ws = await openSocket(host.token, host.origin);
    const client = rpc(ws);
    // Nothing answers a socket that has not logged in, and it hears no events.
    expect(await client.call('archive:status', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await client.login();
    const status = await client.call('archive:status', {});
    expect(status).toMatchObject({ ok: true, value: { documents: 0, actor: 'clerk-wang' } });

    const bad = await client.call('documents:edit', { ref: 'SV-1', changes: {} });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const unknown = await client.call('documents:shred', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const file = await writeJpeg(tempDir('slipvault-files-'), 'slip.jpg');
    const uploaded = await http(`/upload?token=${host.token}&name=slip.jpg`, { method: 'POST', headers: { Origin: host.origin }, body: readFileSync(file) });
    const { path } = JSON.parse(uploaded.body.toString()) as { path: string };
    const imported = (await client.call('documents:import', { paths: [path] })) as {
      ok: true;
      value: { imported: { document: { id: number } }[] };
    };
    const id = imported.value.imported[0]!.document.id;
    const edited = await client.call('documents:edit', { ref: id, changes: { customer: '上海华东物流' } });
    expect(edited).toMatchObject({ ok: true, value: { customer: '上海华东物流', currentVersion: 2 } });
    expect(client.events).toContainEqual(expect.objectContaining({ kind: 'event', event: 'documents:changed' }));

    const detail = (await client.call('documents:get', { ref: id })) as { value: { pages: { blobHash: string }[] } };
    const hash = detail.value.pages[0]!.blobHash;
    expect((await http(`/blob/${hash}`)).status).toBe(403);
    expect((await http(`/blob/${hash}?token=wrong`)).status).toBe(403);
    const blob = await http(`/blob/${hash}?token=${host.token}`);
    expect(blob.status).toBe(200);
    expect(blob.type).toBe('image/jpeg');
    expect(blob.body.equals(readFileSync(file))).toBe(true);
    expect((await http(`/blob/${'0'.repeat(64)}?token=${host.token}`)).status).toBe(404);
    ws.close();
  });

  it('accepts uploads only with the token and our Origin, then imports them by path', async () => {
    const bytes = readFileSync(await writeJpeg(tempDir('slipvault-files-'), 'x.jpg'));
    const upload = (headers: Record<string, string>, token = host.token) =>
      http(`/upload?token=${token}&name=${encodeURIComponent('../../送货单 7.jpg')}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream', ...headers },
        body: bytes,
      });
    expect((await upload({ Origin: host.origin }, 'wrong')).status).toBe(403);
    expect((await upload({ Origin: 'http://evil.example' })).status).toBe(403);
    expect((await upload({})).status).toBe(403);
    expect((await http(`/upload?token=${host.token}`)).status).toBe(405);

    const ok = await upload({ Origin: host.origin });
    expect(ok.status).toBe(200);
    const { path } = JSON.parse(ok.body.toString()) as { path: string };
    expect(path.endsWith('送货单 7.jpg')).toBe(true);
    expect(path).not.toContain('..');

    const ws = await openSocket(host.token, host.origin);
    const result = (await (await rpc(ws).login()).call('documents:import', { paths: [path] })) as {
      value: { imported: { document: { title: string } }[]; failed: unknown[] };
    };
    expect(result.value.failed).toEqual([]);
    expect(result.value.imported).toHaveLength(1);
    ws.close();
  });

  it('removes its uploads and releases the archive on close', async () => {
    const bytes = readFileSync(await writeJpeg(tempDir('slipvault-files-'), 'y.jpg'));
    const answer = await http(`/upload?token=${host.token}&name=y.jpg`, {
      method: 'POST',
      headers: { Origin: host.origin },
      body: bytes,
    });
    const { path } = JSON.parse(answer.body.toString()) as { path: string };
    expect(existsSync(path)).toBe(true);
    await host.close();
    expect(existsSync(path)).toBe(false);
    // The writer lock is released: the same folder opens again.
    const renderer = tempDir('slipvault-renderer-');
    mkdirSync(renderer, { recursive: true });
    host = await startPreviewHost({ archiveDir, rendererRoot: renderer });
    expect(host.archive.status().documents).toBe(0);
  });
});

describe('preview host as the archive owner', () => {
  it('serves the archive to other programs on the owner socket while it runs', async () => {
    await ensureUser(host.archive, 'clerk-wang', 'clerk');
    const holder = readLockHolder(host.archive.dir);
    expect(holder).toMatchObject({ pid: process.pid, program: 'SlipVault preview' });
    if (!isServing(holder)) throw new Error('the preview does not serve its archive');
    const other = await connectToOwner(host.archive.dir, holder);
    expect(await other.invoke('auth:login', { username: 'clerk-wang', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    expect(await other.invoke('documents:list', {})).toMatchObject({ ok: true, value: { items: [] } });
    other.close();
    await host.close();
    expect(existsSync(holder.socket)).toBe(false);
  });
});
