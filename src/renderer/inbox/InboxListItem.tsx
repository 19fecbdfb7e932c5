/**
 * One document in the Inbox list: first page, archive number, title, OCR state, confidence, duplicate
 * warning. Memoised: typing in the filing form changes the screen's drafts on every key, and the list's rows
 * draw again only when their own item, selection or acceptance changes.
 */
import { CheckCircleFilled, WarningOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip } from 'antd';
import { memo } from 'react';
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

interface InboxListItemProps {
  item: InboxItem;
  current: boolean;
  accepted: boolean;
  onSelect: (documentId: number) => void;
}

export const InboxListItem = memo(function InboxListItem({ item, current, accepted, onSelect }: InboxListItemProps) {
  const { t } = useTranslation();
  const state = ocrState(item);
  return (
    <li
      className={`inbox-item${current ? ' current' : ''}`}
      data-archive-no={item.document.archiveNo}
      data-accepted={accepted}
      data-ocr={state}
      aria-current={current}
      onClick={() => onSelect(item.document.id)}
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
