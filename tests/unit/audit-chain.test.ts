/**
 * The audit trail through a real archive on disk: every event links to the one before it, its hash is
 * recomputable from its content, reads worth an event are recorded, and tampering by someone with raw
 * database access (who first drops the append-only triggers) is found by `archive:check`.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/main/core/api';
import { adminClient } from '../helpers/sessions';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import type { Method, OutputOf } from '../../src/shared/contract';
import type { AuditEvent, CheckReport } from '../../src/shared/model';
import { tempDir, writeJpeg, writePdf, writePng } from '../helpers/fixtures';

const GENESIS = '0'.repeat(64);

/** Written here independently of src/main/core/audit/canonical.ts: sorted keys at every level, no spaces. */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function expectedHash(event: AuditEvent): string {
  const body = canonical({
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    details: event.details,
  });
  return createHash('sha256')
    .update(event.prevHash + body, 'utf8')
    .digest('hex');
}

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  const opened: Archive[] = [];
  const raws: Database.Database[] = [];
  afterEach(() => {
    for (const raw of raws.splice(0)) if (raw.open) raw.close();
    for (const archive of opened.splice(0)) archive.close();
  });

  async function call<M extends Method>(api: ApiClient, method: M, input: unknown): Promise<OutputOf<M>> {
    const result = await api.invoke(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  /** A small archive with real history: three imports, edits, a void, and some reads. */
  async function archiveWithHistory() {
    const dir = join(tempDir(), 'archive');
    const files = tempDir('slipvault-files-');
    const archive = await backEnd.init(dir, { actor: 'clerk-li', program: 'audit-chain test' });
    opened.push(archive);
    const api = await adminClient(archive, 'clerk-li');
    const imported = await call(api, 'documents:import', {
      paths: [await writeJpeg(files, '送货单-001.jpg', 64, 96), await writePng(files, 'receipt.png', 64, 96), writePdf(files, 'contract.pdf', 2)],
    });
    expect(imported.failed).toEqual([]);
    const [first, second, third] = imported.imported.map((entry) => entry.document.archiveNo) as [string, string, string];
    await call(api, 'documents:edit', {
      ref: first,
      changes: { customer: '华南贸易有限公司', amount: '1200.50', signedDate: '2026-03-05' },
      reason: 'from slip',
    });
    await call(api, 'documents:edit', { ref: first, changes: { tags: ['urgent', '华南'] } });
    await call(api, 'documents:void', { ref: third, reason: 'scanned twice' });
    await call(api, 'audit:recordView', { ref: second, action: 'open' });
    return { dir, archive, api, archiveNos: [first, second, third] as const };
  }

  /** The log as stored, read beside the contract so that looking does not itself add an event. */
  async function allEvents(archive: Archive): Promise<AuditEvent[]> {
    return archive.audit.list(0, 1000);
  }

  function rawConnection(archive: Archive): Database.Database {
    const raw = backEnd.raw(archive);
    raws.push(raw);
    return raw;
  }

  /** What the attacker types to drop one of audit_events' triggers, in the back end's dialect. */
  const dropTrigger = (name: string) => (backEnd.name === 'sqlite' ? `DROP TRIGGER ${name}` : `DROP TRIGGER ${name} ON audit_events`);

  function chainProblems(report: CheckReport) {
    return report.problems.filter((problem) => problem.kind === 'audit-chain');
  }

  describe('audit chain', () => {
    it('links every event to the one before it, from 64 zeros, with hash = SHA-256(prevHash ‖ canonical JSON)', async () => {
      const { api, archiveNos, archive } = await archiveWithHistory();
      const events = await allEvents(archive);
      expect(events.map((event) => event.action)).toEqual([
        'archive.init',
        'user.setup',
        'user.login',
        'document.import',
        'document.import',
        'document.import',
        'document.edit',
        'document.edit',
        'document.void',
        'document.read',
      ]);
      expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
      expect(events[0]!.prevHash).toBe(GENESIS);
      for (let index = 1; index < events.length; index += 1) {
        expect(events[index]!.prevHash, `event ${events[index]!.seq}`).toBe(events[index - 1]!.hash);
      }
      for (const event of events) {
        expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(event.hash, `event ${event.seq}`).toBe(expectedHash(event));
        expect(event.actor).toBe('clerk-li');
      }
      expect(new Set(events.map((event) => event.hash)).size).toBe(events.length);
      // Events name what they are about.
      expect(events.slice(1, 3).map((event) => [event.targetType, event.targetId])).toEqual([
        ['user', 'clerk-li'],
        ['user', 'clerk-li'],
      ]);
      expect(events.slice(3, 6).map((event) => event.targetId)).toEqual([...archiveNos]);
      expect(events[6]).toMatchObject({ targetType: 'document', targetId: archiveNos[0], details: { version: 2, reason: 'from slip' } });
      expect(events[8]).toMatchObject({ targetId: archiveNos[2], details: { previousStatus: 'inbox', reason: 'scanned twice' } });

      const status = await call(api, 'archive:status', {});
      expect(status.auditHead).toBe(events.at(-1)!.hash);
      const report = await call(api, 'archive:check', {});
      expect(report.ok).toBe(true);
      expect(report.problems).toEqual([]);
    });

    it('stores exactly the canonical JSON it hashed', async () => {
      const { archive } = await archiveWithHistory();
      const events = await allEvents(archive);
      const raw = rawConnection(archive);
      const stored = raw.prepare('SELECT seq, details, prev_hash AS prevHash, hash FROM audit_events ORDER BY seq').all() as {
        seq: number;
        details: string;
        prevHash: string;
        hash: string;
      }[];
      expect(stored.map((row) => row.seq)).toEqual(events.map((event) => event.seq));
      for (const [index, row] of stored.entries()) {
        expect(row.details).toBe(canonical(events[index]!.details));
        expect(row.hash).toBe(events[index]!.hash);
        expect(row.prevHash).toBe(events[index]!.prevHash);
      }
    });

    it('records opening a document as one event; fetching it, listing and its history record nothing', async () => {
      const { api, archiveNos, archive } = await archiveWithHistory();
      const lastSeq = async () => (await allEvents(archive)).at(-1)!.seq;
      const newEvents = async (after: number) => archive.audit.list(after, 1000);

      let seq = await lastSeq();
      await call(api, 'audit:recordView', { ref: archiveNos[0], action: 'open' });
      expect(await newEvents(seq)).toMatchObject([
        { seq: seq + 1, action: 'document.read', targetType: 'document', targetId: archiveNos[0], actor: 'clerk-li' },
      ]);

      seq = await lastSeq();
      await call(api, 'documents:get', { ref: archiveNos[0] });
      await call(api, 'documents:list', { includeVoided: true });
      const history = await call(api, 'documents:history', { ref: archiveNos[0] });
      expect(history.map((version) => version.number)).toEqual([1, 2, 3]);
      expect(await newEvents(seq)).toEqual([]);

      // A read that fails (unknown document) changes nothing, not even the audit trail.
      const missing = await api.invoke('audit:recordView', { ref: 'SV-2026-999999', action: 'open' });
      expect(missing.ok).toBe(false);
      expect(await newEvents(seq)).toEqual([]);

      const events = await allEvents(archive);
      for (const event of events) expect(event.hash).toBe(expectedHash(event));
      expect((await call(api, 'archive:check', {})).ok).toBe(true);
    });

    it('refuses in-place changes while the triggers stand', async () => {
      const { archive } = await archiveWithHistory();
      const raw = rawConnection(archive);
      expect(() => raw.prepare("UPDATE audit_events SET details = '{}' WHERE seq = 5").run()).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM audit_events WHERE seq = 5').run()).toThrow(/append-only/);
    });

    it('finds an event whose details were changed behind its back, naming the seq and the document', async () => {
      const { api, archiveNos, archive } = await archiveWithHistory();
      const events = await allEvents(archive);
      const edit = events.find((event) => event.action === 'document.edit')!;
      expect(edit.targetId).toBe(archiveNos[0]);

      // The attacker: a second raw connection, triggers dropped, one amount quietly changed.
      const raw = rawConnection(archive);
      raw.exec(dropTrigger('audit_events_no_update'));
      const tampered = { ...edit.details, fields: { ...(edit.details.fields as object), amount: { from: null, to: '120.50' } } };
      expect(raw.prepare('UPDATE audit_events SET details = ? WHERE seq = ?').run(canonical(tampered), edit.seq).changes).toBe(1);
      raw.close();

      const report = await call(api, 'archive:check', {});
      expect(report.ok).toBe(false);
      const problems = chainProblems(report);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ kind: 'audit-chain', auditSeq: edit.seq, documents: [archiveNos[0]] });
      expect(problems[0]!.message).toContain(String(edit.seq));
      expect(problems[0]!.message).toMatch(/altered/);
      // Nothing else is blamed: the document itself still matches its versions.
      expect(report.problems.filter((problem) => problem.kind !== 'audit-chain')).toEqual([]);
    });

    it('finds a changed actor or timestamp too (every field is covered by the hash)', async () => {
      const { api, archiveNos, archive } = await archiveWithHistory();
      const events = await allEvents(archive);
      const voided = events.find((event) => event.action === 'document.void')!;
      const firstImport = events.find((event) => event.action === 'document.import')!;
      const raw = rawConnection(archive);
      raw.exec(dropTrigger('audit_events_no_update'));
      raw.prepare("UPDATE audit_events SET actor = 'someone-else' WHERE seq = ?").run(voided.seq);
      raw.prepare("UPDATE audit_events SET at = '2020-01-01T00:00:00.000Z' WHERE seq = ?").run(firstImport.seq);
      raw.close();

      const problems = chainProblems(await call(api, 'archive:check', {}));
      expect(problems.map((problem) => [problem.auditSeq, problem.documents])).toEqual([
        [firstImport.seq, [archiveNos[0]]],
        [voided.seq, [archiveNos[2]]],
      ]);
    });

    it('finds an event deleted from the middle as a missing, broken link', async () => {
      const { api, archiveNos, archive } = await archiveWithHistory();
      const events = await allEvents(archive);
      const victim = events.find((event) => event.action === 'document.void')!;
      const next = events.find((event) => event.seq === victim.seq + 1)!;

      const raw = rawConnection(archive);
      raw.exec(dropTrigger('audit_events_no_delete'));
      expect(raw.prepare('DELETE FROM audit_events WHERE seq = ?').run(victim.seq).changes).toBe(1);
      raw.close();

      const report = await call(api, 'archive:check', {});
      expect(report.ok).toBe(false);
      const problems = chainProblems(report);
      expect(problems.length).toBeGreaterThanOrEqual(1);
      expect(problems.every((problem) => problem.auditSeq === next.seq)).toBe(true);
      const messages = problems.map((problem) => problem.message).join('\n');
      expect(messages).toMatch(new RegExp(`audit event ${victim.seq} is missing`));
      expect(messages).toMatch(/does not link/);
      // The event after the gap is otherwise intact: only the link is broken, not its content.
      expect(messages).not.toMatch(/altered/);
      // Every later event is still accepted (the chain continues from the event after the gap).
      expect(report.problems.filter((problem) => problem.kind !== 'audit-chain')).toEqual([]);
      expect(archiveNos).toHaveLength(3);
    });

    it('after the newest event is removed, the rest still verifies and new events chain on from the new head', async () => {
      // Removing the newest event breaks no later link, so the chain alone cannot show it; the heads anchored
      // outside the archive do (audit-tamper.test.ts). This pins down what remains true of the chain itself:
      // the head moves back and new events link to it.
      const { api, archiveNos, archive } = await archiveWithHistory();
      const events = await allEvents(archive);
      const raw = rawConnection(archive);
      raw.exec(dropTrigger('audit_events_no_delete'));
      raw.prepare('DELETE FROM audit_events WHERE seq = ?').run(events.at(-1)!.seq);
      raw.close();
      expect(archive.status().auditHead).toBe(events.at(-2)!.hash);

      await call(api, 'audit:recordView', { ref: archiveNos[1], action: 'open' });
      const after = await allEvents(archive);
      expect(after).toHaveLength(events.length);
      expect(after.at(-1)).toMatchObject({ action: 'document.read', seq: events.at(-1)!.seq, prevHash: events.at(-2)!.hash });
      for (const event of after) expect(event.hash).toBe(expectedHash(event));
    });
  });

  describe('reads that only draw a screen', () => {
    it('status, customer and type lists, and the audit log itself leave no event (item 5: not one per refresh)', async () => {
      const archive = await backEnd.init(join(tempDir(), 'a'), { actor: 'auditor' });
      try {
        const client = await adminClient(archive, 'auditor');
        for (const method of ['archive:status', 'customers:list', 'documentTypes:list', 'audit:list'] as const) {
          const before = archive.audit.head().seq;
          const result = await client.invoke(method, {});
          expect(result.ok).toBe(true);
          expect(archive.audit.list(before, 10), method).toEqual([]);
        }
      } finally {
        archive.close();
      }
    });
  });
});
