/**
 * The archive's list of places paper originals are kept: cabinets hold shelves, shelves hold boxes (free
 * codes, e.g. cabinet A, shelf A-3, box B2026-014). A document names one of them as a new version
 * (DocumentService.setLocation); search `location:CODE` finds the documents in that place or anywhere under it.
 */
import { asc, count, eq } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import type { LocationKind, StorageLocation } from '../../../shared/records';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { documentLocations, documents, storageLocations } from '../db/schema';
import { inTransaction } from '../db/transaction';

/** What may hold what: a shelf sits in a cabinet, a box in a cabinet or on a shelf. */
const PARENT_KINDS: Record<LocationKind, LocationKind[]> = { cabinet: [], shelf: ['cabinet'], box: ['cabinet', 'shelf'] };

type LocationRow = typeof storageLocations.$inferSelect;

export class LocationStore {
  private readonly db: Connection['db'];

  constructor(private readonly deps: { connection: Connection; audit: AuditLog; now: () => string }) {
    this.db = deps.connection.db;
  }

  private rows(): Map<string, LocationRow> {
    return new Map(
      this.db
        .select()
        .from(storageLocations)
        .orderBy(asc(storageLocations.code))
        .all()
        .map((row) => [row.code, row]),
    );
  }

  private pathOf(code: string, rows: Map<string, LocationRow>): string[] {
    const path: string[] = [];
    for (let at: LocationRow | undefined = rows.get(code); at; at = at.parentCode === null ? undefined : rows.get(at.parentCode)) path.unshift(at.code);
    return path;
  }

  list(): StorageLocation[] {
    const rows = this.rows();
    const counts = new Map(
      this.db
        .select({ code: documentLocations.locationCode, n: count() })
        .from(documentLocations)
        .groupBy(documentLocations.locationCode)
        .all()
        .map((row) => [row.code, row.n]),
    );
    return [...rows.values()].map((row) => ({
      code: row.code,
      kind: row.kind,
      label: row.label,
      parentCode: row.parentCode,
      path: this.pathOf(row.code, rows),
      documents: counts.get(row.code) ?? 0,
    }));
  }

  get(code: string): StorageLocation {
    const found = this.list().find((location) => location.code === code);
    if (!found)
      throw new SlipVaultError('NOT_FOUND', `There is no storage location "${code}".`, { location: code }).withMessage('locations.notFound', {
        location: code,
      });
    return found;
  }

  /** Adds a location or changes its label or parent; its kind is fixed once documents name it. */
  save(input: { code: string; kind: LocationKind; label: string; parentCode: string | null }): StorageLocation {
    inTransaction(this.deps.connection.sqlite, () => {
      const rows = this.rows();
      const existing = rows.get(input.code);
      if (input.parentCode !== null) {
        const parent = rows.get(input.parentCode);
        if (!parent)
          throw new SlipVaultError('NOT_FOUND', `There is no storage location "${input.parentCode}" to put ${input.code} in.`, {
            field: 'parentCode',
          }).withMessage('locations.parentNotFound', { parent: input.parentCode, location: input.code });
        if (!PARENT_KINDS[input.kind].includes(parent.kind)) {
          throw new SlipVaultError('VALIDATION', `A ${input.kind} cannot be kept in a ${parent.kind}.`, { field: 'parentCode' }).withMessage(
            'locations.wrongNesting',
            { kind: input.kind, parentKind: parent.kind },
          );
        }
        if (this.pathOf(input.parentCode, rows).includes(input.code)) {
          throw new SlipVaultError('VALIDATION', `${input.code} cannot be kept inside itself.`, { field: 'parentCode' }).withMessage('locations.insideItself', {
            location: input.code,
          });
        }
      }
      if (existing && existing.kind !== input.kind) {
        throw new SlipVaultError('CONFLICT', `${input.code} is a ${existing.kind}; a location keeps its kind.`, { field: 'kind' }).withMessage(
          'locations.keepsKind',
          { location: input.code, kind: existing.kind },
        );
      }
      if (existing && existing.label === input.label && existing.parentCode === input.parentCode) {
        throw new SlipVaultError('CONFLICT', `Nothing changed: ${input.code} already has these values.`, { location: input.code }).withMessage(
          'locations.nothingChanged',
          { location: input.code },
        );
      }
      if (existing) {
        this.db.update(storageLocations).set({ label: input.label, parentCode: input.parentCode }).where(eq(storageLocations.code, input.code)).run();
      } else {
        this.db
          .insert(storageLocations)
          .values({ ...input, createdAt: this.deps.now() })
          .run();
      }
      this.deps.audit.append({
        action: existing ? 'location.update' : 'location.create',
        targetType: 'location',
        targetId: input.code,
        details: { ...input, ...(existing ? { before: { label: existing.label, parentCode: existing.parentCode } } : {}) },
      });
    });
    return this.get(input.code);
  }

  /** The code and every location under it. */
  within(code: string): string[] {
    const rows = this.rows();
    if (!rows.has(code))
      throw new SlipVaultError('VALIDATION', `Search query problem: there is no storage location "${code}".`, { field: 'location' }).withMessage(
        'search.unknownLocation',
        { location: code },
      );
    return [...rows.keys()].filter((candidate) => this.pathOf(candidate, rows).includes(code));
  }

  /** Archive numbers and titles of the documents kept in `code` itself, in archive order. */
  documentsIn(code: string): { archiveNo: string; title: string; signedDate: string | null }[] {
    return this.db
      .select({ archiveNo: documents.archiveNo, title: documents.title, signedDate: documents.signedDate })
      .from(documentLocations)
      .innerJoin(documents, eq(documents.id, documentLocations.documentId))
      .where(eq(documentLocations.locationCode, code))
      .orderBy(asc(documents.archiveNo))
      .all();
  }
}
