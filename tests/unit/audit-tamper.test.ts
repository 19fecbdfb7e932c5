/**
 * The audit trail against someone who can write the database (the SQLite file, or the PostgreSQL database through a connection of their own) but holds no anchor key: on a real
 * archive with a 10,000-event log, each attack (edit, delete, insert, reorder, truncate, rewrite every event)
 * is made the strongest way — triggers dropped, seqs renumbered, every hash recomputed, so the chain is
 * consistent in itself — and `check` names the first event that differs; after a backup, verify-backup does too.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateIdentity, parseIdentityFile, parseRecipient } from '../../src/main/core/backup/age';
import { createBackup } from '../../src/main/core/backup/create';
import { CATALOG_FILE, listSets } from '../../src/main/core/backup/target';
import { verifyBackups } from '../../src/main/core/backup/verify';
import type { CheckProblem } from '../../src/shared/model';
import { BACK_ENDS, useBackEnd, type TestBackEnd } from '../helpers/back-ends';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { refusalFrom } from '../helpers/tamper';

const EVENTS = 10_000;
const ROWS_PER_INSERT = 500;

beforeEach(() => {
  process.env.SLIPVAULT_ANCHOR_DIR = tempDir('slipvault-anchors-');
});

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The attacker's own implementation of the published chain rule: sorted-key JSON, SHA-256(prev ‖ body). */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Drops audit_events' append-only triggers, in the back end's dialect. */
function dropTriggers(backEnd: TestBackEnd, raw: Database.Database, ...names: string[]): void {
  for (const name of names) raw.exec(backEnd.name === 'sqlite' ? `DROP TRIGGER ${name}` : `DROP TRIGGER ${name} ON audit_events`);
}

/**
 * Opens the database behind the archive's back, drops the append-only triggers, lets `edit` change the
 * list of events, then stores it renumbered 1…n with every hash recomputed.
 */
function rewriteLog(backEnd: TestBackEnd, dir: string, edit: (rows: Row[]) => Row[]): void {
  const raw = backEnd.rawAt(dir);
  try {
    dropTriggers(backEnd, raw, 'audit_events_no_update', 'audit_events_no_delete');
    const rows = edit(raw.prepare('SELECT * FROM audit_events ORDER BY seq').all() as Row[]);
    let prev = '0'.repeat(64);
    const stored = rows.map((row, index) => {
      const seq = index + 1;
      const body = canonical({
        seq,
        at: row.at,
        actor: row.actor,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        details: JSON.parse(row.details) as unknown,
      });
      const hash = createHash('sha256')
        .update(prev + body, 'utf8')
        .digest('hex');
      const values = [seq, row.at, row.actor, row.action, row.target_type, row.target_id, row.details, prev, hash];
      prev = hash;
      return values;
    });
    raw.transaction(() => {
      raw.exec('DELETE FROM audit_events');
      // Many rows per statement: on PostgreSQL each statement is a round trip to the server.
      for (let start = 0; start < stored.length; start += ROWS_PER_INSERT) {
        const chunk = stored.slice(start, start + ROWS_PER_INSERT);
        raw
          .prepare(
            `INSERT INTO audit_events (seq, at, actor, action, target_type, target_id, details, prev_hash, hash) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          )
          .run(...chunk.flat());
      }
    })();
  } finally {
    raw.close();
  }
}

/** Deletes the newest `count` events: nothing after them is left to break. */
function truncateLog(backEnd: TestBackEnd, dir: string, count: number): void {
  const raw = backEnd.rawAt(dir);
  try {
    dropTriggers(backEnd, raw, 'audit_events_no_delete');
    raw.prepare('DELETE FROM audit_events WHERE seq > (SELECT max(seq) FROM audit_events) - ?').run(count);
  } finally {
    raw.close();
  }
}

/** A real archive (one imported slip) whose log holds exactly 10,000 events, closed so its head is anchored. */
async function archiveWithLog(backEnd: TestBackEnd): Promise<{ dir: string; archiveNo: string }> {
  const dir = join(tempDir(), 'archive');
  const archive = await backEnd.init(dir, { actor: 'clerk-li', program: 'audit-tamper test' });
  try {
    const { archiveNo } = await archive.documents.importFile(await writeJpeg(tempDir('slipvault-files-'), '送货单.jpg', 64, 96));
    archive.connection.sqlite.transaction(() => {
      for (let n = archive.audit.head().seq; n < EVENTS; n += 1) {
        archive.audit.append({ action: 'document.read', targetType: 'document', targetId: archiveNo, details: { n } });
      }
    })();
    return { dir, archiveNo };
  } finally {
    archive.close();
  }
}

async function checkProblems(backEnd: TestBackEnd, dir: string): Promise<{ chain: CheckProblem[]; selfConsistent: boolean; head: number }> {
  const archive = await backEnd.open(dir, { actor: 'auditor' });
  try {
    const selfConsistent = archive.audit.verify().length === 0;
    const head = archive.audit.head().seq;
    const report = await archive.check();
    expect(report.problems.filter((problem) => problem.kind !== 'audit-chain')).toEqual([]);
    return { chain: report.problems.filter((problem) => problem.kind === 'audit-chain'), selfConsistent, head };
  } finally {
    archive.close();
  }
}

describe.each(BACK_ENDS)('tampering with a 10,000-event audit log, on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  it('an untouched log passes check, also after it was closed and opened again', async () => {
    const { dir } = await archiveWithLog(backEnd);
    const { chain, head } = await checkProblems(backEnd, dir);
    expect(head).toBe(EVENTS);
    expect(chain).toEqual([]);
    expect((await checkProblems(backEnd, dir)).chain).toEqual([]);
  });

  it('edit one event: check names it', async () => {
    const { dir, archiveNo } = await archiveWithLog(backEnd);
    rewriteLog(backEnd, dir, (rows) => rows.map((row) => (row.seq === 5_000 ? { ...row, details: JSON.stringify({ n: 'nothing to see' }) } : row)));
    const { chain, selfConsistent } = await checkProblems(backEnd, dir);
    expect(selfConsistent).toBe(true);
    expect(chain).toHaveLength(1);
    expect(chain[0]).toMatchObject({ auditSeq: 5_000, documents: [archiveNo] });
    expect(chain[0]!.message).toMatch(
      /^audit event 5,000 \(document\.read, SV-\d{4}-000001\) is not the event the anchor of \S+ \(close\) recorded at that position/,
    );
  });

  it('delete one event (later ones renumbered): check names the position', async () => {
    const { dir } = await archiveWithLog(backEnd);
    rewriteLog(backEnd, dir, (rows) => rows.filter((row) => row.seq !== 7_321));
    const { chain, selfConsistent } = await checkProblems(backEnd, dir);
    expect(selfConsistent).toBe(true);
    expect(chain.map((problem) => problem.auditSeq)).toEqual([7_321]);
  });

  it('delete one event and leave the gap: check names the missing seq', async () => {
    const { dir } = await archiveWithLog(backEnd);
    const raw = backEnd.rawAt(dir);
    dropTriggers(backEnd, raw, 'audit_events_no_delete');
    raw.prepare('DELETE FROM audit_events WHERE seq = ?').run(4_242);
    raw.close();
    const { chain } = await checkProblems(backEnd, dir);
    const anchored = chain.find((problem) => /anchor/.test(problem.message))!;
    expect(anchored.auditSeq).toBe(4_242);
    expect(anchored.message).toMatch(/^audit event 4,242 is missing, but the anchor of \S+ \(close\) records the chain up to 10,000/);
  });

  it('insert one event: check names where it went in', async () => {
    const { dir } = await archiveWithLog(backEnd);
    rewriteLog(backEnd, dir, (rows) => {
      const forged = { ...rows[2_999]!, action: 'document.void', details: JSON.stringify({ reason: 'backdated' }) };
      return [...rows.slice(0, 3_000), forged, ...rows.slice(3_000)];
    });
    const { chain, selfConsistent } = await checkProblems(backEnd, dir);
    expect(selfConsistent).toBe(true);
    expect(chain.map((problem) => problem.auditSeq)).toEqual([3_001]);
    expect(chain[0]!.message).toMatch(/^audit event 3,001 \(document\.void, /);
  });

  it('reorder two events: check names the first of them', async () => {
    const { dir } = await archiveWithLog(backEnd);
    rewriteLog(backEnd, dir, (rows) => {
      const swapped = [...rows];
      [swapped[3_999], swapped[5_999]] = [swapped[5_999]!, swapped[3_999]!];
      return swapped;
    });
    const { chain, selfConsistent } = await checkProblems(backEnd, dir);
    expect(selfConsistent).toBe(true);
    expect(chain.map((problem) => problem.auditSeq)).toEqual([4_000]);
  });

  it('truncate the newest 10 events: check says where the chain ends and what was recorded', async () => {
    const { dir } = await archiveWithLog(backEnd);
    truncateLog(backEnd, dir, 10);
    const { chain, selfConsistent, head } = await checkProblems(backEnd, dir);
    expect(selfConsistent).toBe(true);
    expect(head).toBe(EVENTS - 10);
    expect(chain).toHaveLength(1);
    expect(chain[0]!.auditSeq).toBe(EVENTS - 9);
    expect(chain[0]!.message).toMatch(/^the audit chain ends at 9,990, but the anchor of \S+ \(close\) records 10,000: the newest 10 events were removed/);
  });

  it('truncate, then let new events fill the gap: the first new event is named', async () => {
    const { dir } = await archiveWithLog(backEnd);
    truncateLog(backEnd, dir, 10);
    const archive = await backEnd.open(dir, { actor: 'clerk-li' });
    archive.connection.sqlite.transaction(() => {
      for (let n = 0; n < 20; n += 1) archive.audit.append({ action: 'archive.status', details: { n } });
    })();
    archive.close();
    const { chain } = await checkProblems(backEnd, dir);
    expect(chain.map((problem) => problem.auditSeq)).toEqual([EVENTS - 9]);
  });

  it('rewrite actor and details of every event and recompute the whole chain: check names event 1', async () => {
    const { dir } = await archiveWithLog(backEnd);
    rewriteLog(backEnd, dir, (rows) => rows.map((row) => ({ ...row, actor: 'manager', details: JSON.stringify({ rewritten: true }) })));
    const { chain, selfConsistent } = await checkProblems(backEnd, dir);
    expect(selfConsistent).toBe(true);
    expect(chain.map((problem) => problem.auditSeq)).toEqual([1]);
    expect(chain[0]!.message).toMatch(/^audit event 1 \(archive\.init\) is not the event the anchor of \S+ \(close\) recorded at that position/);
  });

  it('rewrite the whole chain under a new archive id: check names the archive the anchors belong to', async () => {
    const { dir } = await archiveWithLog(backEnd);
    const raw = backEnd.rawAt(dir);
    const archiveId = raw.prepare("SELECT value FROM archive_meta WHERE key = 'archive_id'").pluck().get() as string;
    raw.prepare("UPDATE archive_meta SET value = '00000000-0000-4000-8000-000000000000' WHERE key = 'archive_id'").run();
    raw.close();
    rewriteLog(backEnd, dir, (rows) => rows.map((row) => ({ ...row, actor: 'manager' })));
    // Opened and closed once more, the rewritten archive has anchors of its own by then.
    (await backEnd.open(dir)).close();
    const { chain, selfConsistent } = await checkProblems(backEnd, dir);
    expect(selfConsistent).toBe(true);
    expect(chain).toHaveLength(1);
    expect(chain[0]!.message).toMatch(
      new RegExp(
        `^The anchor folder holds anchors of archive ${archiveId} for this database file \\(the newest of \\S+, up to audit event 10,000\\), but the database now names itself archive 00000000-0000-4000-8000-000000000000`,
      ),
    );
  });
});

// Backing up an archive on PostgreSQL is not built yet (docs/server-postgres.md): these run on SQLite.
describe('tampering after a backup: verify-backup compares the catalogs with the live chain', () => {
  const backEnd = useBackEnd('sqlite');

  async function backedUp() {
    const { dir } = await archiveWithLog(backEnd);
    const keys = generateIdentity();
    const target = tempDir('slipvault-target-');
    const archive = await backEnd.open(dir, { actor: 'clerk-li' });
    try {
      await createBackup(archive, { target, recipients: [parseRecipient(keys.recipient)] });
    } finally {
      archive.close();
    }
    // Creating the backup adds events of its own (its index key, the backup record).
    const setHead = listSets(target)[0]!.auditHead!.seq;
    return { dir, target, identities: parseIdentityFile(keys.identity), setHead };
  }

  async function verify(dir: string, target: string, identities: ReturnType<typeof parseIdentityFile>, restoreCheck = false) {
    const archive = await backEnd.open(dir, { actor: 'auditor' });
    try {
      return await verifyBackups(archive, { target, identities, restoreCheck });
    } finally {
      archive.close();
    }
  }

  it('each catalog carries the signed head of its snapshot; an untouched archive verifies, restore check included', async () => {
    const { dir, target, identities, setHead } = await backedUp();
    const [catalog] = listSets(target);
    expect(setHead).toBeGreaterThanOrEqual(EVENTS);
    expect(catalog!.auditHead).toMatchObject({ archiveId: catalog!.archiveId, seq: setHead });
    expect(catalog!.auditHead!.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const report = await verify(dir, target, identities, true);
    expect(report.restoreChecked).toBe(true);
  });

  it('a chain rewritten after the backup is refused, naming the first event that differs', async () => {
    const { dir, target, identities } = await backedUp();
    rewriteLog(backEnd, dir, (rows) => rows.map((row) => (row.seq >= 2_500 ? { ...row, actor: 'manager' } : row)));
    const refusal = await refusalFrom(() => verify(dir, target, identities));
    expect(refusal.code).toBe('CORRUPT_FILE');
    expect(refusal.details).toMatchObject({ auditSeq: 2_500 });
    expect(refusal.message).toMatch(/audit event 2,500 \(document\.read, /);
  });

  it('without the anchor folder, the catalog alone still finds the rewrite and bounds where it starts', async () => {
    const { dir, target, identities, setHead } = await backedUp();
    rewriteLog(backEnd, dir, (rows) => rows.map((row) => (row.seq >= 2_500 ? { ...row, actor: 'manager' } : row)));
    const folder = process.env.SLIPVAULT_ANCHOR_DIR!;
    const archiveId = listSets(target)[0]!.archiveId;
    rmSync(join(folder, `${archiveId}.jsonl`));
    rmSync(join(folder, `${archiveId}.key`));
    const refusal = await refusalFrom(() => verify(dir, target, identities));
    expect(refusal.message).toContain(
      `the audit chain up to ${setHead.toLocaleString('en-US')} no longer hashes to the head backup set ${listSets(target)[0]!.setId} recorded; it matches what was recorded up to 0`,
    );
  });

  it('a log truncated after the backup is refused: the chain ends below the recorded head', async () => {
    const { dir, target, identities, setHead } = await backedUp();
    // The anchor folder is gone too: the catalog's head is what shows it.
    rmSync(process.env.SLIPVAULT_ANCHOR_DIR!, { recursive: true });
    const raw = backEnd.rawAt(dir);
    dropTriggers(backEnd, raw, 'audit_events_no_delete');
    raw.prepare('DELETE FROM audit_events WHERE seq > ?').run(setHead - 10);
    raw.close();
    const refusal = await refusalFrom(() => verify(dir, target, identities));
    expect(refusal.details).toMatchObject({ auditSeq: setHead - 9 });
    expect(refusal.message).toContain(
      `the audit chain ends at ${(setHead - 10).toLocaleString('en-US')}, but backup set ${listSets(target)[0]!.setId} records ${setHead.toLocaleString('en-US')}`,
    );
  });

  it('a catalog head changed on the drive has an invalid signature', async () => {
    const { dir, target, identities } = await backedUp();
    const [catalog] = listSets(target);
    const path = join(target, catalog!.setId, CATALOG_FILE);
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { auditHead: { seq: number } };
    stored.auditHead.seq -= 1;
    writeFileSync(path, JSON.stringify(stored));
    const refusal = await refusalFrom(() => verify(dir, target, identities));
    expect(refusal.message).toMatch(new RegExp(`backup set ${catalog!.setId} carries an audit chain head whose signature is invalid`));
  });
});
