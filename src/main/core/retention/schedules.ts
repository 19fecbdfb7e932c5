/**
 * Retention schedules per document type. The migration ships defaults (docs/retention.md names the rule
 * each follows); an administrator may change them, each change audited with the old and new schedule.
 * A type without a schedule is kept permanently.
 */
import { SlipVaultError } from '../../../shared/errors';
import type { RetentionAction, RetentionSchedule, RetentionStartEvent } from '../../../shared/model';
import type { Archive } from '../archive';
import { inTransaction } from '../db/transaction';

const SCHEDULE_COLUMNS = `type_code AS typeCode, start_event AS startEvent, years, action, basis, updated_at AS updatedAt FROM retention_schedules`;

export interface ScheduleInput {
  typeCode: string;
  startEvent: RetentionStartEvent;
  years: number | null;
  action: RetentionAction;
  basis: string;
}

export class RetentionSchedules {
  constructor(private readonly archive: Archive) {}

  list(): RetentionSchedule[] {
    return this.archive.connection.sqlite.prepare(`SELECT ${SCHEDULE_COLUMNS} ORDER BY type_code`).all() as RetentionSchedule[];
  }

  get(typeCode: string): RetentionSchedule | null {
    return (this.archive.connection.sqlite.prepare(`SELECT ${SCHEDULE_COLUMNS} WHERE type_code = ?`).get(typeCode) as RetentionSchedule | undefined) ?? null;
  }

  save(input: ScheduleInput): RetentionSchedule {
    const sqlite = this.archive.connection.sqlite;
    return inTransaction(sqlite, () => {
      if (!this.archive.types.list().some((type) => type.code === input.typeCode)) {
        throw new SlipVaultError('NOT_FOUND', `There is no document type "${input.typeCode}".`, { field: 'typeCode' }).withMessage('retention.unknownType', {
          type: input.typeCode,
        });
      }
      const before = this.get(input.typeCode);
      const fields = ['startEvent', 'years', 'action', 'basis'] as const;
      const previous = before && Object.fromEntries(fields.map((field) => [field, before[field]]));
      if (before && fields.every((field) => before[field] === input[field])) {
        throw new SlipVaultError('CONFLICT', `Nothing changed: the schedule of ${input.typeCode} already has these values.`).withMessage(
          'retention.nothingChanged',
        );
      }
      sqlite
        .prepare(
          `INSERT INTO retention_schedules (type_code, start_event, years, action, basis, updated_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT(type_code) DO UPDATE SET start_event = excluded.start_event, years = excluded.years, action = excluded.action,
               basis = excluded.basis, updated_at = excluded.updated_at`,
        )
        .run(input.typeCode, input.startEvent, input.years, input.action, input.basis, new Date().toISOString());
      const after = this.get(input.typeCode)!;
      this.archive.audit.append({
        action: 'retention.schedule',
        targetType: 'document-type',
        targetId: input.typeCode,
        details: { from: previous, to: Object.fromEntries(fields.map((field) => [field, input[field]])) },
      });
      return after;
    });
  }
}
