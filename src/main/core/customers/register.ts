/**
 * The customer register: create, edit, rename and merge customers. A customer is a row of `customers`
 * (name and aliases, which OCR matching and `customer:` search read) plus its profile (code, CRM id,
 * contacts, notes). A rename or a merge changes what documents name, so each document of the customer gets
 * a new version through DocumentService.followRecordChange, and the old name becomes an alias.
 */
import { asc, count, eq } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { CustomerDetail, CustomerMergeResult, CustomerSaveInput } from '../../../shared/records';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { authorizations, customerProfiles, customers, documents, holds, ledgerRows, signers } from '../db/schema';
import type { DocumentService } from '../documents/document-service';
import { inReadSnapshot, inTransaction } from '../db/transaction';
import { listSigners } from './signers';

export interface CustomerRegisterDeps {
  connection: Connection;
  audit: AuditLog;
  documents: DocumentService;
  now: () => string;
  /** Brings one document's index entry up to date (its customer's aliases changed, not its version). */
  reindex: (documentId: number) => void;
}

type CustomerRow = typeof customers.$inferSelect;

const uniqueNames = (names: string[], except: string) => [...new Set(names.map((name) => name.trim()).filter((name) => name !== '' && name !== except))];

export class CustomerRegister {
  private readonly db: Connection['db'];

  constructor(private readonly deps: CustomerRegisterDeps) {
    this.db = deps.connection.db;
  }

  /** A customer by id or by name (an alias finds its customer too). */
  find(key: number | string): CustomerRow {
    if (typeof key === 'number') {
      const row = this.db.select().from(customers).where(eq(customers.id, key)).get();
      if (!row)
        throw new SlipVaultError('NOT_FOUND', `There is no customer with id ${key}.`, { customer: key }).withMessage('customers.notFoundById', { id: key });
      return row;
    }
    const name = key.trim();
    const row =
      this.db.select().from(customers).where(eq(customers.name, name)).get() ??
      this.db
        .select()
        .from(customers)
        .all()
        .find((candidate) => candidate.aliases.includes(name));
    if (!row)
      throw new SlipVaultError('NOT_FOUND', `There is no customer "${name}" (by name or alias).`, { customer: name }).withMessage('customers.notFoundByName', {
        customer: name,
      });
    return row;
  }

  private detailOf(row: CustomerRow): CustomerDetail {
    const profile = this.db.select().from(customerProfiles).where(eq(customerProfiles.customerId, row.id)).get();
    const documentCount = this.db.select({ n: count() }).from(documents).where(eq(documents.customerId, row.id)).get()?.n ?? 0;
    return {
      id: row.id,
      name: row.name,
      aliases: row.aliases,
      code: profile?.code ?? null,
      crmId: profile?.crmId ?? null,
      contacts: profile?.contacts ?? [],
      notes: profile?.notes ?? '',
      returnDeadlineDays: row.returnDeadlineDays,
      documents: documentCount,
      signers: listSigners(this.db, row.id),
    };
  }

  get(key: number | string): CustomerDetail {
    return inReadSnapshot(this.deps.connection.sqlite, () => this.detailOf(this.find(key)));
  }

  list(): CustomerDetail[] {
    return inReadSnapshot(this.deps.connection.sqlite, () =>
      this.db
        .select()
        .from(customers)
        .orderBy(asc(customers.name))
        .all()
        .map((row) => this.detailOf(row)),
    );
  }

  /** Refuses a name, alias, code or CRM id another customer already has. */
  private refuseClashes(id: number | null, name: string, aliases: string[], code: string | null, crmId: string | null): void {
    for (const other of this.db.select().from(customers).all()) {
      if (other.id === id) continue;
      const taken = [name, ...aliases].find((candidate) => candidate === other.name || other.aliases.includes(candidate));
      if (taken) {
        throw new SlipVaultError('DUPLICATE', `"${taken}" is already the name or an alias of the customer ${other.name}; merge the two instead.`, {
          field: taken === name ? 'name' : 'aliases',
          customer: other.name,
        }).withMessage('customers.nameTaken', { name: taken, customer: other.name });
      }
    }
    const holder = (column: typeof customerProfiles.code | typeof customerProfiles.crmId, value: string) =>
      this.db
        .select({ id: customerProfiles.customerId, name: customers.name })
        .from(customerProfiles)
        .innerJoin(customers, eq(customers.id, customerProfiles.customerId))
        .where(eq(column, value))
        .get();
    for (const [field, column, value] of [
      ['code', customerProfiles.code, code],
      ['crmId', customerProfiles.crmId, crmId],
    ] as const) {
      if (value === null) continue;
      const other = holder(column, value);
      if (other && other.id !== id) {
        throw new SlipVaultError('DUPLICATE', `The ${field === 'code' ? 'customer code' : 'CRM id'} ${value} already belongs to ${other.name}.`, {
          field,
          customer: other.name,
        }).withMessage('customers.idTaken', { value, customer: other.name });
      }
    }
  }

  /** Creates a customer or changes one (`id` given); a new name renames it and keeps the old one as an alias. */
  save(input: CustomerSaveInput): CustomerDetail {
    return inTransaction(this.deps.connection.sqlite, () => {
      const now = this.deps.now();
      const existing = input.id === undefined ? null : this.find(input.id);
      const profile = existing ? this.db.select().from(customerProfiles).where(eq(customerProfiles.customerId, existing.id)).get() : undefined;
      const renamed = existing !== null && existing.name !== input.name;
      const aliases = uniqueNames([...(input.aliases ?? existing?.aliases ?? []), ...(renamed ? [existing.name] : [])], input.name);
      const next = {
        code: input.code !== undefined ? input.code : (profile?.code ?? null),
        crmId: input.crmId !== undefined ? input.crmId : (profile?.crmId ?? null),
        contacts: input.contacts ?? profile?.contacts ?? [],
        notes: input.notes ?? profile?.notes ?? '',
      };
      this.refuseClashes(existing?.id ?? null, input.name, aliases, next.code, next.crmId);
      if (existing === null) {
        const created = this.db
          .insert(customers)
          .values({
            name: input.name,
            aliases,
            createdAt: now,
            ...(input.returnDeadlineDays !== undefined ? { returnDeadlineDays: input.returnDeadlineDays } : {}),
          })
          .returning()
          .get();
        this.db
          .insert(customerProfiles)
          .values({ customerId: created.id, ...next, updatedAt: now })
          .run();
        this.deps.audit.append({
          action: 'customer.create',
          targetType: 'customer',
          targetId: String(created.id),
          details: { name: input.name, aliases, ...next, returnDeadlineDays: created.returnDeadlineDays },
        });
        return this.detailOf(created);
      }
      const before = this.detailOf(existing);
      const documentIds = this.documentIdsOf(existing.id);
      const apply = () => {
        this.db
          .update(customers)
          .set({ name: input.name, aliases, returnDeadlineDays: input.returnDeadlineDays ?? existing.returnDeadlineDays })
          .where(eq(customers.id, existing.id))
          .run();
        this.db
          .insert(customerProfiles)
          .values({ customerId: existing.id, ...next, updatedAt: now })
          .onConflictDoUpdate({ target: customerProfiles.customerId, set: { ...next, updatedAt: now } })
          .run();
        return { customer: input.name, renamedFrom: existing.name };
      };
      if (renamed) this.deps.documents.followRecordChange(documentIds, 'customer.rename', input.reason ?? null, apply);
      else apply();
      const after = this.detailOf(this.find(existing.id));
      const changed = (['name', 'aliases', 'code', 'crmId', 'contacts', 'notes', 'returnDeadlineDays'] as const).filter(
        (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
      );
      if (changed.length === 0) {
        throw new SlipVaultError('CONFLICT', `Nothing changed: the customer ${existing.name} already has these values.`, {
          customer: existing.name,
        }).withMessage('customers.nothingChanged', { customer: existing.name });
      }
      // Documents index their customer's aliases: the ones without a new version are brought up to date here.
      if (!renamed) for (const documentId of documentIds) this.deps.reindex(documentId);
      this.deps.audit.append({
        action: 'customer.update',
        targetType: 'customer',
        targetId: String(existing.id),
        details: {
          fields: Object.fromEntries(changed.map((field) => [field, { from: before[field], to: after[field] }])),
          ...(input.reason ? { reason: input.reason } : {}),
        },
      });
      return after;
    });
  }

  private documentIdsOf(customerId: number): number[] {
    return this.db
      .select({ id: documents.id })
      .from(documents)
      .where(eq(documents.customerId, customerId))
      .all()
      .map((row) => row.id);
  }

  /**
   * Merges `from` into `into`: every document naming `from` gets a new version naming `into`, its signers
   * and authorizations move, its name and aliases become aliases of `into`, and `from` leaves the register.
   * Its code and CRM id are kept by `into` only where `into` has none.
   */
  merge(fromKey: number | string, intoKey: number | string, reason: string | null): CustomerMergeResult {
    return inTransaction(this.deps.connection.sqlite, () => {
      const from = this.find(fromKey);
      const into = this.find(intoKey);
      if (from.id === into.id) {
        throw new SlipVaultError('VALIDATION', `A customer cannot be merged into itself (${from.name}).`, { from: from.name, into: into.name }).withMessage(
          'customers.mergeIntoItself',
          { customer: from.name },
        );
      }
      const fromProfile = this.db.select().from(customerProfiles).where(eq(customerProfiles.customerId, from.id)).get();
      const intoProfile = this.db.select().from(customerProfiles).where(eq(customerProfiles.customerId, into.id)).get();
      const clash = this.db
        .select({ name: signers.name })
        .from(signers)
        .where(eq(signers.customerId, from.id))
        .all()
        .find((signer) =>
          this.db
            .select()
            .from(signers)
            .where(eq(signers.customerId, into.id))
            .all()
            .some((other) => other.name === signer.name),
        );
      if (clash) {
        throw new SlipVaultError('CONFLICT', `Both customers have a signer named ${clash.name}; rename or remove one before merging.`, {
          signer: clash.name,
        }).withMessage('customers.signerClash', { signer: clash.name });
      }
      const mergedIds = this.documentIdsOf(from.id);
      const intoIds = this.documentIdsOf(into.id);
      const now = this.deps.now();
      const archiveNos = this.deps.documents.followRecordChange(mergedIds, 'customer.merge', reason, () => {
        this.db.update(documents).set({ customerId: into.id }).where(eq(documents.customerId, from.id)).run();
        this.db.update(signers).set({ customerId: into.id }).where(eq(signers.customerId, from.id)).run();
        this.db.update(authorizations).set({ customerId: into.id }).where(eq(authorizations.customerId, from.id)).run();
        // Holds and the ledger's expected slips follow the customer (a hold keeps blocking disposal after a merge).
        this.db.update(holds).set({ customerId: into.id }).where(eq(holds.customerId, from.id)).run();
        this.db.update(ledgerRows).set({ customerId: into.id }).where(eq(ledgerRows.customerId, from.id)).run();
        this.db.delete(customerProfiles).where(eq(customerProfiles.customerId, from.id)).run();
        this.db.delete(customers).where(eq(customers.id, from.id)).run();
        const aliases = uniqueNames([...into.aliases, from.name, ...from.aliases], into.name);
        this.db.update(customers).set({ aliases }).where(eq(customers.id, into.id)).run();
        const kept = {
          code: intoProfile?.code ?? fromProfile?.code ?? null,
          crmId: intoProfile?.crmId ?? fromProfile?.crmId ?? null,
          contacts: [...(intoProfile?.contacts ?? []), ...(fromProfile?.contacts ?? [])],
          notes: [intoProfile?.notes, fromProfile?.notes].filter((note) => note).join('\n\n'),
        };
        this.db
          .insert(customerProfiles)
          .values({ customerId: into.id, ...kept, updatedAt: now })
          .onConflictDoUpdate({ target: customerProfiles.customerId, set: { ...kept, updatedAt: now } })
          .run();
        return { customer: into.name, mergedFrom: from.name };
      });
      for (const documentId of intoIds) this.deps.reindex(documentId);
      this.deps.audit.append({
        action: 'customer.merge',
        targetType: 'customer',
        targetId: String(into.id),
        details: { from: { id: from.id, name: from.name, aliases: from.aliases }, into: into.name, documents: archiveNos, ...(reason ? { reason } : {}) },
      });
      return { into: this.detailOf(this.find(into.id)), mergedName: from.name, documents: archiveNos };
    });
  }
}
