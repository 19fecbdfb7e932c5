/**
 * One document in the Inbox list: first page, archive number, title, OCR state, confidence, duplicate
 * warning; the selected row is kept scrolled into view. Memoised: typing in the filing form changes the screen's drafts on every key, and the list's rows
 * draw again only when their own item, selection or acceptance changes.
 */
import { CheckCircleFilled, WarningOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip } from 'antd';
import { memo, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxItem } from '../../shared/model';
import { Thumbnail } from './Thumbnail';
import { coreMessageText } from '../i18n/core-messages';

function ocrState(item: InboxItem): 'pending' | 'failed' | 'review' | 'done' {
  if (item.failedPages.length > 0) return 'failed';
  if (item.pagesDone < item.pagesTotal) return 'pending';
  return item.needsReview ? 'review' : 'done';
}

const STATE_COLOURS = { done: 'green', pending: 'processing', failed: 'red', review: 'orange' } as const;

/** How a click picks: Ctrl/Cmd adds or drops one item, Shift a run (batch filing, selection.ts). */
export interface PickKeys {
  toggle: boolean;
  range: boolean;
}

interface InboxListItemProps {
  item: InboxItem;
  current: boolean;
  accepted: boolean;
  /** Picked for batch filing. */
  selected: boolean;
  onSelect: (documentId: number, keys: PickKeys) => void;
}

export const InboxListItem = memo(function InboxListItem({ item, current, accepted, selected, onSelect }: InboxListItemProps) {
  const { t } = useTranslation();
  const state = ocrState(item);
  // The selected row stays in sight as Enter walks down a long list.
  const row = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (current) row.current?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  return (
    <li
      ref={row}
      className={`inbox-item${current ? ' current' : ''}${selected ? ' selected' : ''}`}
      data-archive-no={item.document.archiveNo}
      data-accepted={accepted}
      data-selected={selected}
      data-ocr={state}
      aria-current={current}
      aria-selected={selected}
      onClick={(event) => onSelect(item.document.id, { toggle: event.ctrlKey || event.metaKey, range: event.shiftKey })}
    >
      <Thumbnail documentId={item.document.id} version={item.document.currentVersion} alt={item.document.title} />
      <div className="inbox-item-text">
        <div>
          <span className="mono">{item.document.archiveNo}</span>
          {accepted ? <CheckCircleFilled className="accepted-mark" aria-label={t('inbox.accepted')} /> : null}
        </div>
        <div className="inbox-item-title">{item.document.title}</div>
        <Space size={4} wrap>
          <Tag className="ocr-state" color={STATE_COLOURS[state]}>
            {t(`inbox.ocr.${state}`, { done: item.pagesDone, total: item.pagesTotal })}
          </Tag>
          {item.minConfidence !== null ? (
            <Tag className="ocr-confidence">{t('inbox.ocr.confidence', { confidence: Math.round(item.minConfidence) })}</Tag>
          ) : null}
          {item.warnings.length > 0 ? (
            <Tooltip title={item.warnings.map((warning) => coreMessageText(t, warning)).join(' ')}>
              <Tag color="warning" icon={<WarningOutlined />} className="duplicate-warning">
                {t('inbox.duplicate')}
              </Tag>
            </Tooltip>
          ) : null}
        </Space>
      </div>
    </li>
  );
});
