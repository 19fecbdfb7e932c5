/**
 * Where a document's paper original is kept, as the disposal certificate prints it for physical
 * destruction: the whole path from the cabinet down (A / A-3 / B2026-014) and the box's label.
 */
import type { Archive } from '../archive';

export function paperLocationOf(archive: Archive, documentId: number): string | null {
  const code = archive.connection.sqlite.prepare('SELECT location_code FROM document_locations WHERE document_id = ?').pluck().get(documentId) as
    string | undefined;
  if (code === undefined) return null;
  const location = archive.records.locations.get(code);
  return location.label === '' ? location.path.join(' / ') : `${location.path.join(' / ')} (${location.label})`;
}
