/**
 * Pages scanned sideways or upside down read as garbage with low confidence. Only such pages (below
 * LOW_CONFIDENCE) are recognised again turned 180°, 90° and 270°, keeping the most confident reading:
 * on the benchmark sets that fixes the rotated slips while costing nothing on upright pages.
 * Word boxes refer to the image as it was finally recognised (turned by `rotation`).
 */
import type { PageText } from '../../../shared/model';
import { rotateGray, type GrayPage } from './gray-page';
import type { OcrPool } from './ocr-pool';

export const LOW_CONFIDENCE = 50;
/** A turned reading must beat the upright one clearly, not by noise. */
const MARGIN = 10;

export async function recogniseUpright(pool: OcrPool, image: GrayPage): Promise<PageText & { rotation: number }> {
  let best = { ...(await pool.recognise(image)), rotation: 0 };
  if (best.confidence >= LOW_CONFIDENCE) return best;
  for (const rotation of [180, 90, 270] as const) {
    const turned = await rotateGray(image, rotation);
    const reading = await pool.recognise(turned);
    if (reading.confidence > best.confidence + MARGIN) best = { ...reading, rotation };
    if (best.confidence >= LOW_CONFIDENCE + MARGIN * 2) break;
  }
  return best;
}
