/**
 * The slip ledger as the archive holds it (docs/ledger.md): rows, saved mappings, the importer, the matcher
 * and the reminders over the archive's one connection. The archive calls `documentChanged` after every new
 * version and `suggestionsChanged` when OCR suggestions arrive; both match on the day of the archive's clock.
 */
import type { AppNotification } from '../../../shared/model';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import type { DocumentService } from '../documents/document-service';
import type { Inbox } from '../ingest/inbox';
import { LedgerMappings } from './import/column-mapping';
import { LedgerImporter } from './import/ledger-import';
import { Ledger } from './ledger';
import { LedgerMatcher } from './matching';
import { Reminders } from './reminders';

export interface LedgerServiceDeps {
  connection: Connection;
  audit: AuditLog;
  documents: DocumentService;
  inbox: Inbox;
  now: () => string;
  actor: () => string;
  /** The calendar day automatic matching records returns on. */
  today: () => string;
  notify: (notifications: AppNotification[]) => void;
}

export class LedgerService {
  readonly rows: Ledger;
  readonly mappings: LedgerMappings;
  readonly importer: LedgerImporter;
  readonly matcher: LedgerMatcher;
  readonly reminders: Reminders;

  constructor(private readonly deps: LedgerServiceDeps) {
    this.rows = new Ledger({ connection: deps.connection, audit: deps.audit, documents: deps.documents, now: deps.now, actor: deps.actor });
    this.mappings = new LedgerMappings(deps.connection.sqlite, deps.audit, deps.now);
    this.importer = new LedgerImporter(this.rows, this.mappings);
    this.matcher = new LedgerMatcher(this.rows, deps.documents, deps.inbox);
    this.reminders = new Reminders(deps.connection.sqlite, deps.audit, deps.now, deps.notify);
  }

  documentChanged(documentId: number): void {
    this.match(documentId);
  }

  suggestionsChanged(documentId: number): void {
    this.match(documentId);
  }

  /**
   * Matching follows a change that has already happened (a filing, an OCR result): if it fails, that change
   * stands and the failure is kept as an audit event rather than undoing or failing the clerk's work.
   */
  private match(documentId: number): void {
    try {
      this.rows.transaction(() => this.matcher.matchDocument(documentId, this.deps.today()));
    } catch (error) {
      this.deps.audit.append({
        action: 'ledger.match.failed',
        targetType: 'document',
        targetId: String(documentId),
        details: { message: (error as Error).message },
      });
    }
  }
}
