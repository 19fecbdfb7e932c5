/**
 * Reads a document's current state as a version snapshot, and writes a snapshot back as the current
 * state. Both edits and restores go through writeMetadata/writePages, so a restored version is exactly
 * what an edit to those values would have produced.
 */
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { DocumentMetadata, DocumentSnapshot, PageSnapshot, Rotation } from '../../../shared/model';
import type { ArchiveDb } from '../db/connection';
import { customers, documentLocations, documents, documentTags, documentTypes, pages, sourceFiles, storageLocations, tags } from '../db/schema';
import { fromMinorUnits, toMinorUnits } from './amount';
import { snapshotRetentions } from '../retention/snapshot-retention';

export const DEFAULT_CURRENCY = 'CNY';

/*
 * The readers below take a list of documents and read each part with one query for all of them, so that `check`
 * reads an archive in a few queries per batch instead of several per document (on PostgreSQL each query is a
 * network round trip). The one-document readers are these called with one id: a snapshot a version records and
 * the one `check` compares it with are built by the same code.
 */

function notFound(documentId: number): SlipVaultError {
  return new SlipVaultError('NOT_FOUND', `Document ${documentId} does not exist.`).withMessage('documents.idNotFound', { documentId });
}

/** The metadata of each of the documents that exists. */
export function readMetadataOf(db: ArchiveDb, documentIds: readonly number[]): Map<number, DocumentMetadata> {
  const metadata = new Map<number, DocumentMetadata>();
  if (documentIds.length === 0) return metadata;
  const ids = [...documentIds];
  const rows = db
    .select({ document: documents, customer: customers.name })
    .from(documents)
    .leftJoin(customers, eq(customers.id, documents.customerId))
    .where(inArray(documents.id, ids))
    .all();
  const tagNames = new Map<number, string[]>();
  const tagRows = db
    .select({ documentId: documentTags.documentId, name: tags.name })
    .from(documentTags)
    .innerJoin(tags, eq(tags.id, documentTags.tagId))
    .where(inArray(documentTags.documentId, ids))
    .all();
  for (const { documentId, name } of tagRows) tagNames.set(documentId, [...(tagNames.get(documentId) ?? []), name]);
  for (const { document, customer } of rows) {
    metadata.set(document.id, {
      title: document.title,
      customer,
      type: document.typeCode,
      signedDate: document.signedDate,
      slipNo: document.slipNo,
      amount: document.amountMinor === null ? null : fromMinorUnits(document.amountMinor),
      currency: document.currency,
      signer: document.signer,
      status: document.status,
      tags: (tagNames.get(document.id) ?? []).sort(),
      notes: document.notes,
    });
  }
  return metadata;
}

export function readMetadata(db: ArchiveDb, documentId: number): DocumentMetadata {
  const metadata = readMetadataOf(db, [documentId]).get(documentId);
  if (!metadata) throw notFound(documentId);
  return metadata;
}

/** The pages (in order) of each of the documents; a document without pages, or none, has an empty list. */
export function readPagesOf(db: ArchiveDb, documentIds: readonly number[]): Map<number, PageSnapshot[]> {
  const pagesOf = new Map<number, PageSnapshot[]>(documentIds.map((id) => [id, []]));
  if (documentIds.length === 0) return pagesOf;
  const rows = db
    .select({
      documentId: pages.documentId,
      pageId: pages.id,
      blobHash: sourceFiles.blobHash,
      sourcePage: pages.sourcePage,
      rotation: pages.rotation,
      text: pages.text,
    })
    .from(pages)
    .innerJoin(sourceFiles, eq(sourceFiles.id, pages.sourceFileId))
    .where(and(inArray(pages.documentId, [...documentIds]), isNotNull(pages.position)))
    .orderBy(asc(pages.documentId), asc(pages.position))
    .all();
  for (const { documentId, pageId, blobHash, sourcePage, rotation, text } of rows) {
    pagesOf.get(documentId)?.push({ pageId, blobHash, sourcePage, rotation: rotation as Rotation, text });
  }
  return pagesOf;
}

export function readPages(db: ArchiveDb, documentId: number): PageSnapshot[] {
  return readPagesOf(db, [documentId]).get(documentId) ?? [];
}

/** The current state of each of the documents that exists, as a version records it, in the order asked for. */
export function readSnapshots(db: ArchiveDb, documentIds: readonly number[]): Map<number, DocumentSnapshot> {
  const snapshots = new Map<number, DocumentSnapshot>();
  if (documentIds.length === 0) return snapshots;
  const retentions = snapshotRetentions(db, documentIds);
  const locations = new Map(
    db
      .select({ documentId: documentLocations.documentId, code: documentLocations.locationCode })
      .from(documentLocations)
      .where(inArray(documentLocations.documentId, [...documentIds]))
      .all()
      .map(({ documentId, code }) => [documentId, code]),
  );
  const metadata = readMetadataOf(db, documentIds);
  const pagesOf = readPagesOf(db, documentIds);
  for (const documentId of documentIds) {
    const documentMetadata = metadata.get(documentId);
    if (!documentMetadata) continue;
    const retention = retentions.get(documentId);
    const location = locations.get(documentId);
    snapshots.set(documentId, {
      metadata: documentMetadata,
      pages: pagesOf.get(documentId) ?? [],
      ...(retention ? { retention } : {}),
      ...(location !== undefined ? { location } : {}),
    });
  }
  return snapshots;
}

export function readSnapshot(db: ArchiveDb, documentId: number): DocumentSnapshot {
  const snapshot = readSnapshots(db, [documentId]).get(documentId);
  if (!snapshot) throw notFound(documentId);
  return snapshot;
}

/** Sets (or with null clears) where the document's paper original is; the code must be in the location list. */
export function writeLocation(db: ArchiveDb, documentId: number, code: string | null): void {
  db.delete(documentLocations).where(eq(documentLocations.documentId, documentId)).run();
  if (code === null) return;
  const known = db.select({ code: storageLocations.code }).from(storageLocations).where(eq(storageLocations.code, code)).get();
  if (!known)
    throw new SlipVaultError('NOT_FOUND', `There is no storage location "${code}"; add it to the location list first.`, { location: code }).withMessage(
      'locations.unknownForDocument',
      { location: code },
    );
  db.insert(documentLocations).values({ documentId, locationCode: code }).run();
}

function customerIdFor(db: ArchiveDb, name: string, now: string): number {
  const exact = db.select({ id: customers.id }).from(customers).where(eq(customers.name, name)).get();
  if (exact) return exact.id;
  const byAlias = db
    .select({ id: customers.id, aliases: customers.aliases })
    .from(customers)
    .all()
    .find((customer) => customer.aliases.includes(name));
  if (byAlias) return byAlias.id;
  return db.insert(customers).values({ name, aliases: [], createdAt: now }).returning({ id: customers.id }).get().id;
}

function requireDocumentType(db: ArchiveDb, code: string): string {
  const known = db.select({ code: documentTypes.code }).from(documentTypes).all();
  if (!known.some((type) => type.code === code)) {
    throw new SlipVaultError('VALIDATION', `Unknown document type "${code}". Known types: ${known.map((type) => type.code).join(', ')}.`, {
      field: 'type',
    }).withMessage('documents.unknownType', { type: code });
  }
  return code;
}

function writeTags(db: ArchiveDb, documentId: number, names: string[]): void {
  db.delete(documentTags).where(eq(documentTags.documentId, documentId)).run();
  for (const name of new Set(names)) {
    const existing = db.select({ id: tags.id }).from(tags).where(eq(tags.name, name)).get();
    const tagId = existing?.id ?? db.insert(tags).values({ name }).returning({ id: tags.id }).get().id;
    db.insert(documentTags).values({ documentId, tagId }).run();
  }
}

/** Writes the given fields (already validated by the contract) as the document's current metadata. */
export function writeMetadata(db: ArchiveDb, documentId: number, changes: Partial<DocumentMetadata>, now: string): void {
  const update: Partial<typeof documents.$inferInsert> = { updatedAt: now };
  if (changes.title !== undefined) update.title = changes.title;
  if (changes.customer !== undefined) update.customerId = changes.customer === null ? null : customerIdFor(db, changes.customer, now);
  if (changes.type !== undefined) update.typeCode = changes.type === null ? null : requireDocumentType(db, changes.type);
  if (changes.signedDate !== undefined) update.signedDate = changes.signedDate;
  if (changes.slipNo !== undefined) update.slipNo = changes.slipNo;
  if (changes.amount !== undefined) update.amountMinor = changes.amount === null ? null : toMinorUnits(changes.amount);
  if (changes.currency !== undefined) update.currency = changes.currency;
  if (changes.signer !== undefined) update.signer = changes.signer;
  if (changes.status !== undefined) update.status = changes.status;
  if (changes.notes !== undefined) update.notes = changes.notes;
  db.update(documents).set(update).where(eq(documents.id, documentId)).run();
  if (changes.tags !== undefined) writeTags(db, documentId, changes.tags);

  const current = db.select({ amount: documents.amountMinor, currency: documents.currency }).from(documents).where(eq(documents.id, documentId)).get();
  if (current && current.amount !== null && current.currency === null) {
    db.update(documents).set({ currency: DEFAULT_CURRENCY }).where(eq(documents.id, documentId)).run();
  }
}

/** Makes the document's page list exactly `wanted` (pages keep their rows when removed, see schema). */
export function writePages(db: ArchiveDb, documentId: number, wanted: PageSnapshot[]): void {
  const owned = db.select({ id: pages.id }).from(pages).where(eq(pages.documentId, documentId)).all();
  const ownedIds = new Set(owned.map((page) => page.id));
  const foreign = wanted.filter((page) => !ownedIds.has(page.pageId));
  if (foreign.length > 0) {
    throw new SlipVaultError('VALIDATION', `Page ${foreign[0]?.pageId} does not belong to this document.`, { pageId: foreign[0]?.pageId }).withMessage(
      'pages.foreign',
      { pageId: foreign[0]?.pageId ?? '' },
    );
  }
  db.update(pages).set({ position: null }).where(eq(pages.documentId, documentId)).run();
  wanted.forEach((page, index) => {
    db.update(pages)
      .set({ position: index + 1, rotation: page.rotation, text: page.text })
      .where(eq(pages.id, page.pageId))
      .run();
  });
}
