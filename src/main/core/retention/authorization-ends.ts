/**
 * When the authorization a document grants stops being in force, the start of the `authorization-end`
 * retention period (docs/retention.md): on its revocation day; the day after its valid-to date; for a
 * superseded one, the day its successor starts. An authorization still in force with no end (valid until
 * revoked), or a draft that never was in force, has not ended, and neither has its granting document's
 * period. A document granting several (a renewal filed on the same letter) ends with the last of them.
 */
import type Database from 'better-sqlite3';

interface EndRow {
  documentId: number;
  status: 'draft' | 'active' | 'revoked' | 'superseded';
  validTo: string | null;
  revokedOn: string | null;
  successorFrom: string | null;
}

const END_QUERY = `
  SELECT a.granting_document_id AS documentId, a.status, a.valid_to AS validTo, a.revoked_on AS revokedOn,
    (SELECT min(s.valid_from) FROM authorizations s WHERE s.supersedes_id = a.id) AS successorFrom
  FROM authorizations a WHERE a.granting_document_id IS NOT NULL`;

const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function endOf(row: EndRow): string | null {
  switch (row.status) {
    case 'draft':
      return null;
    case 'revoked':
      return row.revokedOn;
    case 'superseded':
      return row.successorFrom;
    case 'active':
      return row.validTo === null ? null : dayAfter(row.validTo);
  }
}

/** Per granting document, the day its authorizations stopped (or will stop) being in force; null while one has no end. */
export function authorizationEnds(sqlite: Database.Database): Map<number, string | null> {
  const ends = new Map<number, string | null>();
  for (const row of sqlite.prepare(END_QUERY).all() as EndRow[]) {
    const end = endOf(row);
    const earlier = ends.get(row.documentId);
    if (earlier === undefined) ends.set(row.documentId, end);
    else ends.set(row.documentId, earlier === null || end === null ? null : earlier > end ? earlier : end);
  }
  return ends;
}
