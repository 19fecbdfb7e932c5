/**
 * Opening an archive on PostgreSQL (core/archive.ts openArchiveOnPostgres / initArchiveOnPostgres): the rows
 * in the database, the files in a folder, and each way it is refused — with the password never in a message.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { initArchiveOnPostgres, openArchiveOnPostgres } from '../../src/main/core/archive';
import { PgSyncDatabase } from '../../src/main/core/db/pg-sync/pg-sync-database';
import { PgSearchIndex } from '../../src/main/core/search/pg-search-index';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { adminClient } from '../helpers/sessions';
import type { ImportResult } from '../../src/shared/model';

const pgDatabases = useSharedPgDatabases();

async function refusal(work: () => Promise<unknown>) {
  try {
    await work();
  } catch (error) {
    return error as { code: string; message: string; messageKey?: string };
  }
  throw new Error('expected a refusal');
}

describe('an archive on PostgreSQL', () => {
  it('keeps its rows in the database and its files in the folder, and opens again with both', async () => {
    const url = await pgDatabases.create();
    const folder = join(tempDir(), 'files');
    const archive = await initArchiveOnPostgres(folder, url, { actor: 'clerk-li' });
    const api = await adminClient(archive, 'clerk-li');
    const imported = await api.invoke('documents:import', { paths: [await writeJpeg(tempDir(), 'slip.jpg')] });
    expect(imported.ok).toBe(true);
    const status = archive.status();
    archive.close();
    expect(existsSync(join(folder, 'slipvault.db'))).toBe(false);
    expect(readdirSync(join(folder, 'blobs')).length).toBeGreaterThan(0);

    const reopened = await openArchiveOnPostgres(folder, url, { actor: 'clerk-li' });
    try {
      expect(reopened.status()).toMatchObject({ archiveId: status.archiveId, documents: 1, auditHead: status.auditHead, schemaVersion: status.schemaVersion });
      expect((await reopened.check()).ok).toBe(true);
    } finally {
      reopened.close();
    }
  });

  it('indexes each written document in its transaction with the rows PgSearchIndex writes, and searches through it', async () => {
    const url = await pgDatabases.create();
    const archive = await initArchiveOnPostgres(join(tempDir(), 'files'), url, { actor: 'clerk-li' });
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const api = await adminClient(archive, 'clerk-li');
      const imported = await api.invoke('documents:import', { paths: [await writeJpeg(tempDir(), '送货单.jpg')] });
      if (!imported.ok) throw new Error(imported.error.message);
      const document = (imported.value as ImportResult).imported[0]!.document;
      const edited = await api.invoke('documents:edit', { ref: document.id, changes: { customer: '华南贸易', slipNo: 'DN-2026-0417', tags: ['加急'] } });
      expect(edited.ok).toBe(true);
      const search = new PgSearchIndex(pool);
      const indexRow = 'SELECT everything::text, customer::text, slip::text, tags::text, type_code, status FROM search_index WHERE document_id = $1';
      const written = (await pool.query(indexRow, [document.id])).rows;
      expect(written).toHaveLength(1);
      // The same document indexed by PgSearchIndex itself gives the same row.
      const client = await pool.connect();
      try {
        await search.indexDocuments(client, [document.id]);
      } finally {
        client.release();
      }
      expect((await pool.query(indexRow, [document.id])).rows).toEqual(written);
      for (const query of ['customer:华南', 'slip:DN-2026-0417', 'tag:加急', '送货']) {
        expect(
          (await search.search({ query, limit: 10, offset: 0, facets: false })).hits.map((hit) => hit.document.id),
          query,
        ).toEqual([document.id]);
      }
      // Through the contract the archive answers from the same index, on a pool of its own, and audits the search.
      for (const query of ['customer:华南', '送货']) {
        const answered = await api.invoke('search:query', { query });
        expect(answered, query).toMatchObject({ ok: true, value: { total: 1, hits: [{ document: { id: document.id } }] } });
      }
      expect(await api.invoke('search:query', { query: 'customer:北京' })).toMatchObject({ ok: true, value: { total: 0, hits: [] } });
      expect(await api.invoke('search:facets', { query: '华南' })).toMatchObject({ ok: true, value: { total: 1 } });
      // Suggestions read the archive's own tables through the synchronous connection.
      const suggested = await api.invoke('search:suggest', { prefix: '华南', limit: 5 });
      expect(suggested).toMatchObject({ ok: true, value: [{ kind: 'customer', label: '华南贸易' }] });
      const searches = archive.audit.list(0, 10_000).filter((event) => event.action === 'search.query');
      expect(searches.map((event) => event.details.query)).toEqual(['customer:华南', '送货', 'customer:北京']);
      // The synchronous entry point is refused by name, never answered from SQLite's tables (there are none).
      expect(() => archive.search.search({ query: '华南', limit: 10, offset: 0, facets: false })).toThrow(
        expect.objectContaining({ messageKey: 'postgres.searchNotHere' }),
      );
    } finally {
      await pool.end();
      archive.close();
    }
  });

  it('is not created twice in one database, nor opened from a database without one or without its files folder', async () => {
    const url = await pgDatabases.create();
    const empty = await refusal(() => openArchiveOnPostgres(tempDir(), url));
    expect(empty).toMatchObject({ code: 'NOT_AN_ARCHIVE', messageKey: 'postgres.noArchive' });
    // Refused before anything was written: the empty database stays empty.
    const probe = new PgSyncDatabase(url, 'probe');
    expect(probe.prepare("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").pluck().get()).toBe(0);
    probe.close();
    (await initArchiveOnPostgres(join(tempDir(), 'files'), url)).close();
    const noFolder = await refusal(() => openArchiveOnPostgres(join(tempDir(), 'files'), url));
    expect(noFolder).toMatchObject({ code: 'NOT_AN_ARCHIVE', messageKey: 'postgres.filesFolderMissing' });
    const again = await refusal(() => initArchiveOnPostgres(join(tempDir(), 'other-files'), url));
    expect(again).toMatchObject({ code: 'ARCHIVE_EXISTS', messageKey: 'postgres.holdsArchive' });
  });

  it('names an unreachable server, a refused login and a missing database, never the password', async () => {
    const url = new URL(await pgDatabases.create());
    const folder = join(tempDir(), 'files');

    const wrongPassword = new URL(url);
    wrongPassword.password = 'not-the-password';
    const refused = await refusal(() => openArchiveOnPostgres(folder, wrongPassword.toString()));
    expect(refused).toMatchObject({ code: 'UNAUTHENTICATED', messageKey: 'postgres.openLoginRefused' });
    expect(refused.message).not.toContain('not-the-password');

    const missing = new URL(url);
    missing.pathname = '/no_such_database';
    expect(await refusal(() => openArchiveOnPostgres(folder, missing.toString()))).toMatchObject({
      code: 'NOT_AN_ARCHIVE',
      messageKey: 'postgres.openNoDatabase',
    });

    const nothingListening = new URL(url);
    nothingListening.port = '1';
    const unreachable = await refusal(() => openArchiveOnPostgres(folder, nothingListening.toString()));
    expect(unreachable).toMatchObject({ code: 'SERVER_UNREACHABLE', messageKey: 'postgres.openUnreachable' });
    expect(unreachable.message).not.toContain(url.password);

    expect(await refusal(() => openArchiveOnPostgres(folder, 'mysql://localhost/archive'))).toMatchObject({
      code: 'VALIDATION',
      messageKey: 'postgres.badUrl',
    });
    expect(existsSync(folder)).toBe(false);
  });
});
