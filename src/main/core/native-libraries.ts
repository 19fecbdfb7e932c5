/**
 * sharp (libvips) and @napi-rs/canvas (Skia) load on first use instead of when a module that may use them
 * is imported. Opening an archive imports the whole ingest and OCR path, yet a backup, a verify or a
 * status never decodes an image: loading the two native libraries from a cold disk cost such a command
 * ~130 ms before its first byte of work.
 */
import { createRequire } from 'node:module';
import type * as Canvas from '@napi-rs/canvas';
import type { Sharp } from 'sharp';
import type SharpFunction from 'sharp';

/**
 * The bundles are CommonJS and keep these as literal `require("…")` calls, which is how packaging finds
 * the packages they need; the sources run as ES modules under the tests, where `require` is undefined.
 */
const esmRequire = typeof require === 'function' ? null : createRequire(import.meta.url);

function sharpLibrary(): typeof SharpFunction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
  return esmRequire ? (esmRequire('sharp') as typeof SharpFunction) : (require('sharp') as typeof SharpFunction);
}

function canvasLibrary(): typeof Canvas {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
  return esmRequire ? (esmRequire('@napi-rs/canvas') as typeof Canvas) : (require('@napi-rs/canvas') as typeof Canvas);
}

export function sharp(...args: Parameters<typeof SharpFunction>): Sharp {
  return sharpLibrary()(...args);
}

export function createCanvas(width: number, height: number): Canvas.Canvas {
  return canvasLibrary().createCanvas(width, height);
}

/** The font families Skia found on this system (the canvas loads the system's fonts). */
export function fontFamilies(): string[] {
  return canvasLibrary().GlobalFonts.families.map((font) => font.family);
}
