/** The page viewer's pure pieces: zoom and fit, turning, word boxes on a turned zoomed page, text marks, keys. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_OCR_SIDE } from '../../src/main/core/ocr/page-input';
import { CSP_DIRECTIVES } from '../../src/main/shell/constants';
import { reorderedIds } from '../../src/renderer/document/page-order';
import { lowConfidenceRanges, mergeRanges, searchTerms, termRanges, textSegments } from '../../src/renderer/document/text-marks';
import {
  boxOnScreen,
  clampZoom,
  fitScale,
  MAX_ZOOM,
  MIN_ZOOM,
  OCR_MAX_SIDE,
  ocrImageSize,
  pageTransform,
  rectBetween,
  rectsOverlap,
  stepZoom,
  turn,
  turnedSize,
  type Box,
  type Size,
} from '../../src/renderer/document/viewer-geometry';
import { isTypingTarget, viewerAction } from '../../src/renderer/document/viewer-keys';

/** Applies the CSS transform pageTransform returns to a point, as the browser would (origin top-left). */
function transformPoint(rotation: number, size: Size, [x, y]: [number, number]): [number, number] {
  const css = pageTransform(rotation, size);
  if (css === 'none') return [x, y];
  const match = /^translate\(([\d.]+)px, ([\d.]+)px\) rotate\((\d+)deg\)$/.exec(css)!;
  const [tx, ty, degrees] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const radians = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.round(Math.cos(radians)), Math.round(Math.sin(radians))];
  return [x * cos - y * sin + tx, x * sin + y * cos + ty];
}

/** A rect compared to 6 decimals: the box arithmetic runs through fractions. */
const near = (rect: { left: number; top: number; width: number; height: number }) =>
  Object.fromEntries(Object.entries(rect).map(([key, value]) => [key, expect.closeTo(value, 6)]));

describe('turning and zoom', () => {
  it('turns by quarter turns in both directions', () => {
    expect(turn(0, 90)).toBe(90);
    expect(turn(270, 90)).toBe(0);
    expect(turn(0, -90)).toBe(270);
    expect(turn(90, 450)).toBe(180);
    expect(turnedSize({ width: 600, height: 840 }, 90)).toEqual({ width: 840, height: 600 });
    expect(turnedSize({ width: 600, height: 840 }, 180)).toEqual({ width: 600, height: 840 });
  });

  it('steps between zoom levels from any scale, within the range', () => {
    expect(stepZoom(1, 1)).toBe(1.25);
    expect(stepZoom(1, -1)).toBe(0.75);
    expect(stepZoom(0.8, 1)).toBe(1); // after a fit the scale lies between steps
    expect(stepZoom(0.8, -1)).toBe(0.75);
    expect(stepZoom(MAX_ZOOM, 1)).toBe(MAX_ZOOM);
    expect(stepZoom(MIN_ZOOM, -1)).toBe(MIN_ZOOM);
    expect(stepZoom(0.05, -1)).toBe(0.05); // a fitted huge scan: nothing smaller to step to
    expect(stepZoom(0.05, 1)).toBe(MIN_ZOOM);
    expect(clampZoom(100)).toBe(MAX_ZOOM);
    expect(clampZoom(Number.NaN)).toBe(1);
  });

  it('fits the turned page to the width or whole into the viewport', () => {
    const page = { width: 600, height: 800 };
    const viewport = { width: 300, height: 200 };
    expect(fitScale('width', page, 0, viewport, 1)).toBeCloseTo(0.5);
    expect(fitScale('page', page, 0, viewport, 1)).toBeCloseTo(0.25);
    // Sideways the page is 800 wide and 600 high.
    expect(fitScale('width', page, 90, viewport, 1)).toBeCloseTo(0.375);
    expect(fitScale('page', page, 270, viewport, 1)).toBeCloseTo(1 / 3);
    expect(fitScale('none', page, 0, viewport, 2)).toBe(2);
    // A 6000 × 8000 scan fits a 600 px high viewport below the smallest zoom step.
    expect(fitScale('page', { width: 6000, height: 8000 }, 0, { width: 800, height: 600 }, 1)).toBeCloseTo(0.075);
    // Before the viewport is measured the clerk's zoom stands.
    expect(fitScale('page', page, 0, { width: 0, height: 0 }, 1.5)).toBe(1.5);
  });

  it('moves a turned page back into the box of its turned size', () => {
    const size = { width: 200, height: 100 };
    for (const rotation of [0, 90, 180, 270]) {
      const box = turnedSize(size, rotation);
      for (const corner of [
        [0, 0],
        [200, 0],
        [0, 100],
        [200, 100],
      ] as [number, number][]) {
        const [x, y] = transformPoint(rotation, size, corner);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(box.width);
        expect(y).toBeLessThanOrEqual(box.height);
      }
    }
    expect(transformPoint(90, size, [0, 0])).toEqual([100, 0]); // top-left goes to the top-right corner
    expect(transformPoint(270, size, [0, 0])).toEqual([0, 200]); // … or the bottom-left one
  });
});

describe('word boxes on screen', () => {
  const ocr = { width: 600, height: 800 };
  const box: Box = [60, 80, 180, 120]; // a word near the top-left

  it('scale with the zoom', () => {
    expect(boxOnScreen(box, ocr, { width: 600, height: 800 }, 0)).toEqual(near({ left: 60, top: 80, width: 120, height: 40 }));
    expect(boxOnScreen(box, ocr, { width: 300, height: 400 }, 0)).toEqual(near({ left: 30, top: 40, width: 60, height: 20 }));
  });

  it('follow the page when it is turned, landing where the CSS transform puts the word', () => {
    const shown = { width: 300, height: 400 };
    for (const rotation of [0, 90, 180, 270]) {
      const rect = boxOnScreen(box, ocr, shown, rotation);
      // The word's corners, zoomed, then turned by the same transform as the page image.
      const corners = (
        [
          [60, 80],
          [180, 120],
        ] as [number, number][]
      ).map(([x, y]) => transformPoint(rotation, shown, [x / 2, y / 2]));
      const xs = corners.map(([x]) => x);
      const ys = corners.map(([, y]) => y);
      expect(rect.left, `left at ${rotation}°`).toBeCloseTo(Math.min(...xs));
      expect(rect.top, `top at ${rotation}°`).toBeCloseTo(Math.min(...ys));
      expect(rect.left + rect.width).toBeCloseTo(Math.max(...xs));
      expect(rect.top + rect.height).toBeCloseTo(Math.max(...ys));
    }
    // At 90° a word at the top-left of the page sits at the top-right of the screen.
    expect(boxOnScreen(box, ocr, shown, 90)).toEqual(near({ left: 340, top: 30, width: 20, height: 60 }));
  });

  it('map from the OCR image to the page shown, whatever their pixel sizes', () => {
    // A 7000 px scan was recognised at half size: a box at OCR (100, 100) is at 200 image pixels.
    const big = { width: 7000, height: 5000 };
    const recognised = ocrImageSize(big, 'image');
    expect(recognised).toEqual({ width: OCR_MAX_SIDE, height: 2500 });
    expect(boxOnScreen([100, 100, 200, 150], recognised, big, 0)).toEqual(near({ left: 200, top: 200, width: 200, height: 100 }));
    // Boxes outside the page (a stray OCR box) are clipped to it; reversed corners are put in order.
    expect(boxOnScreen([550, 790, 700, 900], ocr, ocr, 0)).toEqual(near({ left: 550, top: 790, width: 50, height: 10 }));
    expect(boxOnScreen([180, 120, 60, 80], ocr, ocr, 0)).toEqual(near({ left: 60, top: 80, width: 120, height: 40 }));
  });

  it('know the size the OCR recognised images and PDF pages at', () => {
    expect(OCR_MAX_SIDE).toBe(MAX_OCR_SIDE); // the viewer mirrors the OCR's preparation
    expect(ocrImageSize({ width: 600, height: 840 }, 'image')).toEqual({ width: 600, height: 840 });
    // An A4 PDF page (595 × 842 pt) at 300 DPI, then capped to 3500 px on the long side.
    expect(ocrImageSize({ width: 595, height: 842 }, 'pdf')).toEqual({ width: 2474, height: 3500 });
    expect(ocrImageSize({ width: 300, height: 400 }, 'pdf')).toEqual({ width: 1250, height: 1667 });
  });
});

describe('text marks', () => {
  it('takes the searched words from the query and the snippet, not filters or exclusions', () => {
    expect(searchTerms('delivery "no. DN" -receipt customer:华东 inv* OR 2026', null)).toEqual(['delivery', 'no. DN', 'inv', '2026']);
    expect(
      searchTerms('物流', {
        field: 'page',
        text: '上海华东物流有限公司',
        marks: [
          [4, 6],
          [2, 4],
        ],
      }),
    ).toEqual(['物流', '华东']);
  });

  it('finds every occurrence case-insensitively and merges overlaps', () => {
    expect(termRanges('Delivery note. DELIVERY by van', ['delivery'])).toEqual([
      [0, 8],
      [15, 23],
    ]);
    expect(termRanges('华东物流有限公司', ['华东', '东物流'])).toEqual([[0, 4]]);
    expect(
      mergeRanges([
        [5, 7],
        [0, 2],
        [2, 3],
        [4, 4],
      ]),
    ).toEqual([
      [0, 3],
      [5, 7],
    ]);
  });

  it('marks low-confidence words where they were read, in order', () => {
    const text = 'No. 17 to 17 Main';
    const words = [
      { text: 'No.', bbox: [0, 0, 1, 1] as Box, confidence: 95 },
      { text: '17', bbox: [0, 0, 1, 1] as Box, confidence: 90 },
      { text: 'to', bbox: [0, 0, 1, 1] as Box, confidence: 91 },
      { text: '17', bbox: [0, 0, 1, 1] as Box, confidence: 30 },
      { text: 'Mian', bbox: [0, 0, 1, 1] as Box, confidence: 20 }, // corrected by the clerk: not in the text
    ];
    expect(lowConfidenceRanges(text, words)).toEqual([[10, 12]]);
  });

  it('cuts the text into segments that keep it verbatim', () => {
    const text = '<b>delivery</b> 17';
    const segments = textSegments(
      text,
      [[3, 11]],
      [
        [5, 8],
        [16, 18],
      ],
    );
    expect(segments.map((segment) => segment.text).join('')).toBe(text);
    expect(segments).toEqual([
      { text: '<b>', start: 0, hit: false, low: false },
      { text: 'de', start: 3, hit: true, low: false },
      { text: 'liv', start: 5, hit: true, low: true },
      { text: 'ery', start: 8, hit: true, low: false },
      { text: '</b> ', start: 11, hit: false, low: false },
      { text: '17', start: 16, hit: false, low: true },
    ]);
    expect(textSegments('', [], [])).toEqual([]);
  });
});

describe('viewer keys', () => {
  const press = (key: string, target: unknown = null, modifiers: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) =>
    viewerAction({ key, target, ctrlKey: false, altKey: false, metaKey: false, ...modifiers });

  it('pages, zooms, fits and turns the view', () => {
    expect(press('PageDown')).toBe('next');
    expect(press('PageUp')).toBe('previous');
    expect(press('+')).toBe('zoomIn');
    expect(press('=')).toBe('zoomIn');
    expect(press('-')).toBe('zoomOut');
    expect(press('w')).toBe('fitWidth');
    expect(press('0')).toBe('fitPage');
    expect(press('r')).toBe('turnView');
    expect(press('x')).toBeNull();
    expect(press('+', null, { ctrlKey: true })).toBeNull(); // the browser's own zoom
  });

  it('leaves keys alone while the clerk types or works a menu', () => {
    expect(press('-', { tagName: 'INPUT' })).toBeNull();
    expect(press('PageDown', { tagName: 'textarea' })).toBeNull();
    expect(press('+', { tagName: 'DIV', isContentEditable: true })).toBeNull();
    expect(press('+', { tagName: 'DIV', closest: (selector: string) => (selector.includes('.ant-select-dropdown') ? {} : null) })).toBeNull();
    expect(isTypingTarget({ tagName: 'BUTTON', closest: () => null })).toBe(false);
    expect(press('+', { tagName: 'BUTTON', closest: () => null })).toBe('zoomIn');
  });
});

describe('page order', () => {
  it('puts the moved page at the target place, or says nothing changes', () => {
    expect(reorderedIds([1, 2, 3], 1, 1)).toEqual([2, 1, 3]); // move later
    expect(reorderedIds([1, 2, 3], 3, 0)).toEqual([3, 1, 2]); // dragged to the front
    expect(reorderedIds([1, 2, 3], 1, 2)).toEqual([2, 3, 1]);
    expect(reorderedIds([1, 2, 3], 2, 99)).toEqual([1, 3, 2]); // clamped to the end
    expect(reorderedIds([1, 2, 3], 2, 1)).toBeNull(); // dropped on itself
    expect(reorderedIds([1, 2, 3], 9, 0)).toBeNull(); // not a page of this document
  });
});

describe('what pdfjs needs from the CSP', () => {
  it('may start its worker from the app and fetch page bytes, and nothing more', () => {
    const directives = new Map(CSP_DIRECTIVES);
    expect(directives.get('worker-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self' slipvault-page:");
    expect(directives.get('script-src')).toBe("'self'");
  });

  it('finds the worker where the build puts it (dist/renderer/pdfjs), never on a CDN', () => {
    const source = readFileSync(join(__dirname, '../../src/renderer/document/pdf-pages.ts'), 'utf8');
    expect(source).toContain("assetUrl('pdfjs/pdf.worker.min.mjs')");
    expect(source).not.toMatch(/https?:\/\//);
    // tests/global-setup.ts built dist/ before any test.
    const built = join(__dirname, '../../dist/renderer/pdfjs');
    for (const file of ['pdf.worker.min.mjs', 'cmaps/UniGB-UCS2-H.bcmap', 'standard_fonts/FoxitSerif.pfb']) {
      expect(existsSync(join(built, file)), file).toBe(true);
    }
  });
});

describe('a frame dragged across words', () => {
  it('spans the two corners whichever way it was dragged, and touches the words it shares area with', () => {
    const frame = rectBetween({ x: 50, y: 40 }, { x: 10, y: 20 });
    expect(frame).toEqual({ left: 10, top: 20, width: 40, height: 20 });
    expect(rectsOverlap({ left: 45, top: 35, width: 30, height: 10 }, frame)).toBe(true);
    expect(rectsOverlap({ left: 50, top: 20, width: 30, height: 10 }, frame)).toBe(false);
    // A flat frame (dragged along a line) still touches the words it crosses.
    expect(rectsOverlap({ left: 0, top: 25, width: 20, height: 10 }, rectBetween({ x: 5, y: 30 }, { x: 90, y: 30 }))).toBe(true);
  });
});
