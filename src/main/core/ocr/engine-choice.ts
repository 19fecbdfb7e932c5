/**
 * Which engine reads a page. tesseract.js reads English and Latin pages well but real Chinese documents
 * badly: on zh-docs (phone photos, dot-matrix print, seals over text) PP-OCR's error rate was a fraction
 * of it (docs/ocr-engines.md). Under `auto`, an archive that reads Chinese (chi_sim among its OCR
 * languages) has each page read by PP-OCR first, and keeps that reading when the page turns out mostly
 * Chinese; any other page is read again by tesseract.js, whose reading of English pages the rest of the
 * pipeline was tuned on. `paddle` and `tesseract` send every page to that one engine.
 */
import type { OcrEngineChoice } from '../../../shared/settings';
import type { PipelineOptions } from './pipeline-steps';
import type { GrayPage } from './gray-page';
import type { OcrPool } from './ocr-pool';
import { recogniseUpright, type UprightReading } from './orientation';

type OcrEngineName = 'tesseract' | 'paddle';

interface EngineReading extends UprightReading {
  engine: OcrEngineName;
}

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /\p{Script=Latin}+/gu;

/**
 * Whether a page is mostly Chinese: it has at least as many Han characters as Latin words (digits and signs
 * aside). A Han character carries about what an English word does; counted against Latin letters instead,
 * bilingual slips and forms (中文 label, English label) came out English and went to tesseract.js, which read
 * them with twice PP-OCR's errors on the slips set.
 */
export function isMostlyChinese(text: string): boolean {
  const han = text.match(HAN)?.length ?? 0;
  const latinWords = text.match(LATIN_WORD)?.length ?? 0;
  return han > 0 && han >= latinWords;
}

/** Whether pages may go to PP-OCR at all under this choice and these OCR languages. */
export function usesPaddle(choice: OcrEngineChoice, languages: readonly string[]): boolean {
  return choice === 'paddle' || (choice === 'auto' && languages.includes('chi_sim'));
}

/** Reads a page the right way up (orientation.ts) with the engine the pool's choice gives it. */
export async function readWithChosenEngine(pool: OcrPool, image: GrayPage, options: PipelineOptions = {}): Promise<EngineReading> {
  const paddle = pool.paddle();
  if (paddle) {
    const reading = await recogniseUpright(paddle, image, undefined, options);
    if (pool.engine === 'paddle' || isMostlyChinese(reading.text)) return { ...reading, engine: 'paddle' };
  }
  return { ...(await recogniseUpright(pool, image, undefined, options)), engine: 'tesseract' };
}
