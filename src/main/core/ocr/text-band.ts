/**
 * Where a printed row's characters really are, up and down. Tesseract gives a word on a till receipt a
 * box that reaches over the dashed rule printed under it, so a row cut out by its word boxes carries the
 * rule along: read as one line the rule turns into characters, and the row looks taller than it is, so
 * it is not enlarged enough either. The row's own ink is the tallest run of inked pixel rows in its box;
 * a rule or a speck above or below is a thin run of its own, apart from it by blank paper.
 */
import type { Box, GrayPage } from './gray-page';

/** A pixel row with at most this share of the box's width inked is blank paper (specks aside). */
const BLANK_ROW_SHARE = 0.003;

/** The top and bottom (exclusive) of the tallest run of inked pixel rows in `box`; null where the box has no ink. */
export function textBand(image: GrayPage, box: Box): [number, number] | null {
  const left = Math.max(0, Math.floor(box[0]));
  const right = Math.min(image.width, Math.ceil(box[2]));
  const top = Math.max(0, Math.floor(box[1]));
  const bottom = Math.min(image.height, Math.ceil(box[3]));
  if (right <= left || bottom <= top) return null;
  let lightest = 0;
  let darkest = 255;
  for (let y = top; y < bottom; y += 1) {
    for (let x = left; x < right; x += 1) {
      const value = image.pixels[y * image.width + x]!;
      if (value > lightest) lightest = value;
      if (value < darkest) darkest = value;
    }
  }
  // Ink is what is darker than halfway between the box's paper and its darkest stroke.
  const ink = (lightest + darkest) / 2;
  const blankAtMost = Math.max(1, Math.floor((right - left) * BLANK_ROW_SHARE));
  let best: [number, number] | null = null;
  let runStart = -1;
  for (let y = top; y <= bottom; y += 1) {
    let inked = 0;
    if (y < bottom) for (let x = left; x < right; x += 1) if (image.pixels[y * image.width + x]! < ink) inked += 1;
    if (y < bottom && inked > blankAtMost) {
      if (runStart === -1) runStart = y;
    } else if (runStart !== -1) {
      if (!best || y - runStart > best[1] - best[0]) best = [runStart, y];
      runStart = -1;
    }
  }
  return best;
}
