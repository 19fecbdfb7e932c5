/**
 * What `archive:moveToPostgres` answers (issue 20, "moving up"): what was copied and what both sides hold
 * afterwards, so the person who ran it can compare the two audit chain heads themselves.
 */
export interface AuditChainEnd {
  events: number;
  /** The hash of the last event; the chain's genesis hash when there is none. */
  head: string;
}

export interface PostgresMoveReport {
  archiveId: string;
  /** The database, as `postgres://user@host:port/database` (never the password). */
  target: string;
  filesDir: string;
  /** Rows copied per table. */
  rows: Record<string, number>;
  files: number;
  bytes: number;
  audit: { archive: AuditChainEnd; postgres: AuditChainEnd };
  /** What differs between the two sides; empty when the move is verified. */
  problems: string[];
  /** When both sides were found equal; null when they were not (the database is then marked unfinished). */
  verifiedAt: string | null;
}
