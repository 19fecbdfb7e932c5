/**
 * Extending a document's retention: a new version of the document (action `retention.extend`, audited
 * by the one write path). An extension can only move the end later, never before the type's end or an
 * earlier extension.
 */
import { SlipVaultError } from '../../../shared/errors';
import type { Archive } from '../archive';
import type { RetentionStates } from './retention-state';

export function extendRetention(archive: Archive, states: RetentionStates, ref: string | number, until: string, reason: string): void {
  archive.documents.recordChange(ref, 'retention.extend', reason, (row, now) => {
    const state = states.of(row.id);
    if (state.schedule !== null && state.schedule.years === null) {
      throw new SlipVaultError('CONFLICT', `${row.archiveNo} is a ${state.typeCode} and kept permanently; there is nothing to extend.`, {
        archiveNo: row.archiveNo,
      }).withMessage('retention.permanent', { archiveNo: row.archiveNo });
    }
    const current = state.dueDate ?? state.retainUntil;
    if (current !== null && until <= current) {
      throw new SlipVaultError(
        'RETENTION_SHORTENED',
        `${row.archiveNo} must be kept until ${current}${current === state.typeDueDate ? ` (its type ${state.typeCode}: ${state.schedule?.years} years)` : ' (an earlier extension)'}; an extension must end later than that, not on ${until}.`,
        { archiveNo: row.archiveNo, keptUntil: current, requested: until },
      ).withMessage('retention.extensionTooShort', { archiveNo: row.archiveNo, keptUntil: current });
    }
    archive.connection.sqlite
      .prepare('INSERT INTO retention_extensions (document_id, retain_until, reason, actor, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(row.id, until, reason, archive.actor(), now);
    return { retainUntil: { from: current, to: until } };
  });
}
