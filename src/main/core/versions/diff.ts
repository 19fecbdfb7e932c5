/** Field-level, page-level and text-line differences between two version snapshots. */
import { diffLines } from 'diff';
import { EDITABLE_FIELDS } from '../../../shared/model';
import type { DocumentSnapshot, FieldChange, PageChange, TextDiffLine } from '../../../shared/model';

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diffFields(a: DocumentSnapshot, b: DocumentSnapshot): FieldChange[] {
  return EDITABLE_FIELDS.filter((field) => !sameValue(a.metadata[field], b.metadata[field])).map((field) => ({
    field,
    from: a.metadata[field],
    to: b.metadata[field],
  }));
}

export function diffPages(a: DocumentSnapshot, b: DocumentSnapshot): PageChange[] {
  const changes: PageChange[] = [];
  const before = new Map(a.pages.map((page, index) => [page.pageId, { page, index }]));
  const after = new Map(b.pages.map((page, index) => [page.pageId, { page, index }]));
  for (const [pageId, { index }] of before) {
    if (!after.has(pageId)) changes.push({ kind: 'removed', pageId, position: index + 1 });
  }
  for (const [pageId, { index }] of after) {
    if (!before.has(pageId)) changes.push({ kind: 'added', pageId, position: index + 1 });
  }
  // A page "moved" only when its order relative to the pages present in both versions changed;
  // pages shifting because another page was added or removed is not a move.
  const keptBefore = a.pages.filter((page) => after.has(page.pageId)).map((page) => page.pageId);
  const keptAfter = b.pages.filter((page) => before.has(page.pageId)).map((page) => page.pageId);
  keptAfter.forEach((pageId, index) => {
    const previousIndex = keptBefore.indexOf(pageId);
    if (previousIndex !== index) {
      changes.push({ kind: 'moved', pageId, from: (before.get(pageId)?.index ?? 0) + 1, to: (after.get(pageId)?.index ?? 0) + 1 });
    }
  });
  for (const [pageId, { page }] of after) {
    const old = before.get(pageId)?.page;
    if (!old) continue;
    if (old.rotation !== page.rotation) changes.push({ kind: 'rotated', pageId, from: old.rotation, to: page.rotation });
    if (old.text !== page.text) changes.push({ kind: 'text', pageId });
  }
  return changes;
}

/** The document's text as a reader sees it: every page in order, then the notes. */
export function documentText(snapshot: DocumentSnapshot): string {
  const parts = snapshot.pages.map((page, index) => `--- page ${index + 1} ---\n${page.text ?? ''}`);
  parts.push(`--- notes ---\n${snapshot.metadata.notes}`);
  return `${parts.join('\n')}\n`;
}

export function diffText(a: DocumentSnapshot, b: DocumentSnapshot): TextDiffLine[] {
  const lines: TextDiffLine[] = [];
  for (const part of diffLines(documentText(a), documentText(b))) {
    const op = part.added ? 'added' : part.removed ? 'removed' : 'equal';
    for (const line of part.value.replace(/\n$/, '').split('\n')) lines.push({ op, line });
  }
  return lines;
}
