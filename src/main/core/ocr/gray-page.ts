/**
 * A page as 8-bit grayscale pixels, the form tesseract recognises anyway. It reaches the wasm engine as
 * a PGM (a header plus the raw bytes): decoding a PNG inside wasm cost as much as a third of the time per
 * receipt in the OCR benchmark, and PGM carries no DPI, so the pool's user_defined_dpi applies to all pages.
 */
import type { Sharp } from 'sharp';
import { sharp } from '../native-libraries';

export interface GrayPage {
  pixels: Buffer;
  width: number;
  height: number;
}

export async function grayPage(image: Sharp): Promise<GrayPage> {
  const { data, info } = await image.grayscale().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one grayscale channel, got ${info.channels}`);
  return { pixels: data, width: info.width, height: info.height };
}

export function toPgm(page: GrayPage): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${page.width} ${page.height}\n255\n`, 'ascii'), page.pixels]);
}

export async function rotateGray(page: GrayPage, degrees: 90 | 180 | 270): Promise<GrayPage> {
  return grayPage(sharp(page.pixels, { raw: { width: page.width, height: page.height, channels: 1 } }).rotate(degrees));
}

export type Box = [number, number, number, number];

/**
 * Where a box [x0, y0, x1, y1] found on a turned copy of a page lies on the page itself: `degrees` is how
 * far the copy was turned clockwise (sharp's rotate, which turns about the centre and enlarges the canvas
 * to hold the whole page). The corners are turned back and the box around them is kept, clipped to the
 * page, so word boxes always refer to the page as prepared, whatever copy tesseract read.
 */
export function boxBeforeTurn(box: Box, degrees: number, turned: { width: number; height: number }, page: { width: number; height: number }): Box {
  const radians = (-degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const [x0, y0, x1, y1] = box;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [x, y] of [
    [x0, y0],
    [x1, y0],
    [x0, y1],
    [x1, y1],
  ] as const) {
    const dx = x - turned.width / 2;
    const dy = y - turned.height / 2;
    xs.push(page.width / 2 + dx * cos - dy * sin);
    ys.push(page.height / 2 + dx * sin + dy * cos);
  }
  const clip = (value: number, limit: number) => Math.round(Math.min(limit, Math.max(0, value)));
  return [clip(Math.min(...xs), page.width), clip(Math.min(...ys), page.height), clip(Math.max(...xs), page.width), clip(Math.max(...ys), page.height)];
}

/** Rows and columns darker than half the page's mean brightness count as scanner/table background. */
const DARK_FRACTION = 0.5;
/** Background is never more than this share of a side: deeper dark runs are content (a black header bar). */
const MAX_BORDER_SHARE = 0.25;
/** The edge between background and paper is a soft gradient a few pixels wide. */
const EDGE_PAD = 2;

/**
 * Paints dark scanner or photo background along the page's edges white, in place. Tesseract's layout
 * analysis reads a black band along an edge as one huge image region and can drop every line of text
 * (a receipt in the benchmark came back empty). Painting instead of cropping keeps word boxes in the
 * page's own coordinates.
 */
export function clearDarkBorders(page: GrayPage): GrayPage {
  const { pixels, width, height } = page;
  if (width === 0 || height === 0) return page;
  let sum = 0;
  const step = 7;
  for (let i = 0; i < pixels.length; i += step) sum += pixels[i]!;
  const dark = (sum / Math.ceil(pixels.length / step)) * DARK_FRACTION;
  const rowMean = (y: number) => {
    let total = 0;
    for (let x = 0; x < width; x += 1) total += pixels[y * width + x]!;
    return total / width;
  };
  const columnMean = (x: number) => {
    let total = 0;
    for (let y = 0; y < height; y += 1) total += pixels[y * width + x]!;
    return total / height;
  };
  const depth = (limit: number, mean: (i: number) => number) => {
    let run = 0;
    while (run < limit && mean(run) < dark) run += 1;
    return run === 0 ? 0 : Math.min(limit, run + EDGE_PAD);
  };
  const maxRows = Math.floor(height * MAX_BORDER_SHARE);
  const maxColumns = Math.floor(width * MAX_BORDER_SHARE);
  const top = depth(maxRows, (i) => rowMean(i));
  const bottom = depth(maxRows, (i) => rowMean(height - 1 - i));
  const left = depth(maxColumns, (i) => columnMean(i));
  const right = depth(maxColumns, (i) => columnMean(width - 1 - i));
  if (top) pixels.fill(255, 0, top * width);
  if (bottom) pixels.fill(255, (height - bottom) * width, height * width);
  if (left || right) {
    for (let y = 0; y < height; y += 1) {
      if (left) pixels.fill(255, y * width, y * width + left);
      if (right) pixels.fill(255, (y + 1) * width - right, (y + 1) * width);
    }
  }
  return page;
}
