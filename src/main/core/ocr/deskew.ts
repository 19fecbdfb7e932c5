/**
 * Small-angle deskew. A slip laid slightly crooked on the scanner glass tilts every text line a little;
 * the angle is found from the projection profile of the page's ink (Postl's method): turned by the right
 * angle, the ink piles up in a few rows and the row counts change sharply between lines and gaps. The
 * search runs on a downscaled, binarised copy, so it costs a few tens of milliseconds per page. The same
 * search over the columns tells a page scanned a quarter turn off, before anything reads it.
 */
import { grayPage, type GrayPage } from './gray-page';
import { sharp } from '../native-libraries';

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
   * all searched angles. Blank pages, pictures and speckle stay near 1; lines of text score far above (3 to 180
   * on the benchmark sets, sideways pages included: their character rows line up too, less sharply than their columns).
   */
  sharpness: number;
  /** The text lines run top to bottom (the angle and sharpness are then those of the columns). */
  sideways: boolean;
}

/** Otsu's threshold: the gray level that best splits the page into ink and paper. */
function otsuThreshold(pixels: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (let i = 0; i < pixels.length; i += 1) histogram[pixels[i]!]! += 1;
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

/** Sum of squared differences between neighbouring rows of the ink profile (every `stride`-th ink pixel), the page turned back by `degrees`. */
function profileScore(points: InkPoints, degrees: number, stride: number): number {
  const { xs, ys, rows, offset } = points;
  const radians = (degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  rows.fill(0);
  // Rounding by truncation after the offset keeps every index non-negative; Math.round cost a third of the search.
  const shift = offset + 0.5;
  for (let i = 0; i < xs.length; i += stride) rows[(ys[i]! * cos - xs[i]! * sin + shift) | 0]! += 1;
  let score = 0;
  for (let row = 1; row < rows.length; row += 1) score += (rows[row]! - rows[row - 1]!) ** 2;
  return score;
}

/** Ink pixel coordinates with a row histogram wide enough for every searched angle. */
interface InkPoints {
  xs: Float64Array;
  ys: Float64Array;
  rows: Int32Array;
  offset: number;
}

function inkPoints(xs: Float64Array, ys: Float64Array, width: number, height: number): InkPoints {
  // Turned rows reach from −width·sin to height + width·sin: one array covers every searched angle.
  const offset = Math.ceil(width * Math.sin((MAX_SKEW_DEGREES * Math.PI) / 180)) + 1;
  return { xs, ys, rows: new Int32Array(height + 2 * offset + 2), offset };
}

/**
 * The searches score at most this many ink pixels (every n-th in scan order, which keeps each line's share
 * of the ink): the coarse search places the best angle to within a step, the fine search refines it.
 * Scoring every pixel of a 1200 px copy cost as much as a tenth of reading the page; sampled, the angles
 * found stayed within 0.05° of the full search's (bench/results/ocr-history.md).
 */
const COARSE_SAMPLE = 20_000;
const FINE_SAMPLE = 40_000;

const sampleStride = (points: InkPoints, sample: number) => Math.max(1, Math.ceil(points.xs.length / sample));

/** The coarse search: the best angle to within COARSE_STEP and how clearly it stands out. */
function coarseSearch(points: InkPoints): SkewEstimate {
  const stride = sampleStride(points, COARSE_SAMPLE);
  const scores: number[] = [];
  let best = { angle: 0, score: -1 };
  for (let angle = -MAX_SKEW_DEGREES; angle <= MAX_SKEW_DEGREES + 1e-9; angle += COARSE_STEP) {
    const score = profileScore(points, angle, stride);
    scores.push(score);
    if (score > best.score) best = { angle, score };
  }
  scores.sort((a, b) => a - b);
  const median = scores[Math.floor(scores.length / 2)]!;
  return { angle: best.angle, sharpness: median > 0 ? best.score / median : 1, sideways: false };
}

function fineAngle(points: InkPoints, coarseAngle: number): number {
  const stride = sampleStride(points, FINE_SAMPLE);
  let best = { angle: coarseAngle, score: -1 };
  for (let angle = coarseAngle - COARSE_STEP; angle <= coarseAngle + COARSE_STEP + 1e-9; angle += FINE_STEP) {
    const score = profileScore(points, angle, stride);
    if (score > best.score) best = { angle, score };
  }
  return Math.round(best.angle * 1000) / 1000;
}

/**
 * A page whose ink piles up in columns far more sharply than in rows has its text lines running top to
 * bottom: it was scanned a quarter turn off. Upright pages have some column sharpness too (monospaced
 * receipts line their characters up in columns), far below a sideways page's; the bound lies between the two
 * on the benchmark sets, about as far from each (bench/results/ocr-history.md).
 */
const SIDEWAYS_RATIO = 3;

export async function estimateSkew(page: GrayPage): Promise<SkewEstimate> {
  const small = await sharp(page.pixels, { raw: { width: page.width, height: page.height, channels: 1 } })
    .resize({ width: ESTIMATE_SIDE, height: ESTIMATE_SIDE, fit: 'inside', withoutEnlargement: true })
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = small.info;
  const threshold = otsuThreshold(small.data);
  let ink = 0;
  for (let i = 0; i < small.data.length; i += 1) if (small.data[i]! <= threshold) ink += 1;
  // A page that is mostly "ink" by Otsu's split is a photo or a dark scan, not lines of text.
  if (ink < MIN_INK_PIXELS || ink > small.data.length / 2) return { angle: 0, sharpness: 1, sideways: false };
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
  const rowPoints = inkPoints(xs, ys, width, height);
  // The same ink as on the page turned a quarter clockwise, (x, y) → (height − 1 − y, x): its rows are the
  // page's columns, and rotations commute, so its angle straightens the page before the quarter turn too.
  const columnPoints = inkPoints(
    ys.map((y) => height - 1 - y),
    xs,
    height,
    width,
  );
  const rows = coarseSearch(rowPoints);
  const columns = coarseSearch(columnPoints);
  const sideways = columns.sharpness > rows.sharpness * SIDEWAYS_RATIO;
  const chosen = sideways ? columns : rows;
  return { angle: fineAngle(sideways ? columnPoints : rowPoints, chosen.angle), sharpness: chosen.sharpness, sideways };
}

/**
 * The page turned by −angle about its centre onto a canvas large enough to hold all of it, the corners
 * filled white (paper), so tesseract sees level lines.
 */
export async function straighten(page: GrayPage, angle: number): Promise<GrayPage> {
  return grayPage(sharp(page.pixels, { raw: { width: page.width, height: page.height, channels: 1 } }).rotate(-angle, { background: '#ffffff' }));
}

/**
 * Below this tilt tesseract's own line finding copes and turning only resamples the page. Reading both ways
 * (bench:deskew): straightening pages tilted 0.3–1.5° helped some receipts a little and made the slips
 * worse (resampling softens small print); the pages tilted 2° and more read clearly better straightened
 * (bench/results/deskew.md), and with this bound a page is read once.
 */
export const MIN_STRAIGHTEN_DEGREES = 1.5;
/** A flatter profile than this is no evidence of text lines (a photo, a sideways table, noise). */
export const MIN_SHARPNESS = 3;

/** The angle to straighten a page by: its estimated skew when that is clear and large enough to matter, else 0. */
export function straighteningAngle(estimate: SkewEstimate): number {
  return Math.abs(estimate.angle) >= MIN_STRAIGHTEN_DEGREES && estimate.sharpness >= MIN_SHARPNESS ? estimate.angle : 0;
}
