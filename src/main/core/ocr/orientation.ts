/**
 * Reads a page the right way up and level, keeping the most confident reading.
 * Pages scanned sideways or upside down read as garbage with low confidence: only such pages (below
 * LOW_CONFIDENCE) are recognised again turned 180°, 90° and 270°: on the benchmark sets that fixes the
 * rotated slips while costing nothing on upright pages.
 * A page that still reads below STRAIGHTEN_BELOW and is clearly tilted (deskew.ts) is read again
 * straightened, and the more confident reading wins: straightening every tilted page made the synthetic
 * slips worse (likely because resampling softens small print), while this rule helped on both sets (bench:deskew).
 * Word boxes are mapped back onto the page as prepared (the image the viewer shows, unturned), whichever
 * turned copy was read; `rotation` and `skew` say how that copy was turned.
 */
import type { OcrWord, PageText } from '../../../shared/model';
import { estimateSkew, straighten, straighteningAngle } from './deskew';
import { boxBeforeTurn, rotateGray, type GrayPage } from './gray-page';
import type { OcrPool } from './ocr-pool';

export const LOW_CONFIDENCE = 50;
/** A turned reading must beat the upright one clearly, not by noise. */
const MARGIN = 10;
/** Pages read at least this confidently are not read again straightened: it rarely helped them. */
export const STRAIGHTEN_BELOW = 80;

export interface UprightReading extends PageText {
  /** Quarter turn (clockwise) of the copy that was read. */
  rotation: number;
  /** Degrees the page was tilted clockwise and straightened by before reading; 0 when it was not. */
  skew: number;
}

function wordsOnPage(words: OcrWord[], degrees: number, read: GrayPage, page: GrayPage): OcrWord[] {
  if (degrees === 0) return words;
  return words.map((word) => ({ ...word, bbox: boxBeforeTurn(word.bbox, degrees, read, page) }));
}

/** The page straightened by `skew` (0: as it is), then turned a quarter at a time while it reads badly. */
async function readLevelled(pool: OcrPool, image: GrayPage, skew: number): Promise<UprightReading> {
  const level = skew === 0 ? image : await straighten(image, skew);
  let best = { ...(await pool.recognise(level)), rotation: 0, read: level };
  if (best.confidence < LOW_CONFIDENCE) {
    for (const rotation of [180, 90, 270] as const) {
      const turned = await rotateGray(level, rotation);
      const reading = await pool.recognise(turned);
      if (reading.confidence > best.confidence + MARGIN) best = { ...reading, rotation, read: turned };
      if (best.confidence >= LOW_CONFIDENCE + MARGIN * 2) break;
    }
  }
  const { read, ...reading } = best;
  const onLevel = wordsOnPage(reading.words, reading.rotation, read, level);
  return { ...reading, words: wordsOnPage(onLevel, -skew, level, image), skew };
}

/**
 * `skew` fixes the straightening instead of the rule above (0: never straighten); the deskew benchmark
 * reads each page both ways with it.
 */
export async function recogniseUpright(pool: OcrPool, image: GrayPage, skew?: number): Promise<UprightReading> {
  if (skew !== undefined) return readLevelled(pool, image, skew);
  const plain = await readLevelled(pool, image, 0);
  if (plain.confidence >= STRAIGHTEN_BELOW) return plain;
  const angle = straighteningAngle(await estimateSkew(image));
  if (angle === 0) return plain;
  const straightened = await readLevelled(pool, image, angle);
  return straightened.confidence > plain.confidence ? straightened : plain;
}
