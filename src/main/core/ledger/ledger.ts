/**
 * The slip ledger's rows: create, update, cancel, link and unlink, each one transaction that writes the row,
 * a ledger_history entry and the audit event it points to. Linking and unlinking also give the document a
 * new version through the one write path: a tag `ledger:<slip number>` (docs/ledger.md says why a tag).
 */
import type { Statement } from 'better-sqlite3';
import { SlipVaultError } from '../../../shared/errors';
import type { DocumentSummary, LedgerHistoryEntry, LedgerRow, LedgerRowDetail } from '../../../shared/model';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { inReadSnapshot, inTransaction } from '../db/transaction';
import { toMinorUnits } from '../documents/amount';
import type { DocumentRef, DocumentService } from '../documents/document-service';
import { changesBetween, nextState, stateOf, type FieldChanges, type RowInput, type RowState } from './row-state';
import { ROW_COLUMNS, ROW_FROM, toLedgerRow, type StoredRow } from './row-view';
import { slipKey } from './slip-key';

export const LEDGER_TAG_PREFIX = 'ledger:';
export const ledgerTag = (slipNo: string) => `${LEDGER_TAG_PREFIX}${slipNo}`;

/**
 * What the signed check found for a link: `signed` when the caller ran it (else the stored results decide),
 * and a clerk's override reason for an unsigned document.
 */
export interface SignedGate {
  signed?: boolean;
  override?: string;
}

const UNCHECKED: SignedGate = {};

export interface LedgerDeps {
  connection: Connection;
  audit: AuditLog;
  documents: DocumentService;
  /** ISO timestamp for created/updated. */
  now: () => string;
  actor: () => string;
}

export type RowRef = number | string;

export class Ledger {
  private readonly sqlite: Connection['sqlite'];
  /** Set while the ledger itself edits a document, so the matcher does not act on its own change. */
  private writingDocument = false;
  /** Prepared once: an import runs the same few statements for every row. */
  private readonly statements = new Map<string, Statement>();

  constructor(readonly deps: LedgerDeps) {
    this.sqlite = deps.connection.sqlite;
  }

  prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  get isWritingDocument(): boolean {
    return this.writingDocument;
  }

  transaction<T>(work: () => T): T {
    return inTransaction(this.sqlite, work);
  }

  stored(ref: RowRef): StoredRow {
    const row =
      typeof ref === 'number'
        ? this.prepare(`SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE r.id = ?`).get(ref)
        : this.prepare(`SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE r.slip_no = ? AND r.cancelled_at IS NULL`).get(slipKey(ref));
    if (!row) {
      throw new SlipVaultError('NOT_FOUND', typeof ref === 'number' ? `There is no ledger row ${ref}.` : `No ledger row expects the slip ${slipKey(ref)}.`, {
        row: ref,
      }).withMessage('ledger.rowNotFound', { row: typeof ref === 'number' ? ref : slipKey(ref) });
    }
    return row as StoredRow;
  }

  liveStored(ref: RowRef): StoredRow {
    const row = this.stored(ref);
    if (row.cancelled_at !== null) {
      throw new SlipVaultError('CONFLICT', `The ledger row for ${row.slip_no} was cancelled (${row.cancel_reason ?? ''}) and can no longer be changed.`, {
        row: row.id,
      }).withMessage('ledger.rowCancelled', { slipNo: row.slip_no });
    }
    return row;
  }

  row(ref: RowRef, asOf: string): LedgerRow {
    return toLedgerRow(this.stored(ref), asOf);
  }

  get(ref: RowRef, asOf: string): LedgerRowDetail {
    return inReadSnapshot(this.sqlite, () => {
      const stored = this.stored(ref);
      const history = this.prepare('SELECT at, actor, action, changes, reason, audit_seq FROM ledger_history WHERE row_id = ? ORDER BY id').all(stored.id) as {
        at: string;
        actor: string;
        action: string;
        changes: string;
        reason: string | null;
        audit_seq: number;
      }[];
      return {
        row: toLedgerRow(stored, asOf),
        history: history.map((entry): LedgerHistoryEntry => ({
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          changes: JSON.parse(entry.changes) as FieldChanges,
          reason: entry.reason,
          auditSeq: entry.audit_seq,
        })),
      };
    });
  }

  /** A customer's return deadline in days (15 unless the customer register says otherwise; a new customer has the default). */
  deadlineDays(customer: string): number {
    const days = this.prepare('SELECT return_deadline_days FROM customers WHERE name = ?').pluck().get(customer) as number | undefined;
    return days ?? 15;
  }

  /** The customer's id by name or alias, created when unknown (as filing a document does). */
  customerId(name: string): number {
    const exact = this.prepare('SELECT id FROM customers WHERE name = ?').pluck().get(name) as number | undefined;
    if (exact !== undefined) return exact;
    // Aliases are a JSON list: read here rather than in SQL, so the same statement runs on SQLite and PostgreSQL.
    const withAliases = this.prepare(`SELECT id, aliases FROM customers WHERE aliases IS NOT NULL ORDER BY id`).all() as { id: number; aliases: string }[];
    const alias = withAliases.find((customer) => (JSON.parse(customer.aliases) as string[]).includes(name));
    if (alias !== undefined) return alias.id;
    return this.prepare(`INSERT INTO customers (name, aliases, created_at) VALUES (?, '[]', ?) RETURNING id`).pluck().get(name, this.deps.now()) as number;
  }

  /** A user name that may own (chase) a slip: an account of this archive, as it is spelled there. */
  ownerName(owner: string): string {
    const found = this.prepare('SELECT username FROM users WHERE lower(username) = lower(?) AND disabled = FALSE').pluck().get(owner) as string | undefined;
    if (!found)
      throw new SlipVaultError('VALIDATION', `${owner} is not an active user of this archive, so cannot chase slips.`, { owner }).withMessage(
        'ledger.ownerInactive',
        { owner },
      );
    return found;
  }

  /** Writes `state` as the row's fields (a new row when `id` is null); returns the row id. */
  writeState(id: number | null, slipNo: string, state: RowState): number {
    const now = this.deps.now();
    const values = [
      this.customerId(state.customer),
      state.issueDate,
      state.expectedBackDate,
      state.amount === null ? null : toMinorUnits(state.amount),
      state.currency,
      state.invoiceNo,
      state.owner,
      state.custody,
      state.returnedOn,
      state.exception,
      state.exceptionReason,
    ];
    if (id === null) {
      return this.prepare(
        `INSERT INTO ledger_rows (slip_no, customer_id, issue_date, expected_back_date, amount_minor, currency, invoice_no, owner, custody, returned_on,
             exception, exception_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
        .pluck()
        .get(slipNo, ...values, now, now) as number;
    }
    this.prepare(
      `UPDATE ledger_rows SET customer_id = ?, issue_date = ?, expected_back_date = ?, amount_minor = ?, currency = ?, invoice_no = ?, owner = ?,
           custody = ?, returned_on = ?, exception = ?, exception_reason = ?, updated_at = ? WHERE id = ?`,
    ).run(...values, now, id);
    return id;
  }

  /** Appends the row's history entry, pointing at the audit event `auditSeq` that records it. */
  writeHistory(rowId: number, action: string, changes: FieldChanges, reason: string | null, auditSeq: number): void {
    this.prepare('INSERT INTO ledger_history (row_id, at, actor, action, changes, reason, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      rowId,
      this.deps.now(),
      this.deps.actor(),
      action,
      JSON.stringify(changes),
      reason,
      auditSeq,
    );
  }

  /** One change of one row: its audit event and its history entry. */
  private record(rowId: number, slipNo: string, action: string, changes: FieldChanges, reason: string | null): void {
    const event = this.deps.audit.append({
      action: `ledger.${action}`,
      targetType: 'ledger-row',
      targetId: slipNo,
      details: { rowId, changes, ...(reason ? { reason } : {}) },
    });
    this.writeHistory(rowId, action, changes, reason, event.seq);
  }

  private refuseTakenSlip(slipNo: string): void {
    const taken = this.prepare('SELECT id FROM ledger_rows WHERE slip_no = ? AND cancelled_at IS NULL').pluck().get(slipNo);
    if (taken !== undefined) {
      throw new SlipVaultError('DUPLICATE', `The ledger already expects the slip ${slipNo} (row ${String(taken)}); update that row instead.`, {
        slipNo,
        row: taken,
      }).withMessage('ledger.slipTaken', { slipNo });
    }
  }

  create(slipNo: string, input: RowInput, today: string): LedgerRow {
    const key = slipKey(slipNo);
    return this.transaction(() => {
      this.refuseTakenSlip(key);
      const state = nextState(null, { ...input, owner: input.owner ? this.ownerName(input.owner) : (input.owner ?? null) }, (c) => this.deadlineDays(c), today);
      const id = this.writeState(null, key, state);
      this.record(id, key, 'create', changesBetween(null, state), null);
      return this.row(id, today);
    });
  }

  update(ref: RowRef, input: RowInput, reason: string | null, today: string): LedgerRow {
    return this.transaction(() => {
      const stored = this.liveStored(ref);
      if (stored.document_id !== null && input.custody !== undefined && input.custody !== stored.custody) {
        throw new SlipVaultError('CONFLICT', `${stored.slip_no} is linked to ${stored.archive_no}; its custody follows the document (unlink it first).`, {
          row: stored.id,
        }).withMessage('ledger.custodyFollowsDocument', { slipNo: stored.slip_no, archiveNo: stored.archive_no ?? '' });
      }
      const before = stateOf(stored);
      const owner = input.owner ? this.ownerName(input.owner) : input.owner;
      const after = nextState(before, { ...input, ...(owner !== undefined ? { owner } : {}) }, (c) => this.deadlineDays(c), today);
      const changes = changesBetween(before, after);
      if (Object.keys(changes).length === 0) {
        throw new SlipVaultError('CONFLICT', `Nothing changed: the ledger row for ${stored.slip_no} already has these values.`, { row: stored.id }).withMessage(
          'ledger.nothingChanged',
          { slipNo: stored.slip_no },
        );
      }
      this.writeState(stored.id, stored.slip_no, after);
      this.record(stored.id, stored.slip_no, 'update', changes, reason);
      return this.row(stored.id, today);
    });
  }

  cancel(ref: RowRef, reason: string, today: string): LedgerRow {
    return this.transaction(() => {
      const stored = this.liveStored(ref);
      if (stored.document_id !== null) {
        throw new SlipVaultError('CONFLICT', `${stored.slip_no} is linked to ${stored.archive_no}; unlink it before cancelling the row.`, {
          row: stored.id,
        }).withMessage('ledger.cancelLinked', { slipNo: stored.slip_no, archiveNo: stored.archive_no ?? '' });
      }
      const now = this.deps.now();
      this.prepare('UPDATE ledger_rows SET cancelled_at = ?, cancel_reason = ?, updated_at = ? WHERE id = ?').run(now, reason, now, stored.id);
      this.record(stored.id, stored.slip_no, 'cancel', { cancelledAt: { from: null, to: now } }, reason);
      return this.row(stored.id, today);
    });
  }

  /** The live row a document is linked to, if any. */
  rowOfDocument(documentId: number): StoredRow | undefined {
    return this.prepare(`SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE r.document_id = ? AND r.cancelled_at IS NULL`).get(documentId) as StoredRow | undefined;
  }

  /** Adds or removes the document's ledger tag as a new version of it (the one write path), unless it is already so. */
  private tagDocument(document: DocumentSummary, slipNo: string, link: boolean, reason: string): void {
    const current = this.deps.documents.get(document.id).metadata;
    const tag = ledgerTag(slipNo);
    const tags = link ? [...new Set([...current.tags, tag])] : current.tags.filter((name) => name !== tag);
    const slipNoChange = link && current.slipNo === null ? { slipNo } : {};
    if (tags.length === current.tags.length && !('slipNo' in slipNoChange)) return;
    this.writingDocument = true;
    try {
      this.deps.documents.edit(document.id, { tags, ...slipNoChange }, reason);
    } finally {
      this.writingDocument = false;
    }
  }

  /**
   * Links a row to the document that brought its slip back: custody moves to at_office (filed when the
   * document is filed). `action` is 'link' for a clerk's confirmation, 'match' for the automatic exact match.
   */
  link(
    ref: RowRef,
    documentRef: DocumentRef,
    reason: string | null,
    today: string,
    action: 'link' | 'match' = 'link',
    gate: SignedGate = UNCHECKED,
  ): LedgerRow {
    return this.transaction(() => {
      const stored = this.liveStored(ref);
      const document = this.deps.documents.summary(documentRef);
      if (document.status === 'voided') {
        throw new SlipVaultError('CONFLICT', `${document.archiveNo} is voided; a voided document cannot bring back the slip ${stored.slip_no}.`, {
          archiveNo: document.archiveNo,
        }).withMessage('ledger.voidedDocument', { archiveNo: document.archiveNo, slipNo: stored.slip_no });
      }
      if (stored.document_id === document.id) {
        throw new SlipVaultError('CONFLICT', `The slip ${stored.slip_no} is already linked to ${document.archiveNo}.`, { row: stored.id }).withMessage(
          'ledger.alreadyLinkedHere',
          { slipNo: stored.slip_no, archiveNo: document.archiveNo },
        );
      }
      if (stored.document_id !== null) {
        throw new SlipVaultError('CONFLICT', `The slip ${stored.slip_no} is already linked to ${stored.archive_no}; unlink it there first.`, {
          row: stored.id,
          archiveNo: stored.archive_no,
        }).withMessage('ledger.alreadyLinked', { slipNo: stored.slip_no, archiveNo: stored.archive_no ?? '' });
      }
      const other = this.rowOfDocument(document.id);
      if (other) {
        throw new SlipVaultError('CONFLICT', `${document.archiveNo} is already linked to the slip ${other.slip_no}; unlink it there first.`, {
          archiveNo: document.archiveNo,
          row: other.id,
        }).withMessage('ledger.documentLinkedElsewhere', { archiveNo: document.archiveNo, slipNo: other.slip_no });
      }
      const signed = gate.signed ?? this.storedSigned(document.id);
      if (!signed && !gate.override && action === 'link') {
        throw new SlipVaultError(
          'NOT_SIGNED',
          `${document.archiveNo} shows no signature or seal, so it cannot bring back the slip ${stored.slip_no}; check the paper, or give an override reason.`,
          { archiveNo: document.archiveNo, row: stored.id },
        ).withMessage('ledger.notSigned', { archiveNo: document.archiveNo, slipNo: stored.slip_no });
      }
      const before = stateOf(stored);
      // Returned needs signed: an unsigned match is linked, but the slip stays where it was with a signature problem.
      const moved: RowInput =
        signed || gate.override
          ? { custody: document.status === 'filed' ? 'filed' : 'at_office' }
          : { exception: 'signature_problem', exceptionReason: `${document.archiveNo} shows no signature or seal; check the paper` };
      const after = nextState(before, moved, (c) => this.deadlineDays(c), today);
      if (!signed && gate.override) {
        this.deps.audit.append({
          action: 'document.signed-override',
          targetType: 'document',
          targetId: document.archiveNo,
          details: { reason: gate.override, slipNo: stored.slip_no },
        });
      }
      this.writeState(stored.id, stored.slip_no, after);
      this.prepare('UPDATE ledger_rows SET document_id = ? WHERE id = ?').run(document.id, stored.id);
      const changes = { ...changesBetween(before, after), documentId: { from: null, to: document.id }, archiveNo: { from: null, to: document.archiveNo } };
      this.record(
        stored.id,
        stored.slip_no,
        action,
        changes,
        [reason, !signed && gate.override ? `not signed: ${gate.override}` : null].filter(Boolean).join('; ') || null,
      );
      this.tagDocument(document, stored.slip_no, true, reason ?? `slip ${stored.slip_no} of the ledger came back`);
      return this.row(stored.id, today);
    });
  }

  /** Undoes a link: the row's custody and returned day go back to what they were before it. */
  unlink(ref: RowRef, reason: string, today: string): LedgerRow {
    return this.transaction(() => {
      const stored = this.liveStored(ref);
      if (stored.document_id === null) {
        throw new SlipVaultError('CONFLICT', `The slip ${stored.slip_no} is not linked to a document.`, { row: stored.id }).withMessage('ledger.notLinked', {
          slipNo: stored.slip_no,
        });
      }
      const linked = this.prepare(`SELECT changes FROM ledger_history WHERE row_id = ? AND action IN ('link', 'match') ORDER BY id DESC LIMIT 1`)
        .pluck()
        .get(stored.id) as string | undefined;
      const linkChanges = linked ? (JSON.parse(linked) as FieldChanges) : {};
      const before = stateOf(stored);
      const after: RowState = {
        ...before,
        custody: (linkChanges.custody?.from as RowState['custody'] | undefined) ?? before.custody,
        returnedOn: linkChanges.returnedOn ? (linkChanges.returnedOn.from as string | null) : before.returnedOn,
      };
      const document = this.deps.documents.summary(stored.document_id);
      this.writeState(stored.id, stored.slip_no, after);
      this.prepare('UPDATE ledger_rows SET document_id = NULL WHERE id = ?').run(stored.id);
      const changes = {
        ...changesBetween(before, after),
        documentId: { from: document.id, to: null },
        archiveNo: { from: document.archiveNo, to: null },
      };
      this.record(stored.id, stored.slip_no, 'unlink', changes, reason);
      if (document.status !== 'voided') this.tagDocument(document, stored.slip_no, false, reason);
      return this.row(stored.id, today);
    });
  }

  /** Whether a current page of the document was found signed or sealed by a signed check already stored. */
  storedSigned(documentId: number): boolean {
    return (
      this.prepare(
        `SELECT 1 FROM pages p JOIN page_signatures s ON s.page_id = p.id WHERE p.document_id = ? AND p.position IS NOT NULL AND (s.signature = TRUE OR s.seal = TRUE) LIMIT 1`,
      ).get(documentId) !== undefined
    );
  }

  /** Whether a clerk unlinked this document from this row: the automatic match never links them again. */
  wasUnlinked(rowId: number, documentId: number): boolean {
    const unlinks = this.prepare(`SELECT changes FROM ledger_history WHERE row_id = ? AND action = 'unlink'`).pluck().all(rowId) as string[];
    return unlinks.some((changes) => (JSON.parse(changes) as { documentId?: { from?: unknown } }).documentId?.from === documentId);
  }

  /** A linked row follows its document's filing: at_office while in the inbox, filed once filed. */
  followFiling(rowId: number, today: string): void {
    this.transaction(() => {
      const stored = this.stored(rowId);
      // A slip linked without a signature stays where it was until a clerk links it again with an override.
      if (stored.document_id === null || stored.custody === 'filed' || stored.exception === 'signature_problem') return;
      const status = this.deps.documents.summary(stored.document_id).status;
      if (status !== 'filed') return;
      const before = stateOf(stored);
      const after = nextState(before, { custody: 'filed' }, (c) => this.deadlineDays(c), today);
      this.writeState(stored.id, stored.slip_no, after);
      this.record(stored.id, stored.slip_no, 'match', changesBetween(before, after), `${stored.archive_no} was filed`);
    });
  }
}
