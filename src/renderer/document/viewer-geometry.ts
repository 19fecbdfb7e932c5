/**
 * The page viewer's arithmetic, kept pure so it is tested without a browser: zoom steps and fit modes, the
 * CSS transform that turns a page on screen, and where an OCR word box lands on the turned, zoomed page.
 *
 * Three rotations meet here and must not be confused:
 *   - the page's stored rotation (`pages:rotate`, a new version; everyone sees it),
 *   - the viewer's own turn (this screen only, forgotten when the drawer closes),
 *   - their sum, which is what the screen shows and what word boxes are turned by.
 */
import type { Rotation, WordBox } from '../../shared/model';

export interface Size {
  width: number;
  height: number;
}

/** [left, top, right, bottom]: a word box as the OCR stored it, in pixels of the image it recognised. */
export type Box = [number, number, number, number];

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Mirrors the OCR's page preparation (src/main/core/ocr/page-input.ts, kept equal by a unit test): images
 * are recognised at most this long on their longest side, PDF pages are rendered at this DPI (capped by the
 * same side). Word boxes are in the pixels of that prepared image.
 */
export const OCR_MAX_SIDE = 3500;
export const OCR_PDF_DPI = 300;
/** PDF user space is 72 units per inch; CSS has 96 px per inch, so 100 % zoom shows a PDF page at paper size. */
export const PDF_CSS_PER_POINT = 96 / 72;

export const ZOOM_STEPS = [0.1, 0.25, 0.33, 0.5, 0.67, 0.75, 1, 1.25, 1.5, 2, 3, 4, 6, 8] as const;
export const MIN_ZOOM = ZOOM_STEPS[0];
export const MAX_ZOOM = ZOOM_STEPS[ZOOM_STEPS.length - 1]!;

export type FitMode = 'width' | 'page' | 'none';

export function turn(rotation: number, by: number): Rotation {
  return ((((rotation + by) % 360) + 360) % 360) as Rotation;
}

export function isSideways(rotation: number): boolean {
  return turn(rotation, 0) % 180 !== 0;
}

/** The page's size once turned: width and height swap at 90° and 270°. */
export function turnedSize(size: Size, rotation: number): Size {
  return isSideways(rotation) ? { width: size.height, height: size.width } : size;
}

/** A fit may go below the smallest zoom step: a 8000 px scan must still fit a small window. */
export const MIN_FIT_ZOOM = 0.01;

export function clampZoom(zoom: number, min: number = MIN_ZOOM): number {
  if (!Number.isFinite(zoom)) return 1;
  return Math.min(MAX_ZOOM, Math.max(min, zoom));
}

/** The next zoom step above (or below) the current scale, which may lie between steps after a fit. */
export function stepZoom(current: number, direction: 1 | -1): number {
  const epsilon = 1e-6;
  if (direction > 0) return ZOOM_STEPS.find((step) => step > current + epsilon) ?? MAX_ZOOM;
  // Below the smallest step (after fitting a huge scan) zooming out further changes nothing.
  return [...ZOOM_STEPS].reverse().find((step) => step < current - epsilon) ?? Math.min(current, MIN_ZOOM);
}

/**
 * The scale at which the turned page fills the viewport's width, or fits inside it whole. `none` keeps the
 * clerk's own zoom. The result is clamped to the zoom range (a fit may go below its smallest step).
 */
export function fitScale(mode: FitMode, page: Size, rotation: number, viewport: Size, zoom: number): number {
  if (mode === 'none' || page.width <= 0 || page.height <= 0 || viewport.width <= 0 || viewport.height <= 0) return clampZoom(zoom);
  const shown = turnedSize(page, rotation);
  const byWidth = viewport.width / shown.width;
  return clampZoom(mode === 'width' ? byWidth : Math.min(byWidth, viewport.height / shown.height), MIN_FIT_ZOOM);
}

/**
 * The CSS transform (origin top-left) that turns an element of `size` (already zoomed) clockwise by
 * `rotation` and moves it back so it fills the box of its turned size from the top-left corner.
 */
export function pageTransform(rotation: number, size: Size): string {
  switch (turn(rotation, 0)) {
    case 90:
      return `translate(${size.height}px, 0px) rotate(90deg)`;
    case 180:
      return `translate(${size.width}px, ${size.height}px) rotate(180deg)`;
    case 270:
      return `translate(0px, ${size.width}px) rotate(270deg)`;
    default:
      return 'none';
  }
}

/**
 * The pixel size of the image the OCR recognised for this page: the image shrunk to OCR_MAX_SIDE, or a PDF
 * page (given in points) rendered at OCR_PDF_DPI. Word boxes are relative to this size.
 */
export function ocrImageSize(natural: Size, kind: 'image' | 'pdf'): Size {
  const longest = Math.max(natural.width, natural.height);
  if (longest <= 0) return natural;
  if (kind === 'pdf') {
    const scale = Math.min(OCR_PDF_DPI / 72, OCR_MAX_SIDE / longest);
    return { width: Math.ceil(natural.width * scale), height: Math.ceil(natural.height * scale) };
  }
  const scale = Math.min(1, OCR_MAX_SIDE / longest);
  return { width: Math.round(natural.width * scale), height: Math.round(natural.height * scale) };
}

export function boxOf(word: WordBox): Box {
  return [word.x0, word.y0, word.x1, word.y1];
}

/**
 * Where an OCR box lands on screen: `box` is in the pixels of the recognised image (`ocrSize`), the page is
 * shown `shown` big (zoomed, before turning) and turned clockwise by `rotation`. The result is relative to
 * the top-left corner of the turned page on screen.
 */
export function boxOnScreen(box: Box, ocrSize: Size, shown: Size, rotation: number): Rect {
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  // As fractions of the unturned page, so the OCR's pixel size and the zoom cancel out.
  const x0 = clamp(Math.min(box[0], box[2]) / ocrSize.width);
  const x1 = clamp(Math.max(box[0], box[2]) / ocrSize.width);
  const y0 = clamp(Math.min(box[1], box[3]) / ocrSize.height);
  const y1 = clamp(Math.max(box[1], box[3]) / ocrSize.height);
  let turned: [number, number, number, number];
  switch (turn(rotation, 0)) {
    case 90: // (x, y) → (1 − y, x)
      turned = [1 - y1, x0, 1 - y0, x1];
      break;
    case 180: // (x, y) → (1 − x, 1 − y)
      turned = [1 - x1, 1 - y1, 1 - x0, 1 - y0];
      break;
    case 270: // (x, y) → (y, 1 − x)
      turned = [y0, 1 - x1, y1, 1 - x0];
      break;
    default:
      turned = [x0, y0, x1, y1];
  }
  const screen = turnedSize(shown, rotation);
  return {
    left: turned[0] * screen.width,
    top: turned[1] * screen.height,
    width: (turned[2] - turned[0]) * screen.width,
    height: (turned[3] - turned[1]) * screen.height,
  };
}

/** The rectangle with two opposite corners at `a` and `b` (a drag from one to the other). */
export function rectBetween(a: { x: number; y: number }, b: { x: number; y: number }): Rect {
  return { left: Math.min(a.x, b.x), top: Math.min(a.y, b.y), width: Math.abs(b.x - a.x), height: Math.abs(b.y - a.y) };
}

/** Whether two rectangles share any area. */
export function rectsOverlap(a: Rect, b: Rect): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}
