/**
 * One page through PP-OCR, on a worker thread: detection finds the text boxes, recognition reads each box
 * on its own. Returns every box it read, with its text, confidence and place on the page; which of them
 * count, and in what order, the pool decides (paddle-pool.ts).
 */
import type { GrayPage } from './gray-page';
import { sharp } from '../native-libraries';
import { toModelInput, type PaddleModels } from './paddle-models';

export interface PaddleLine {
  text: string;
  /** The recogniser's mean character probability, 0–1. */
  confidence: number;
  /** x0, y0, x1, y1 in pixels of the page given. */
  bbox: [number, number, number, number];
  /** The box's lower edge, x0, y0, x1, y1: its slope is the line's skew. */
  baseline: [number, number, number, number];
}

/** The detection model works on sides that are multiples of 32. */
const DETECTION_STEP = 32;
/**
 * Pages are detected at most this long: the detector's memory grows with the page's area (a 3500-pixel
 * page took over 2 GB), while reading a 2048-pixel customs form at 1600 doubled its error rate on zh-docs.
 */
const MAX_DETECTION_SIDE = 2560;
/** The recognition model reads lines scaled to this height. */
const LINE_HEIGHT = 48;

/**
 * The page as the detector wants it: shrunk when too large, then padded with white on the right and at the
 * bottom to multiples of 32. The package would stretch the page to those sides instead, moving every box
 * by up to 31 pixels; padding leaves the boxes where the text is.
 */
async function detectionImage(page: GrayPage): Promise<{ png: Buffer; scale: number }> {
  const scale = Math.min(1, MAX_DETECTION_SIDE / Math.max(page.width, page.height));
  const width = Math.max(1, Math.round(page.width * scale));
  const height = Math.max(1, Math.round(page.height * scale));
  const padded = (side: number) => Math.max(DETECTION_STEP, Math.ceil(side / DETECTION_STEP) * DETECTION_STEP);
  let image = sharp(page.pixels, { raw: { width: page.width, height: page.height, channels: 1 } });
  if (scale < 1) image = image.resize({ width, height, fit: 'fill' });
  const png = await image
    .extend({ right: padded(width) - width, bottom: padded(height) - height, background: { r: 255, g: 255, b: 255 } })
    // The package reads every image as RGBA; a one-channel PNG would reach it as gray + alpha.
    .toColourspace('srgb')
    .png({ compressionLevel: 0 })
    .toBuffer();
  return { png, scale };
}

export async function readPaddleLines(models: PaddleModels, page: GrayPage): Promise<PaddleLine[]> {
  const { png, scale } = await detectionImage(page);
  const detected = await models.detection.run(png);
  const lines: PaddleLine[] = [];
  for (const { box, image } of detected) {
    const output = await models.recognition.runModel({ modelData: toModelInput(await image.resize({ height: LINE_HEIGHT })) });
    const [read] = models.recognition.decodeText(output);
    if (!read) continue;
    const corners = box.map(([x, y]) => [Math.round(x / scale), Math.round(y / scale)] as const);
    const xs = corners.map(([x]) => x);
    const ys = corners.map(([, y]) => y);
    const [, , bottomRight, bottomLeft] = corners;
    lines.push({
      text: read.text,
      confidence: read.mean,
      bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
      baseline: [bottomLeft![0], bottomLeft![1], bottomRight![0], bottomRight![1]],
    });
  }
  return lines;
}
