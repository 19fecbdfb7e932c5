/**
 * A small picture of a page for the strip: the image itself (lazy, decoded off the main thread) or the PDF
 * page drawn small by pdfjs. Shown with the page's stored rotation.
 */
import { Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drawPage, pdfPage, pointSize } from './pdf-pages';
import type { PageKind } from './PageViewer';

const THUMB_WIDTH = 150;

function PdfThumb({ url, sourcePage, label }: { url: string; sourcePage: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let cancel: (() => void) | null = null;
    pdfPage(url, sourcePage).then(
      (page) => {
        if (cancelled || !canvas.current) return;
        const task = drawPage(page, canvas.current, THUMB_WIDTH / pointSize(page).width);
        cancel = () => task.cancel();
        task.promise.catch(() => undefined);
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      cancel?.();
    };
  }, [url, sourcePage]);
  return failed ? <Typography.Text type="secondary">PDF</Typography.Text> : <canvas ref={canvas} aria-label={label} />;
}

export function PageThumb({ url, kind, sourcePage, rotation, label }: { url: string; kind: PageKind; sourcePage: number; rotation: number; label: string }) {
  const { t } = useTranslation();
  const style = { transform: `rotate(${rotation}deg)` };
  if (kind === 'image') return <img src={url} alt={label} style={style} loading="lazy" decoding="async" draggable={false} />;
  if (kind === 'pdf') {
    return (
      <span className="pdf-thumb" style={style}>
        <PdfThumb url={url} sourcePage={sourcePage} label={label} />
      </span>
    );
  }
  return <Typography.Text type="secondary">{t('pages.noPreview')}</Typography.Text>;
}
