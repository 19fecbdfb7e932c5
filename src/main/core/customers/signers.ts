/**
 * The people who sign for a customer, with their valid period and scanned specimen signature and seal
 * (stored as blobs, like originals). Each change is one transaction with its audit event.
 */
import { asc, eq } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { SignerRecord } from '../../../shared/records';
import type { AuditLog } from '../audit/audit-log';
import type { ArchiveDb, Connection } from '../db/connection';
import { customers, signers } from '../db/schema';
import { inTransaction } from '../db/transaction';
import { inspectFile } from '../ingest/inspect';
import type { BlobStore } from '../store/blobs';

export function listSigners(db: ArchiveDb, customerId?: number): SignerRecord[] {
  const query = db.select({ signer: signers, customer: customers.name }).from(signers).innerJoin(customers, eq(customers.id, signers.customerId));
  return (customerId === undefined ? query : query.where(eq(signers.customerId, customerId)))
    .orderBy(asc(signers.name))
    .all()
    .map(({ signer, customer }) => ({
      id: signer.id,
      customerId: signer.customerId,
      customer,
      name: signer.name,
      title: signer.title,
      contact: signer.contact,
      validFrom: signer.validFrom,
      validTo: signer.validTo,
      signatureBlob: signer.signatureBlob,
      sealBlob: signer.sealBlob,
    }));
}

export interface SignerChanges {
  id?: number | undefined;
  customerId: number;
  name: string;
  title?: string | null | undefined;
  contact?: string | null | undefined;
  validFrom?: string | null | undefined;
  validTo?: string | null | undefined;
  signatureImage?: string | undefined;
  sealImage?: string | undefined;
}

/** A specimen must be a readable JPEG or PNG; it is stored as a blob and named by its hash. */
async function storeSpecimen(blobs: BlobStore, path: string, what: string): Promise<string> {
  const file = await inspectFile(path);
  if (file.mime !== 'image/jpeg' && file.mime !== 'image/png') {
    throw new SlipVaultError('UNSUPPORTED_FILE', `A specimen ${what} is a JPEG or PNG image; ${file.filename} is ${file.mime}.`, { file: path }).withMessage(
      'signers.specimenNotImage',
      { file: file.filename },
    );
  }
  return blobs.put(file.bytes);
}

function withoutTimestamps({ createdAt: _created, updatedAt: _updated, ...rest }: typeof signers.$inferSelect) {
  return rest;
}

export class SignerStore {
  constructor(private readonly deps: { connection: Connection; audit: AuditLog; blobs: BlobStore; now: () => string }) {}

  list(customerId?: number): SignerRecord[] {
    return listSigners(this.deps.connection.db, customerId);
  }

  async save(changes: SignerChanges): Promise<SignerRecord> {
    const signatureBlob = changes.signatureImage ? await storeSpecimen(this.deps.blobs, changes.signatureImage, 'signature') : undefined;
    const sealBlob = changes.sealImage ? await storeSpecimen(this.deps.blobs, changes.sealImage, 'seal') : undefined;
    const { db } = this.deps.connection;
    return inTransaction(this.deps.connection.sqlite, () => {
      const now = this.deps.now();
      const existing = changes.id === undefined ? undefined : db.select().from(signers).where(eq(signers.id, changes.id)).get();
      if (changes.id !== undefined && !existing)
        throw new SlipVaultError('NOT_FOUND', `There is no signer with id ${changes.id}.`, { signer: changes.id }).withMessage('signers.notFound', {
          id: changes.id,
        });
      const namesake = db
        .select()
        .from(signers)
        .where(eq(signers.customerId, changes.customerId))
        .all()
        .find((signer) => signer.name === changes.name && signer.id !== existing?.id);
      if (namesake)
        throw new SlipVaultError('DUPLICATE', `This customer already has a signer named ${changes.name}.`, { field: 'name' }).withMessage('signers.nameTaken', {
          name: changes.name,
        });
      const values = {
        customerId: changes.customerId,
        name: changes.name,
        title: changes.title !== undefined ? changes.title : (existing?.title ?? null),
        contact: changes.contact !== undefined ? changes.contact : (existing?.contact ?? null),
        validFrom: changes.validFrom !== undefined ? changes.validFrom : (existing?.validFrom ?? null),
        validTo: changes.validTo !== undefined ? changes.validTo : (existing?.validTo ?? null),
        signatureBlob: signatureBlob ?? existing?.signatureBlob ?? null,
        sealBlob: sealBlob ?? existing?.sealBlob ?? null,
      };
      if (values.validFrom && values.validTo && values.validFrom > values.validTo) {
        throw new SlipVaultError('VALIDATION', `A signer's valid period cannot end (${values.validTo}) before it starts (${values.validFrom}).`, {
          field: 'validTo',
        }).withMessage('signers.endsBeforeStart', { validTo: values.validTo ?? '', validFrom: values.validFrom ?? '' });
      }
      const row = existing
        ? db
            .update(signers)
            .set({ ...values, updatedAt: now })
            .where(eq(signers.id, existing.id))
            .returning()
            .get()
        : db
            .insert(signers)
            .values({ ...values, createdAt: now, updatedAt: now })
            .returning()
            .get();
      this.deps.audit.append({
        action: existing ? 'signer.update' : 'signer.create',
        targetType: 'signer',
        targetId: String(row.id),
        details: { ...values, ...(existing ? { before: withoutTimestamps(existing) } : {}) },
      });
      return listSigners(db, row.customerId).find((signer) => signer.id === row.id)!;
    });
  }
}
