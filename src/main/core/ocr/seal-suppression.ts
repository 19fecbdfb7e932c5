/**
 * Red seals out of the text's way: a company seal (公章, 发票专用章) stamped over printed text is read as
 * characters — its own ring text, and garbage where it crosses a line — and hides the line beneath it.
 * Colour separates the two: seal ink is saturated red, print is black. Inside each stamp-sized cluster
 * of seal red (the signed check's own seal finding, signature/detect.ts) the red pixels are painted white
 * on the grayscale page the engine reads; black print crossing the seal stays, and red printed text
 * elsewhere (titles, form labels) is left as it is. The original is never changed, and the signed check
 * still finds the seal on it and records it as a page region (page_signatures).
 */
import type { Sharp } from 'sharp';
import { findSeals } from '../signature/detect';
import { isSealRed } from '../signature/ink';
import type { GrayPage } from './gray-page';

/** Paints the seal-red pixels of `colour` (the same page as `gray`, RGB) white in `gray`, inside stamp-sized red clusters; returns how many seals. */
export function whitenSeals(gray: GrayPage, colour: { pixels: Buffer; width: number; height: number }): number {
  const { width, height, pixels } = colour;
  if (width !== gray.width || height !== gray.height) throw new Error('the colour and gray pages differ in size');
  const red = new Uint8Array(width * height);
  for (let at = 0; at < red.length; at += 1) red[at] = isSealRed(pixels[at * 3]!, pixels[at * 3 + 1]!, pixels[at * 3 + 2]!) ? 1 : 0;
  const seals = findSeals(red, width, height);
  for (const seal of seals) {
    for (let y = Math.max(0, seal.y0); y < Math.min(height, seal.y1); y += 1) {
      for (let x = Math.max(0, seal.x0); x < Math.min(width, seal.x1); x += 1) if (red[y * width + x]) gray.pixels[y * width + x] = 255;
    }
  }
  return seals.length;
}

/** The RGB pixels of an image pipeline, or null for a page without colour channels (a grayscale scan has no red). */
export async function colourPixels(image: Sharp): Promise<{ pixels: Buffer; width: number; height: number } | null> {
  const { channels } = await image.metadata();
  if (channels === undefined || channels < 3) return null;
  const { data, info } = await image.clone().flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) return null;
  return { pixels: data, width: info.width, height: info.height };
}
