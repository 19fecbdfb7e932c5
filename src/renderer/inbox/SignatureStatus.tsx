/**
 * The signed check of the current inbox item (documents:signatureCheck, docs/signed-check.md): a status tag,
 * and the first signed page's thumbnail with a box on each signature and seal found.
 */
import { Tag, Tooltip } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentSignature, PageSignature } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';

interface SignatureStatusProps {
  documentId: number;
  version: number;
  onResult: (signed: boolean | null) => void;
}

export function SignatureStatus({ documentId, version, onResult }: SignatureStatusProps) {
  const { t } = useTranslation();
  const { platform } = useApp();
  const [result, setResult] = useState<DocumentSignature | null>(null);
  const [preview, setPreview] = useState<{ page: PageSignature; src: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The latest callback, without re-running the check when the screen hands a new function.
  const report = useRef(onResult);
  report.current = onResult;

  useEffect(() => {
    let cancelled = false;
    setResult(null);
    setPreview(null);
    setError(null);
    report.current(null);
    Promise.all([platform.client.call('documents:signatureCheck', { ref: documentId }), platform.client.call('documents:get', { ref: documentId })]).then(
      ([check, detail]) => {
        if (cancelled) return;
        setResult(check);
        report.current(check.signed);
        const page = check.pages.find((candidate) => candidate.regions.length > 0);
        const shown = page ? detail.pages.find((candidate) => candidate.pageId === page.pageId) : undefined;
        // Boxes are drawn on the page as stored; a page the clerk turned shows the status only.
        if (page && shown && shown.rotation === 0) setPreview({ page, src: platform.pageImageUrl(shown.thumbnailHash ?? shown.blobHash) });
      },
      (reason: unknown) => !cancelled && setError(errorText(t, reason)),
    );
    return () => {
      cancelled = true;
    };
  }, [platform, documentId, version, t]);

  if (error) return <Tag className="signature-status">{t('inbox.signed.failed', { error })}</Tag>;
  if (!result) return <Tag className="signature-status">{t('inbox.signed.checking')}</Tag>;
  const found = result.pages.flatMap((page) => page.regions);
  const status = !result.signed
    ? 'unsigned'
    : found.some((region) => region.kind === 'signature') && found.some((region) => region.kind === 'seal')
      ? 'both'
      : found.some((region) => region.kind === 'seal')
        ? 'seal'
        : 'signature';
  const confidence = Math.round(Math.max(0, ...result.pages.map((page) => page.confidence)) * 100);
  return (
    <div className="signature-check" data-signed={result.signed}>
      <Tag className="signature-status" color={result.signed ? 'green' : 'orange'}>
        {t(`inbox.signed.${status}`, { confidence })}
      </Tag>
      {preview ? (
        <div className="signature-preview">
          <img src={preview.src} alt={t('inbox.signed.preview')} />
          {preview.page.regions.map((region, index) => (
            <Tooltip key={index} title={t(`inbox.signed.region.${region.kind}`, { confidence: Math.round(region.confidence * 100) })}>
              <span
                className={`signature-box signature-box-${region.kind}`}
                style={{
                  left: `${(100 * region.x0) / preview.page.frame.width}%`,
                  top: `${(100 * region.y0) / preview.page.frame.height}%`,
                  width: `${(100 * (region.x1 - region.x0)) / preview.page.frame.width}%`,
                  height: `${(100 * (region.y1 - region.y0)) / preview.page.frame.height}%`,
                }}
              />
            </Tooltip>
          ))}
        </div>
      ) : null}
    </div>
  );
}
