/**
 * Filing rules (docs/filing-rules.md): a document is filed only with a type, and with every field its type
 * requires (document_type_rules), unless a clerk gives an override reason. The check runs on the state the
 * write would commit — the edit or inbox filing runs inside a savepoint, is checked, and is rolled back when
 * it falls short — so suggestions accepted by the inbox count exactly as they would be stored.
 */
import { SlipVaultError } from '../../../shared/errors';
import { FILING_FIELDS, type DocumentDetail, type DocumentTypeRecord, type FilingField } from '../../../shared/model';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { inTransaction } from '../db/transaction';

/** The required fields that are document metadata (the rest, `signature`, is the signed check's). */
const METADATA_FIELDS = FILING_FIELDS.filter((field): field is Exclude<FilingField, 'signature'> => field !== 'signature');

/** What a filed document may lack: its type, or a field its type requires. */
export type MissingField = 'type' | FilingField;

export interface FilingRulesDeps {
  connection: Connection;
  audit: AuditLog;
  documentType: (code: string) => DocumentTypeRecord | null;
  /** Whether the signed check found a page of the document signed (stored results only: the caller runs missing checks first). */
  isSigned: (documentId: number) => boolean;
}

/** The fields `document` lacks to be filed under its type's rule, in the rule's order. */
export function missingForFiling(document: DocumentDetail, type: DocumentTypeRecord | null, signed: () => boolean): MissingField[] {
  if (!document.metadata.type) return ['type'];
  return (type?.requiredFields ?? []).filter((field) => (field === 'signature' ? !signed() : document.metadata[field] === null));
}

/** Whether a write left `document` filed in a way the rules must check: filed now, or a required field emptied. */
function needsCheck(before: DocumentDetail | null, after: DocumentDetail): boolean {
  if (after.status !== 'filed') return false;
  return before === null || before.status !== 'filed' || before.metadata.type !== after.metadata.type || emptiedAField(before, after);
}

function emptiedAField(before: DocumentDetail, after: DocumentDetail): boolean {
  return METADATA_FIELDS.some((field) => before.metadata[field] !== null && after.metadata[field] === null);
}

/** The version's reason when filed by override: the clerk's own reason (if any) and the override, naming what is missing. */
export function overrideReason(reason: string | null, override: string, missing: MissingField[]): string {
  const note = `filed without ${missing.join(', ')}: ${override}`;
  return reason ? `${reason} — ${note}` : note;
}

export class FilingRules {
  constructor(private readonly deps: FilingRulesDeps) {}

  /** Whether filing `documentId` may need the signed check: one of the types it may be filed as requires a signature. */
  mayNeedSignature(typeCodes: (string | null | undefined)[]): boolean {
    return typeCodes.some((code) => code && this.deps.documentType(code)?.requiredFields.includes('signature'));
  }

  /**
   * Runs `write` (an edit or an inbox filing, given the version's reason) so that what it commits obeys the
   * rules. Short of a field: refused with FILING_INCOMPLETE naming the fields, nothing stored; with an
   * override, written again with the override in the version's reason plus a `document.filing-override` event.
   */
  guard(before: DocumentDetail | null, reason: string | null, override: string | undefined, write: (reason: string | null) => DocumentDetail): DocumentDetail {
    const { connection, audit } = this.deps;
    return inTransaction(connection.sqlite, () => {
      let missing: MissingField[] = [];
      try {
        return inTransaction(connection.sqlite, () => {
          const after = write(reason);
          const type = after.metadata.type ? this.deps.documentType(after.metadata.type) : null;
          missing = needsCheck(before, after) ? missingForFiling(after, type, () => this.deps.isSigned(after.id)) : [];
          if (missing.length > 0) throw incomplete(after, missing);
          return after;
        });
      } catch (error) {
        if (missing.length === 0 || override === undefined) throw error;
      }
      const after = write(overrideReason(reason, override, missing));
      audit.append({
        action: 'document.filing-override',
        targetType: 'document',
        targetId: after.archiveNo,
        details: { version: after.currentVersion, missing, reason: override },
      });
      return after;
    });
  }
}

function incomplete(document: DocumentDetail, missing: MissingField[]): SlipVaultError {
  const type = document.metadata.type;
  const rule = type ? `type ${type} needs ${missing.join(', ')}` : 'a document needs a type';
  return new SlipVaultError(
    'FILING_INCOMPLETE',
    `${document.archiveNo} cannot be filed: ${rule} (missing: ${missing.join(', ')}). Fill them in, or give an override reason.`,
    { archiveNo: document.archiveNo, type, missing },
  ).withMessage('filing.incomplete', { archiveNo: document.archiveNo, fields: missing.join(', ') });
}
