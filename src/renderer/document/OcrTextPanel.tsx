/**
 * A page's recognised text: where it came from and how sure the OCR was, the searched terms highlighted,
 * unsure words underlined. Editing saves through `pages:setText`, which makes a new version with the
 * clerk's reason; the panel then shows what the core stored.
 */
import { App, Button, Input, Space, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail, PageRecognition, PageSnapshot } from '../../shared/model';
import { useApp } from '../context';
import { errorText } from '../format';
import { LOW_CONFIDENCE, lowConfidenceRanges, termRanges, textSegments } from './text-marks';

export function OcrTextPanel({
  detail,
  page,
  recognition,
  terms,
  onChanged,
}: {
  detail: DocumentDetail;
  page: PageSnapshot;
  recognition: PageRecognition | null;
  terms: string[];
  onChanged: (detail: DocumentDetail) => void;
}) {
  const { t } = useTranslation();
  const { platform, may } = useApp();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const text = page.text ?? '';
  // A voided document is history only; a role that may not change documents only reads (the core refuses anyway).
  const readOnly = detail.status === 'voided' || !may('pages:setText');

  useEffect(() => setEditing(false), [page.pageId]);

  const words = recognition?.words ?? [];
  const lowCount = words.filter((word) => word.confidence < LOW_CONFIDENCE).length;
  const segments = useMemo(() => textSegments(text, termRanges(text, terms), lowConfidenceRanges(text, words)), [text, terms, words]);

  const startEditing = () => {
    setDraft(text);
    setReason('');
    setEditing(true);
  };

  const save = async () => {
    if (saving) return;
    if (draft === text) {
      void message.info(t('viewer.text.unchanged'));
      setEditing(false);
      return;
    }
    setSaving(true);
    try {
      const saved = await platform.client.call('pages:setText', {
        ref: detail.id,
        pageId: page.pageId,
        text: draft,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      onChanged(saved);
      setEditing(false);
      void message.success(t('viewer.text.saved', { version: saved.currentVersion }));
    } catch (reason) {
      void message.error(errorText(t, reason));
    } finally {
      setSaving(false);
    }
  };

  const status = recognition?.status ?? null;
  const statusLine =
    status === 'failed'
      ? t('viewer.text.status.failed', { error: recognition?.error ?? '' })
      : status && status !== 'done'
        ? t(`viewer.text.status.${status}`)
        : recognition?.source && recognition.confidence !== null
          ? t('viewer.text.confidence', { source: t(`viewer.text.source.${recognition.source}`), confidence: Math.round(recognition.confidence) })
          : null;

  return (
    <div className="ocr-text-panel" data-page-id={page.pageId}>
      <div className="ocr-text-head">
        <Typography.Text strong>{t('viewer.text.title')}</Typography.Text>
        {!editing && !readOnly ? (
          <Button size="small" onClick={startEditing} className="edit-text-button">
            {t('viewer.text.edit')}
          </Button>
        ) : null}
      </div>
      {statusLine ? (
        <Typography.Text type={status === 'failed' ? 'danger' : 'secondary'} className="ocr-status">
          {statusLine}
        </Typography.Text>
      ) : null}
      {!editing && lowCount > 0 ? (
        <Typography.Text type="warning" className="low-confidence-note">
          {t('viewer.text.lowWords', { count: lowCount, threshold: LOW_CONFIDENCE })}
        </Typography.Text>
      ) : null}
      {editing ? (
        <div className="ocr-text-editor">
          <Input.TextArea
            aria-label={t('viewer.text.title')}
            className="ocr-text-input"
            value={draft}
            autoFocus
            autoSize={{ minRows: 8, maxRows: 24 }}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
                event.preventDefault();
                void save();
              }
            }}
          />
          <Input
            aria-label={t('viewer.text.reason')}
            placeholder={t('viewer.text.reason')}
            value={reason}
            maxLength={500}
            onChange={(event) => setReason(event.target.value)}
          />
          <Space>
            <Tooltip title={t('viewer.text.saveShortcut')}>
              <Button type="primary" size="small" loading={saving} onClick={() => void save()}>
                {t('viewer.text.save')}
              </Button>
            </Tooltip>
            <Button size="small" onClick={() => setEditing(false)}>
              {t('viewer.text.cancel')}
            </Button>
          </Space>
        </div>
      ) : text ? (
        <pre className="ocr-text">
          {segments.map((segment) =>
            segment.hit || segment.low ? (
              <mark key={segment.start} className={[segment.hit ? 'text-hit' : '', segment.low ? 'text-low' : ''].join(' ').trim()}>
                {segment.text}
              </mark>
            ) : (
              <span key={segment.start}>{segment.text}</span>
            ),
          )}
        </pre>
      ) : (
        <Typography.Text type="secondary">{t('viewer.text.none')}</Typography.Text>
      )}
    </div>
  );
}
