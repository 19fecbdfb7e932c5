/** Loads the OCR words stored per page (page_ocr.words) in the shape hit highlighting needs. */
import type Database from 'better-sqlite3';
import type { OcrWord as StoredWord } from '../../../shared/model';
import type { PageWordsLoader } from './search-index';

export function pageWordsFromOcr(sqlite: Database.Database): PageWordsLoader {
  const wordsOf = sqlite.prepare('SELECT words FROM page_ocr WHERE page_id = ?').pluck();
  return (pageIds) =>
    pageIds.flatMap((pageId) => {
      const stored = wordsOf.get(pageId) as string | undefined;
      if (stored === undefined) return [];
      return (JSON.parse(stored) as StoredWord[]).map(({ text, bbox: [x0, y0, x1, y1] }) => ({ pageId, text, bbox: { x0, y0, x1, y1 } }));
    });
}
