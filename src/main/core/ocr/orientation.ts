/**
 * Reads a page the right way up and level. A page tilted by a small angle is straightened first (see
 * deskew.ts). Pages scanned sideways or upside down read as garbage with low confidence: only such pages
 * (below LOW_CONFIDENCE) are recognised again turned 180°, 90° and 270°, keeping the most confident
 * reading: on the benchmark sets that fixes the rotated slips while costing nothing on upright pages.
 * Word boxes are mapped back onto the page as prepared (the image the viewer shows, unturned), whichever
 * turned copy was read; `rotation` and `skew` say how that copy was turned.
 */
import type { OcrWord, PageText } from '../../../shared/model';
import { straighten, estimateSkew, straighteningAngle } from './deskew';
import { boxBeforeTurn, rotateGray, type GrayPage } from './gray-page';
import type { OcrPool } from './ocr-pool';

export const LOW_CONFIDENCE = 50;
/** A turned reading must beat the upright one clearly, not by noise. */
const MARGIN = 10;

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

/**
 * `skew` overrides the page's own skew estimate (the deskew benchmark compares readings with and
 * without straightening); the product leaves it to the estimate.
 */
export async function recogniseUpright(pool: OcrPool, image: GrayPage, skew?: number): Promise<UprightReading> {
  const angle = skew ?? straighteningAngle(await estimateSkew(image));
  const level = angle === 0 ? image : await straighten(image, angle);
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
  return { ...reading, words: wordsOnPage(onLevel, -angle, level, image), skew: angle };
}
