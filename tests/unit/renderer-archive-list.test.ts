/**
 * The Archive screen's list (src/renderer/screens/archive-pages.ts) over a real core and client: it fetches
 * only the pages in view, and a changed document reloads the page holding it and the pages in view — not
 * the list — keeping the other loaded pages unless rows moved.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/search-corpus';
import { loadCorpus } from '../../bench/search-fixture';
import type { ApiClient } from '../../src/main/core/api';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { gatherDocumentChanges } from '../../src/renderer/document-changes';
import { ARCHIVE_PAGE_SIZE, ArchivePages, DEFAULT_SORT } from '../../src/renderer/screens/archive-pages';
import { createClient } from '../../src/shared/client';
import type { InputOf, SlipVaultClient } from '../../src/shared/contract';
import { callOk } from '../helpers/api-calls';
import { tempDir } from '../helpers/fixtures';
import { adminClient } from '../helpers/sessions';

let archive: Archive;
let api: ApiClient;
/** The documents:list inputs the page's client sent, in order. */
const listCalls: InputOf<'documents:list'>[] = [];
let client: SlipVaultClient;

beforeAll(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-wu' });
  loadCorpus(archive.connection.sqlite, generateCorpus(1000));
  api = await adminClient(archive);
  client = createClient(
    (method, input) => {
      if (method === 'documents:list') listCalls.push(input as InputOf<'documents:list'>);
      return api.invoke(method, input);
    },
    (event, listener) => archive.events.subscribe((name, payload) => String(name) === event && listener(payload as never)),
  );
});

afterAll(() => archive.close());

/** What each test's lists listen to, stopped after the test whatever its outcome. */
const listening: (() => void)[] = [];
afterEach(() => listening.splice(0).forEach((stop) => stop()));

/** A list as the screen keeps it, following documents:changed as the screen does. */
function screenList() {
  let updates = 0;
  const errors: unknown[] = [];
  const list = new ArchivePages({ client, filter: 'active', sort: DEFAULT_SORT, onUpdate: () => (updates += 1), onError: (reason) => errors.push(reason) });
  const refreshes: Promise<void>[] = [];
  listening.push(gatherDocumentChanges(client, (ids) => refreshes.push(list.refresh(ids))));
  const settled = async (count: number) => {
    await expect.poll(() => refreshes.length, { timeout: 5000 }).toBe(count);
    await Promise.all(refreshes);
  };
  return { list, errors, settled, updates: () => updates };
}

const offsets = (calls: InputOf<'documents:list'>[]) => calls.map((call) => call.offset).sort((a, b) => a! - b!);

describe('the archive list', () => {
  it('fetches only the pages of the rows in view', async () => {
    const { list } = screenList();
    listCalls.length = 0;
    await list.show(0, 30);
    const active = await callOk(api, 'documents:list', { limit: 1 });
    expect(list.total).toBe(active.total);
    expect(list.loadedRows).toBe(ARCHIVE_PAGE_SIZE);
    expect(list.rowAt(0)!.id).toBe(active.items[0]!.id);
    expect(list.rowAt(ARCHIVE_PAGE_SIZE)).toBeUndefined();

    await list.show(450, 480);
    await list.show(455, 485); // already loaded: no call
    expect(offsets(listCalls)).toEqual([0, 400]);
    expect(list.loadedRows).toBe(2 * ARCHIVE_PAGE_SIZE);
  });

  it('updates a changed document in place: its page and the pages in view are read again, nothing else', async () => {
    const { list, settled, updates } = screenList();
    await list.show(0, 490);
    await list.show(450, 480);
    const edited = list.rowAt(5)!;
    const farRow = list.rowAt(250)!;
    const updatesBefore = updates();
    listCalls.length = 0;

    await callOk(api, 'documents:edit', { ref: edited.id, changes: { customer: '新客户有限公司' } });
    await settled(1);

    expect(offsets(listCalls)).toEqual([0, 400]);
    expect(updates()).toBe(updatesBefore + 1);
    expect(list.rowAt(5)).toMatchObject({ id: edited.id, customer: '新客户有限公司', currentVersion: edited.currentVersion + 1 });
    // No row moved, so the pages not read again stay as they were.
    expect(list.loadedRows).toBe(5 * ARCHIVE_PAGE_SIZE);
    expect(list.rowAt(250)).toBe(farRow);
  });

  it('follows the counts when a document leaves the filter: the pages in view are read again, the rest forgotten', async () => {
    const { list, settled } = screenList();
    await list.show(0, 290);
    await list.show(0, 30);
    const total = list.total!;
    const voided = list.rowAt(120)!;
    const next = list.rowAt(121)!;
    listCalls.length = 0;

    await callOk(api, 'documents:void', { ref: voided.id, reason: 'scanned twice' });
    await settled(1);

    expect(offsets(listCalls)).toEqual([0, 100]);
    expect(list.total).toBe(total - 1);
    expect(list.rowAt(120)!.id).toBe(next.id);
    expect(list.rowAt(250)).toBeUndefined();
    expect(list.loadedRows).toBe(2 * ARCHIVE_PAGE_SIZE);
  });

  it('gathers a burst of changes into one refresh', async () => {
    const { list, settled, errors } = screenList();
    await list.show(0, 30);
    const ids = [1, 2, 3].map((index) => list.rowAt(index)!.id);
    const delivered: ReadonlySet<number>[] = [];
    listening.push(gatherDocumentChanges(client, (changed) => delivered.push(changed)));
    listCalls.length = 0;

    for (const id of ids) await callOk(api, 'documents:edit', { ref: id, changes: { notes: 'checked' } });
    await settled(1);

    expect(delivered).toEqual([new Set(ids)]);
    expect(offsets(listCalls)).toEqual([0]);
    expect(errors).toEqual([]);
  });
});
