/**
 * The page viewer's own state — fit or zoom, the display-only turn, the scale last shown — and its keys,
 * shared by the document drawer's Pages tab and the Inbox's page beside the filing form.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ViewSettings } from './PageViewer';
import { stepZoom, turn, type FitMode } from './viewer-geometry';
import { viewerAction } from './viewer-keys';

export interface ViewerControls {
  view: ViewSettings;
  viewTurn: number;
  scale: number;
  /** PageViewer's onScale: the scale it drew the page at. */
  showScale: (scale: number) => void;
  zoomBy: (direction: 1 | -1) => void;
  fit: (fit: FitMode) => void;
  turnView: () => void;
}

/**
 * `paging` moves between pages for PageUp / PageDown; the keys act only while `active` (the tab or screen is
 * shown) and never while the clerk types (viewer-keys.ts). `initialFit`: how the page is fitted at first.
 */
export function useViewerControls(active: boolean, paging: { index: number; goTo: (index: number) => void }, initialFit: FitMode = 'page'): ViewerControls {
  const [view, setView] = useState<ViewSettings>({ fit: initialFit, zoom: 1 });
  const [viewTurn, setViewTurn] = useState(0);
  const [scale, setScale] = useState(1);

  // The shown scale arrives after a render; key repeat (holding +) must step from the latest request.
  const latestScale = useRef(scale);
  const showScale = useCallback((shown: number) => {
    latestScale.current = shown;
    setScale(shown);
  }, []);
  const zoomBy = useCallback((direction: 1 | -1) => {
    const zoom = stepZoom(latestScale.current, direction);
    latestScale.current = zoom;
    setView({ fit: 'none', zoom });
  }, []);
  const fit = useCallback((mode: FitMode) => setView((previous) => ({ ...previous, fit: mode })), []);
  const turnView = useCallback(() => setViewTurn((previous) => turn(previous, 90)), []);

  const { index, goTo } = paging;
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      const action = viewerAction(event);
      if (!action) return;
      event.preventDefault();
      if (action === 'next') goTo(index + 1);
      else if (action === 'previous') goTo(index - 1);
      else if (action === 'zoomIn') zoomBy(1);
      else if (action === 'zoomOut') zoomBy(-1);
      else if (action === 'fitWidth') fit('width');
      else if (action === 'fitPage') fit('page');
      else turnView();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, goTo, index, zoomBy, fit, turnView]);

  return { view, viewTurn, scale, showScale, zoomBy, fit, turnView };
}
