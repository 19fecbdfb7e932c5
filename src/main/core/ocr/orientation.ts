/**
 * Reads a page the right way up and level, deciding how to turn it before reading it, so that most pages
 * are read once (a reading costs far more than the decision, deskew.ts):
 * - a clearly tilted page (≥ MIN_STRAIGHTEN_DEGREES) is straightened first; small tilts tesseract copes with;
 * - a page whose ink runs in columns (scanned sideways) is read turned a quarter first.
 * A reading below LOW_CONFIDENCE is garbage (a page upside down, or sideways undetected): the other quarter
 * turns are tried and the most confident reading wins; on the benchmark sets that fixes the rotated slips
 * while costing nothing on upright pages.
 * Word boxes are mapped back onto the page as prepared (the image the viewer shows, unturned), whichever
 * turned copy was read; `rotation` and `skew` say how that copy was turned. Line boxes stay on the copy
 * read: they only order the text.
 */
import type { OcrWord } from '../../../shared/model';
import { estimateSkew, straighten, straighteningAngle } from './deskew';
import { boxBeforeTurn, rotateGray, type GrayPage } from './gray-page';
import { runs, timed, type PipelineOptions } from './pipeline-steps';
import type { LinedPage } from './reading-order';

export const LOW_CONFIDENCE = 50;
/** A later reading must beat the first one clearly, not by noise. */
const MARGIN = 10;

type QuarterTurn = 0 | 90 | 180 | 270;
/** Upright first, then upside down (more common on a scanner than sideways), then the quarter turns. */
const UPRIGHT_FIRST: QuarterTurn[] = [0, 180, 90, 270];
const SIDEWAYS_FIRST: QuarterTurn[] = [90, 270, 0, 180];

/** An engine that reads a whole page: the tesseract.js pool or the PP-OCR pool. */
export interface PageRecogniser {
  recognise(image: GrayPage): Promise<LinedPage>;
}

export interface UprightReading extends LinedPage {
  /** Quarter turn (clockwise) of the copy that was read. */
  rotation: number;
  /** Degrees the page was tilted clockwise and straightened by before reading; 0 when it was not. */
  skew: number;
}

function wordsOnPage(words: OcrWord[], degrees: number, read: GrayPage, page: GrayPage): OcrWord[] {
  if (degrees === 0) return words;
  return words.map((word) => ({ ...word, bbox: boxBeforeTurn(word.bbox, degrees, read, page) }));
}

async function turn(page: GrayPage, rotation: QuarterTurn): Promise<GrayPage> {
  return rotation === 0 ? page : rotateGray(page, rotation);
}

/** The page straightened by `skew` (0: as it is), then read turned by each of `turns` in order while it reads badly. */
async function readLevelled(pool: PageRecogniser, image: GrayPage, skew: number, turns: QuarterTurn[], options: PipelineOptions): Promise<UprightReading> {
  const level = skew === 0 ? image : await timed(options, 'straighten', () => straighten(image, skew));
  const [first, ...rest] = turns as [QuarterTurn, ...QuarterTurn[]];
  const firstCopy = await timed(options, 'read', () => turn(level, first));
  let best = { ...(await timed(options, 'read', () => pool.recognise(firstCopy))), rotation: first as number, read: firstCopy };
  if (best.confidence < LOW_CONFIDENCE && runs(options, 'turn-retry')) {
    await timed(options, 'turn-retry', async () => {
      for (const rotation of rest) {
        const turned = await turn(level, rotation);
        const reading = await pool.recognise(turned);
        if (reading.confidence > best.confidence + MARGIN) best = { ...reading, rotation, read: turned };
        if (best.confidence >= LOW_CONFIDENCE + MARGIN * 2) break;
      }
    });
  }
  const { read, ...reading } = best;
  const onLevel = wordsOnPage(reading.words, reading.rotation, read, level);
  return { ...reading, words: wordsOnPage(onLevel, -skew, level, image), skew };
}

/**
 * `skew` fixes the straightening instead of the estimate (0: never straighten); the deskew benchmark reads each page both ways with it.
 * `options` leaves out or times steps for bench:ocr (pipeline-steps.ts).
 */
export async function recogniseUpright(pool: PageRecogniser, image: GrayPage, skew?: number, options: PipelineOptions = {}): Promise<UprightReading> {
  if (skew !== undefined) return readLevelled(pool, image, skew, UPRIGHT_FIRST, options);
  if (!runs(options, 'orientation')) return readLevelled(pool, image, 0, UPRIGHT_FIRST, options);
  const estimate = await timed(options, 'orientation', () => estimateSkew(image));
  return readLevelled(pool, image, straighteningAngle(estimate), estimate.sideways ? SIDEWAYS_FIRST : UPRIGHT_FIRST, options);
}
