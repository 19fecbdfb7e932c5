/** Reads one file, page by page, into text + words: the PDF text layer where there is one, else OCR. */
import type { PageText } from '../../../shared/model';
import { inspectFile } from '../ingest/inspect';
import type { OcrPool } from './ocr-pool';
import { pageInput } from './page-input';

export async function recognisePage(pool: OcrPool, bytes: Buffer, mime: string, pageIndex: number, filename: string): Promise<PageText> {
  const input = await pageInput(bytes, mime, pageIndex, filename);
  return input.kind === 'text' ? input.page : pool.recognise(input.png);
}

export async function recogniseFile(pool: OcrPool, path: string): Promise<PageText[]> {
  const file = await inspectFile(path);
  return Promise.all(Array.from({ length: file.pageCount }, (_, index) => recognisePage(pool, file.bytes, file.mime, index, file.filename)));
}
