/**
 * Matching documents to the ledger. When a document is filed or edited (documents:changed) or its OCR
 * suggestions arrive, its slip numbers — the typed one, then barcode and text suggestions — are looked up
 * among the open rows: an exact match (same normalised number, same customer or none on the document)
 * links it; anything less (one or two characters off, another customer) only becomes a candidate the clerk
 * confirms with ledger:link. A pair a clerk unlinked is never linked again by the matcher.
 */
import type { Database } from 'better-sqlite3';
import type { DocumentSummary, LedgerCandidate } from '../../../shared/model';
import { ACCEPT_CONFIDENCE, type Inbox } from '../ingest/inbox';
import type { DocumentService } from '../documents/document-service';
import type { Ledger } from './ledger';
import { ROW_COLUMNS, ROW_FROM, toLedgerRow, type StoredRow } from './row-view';
import { slipKey } from './slip-key';
import { withinDistance } from './near-match';
import { onPostgres } from '../db/pg-sync/pg-connection';

/** Slip numbers further apart than this are different slips. */
export const MAX_NEAR_DISTANCE = 2;

interface SlipReading {
  slipNo: string;
  source: LedgerCandidate['source'];
}

const OPEN_ROW = `r.cancelled_at IS NULL AND r.document_id IS NULL`;

export class LedgerMatcher {
  private readonly sqlite: Database;

  constructor(
    private readonly ledger: Ledger,
    private readonly documents: DocumentService,
    private readonly inbox: Inbox,
  ) {
    this.sqlite = ledger.deps.connection.sqlite;
    // PostgreSQL cannot call JavaScript from SQL: there, nearRows() compares the rows it reads instead.
    if (onPostgres(this.sqlite)) return;
    // Compared inside SQLite's scan of the open rows, so only the near ones become JavaScript rows.
    this.sqlite.function('slip_distance', { deterministic: true }, (typed: unknown, stored: unknown) =>
      withinDistance(String(typed), String(stored), MAX_NEAR_DISTANCE),
    );
  }

  /** The document's slip numbers, the typed one first, then suggestions confident enough to file. */
  private readings(document: DocumentSummary): SlipReading[] {
    const readings: SlipReading[] = [];
    const add = (value: string, source: SlipReading['source']) => {
      const slipNo = slipKey(value);
      if (slipNo && !readings.some((reading) => reading.slipNo === slipNo)) readings.push({ slipNo, source });
    };
    if (document.slipNo) add(document.slipNo, 'document');
    for (const suggestion of this.inbox.suggestionsOf(document.id)) {
      if (suggestion.field === 'slipNo' && suggestion.confidence >= ACCEPT_CONFIDENCE)
        add(suggestion.value, suggestion.source === 'barcode' ? 'barcode' : 'suggestion');
    }
    return readings;
  }

  /**
   * Links the document to the open row its slip number names exactly, or moves its linked row on when it
   * was filed. Does nothing for voided documents and for changes the ledger made itself.
   */
  matchDocument(documentId: number, today: string): void {
    if (this.ledger.isWritingDocument) return;
    const document = this.documents.summary(documentId);
    if (document.status === 'voided') return;
    const linked = this.ledger.rowOfDocument(document.id);
    if (linked) {
      this.ledger.followFiling(linked.id, today);
      return;
    }
    for (const reading of this.readings(document)) {
      const row = this.ledger.prepare(`SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE r.slip_no = ? AND ${OPEN_ROW}`).get(reading.slipNo) as
        StoredRow | undefined;
      if (!row) continue;
      if (document.customer !== null && document.customer !== row.customer) continue;
      if (this.ledger.wasUnlinked(row.id, document.id)) continue;
      this.ledger.link(row.id, document.id, `slip ${row.slip_no} matched ${document.archiveNo} (${reading.source})`, today, 'match');
      return;
    }
  }

  /**
   * Open rows the document may have brought back, nearest first: exact numbers of another customer, then 1–2
   * characters off. SQLite reads only the open rows' slip numbers (their length already bounded) and keeps
   * those `slip_distance` finds near, each comparison stopping at the first prefix already too far off; whole
   * rows are read only for the near ones.
   */
  candidates(documentId: number, today: string): LedgerCandidate[] {
    const document = this.documents.summary(documentId);
    const near = new Map<number, { distance: number; reading: SlipReading }>();
    const nearRows = this.nearRows();
    for (const reading of this.readings(document)) {
      for (const { id, distance } of nearRows(reading.slipNo)) {
        const previous = near.get(id);
        if (!previous || distance < previous.distance) near.set(id, { distance, reading });
      }
    }
    const rowById = this.ledger.prepare(`SELECT ${ROW_COLUMNS} FROM ${ROW_FROM} WHERE r.id = ?`);
    return [...near.entries()]
      .map(([id, { distance, reading }]) => {
        const row = rowById.get(id) as StoredRow;
        const customerDiffers = document.customer !== null && document.customer !== row.customer;
        return { row: toLedgerRow(row, today), distance, slipNo: reading.slipNo, source: reading.source, customerDiffers };
      })
      .sort((a, b) => a.distance - b.distance || Number(a.customerDiffers) - Number(b.customerDiffers) || a.row.slipNo.localeCompare(b.row.slipNo));
  }

  /** The open rows whose slip number is at most MAX_NEAR_DISTANCE characters from `slipNo`, with that distance. */
  private nearRows(): (slipNo: string) => { id: number; distance: number }[] {
    const lengthBounds = (slipNo: string) => {
      const length = Array.from(slipNo).length;
      return [length - MAX_NEAR_DISTANCE, length + MAX_NEAR_DISTANCE];
    };
    if (onPostgres(this.sqlite)) {
      const openRows = this.ledger.prepare(`SELECT r.id, r.slip_no AS slipNo FROM ledger_rows r WHERE ${OPEN_ROW} AND length(r.slip_no) BETWEEN ? AND ?`);
      return (slipNo) =>
        (openRows.all(...lengthBounds(slipNo)) as { id: number; slipNo: string }[]).flatMap(({ id, slipNo: stored }) => {
          const distance = withinDistance(slipNo, stored, MAX_NEAR_DISTANCE);
          return distance === null ? [] : [{ id, distance }];
        });
    }
    const nearRows = this.ledger.prepare(
      `SELECT r.id, slip_distance(?, r.slip_no) AS distance FROM ledger_rows r
        WHERE ${OPEN_ROW} AND length(r.slip_no) BETWEEN ? AND ? AND distance IS NOT NULL`,
    );
    return (slipNo) => nearRows.all(slipNo, ...lengthBounds(slipNo)) as { id: number; distance: number }[];
  }

  /** Filed documents with a slip number and no live row linked to them: slips nobody expected. */
  unexpected(limit: number, offset: number): { items: { document: DocumentSummary }[]; total: number } {
    const where = `d.status = 'filed' AND d.slip_no IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_rows r WHERE r.document_id = d.id AND r.document_id IS NOT NULL AND r.cancelled_at IS NULL)`;
    const ids = this.sqlite.prepare(`SELECT d.id FROM documents d WHERE ${where} ORDER BY d.id DESC LIMIT ? OFFSET ?`).pluck().all(limit, offset) as number[];
    const total = this.sqlite.prepare(`SELECT count(*) FROM documents d WHERE ${where}`).pluck().get() as number;
    return { items: ids.map((id) => ({ document: this.documents.summary(id) })), total };
  }
}
