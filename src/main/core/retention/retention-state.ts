/**
 * Where each document stands: its type's schedule, when its period started and ends, the extension in
 * force, holds, and whether it is in an open disposal batch or already disposed of. The due list is the
 * documents whose end has come on a given day (the clock is passed in, so tests and requests name it).
 */
import type { RetentionState } from '../../../shared/model';
import type { Archive } from '../archive';
import { authorizationEnds } from './authorization-ends';
import { addYears, startDate } from './dates';
import type { Holds } from './holds';
import type { RetentionSchedules } from './schedules';

interface StateRow {
  id: number;
  archiveNo: string;
  title: string;
  customer: string | null;
  typeCode: string | null;
  signedDate: string | null;
  retainUntil: string | null;
  pendingBatch: number | null;
  disposedBatch: number | null;
  disposedAt: string | null;
}

export type DocumentRetention = RetentionState & { id: number };

const STATE_QUERY = `
  SELECT d.id, d.archive_no AS archiveNo, d.title, c.name AS customer, d.type_code AS typeCode, d.signed_date AS signedDate,
    (SELECT max(e.retain_until) FROM retention_extensions e WHERE e.document_id = d.id) AS retainUntil,
    (SELECT b.id FROM disposal_items i JOIN disposal_batches b ON b.id = i.batch_id WHERE i.document_id = d.id AND b.status = 'requested') AS pendingBatch,
    t.batch_id AS disposedBatch, t.disposed_at AS disposedAt
  FROM documents d LEFT JOIN customers c ON c.id = d.customer_id LEFT JOIN disposed_documents t ON t.document_id = d.id`;

export class RetentionStates {
  constructor(
    private readonly archive: Archive,
    private readonly schedules: RetentionSchedules,
    private readonly holds: Holds,
  ) {}

  /** Dates first, for every row; holds (a query each) only for the documents a caller keeps. */
  private dated(rows: StateRow[]): DocumentRetention[] {
    const schedules = new Map(this.schedules.list().map((schedule) => [schedule.typeCode, schedule]));
    const ends = authorizationEnds(this.archive.connection.sqlite);
    return rows.map((row) => {
      const schedule = row.typeCode === null ? null : (schedules.get(row.typeCode) ?? null);
      const start = schedule === null ? null : startDate(schedule.startEvent, { signedDate: row.signedDate, authorizationEnd: ends.get(row.id) ?? null });
      const typeDueDate = start === null || schedule?.years == null ? null : addYears(start, schedule.years);
      const dueDate = typeDueDate === null ? null : row.retainUntil !== null && row.retainUntil > typeDueDate ? row.retainUntil : typeDueDate;
      return {
        id: row.id,
        archiveNo: row.archiveNo,
        title: row.title,
        customer: row.customer,
        typeCode: row.typeCode,
        schedule,
        startDate: start,
        typeDueDate,
        retainUntil: row.retainUntil,
        dueDate,
        holds: [],
        pendingBatch: row.pendingBatch,
        disposed: row.disposedBatch === null ? null : { batchId: row.disposedBatch, at: row.disposedAt! },
      };
    });
  }

  private withHolds(states: DocumentRetention[]): DocumentRetention[] {
    const holds = this.holds.inForce(states.map((state) => state.id));
    return states.map((state) => ({ ...state, holds: holds.get(state.id) ?? [] }));
  }

  of(ref: string | number): DocumentRetention {
    const { id } = this.archive.documents.summary(ref);
    return this.withHolds(this.dated(this.archive.connection.sqlite.prepare(`${STATE_QUERY} WHERE d.id = ?`).all(id) as StateRow[]))[0]!;
  }

  /** Documents whose retention has ended on `asOf` and that are not yet disposed of, held ones included (flagged). */
  due(asOf: string): DocumentRetention[] {
    const rows = this.archive.connection.sqlite.prepare(`${STATE_QUERY} ORDER BY d.id`).all() as StateRow[];
    return this.withHolds(this.dated(rows.filter((row) => row.disposedBatch === null)).filter((state) => state.dueDate !== null && state.dueDate <= asOf));
  }
}
