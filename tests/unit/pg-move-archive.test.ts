/**
 * Moving a local archive onto PostgreSQL: real documents (imported, edited, voided through the contract) are
 * copied with their versions, audit chain and files, and both sides verify; a copy into a database that
 * already holds an archive is refused without changing it; a tampered audit chain on the server is found.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import { initArchive, type Archive } from '../../src/main/core/archive';
import type { ApiClient } from '../../src/main/core/api';
import { moveArchiveToPg } from '../../src/main/core/db/pg/migrate-archive';
import { verifyPgAuditChain } from '../../src/main/core/db/pg/verify-chain';
import { PgSearchIndex } from '../../src/main/core/search/pg-search-index';
import { BlobStore } from '../../src/main/core/store/blobs';
import { tempDir, writeJpeg, writePdf } from '../helpers/fixtures';
import { adminClient } from '../helpers/sessions';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';

const pgDatabases = useSharedPgDatabases();
let archive: Archive;
let api: ApiClient;
const pools: pg.Pool[] = [];

async function ok<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const result = await api.invoke(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value as OutputOf<M>;
}

async function freshPool(): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: await pgDatabases.create(), max: 2 });
  pools.push(pool);
  return pool;
}

beforeAll(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { actor: 'li.na' });
  api = await adminClient(archive, 'li.na');
  const files = tempDir('slipvault-files-');
  const imported = await ok('documents:import', { paths: [await writeJpeg(files, 'slip.jpg'), writePdf(files, 'contract.pdf', 2)] });
  const [slip, contract] = imported.imported.map((entry) => entry.document);
  await ok('documents:edit', { ref: slip!.archiveNo, changes: { title: '华南贸易 送货单 签收', notes: '货物已签收 pallet' }, reason: 'from the slip' });
  await ok('documents:void', { ref: contract!.archiveNo, reason: 'scanned twice' });
}, 180_000);

afterAll(async () => {
  for (const pool of pools) await pool.end();
  archive?.close();
});

describe('moving an archive onto PostgreSQL', () => {
  it('copies rows, versions, the audit chain and files, and verifies both sides', async () => {
    const pool = await freshPool();
    const filesDir = tempDir('slipvault-server-files-');
    const move = await moveArchiveToPg(archive, pool, filesDir);
    expect(move.problems).toEqual([]);
    expect(move.rows.documents).toBe(2);
    expect(move.rows.document_versions).toBeGreaterThanOrEqual(4);
    expect(move.files).toBe(archive.blobs.list().length);
    expect(move.auditEvents).toBe(archive.audit.head().seq);
    expect(move.auditHead).toBe(archive.audit.head().hash);
    // The move is in the chain on both sides.
    const last = await pool.query<{ action: string }>('SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1');
    expect(last.rows[0]!.action).toBe('archive.migrate');
    // Versions keep their snapshots byte for byte, files their bytes.
    const snapshots = archive.connection.sqlite.prepare('SELECT id, snapshot FROM document_versions ORDER BY id').all();
    expect((await pool.query('SELECT id, snapshot FROM document_versions ORDER BY id')).rows).toEqual(snapshots);
    const server = new BlobStore(filesDir);
    for (const hash of archive.blobs.list()) expect(await server.verify(hash)).toBe('ok');
    // The index is built: the edited text is found, the voided document only when asked for.
    const search = new PgSearchIndex(pool);
    expect(await search.matchingIds('签收 pallet')).toEqual([1]);
    expect(await search.matchingIds('status:voided')).toEqual([2]);
  });

  it('refuses a database that already holds an archive, and changes nothing there', async () => {
    const pool = await freshPool();
    await moveArchiveToPg(archive, pool, tempDir('slipvault-server-files-'));
    const eventsBefore = (await pool.query('SELECT seq, hash FROM audit_events ORDER BY seq')).rows;
    const documentsBefore = (await pool.query('SELECT * FROM documents ORDER BY id')).rows;
    const moves = () => archive.connection.sqlite.prepare("SELECT count(*) FROM audit_events WHERE action = 'archive.migrate'").pluck().get();
    const movesBefore = moves();
    await expect(moveArchiveToPg(archive, pool, tempDir('slipvault-server-files-'))).rejects.toMatchObject({ code: 'ARCHIVE_EXISTS' });
    expect((await pool.query('SELECT seq, hash FROM audit_events ORDER BY seq')).rows).toEqual(eventsBefore);
    expect((await pool.query('SELECT * FROM documents ORDER BY id')).rows).toEqual(documentsBefore);
    // A refused move is not recorded in the archive as a move.
    expect(moves()).toBe(movesBefore);
  });

  it('finds an audit event changed on the server', async () => {
    const pool = await freshPool();
    await moveArchiveToPg(archive, pool, tempDir('slipvault-server-files-'));
    const client = await pool.connect();
    try {
      // Someone with the database password, bypassing the append-only trigger.
      await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update');
      await client.query(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 3`);
      const report = await verifyPgAuditChain(client);
      expect(report.firstBroken).toEqual({ seq: 3, message: 'event 3 was changed' });
    } finally {
      client.release();
    }
  });
});
