/**
 * Document types, their keywords (the type suggestion matches them in a page's text) and the fields a
 * document of the type needs to be filed (table document_type_rules, docs/filing-rules.md). A type is
 * created or updated, never removed: documents keep the type code they were filed with.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import { fieldIssues } from '../../../shared/messages';
import { FILING_FIELDS, type DocumentTypeRecord, type FilingField } from '../../../shared/model';
import { documentTypeInput } from '../../../shared/settings-schema';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { documentTypeRules, documentTypes } from '../db/schema';
import { inTransaction } from '../db/transaction';

export interface DocumentTypeStoreDeps {
  connection: Connection;
  audit: AuditLog;
  /** Runs inside the save's transaction once the type is stored. */
  onChanged: () => void;
}

/** The same keyword twice (ignoring case and spaces, as matching does) is kept once. */
function distinctKeywords(keywords: string[]): string[] {
  const seen = new Set<string>();
  return keywords.filter((keyword) => {
    const key = keyword.toUpperCase().replace(/\s+/g, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export class DocumentTypeStore {
  constructor(private readonly deps: DocumentTypeStoreDeps) {}

  list(): DocumentTypeRecord[] {
    return this.deps.connection.db
      .select({
        code: documentTypes.code,
        nameZh: documentTypes.nameZh,
        nameEn: documentTypes.nameEn,
        keywords: documentTypes.keywords,
        requiredFields: sql<string | null>`${documentTypeRules.requiredFields}`,
      })
      .from(documentTypes)
      .leftJoin(documentTypeRules, eq(documentTypeRules.typeCode, documentTypes.code))
      .orderBy(asc(documentTypes.code))
      .all()
      .map((row) => ({ ...row, requiredFields: row.requiredFields === null ? [] : (JSON.parse(row.requiredFields) as FilingField[]) }));
  }

  get(code: string): DocumentTypeRecord | null {
    return this.list().find((type) => type.code === code) ?? null;
  }

  save(input: unknown): DocumentTypeRecord {
    const parsed = documentTypeInput.safeParse(input);
    if (!parsed.success) {
      throw new SlipVaultError('VALIDATION', parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message].filter(Boolean).join(': ')).join('; '))
        .withMessage('settings.invalidType')
        .withIssues(fieldIssues(parsed.error.issues));
    }
    const { connection, audit } = this.deps;
    return inTransaction(connection.sqlite, () => {
      const before = this.get(parsed.data.code);
      const record: DocumentTypeRecord = {
        ...parsed.data,
        keywords: distinctKeywords(parsed.data.keywords),
        requiredFields: FILING_FIELDS.filter((field) => (parsed.data.requiredFields ?? before?.requiredFields ?? []).includes(field)),
      };
      if (before && JSON.stringify(before) === JSON.stringify(record)) return before;
      const clash = this.list().find(
        (type) => type.code !== record.code && (type.nameZh === record.nameZh || type.nameEn.toLowerCase() === record.nameEn.toLowerCase()),
      );
      if (clash) {
        throw new SlipVaultError('CONFLICT', `The type ${clash.code} is already called ${clash.nameZh} / ${clash.nameEn}; give this type another name.`, {
          code: clash.code,
        }).withMessage('settings.typeNameTaken', { nameZh: clash.nameZh, nameEn: clash.nameEn });
      }
      const { code, requiredFields, ...fields } = record;
      connection.db
        .insert(documentTypes)
        .values({ code, ...fields })
        .onConflictDoUpdate({ target: documentTypes.code, set: fields })
        .run();
      connection.db
        .insert(documentTypeRules)
        .values({ typeCode: code, requiredFields })
        .onConflictDoUpdate({ target: documentTypeRules.typeCode, set: { requiredFields } })
        .run();
      audit.append({
        action: before ? 'document-type.update' : 'document-type.create',
        targetType: 'document-type',
        targetId: code,
        details: { old: before, new: record },
      });
      this.deps.onChanged();
      return record;
    });
  }
}
