/**
 * The generic transport, the contract client and the page protocol over a real archive (no Electron):
 * the same path an IPC call takes after the sender check, and the same blob lookup the shell uses.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClientFromBridge, createEventHub, type SlipVaultBridge } from '../../src/shared/client';
import type { SlipVaultClient } from '../../src/shared/contract';
import { SlipVaultError } from '../../src/shared/errors';
import { adminClient } from '../helpers/sessions';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { createEventFanout, handleCallBody, type EventFanout } from '../../src/main/host/transport';
import { servePageRequest } from '../../src/main/shell/protocols';
import { tempDir, writeJpeg } from '../helpers/fixtures';

let archive: Archive;
let fanout: EventFanout;
let client: SlipVaultClient;

beforeEach(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
  const api = await adminClient(archive, 'clerk-li');
  fanout = createEventFanout();
  fanout.attach(archive.events);
  // What the preload does, minus Electron: structured-clone the body, answer with plain data.
  const hub = createEventHub();
  fanout.addSink((message) => hub.dispatch(structuredClone(message)));
  const bridge: SlipVaultBridge = {
    invoke: async (method, input) => structuredClone(await handleCallBody(api, structuredClone({ method, input }))),
    on: (event, listener) => hub.on(event, listener),
  };
  client = createClientFromBridge(bridge);
});

afterEach(() => {
  fanout.close();
  archive.close();
});

describe('transport over a real archive', () => {
  it('answers status, list, get and history, and delivers documents:changed', async () => {
    const status = await client.call('archive:status', {});
    expect(status).toMatchObject({ documents: 0, actor: 'clerk-li' });

    const changes: unknown[] = [];
    client.on('documents:changed', (payload) => changes.push(payload));
    const file = await writeJpeg(tempDir('slipvault-files-'), 'slip.jpg');
    const imported = await client.call('documents:import', { paths: [file] });
    expect(imported.failed).toEqual([]);
    const doc = imported.imported[0]!.document;

    const list = await client.call('documents:list', {});
    expect(list.items.map((item) => item.archiveNo)).toEqual([doc.archiveNo]);
    const detail = await client.call('documents:get', { ref: doc.archiveNo });
    expect(detail.pages).toHaveLength(1);
    const history = await client.call('documents:history', { ref: doc.id });
    expect(history.length).toBeGreaterThanOrEqual(1);

    await client.call('documents:edit', { ref: doc.id, changes: { title: 'Delivery slip 42' } });
    expect(changes).toContainEqual(expect.objectContaining({ documentId: doc.id, archiveNo: doc.archiveNo }));

    // The page protocol serves exactly this archive's blob, sniffed as JPEG.
    const page = detail.pages[0]!;
    const response = await servePageRequest(`slipvault-page://blob/${page.blobHash}`, archive.blobs);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
    expect((await servePageRequest(`slipvault-page://blob/${'0'.repeat(64)}`, archive.blobs)).status).toBe(404);
  });

  it('surfaces core errors as rejections carrying the contract error code', async () => {
    const missing = await client.call('documents:get', { ref: 'SV-2026-999999' }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(SlipVaultError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });

    const invalid = await client.call('documents:list', { limit: 5000 } as never).catch((error: unknown) => error);
    expect(invalid).toMatchObject({ code: 'VALIDATION' });
  });
});
