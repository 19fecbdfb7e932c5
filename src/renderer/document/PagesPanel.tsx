/**
 * The Pages tab: a strip of pages with the operations that change the document (rotate, move by button or
 * drag, remove, add from files or straight from the scanner — each one contract call and one new version),
 * the page viewer (zoom, fit, a display-only turn, paging by keyboard, search hits drawn on the page) and
 * the page's recognised text.
 *
 * Rotating in the strip is stored: it writes a version everyone sees. Turning the view only changes this
 * screen and is forgotten when the drawer closes; the toolbar says which is which.
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, RotateLeftOutlined, RotateRightOutlined, ScanOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Modal, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail, PageRecognition, PageSnapshot, SearchPageHit } from '../../shared/model';
import { useApp } from '../context';
import { saveFile } from '../audit/save-file';
import { errorText } from '../format';
import { ScanControls, type ScanOutcome, type ScanRequest } from '../inbox/ScanControls';
import { PageThumb } from './PageThumb';
import { pageKind } from './page-kind';
import { PageViewer } from './PageViewer';
import { pictureOfShownPage, printPicture } from './print-page';
import { useRecordView } from './record-view';
import { OcrTextPanel } from './OcrTextPanel';
import { reorderedIds } from './page-order';
import { LOW_CONFIDENCE } from './text-marks';
import { turn } from './viewer-geometry';
import { useViewerControls } from './viewer-controls';
import { ViewerToolbar } from './ViewerToolbar';
import './viewer.css';

const PAGE_DRAG_TYPE = 'application/x-slipvault-page';

/** What the drawer was opened from: a search result's matched pages and the words to highlight. */
export interface SearchContext {
  pages: SearchPageHit[];
  terms: string[];
}

export function PagesPanel({
  detail,
  onChanged,
  search,
  active,
}: {
  detail: DocumentDetail;
  onChanged: (detail: DocumentDetail) => void;
  search?: SearchContext | undefined;
  active: boolean;
}) {
  const { t } = useTranslation();
  const { platform, may } = useApp();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [currentId, setCurrentId] = useState<number | null>(() => search?.pages[0]?.pageId ?? null);
  const [recognition, setRecognition] = useState<PageRecognition | null>(null);
  const [showLow, setShowLow] = useState(false);
  const [dragged, setDragged] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [scanning, setScanning] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const viewerBox = useRef<HTMLDivElement>(null);
  // A voided document is history only; a role that may not change documents only reads (the core refuses anyway).
  const readOnly = detail.status === 'voided' || !may('pages:rotate');

  const pages = detail.pages;
  const foundIndex = pages.findIndex((page) => page.pageId === currentId);
  const index = foundIndex >= 0 ? foundIndex : 0;
  const current: PageSnapshot | undefined = pages[index];

  const kindOf = (page: PageSnapshot) => pageKind(detail, page);

  const currentPageId = current?.pageId;
  // "Viewed page N" once each time a page comes into the viewer, not for the thumbnails in the strip.
  useRecordView(active && currentPageId !== undefined ? { ref: detail.id, pageId: currentPageId, action: 'view' } : null);
  useEffect(() => {
    if (currentPageId === undefined) return;
    let cancelled = false;
    setRecognition(null);
    platform.client.call('ocr:page', { ref: detail.id, pageId: currentPageId }).then(
      (value) => !cancelled && setRecognition(value),
      () => undefined, // the text panel shows the page's text without OCR details
    );
    return () => {
      cancelled = true;
    };
  }, [platform, detail.id, detail.currentVersion, currentPageId]);

  const run = async (work: () => Promise<DocumentDetail>) => {
    setBusy(true);
    try {
      const next = await work();
      onChanged(next);
      void message.success(t('pages.changed', { version: next.currentVersion }));
    } catch (reason) {
      void message.error(errorText(t, reason));
    } finally {
      setBusy(false);
    }
  };

  const rotate = (page: PageSnapshot, by: 90 | -90) =>
    run(() => platform.client.call('pages:rotate', { ref: detail.id, pageId: page.pageId, rotation: turn(page.rotation, by) }));
  const moveTo = (pageId: number, targetIndex: number) => {
    const ids = reorderedIds(
      pages.map((page) => page.pageId),
      pageId,
      targetIndex,
    );
    if (ids) void run(() => platform.client.call('pages:reorder', { ref: detail.id, pageIds: ids }));
  };
  const move = (at: number, delta: number) => moveTo(pages[at]!.pageId, at + delta);
  const remove = (page: PageSnapshot) => run(() => platform.client.call('pages:remove', { ref: detail.id, pageId: page.pageId }));
  const addFiles = async (files: File[]) => {
    const upload = platform.uploadFile;
    if (!upload || files.length === 0) return;
    const hide = message.loading(t('viewer.addingPages', { count: files.length }), 0);
    try {
      await run(async () => {
        const paths = await Promise.all(files.map((file) => upload(file)));
        return platform.client.call('pages:add', { ref: detail.id, paths });
      });
    } finally {
      hide();
    }
  };

  /** Errors stay in the scan dialog (ScanControls shows them); success closes it and says which version. */
  const scanPages = async (request: ScanRequest): Promise<ScanOutcome> => {
    const next = await platform.client.call('pages:scan', { ref: detail.id, ...request });
    onChanged(next);
    setScanning(false);
    const text = t('viewer.scanned', { count: next.pages.length - pages.length, version: next.currentVersion });
    void message.success(text);
    return { type: 'success', text };
  };

  /** Recorded first: a download or print that could not be audited does not happen. */
  const download = async (page: PageSnapshot, at: number) => {
    try {
      await platform.client.call('audit:recordView', { ref: detail.id, pageId: page.pageId, action: 'download' });
      const response = await fetch(platform.pageImageUrl(page.blobHash));
      if (!response.ok) throw new Error(t('viewer.loadFailed'));
      const original = detail.files.find((file) => file.blobHash === page.blobHash)?.filename;
      saveFile(await response.blob(), original ?? `${detail.archiveNo}-${at + 1}`);
    } catch (reason) {
      void message.error(errorText(t, reason));
    }
  };
  const print = async (page: PageSnapshot) => {
    const kind = kindOf(page);
    const picture = kind === 'none' ? null : pictureOfShownPage(kind, platform.pageImageUrl(page.blobHash), viewerBox.current);
    if (!picture) {
      void message.error(t('viewer.printUnavailable'));
      return;
    }
    try {
      await platform.client.call('audit:recordView', { ref: detail.id, pageId: page.pageId, action: 'print' });
      await printPicture(picture, turn(page.rotation, viewTurn));
    } catch (reason) {
      void message.error(errorText(t, reason));
    }
  };

  const goTo = useCallback(
    (at: number) => {
      const target = pages[Math.min(Math.max(at, 0), pages.length - 1)];
      if (target) setCurrentId(target.pageId);
    },
    [pages],
  );

  const { view, viewTurn, scale, showScale, zoomBy, fit, turnView } = useViewerControls(active, { index, goTo });

  const hitPages = search?.pages.filter((hit) => pages.some((page) => page.pageId === hit.pageId)) ?? [];
  const hitBoxes = current ? (search?.pages.find((hit) => hit.pageId === current.pageId)?.boxes ?? []) : [];
  const lowWords = showLow ? (recognition?.words ?? []).filter((word) => word.confidence < LOW_CONFIDENCE) : [];

  return (
    <div className="pages-panel">
      <div className="page-strip">
        <Tooltip title={platform.uploadFile ? t('viewer.addPagesHint') : t('viewer.addUnavailable')} placement="right">
          <Button
            icon={<PlusOutlined />}
            block
            disabled={busy || readOnly || !platform.uploadFile}
            onClick={() => fileInput.current?.click()}
            className="add-pages-button"
          >
            {t('viewer.addPages')}
          </Button>
        </Tooltip>
        <Tooltip title={t('viewer.scanPagesHint')} placement="right">
          <Button icon={<ScanOutlined />} block disabled={busy || readOnly} onClick={() => setScanning(true)} className="scan-pages-button">
            {t('viewer.scanPages')}
          </Button>
        </Tooltip>
        <Modal
          open={scanning}
          title={t('viewer.scanPagesTitle', { archiveNo: detail.archiveNo })}
          footer={null}
          width={760}
          destroyOnHidden
          rootClassName="scan-pages-dialog"
          onCancel={() => setScanning(false)}
        >
          <ScanControls onScan={scanPages} startLabel={t('viewer.scanStart')} />
        </Modal>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          accept="image/*,.tif,.tiff,.pdf,application/pdf"
          className="add-pages-input"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            void addFiles(files);
          }}
        />
        {pages.map((page, at) => (
          <div
            key={page.pageId}
            className={`page-card${at === index ? ' page-card-current' : ''}${hitPages.some((hit) => hit.pageId === page.pageId) ? ' page-card-hit' : ''}${dropAt === at && dragged !== page.pageId ? ' page-card-drop' : ''}`}
            data-page-id={page.pageId}
            // Drag a page onto another to put it in that page's place (one pages:reorder, one version).
            draggable={!busy && !readOnly && pages.length > 1}
            onDragStart={(event) => {
              event.dataTransfer.effectAllowed = 'move';
              event.dataTransfer.setData(PAGE_DRAG_TYPE, String(page.pageId));
              setDragged(page.pageId);
            }}
            onDragOver={(event) => {
              if (dragged === null) return;
              event.preventDefault(); // a page from this strip may be dropped here
              event.dataTransfer.dropEffect = 'move';
              setDropAt(at);
            }}
            onDrop={(event) => {
              if (dragged === null) return;
              event.preventDefault();
              moveTo(dragged, at);
              setDragged(null);
              setDropAt(null);
            }}
            onDragEnd={() => {
              setDragged(null);
              setDropAt(null);
            }}
          >
            <button
              type="button"
              className="page-frame"
              onClick={() => setCurrentId(page.pageId)}
              aria-label={t('pages.page', { n: at + 1 })}
              aria-current={at === index}
            >
              <PageThumb
                url={platform.pageImageUrl(page.thumbnailHash ?? page.blobHash)}
                kind={page.thumbnailHash ? 'image' : kindOf(page)}
                sourcePage={page.sourcePage}
                rotation={page.rotation}
                label={t('pages.page', { n: at + 1 })}
              />
            </button>
            <div className="page-card-foot">
              <Typography.Text className="page-number">{t('pages.page', { n: at + 1 })}</Typography.Text>
              <Space size={0}>
                <Tooltip title={t('pages.rotateLeft')}>
                  <Button
                    type="text"
                    size="small"
                    icon={<RotateLeftOutlined />}
                    disabled={busy || readOnly}
                    onClick={() => void rotate(page, -90)}
                    aria-label={t('pages.rotateLeft')}
                  />
                </Tooltip>
                <Tooltip title={t('pages.rotateRight')}>
                  <Button
                    type="text"
                    size="small"
                    icon={<RotateRightOutlined />}
                    disabled={busy || readOnly}
                    onClick={() => void rotate(page, 90)}
                    aria-label={t('pages.rotateRight')}
                  />
                </Tooltip>
                <Tooltip title={t('pages.moveUp')}>
                  <Button
                    type="text"
                    size="small"
                    icon={<ArrowUpOutlined />}
                    disabled={busy || readOnly || at === 0}
                    onClick={() => void move(at, -1)}
                    aria-label={t('pages.moveUp')}
                  />
                </Tooltip>
                <Tooltip title={t('pages.moveDown')}>
                  <Button
                    type="text"
                    size="small"
                    icon={<ArrowDownOutlined />}
                    disabled={busy || readOnly || at === pages.length - 1}
                    onClick={() => void move(at, 1)}
                    aria-label={t('pages.moveDown')}
                  />
                </Tooltip>
                <Popconfirm
                  placement="right"
                  title={t('pages.removeConfirm')}
                  onConfirm={() => void remove(page)}
                  disabled={busy || readOnly || pages.length === 1}
                >
                  <Tooltip title={t('pages.remove')}>
                    <Button
                      type="text"
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      disabled={busy || readOnly || pages.length === 1}
                      aria-label={t('pages.remove')}
                    />
                  </Tooltip>
                </Popconfirm>
              </Space>
            </div>
          </div>
        ))}
      </div>
      {current ? (
        <div className="page-main" ref={viewerBox}>
          <ViewerToolbar
            index={index}
            total={pages.length}
            scale={scale}
            fit={view.fit}
            storedRotation={current.rotation}
            viewTurn={viewTurn}
            onGoTo={goTo}
            onZoom={zoomBy}
            onFit={fit}
            onTurnView={turnView}
            onDownload={() => void download(current, index)}
            onPrint={() => void print(current)}
          />
          {hitPages.length > 0 ? (
            <Space className="hit-pages" size={4} wrap>
              <Typography.Text type="secondary">{t('viewer.hits')}:</Typography.Text>
              {hitPages.map((hit) => {
                const at = pages.findIndex((page) => page.pageId === hit.pageId);
                return (
                  <Tag.CheckableTag key={hit.pageId} checked={hit.pageId === current.pageId} onChange={() => setCurrentId(hit.pageId)}>
                    {t('viewer.hitBoxes', { n: at + 1, count: hit.boxes.length })}
                  </Tag.CheckableTag>
                );
              })}
            </Space>
          ) : null}
          <PageViewer
            page={{
              pageId: current.pageId,
              url: platform.pageImageUrl(current.blobHash),
              kind: kindOf(current),
              sourcePage: current.sourcePage,
              rotation: turn(current.rotation, viewTurn),
            }}
            view={view}
            hitBoxes={hitBoxes}
            lowWords={lowWords}
            onScale={showScale}
          />
        </div>
      ) : null}
      {current ? (
        <div className="page-side">
          <OcrTextPanel detail={detail} page={current} recognition={recognition} terms={search?.terms ?? []} onChanged={onChanged} />
          {(recognition?.words.length ?? 0) > 0 ? (
            <Checkbox checked={showLow} onChange={(event) => setShowLow(event.target.checked)} className="show-low-confidence">
              {t('viewer.showLowConfidence')}
            </Checkbox>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
