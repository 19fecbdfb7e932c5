/** Reads one file, page by page, into text + words: the PDF text layer where there is one, else OCR. */
import type { PageText } from '../../../shared/model';
import { inspectFile } from '../ingest/inspect';
import { rereadFields } from './field-reread';
import type { OcrPool } from './ocr-pool';
import { readWithChosenEngine } from './engine-choice';
import { pageInput } from './page-input';
import { runs, timed, type PipelineOptions } from './pipeline-steps';
import { withoutSignatureStrokes } from './signature-strokes';

/**
 * `onPrepared` runs once the page image is ready and recognition starts (the queue's ocr status);
 * `options` leaves out or times steps for bench:ocr (pipeline-steps.ts).
 */
export async function recognisePage(
  pool: OcrPool,
  bytes: Buffer,
  mime: string,
  pageIndex: number,
  filename: string,
  onPrepared: () => void = () => {},
  options: PipelineOptions = {},
): Promise<PageText> {
  const input = await timed(options, 'prepare', () => pageInput(bytes, mime, pageIndex, filename));
  onPrepared();
  if (input.kind === 'text') return input.page;
  const { rotation, skew: _skew, engine, ...read } = await readWithChosenEngine(pool, input.image, options);
  const kept = await timed(options, 'signature-strokes', () => withoutSignatureStrokes(input.image, read));
  // A page read turned has its word boxes across its rows: only upright pages get the second look.
  // PP-OCR needs none: it already reads every line it finds on its own, scaled to its recogniser's height.
  const rereads = rotation === 0 && engine === 'tesseract' && runs(options, 'field-reread');
  const page = rereads ? await timed(options, 'field-reread', () => rereadFields(pool, input.image, kept)) : kept;
  if (input.boxScale === 1) return page;
  const scaled = (value: number) => Math.round(value * input.boxScale);
  return {
    ...page,
    words: page.words.map((word) => ({ ...word, bbox: [scaled(word.bbox[0]), scaled(word.bbox[1]), scaled(word.bbox[2]), scaled(word.bbox[3])] })),
  };
}

export async function recogniseFile(pool: OcrPool, path: string, options: PipelineOptions = {}): Promise<PageText[]> {
  const file = await inspectFile(path);
  return Promise.all(Array.from({ length: file.pageCount }, (_, index) => recognisePage(pool, file.bytes, file.mime, index, file.filename, () => {}, options)));
}
