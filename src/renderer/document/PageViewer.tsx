/**
 * One page, big: an image (decoded off the main thread: decoding="async") or a PDF page drawn by pdfjs,
 * zoomed and turned by CSS, with search-hit and low-confidence word boxes drawn over it. The boxes go
 * through the same geometry as the page, so they stay on their words at any zoom and rotation.
 */
import { Alert, Spin } from 'antd';
import type { RenderTask } from 'pdfjs-dist';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OcrWord, WordBox } from '../../shared/model';
import { drawPage, pdfPage, pointSize } from './pdf-pages';
import {
  boxOf,
  boxOnScreen,
  fitScale,
  ocrImageSize,
  pageTransform,
  PDF_CSS_PER_POINT,
  rectBetween,
  rectsOverlap,
  turnedSize,
  type Box,
  type FitMode,
  type Size,
} from './viewer-geometry';

export type PageKind = 'image' | 'pdf' | 'none';

export interface ViewerPage {
  pageId: number;
  url: string;
  kind: PageKind;
  sourcePage: number;
  /** Stored rotation plus the viewer's own turn. */
  rotation: number;
}

export interface ViewSettings {
  fit: FitMode;
  zoom: number;
}

/** A region framed on the page with a label (the Inbox's suggestion boxes); `className` says how it looks. */
export interface PageMark {
  key: string;
  box: Box;
  className: string;
  label: string;
}

/** The page's OCR words laid over it as transparent text: a click picks one word, a dragged frame the words it touches. */
export interface WordPicking {
  words: OcrWord[];
  onPick: (words: OcrWord[]) => void;
}

/** Room kept free around the page inside the viewport (scroll bars, a margin). */
const GUTTER = 24;

function useViewportSize(): [React.RefObject<HTMLDivElement | null>, Size] {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

interface Natural {
  pageId: number;
  /** CSS pixels at 100 % zoom. */
  css: Size;
  /** Pixels of the image the OCR recognised: word boxes are in these. */
  ocr: Size;
}

export function PageViewer({
  page,
  view,
  hitBoxes,
  lowWords,
  marks = [],
  picking,
  onScale,
}: {
  page: ViewerPage;
  view: ViewSettings;
  hitBoxes: WordBox[];
  lowWords: OcrWord[];
  marks?: PageMark[];
  picking?: WordPicking | undefined;
  onScale: (scale: number) => void;
}) {
  const { t } = useTranslation();
  const [viewportRef, viewport] = useViewportSize();
  const [natural, setNatural] = useState<Natural | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const known = natural?.pageId === page.pageId ? natural : null;

  useEffect(() => setError(null), [page.pageId]);

  // A PDF page's size comes from pdfjs (in points); an image's from the decoded <img> (onLoad below).
  useEffect(() => {
    if (page.kind !== 'pdf') return;
    let cancelled = false;
    pdfPage(page.url, page.sourcePage).then(
      (pdf) => {
        if (cancelled) return;
        const points = pointSize(pdf);
        setNatural({
          pageId: page.pageId,
          css: { width: points.width * PDF_CSS_PER_POINT, height: points.height * PDF_CSS_PER_POINT },
          ocr: ocrImageSize(points, 'pdf'),
        });
      },
      (reason: unknown) => !cancelled && setError(reason instanceof Error ? reason.message : String(reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [page.kind, page.url, page.sourcePage, page.pageId]);

  const room = { width: Math.max(0, viewport.width - GUTTER), height: Math.max(0, viewport.height - GUTTER) };
  const scale = known ? fitScale(view.fit, known.css, page.rotation, room, view.zoom) : view.zoom;
  const shown: Size | null = known ? { width: known.css.width * scale, height: known.css.height * scale } : null;

  useEffect(() => {
    if (known) onScale(scale);
  }, [known, scale, onScale]);

  // Draw the PDF page whenever its zoom changes; a newer drawing cancels the running one.
  useEffect(() => {
    if (page.kind !== 'pdf' || !known || !canvasRef.current) return;
    const canvas = canvasRef.current;
    let task: RenderTask | null = null;
    let cancelled = false;
    // Wait a frame: holding + or a fit while resizing would otherwise start a drawing per step.
    const frame = requestAnimationFrame(() => {
      pdfPage(page.url, page.sourcePage).then(
        (pdf) => {
          if (cancelled) return;
          task = drawPage(pdf, canvas, PDF_CSS_PER_POINT * scale);
          task.promise.catch((reason: { name?: string; message?: string }) => {
            if (reason?.name !== 'RenderingCancelledException' && !cancelled) setError(reason?.message ?? String(reason));
          });
        },
        () => undefined,
      );
    });
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
      task?.cancel();
    };
  }, [page.kind, page.url, page.sourcePage, known, scale]);

  // Keep the first search hit in sight when the page, zoom or turn changes (zoomed in, it may lie outside).
  const firstHit = useRef<HTMLDivElement>(null);
  useEffect(() => {
    firstHit.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [known, scale, page.rotation]);

  const screen = shown ? turnedSize(shown, page.rotation) : null;
  const placed = (box: Box) => (known && shown ? boxOnScreen(box, known.ocr, shown, page.rotation) : null);
  const pageStyle: React.CSSProperties = shown
    ? { width: shown.width, height: shown.height, transform: pageTransform(page.rotation, shown), transformOrigin: '0 0' }
    : { visibility: 'hidden' };

  return (
    <div className="page-viewport" ref={viewportRef} data-page-id={page.pageId} data-scale={known ? scale.toFixed(4) : ''} tabIndex={-1}>
      {error ? <Alert type="error" showIcon title={t('viewer.loadFailed', { message: error })} /> : null}
      {!known && !error && page.kind !== 'none' ? (
        <div className="page-loading">
          <Spin size="small" /> {t('viewer.loading')}
        </div>
      ) : null}
      {page.kind === 'none' ? <div className="page-loading">{t('pages.noPreview')}</div> : null}
      <div className="page-stage" style={screen ? { width: screen.width, height: screen.height } : undefined} data-rotation={page.rotation}>
        {page.kind === 'image' ? (
          <img
            key={page.url}
            className="page-surface"
            src={page.url}
            alt=""
            decoding="async"
            draggable={false}
            style={pageStyle}
            onLoad={(event) => {
              const image = event.currentTarget;
              const size = { width: image.naturalWidth, height: image.naturalHeight };
              setNatural({ pageId: page.pageId, css: size, ocr: ocrImageSize(size, 'image') });
            }}
            onError={() => setError(t('pages.noPreview'))}
          />
        ) : null}
        {page.kind === 'pdf' ? <canvas key={page.url + page.sourcePage} ref={canvasRef} className="page-surface" style={pageStyle} /> : null}
        {picking && known && shown ? (
          <WordLayer
            picking={picking}
            ocrWidth={known.ocr.width}
            ocrHeight={known.ocr.height}
            shownWidth={shown.width}
            shownHeight={shown.height}
            rotation={page.rotation}
          />
        ) : null}
        {marks.map((mark) => {
          const rect = placed(mark.box);
          return rect ? <div key={mark.key} className={`word-box ${mark.className}`} style={rect} title={mark.label} aria-label={mark.label} /> : null;
        })}
        {lowWords.map((word, index) => {
          const rect = placed(word.bbox);
          return rect ? (
            <div key={`low-${index}`} className="word-box low-confidence-box" style={rect} title={`${word.text} · ${Math.round(word.confidence)}%`} />
          ) : null;
        })}
        {hitBoxes.map((box, index) => {
          const rect = placed(boxOf(box));
          return rect ? <div key={`hit-${index}`} ref={index === 0 ? firstHit : undefined} className="word-box hit-box" style={rect} /> : null;
        })}
      </div>
    </div>
  );
}

/** A press that moves less than this (px) is a click on a word, not a drag across words. */
const DRAG_SLOP = 4;

interface Drag {
  from: { x: number; y: number };
  to: { x: number; y: number };
}

/**
 * The words as transparent text over the page. A click picks the word under the mouse; dragging draws a frame
 * and picks every word it touches, in reading order. The press does not take the focus (the field that is
 * filled keeps it) and does not start the browser's own text selection, whose drag Chromium drops on small,
 * absolutely placed text. Memoised: a screen that frames boxes on the page draws again on every key typed in
 * its form, and a page has hundreds of words (hence sizes as numbers, equal from draw to draw).
 */
const WordLayer = memo(function WordLayer({
  picking,
  ocrWidth,
  ocrHeight,
  shownWidth,
  shownHeight,
  rotation,
}: {
  picking: WordPicking;
  ocrWidth: number;
  ocrHeight: number;
  shownWidth: number;
  shownHeight: number;
  rotation: number;
}) {
  const [drag, setDrag] = useState<Drag | null>(null);
  const rects = useMemo(
    () => picking.words.map((word) => boxOnScreen(word.bbox, { width: ocrWidth, height: ocrHeight }, { width: shownWidth, height: shownHeight }, rotation)),
    [picking.words, ocrWidth, ocrHeight, shownWidth, shownHeight, rotation],
  );
  const frame = drag && Math.max(Math.abs(drag.to.x - drag.from.x), Math.abs(drag.to.y - drag.from.y)) > DRAG_SLOP ? rectBetween(drag.from, drag.to) : null;
  const marked = frame ? rects.flatMap((rect, index) => (rectsOverlap(rect, frame) ? [index] : [])) : [];

  const local = (event: React.MouseEvent<HTMLDivElement>) => {
    const layer = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - layer.left, y: event.clientY - layer.top };
  };
  const onMouseUp = (event: React.MouseEvent<HTMLDivElement>) => {
    if (!drag) return;
    const clicked = (event.target as HTMLElement).closest<HTMLElement>('[data-word]');
    const chosen = frame ? marked : clicked ? [Number(clicked.dataset.word)] : [];
    setDrag(null);
    if (chosen.length > 0) picking.onPick(chosen.map((index) => picking.words[index]!));
  };

  return (
    <div
      className="word-layer"
      onMouseDown={(event) => {
        if (event.button !== 0) return;
        event.preventDefault();
        const at = local(event);
        setDrag({ from: at, to: at });
      }}
      onMouseMove={(event) => drag && setDrag({ from: drag.from, to: local(event) })}
      onMouseUp={onMouseUp}
      onMouseLeave={() => setDrag(null)}
    >
      {rects.map((rect, index) => (
        <span
          key={index}
          className={marked.includes(index) ? 'page-word page-word-marked' : 'page-word'}
          data-word={index}
          style={{ ...rect, fontSize: Math.max(1, Math.min(rect.height, rect.width) * 0.8), lineHeight: `${rect.height}px` }}
        >
          {picking.words[index]!.text}
        </span>
      ))}
      {frame ? <div className="word-frame" style={frame} /> : null}
    </div>
  );
});
