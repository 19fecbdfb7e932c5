/**
 * Holds (dispute, unsettled debt, audit, legal) on a document or on every document of a customer. A hold
 * in force keeps its documents out of every disposal, whoever asks; it ends only when lifted with a reason.
 * Both are audited, in the same transaction as the row.
 */
import { SlipVaultError } from '../../../shared/errors';
import type { HoldKind, HoldRecord } from '../../../shared/model';
import type { Archive } from '../archive';
import { inTransaction } from '../db/transaction';

const HOLD_COLUMNS = `h.id, d.archive_no AS archiveNo, c.name AS customer, h.kind, h.reason, h.placed_by AS placedBy, h.placed_at AS placedAt,
  h.lifted_by AS liftedBy, h.lifted_at AS liftedAt, h.lift_reason AS liftReason
  FROM holds h LEFT JOIN documents d ON d.id = h.document_id LEFT JOIN customers c ON c.id = h.customer_id`;

export type HoldTarget = { document: string | number } | { customer: string };

export class Holds {
  constructor(private readonly archive: Archive) {}

  private get sqlite() {
    return this.archive.connection.sqlite;
  }

  list(options: { includeLifted: boolean; document?: string | number }): HoldRecord[] {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    if (!options.includeLifted) conditions.push('h.lifted_at IS NULL');
    if (options.document !== undefined) {
      const document = this.archive.documents.summary(options.document);
      conditions.push('(h.document_id = ? OR h.customer_id = (SELECT customer_id FROM documents WHERE id = ?))');
      parameters.push(document.id, document.id);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.sqlite.prepare(`SELECT ${HOLD_COLUMNS} ${where} ORDER BY h.id`).all(...parameters) as HoldRecord[];
  }

  /** Holds in force on each of the documents (directly or through their customer), by document id. */
  inForce(documentIds: number[]): Map<number, HoldRecord[]> {
    const byDocument = new Map<number, HoldRecord[]>();
    const statement = this.sqlite.prepare(
      `SELECT ${HOLD_COLUMNS} WHERE h.lifted_at IS NULL AND (h.document_id = ? OR h.customer_id = (SELECT customer_id FROM documents WHERE id = ?)) ORDER BY h.id`,
    );
    for (const id of documentIds) {
      const holds = statement.all(id, id) as HoldRecord[];
      if (holds.length > 0) byDocument.set(id, holds);
    }
    return byDocument;
  }

  add(target: HoldTarget, kind: HoldKind, reason: string): HoldRecord {
    return inTransaction(this.sqlite, () => {
      const now = new Date().toISOString();
      const actor = this.archive.actor();
      let documentId: number | null = null;
      let customerId: number | null = null;
      let targetId: string;
      if ('document' in target) {
        const document = this.archive.documents.summary(target.document);
        documentId = document.id;
        targetId = document.archiveNo;
      } else {
        const customer = this.sqlite.prepare('SELECT id, name FROM customers WHERE name = ?').get(target.customer) as { id: number; name: string } | undefined;
        if (!customer)
          throw new SlipVaultError('NOT_FOUND', `There is no customer "${target.customer}" in this archive.`, { customer: target.customer }).withMessage(
            'customers.notFoundByName',
            { customer: target.customer },
          );
        customerId = customer.id;
        targetId = customer.name;
      }
      const { id } = this.sqlite
        .prepare('INSERT INTO holds (document_id, customer_id, kind, reason, placed_by, placed_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id')
        .get(documentId, customerId, kind, reason, actor, now) as { id: number };
      this.archive.audit.append({
        action: 'hold.add',
        targetType: documentId === null ? 'customer' : 'document',
        targetId,
        details: { hold: id, kind, reason },
      });
      return this.get(id);
    });
  }

  lift(id: number, reason: string): HoldRecord {
    return inTransaction(this.sqlite, () => {
      const hold = this.get(id);
      if (hold.liftedAt !== null) {
        throw new SlipVaultError('CONFLICT', `Hold ${id} was already lifted by ${hold.liftedBy} on ${hold.liftedAt}.`, { hold: id }).withMessage(
          'holds.alreadyLifted',
          { hold: id, liftedBy: hold.liftedBy ?? '', liftedAt: hold.liftedAt ?? '' },
        );
      }
      this.sqlite
        .prepare('UPDATE holds SET lifted_by = ?, lifted_at = ?, lift_reason = ? WHERE id = ?')
        .run(this.archive.actor(), new Date().toISOString(), reason, id);
      this.archive.audit.append({
        action: 'hold.lift',
        targetType: hold.archiveNo === null ? 'customer' : 'document',
        targetId: hold.archiveNo ?? hold.customer ?? undefined,
        details: { hold: id, kind: hold.kind, reason },
      });
      return this.get(id);
    });
  }

  private get(id: number): HoldRecord {
    const hold = this.sqlite.prepare(`SELECT ${HOLD_COLUMNS} WHERE h.id = ?`).get(id) as HoldRecord | undefined;
    if (!hold) throw new SlipVaultError('NOT_FOUND', `There is no hold ${id}.`, { hold: id }).withMessage('holds.notFound', { hold: id });
    return hold;
  }
}
