/**
 * The selected inbox document's page beside the filing form, in the document viewer (zoom, fit, the
 * display-only turn, its keys), with the region each field's suggestion was read from framed on it. The
 * page's OCR words lie over it as transparent text: clicking a word or selecting several hands their text to
 * the screen, which fills the focused field. Showing a page here is a page view like the drawer's, audited
 * once per page shown.
 */
import { Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail, InboxItem, OcrWord, SuggestionBox } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';
import { pageKind } from '../document/page-kind';
import { PageViewer, type PageMark, type WordPicking } from '../document/PageViewer';
import { useRecordView } from '../document/record-view';
import { turn } from '../document/viewer-geometry';
import { useViewerControls } from '../document/viewer-controls';
import { ViewerToolbar } from '../document/ViewerToolbar';
import type { FilingField } from './filing';
import { joinPicked } from './picked-text';
import '../document/viewer.css';
import './inbox-page.css';

/** A field's source region as the page frames it. */
export interface FieldBox {
  field: FilingField;
  box: SuggestionBox;
  /** A suggestion the clerk must still confirm. */
  unconfirmed: boolean;
  /** The field is focused or hovered: its box stands out. */
  highlighted: boolean;
}

const NO_WORDS: OcrWord[] = [];

export function InboxPage({ item, boxes, onPick }: { item: InboxItem; boxes: FieldBox[]; onPick: (text: string) => void }) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [chosenPageId, setChosenPageId] = useState<number | null>(null);
  const [words, setWords] = useState<{ pageId: number; words: OcrWord[] } | null>(null);
  const documentId = item.document.id;

  useEffect(() => {
    let cancelled = false;
    platform.client.call('documents:get', { ref: documentId }).then(
      (loaded) => {
        if (cancelled) return;
        setDetail(loaded);
        setLoadError(null);
      },
      (reason: unknown) => !cancelled && setLoadError(errorText(t, reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [platform, documentId, item.document.currentVersion, t]);

  // Another document opens on its first page, unless the highlighted field's region is on another page: the
  // viewer goes there (declared in this order so that, on a new document, the region's page wins).
  useEffect(() => setChosenPageId(null), [documentId]);
  const highlightedPageId = boxes.find((box) => box.highlighted)?.box.pageId ?? null;
  useEffect(() => {
    if (highlightedPageId !== null) setChosenPageId(highlightedPageId);
  }, [highlightedPageId]);

  const pages = detail?.id === documentId ? detail.pages : [];
  const found = pages.findIndex((page) => page.pageId === chosenPageId);
  const index = found >= 0 ? found : 0;
  const page = pages[index];
  const goTo = useCallback(
    (at: number) => {
      const target = pages[Math.min(Math.max(at, 0), pages.length - 1)];
      if (target) setChosenPageId(target.pageId);
    },
    [pages],
  );
  // Beside the form the page has a narrow column: filling its width keeps the words legible (it scrolls down).
  const controls = useViewerControls(true, { index, goTo }, 'width');

  useRecordView(page ? { ref: documentId, pageId: page.pageId, action: 'view' } : null);

  // The words to pick from; read again as OCR finishes pages (pagesDone).
  const pageId = page?.pageId;
  useEffect(() => {
    if (pageId === undefined) return;
    let cancelled = false;
    platform.client.call('ocr:page', { ref: documentId, pageId }).then(
      (recognition) => !cancelled && setWords({ pageId, words: recognition.words }),
      () => !cancelled && setWords({ pageId, words: NO_WORDS }),
    );
    return () => {
      cancelled = true;
    };
  }, [platform, documentId, pageId, item.pagesDone]);

  const pageWords = words && words.pageId === pageId ? words.words : NO_WORDS;
  const picking: WordPicking | undefined = useMemo(
    () => (pageWords.length > 0 ? { words: pageWords, onPick: (picked: OcrWord[]) => onPick(joinPicked(picked.map((word) => word.text))) } : undefined),
    [pageWords, onPick],
  );

  const marks: PageMark[] = boxes
    .filter((box) => box.box.pageId === pageId)
    .map((box) => ({
      key: box.field,
      box: box.box.bbox,
      className: `suggestion-box${box.unconfirmed ? ' suggestion-box-unconfirmed' : ''}${box.highlighted ? ' suggestion-box-active' : ''}`,
      label: t('inbox.page.boxLabel', { field: t(`doc.fields.${box.field}`) }),
    }));

  return (
    <section className="inbox-page" aria-label={t('inbox.page.title')} data-document={item.document.archiveNo}>
      {loadError ? <Typography.Text type="danger">{loadError}</Typography.Text> : null}
      {page && detail ? (
        <>
          <ViewerToolbar
            index={index}
            total={pages.length}
            scale={controls.scale}
            fit={controls.view.fit}
            storedRotation={page.rotation}
            viewTurn={controls.viewTurn}
            onGoTo={goTo}
            onZoom={controls.zoomBy}
            onFit={controls.fit}
            onTurnView={controls.turnView}
          />
          <PageViewer
            page={{
              pageId: page.pageId,
              url: platform.pageImageUrl(page.blobHash),
              kind: pageKind(detail, page),
              sourcePage: page.sourcePage,
              rotation: turn(page.rotation, controls.viewTurn),
            }}
            view={controls.view}
            hitBoxes={[]}
            lowWords={NO_WORDS}
            marks={marks}
            picking={picking}
            onScale={controls.showScale}
          />
          <Typography.Text type="secondary" className="inbox-page-hint">
            {picking ? t('inbox.page.pickHint') : t('inbox.page.noWords')}
          </Typography.Text>
        </>
      ) : null}
    </section>
  );
}
