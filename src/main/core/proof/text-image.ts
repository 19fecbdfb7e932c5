/**
 * Draws text that PDF's standard fonts cannot show (Chinese) as a picture, with a CJK font the system
 * has: pdf-lib embeds its own fonts only through @pdf-lib/fontkit, which SlipVault does not ship. The
 * certificate prints such text this way for reading and as \uXXXX escapes for exactness.
 */
import { createCanvas, fontFamilies } from '../native-libraries';

/** Fonts with Simplified Chinese that Linux, Windows and macOS installations commonly have. */
const CJK_FAMILIES = [
  'Noto Sans CJK SC',
  'Noto Sans SC',
  'Source Han Sans SC',
  'WenQuanYi Zen Hei',
  'WenQuanYi Micro Hei',
  'Microsoft YaHei',
  'SimHei',
  'SimSun',
  'PingFang SC',
  'Hiragino Sans GB',
  'Heiti SC',
];

/** Pixels per point: 4 renders at 288 dpi, sharp on paper. */
const SCALE = 4;

export interface TextImage {
  png: Buffer;
  /** Size on the page, in points. */
  width: number;
  height: number;
}

export interface TextPainter {
  family: string;
  /** Lines of at most `maxWidth` points, each drawn at `size` points. */
  paint(text: string, size: number, maxWidth: number): TextImage[];
}

function wrap(text: string, fits: (line: string) => boolean): string[] {
  const lines: string[] = [];
  let line = '';
  for (const char of text) {
    if (line !== '' && !fits(line + char)) {
      lines.push(line);
      line = '';
    }
    line += char;
  }
  return [...lines, line];
}

/** A painter using the first CJK font installed, or null when the system has none. */
export function cjkTextPainter(): TextPainter | null {
  const installed = new Set(fontFamilies());
  const family = CJK_FAMILIES.find((candidate) => installed.has(candidate));
  if (family === undefined) return null;
  return {
    family,
    paint(text, size, maxWidth) {
      const font = `${size * SCALE}px "${family}"`;
      const measure = createCanvas(1, 1).getContext('2d');
      measure.font = font;
      const lineHeight = Math.ceil(size * SCALE * 1.3);
      return wrap(text, (line) => measure.measureText(line).width <= maxWidth * SCALE).map((line) => {
        const canvas = createCanvas(Math.max(1, Math.ceil(measure.measureText(line).width)), lineHeight);
        const context = canvas.getContext('2d');
        context.font = font;
        context.fillStyle = '#000000';
        context.textBaseline = 'middle';
        context.fillText(line, 0, lineHeight / 2);
        return { png: canvas.toBuffer('image/png'), width: canvas.width / SCALE, height: lineHeight / SCALE };
      });
    },
  };
}
