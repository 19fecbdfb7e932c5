/**
 * Small-angle deskew. A slip laid slightly crooked on the scanner glass tilts every text line a little;
 * the angle is found from the projection profile of the page's ink (Postl's method): turned by the right
 * angle, the ink piles up in a few rows and the row counts change sharply between lines and gaps. The
 * search runs on a downscaled, binarised copy, so it costs a few tens of milliseconds per page.
 */
import sharp from 'sharp';
import { grayPage, type GrayPage } from './gray-page';

/** Scans and phone photos of slips lie within a few degrees of straight; steeper tilts are not searched. */
export const MAX_SKEW_DEGREES = 10;
/** The copy searched: enough to resolve text lines of a receipt or an A4 page, small enough to be quick. */
const ESTIMATE_SIDE = 1200;
const COARSE_STEP = 0.25;
const FINE_STEP = 0.025;
/** Fewer ink pixels than this is a blank or nearly blank page: nothing to measure. */
const MIN_INK_PIXELS = 200;

export interface SkewEstimate {
  /** How far the page's text lines are turned clockwise, in degrees; turning by −angle straightens them. */
  angle: number;
  /**
   * How clearly the best angle stands out: the profile's score at that angle over the median score of
   * all searched angles. Blank pages, pictures and speckle stay near 1; lines of text score far above (7 to 240
   * on the benchmark sets, sideways pages included: their character rows line up too).
   */
  sharpness: number;
}

/** Otsu's threshold: the gray level that best splits the page into ink and paper. */
function otsuThreshold(pixels: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (const value of pixels) histogram[value]! += 1;
  const total = pixels.length;
  let sumAll = 0;
  for (let level = 0; level < 256; level += 1) sumAll += level * histogram[level]!;
  let below = 0;
  let sumBelow = 0;
  let best = 0;
  let threshold = 128;
  for (let level = 0; level < 256; level += 1) {
    below += histogram[level]!;
    if (below === 0) continue;
    const above = total - below;
    if (above === 0) break;
    sumBelow += level * histogram[level]!;
    const meanBelow = sumBelow / below;
    const meanAbove = (sumAll - sumBelow) / above;
    const between = below * above * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = level;
    }
  }
  return threshold;
}

/** Sum of squared differences between neighbouring rows of the ink profile, the page turned back by `degrees`. */
function profileScore(xs: Float64Array, ys: Float64Array, degrees: number, rows: Float64Array, offset: number): number {
  const radians = (degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  rows.fill(0);
  for (let i = 0; i < xs.length; i += 1) rows[Math.round(ys[i]! * cos - xs[i]! * sin) + offset]! += 1;
  let score = 0;
  for (let row = 1; row < rows.length; row += 1) score += (rows[row]! - rows[row - 1]!) ** 2;
  return score;
}

export async function estimateSkew(page: GrayPage): Promise<SkewEstimate> {
  const small = await sharp(page.pixels, { raw: { width: page.width, height: page.height, channels: 1 } })
    .resize({ width: ESTIMATE_SIDE, height: ESTIMATE_SIDE, fit: 'inside', withoutEnlargement: true })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = small.info;
  const threshold = otsuThreshold(small.data);
  let ink = 0;
  for (const value of small.data) if (value <= threshold) ink += 1;
  // A page that is mostly "ink" by Otsu's split is a photo or a dark scan, not lines of text.
  if (ink < MIN_INK_PIXELS || ink > small.data.length / 2) return { angle: 0, sharpness: 1 };
  const xs = new Float64Array(ink);
  const ys = new Float64Array(ink);
  let next = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (small.data[y * width + x]! <= threshold) {
        xs[next] = x;
        ys[next] = y;
        next += 1;
      }
    }
  }
  // Turned rows reach from −width·sin to height + width·sin: one array covers every searched angle.
  const offset = Math.ceil(width * Math.sin((MAX_SKEW_DEGREES * Math.PI) / 180)) + 1;
  const rows = new Float64Array(height + 2 * offset + 2);
  const coarse: number[] = [];
  let best = { angle: 0, score: -1 };
  for (let angle = -MAX_SKEW_DEGREES; angle <= MAX_SKEW_DEGREES + 1e-9; angle += COARSE_STEP) {
    const score = profileScore(xs, ys, angle, rows, offset);
    coarse.push(score);
    if (score > best.score) best = { angle, score };
  }
  const centre = best.angle;
  for (let angle = centre - COARSE_STEP; angle <= centre + COARSE_STEP + 1e-9; angle += FINE_STEP) {
    const score = profileScore(xs, ys, angle, rows, offset);
    if (score > best.score) best = { angle, score };
  }
  coarse.sort((a, b) => a - b);
  const median = coarse[Math.floor(coarse.length / 2)]!;
  return { angle: Math.round(best.angle * 1000) / 1000, sharpness: median > 0 ? best.score / median : 1 };
}

/**
 * The page turned by −angle about its centre onto a canvas large enough to hold all of it, the corners
 * filled white (paper), so tesseract sees level lines.
 */
export async function straighten(page: GrayPage, angle: number): Promise<GrayPage> {
  return grayPage(sharp(page.pixels, { raw: { width: page.width, height: page.height, channels: 1 } }).rotate(-angle, { background: '#ffffff' }));
}

/** Below this tilt tesseract's own line finding copes; turning would only resample the page. */
export const MIN_STRAIGHTEN_DEGREES = 0.3;
/** A flatter profile than this is no evidence of text lines (a photo, a sideways table, noise). */
export const MIN_SHARPNESS = 3;

/** The angle to straighten a page by: its estimated skew when that is clear and large enough to matter, else 0. */
export function straighteningAngle(estimate: SkewEstimate): number {
  return Math.abs(estimate.angle) >= MIN_STRAIGHTEN_DEGREES && estimate.sharpness >= MIN_SHARPNESS ? estimate.angle : 0;
}
