/**
 * Letters of authority (授权书) as living records: who may sign for a customer (agents), for what (scope),
 * from when to when, how identity was verified, the documents that grant and revoke it, and which earlier
 * authorization it supersedes. Every change is one transaction with its audit event; states are computed
 * on a clock (states.ts).
 */
import { asc, eq } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { AuthorizationRecord, AuthorizationSaveInput } from '../../../shared/records';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { authorizations, customers, documents, documentTypes } from '../db/schema';
import { fromMinorUnits, toMinorUnits } from '../documents/amount';
import { inReadSnapshot, inTransaction } from '../db/transaction';
import { inspectFile } from '../ingest/inspect';
import type { BlobStore } from '../store/blobs';
import { defaultReviewDate, stateOn } from './states';

export type AuthorizationRow = typeof authorizations.$inferSelect;

export interface AuthorizationDeps {
  connection: Connection;
  audit: AuditLog;
  blobs: BlobStore;
  now: () => string;
  /** Resolves a customer name, alias or id to its id. */
  customerId: (key: number | string) => number;
  /** Resolves a document reference (archive number or id) to its id. */
  documentId: (ref: number | string) => number;
}

export interface AuthorizationFilter {
  customerId?: number;
  expiringWithinDays?: number;
}

export class AuthorizationStore {
  private readonly db: Connection['db'];

  constructor(private readonly deps: AuthorizationDeps) {
    this.db = deps.connection.db;
  }

  private row(id: number): AuthorizationRow {
    const row = this.db.select().from(authorizations).where(eq(authorizations.id, id)).get();
    if (!row)
      throw new SlipVaultError('NOT_FOUND', `There is no authorization with id ${id}.`, { authorization: id }).withMessage('authorizations.notFound', { id });
    return row;
  }

  /** Every stored authorization (drafts included), oldest first. */
  rows(customerId?: number): AuthorizationRow[] {
    const query = this.db.select().from(authorizations);
    return (customerId === undefined ? query : query.where(eq(authorizations.customerId, customerId))).orderBy(asc(authorizations.id)).all();
  }

  recordOf(row: AuthorizationRow, today: string): AuthorizationRecord {
    const archiveNo = (id: number | null) =>
      id === null ? null : (this.db.select({ archiveNo: documents.archiveNo }).from(documents).where(eq(documents.id, id)).get()?.archiveNo ?? null);
    const successor = this.db.select({ id: authorizations.id }).from(authorizations).where(eq(authorizations.supersedesId, row.id)).get();
    const customer = this.db.select({ name: customers.name }).from(customers).where(eq(customers.id, row.customerId)).get()!;
    return {
      id: row.id,
      customer: customer.name,
      customerId: row.customerId,
      ...stateOn(row, today),
      agents: row.agents,
      scope: {
        matters: row.scope.matters,
        documentTypes: row.scope.documentTypes,
        sites: row.scope.sites,
        amountCap: row.scope.amountCapMinor === null ? null : fromMinorUnits(row.scope.amountCapMinor),
      },
      validFrom: row.validFrom,
      validTo: row.validTo,
      reviewDate: row.reviewDate,
      verificationMethod: row.verificationMethod,
      verificationAttachments: row.verificationAttachments,
      grantingDocument: archiveNo(row.grantingDocumentId),
      revokingDocument: archiveNo(row.revokingDocumentId),
      revokedOn: row.revokedOn,
      revokeReason: row.revokeReason,
      supersedes: row.supersedesId,
      supersededBy: successor?.id ?? null,
    };
  }

  get(id: number, today: string): AuthorizationRecord {
    return this.recordOf(this.row(id), today);
  }

  /** Authorizations with their state on `today`; with expiringWithinDays only those whose end in force is that near (or past). */
  list(filter: AuthorizationFilter, today: string): AuthorizationRecord[] {
    return inReadSnapshot(this.deps.connection.sqlite, () =>
      this.rows(filter.customerId)
        .map((row) => this.recordOf(row, today))
        .filter(
          (record) =>
            filter.expiringWithinDays === undefined ||
            ((record.state === 'active' || record.state === 'expiring' || record.state === 'expired') &&
              record.daysToEnd !== null &&
              record.daysToEnd <= filter.expiringWithinDays),
        ),
    );
  }

  /** Creates an authorization (no id) or changes a draft or active one; `supersedes` retires the earlier one in the same transaction. */
  async save(input: AuthorizationSaveInput, today: string): Promise<AuthorizationRecord> {
    const attachments: string[] = [];
    for (const path of input.verificationAttachments ?? []) attachments.push(this.deps.blobs.put((await inspectFile(path)).bytes));
    return inTransaction(this.deps.connection.sqlite, () => {
      const existing = input.id === undefined ? null : this.row(input.id);
      if (existing && (existing.status === 'revoked' || existing.status === 'superseded')) {
        throw new SlipVaultError('CONFLICT', `Authorization ${existing.id} is ${existing.status} and can no longer be changed; create a new one.`, {
          authorization: existing.id,
        }).withMessage('authorizations.frozen', { id: existing.id, state: existing.status });
      }
      if (input.validTo !== null && input.validTo < input.validFrom) {
        throw new SlipVaultError('VALIDATION', `An authorization cannot end (${input.validTo}) before it starts (${input.validFrom}).`, {
          field: 'validTo',
        }).withMessage('authorizations.endsBeforeStart', { validTo: input.validTo, validFrom: input.validFrom });
      }
      const customerId = this.deps.customerId(input.customer);
      const knownTypes = this.db
        .select({ code: documentTypes.code })
        .from(documentTypes)
        .all()
        .map((type) => type.code);
      const unknownType = input.scope.documentTypes.find((code) => !knownTypes.includes(code));
      if (unknownType !== undefined) {
        throw new SlipVaultError('VALIDATION', `Unknown document type "${unknownType}" in the scope. Known types: ${knownTypes.join(', ')}.`, {
          field: 'scope.documentTypes',
        }).withMessage('authorizations.unknownType', { type: unknownType });
      }
      const reviewDate = input.reviewDate !== undefined ? input.reviewDate : input.validTo === null ? defaultReviewDate(input.validFrom) : null;
      if (reviewDate !== null && reviewDate < input.validFrom) {
        throw new SlipVaultError('VALIDATION', `A review date (${reviewDate}) cannot precede the start (${input.validFrom}).`, {
          field: 'reviewDate',
        }).withMessage('authorizations.reviewBeforeStart', { reviewDate, validFrom: input.validFrom });
      }
      const supersedes = input.supersedes === undefined ? null : this.row(input.supersedes);
      if (supersedes) {
        if (supersedes.id === existing?.id)
          throw new SlipVaultError('VALIDATION', 'An authorization cannot supersede itself.', { field: 'supersedes' }).withMessage(
            'authorizations.supersedesItself',
          );
        if (supersedes.customerId !== customerId) {
          throw new SlipVaultError('VALIDATION', `Authorization ${supersedes.id} is for another customer and cannot be superseded by this one.`, {
            field: 'supersedes',
          }).withMessage('authorizations.supersedesOtherCustomer', { id: supersedes.id });
        }
        if (supersedes.status !== 'active') {
          throw new SlipVaultError('CONFLICT', `Authorization ${supersedes.id} is ${supersedes.status}; only an active one can be superseded.`, {
            field: 'supersedes',
          }).withMessage('authorizations.supersedesInactive', { id: supersedes.id });
        }
      }
      const now = this.deps.now();
      const values = {
        customerId,
        status: input.draft ? ('draft' as const) : ('active' as const),
        agents: input.agents,
        scope: {
          matters: input.scope.matters,
          documentTypes: input.scope.documentTypes,
          sites: input.scope.sites,
          amountCapMinor: input.scope.amountCap === null ? null : toMinorUnits(input.scope.amountCap),
        },
        validFrom: input.validFrom,
        validTo: input.validTo,
        reviewDate,
        verificationMethod: input.verificationMethod !== undefined ? input.verificationMethod : (existing?.verificationMethod ?? null),
        verificationAttachments: [...(existing?.verificationAttachments ?? []), ...attachments],
        grantingDocumentId: input.grantingDocument !== undefined ? this.deps.documentId(input.grantingDocument) : (existing?.grantingDocumentId ?? null),
        supersedesId: supersedes?.id ?? existing?.supersedesId ?? null,
      };
      const row = existing
        ? this.db
            .update(authorizations)
            .set({ ...values, updatedAt: now })
            .where(eq(authorizations.id, existing.id))
            .returning()
            .get()
        : this.db
            .insert(authorizations)
            .values({ ...values, createdAt: now, updatedAt: now })
            .returning()
            .get();
      if (supersedes && values.status === 'active') {
        this.db.update(authorizations).set({ status: 'superseded', updatedAt: now }).where(eq(authorizations.id, supersedes.id)).run();
        this.deps.audit.append({
          action: 'authorization.supersede',
          targetType: 'authorization',
          targetId: String(supersedes.id),
          details: { supersededBy: row.id },
        });
      }
      this.deps.audit.append({
        action: existing ? 'authorization.update' : 'authorization.create',
        targetType: 'authorization',
        targetId: String(row.id),
        details: { ...values, ...(existing ? { previousStatus: existing.status } : {}) },
      });
      return this.recordOf(row, today);
    });
  }

  revoke(input: { id: number; revokedOn: string; reason: string; revokingDocument?: number | string | undefined }, today: string): AuthorizationRecord {
    return inTransaction(this.deps.connection.sqlite, () => {
      const row = this.row(input.id);
      if (row.status !== 'active') {
        throw new SlipVaultError('CONFLICT', `Authorization ${row.id} is ${row.status}; only an active authorization can be revoked.`, {
          authorization: row.id,
        }).withMessage('authorizations.revokeInactive', { id: row.id });
      }
      if (input.revokedOn < row.validFrom) {
        throw new SlipVaultError('VALIDATION', `An authorization cannot be revoked (${input.revokedOn}) before it starts (${row.validFrom}).`, {
          field: 'revokedOn',
        }).withMessage('authorizations.revokeBeforeStart', { revokedOn: input.revokedOn, validFrom: row.validFrom });
      }
      const revokingDocumentId = input.revokingDocument === undefined ? null : this.deps.documentId(input.revokingDocument);
      const updated = this.db
        .update(authorizations)
        .set({ status: 'revoked', revokedOn: input.revokedOn, revokeReason: input.reason, revokingDocumentId, updatedAt: this.deps.now() })
        .where(eq(authorizations.id, row.id))
        .returning()
        .get();
      this.deps.audit.append({
        action: 'authorization.revoke',
        targetType: 'authorization',
        targetId: String(row.id),
        details: { revokedOn: input.revokedOn, reason: input.reason, revokingDocumentId },
      });
      return this.recordOf(updated, today);
    });
  }
}
