/**
 * Pixel classes of a page for the signed check: ink (darker than the paper around it, so uneven light and
 * tinted paper do not count) and seal red (saturated red-to-magenta, the colour of 印泥 and red stamps).
 */
import type { RgbRaster } from './page-raster';

/** Cell size of the paper estimate: larger than any stroke, smaller than light falling off across a page. */
const PAPER_CELL = 24;
/** Ink is at most this fraction of the paper's brightness. */
const INK_RATIO = 0.72;

function luminance(pixels: Buffer, index: number): number {
  return 0.299 * pixels[index]! + 0.587 * pixels[index + 1]! + 0.114 * pixels[index + 2]!;
}

/**
 * The paper's brightness around each pixel: the brightest luminance per cell, smoothed over the neighbouring
 * cells (ink never fills a whole cell and its neighbours, paper does).
 */
function paperLevels(raster: RgbRaster): { level: (x: number, y: number) => number } {
  const { pixels, width, height } = raster;
  const columns = Math.ceil(width / PAPER_CELL);
  const rows = Math.ceil(height / PAPER_CELL);
  const brightest = new Float32Array(columns * rows);
  for (let y = 0; y < height; y += 1) {
    const row = Math.floor(y / PAPER_CELL) * columns;
    for (let x = 0; x < width; x += 1) {
      const value = luminance(pixels, (y * width + x) * 3);
      const cell = row + Math.floor(x / PAPER_CELL);
      if (value > brightest[cell]!) brightest[cell] = value;
    }
  }
  const smoothed = new Float32Array(columns * rows);
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      let best = 0;
      for (let dy = -1; dy <= 1; dy += 1) {
        for (let dx = -1; dx <= 1; dx += 1) {
          const r = row + dy;
          const c = column + dx;
          if (r >= 0 && r < rows && c >= 0 && c < columns) best = Math.max(best, brightest[r * columns + c]!);
        }
      }
      smoothed[row * columns + column] = best;
    }
  }
  return { level: (x, y) => smoothed[Math.floor(y / PAPER_CELL) * columns + Math.floor(x / PAPER_CELL)]! };
}

/** Whether a pixel is seal red: red hue (magenta to orange-red), clearly saturated, not near-black. */
export function isSealRed(r: number, g: number, b: number): boolean {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max !== r || max < 90) return false;
  const chroma = max - min;
  if (chroma < 35 || chroma / max < 0.15) return false;
  // Hue within about 25° either side of red: orange-red stamps and magenta-ish 印泥 both count, brown does not.
  const hue = (60 * (g - b)) / chroma;
  return hue > -30 && hue < 25;
}

/**
 * Blue or violet ballpoint ink: a cue for handwriting on a page printed in black. Bright enough and clearly
 * blue, so near-black navy print is not taken for a pen.
 */
export function isPenBlue(r: number, g: number, b: number): boolean {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max !== b || b < 100) return false;
  const chroma = max - min;
  return chroma >= 60 && chroma / max >= 0.35 && r < b && g < b;
}

export interface InkMasks {
  width: number;
  height: number;
  /** 1 where a pixel is ink other than seal red. */
  ink: Uint8Array;
  /** 1 where a pixel is seal red. */
  red: Uint8Array;
  /** 1 where an ink pixel is pen blue. */
  blue: Uint8Array;
  /** Whether the page has colour at all (a grayscale scan has no red and no blue to find). */
  colour: boolean;
}

export function inkMasks(raster: RgbRaster): InkMasks {
  const { pixels, width, height } = raster;
  const paper = paperLevels(raster);
  const ink = new Uint8Array(width * height);
  const red = new Uint8Array(width * height);
  const blue = new Uint8Array(width * height);
  let coloured = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = y * width + x;
      const r = pixels[at * 3]!;
      const g = pixels[at * 3 + 1]!;
      const b = pixels[at * 3 + 2]!;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured += 1;
      if (isSealRed(r, g, b)) {
        red[at] = 1;
        continue;
      }
      if (luminance(pixels, at * 3) < paper.level(x, y) * INK_RATIO) {
        ink[at] = 1;
        if (isPenBlue(r, g, b)) blue[at] = 1;
      }
    }
  }
  return { width, height, ink, red, blue, colour: coloured > width * height * 0.0005 };
}
